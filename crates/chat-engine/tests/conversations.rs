//! Whole conversations through `step`, checking what the drafts carry, the
//! transcript, that known fields are not asked again, and that the state
//! survives being persisted (JSON) at every step.

use chat_engine::{
    Action, CallbackDraft, Event, Now, QuickReplyId as Q, Region, Speaker, State, TicketDraft,
    step, validate::MAX_INPUT_CHARS,
};
use chrono::{TimeZone, Utc};

fn berlin() -> Now {
    Now::new(
        Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
        chrono_tz::Europe::Berlin,
        Region::DE,
    )
}

/// Drives a conversation, persisting and restoring the state between steps
/// as the app does.
struct Chat {
    state: State,
    now: Now,
    last: Vec<Action>,
}

impl Chat {
    fn new(now: Now) -> Self {
        let mut chat = Chat {
            state: State::default(),
            now,
            last: vec![],
        };
        chat.send(Event::Started);
        chat
    }

    fn send(&mut self, event: Event) -> &[Action] {
        let json = serde_json::to_string(&self.state).unwrap();
        let restored: State = serde_json::from_str(&json).unwrap();
        assert_eq!(restored, self.state, "state survives persistence");
        let (next, actions) = step(restored, event, self.now);
        self.state = next;
        self.last = actions;
        &self.last
    }

    fn say(&mut self, text: &str) -> &[Action] {
        self.send(Event::UserSaid(text.to_string()))
    }

    fn press(&mut self, id: Q) -> &[Action] {
        self.send(Event::QuickReplyChosen(id))
    }

    fn variant(&self) -> String {
        serde_json::to_value(&self.state).unwrap()["state"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn replies(&self) -> String {
        self.last
            .iter()
            .filter_map(|a| match a {
                Action::Reply { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn ticket(&self) -> TicketDraft {
        self.last
            .iter()
            .find_map(|a| match a {
                Action::CreateTicket(d) => Some(d.clone()),
                _ => None,
            })
            .expect("a CreateTicket action")
    }

    fn callback(&self) -> CallbackDraft {
        self.last
            .iter()
            .find_map(|a| match a {
                Action::ScheduleCallback(d) => Some(d.clone()),
                _ => None,
            })
            .expect("a ScheduleCallback action")
    }
}

#[test]
fn a_whole_ticket_then_a_callback_that_asks_nothing_twice() {
    let mut chat = Chat::new(berlin());
    chat.press(Q::CreateTicket);
    chat.say("Ann Lee");
    chat.say("ann@gmial.com");
    assert_eq!(chat.variant(), "confirming_email_suggestion");
    chat.press(Q::Yes);
    chat.say("030 1234 5678");
    chat.say("My invoice is wrong.\nIt lists 5 seats, we have 3.");
    assert!(matches!(
        &chat.last[..],
        [Action::ShowTyping, Action::SearchArticles { .. }]
    ));
    chat.send(Event::ArticlesFound(vec![]));
    assert_eq!(chat.variant(), "confirming");
    chat.press(Q::Submit);
    let draft = chat.ticket();
    assert_eq!(draft.first_name, "Ann");
    assert_eq!(draft.last_name, "Lee");
    assert_eq!(draft.email, "ann@gmail.com");
    assert_eq!(draft.phone_e164, "+493012345678");
    assert_eq!(
        draft.issue,
        "My invoice is wrong.\nIt lists 5 seats, we have 3."
    );
    // The transcript has both sides, stamped with `now`, up to "Submit".
    assert!(draft.transcript.iter().all(|t| t.at == berlin().at));
    assert!(
        draft
            .transcript
            .iter()
            .any(|t| t.from == Speaker::Person && t.text == "Ann Lee")
    );
    assert!(
        draft
            .transcript
            .iter()
            .any(|t| t.from == Speaker::Bot && t.text.contains("What's your name?"))
    );
    assert_eq!(draft.transcript.last().unwrap().text, "Submit");

    chat.send(Event::SendQueued);
    assert!(chat.replies().contains("queued"));
    chat.press(Q::ScheduleCallback);
    chat.say("tomorrow at 2 PM");
    chat.press(Q::Confirm);
    // Phone and name are known from the ticket: straight to the note.
    assert_eq!(chat.variant(), "awaiting_callback_note");
    chat.send(Event::TicketCreated {
        number: "1042".into(),
        id: "1".into(),
    });
    assert!(chat.replies().contains("#1042"));
    assert_eq!(chat.variant(), "awaiting_callback_note");
    chat.say("no");
    chat.press(Q::Confirm);
    let callback = chat.callback();
    assert_eq!(callback.last_name, "Lee");
    assert_eq!(callback.phone_e164, "+493012345678");
    assert_eq!(callback.email.as_deref(), Some("ann@gmail.com"));
    assert_eq!(
        callback.when_utc,
        Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap()
    );
    assert_eq!(
        callback.when_local_text,
        "Tuesday 1 December 2026, 14:00 (Europe/Berlin)"
    );
    assert_eq!(callback.time_zone, "Europe/Berlin");
    assert_eq!(callback.note, None);
    chat.send(Event::CallbackCreated {
        number: "1043".into(),
        id: "2".into(),
    });
    assert!(chat.replies().contains("#1043"));
    assert_eq!(chat.variant(), "done");
}

#[test]
fn an_opening_issue_is_not_asked_again_and_an_article_can_end_the_chat() {
    let mut chat = Chat::new(berlin());
    chat.say("my invoice is wrong");
    chat.send(Event::ArticlesFound(vec![chat_engine::Article {
        id: "7".into(),
        title: "Correcting an invoice".into(),
        url: "https://help.example.com/kb/7".into(),
    }]));
    assert!(chat.replies().contains("Correcting an invoice"));
    chat.press(Q::StillNeedHelp);
    chat.say("Madonna");
    chat.say("m@example.com");
    chat.say("+44 20 7946 0958");
    // The issue came with the opening message: straight to the summary.
    assert_eq!(chat.variant(), "confirming");
    chat.say("send it");
    let draft = chat.ticket();
    assert_eq!(
        (draft.first_name.as_str(), draft.last_name.as_str()),
        ("", "Madonna")
    );
    assert_eq!(draft.issue, "my invoice is wrong");
    assert_eq!(draft.phone_e164, "+442079460958");

    let mut solved = Chat::new(berlin());
    solved.say("my invoice is wrong");
    solved.send(Event::ArticlesFound(vec![chat_engine::Article {
        id: "7".into(),
        title: "Correcting an invoice".into(),
        url: "https://help.example.com/kb/7".into(),
    }]));
    solved.press(Q::Solved);
    assert_eq!(solved.variant(), "done");
    assert!(
        !solved
            .last
            .iter()
            .any(|a| matches!(a, Action::CreateTicket(_)))
    );
}

#[test]
fn editing_a_field_returns_to_the_summary_and_a_refusal_can_be_fixed() {
    let mut chat = Chat::new(berlin());
    chat.say("The app crashes when I export to PDF");
    chat.send(Event::ArticleSearchFailed);
    chat.say("Ann Lee");
    chat.say("ann@example.com");
    chat.say("030 12345678");
    chat.press(Q::Edit);
    chat.press(Q::EditEmail);
    chat.say("ann.lee@example.com");
    assert_eq!(chat.variant(), "confirming");
    chat.press(Q::Submit);
    assert_eq!(chat.ticket().email, "ann.lee@example.com");
    chat.send(Event::SendFailed {
        reason: "Phone is invalid".into(),
        permanent: true,
        field_errors: vec![],
    });
    assert!(chat.replies().contains("Phone is invalid"));
    chat.press(Q::Edit);
    chat.press(Q::EditPhone);
    chat.say("0151 23456789");
    chat.press(Q::Submit);
    assert_eq!(chat.ticket().phone_e164, "+4915123456789");
}

#[test]
fn restarting_forgets_everything() {
    let mut chat = Chat::new(berlin());
    chat.press(Q::CreateTicket);
    chat.say("Ann Lee");
    chat.send(Event::Restarted);
    assert_eq!(chat.state, {
        let (s, _) = step(State::default(), Event::Started, berlin());
        s
    });
    chat.press(Q::CreateTicket);
    assert_eq!(chat.variant(), "awaiting_name");
}

#[test]
fn the_status_answer_does_not_reveal_whether_a_ticket_exists() {
    let mut wrong_email = Chat::new(berlin());
    wrong_email.say("status of ticket 123");
    wrong_email.say("eve@example.com");
    wrong_email.send(Event::TicketStatusFound {
        number: "123".into(),
        status: "Open".into(),
        email_matches: false,
    });
    let mut unknown = Chat::new(berlin());
    unknown.say("status of ticket 123");
    unknown.say("eve@example.com");
    unknown.send(Event::TicketNotFound);
    assert_eq!(wrong_email.last, unknown.last);
    assert!(!wrong_email.replies().contains("Open"));
}

#[test]
fn overlong_input_is_cut_with_a_notice_keeping_emoji_and_right_to_left_text() {
    let mut chat = Chat::new(berlin());
    chat.say("The invoice total is wrong");
    chat.send(Event::ArticlesFound(vec![]));
    chat.say("Ann Lee");
    chat.say("ann@example.com");
    chat.say("030 12345678");
    chat.press(Q::Edit);
    chat.press(Q::EditIssue);
    let line = "الفاتورة خاطئة 👩🏽‍💻 שלום 🇩🇪 ";
    let long = line.repeat(MAX_INPUT_CHARS / line.chars().count() + 5);
    chat.say(&long);
    assert!(
        chat.replies()
            .starts_with("That was a long message, so I kept the first 4,000 characters."),
        "{}",
        chat.replies()
    );
    chat.press(Q::Submit);
    let issue = chat.ticket().issue;
    assert!(issue.chars().count() <= MAX_INPUT_CHARS);
    assert!(long.starts_with(&issue));
    // Whole lines of mixed-direction text and emoji, nothing mangled.
    assert!(issue.contains("👩🏽‍💻"));
    assert!(issue.contains("🇩🇪"));
    assert!(issue.contains("الفاتورة خاطئة"));
    let person_said = chat
        .state
        .memory()
        .transcript
        .iter()
        .find(|t| t.from == Speaker::Person && t.text.starts_with("الفاتورة"))
        .unwrap();
    assert_eq!(person_said.text, issue);
}

#[test]
fn short_emoji_and_right_to_left_text_are_kept_exactly() {
    let mut chat = Chat::new(berlin());
    chat.press(Q::CreateTicket);
    chat.say("محمد علي");
    let name = chat.state.memory().contact.name.clone().unwrap();
    assert_eq!(
        (name.first_name.as_str(), name.last_name.as_str()),
        ("محمد", "علي")
    );
    chat.say("m@example.com");
    chat.say("030 12345678");
    chat.say("הקובץ לא נפתח 😢 בכלל");
    chat.send(Event::ArticleSearchFailed);
    chat.press(Q::Submit);
    assert_eq!(chat.ticket().issue, "הקובץ לא נפתח 😢 בכלל");
}
