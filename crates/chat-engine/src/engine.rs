//! The conversation graph: [`State`], [`Event`], [`Action`] and the one pure
//! [`step`]. The `match` in `transition` is the whole graph.

use serde::{Deserialize, Serialize};

use crate::classify::{Intent, classify};
use crate::forms::{CallbackForm, CheckForm, Outcome, TicketForm};
use crate::model::{
    Article, CallbackDraft, CallbackTime, FieldError, Memory, Now, QuickReply, QuickReplyId,
    Speaker, SummaryField, TicketDraft, Turn,
};
use crate::prompt::{prompt, prompt_with_reason, reply};
use crate::time_parse::{WhenError, format_when, parse_when};
use crate::validate::{
    MAX_INPUT_CHARS, limit_input, normalize_email, normalize_phone, parse_name,
    parse_ticket_number, suggest_email, validate_issue,
};

/// Where the conversation is. Every variant carries what the conversation
/// knows (its [`Memory`]: transcript and contact details), inside the form of
/// the flow it is in. The caller persists it (it is `Serialize`) so that a
/// conversation survives an app restart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// The start, and the menu.
    Greeting {
        memory: Memory,
    },

    // Ticket flow
    AwaitingName {
        draft: TicketForm,
    },
    AwaitingEmail {
        draft: TicketForm,
    },
    /// The address is valid but looks like a typo of a common domain.
    ConfirmingEmailSuggestion {
        draft: TicketForm,
        typed: String,
        suggested: String,
    },
    AwaitingPhone {
        draft: TicketForm,
    },
    AwaitingIssue {
        draft: TicketForm,
    },
    /// Waiting for [`Event::ArticlesFound`] or [`Event::ArticleSearchFailed`].
    SearchingArticles {
        draft: TicketForm,
    },
    SuggestingArticles {
        draft: TicketForm,
        articles: Vec<Article>,
    },
    /// The summary, with Submit / Edit / Cancel.
    Confirming {
        draft: TicketForm,
    },
    /// Which field to change.
    EditingField {
        draft: TicketForm,
    },
    /// [`Action::CreateTicket`] was emitted; waiting for the outbox.
    Submitting {
        draft: TicketForm,
    },

    // Callback flow
    AwaitingCallbackTime {
        draft: CallbackForm,
    },
    /// The time as understood, echoed back with Confirm / Change.
    ConfirmingCallbackTime {
        draft: CallbackForm,
        proposed: CallbackTime,
    },
    AwaitingCallbackPhone {
        draft: CallbackForm,
    },
    AwaitingCallbackName {
        draft: CallbackForm,
    },
    AwaitingCallbackNote {
        draft: CallbackForm,
    },
    /// The summary, with Confirm / Edit / Cancel.
    ConfirmingCallback {
        draft: CallbackForm,
    },
    EditingCallbackField {
        draft: CallbackForm,
    },
    /// [`Action::ScheduleCallback`] was emitted; waiting for the outbox.
    SchedulingCallback {
        draft: CallbackForm,
    },

    // Check-a-ticket flow
    AwaitingTicketNumber {
        draft: CheckForm,
    },
    AwaitingTicketEmail {
        draft: CheckForm,
    },
    /// [`Action::LookUpTicket`] was emitted; waiting for the answer.
    CheckingTicket {
        draft: CheckForm,
        email: String,
    },

    /// A flow ended; the menu is offered again and the memory kept.
    Done {
        memory: Memory,
        outcome: Outcome,
    },
}

impl Default for State {
    fn default() -> Self {
        State::Greeting {
            memory: Memory::default(),
        }
    }
}

/// Something that happened, told to the engine by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum Event {
    /// The chat was opened (a new conversation, or one restored after a
    /// restart: the current question is asked again).
    Started,
    /// "New conversation": everything is forgotten.
    Restarted,
    UserSaid(String),
    QuickReplyChosen(QuickReplyId),
    ArticlesFound(Vec<Article>),
    ArticleSearchFailed,
    /// The outbox holds the submission but could not deliver it yet.
    SendQueued,
    TicketCreated {
        number: String,
        id: String,
    },
    CallbackCreated {
        number: String,
        id: String,
    },
    /// Sending failed. `permanent`: Desk refused it (validation) and resending
    /// the same will not help; otherwise the outbox keeps trying.
    SendFailed {
        reason: String,
        permanent: bool,
        field_errors: Vec<FieldError>,
    },
    TicketStatusFound {
        number: String,
        status: String,
        email_matches: bool,
    },
    TicketNotFound,
    StatusLookupFailed,
}

/// Something the caller must do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", content = "data", rename_all = "snake_case")]
pub enum Action {
    /// Show a bot message (plain text, never HTML) with optional buttons.
    Reply {
        text: String,
        quick_replies: Vec<QuickReply>,
    },
    /// Show the typing indicator until the next reply.
    ShowTyping,
    /// Show a summary card (label / value lines).
    ShowSummary {
        title: String,
        fields: Vec<SummaryField>,
    },
    /// Search the knowledge base; answer with `ArticlesFound` or `ArticleSearchFailed`.
    SearchArticles { query: String },
    /// Put the ticket in the outbox; answer with `SendQueued`, `TicketCreated` or `SendFailed`.
    CreateTicket(TicketDraft),
    /// Put the callback in the outbox; answer with `SendQueued`, `CallbackCreated` or `SendFailed`.
    ScheduleCallback(CallbackDraft),
    /// Ask Desk for the ticket's status; answer with `TicketStatusFound`,
    /// `TicketNotFound` or `StatusLookupFailed`.
    LookUpTicket { number: String, email: String },
}

/// The one step: given where the conversation is, what happened and when,
/// returns where it is now and what the caller must do. Pure: no I/O, no
/// clock. Around the graph it also keeps the transcript: what the person typed
/// or pressed is written first (cut to [`MAX_INPUT_CHARS`], with a notice),
/// every [`Action::Reply`] last, all stamped with `now.at`.
pub fn step(state: State, event: Event, now: Now) -> (State, Vec<Action>) {
    let mut state = state;
    let mut actions = Vec::new();
    let event = match event {
        Event::UserSaid(text) => {
            let (text, cut) = limit_input(&text);
            if cut {
                actions.push(reply(
                    format!(
                        "That was a long message, so I kept the first {} characters.",
                        group_thousands(MAX_INPUT_CHARS)
                    ),
                    &[],
                ));
            }
            state.memory_mut().transcript.push(Turn {
                at: now.at,
                from: Speaker::Person,
                text: text.clone(),
            });
            match button_for(&state, &text, &now) {
                Some(id) => Event::QuickReplyChosen(id),
                None => Event::UserSaid(text),
            }
        }
        Event::QuickReplyChosen(id) => {
            state.memory_mut().transcript.push(Turn {
                at: now.at,
                from: Speaker::Person,
                text: id.label().to_string(),
            });
            Event::QuickReplyChosen(id)
        }
        other => other,
    };
    let (mut next, more) = transition(state, event, &now);
    actions.extend(more);
    for action in &actions {
        if let Action::Reply { text, .. } = action {
            next.memory_mut().transcript.push(Turn {
                at: now.at,
                from: Speaker::Bot,
                text: text.clone(),
            });
        }
    }
    (next, actions)
}

/// The graph. Helpers named `*_next` pick the next question of a flow (the
/// first field still missing); their doc comments list where they can lead.
fn transition(state: State, event: Event, now: &Now) -> (State, Vec<Action>) {
    use Event as E;
    use QuickReplyId as Q;
    use State as S;

    match (state, event) {
        // ---- Anywhere -------------------------------------------------------
        (_, E::Restarted) => enter(S::default(), vec![], now),
        (state, E::Started) => {
            let actions = prompt(&state, now);
            (state, actions)
        }
        (state, E::QuickReplyChosen(Q::Cancel)) if state.can_cancel() => enter(
            S::Done {
                memory: state.into_memory(),
                outcome: Outcome::Cancelled,
            },
            vec![reply("OK, I've cancelled that. Nothing was sent.", &[])],
            now,
        ),

        // ---- Menu -----------------------------------------------------------
        (S::Greeting { memory } | S::Done { memory, .. }, E::QuickReplyChosen(Q::CreateTicket)) => {
            enter(ticket_next(TicketForm::new(memory, None)), vec![], now)
        }
        (
            S::Greeting { memory } | S::Done { memory, .. },
            E::QuickReplyChosen(Q::ScheduleCallback),
        ) => enter(callback_next(CallbackForm::new(memory)), vec![], now),
        (S::Greeting { memory } | S::Done { memory, .. }, E::QuickReplyChosen(Q::CheckTicket)) => {
            enter(check_next(CheckForm::new(memory, None)), vec![], now)
        }
        (S::Greeting { memory }, E::UserSaid(text)) => match classify(&text) {
            Intent::Ticket { issue } => {
                enter(ticket_next(TicketForm::new(memory, issue)), vec![], now)
            }
            Intent::Callback { when } => {
                callback_from_opening(CallbackForm::new(memory), when, now)
            }
            Intent::Check { number } => {
                enter(check_next(CheckForm::new(memory, number)), vec![], now)
            }
            Intent::Hello | Intent::Thanks => enter(S::Greeting { memory }, vec![], now),
            Intent::Unclear => retry(
                S::Greeting { memory },
                "Sorry, I didn't quite get that.",
                now,
            ),
        },
        (S::Done { memory, outcome }, E::UserSaid(text)) => match classify(&text) {
            Intent::Ticket { issue } => {
                enter(ticket_next(TicketForm::new(memory, issue)), vec![], now)
            }
            Intent::Callback { when } => {
                callback_from_opening(CallbackForm::new(memory), when, now)
            }
            Intent::Check { number } => {
                enter(check_next(CheckForm::new(memory, number)), vec![], now)
            }
            Intent::Hello => enter(S::Done { memory, outcome }, vec![], now),
            Intent::Thanks => (
                S::Done { memory, outcome },
                vec![reply("You're welcome! Have a good day.", &[])],
            ),
            Intent::Unclear => retry(
                S::Done { memory, outcome },
                "Sorry, I didn't quite get that.",
                now,
            ),
        },

        // ---- Ticket flow ----------------------------------------------------
        (S::AwaitingName { mut draft }, E::UserSaid(text)) => match parse_name(&text) {
            Ok(name) => {
                let thanks = format!("Thanks, {}!", name.greeting_name());
                draft.memory.contact.name = Some(name);
                enter_with_lead(ticket_next(draft), &thanks, now)
            }
            Err(e) => retry(S::AwaitingName { draft }, &e.to_string(), now),
        },
        (S::AwaitingEmail { draft }, E::UserSaid(text)) => email_answer(draft, &text, now),
        (
            S::ConfirmingEmailSuggestion {
                mut draft,
                suggested,
                ..
            },
            E::QuickReplyChosen(Q::Yes),
        ) => {
            draft.memory.contact.email = Some(suggested);
            enter(ticket_next(draft), vec![], now)
        }
        (
            S::ConfirmingEmailSuggestion {
                mut draft, typed, ..
            },
            E::QuickReplyChosen(Q::No),
        ) => {
            let lead = format!("OK, I'll use {typed}.");
            draft.memory.contact.email = Some(typed);
            enter_with_lead(ticket_next(draft), &lead, now)
        }
        (S::ConfirmingEmailSuggestion { draft, .. }, E::UserSaid(text)) => {
            email_answer(draft, &text, now)
        }
        (S::AwaitingPhone { mut draft }, E::UserSaid(text)) => {
            match normalize_phone(&text, now.region) {
                Ok(phone) => {
                    draft.memory.contact.phone_e164 = Some(phone);
                    enter(ticket_next(draft), vec![], now)
                }
                Err(e) => retry(S::AwaitingPhone { draft }, &e.to_string(), now),
            }
        }
        (S::AwaitingIssue { mut draft }, E::UserSaid(text)) => match validate_issue(&text) {
            Ok(issue) => {
                draft.issue = Some(issue);
                enter(ticket_next(draft), vec![], now)
            }
            Err(e) => retry(S::AwaitingIssue { draft }, &e.to_string(), now),
        },
        (S::SearchingArticles { draft }, E::ArticlesFound(mut articles))
            if !articles.is_empty() =>
        {
            articles.truncate(3);
            enter(S::SuggestingArticles { draft, articles }, vec![], now)
        }
        (S::SearchingArticles { mut draft }, E::ArticlesFound(_) | E::ArticleSearchFailed) => {
            draft.articles_checked = true;
            enter(ticket_next(draft), vec![], now)
        }
        (S::SuggestingArticles { draft, .. }, E::QuickReplyChosen(Q::Solved)) => enter(
            S::Done {
                memory: draft.memory,
                outcome: Outcome::SolvedByArticle,
            },
            vec![reply("Great, glad that helped!", &[])],
            now,
        ),
        (S::SuggestingArticles { mut draft, .. }, E::QuickReplyChosen(Q::StillNeedHelp)) => {
            draft.articles_checked = true;
            enter_with_lead(
                ticket_next(draft),
                "No problem, let's create a ticket.",
                now,
            )
        }
        (S::Confirming { draft }, E::QuickReplyChosen(Q::Submit)) => match draft.draft() {
            Some(ticket) => (
                S::Submitting { draft },
                vec![
                    reply("Sending your ticket now.", &[]),
                    Action::ShowTyping,
                    Action::CreateTicket(ticket),
                ],
            ),
            None => enter(ticket_next(draft), vec![], now),
        },
        (S::Confirming { draft }, E::QuickReplyChosen(Q::Edit)) => {
            enter(S::EditingField { draft }, vec![], now)
        }
        (S::EditingField { mut draft }, E::QuickReplyChosen(Q::EditName)) => {
            draft.memory.contact.name = None;
            enter(ticket_next(draft), vec![], now)
        }
        (S::EditingField { mut draft }, E::QuickReplyChosen(Q::EditEmail)) => {
            draft.memory.contact.email = None;
            enter(ticket_next(draft), vec![], now)
        }
        (S::EditingField { mut draft }, E::QuickReplyChosen(Q::EditPhone)) => {
            draft.memory.contact.phone_e164 = None;
            enter(ticket_next(draft), vec![], now)
        }
        (S::EditingField { mut draft }, E::QuickReplyChosen(Q::EditIssue)) => {
            draft.issue = None;
            enter(ticket_next(draft), vec![], now)
        }
        (S::Submitting { draft }, E::TicketCreated { number, id }) => {
            let email = draft.memory.contact.email.clone().unwrap_or_default();
            enter(
                S::Done {
                    memory: draft.memory,
                    outcome: Outcome::TicketCreated {
                        number: number.clone(),
                        id,
                    },
                },
                vec![reply(
                    format!(
                        "Done! Your ticket number is #{number}. Our team will reply to {email}."
                    ),
                    &[],
                )],
                now,
            )
        }
        (S::Submitting { draft }, E::SendQueued) => enter(
            S::Done {
                memory: draft.memory,
                outcome: Outcome::TicketQueued,
            },
            vec![reply(QUEUED_TICKET, &[])],
            now,
        ),
        (
            S::Submitting { draft },
            E::SendFailed {
                permanent: false, ..
            },
        ) => enter(
            S::Done {
                memory: draft.memory,
                outcome: Outcome::TicketQueued,
            },
            vec![reply(RETRYING_TICKET, &[])],
            now,
        ),
        (
            S::Submitting { draft },
            E::SendFailed {
                permanent: true,
                reason,
                field_errors,
            },
        ) => (
            S::Confirming { draft },
            vec![reply(
                rejected_text("the ticket", &reason, &field_errors),
                &[Q::Edit, Q::Cancel],
            )],
        ),

        // ---- Callback flow --------------------------------------------------
        (S::AwaitingCallbackTime { draft }, E::UserSaid(text)) => time_answer(draft, &text, now),
        (
            S::ConfirmingCallbackTime {
                mut draft,
                proposed,
            },
            E::QuickReplyChosen(Q::Confirm),
        ) => {
            draft.when = Some(proposed);
            enter(callback_next(draft), vec![], now)
        }
        (S::ConfirmingCallbackTime { draft, .. }, E::QuickReplyChosen(Q::Change)) => {
            enter(S::AwaitingCallbackTime { draft }, vec![], now)
        }
        (S::ConfirmingCallbackTime { draft, .. }, E::UserSaid(text)) => {
            time_answer(draft, &text, now)
        }
        (S::AwaitingCallbackPhone { mut draft }, E::UserSaid(text)) => {
            match normalize_phone(&text, now.region) {
                Ok(phone) => {
                    draft.memory.contact.phone_e164 = Some(phone);
                    enter(callback_next(draft), vec![], now)
                }
                Err(e) => retry(S::AwaitingCallbackPhone { draft }, &e.to_string(), now),
            }
        }
        (S::AwaitingCallbackName { mut draft }, E::UserSaid(text)) => match parse_name(&text) {
            Ok(name) => {
                let thanks = format!("Thanks, {}!", name.greeting_name());
                draft.memory.contact.name = Some(name);
                enter_with_lead(callback_next(draft), &thanks, now)
            }
            Err(e) => retry(S::AwaitingCallbackName { draft }, &e.to_string(), now),
        },
        (S::AwaitingCallbackNote { mut draft }, E::QuickReplyChosen(Q::Skip)) => {
            draft.note = None;
            draft.note_asked = true;
            enter(callback_next(draft), vec![], now)
        }
        (S::AwaitingCallbackNote { mut draft }, E::UserSaid(text)) => {
            let note = text.trim();
            draft.note = (!note.is_empty()).then(|| note.to_string());
            draft.note_asked = true;
            enter(callback_next(draft), vec![], now)
        }
        (S::ConfirmingCallback { mut draft }, E::QuickReplyChosen(Q::Confirm)) => {
            match draft.draft(now) {
                Some(callback) => (
                    S::SchedulingCallback { draft },
                    vec![
                        reply("Booking your callback now.", &[]),
                        Action::ShowTyping,
                        Action::ScheduleCallback(callback),
                    ],
                ),
                None if draft.when.as_ref().is_some_and(|w| w.utc <= now.at) => {
                    draft.when = None;
                    retry(
                        S::AwaitingCallbackTime { draft },
                        "That time has passed in the meantime.",
                        now,
                    )
                }
                None => enter(callback_next(draft), vec![], now),
            }
        }
        (S::ConfirmingCallback { draft }, E::QuickReplyChosen(Q::Edit)) => {
            enter(S::EditingCallbackField { draft }, vec![], now)
        }
        (S::EditingCallbackField { mut draft }, E::QuickReplyChosen(Q::EditTime)) => {
            draft.when = None;
            enter(callback_next(draft), vec![], now)
        }
        (S::EditingCallbackField { mut draft }, E::QuickReplyChosen(Q::EditPhone)) => {
            draft.memory.contact.phone_e164 = None;
            enter(callback_next(draft), vec![], now)
        }
        (S::EditingCallbackField { mut draft }, E::QuickReplyChosen(Q::EditName)) => {
            draft.memory.contact.name = None;
            enter(callback_next(draft), vec![], now)
        }
        (S::EditingCallbackField { mut draft }, E::QuickReplyChosen(Q::EditNote)) => {
            draft.note = None;
            draft.note_asked = false;
            enter(callback_next(draft), vec![], now)
        }
        (S::SchedulingCallback { draft }, E::CallbackCreated { number, id }) => {
            let when = draft
                .when
                .as_ref()
                .map(|w| w.local_text.clone())
                .unwrap_or_default();
            enter(
                S::Done {
                    memory: draft.memory,
                    outcome: Outcome::CallbackCreated {
                        number: number.clone(),
                        id,
                    },
                },
                vec![reply(
                    format!("Done! Your callback is booked for {when}. Reference #{number}."),
                    &[],
                )],
                now,
            )
        }
        (S::SchedulingCallback { draft }, E::SendQueued) => enter(
            S::Done {
                memory: draft.memory,
                outcome: Outcome::CallbackQueued,
            },
            vec![reply(QUEUED_CALLBACK, &[])],
            now,
        ),
        (
            S::SchedulingCallback { draft },
            E::SendFailed {
                permanent: false, ..
            },
        ) => enter(
            S::Done {
                memory: draft.memory,
                outcome: Outcome::CallbackQueued,
            },
            vec![reply(RETRYING_CALLBACK, &[])],
            now,
        ),
        (
            S::SchedulingCallback { draft },
            E::SendFailed {
                permanent: true,
                reason,
                field_errors,
            },
        ) => (
            S::ConfirmingCallback { draft },
            vec![reply(
                rejected_text("the callback", &reason, &field_errors),
                &[Q::Edit, Q::Cancel],
            )],
        ),

        // ---- Check-a-ticket flow ------------------------------------------
        (S::AwaitingTicketNumber { mut draft }, E::UserSaid(text)) => {
            match parse_ticket_number(&text) {
                Ok(number) => {
                    draft.number = Some(number);
                    enter(check_next(draft), vec![], now)
                }
                Err(e) => retry(S::AwaitingTicketNumber { draft }, &e.to_string(), now),
            }
        }
        (S::AwaitingTicketEmail { mut draft }, E::UserSaid(text)) => match normalize_email(&text) {
            Ok(email) => {
                draft.memory.contact.email = Some(email);
                enter(check_next(draft), vec![], now)
            }
            Err(e) => retry(S::AwaitingTicketEmail { draft }, &e.to_string(), now),
        },
        (
            S::CheckingTicket { draft, .. },
            E::TicketStatusFound {
                status,
                email_matches: true,
                ..
            },
        ) => {
            let number = draft.number.clone().unwrap_or_default();
            enter(
                S::Done {
                    memory: draft.memory,
                    outcome: Outcome::TicketChecked,
                },
                vec![reply(format!("Ticket #{number} is: {status}."), &[])],
                now,
            )
        }
        (
            S::CheckingTicket { draft, .. },
            E::TicketStatusFound {
                email_matches: false,
                ..
            }
            | E::TicketNotFound,
        ) => enter(
            S::Done {
                memory: draft.memory,
                outcome: Outcome::TicketChecked,
            },
            // The same words whether the number is unknown or the email does
            // not match: the answer must not reveal that a ticket exists.
            vec![reply(NOT_FOUND, &[])],
            now,
        ),
        (S::CheckingTicket { draft, .. }, E::StatusLookupFailed) => enter(
            S::Done {
                memory: draft.memory,
                outcome: Outcome::TicketChecked,
            },
            vec![reply(
                "I couldn't reach our help desk just now. Please try again in a few minutes.",
                &[],
            )],
            now,
        ),

        // ---- Waiting for the caller: typing meanwhile gets a holding reply ---
        (
            state @ (S::SearchingArticles { .. }
            | S::Submitting { .. }
            | S::SchedulingCallback { .. }
            | S::CheckingTicket { .. }),
            E::UserSaid(_),
        ) => {
            let text = match &state {
                S::SearchingArticles { .. } => {
                    "One moment, I'm still looking for articles that might help."
                }
                S::CheckingTicket { .. } => "One moment, I'm still looking that up.",
                _ => "One moment, I'm still sending it.",
            };
            (state, vec![reply(text, &[])])
        }

        // ---- Outbox news about an earlier submission, in any other state ----
        (state, E::TicketCreated { number, .. }) => (
            state,
            vec![reply(
                format!("Good news: your ticket has been created. Its number is #{number}."),
                &[],
            )],
        ),
        (state, E::CallbackCreated { number, .. }) => (
            state,
            vec![reply(
                format!("Good news: your callback has been booked. Reference #{number}."),
                &[],
            )],
        ),
        (
            state,
            E::SendFailed {
                permanent: true,
                reason,
                field_errors,
            },
        ) => (
            state,
            vec![reply(
                format!(
                    "{}\nIt is kept, so it can be corrected and sent again.",
                    rejected_reason("an earlier request", &reason, &field_errors)
                ),
                &[],
            )],
        ),

        // ---- Anything else --------------------------------------------------
        // A button from an earlier question, or text where only buttons fit:
        // the current question again.
        (state, E::QuickReplyChosen(_)) => {
            let actions = prompt(&state, now);
            (state, actions)
        }
        (state, E::UserSaid(_)) => retry(state, "Please pick one of the options below.", now),
        // Answers nobody is waiting for (late, or after "New conversation").
        (
            state,
            E::ArticlesFound(_)
            | E::ArticleSearchFailed
            | E::SendQueued
            | E::SendFailed { .. }
            | E::TicketStatusFound { .. }
            | E::TicketNotFound
            | E::StatusLookupFailed,
        ) => (state, vec![]),
    }
}

const QUEUED_TICKET: &str = "Your ticket is saved and queued: it will be sent as soon as our help desk can be reached. \
     It won't be lost, even if you close the app. I'll tell you its number when it's through.";
const RETRYING_TICKET: &str = "Our help desk isn't answering right now. Your ticket is saved and I'm still trying; \
     I'll tell you its number when it's through.";
const QUEUED_CALLBACK: &str = "Your callback request is saved and queued: it will be sent as soon as our help desk can be reached. \
     It won't be lost, even if you close the app.";
const RETRYING_CALLBACK: &str =
    "Our help desk isn't answering right now. Your callback request is saved and I'm still trying.";
const NOT_FOUND: &str = "I couldn't find a ticket with that number and email address. \
     Please check both and try again.";

/// Next question of the ticket flow: the knowledge base first once the issue
/// is known, then the first missing field, then the summary.
/// -> `SearchingArticles` | `AwaitingName` | `AwaitingEmail` | `AwaitingPhone`
/// | `AwaitingIssue` | `Confirming`
fn ticket_next(draft: TicketForm) -> State {
    let contact = &draft.memory.contact;
    if draft.issue.is_some() && !draft.articles_checked {
        State::SearchingArticles { draft }
    } else if contact.name.is_none() {
        State::AwaitingName { draft }
    } else if contact.email.is_none() {
        State::AwaitingEmail { draft }
    } else if contact.phone_e164.is_none() {
        State::AwaitingPhone { draft }
    } else if draft.issue.is_none() {
        State::AwaitingIssue { draft }
    } else {
        State::Confirming { draft }
    }
}

/// Next question of the callback flow: time, phone, name, note, summary.
/// -> `AwaitingCallbackTime` | `AwaitingCallbackPhone` | `AwaitingCallbackName`
/// | `AwaitingCallbackNote` | `ConfirmingCallback`
fn callback_next(draft: CallbackForm) -> State {
    let contact = &draft.memory.contact;
    if draft.when.is_none() {
        State::AwaitingCallbackTime { draft }
    } else if contact.phone_e164.is_none() {
        State::AwaitingCallbackPhone { draft }
    } else if contact.name.is_none() {
        State::AwaitingCallbackName { draft }
    } else if !draft.note_asked {
        State::AwaitingCallbackNote { draft }
    } else {
        State::ConfirmingCallback { draft }
    }
}

/// Next question of the check flow: number, email (unless known), look-up.
/// -> `AwaitingTicketNumber` | `AwaitingTicketEmail` | `CheckingTicket`
fn check_next(draft: CheckForm) -> State {
    match (&draft.number, draft.memory.contact.email.clone()) {
        (None, _) => State::AwaitingTicketNumber { draft },
        (Some(_), None) => State::AwaitingTicketEmail { draft },
        (Some(_), Some(email)) => State::CheckingTicket { draft, email },
    }
}

/// An email answer in the ticket flow.
/// -> `ConfirmingEmailSuggestion` (a likely typo) | `AwaitingEmail` (invalid) | `ticket_next`
fn email_answer(mut draft: TicketForm, text: &str, now: &Now) -> (State, Vec<Action>) {
    match normalize_email(text) {
        Ok(email) => match suggest_email(&email) {
            Some(suggested) => enter(
                State::ConfirmingEmailSuggestion {
                    draft,
                    typed: email,
                    suggested,
                },
                vec![],
                now,
            ),
            None => {
                draft.memory.contact.email = Some(email);
                enter(ticket_next(draft), vec![], now)
            }
        },
        Err(e) => retry(State::AwaitingEmail { draft }, &e.to_string(), now),
    }
}

/// A callback time answer.
/// -> `ConfirmingCallbackTime` | `AwaitingCallbackTime` (with the reason)
fn time_answer(draft: CallbackForm, text: &str, now: &Now) -> (State, Vec<Action>) {
    match parse_when(text, now.local()) {
        Ok(at) => enter(
            State::ConfirmingCallbackTime {
                draft,
                proposed: callback_time(&at),
            },
            vec![],
            now,
        ),
        Err(e) => retry(State::AwaitingCallbackTime { draft }, &e.to_string(), now),
    }
}

/// A callback asked for in the opening message, maybe with a time ("call me
/// back tomorrow at 2pm"). Words that are not a time at all are not an error
/// here (the person did not answer a question yet), so the time is simply
/// asked; a time that is doubtful or past is asked again with the reason.
/// -> `ConfirmingCallbackTime` | `AwaitingCallbackTime`
fn callback_from_opening(
    draft: CallbackForm,
    when: Option<String>,
    now: &Now,
) -> (State, Vec<Action>) {
    match when.map(|text| parse_when(&text, now.local())) {
        Some(Ok(at)) => enter(
            State::ConfirmingCallbackTime {
                draft,
                proposed: callback_time(&at),
            },
            vec![],
            now,
        ),
        Some(Err(e)) if !matches!(e, WhenError::Unrecognised | WhenError::Empty) => {
            retry(State::AwaitingCallbackTime { draft }, &e.to_string(), now)
        }
        _ => enter(State::AwaitingCallbackTime { draft }, vec![], now),
    }
}

fn callback_time(at: &chrono::DateTime<chrono_tz::Tz>) -> CallbackTime {
    CallbackTime {
        utc: at.to_utc(),
        local_text: format_when(at),
        time_zone: at.timezone().name().to_string(),
    }
}

/// Enter `state`: `lead` first, then its question.
fn enter(state: State, lead: Vec<Action>, now: &Now) -> (State, Vec<Action>) {
    let mut actions = lead;
    actions.extend(prompt(&state, now));
    (state, actions)
}

/// Enter `state` with a short lead-in joined to its question ("Thanks, Ann! What email …").
fn enter_with_lead(state: State, lead: &str, now: &Now) -> (State, Vec<Action>) {
    let actions = prompt_with_reason(&state, lead, now);
    (state, actions)
}

/// Stay in `state` and ask its question again, with the reason in front.
fn retry(state: State, reason: &str, now: &Now) -> (State, Vec<Action>) {
    let actions = prompt_with_reason(&state, reason, now);
    (state, actions)
}

fn rejected_reason(what: &str, reason: &str, field_errors: &[FieldError]) -> String {
    let mut text = format!("Our help desk didn't accept {what}: {reason}");
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    for error in field_errors {
        text.push_str(&format!("\n- {}: {}", error.field, error.message));
    }
    text
}

fn rejected_text(what: &str, reason: &str, field_errors: &[FieldError]) -> String {
    format!(
        "{}\nYou can edit it and send it again, or cancel.",
        rejected_reason(what, reason, field_errors)
    )
}

/// "4,000".
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The button a typed text stands for in `state`, if any: its label or a
/// plain synonym ("yes", "skip"), among the buttons the state offers; and
/// "cancel" (or "stop", "never mind") wherever a flow can be cancelled.
fn button_for(state: &State, text: &str, now: &Now) -> Option<QuickReplyId> {
    let typed: String = text
        .trim()
        .trim_end_matches(['.', '!', '?'])
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut offered: Vec<QuickReplyId> = prompt(state, now)
        .into_iter()
        .filter_map(|a| match a {
            Action::Reply { quick_replies, .. } => Some(quick_replies),
            _ => None,
        })
        .flatten()
        .map(|q| q.id)
        .collect();
    if state.can_cancel() {
        offered.push(QuickReplyId::Cancel);
    }
    offered
        .into_iter()
        .find(|id| id.label().to_lowercase() == typed || id.synonyms().contains(&typed.as_str()))
}

impl State {
    /// What the conversation remembers, whatever the state.
    pub fn memory(&self) -> &Memory {
        match self {
            State::Greeting { memory } | State::Done { memory, .. } => memory,
            State::AwaitingName { draft }
            | State::AwaitingEmail { draft }
            | State::ConfirmingEmailSuggestion { draft, .. }
            | State::AwaitingPhone { draft }
            | State::AwaitingIssue { draft }
            | State::SearchingArticles { draft }
            | State::SuggestingArticles { draft, .. }
            | State::Confirming { draft }
            | State::EditingField { draft }
            | State::Submitting { draft } => &draft.memory,
            State::AwaitingCallbackTime { draft }
            | State::ConfirmingCallbackTime { draft, .. }
            | State::AwaitingCallbackPhone { draft }
            | State::AwaitingCallbackName { draft }
            | State::AwaitingCallbackNote { draft }
            | State::ConfirmingCallback { draft }
            | State::EditingCallbackField { draft }
            | State::SchedulingCallback { draft } => &draft.memory,
            State::AwaitingTicketNumber { draft }
            | State::AwaitingTicketEmail { draft }
            | State::CheckingTicket { draft, .. } => &draft.memory,
        }
    }

    fn memory_mut(&mut self) -> &mut Memory {
        match self {
            State::Greeting { memory } | State::Done { memory, .. } => memory,
            State::AwaitingName { draft }
            | State::AwaitingEmail { draft }
            | State::ConfirmingEmailSuggestion { draft, .. }
            | State::AwaitingPhone { draft }
            | State::AwaitingIssue { draft }
            | State::SearchingArticles { draft }
            | State::SuggestingArticles { draft, .. }
            | State::Confirming { draft }
            | State::EditingField { draft }
            | State::Submitting { draft } => &mut draft.memory,
            State::AwaitingCallbackTime { draft }
            | State::ConfirmingCallbackTime { draft, .. }
            | State::AwaitingCallbackPhone { draft }
            | State::AwaitingCallbackName { draft }
            | State::AwaitingCallbackNote { draft }
            | State::ConfirmingCallback { draft }
            | State::EditingCallbackField { draft }
            | State::SchedulingCallback { draft } => &mut draft.memory,
            State::AwaitingTicketNumber { draft }
            | State::AwaitingTicketEmail { draft }
            | State::CheckingTicket { draft, .. } => &mut draft.memory,
        }
    }

    fn into_memory(self) -> Memory {
        match self {
            State::Greeting { memory } | State::Done { memory, .. } => memory,
            State::AwaitingName { draft }
            | State::AwaitingEmail { draft }
            | State::ConfirmingEmailSuggestion { draft, .. }
            | State::AwaitingPhone { draft }
            | State::AwaitingIssue { draft }
            | State::SearchingArticles { draft }
            | State::SuggestingArticles { draft, .. }
            | State::Confirming { draft }
            | State::EditingField { draft }
            | State::Submitting { draft } => draft.memory,
            State::AwaitingCallbackTime { draft }
            | State::ConfirmingCallbackTime { draft, .. }
            | State::AwaitingCallbackPhone { draft }
            | State::AwaitingCallbackName { draft }
            | State::AwaitingCallbackNote { draft }
            | State::ConfirmingCallback { draft }
            | State::EditingCallbackField { draft }
            | State::SchedulingCallback { draft } => draft.memory,
            State::AwaitingTicketNumber { draft }
            | State::AwaitingTicketEmail { draft }
            | State::CheckingTicket { draft, .. } => draft.memory,
        }
    }

    /// A flow is being gathered and can still be dropped with Cancel: nothing
    /// has gone to the outbox or to Desk yet.
    pub fn can_cancel(&self) -> bool {
        !matches!(
            self,
            State::Greeting { .. }
                | State::Done { .. }
                | State::Submitting { .. }
                | State::SchedulingCallback { .. }
                | State::CheckingTicket { .. }
        )
    }
}
