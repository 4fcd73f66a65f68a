//! The support chat's orchestrator: the one place where the pure
//! `chat-engine` meets I/O (DESIGN.md, "Data flow (a chat ticket)").
//!
//! A [`Conversation`] holds the engine [`State`] and the visible transcript
//! ([`ChatView`]). Each call ([`Conversation::say`], [`Conversation::choose`],
//! ...) feeds one event to [`chat_engine::step`] and carries out the
//! actions it returns: replies and summaries become messages; an article
//! search or a status look-up is a Desk call whose answer is fed back as
//! the next event; a ticket or callback is composed ([`crate::compose`]),
//! committed to the [`Outbox`] and sent at once within a bounded wait
//! (see `submit.rs`). The state, the messages and the submissions are
//! written to the outbox's own SQLite file after every step, so a
//! conversation survives a restart and a submission is never sent twice.
//!
//! Deliveries that finish later (the background [`Deliverer`] retries
//! what could not be sent at once) update the submission's message to
//! "sent" with the number and tell the engine, whose "Good news" reply is
//! added; [`Conversation::subscribe`] streams the view after each such change.
//!
//! Not here: windows, IPC, the UI (the view types are plain serde DTOs),
//! the engine's rules ([`chat_engine`]), the Desk protocol ([`zoho_desk`]).

mod config;
mod error;
mod lookup;
mod store;
mod submit;
mod view;

use std::sync::{Arc, Weak};

use chat_engine::{Action, Event, Now, QuickReplyId, Speaker, State, step};
use chrono::{DateTime, Utc};
use tokio::sync::{Mutex, broadcast, mpsc};
use zoho_desk::DeskClient;

pub use config::{
    ConversationConfig, DeskAccess, compose_config, locale_region, region_of_data_centre,
    region_of_locale, system_time_zone,
};
pub use error::{Error, Result};
pub use lookup::MAX_ARTICLES;
pub use view::{
    ChatMessage, ChatView, DeliveryState, QuickReplyView, Role, SubmissionView, SummaryFieldView,
    SummaryView,
};

use crate::compose::ComposeConfig;
use crate::delivery::{Delivery, DeliveryOptions};
use crate::outbox::{Deliverer, Outbox, OutboxEvent};
use store::{Stored, SubmissionDraft};

/// The chat service. Cheap to clone; clones share one conversation. Calls
/// are serialised: one event is handled (with its Desk calls) at a time.
#[derive(Clone)]
pub struct Conversation {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Conversation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conversation").finish_non_exhaustive()
    }
}

struct Shared {
    outbox: Outbox,
    inner: Mutex<Inner>,
    updates: broadcast::Sender<ChatView>,
    /// The one delivery loop (shared with manual entry in the app).
    delivery: Delivery,
    /// Opened by [`Conversation::open`]: the conversation connects it.
    owns_delivery: bool,
}

struct Inner {
    stored: Stored,
    config: ConversationConfig,
    desk: Option<DeskClient>,
}

/// An action that needs Desk or the outbox.
enum Io {
    SearchArticles(String),
    LookUpTicket { number: String, email: String },
    Submit(SubmissionDraft),
}

impl Conversation {
    /// Opens the conversation saved in `outbox`'s database (a new one when
    /// there is none), reconciles its submissions with the outbox (a
    /// delivery made while the app was closed shows as sent) and, when
    /// connected and `config.run_deliverer`, starts the background
    /// deliverer. Nothing is said to the engine until [`Conversation::start`].
    pub async fn open(
        outbox: Outbox,
        access: DeskAccess,
        config: ConversationConfig,
    ) -> Result<Conversation> {
        let delivery = Delivery::new(
            outbox,
            DeliveryOptions {
                backoff: config.backoff,
                concurrency: config.concurrency,
                run_worker: config.run_deliverer,
            },
        );
        Self::open_with(delivery, true, access, config).await
    }

    /// [`Conversation::open`] on the app's shared [`Delivery`], which the
    /// caller keeps connected (the conversation only uses it).
    pub async fn open_on(
        delivery: Delivery,
        access: DeskAccess,
        config: ConversationConfig,
    ) -> Result<Conversation> {
        Self::open_with(delivery, false, access, config).await
    }

    async fn open_with(
        delivery: Delivery,
        owns_delivery: bool,
        access: DeskAccess,
        config: ConversationConfig,
    ) -> Result<Conversation> {
        let outbox = delivery.outbox().clone();
        let stored = blocking(&outbox, store::load).await?.unwrap_or_default();
        let rx = delivery.subscribe();
        let shared = Arc::new(Shared {
            outbox,
            inner: Mutex::new(Inner {
                stored,
                config,
                desk: None,
            }),
            updates: broadcast::channel(16).0,
            delivery,
            owns_delivery,
        });
        tokio::spawn(consume_outbox_events(Arc::downgrade(&shared), rx));
        {
            let mut inner = shared.inner.lock().await;
            shared.attach(&mut inner, access);
            shared.reconcile(&mut inner).await?;
            shared.save(&inner).await?;
        }
        Ok(Conversation { shared })
    }

    /// The chat is shown: greets on a fresh conversation; on a restored one,
    /// resumes what was waiting for Desk (an article search or status
    /// look-up is made again; a submission's outcome is read from the
    /// outbox, never sent again) and tells what became of earlier
    /// submissions. Otherwise the view as it was.
    pub async fn start(&self, now: DateTime<Utc>) -> Result<ChatView> {
        let shared = &self.shared;
        let mut inner = shared.inner.lock().await;
        let now = inner.now(now);
        if inner.stored.messages.is_empty() {
            shared.feed(&mut inner, Event::Started, now).await?;
        } else {
            match &inner.stored.state {
                State::SearchingArticles { .. } | State::CheckingTicket { .. } => {
                    shared.feed(&mut inner, Event::Started, now).await?;
                }
                State::Submitting { .. } | State::SchedulingCallback { .. } => {
                    shared.resume_submission(&mut inner, now).await?;
                }
                _ => {}
            }
        }
        shared.announce(&mut inner, now).await?;
        Ok(inner.view())
    }

    /// The view as saved: no engine step, no Desk call.
    pub async fn restore(&self) -> ChatView {
        self.shared.inner.lock().await.view()
    }

    /// The person typed `text` (cut by the engine when overlong).
    pub async fn say(&self, text: &str, now: DateTime<Utc>) -> Result<ChatView> {
        self.handle(Event::UserSaid(text.to_owned()), now).await
    }

    /// The person pressed a quick reply.
    pub async fn choose(&self, quick_reply: QuickReplyId, now: DateTime<Utc>) -> Result<ChatView> {
        self.handle(Event::QuickReplyChosen(quick_reply), now).await
    }

    /// "New conversation": everything shown and remembered is forgotten.
    /// Submissions on their way to Desk still go (the outbox has them).
    pub async fn new_conversation(&self, now: DateTime<Utc>) -> Result<ChatView> {
        let shared = &self.shared;
        let mut inner = shared.inner.lock().await;
        let now = inner.now(now);
        let stored = &mut inner.stored;
        stored.messages.clear();
        // Keep only what is not in the outbox yet (nothing is lost), unseen.
        stored
            .submissions
            .retain(|s| s.item.is_none() && s.draft.is_some());
        for s in &mut stored.submissions {
            s.message = None;
        }
        shared.feed(&mut inner, Event::Restarted, now).await?;
        Ok(inner.view())
    }

    /// Changes the Desk connection and the composition settings (after
    /// setup, a reconnect or a disconnect): the background deliverer is
    /// restarted with the new client, and submissions kept while no
    /// department was known go to the outbox.
    pub async fn connect(
        &self,
        access: DeskAccess,
        compose: Option<ComposeConfig>,
    ) -> Result<ChatView> {
        let shared = &self.shared;
        let mut inner = shared.inner.lock().await;
        inner.config.compose = compose;
        shared.attach(&mut inner, access);
        shared.reconcile(&mut inner).await?;
        shared.save(&inner).await?;
        shared.delivery.kick();
        Ok(inner.view())
    }

    /// The view after every change made in the background (a queued
    /// submission delivered or refused later).
    pub fn subscribe(&self) -> broadcast::Receiver<ChatView> {
        self.shared.updates.subscribe()
    }

    /// The deliverer in use (shares this conversation's event stream), e.g.
    /// for manual entry's "send now"; `None` when not connected.
    pub async fn deliverer(&self) -> Option<Deliverer> {
        self.shared.delivery.deliverer()
    }

    /// The delivery loop this conversation sends through.
    pub fn delivery(&self) -> &Delivery {
        &self.shared.delivery
    }

    /// The outbox (and database) this conversation lives in.
    pub fn outbox(&self) -> &Outbox {
        &self.shared.outbox
    }

    async fn handle(&self, event: Event, now: DateTime<Utc>) -> Result<ChatView> {
        let shared = &self.shared;
        let mut inner = shared.inner.lock().await;
        let now = inner.now(now);
        shared.feed(&mut inner, event, now).await?;
        shared.announce(&mut inner, now).await?;
        Ok(inner.view())
    }
}

impl Shared {
    /// Steps the engine with `event` and carries out its actions, feeding
    /// each answer back, until nothing waits for I/O. The state is saved
    /// after every step, before any request.
    async fn feed(&self, inner: &mut Inner, event: Event, now: Now) -> Result<()> {
        let mut next = Some(event);
        while let Some(event) = next.take() {
            let from_person = matches!(event, Event::UserSaid(_) | Event::QuickReplyChosen(_));
            let before = inner.stored.state.memory().transcript.len();
            let (state, actions) = step(inner.stored.state.clone(), event, now);
            inner.stored.state = state;
            if from_person {
                // What the engine kept of it (cut when overlong).
                let said = inner.stored.state.memory().transcript.get(before).cloned();
                if let Some(turn) = said.filter(|t| t.from == Speaker::Person) {
                    inner.push(Role::Person, turn.text, turn.at);
                }
            }
            let mut io = None;
            for action in actions {
                match action {
                    Action::Reply {
                        text,
                        quick_replies,
                    } => {
                        let id = inner.push(Role::Bot, text, now.at);
                        inner.message_mut(id).quick_replies =
                            quick_replies.into_iter().map(Into::into).collect();
                    }
                    Action::ShowSummary { title, fields } => {
                        let text = std::iter::once(title.clone())
                            .chain(fields.iter().map(|f| format!("{}: {}", f.label, f.value)))
                            .collect::<Vec<_>>()
                            .join("\n");
                        let id = inner.push(Role::Bot, text, now.at);
                        inner.message_mut(id).summary = Some(SummaryView {
                            title,
                            fields: fields.into_iter().map(Into::into).collect(),
                        });
                    }
                    Action::ShowTyping => {}
                    Action::SearchArticles { query } => io = Some(Io::SearchArticles(query)),
                    Action::LookUpTicket { number, email } => {
                        io = Some(Io::LookUpTicket { number, email });
                    }
                    Action::CreateTicket(draft) => {
                        io = Some(Io::Submit(SubmissionDraft::Ticket(draft)));
                    }
                    Action::ScheduleCallback(draft) => {
                        io = Some(Io::Submit(SubmissionDraft::Callback(draft)));
                    }
                }
            }
            if let Some(Io::Submit(draft)) = io {
                // The submission is in the saved conversation before the
                // outbox, and in the outbox before any request.
                let index = inner.add_submission(draft, now.at);
                self.save(inner).await?;
                next = Some(self.submit(inner, index).await?);
                continue;
            }
            self.save(inner).await?;
            let timeout = inner.config.lookup_timeout;
            next = match io {
                Some(Io::SearchArticles(query)) => {
                    Some(lookup::search_articles(inner.desk.as_ref(), &query, timeout).await)
                }
                Some(Io::LookUpTicket { number, email }) => Some(
                    lookup::look_up_ticket(inner.desk.as_ref(), &number, &email, timeout).await,
                ),
                Some(Io::Submit(_)) | None => None,
            };
        }
        Ok(())
    }

    /// Enqueues submission `index` and sends it at once: the event that
    /// answers the engine's `CreateTicket` / `ScheduleCallback`.
    async fn submit(&self, inner: &mut Inner, index: usize) -> Result<Event> {
        if !self.enqueue(inner, index).await? {
            return Ok(Event::SendQueued);
        }
        let (Some(deliverer), Some(id)) = (
            inner.desk.as_ref().and(self.delivery.deliverer()),
            inner.stored.submissions[index].item,
        ) else {
            return Ok(Event::SendQueued);
        };
        inner.set_submission_state(index, DeliveryState::Sending);
        let item = submit::deliver_at_once(&deliverer, id, inner.config.deliver_wait).await?;
        let submission = &mut inner.stored.submissions[index];
        submit::update_from_item(submission, &item);
        let event = submit::final_event(submission, &item);
        submission.settled = event.is_some();
        inner.refresh_message(index);
        self.save(inner).await?;
        Ok(event.unwrap_or(Event::SendQueued))
    }

    /// Puts submission `index` in the outbox (committed), or reuses the
    /// outbox item of an earlier refused submission of the same kind
    /// (edited and resent with its reference). `false`: no department is
    /// known yet, so it waits in the conversation.
    async fn enqueue(&self, inner: &mut Inner, index: usize) -> Result<bool> {
        if inner.stored.submissions[index].item.is_some() {
            return Ok(true);
        }
        let compose = inner.config.compose.clone();
        let kind = inner.stored.submissions[index].kind;
        let refused = inner.stored.submissions[..index].iter().rposition(|s| {
            s.kind == kind
                && s.message.is_some()
                && s.view.state == DeliveryState::Failed
                && s.item.is_some()
        });
        let draft = inner.stored.submissions[index].draft.clone();
        if let (Some(old), Some(config), Some(draft)) = (refused, &compose, draft) {
            // The refused one's item and reference go on as this one (its
            // message stays as the record of that refusal). Written down
            // before the item changes, so that a crash in between can never
            // leave two items for one ticket.
            let previous = inner.stored.submissions[old].clone();
            let item_id = previous.item.unwrap_or(crate::outbox::ItemId(0));
            let refused = &mut inner.stored.submissions[old];
            refused.item = None;
            refused.settled = true;
            let submission = &mut inner.stored.submissions[index];
            submission.client_ref = previous.client_ref.clone();
            submission.item = Some(item_id);
            self.save(inner).await?;
            let request = submit::compose(&draft, config, previous.client_ref).request;
            let resent = blocking(&self.outbox, move |o| {
                o.edit_and_resend(item_id, request).map_err(Error::from)
            })
            .await;
            let submission = &mut inner.stored.submissions[index];
            match resent {
                Ok(_) => {
                    submission.draft = None;
                    self.save(inner).await?;
                    return Ok(true);
                }
                Err(e) => {
                    // E.g. an agent discarded it meanwhile: a new item.
                    tracing::warn!(error = %e, "could not resend the refused item; making a new one");
                    submission.item = None;
                    submission.client_ref = crate::compose::ClientRef::generate();
                }
            }
        }
        let mut submission = inner.stored.submissions[index].clone();
        let outbox = self.outbox.clone();
        let (submission, queued) = tokio::task::spawn_blocking(move || {
            let queued = submit::enqueue(&outbox, &mut submission, compose.as_ref());
            (submission, queued)
        })
        .await
        .map_err(|e| Error::Worker(e.to_string()))?;
        inner.stored.submissions[index] = submission;
        let queued = queued?;
        self.save(inner).await?;
        Ok(queued)
    }

    /// After a restart in `Submitting` / `SchedulingCallback`: the outcome
    /// of the awaited submission, read from the outbox (never sent again
    /// from here; the background deliverer goes on with it).
    async fn resume_submission(&self, inner: &mut Inner, now: Now) -> Result<()> {
        let Some(index) = inner
            .stored
            .submissions
            .iter()
            .rposition(|s| s.message.is_some())
        else {
            // Nothing recorded (cannot happen with this module's order of
            // writes): let the engine say it is queued rather than hang.
            return self.feed(inner, Event::SendQueued, now).await;
        };
        self.enqueue(inner, index).await?;
        let event = match inner.stored.submissions[index].item {
            Some(id) => {
                let item = submit::read(&self.outbox, id).await?;
                let submission = &mut inner.stored.submissions[index];
                submit::update_from_item(submission, &item);
                let event = submit::final_event(submission, &item);
                submission.settled = event.is_some();
                inner.refresh_message(index);
                event
            }
            None => None,
        };
        self.delivery.kick();
        self.feed(inner, event.unwrap_or(Event::SendQueued), now)
            .await
    }

    /// Tells the engine about submissions that ended after it was told they
    /// were queued ("Good news: ... #number"), unless it is waiting for
    /// another one right now.
    async fn announce(&self, inner: &mut Inner, now: Now) -> Result<()> {
        loop {
            if matches!(
                inner.stored.state,
                State::Submitting { .. } | State::SchedulingCallback { .. }
            ) {
                return Ok(());
            }
            let Some(index) = inner.stored.submissions.iter().position(|s| {
                !s.settled
                    && s.message.is_some()
                    && matches!(s.view.state, DeliveryState::Sent | DeliveryState::Failed)
            }) else {
                return Ok(());
            };
            let Some(id) = inner.stored.submissions[index].item else {
                inner.stored.submissions[index].settled = true;
                continue;
            };
            let item = submit::read(&self.outbox, id).await?;
            let submission = &mut inner.stored.submissions[index];
            submission.settled = true;
            if let Some(event) = submit::final_event(submission, &item) {
                self.feed(inner, event, now).await?;
            }
            self.save(inner).await?;
        }
    }

    /// Submissions against the outbox: what waited for a department is
    /// enqueued; views follow their items (e.g. delivered while closed).
    async fn reconcile(&self, inner: &mut Inner) -> Result<()> {
        let mut index = 0;
        while index < inner.stored.submissions.len() {
            let submission = &inner.stored.submissions[index];
            if submission.item.is_none() {
                self.enqueue(inner, index).await?;
            }
            if let Some(id) = inner.stored.submissions.get(index).and_then(|s| s.item) {
                match submit::read(&self.outbox, id).await {
                    Ok(item) => {
                        submit::update_from_item(&mut inner.stored.submissions[index], &item);
                        inner.refresh_message(index);
                    }
                    // Discarded from the outbox by an agent: nothing to follow.
                    Err(Error::Outbox(crate::outbox::Error::NotFound(_))) => {
                        inner.stored.submissions[index].settled = true;
                    }
                    Err(e) => return Err(e),
                }
            }
            index += 1;
        }
        Ok(())
    }

    /// News from the deliverer about one item.
    async fn on_outbox_event(&self, event: OutboxEvent) -> Result<()> {
        let mut inner = self.inner.lock().await;
        let Some(index) = inner
            .stored
            .submissions
            .iter()
            .position(|s| s.item == Some(event.id))
        else {
            return Ok(()); // not this conversation's (manual entry, an older chat)
        };
        if inner.stored.submissions[index].settled {
            return Ok(());
        }
        let item = submit::read(&self.outbox, event.id).await?;
        submit::update_from_item(&mut inner.stored.submissions[index], &item);
        inner.refresh_message(index);
        self.save(&inner).await?;
        let now = inner.now(Utc::now());
        self.announce(&mut inner, now).await?;
        let _ = self.updates.send(inner.view());
        Ok(())
    }

    /// Uses `access` from now on; when the conversation owns its delivery
    /// loop, the background deliverer is (re)started with it.
    fn attach(&self, inner: &mut Inner, access: DeskAccess) {
        inner.desk = access.client().cloned();
        if self.owns_delivery {
            self.delivery.connect(inner.desk.clone());
        }
    }

    async fn save(&self, inner: &Inner) -> Result<()> {
        let stored = inner.stored.clone();
        blocking(&self.outbox, move |o| store::save(o, &stored)).await
    }
}

impl Inner {
    fn now(&self, at: DateTime<Utc>) -> Now {
        Now::new(at, self.config.time_zone, self.config.region)
    }

    fn push(&mut self, role: Role, text: String, at: DateTime<Utc>) -> u64 {
        let id = self.stored.next_message_id();
        self.stored.messages.push(ChatMessage {
            id,
            role,
            text,
            at,
            quick_replies: Vec::new(),
            summary: None,
            submission: None,
        });
        id
    }

    fn message_mut(&mut self, id: u64) -> &mut ChatMessage {
        let index = self
            .stored
            .messages
            .iter()
            .rposition(|m| m.id == id)
            .unwrap_or(self.stored.messages.len() - 1);
        &mut self.stored.messages[index]
    }

    fn add_submission(&mut self, draft: SubmissionDraft, at: DateTime<Utc>) -> usize {
        let message = self.push(Role::System, String::new(), at);
        self.stored
            .submissions
            .push(submit::new_submission(draft, message));
        let index = self.stored.submissions.len() - 1;
        self.refresh_message(index);
        index
    }

    fn set_submission_state(&mut self, index: usize, state: DeliveryState) {
        self.stored.submissions[index].view.state = state;
        self.refresh_message(index);
    }

    /// The submission's system message shows its current view.
    fn refresh_message(&mut self, index: usize) {
        let submission = &self.stored.submissions[index];
        let Some(id) = submission.message else {
            return;
        };
        let view = submission.view.clone();
        if let Some(message) = self.stored.messages.iter_mut().find(|m| m.id == id) {
            message.text = view.text();
            message.submission = Some(view);
        }
    }

    fn view(&self) -> ChatView {
        let messages = &self.stored.messages;
        // The buttons of the last question, unless the person answered since.
        let quick_replies = messages
            .iter()
            .rev()
            .take_while(|m| m.role != Role::Person)
            .find(|m| m.role == Role::Bot && !m.quick_replies.is_empty())
            .map(|m| m.quick_replies.clone())
            .unwrap_or_default();
        ChatView {
            messages: messages.clone(),
            quick_replies,
            typing: matches!(
                self.stored.state,
                State::SearchingArticles { .. }
                    | State::Submitting { .. }
                    | State::SchedulingCallback { .. }
                    | State::CheckingTicket { .. }
            ),
            connected: self.desk.is_some(),
        }
    }
}

/// Applies the deliverer's news, in order, for as long as the conversation lives.
async fn consume_outbox_events(
    shared: Weak<Shared>,
    mut events: mpsc::UnboundedReceiver<OutboxEvent>,
) {
    while let Some(event) = events.recv().await {
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if let Err(e) = shared.on_outbox_event(event).await {
            tracing::error!(error = %e, "could not record a delivery in the conversation");
        }
    }
}

/// Runs a short blocking database call off the async threads.
async fn blocking<T: Send + 'static>(
    outbox: &Outbox,
    f: impl FnOnce(&Outbox) -> Result<T> + Send + 'static,
) -> Result<T> {
    let outbox = outbox.clone();
    tokio::task::spawn_blocking(move || f(&outbox))
        .await
        .map_err(|e| Error::Worker(e.to_string()))?
}
