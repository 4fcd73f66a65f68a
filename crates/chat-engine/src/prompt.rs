//! What the bot says on entering each state: the question, its buttons and
//! any action needed to (re)enter it. The same text is used when a question is
//! asked again, with the reason in front, and when a conversation is resumed.

use crate::engine::{Action, State};
use crate::model::{Article, Now, QuickReply, QuickReplyId as Q, SummaryField};

/// The three things the chat can do, offered at the start and after each flow.
pub(crate) const MAIN_MENU: [Q; 3] = [Q::CreateTicket, Q::ScheduleCallback, Q::CheckTicket];

pub(crate) fn reply(text: impl Into<String>, quick_replies: &[Q]) -> Action {
    Action::Reply {
        text: text.into(),
        quick_replies: quick_replies
            .iter()
            .copied()
            .map(QuickReply::from)
            .collect(),
    }
}

/// The actions that put `state` in front of the person.
pub(crate) fn prompt(state: &State, now: &Now) -> Vec<Action> {
    match state {
        State::Greeting { .. } => vec![reply(
            "Hi! I can create a support ticket, book a callback, or check on a ticket you already have. \
             What would you like to do? You can also just tell me what's wrong.",
            &MAIN_MENU,
        )],
        State::AwaitingName { .. } | State::AwaitingCallbackName { .. } => {
            vec![reply("What's your name?", &[])]
        }
        State::AwaitingEmail { .. } => vec![reply("What email address should we reply to?", &[])],
        State::ConfirmingEmailSuggestion { suggested, .. } => vec![reply(
            format!("Did you mean {suggested}?"),
            &[Q::Yes, Q::No],
        )],
        State::AwaitingPhone { .. } => vec![reply(
            format!(
                "What phone number can we reach you on? (If it has no country code, I'll assume {}.)",
                now.region.as_ref()
            ),
            &[],
        )],
        State::AwaitingIssue { .. } => vec![reply(
            "Please describe the issue. Several lines are fine; the more detail, the better.",
            &[],
        )],
        State::SearchingArticles { draft } => vec![
            Action::ShowTyping,
            Action::SearchArticles {
                query: draft.issue.clone().unwrap_or_default(),
            },
        ],
        State::SuggestingArticles { articles, .. } => vec![reply(
            articles_text(articles),
            &[Q::Solved, Q::StillNeedHelp],
        )],
        State::Confirming { draft } => {
            let contact = &draft.memory.contact;
            let fields = [
                ("Name", contact.name.as_ref().map(|n| n.full())),
                ("Email", contact.email.clone()),
                ("Phone", contact.phone_e164.clone()),
                ("Issue", draft.issue.clone()),
            ];
            vec![
                summary("Your ticket", &fields),
                reply(
                    "Here's your ticket. Shall I send it to our support team?",
                    &[Q::Submit, Q::Edit, Q::Cancel],
                ),
            ]
        }
        State::EditingField { .. } => vec![reply(
            "What would you like to change?",
            &[Q::EditName, Q::EditEmail, Q::EditPhone, Q::EditIssue],
        )],
        State::Submitting { .. } => vec![reply("One moment, I'm sending your ticket.", &[])],
        State::AwaitingCallbackTime { .. } => vec![reply(
            format!(
                "When should we call you? For example \"tomorrow at 2 PM\", \"Friday morning\" or \"in 2 hours\". \
                 I'll read it as {} time.",
                now.tz.name()
            ),
            &[],
        )],
        State::ConfirmingCallbackTime { proposed, .. } => vec![reply(
            format!("So that's {}. Is that right?", proposed.local_text),
            &[Q::Confirm, Q::Change],
        )],
        State::AwaitingCallbackPhone { .. } => vec![reply(
            format!(
                "What number should we call? (If it has no country code, I'll assume {}.)",
                now.region.as_ref()
            ),
            &[],
        )],
        State::AwaitingCallbackNote { .. } => vec![reply(
            "Anything our agent should know before calling? This is optional.",
            &[Q::Skip],
        )],
        State::ConfirmingCallback { draft } => {
            let contact = &draft.memory.contact;
            let fields = [
                ("Time", draft.when.as_ref().map(|w| w.local_text.clone())),
                ("Phone", contact.phone_e164.clone()),
                ("Name", contact.name.as_ref().map(|n| n.full())),
                ("Email", contact.email.clone()),
                ("Note", draft.note.clone()),
            ];
            vec![
                summary("Your callback", &fields),
                reply(
                    "Shall I book this callback?",
                    &[Q::Confirm, Q::Edit, Q::Cancel],
                ),
            ]
        }
        State::EditingCallbackField { .. } => vec![reply(
            "What would you like to change?",
            &[Q::EditTime, Q::EditPhone, Q::EditName, Q::EditNote],
        )],
        State::SchedulingCallback { .. } => {
            vec![reply("One moment, I'm booking your callback.", &[])]
        }
        State::AwaitingTicketNumber { .. } => vec![reply(
            "What's the ticket number? It's in the confirmation you got, like #1234.",
            &[],
        )],
        State::AwaitingTicketEmail { .. } => vec![reply(
            "And the email address the ticket was created with?",
            &[],
        )],
        State::CheckingTicket { draft, email } => vec![
            Action::ShowTyping,
            Action::LookUpTicket {
                number: draft.number.clone().unwrap_or_default(),
                email: email.clone(),
            },
        ],
        State::Done { .. } => vec![reply("Is there anything else I can help with?", &MAIN_MENU)],
    }
}

/// The question again, with the reason it is asked again in front.
pub(crate) fn prompt_with_reason(state: &State, reason: &str, now: &Now) -> Vec<Action> {
    let mut actions = prompt(state, now);
    match actions
        .iter_mut()
        .find(|a| matches!(a, Action::Reply { .. }))
    {
        Some(Action::Reply { text, .. }) => *text = format!("{reason} {text}"),
        _ => actions.insert(0, reply(reason, &[])),
    }
    actions
}

fn summary(title: &str, fields: &[(&str, Option<String>)]) -> Action {
    Action::ShowSummary {
        title: title.to_string(),
        fields: fields
            .iter()
            .filter_map(|(label, value)| {
                value.as_ref().map(|value| SummaryField {
                    label: (*label).to_string(),
                    value: value.clone(),
                })
            })
            .collect(),
    }
}

fn articles_text(articles: &[Article]) -> String {
    let mut text = if articles.len() == 1 {
        String::from("This article might help:")
    } else {
        String::from("These articles might help:")
    };
    for article in articles {
        text.push_str(&format!("\n- {}\n  {}", article.title, article.url));
    }
    text.push_str("\nDid that solve it?");
    text
}
