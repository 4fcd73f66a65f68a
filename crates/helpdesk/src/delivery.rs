//! The app's one delivery loop: one [`Outbox`], one background
//! [`Deliverer`], shared by the chat and manual entry, so that there is
//! one path to Desk and one worker whatever view sent an item.
//!
//! What it is for: [`Delivery::connect`] (re)starts the worker with the
//! Desk client of the current setup (or stops it when there is none);
//! [`Delivery::subscribe`] gives every interested party (the chat, the
//! history view, notifications) each [`OutboxEvent`], in order, none lost;
//! [`Delivery::send_within`] is "Submit": one attempt now, waited for at
//! most a bounded time. The worker takes the outbox's delivery lock and
//! keeps it for the app's lifetime (a `deskctl` started meanwhile then
//! only queues); while a `deskctl outbox flush` holds it for a moment,
//! the worker asks again at its usual wake-ups, at most every
//! [`crate::outbox::LOCK_RETRY`]. What it is not: following the setup (see
//! [`crate::hub`]), composing tickets, or the delivery rules themselves
//! ([`crate::outbox`]).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use zoho_desk::DeskClient;

use crate::outbox::{Backoff, Deliverer, Item, ItemId, Outbox, OutboxEvent, Result};

/// How the worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryOptions {
    pub backoff: Backoff,
    /// Items in flight at once (0: the deliverer's default).
    pub concurrency: usize,
    /// Run the background worker (the app does; some tests drive it).
    pub run_worker: bool,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        Self {
            backoff: Backoff::default(),
            concurrency: 0,
            run_worker: true,
        }
    }
}

/// The shared delivery. Cheap to clone.
#[derive(Clone)]
pub struct Delivery {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Delivery")
    }
}

struct Inner {
    outbox: Outbox,
    options: DeliveryOptions,
    link: Mutex<Link>,
    subscribers: Arc<Mutex<Vec<mpsc::UnboundedSender<OutboxEvent>>>>,
}

#[derive(Default)]
struct Link {
    deliverer: Option<Deliverer>,
    /// Dropping it stops the worker.
    stop: Option<oneshot::Sender<()>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Delivery {
    /// Not connected yet: items wait in `outbox`.
    pub fn new(outbox: Outbox, options: DeliveryOptions) -> Self {
        Self {
            inner: Arc::new(Inner {
                outbox,
                options,
                link: Mutex::new(Link::default()),
                subscribers: Arc::default(),
            }),
        }
    }

    /// The outbox (and database) everything is queued in.
    pub fn outbox(&self) -> &Outbox {
        &self.inner.outbox
    }

    /// Uses `desk` from now on (`None`: not connected; the worker stops and
    /// items wait). The worker is restarted with the new client and
    /// drains at once. Must be called within a Tokio runtime.
    pub fn connect(&self, desk: Option<DeskClient>) {
        let mut link = lock(&self.inner.link);
        link.stop = None; // stops the old worker, if any
        link.deliverer = desk.map(|desk| {
            let subscribers = self.inner.subscribers.clone();
            Deliverer::new(self.inner.outbox.clone(), desk)
                .with_backoff(self.inner.options.backoff)
                .on_event(move |event| {
                    lock(&subscribers).retain(|s| s.send(event.clone()).is_ok());
                })
        });
        if let (Some(deliverer), true) = (&link.deliverer, self.inner.options.run_worker) {
            let (stop, stopped) = oneshot::channel::<()>();
            let deliverer = deliverer.clone();
            let concurrency = self.inner.options.concurrency;
            tokio::spawn(async move {
                deliverer
                    .run(concurrency, async move {
                        let _ = stopped.await;
                    })
                    .await;
            });
            link.stop = Some(stop);
        }
    }

    /// The deliverer in use; `None` when not connected.
    pub fn deliverer(&self) -> Option<Deliverer> {
        lock(&self.inner.link).deliverer.clone()
    }

    /// Every state change from now on, in order (dropped receivers are
    /// forgotten at the next event).
    pub fn subscribe(&self) -> mpsc::UnboundedReceiver<OutboxEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.inner.subscribers).push(tx);
        rx
    }

    /// Wakes the worker (something was queued or retried).
    pub fn kick(&self) {
        if let Some(d) = self.deliverer() {
            d.kick();
        }
    }

    /// "Submit": sends `id` now when connected and waits at most `wait`
    /// for the attempt (see [`Deliverer::deliver_within`]); then the item as
    /// stored (the worker goes on with it when it is still queued).
    pub async fn send_within(&self, id: ItemId, wait: Duration) -> Result<Item> {
        if let Some(deliverer) = self.deliverer() {
            return deliverer.deliver_within(id, wait).await;
        }
        let outbox = self.inner.outbox.clone();
        tokio::task::spawn_blocking(move || outbox.get(id))
            .await
            .map_err(|e| crate::outbox::Error::Worker(e.to_string()))?
    }
}
