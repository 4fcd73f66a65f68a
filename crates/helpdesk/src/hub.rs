//! The app's link to Desk: the one [`Delivery`] loop, kept connected to
//! whatever the setup says, shared by the chat ([`crate::chat`]), manual
//! entry ([`crate::forms`]) and the history ([`crate::history`]).
//!
//! What it is for: the setup is followed by notification, not by polling:
//! the [`Wizard`] bumps a `watch` after every settings write, connect,
//! reconnect or disconnect, and the hub's follower task wakes only then
//! (an idle app makes no periodic wake-ups for it). Each service may also
//! call [`Hub::sync`] before its work, which catches a change made by
//! another process (`deskctl login`). What it is not: the setup itself
//! ([`crate::wizard`]), the delivery rules ([`crate::outbox`]), Tauri.

use std::sync::Arc;

use tokio::sync::{Mutex, watch};
use zoho_desk::DeskClient;

use crate::delivery::{Delivery, DeliveryOptions};
use crate::outbox::Outbox;
use crate::settings::{DataDir, Settings};
use crate::wizard::Wizard;

/// What the delivery loop is connected with.
#[derive(Clone)]
pub struct Link {
    /// Signed in and the sign-in usable (else items wait).
    pub usable: bool,
    /// The saved settings (departments, reference field, ...).
    pub settings: Option<Settings>,
    /// The Desk client, when usable.
    pub desk: Option<DeskClient>,
}

impl Link {
    fn same_as(&self, other: &Link) -> bool {
        self.usable == other.usable && self.settings == other.settings
    }
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("usable", &self.usable)
            .field("connected", &self.desk.is_some())
            .finish_non_exhaustive()
    }
}

/// The shared link. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Hub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    wizard: Wizard,
    delivery: Delivery,
    link: Mutex<Link>,
    linked: watch::Sender<u64>,
}

impl Hub {
    /// Opens the data folder's outbox and connects the delivery loop as the
    /// setup says; from then on follows the setup's changes.
    pub async fn open(wizard: Wizard, data_dir: &DataDir) -> crate::outbox::Result<Hub> {
        let path = data_dir.outbox_file();
        let outbox = tokio::task::spawn_blocking(move || Outbox::open(path))
            .await
            .map_err(|e| crate::outbox::Error::Worker(e.to_string()))??;
        Ok(Self::on(wizard, outbox, DeliveryOptions::default()).await)
    }

    /// A hub over a given outbox (tests choose the backoff).
    pub async fn on(wizard: Wizard, outbox: Outbox, options: DeliveryOptions) -> Hub {
        wizard.use_outbox(outbox.clone());
        let delivery = Delivery::new(outbox, options);
        let link = current(&wizard);
        delivery.connect(link.desk.clone());
        let hub = Hub {
            inner: Arc::new(Inner {
                wizard,
                delivery,
                link: Mutex::new(link),
                linked: watch::channel(0).0,
            }),
        };
        let weak = Arc::downgrade(&hub.inner);
        let mut changes = hub.inner.wizard.changes();
        tokio::spawn(async move {
            // Wakes on a setup change only; ends with the wizard or the hub.
            while changes.changed().await.is_ok() {
                let Some(inner) = weak.upgrade() else {
                    return;
                };
                Hub { inner }.sync().await;
            }
        });
        hub
    }

    /// Connects the delivery loop again when the setup changed; the link
    /// in use.
    pub async fn sync(&self) -> Link {
        let now = current(&self.inner.wizard);
        let mut link = self.inner.link.lock().await;
        if !link.same_as(&now) {
            self.inner.delivery.connect(now.desk.clone());
            tracing::info!(connected = now.desk.is_some(), "delivery follows the setup");
            *link = now;
            self.inner.linked.send_modify(|n| *n = n.wrapping_add(1));
        }
        link.clone()
    }

    /// The link in use (no comparison with the setup).
    pub async fn link(&self) -> Link {
        self.inner.link.lock().await.clone()
    }

    /// Bumped after every change of the link (for the chat to follow).
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.inner.linked.subscribe()
    }

    pub fn delivery(&self) -> &Delivery {
        &self.inner.delivery
    }

    pub fn outbox(&self) -> &Outbox {
        self.inner.delivery.outbox()
    }

    pub fn wizard(&self) -> &Wizard {
        &self.inner.wizard
    }
}

/// The setup as it is now (reads the settings and the sign-in state).
fn current(wizard: &Wizard) -> Link {
    let Ok(setup) = wizard.setup() else {
        return Link {
            usable: false,
            settings: None,
            desk: None,
        };
    };
    let usable = setup.status().is_ok_and(|s| s.connected);
    let desk = if usable {
        match setup.desk_client() {
            Ok(client) => Some(client),
            Err(error) => {
                tracing::info!(%error, "not connected to Desk");
                None
            }
        }
    } else {
        None
    };
    Link {
        usable,
        settings: setup.settings().ok(),
        desk,
    }
}
