//! # chat-engine: the support chat as a pure state machine
//!
//! What it is for: the conversation of Desk Chat's support bot. A person
//! opens a ticket, books a callback or asks for a ticket's status; the engine
//! decides what to ask, checks every answer (name, email with "did you mean
//! …?", phone in E.164, the issue, a callback time in plain words), keeps the
//! transcript, and says what must happen next.
//!
//! Its whole interface is one pure function, [`step`]: `(State, Event, Now) ->
//! (State, Vec<Action>)`. [`State`] is an enum whose variants carry their data
//! (`AwaitingEmail { draft }`), [`Event`]s are facts in the past tense
//! (`UserSaid`, `TicketCreated`, `SendFailed`), [`Action`]s are imperatives
//! (`Reply`, `CreateTicket`, `ScheduleCallback`). One `match` in
//! `engine::transition` is the whole conversation graph. Every type is
//! `Serialize + Deserialize + Clone + Debug + PartialEq`: the caller persists
//! the state so a conversation survives a restart.
//!
//! What it is not: it does no I/O at all. It never reads the clock ([`Now`]
//! comes in with each event), never calls Desk or the network, never touches
//! files, the outbox or the UI, and does not depend on tauri. It does not
//! compose the Desk request (subject, HTML description, department, client
//! reference): it hands over a [`TicketDraft`] or [`CallbackDraft`] and the
//! caller (`helpdesk`) does the rest. Its texts are plain English, never HTML.
//!
//! Also public, for the caller and for tests: [`parse_when`] (callback times,
//! see [`time_parse`]), the validators in [`validate`] and the opening-message
//! rules in [`classify`].

pub mod classify;
mod engine;
mod forms;
mod model;
mod prompt;
pub mod time_parse;
pub mod validate;

pub use engine::{Action, Event, State, step};
pub use forms::{CallbackForm, CheckForm, Outcome, TicketForm};
pub use model::{
    Article, CallbackDraft, CallbackTime, Contact, FieldError, Memory, Now, PersonName, QuickReply,
    QuickReplyId, Region, Speaker, SummaryField, TicketDraft, Turn,
};
pub use time_parse::{WhenError, format_absolute, format_when, parse_when};
