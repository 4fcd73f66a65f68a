//! Delivery: claimed items sent to Desk through `zoho-desk`, with the
//! look-up-before-resend rule that makes it exactly once.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use reqwest::Method;
use serde::Serialize;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use zoho_desk::desk::decode;
use zoho_desk::{
    DeskClient, DeskRequest, Effect, Error as DeskError, NewAttachment, Page, Ticket, TicketId,
    TicketSearch,
};

use super::{Error, Item, ItemFieldError, ItemId, ItemState, Outbox, Result};
use crate::compose::ClientRef;

/// How long to wait before the next attempt after transient trouble:
/// exponential from `initial`, capped at `max`, with jitter (a factor in
/// [0.5, 1.0]) so that many queued items do not come back at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(2),
            max: Duration::from_secs(10 * 60),
        }
    }
}

impl Backoff {
    /// The delay after the `attempts`-th failed attempt; never shorter than
    /// the server's `Retry-After` (`hint`), never longer than `max`.
    pub fn delay(&self, attempts: u32, hint: Option<Duration>) -> Duration {
        let exp = self
            .initial
            .saturating_mul(1u32 << attempts.saturating_sub(1).min(20))
            .min(self.max);
        let jittered = exp.mul_f64(rand::rng().random_range(0.5..=1.0));
        match hint {
            Some(h) => jittered.max(h.min(self.max)),
            None => jittered,
        }
    }
}

/// A state change, for the UI (queued / sending / sent / failed) and, later,
/// notifications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEvent {
    pub id: ItemId,
    pub client_ref: ClientRef,
    pub state: ItemState,
    pub ticket_number: Option<String>,
    /// Desk's message, or why it will be tried again.
    pub error: Option<String>,
    /// For `queued`: when it is tried again.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Ticket or callback.
    pub kind: crate::compose::ItemKind,
    pub subject: String,
    /// Sends (or look-ups) started so far.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OutboxEvent {
    /// The event of `item` as stored now.
    pub fn of(item: &Item) -> Self {
        Self {
            id: item.id,
            client_ref: item.client_ref.clone(),
            state: item.state,
            ticket_number: item.ticket_number.clone(),
            error: item.last_error.clone(),
            next_attempt_at: (item.state == ItemState::Queued).then_some(item.next_attempt_at),
            kind: item.kind,
            subject: item.subject.clone(),
            attempts: item.attempts,
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Created now.
    Delivered,
    /// A previous attempt had created it: found by its reference, not resent.
    FoundExisting,
    /// Transient trouble: queued again with backoff.
    Requeued,
    /// Desk refused it: waits for an edit or a retry.
    Failed,
}

/// Counts of a [`Deliverer::drain`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DrainReport {
    pub delivered: usize,
    pub found_existing: usize,
    pub requeued: usize,
    pub failed: usize,
}

impl DrainReport {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Delivered => self.delivered += 1,
            Outcome::FoundExisting => self.found_existing += 1,
            Outcome::Requeued => self.requeued += 1,
            Outcome::Failed => self.failed += 1,
        }
    }

    /// Items now in Desk (created now, or found from an earlier attempt).
    pub fn sent(&self) -> usize {
        self.delivered + self.found_existing
    }
}

/// The default number of items in flight in a drain.
pub const DEFAULT_CONCURRENCY: usize = 10;

/// How long the background worker waits, at least, before it asks again
/// for a delivery lock another process holds.
pub const LOCK_RETRY: Duration = Duration::from_secs(5);

type EventSink = Arc<dyn Fn(OutboxEvent) + Send + Sync>;

/// Sends outbox items to Desk. Cheap to clone.
#[derive(Clone)]
pub struct Deliverer {
    outbox: Outbox,
    desk: DeskClient,
    backoff: Backoff,
    on_event: Option<EventSink>,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for Deliverer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deliverer")
            .field("desk", &self.desk)
            .field("backoff", &self.backoff)
            .finish_non_exhaustive()
    }
}

impl Deliverer {
    pub fn new(outbox: Outbox, desk: DeskClient) -> Self {
        Self {
            outbox,
            desk,
            backoff: Backoff::default(),
            on_event: None,
            wake: Arc::new(Notify::new()),
        }
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Calls `f` on every state change (from the delivering task: keep it
    /// short, e.g. send into a channel).
    pub fn on_event(mut self, f: impl Fn(OutboxEvent) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(f));
        self
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// Wakes [`Deliverer::run`] now (e.g. right after an enqueue, or when
    /// the network is back). A kick while it is draining is not lost.
    pub fn kick(&self) {
        self.wake.notify_one();
    }

    /// The background worker: drains, then sleeps until the next item is
    /// due, a [`kick`](Self::kick), or a minute (another process may have
    /// queued something); returns when `stop` completes. Outbox errors are
    /// logged and retried after a pause rather than ending the worker.
    ///
    /// It takes the outbox's delivery lock and keeps it (the outbox holds
    /// it until dropped). While another process holds it (`deskctl outbox
    /// flush`, for a moment), every wake-up tries again, quietly, but
    /// never sooner than [`LOCK_RETRY`] after the last try: a due item
    /// does not make it spin, and an idle outbox wakes no more than when
    /// it holds the lock.
    pub async fn run(&self, concurrency: usize, stop: impl Future<Output = ()>) {
        const IDLE: Duration = Duration::from_secs(60);
        tokio::pin!(stop);
        let mut waiting_for_lock = false;
        loop {
            let drained = self.drain(concurrency).await;
            let holds = self.outbox.holds_delivery_lock();
            if holds == waiting_for_lock {
                waiting_for_lock = !holds;
                if holds {
                    tracing::info!("delivering the outbox");
                } else {
                    tracing::info!(
                        "another process is delivering the outbox; trying again in a while"
                    );
                }
            }
            let wait = match drained {
                // Uploads that met transient trouble are tried again soon.
                Ok(_) if self.db(|o| o.has_pending_uploads()).await.unwrap_or(false) => {
                    Duration::from_secs(30)
                }
                Ok(_) => match self.db(|o| o.next_due_at()).await {
                    Ok(Some(due)) => (due - Utc::now()).to_std().unwrap_or_default().min(IDLE),
                    Ok(None) => IDLE,
                    Err(e) => {
                        tracing::error!(error = %e, "outbox unreadable; trying again shortly");
                        Duration::from_secs(5)
                    }
                },
                Err(e) => {
                    tracing::error!(error = %e, "outbox drain failed; trying again shortly");
                    Duration::from_secs(5)
                }
            };
            let wait = if holds { wait } else { wait.max(LOCK_RETRY) };
            tokio::select! {
                () = &mut stop => return,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Delivers every due item, at most `concurrency` in flight (0 means
    /// [`DEFAULT_CONCURRENCY`]); returns when none is due or in flight.
    /// Items queued again by this drain wait for their backoff (a later drain).
    /// Sends nothing (an empty report) while another process holds the
    /// delivery lock: see [`Outbox::holds_delivery_lock`] afterwards.
    pub async fn drain(&self, concurrency: usize) -> Result<DrainReport> {
        let concurrency = if concurrency == 0 {
            DEFAULT_CONCURRENCY
        } else {
            concurrency
        };
        let mut report = DrainReport::default();
        // Only the holder of the delivery lock sends (and, taking it,
        // recovers what a dead holder left `sending`).
        if !self.db(|o| o.try_lock_delivery()).await? {
            return Ok(report);
        }
        // Attachments of tickets delivered earlier (a restart, an upload
        // that met transient trouble) go first.
        self.upload_attachments(None).await?;
        let mut in_flight = JoinSet::new();
        let mut first_error = None;
        let started = Utc::now();
        loop {
            // Claim only as many as there are free slots: an item is marked
            // `sending` only when it is about to be sent, so a crash leaves
            // at most `concurrency` items in doubt. After an error nothing
            // more is claimed, but what is in flight is let finish (an
            // aborted task would leave its item `sending` until a restart).
            let free = concurrency - in_flight.len();
            if free > 0 && first_error.is_none() {
                match self.db(move |o| o.claim_due_by(started, free)).await {
                    Ok(items) => {
                        for item in items {
                            self.emit(&item);
                            let me = self.clone();
                            in_flight.spawn(async move { me.deliver_claimed(item).await });
                        }
                    }
                    Err(e) => first_error = Some(e),
                }
            }
            match in_flight.join_next().await {
                None => {
                    return match first_error {
                        Some(e) => Err(e),
                        None => Ok(report),
                    };
                }
                Some(joined) => match joined.map_err(|e| Error::Worker(e.to_string())) {
                    Ok(Ok(outcome)) => report.add(outcome),
                    Ok(Err(e)) | Err(e) => {
                        tracing::error!(error = %e, "outbox delivery stopped");
                        first_error.get_or_insert(e);
                    }
                },
            }
        }
    }

    /// Sends one item now if it is queued (e.g. right after the person
    /// pressed Submit); `None` when it is not queued, or another process
    /// holds the delivery lock (it will send it).
    pub async fn deliver_now(&self, id: ItemId) -> Result<Option<Outcome>> {
        let Some(item) = self.db(move |o| o.claim(id)).await? else {
            return Ok(None);
        };
        self.emit(&item);
        self.deliver_claimed(item).await.map(Some)
    }

    /// "Submit": sends item `id` now and waits at most `wait` for the
    /// outcome: the item as it then is. A send still running when the wait
    /// ends goes on in the background (never cut off halfway, which would
    /// leave the item "sending" until a restart); a lost reply is looked up
    /// again (a few times within the wait), so the answer can still be the
    /// ticket number.
    pub async fn deliver_within(&self, id: ItemId, wait: Duration) -> Result<Item> {
        /// Attempts within one wait when a reply was lost (each one a look-up).
        const IN_DOUBT_ATTEMPTS: u32 = 3;
        /// How often the state of an item someone else is sending is read.
        const POLL: Duration = Duration::from_millis(50);
        let deadline = tokio::time::Instant::now() + wait;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let d = self.clone();
            let task = tokio::spawn(async move { d.deliver_now(id).await });
            match tokio::time::timeout_at(deadline, task).await {
                Err(_) => {}
                Ok(Err(e)) => return Err(Error::Worker(e.to_string())),
                Ok(Ok(Err(e))) => tracing::warn!(item = %id, error = %e, "sending at once failed"),
                Ok(Ok(Ok(_))) => {}
            }
            // None (someone else is sending it) or a send cut by the
            // deadline: read where it is, waiting while it is being sent.
            let mut item = self.db(move |o| o.get(id)).await?;
            while item.state == ItemState::Sending && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(POLL).await;
                item = self.db(move |o| o.get(id)).await?;
            }
            let again = item.state == ItemState::Queued
                && item.in_doubt
                && attempts < IN_DOUBT_ATTEMPTS
                && tokio::time::Instant::now() < deadline;
            if !again {
                if item.state == ItemState::Queued {
                    self.kick();
                }
                return Ok(item);
            }
        }
    }

    /// One claimed (`sending`) item: look it up first when in doubt, else
    /// (or when not found) send it; record what happened.
    async fn deliver_claimed(&self, item: Item) -> Result<Outcome> {
        let id = item.id;
        if item.in_doubt {
            match self.look_up(&item).await {
                Ok(Some(ticket)) => {
                    tracing::info!(item = %id, "found in Desk from an earlier attempt; not resent");
                    let stored = self.db(move |o| o.mark_delivered(id, &ticket)).await?;
                    self.emit(&stored);
                    self.upload_attachments(Some(id)).await?;
                    return Ok(Outcome::FoundExisting);
                }
                Ok(None) => {}
                // Never resend blind: without an answer, wait and look again.
                Err(e) => return self.requeue(&item, &e, true).await,
            }
        }
        match self.send(&item).await {
            Ok(ticket) => {
                let stored = self.db(move |o| o.mark_delivered(id, &ticket)).await?;
                self.emit(&stored);
                self.upload_attachments(Some(id)).await?;
                Ok(Outcome::Delivered)
            }
            Err(DeskError::Validation {
                message, errors, ..
            }) => {
                let fields: Vec<ItemFieldError> = errors
                    .into_iter()
                    .map(|e| ItemFieldError {
                        field: e.field_name,
                        kind: e.error_type,
                        message: e.error_message,
                    })
                    .collect();
                let text = format!("Zoho Desk refused it: {message}");
                let stored = self.db(move |o| o.mark_failed(id, &text, &fields)).await?;
                self.emit(&stored);
                Ok(Outcome::Failed)
            }
            // The create may have happened (reply lost), or happened with a
            // reply we cannot read, or failed on Desk's side after being
            // applied (the contract does not say a 5xx on a create was not
            // applied): look it up before sending again.
            Err(
                e @ (DeskError::OutcomeUnknown { .. }
                | DeskError::Decode { .. }
                | DeskError::Server { .. }),
            ) => self.requeue(&item, &e, true).await,
            Err(e) => self.requeue(&item, &e, item.in_doubt).await,
        }
    }

    async fn requeue(&self, item: &Item, error: &DeskError, in_doubt: bool) -> Result<Outcome> {
        let id = item.id;
        let delay = self.backoff.delay(item.attempts, error.retry_after());
        let text = error.to_string();
        tracing::info!(item = %id, attempts = item.attempts, delay_ms = delay.as_millis() as u64, error = %text, "queued again");
        let stored = self
            .db(move |o| o.mark_retry(id, &text, in_doubt, delay))
            .await?;
        self.emit(&stored);
        Ok(Outcome::Requeued)
    }

    /// `POST /tickets` with the stored body, through the client's one send
    /// wrapper (token, `orgId`, retries of what is safe to retry).
    async fn send(&self, item: &Item) -> zoho_desk::Result<Ticket> {
        let request = DeskRequest::json(
            Method::POST,
            &["tickets"],
            &item.request,
            Effect::Create,
            "ticket creation",
        )?;
        let reply = self.desk.execute(&request).await?;
        decode(&reply, request.operation)
    }

    /// The ticket carrying this item's reference, if Desk has one: by the
    /// custom field when the item put it there, else by description text.
    /// Hits are checked here too, since Desk's text search is fuzzy.
    async fn look_up(&self, item: &Item) -> zoho_desk::Result<Option<Ticket>> {
        let wanted = item.client_ref.as_str();
        let mut search = match &item.reference_field {
            Some(field) => TicketSearch::by_custom_field(field.clone(), wanted),
            None => TicketSearch {
                description: Some(wanted.to_owned()),
                ..TicketSearch::default()
            },
        };
        // The largest page: a fuzzy text search may return other tickets too.
        search.page = Page::first(100);
        let found = self.desk.tickets().search(&search).await?;
        Ok(found
            .items
            .into_iter()
            .find(|t| match &item.reference_field {
                Some(field) => {
                    t.cf.as_ref()
                        .and_then(|cf| cf.get(field))
                        .and_then(|v| v.as_str())
                        == Some(wanted)
                }
                None => t.description.as_deref().is_some_and(|d| d.contains(wanted)),
            }))
    }

    /// Uploads the attachments kept for delivered tickets (`only`: of that
    /// item), each marked with Desk's id once uploaded. Too large for Desk
    /// (413) or refused: marked with a per-file message, not tried again.
    /// Transient trouble: left for the next drain.
    async fn upload_attachments(&self, only: Option<ItemId>) -> Result<()> {
        let pending = self.db(move |o| o.pending_uploads(only)).await?;
        for upload in pending {
            let Some(ticket_id) = upload.item.ticket_id.clone() else {
                continue;
            };
            let attachment = upload.id;
            self.db(move |o| o.mark_upload_started(attachment)).await?;
            let file = NewAttachment {
                content_type: Some(content_type(&upload.name).to_owned()),
                file_name: upload.name.clone(),
                bytes: upload.bytes,
                is_public: false,
            };
            let number = upload.item.ticket_number.clone().unwrap_or_default();
            match self
                .desk
                .tickets()
                .upload_attachment(&TicketId::new(ticket_id), &file)
                .await
            {
                Ok(done) => {
                    let desk_id = done.id.as_str().to_owned();
                    self.db(move |o| o.mark_uploaded(attachment, &desk_id))
                        .await?;
                }
                Err(DeskError::TooLarge) => {
                    let text = format!(
                        "{} is too large for Zoho Desk and was not attached to ticket #{number}: attach a smaller file in Desk.",
                        upload.name
                    );
                    self.db(move |o| o.mark_upload_failed(attachment, &text))
                        .await?;
                }
                Err(e) if e.is_transient() || e.needs_reconnect() => {
                    tracing::info!(attachment = attachment.0, error = %e, "attachment upload waits");
                    continue;
                }
                Err(e) => {
                    let text = format!("{} was not attached to ticket #{number}: {e}", upload.name);
                    self.db(move |o| o.mark_upload_failed(attachment, &text))
                        .await?;
                }
            }
        }
        Ok(())
    }

    fn emit(&self, item: &Item) {
        if let Some(f) = &self.on_event {
            f(OutboxEvent::of(item));
        }
    }

    /// Runs a (short, blocking) database call off the async threads.
    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Outbox) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let outbox = self.outbox.clone();
        tokio::task::spawn_blocking(move || f(&outbox))
            .await
            .map_err(|e| Error::Worker(e.to_string()))?
    }
}

/// The MIME type Desk shows, from the file name's extension.
pub fn content_type(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}
