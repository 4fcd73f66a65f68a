//! Every transition of the engine, table-driven: (state, event) -> the next
//! state's variant and the actions, at a fixed `now` (Monday 30 November 2026,
//! 10:00 UTC; Europe/Berlin and region DE unless a row says New York / US).

use chat_engine::{
    Action, Article, CallbackForm, CallbackTime, CheckForm, Contact, Event, FieldError, Memory,
    Now, Outcome, PersonName, QuickReplyId as Q, Region, State, TicketForm, step,
};
use chrono::{TimeZone, Utc};

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

fn berlin() -> Now {
    Now::new(
        Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
        chrono_tz::Europe::Berlin,
        Region::DE,
    )
}

fn new_york() -> Now {
    Now::new(
        Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
        chrono_tz::America::New_York,
        Region::US,
    )
}

fn empty() -> Memory {
    Memory::default()
}

/// A conversation that already knows name, email and phone.
fn known() -> Memory {
    Memory {
        transcript: vec![],
        contact: Contact {
            name: Some(PersonName {
                first_name: "Ann".into(),
                last_name: "Lee".into(),
            }),
            email: Some("ann@example.com".into()),
            phone_e164: Some("+493012345678".into()),
        },
    }
}

/// Knows the name only.
fn named() -> Memory {
    let mut m = empty();
    m.contact.name = known().contact.name;
    m
}

fn ticket(memory: Memory, issue: Option<&str>, checked: bool) -> TicketForm {
    TicketForm {
        memory,
        issue: issue.map(str::to_string),
        articles_checked: checked,
    }
}

const ISSUE: &str = "My invoice is wrong";

fn full_ticket() -> TicketForm {
    ticket(known(), Some(ISSUE), true)
}

fn tomorrow_2pm() -> CallbackTime {
    CallbackTime {
        utc: Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap(),
        local_text: "Tuesday 1 December 2026, 14:00 (Europe/Berlin)".into(),
        time_zone: "Europe/Berlin".into(),
    }
}

fn callback(memory: Memory, when: Option<CallbackTime>, note_asked: bool) -> CallbackForm {
    CallbackForm {
        memory,
        when,
        note: None,
        note_asked,
    }
}

fn full_callback() -> CallbackForm {
    callback(known(), Some(tomorrow_2pm()), true)
}

fn check(memory: Memory, number: Option<&str>) -> CheckForm {
    CheckForm {
        memory,
        number: number.map(str::to_string),
    }
}

fn articles(n: usize) -> Vec<Article> {
    (1..=n)
        .map(|i| Article {
            id: i.to_string(),
            title: format!("Article {i}"),
            url: format!("https://help.example.com/kb/{i}"),
        })
        .collect()
}

fn said(text: &str) -> Event {
    Event::UserSaid(text.to_string())
}

fn chose(id: Q) -> Event {
    Event::QuickReplyChosen(id)
}

fn failed(permanent: bool) -> Event {
    Event::SendFailed {
        reason: "Invalid phone number".into(),
        permanent,
        field_errors: if permanent {
            vec![FieldError {
                field: "phone".into(),
                message: "is not valid".into(),
            }]
        } else {
            vec![]
        },
    }
}

// ---------------------------------------------------------------------------
// The table runner
// ---------------------------------------------------------------------------

/// An expected action: replies are matched by a piece of their text and
/// their exact buttons.
#[derive(Debug)]
enum Exp {
    Say(&'static str, &'static [Q]),
    Typing,
    Summary(&'static [&'static str]),
    Search(&'static str),
    Create,
    Schedule,
    LookUp(&'static str, &'static str),
}

struct Row {
    name: &'static str,
    state: State,
    event: Event,
    now: Now,
    next: &'static str,
    actions: Vec<Exp>,
}

fn row(
    name: &'static str,
    state: State,
    event: Event,
    next: &'static str,
    actions: Vec<Exp>,
) -> Row {
    Row {
        name,
        state,
        event,
        now: berlin(),
        next,
        actions,
    }
}

fn variant(state: &State) -> String {
    serde_json::to_value(state).unwrap()["state"]
        .as_str()
        .unwrap()
        .to_string()
}

fn matches(action: &Action, exp: &Exp) -> bool {
    match (action, exp) {
        (
            Action::Reply {
                text,
                quick_replies,
            },
            Exp::Say(piece, buttons),
        ) => {
            text.contains(piece)
                && quick_replies
                    .iter()
                    .map(|q| q.id)
                    .eq(buttons.iter().copied())
        }
        (Action::ShowTyping, Exp::Typing) => true,
        (Action::ShowSummary { fields, .. }, Exp::Summary(labels)) => fields
            .iter()
            .map(|f| f.label.as_str())
            .eq(labels.iter().copied()),
        (Action::SearchArticles { query }, Exp::Search(q)) => query == q,
        (Action::CreateTicket(_), Exp::Create) => true,
        (Action::ScheduleCallback(_), Exp::Schedule) => true,
        (Action::LookUpTicket { number, email }, Exp::LookUp(n, e)) => number == n && email == e,
        _ => false,
    }
}

fn run(rows: Vec<Row>) {
    let mut failures = Vec::new();
    for row in rows {
        let (next, actions) = step(row.state, row.event, row.now);
        let ok_state = variant(&next) == row.next;
        let ok_actions = actions.len() == row.actions.len()
            && actions.iter().zip(&row.actions).all(|(a, e)| matches(a, e));
        if !ok_state || !ok_actions {
            failures.push(format!(
                "{}:\n  next: {} (expected {})\n  actions: {:#?}\n  expected: {:#?}",
                row.name,
                variant(&next),
                row.next,
                actions,
                row.actions
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

use Exp::*;

const MENU: &[Q] = &[Q::CreateTicket, Q::ScheduleCallback, Q::CheckTicket];
const NONE: &[Q] = &[];

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

#[test]
fn anywhere_transitions() {
    run(vec![
        row(
            "start greets with the menu",
            State::default(),
            Event::Started,
            "greeting",
            vec![Say("Hi!", MENU)],
        ),
        row(
            "start after a restart asks the current question again",
            State::AwaitingEmail {
                draft: ticket(named(), None, false),
            },
            Event::Started,
            "awaiting_email",
            vec![Say("What email address", NONE)],
        ),
        row(
            "start while searching searches again",
            State::SearchingArticles {
                draft: ticket(empty(), Some(ISSUE), false),
            },
            Event::Started,
            "searching_articles",
            vec![Typing, Search(ISSUE)],
        ),
        row(
            "restart from the middle of a flow forgets everything",
            State::Confirming {
                draft: full_ticket(),
            },
            Event::Restarted,
            "greeting",
            vec![Say("Hi!", MENU)],
        ),
        row(
            "restart while submitting",
            State::Submitting {
                draft: full_ticket(),
            },
            Event::Restarted,
            "greeting",
            vec![Say("Hi!", MENU)],
        ),
        row(
            "cancel typed while asked for a name",
            State::AwaitingName {
                draft: ticket(empty(), None, false),
            },
            said("cancel"),
            "done",
            vec![Say("cancelled", NONE), Say("anything else", MENU)],
        ),
        row(
            "never mind typed while asked for a callback time",
            State::AwaitingCallbackTime {
                draft: callback(empty(), None, false),
            },
            said("never mind"),
            "done",
            vec![Say("cancelled", NONE), Say("anything else", MENU)],
        ),
        row(
            "cancel pressed on the summary",
            State::Confirming {
                draft: full_ticket(),
            },
            chose(Q::Cancel),
            "done",
            vec![Say("Nothing was sent", NONE), Say("anything else", MENU)],
        ),
        row(
            "cancel pressed while checking a ticket number",
            State::AwaitingTicketNumber {
                draft: check(empty(), None),
            },
            chose(Q::Cancel),
            "done",
            vec![Say("cancelled", NONE), Say("anything else", MENU)],
        ),
        row(
            "cancel cannot stop a submission already in the outbox",
            State::Submitting {
                draft: full_ticket(),
            },
            chose(Q::Cancel),
            "submitting",
            vec![Say("sending your ticket", NONE)],
        ),
        row(
            "a stale button asks the current question again",
            State::AwaitingName {
                draft: ticket(empty(), None, false),
            },
            chose(Q::Submit),
            "awaiting_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "a stale button on the menu shows the menu",
            State::default(),
            chose(Q::Yes),
            "greeting",
            vec![Say("Hi!", MENU)],
        ),
        row(
            "text where only buttons fit asks to pick one",
            State::Confirming {
                draft: full_ticket(),
            },
            said("hmm maybe"),
            "confirming",
            vec![
                Summary(&["Name", "Email", "Phone", "Issue"]),
                Say(
                    "Please pick one of the options below.",
                    &[Q::Submit, Q::Edit, Q::Cancel],
                ),
            ],
        ),
    ]);
}

#[test]
fn menu_transitions() {
    run(vec![
        row(
            "create a ticket asks the name",
            State::default(),
            chose(Q::CreateTicket),
            "awaiting_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "create a ticket typed as the label",
            State::default(),
            said("Create a ticket"),
            "awaiting_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "schedule a callback asks the time",
            State::default(),
            chose(Q::ScheduleCallback),
            "awaiting_callback_time",
            vec![Say("When should we call you?", NONE)],
        ),
        row(
            "check a ticket asks the number",
            State::default(),
            chose(Q::CheckTicket),
            "awaiting_ticket_number",
            vec![Say("What's the ticket number?", NONE)],
        ),
        row(
            "after a flow, a new ticket skips the known contact fields",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            chose(Q::CreateTicket),
            "awaiting_issue",
            vec![Say("describe the issue", NONE)],
        ),
        row(
            "after a flow, a callback starts with the time",
            State::Done {
                memory: known(),
                outcome: Outcome::SolvedByArticle,
            },
            chose(Q::ScheduleCallback),
            "awaiting_callback_time",
            vec![Say("When should we call you?", NONE)],
        ),
        row(
            "after a flow, checking a ticket asks the number",
            State::Done {
                memory: known(),
                outcome: Outcome::Cancelled,
            },
            chose(Q::CheckTicket),
            "awaiting_ticket_number",
            vec![Say("ticket number", NONE)],
        ),
    ]);
}

#[test]
fn opening_text_transitions() {
    run(vec![
        row(
            "an issue-like sentence is kept as the issue and searched",
            State::default(),
            said(ISSUE),
            "searching_articles",
            vec![Typing, Search(ISSUE)],
        ),
        row(
            "asking for help starts a ticket",
            State::default(),
            said("I need help"),
            "awaiting_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "a callback with a time is echoed for confirmation",
            State::default(),
            said("Please call me back tomorrow at 2pm"),
            "confirming_callback_time",
            vec![Say(
                "Tuesday 1 December 2026, 14:00 (Europe/Berlin)",
                &[Q::Confirm, Q::Change],
            )],
        ),
        row(
            "a callback with a day but no time asks what time",
            State::default(),
            said("call me back tomorrow"),
            "awaiting_callback_time",
            vec![Say("What time tomorrow? When should we call you?", NONE)],
        ),
        row(
            "a callback without a time asks the time",
            State::default(),
            said("I'd like a callback"),
            "awaiting_callback_time",
            vec![Say("When should we call you?", NONE)],
        ),
        row(
            "a status question with a number asks the email",
            State::default(),
            said("status of ticket 123"),
            "awaiting_ticket_email",
            vec![Say("email address the ticket was created with", NONE)],
        ),
        row(
            "a status question with a number and a known email looks it up",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            said("status of ticket 123"),
            "checking_ticket",
            vec![Typing, LookUp("123", "ann@example.com")],
        ),
        row(
            "check my ticket asks the number",
            State::default(),
            said("check my ticket"),
            "awaiting_ticket_number",
            vec![Say("ticket number", NONE)],
        ),
        row(
            "hello is greeted back",
            State::default(),
            said("hello"),
            "greeting",
            vec![Say("Hi!", MENU)],
        ),
        row(
            "thanks on the menu shows the menu",
            State::default(),
            said("thanks"),
            "greeting",
            vec![Say("Hi!", MENU)],
        ),
        row(
            "unclear text offers the menu again",
            State::default(),
            said("blah"),
            "greeting",
            vec![Say("Sorry, I didn't quite get that. Hi!", MENU)],
        ),
        row(
            "after a flow, thanks is answered",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            said("thank you"),
            "done",
            vec![Say("You're welcome", NONE)],
        ),
        row(
            "after a flow, hello shows the menu",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            said("hi"),
            "done",
            vec![Say("anything else", MENU)],
        ),
        row(
            "after a flow, a new issue is searched with the contact known",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            said("The export to PDF fails every time"),
            "searching_articles",
            vec![Typing, Search("The export to PDF fails every time")],
        ),
        row(
            "after a flow, a callback request asks the time",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            said("can you call me"),
            "awaiting_callback_time",
            vec![Say("When should we call you?", NONE)],
        ),
        row(
            "after a flow, unclear text offers the menu",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            said("zzz"),
            "done",
            vec![Say("Sorry, I didn't quite get that.", MENU)],
        ),
    ]);
}

#[test]
fn ticket_flow_transitions() {
    let n = || ticket(empty(), None, false);
    run(vec![
        row(
            "a name is split and the email asked",
            State::AwaitingName { draft: n() },
            said("Ann Lee"),
            "awaiting_email",
            vec![Say("Thanks, Ann! What email address", NONE)],
        ),
        row(
            "a name with digits is asked again with a reason",
            State::AwaitingName { draft: n() },
            said("R2D2"),
            "awaiting_name",
            vec![Say("shouldn't contain digits", NONE)],
        ),
        row(
            "an email typed as a name is asked again",
            State::AwaitingName { draft: n() },
            said("ann@example.com"),
            "awaiting_name",
            vec![Say("looks like an email address", NONE)],
        ),
        row(
            "a valid email asks the phone",
            State::AwaitingEmail {
                draft: ticket(named(), None, false),
            },
            said("Ann@Example.com"),
            "awaiting_phone",
            vec![Say("What phone number", NONE)],
        ),
        row(
            "an email with a domain typo offers the fix",
            State::AwaitingEmail {
                draft: ticket(named(), None, false),
            },
            said("ann@gmial.com"),
            "confirming_email_suggestion",
            vec![Say("Did you mean ann@gmail.com?", &[Q::Yes, Q::No])],
        ),
        row(
            "an invalid email is asked again with a reason",
            State::AwaitingEmail {
                draft: ticket(named(), None, false),
            },
            said("ann at example"),
            "awaiting_email",
            vec![Say("it needs an @", NONE)],
        ),
        row(
            "yes takes the suggested address",
            State::ConfirmingEmailSuggestion {
                draft: ticket(named(), None, false),
                typed: "ann@gmial.com".into(),
                suggested: "ann@gmail.com".into(),
            },
            chose(Q::Yes),
            "awaiting_phone",
            vec![Say("What phone number", NONE)],
        ),
        row(
            "typed yes takes the suggested address",
            State::ConfirmingEmailSuggestion {
                draft: ticket(named(), None, false),
                typed: "ann@gmial.com".into(),
                suggested: "ann@gmail.com".into(),
            },
            said("yes"),
            "awaiting_phone",
            vec![Say("What phone number", NONE)],
        ),
        row(
            "no keeps the typed address",
            State::ConfirmingEmailSuggestion {
                draft: ticket(named(), None, false),
                typed: "ann@gmial.com".into(),
                suggested: "ann@gmail.com".into(),
            },
            chose(Q::No),
            "awaiting_phone",
            vec![Say("OK, I'll use ann@gmial.com. What phone number", NONE)],
        ),
        row(
            "a new address typed instead is checked",
            State::ConfirmingEmailSuggestion {
                draft: ticket(named(), None, false),
                typed: "ann@gmial.com".into(),
                suggested: "ann@gmail.com".into(),
            },
            said("ann@example.org"),
            "awaiting_phone",
            vec![Say("What phone number", NONE)],
        ),
        row(
            "a valid phone asks the issue",
            State::AwaitingPhone {
                draft: ticket(known_without_phone(), None, false),
            },
            said("030 12345678"),
            "awaiting_issue",
            vec![Say("describe the issue", NONE)],
        ),
        row(
            "an invalid phone is asked again with a reason",
            State::AwaitingPhone {
                draft: ticket(known_without_phone(), None, false),
            },
            said("12345"),
            "awaiting_phone",
            vec![Say("valid phone number for DE", NONE)],
        ),
        Row {
            now: new_york(),
            ..row(
                "a phone is read in the person's region",
                State::AwaitingPhone {
                    draft: ticket(known_without_phone(), None, false),
                },
                said("(201) 555-0123"),
                "awaiting_issue",
                vec![Say("describe the issue", NONE)],
            )
        },
        row(
            "a given issue is searched in the knowledge base",
            State::AwaitingIssue {
                draft: ticket(known(), None, false),
            },
            said("The app crashes\nwhen I export to PDF"),
            "searching_articles",
            vec![Typing, Search("The app crashes\nwhen I export to PDF")],
        ),
        row(
            "a too short issue is asked again",
            State::AwaitingIssue {
                draft: ticket(known(), None, false),
            },
            said("broken"),
            "awaiting_issue",
            vec![Say("say a bit more", NONE)],
        ),
        row(
            "an edited issue goes back to the summary without searching again",
            State::AwaitingIssue {
                draft: ticket(known(), None, true),
            },
            said("The invoice shows the wrong VAT rate"),
            "confirming",
            vec![
                Summary(&["Name", "Email", "Phone", "Issue"]),
                Say("Shall I send it", &[Q::Submit, Q::Edit, Q::Cancel]),
            ],
        ),
        row(
            "articles found are shown",
            State::SearchingArticles {
                draft: ticket(known(), Some(ISSUE), false),
            },
            Event::ArticlesFound(articles(2)),
            "suggesting_articles",
            vec![Say(
                "Article 2\n  https://help.example.com/kb/2",
                &[Q::Solved, Q::StillNeedHelp],
            )],
        ),
        row(
            "no more than three articles are shown",
            State::SearchingArticles {
                draft: ticket(known(), Some(ISSUE), false),
            },
            Event::ArticlesFound(articles(5)),
            "suggesting_articles",
            vec![Say("Article 3\n", &[Q::Solved, Q::StillNeedHelp])],
        ),
        row(
            "no articles goes straight on",
            State::SearchingArticles {
                draft: ticket(empty(), Some(ISSUE), false),
            },
            Event::ArticlesFound(vec![]),
            "awaiting_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "a failed search goes straight on",
            State::SearchingArticles {
                draft: ticket(known(), Some(ISSUE), false),
            },
            Event::ArticleSearchFailed,
            "confirming",
            vec![
                Summary(&["Name", "Email", "Phone", "Issue"]),
                Say("Shall I send it", &[Q::Submit, Q::Edit, Q::Cancel]),
            ],
        ),
        row(
            "typing while searching gets a holding reply",
            State::SearchingArticles {
                draft: ticket(known(), Some(ISSUE), false),
            },
            said("hello?"),
            "searching_articles",
            vec![Say("still looking for articles", NONE)],
        ),
        row(
            "this solved it ends without a ticket",
            State::SuggestingArticles {
                draft: ticket(known(), Some(ISSUE), false),
                articles: articles(1),
            },
            chose(Q::Solved),
            "done",
            vec![Say("glad that helped", NONE), Say("anything else", MENU)],
        ),
        row(
            "typed yes means it solved it",
            State::SuggestingArticles {
                draft: ticket(known(), Some(ISSUE), false),
                articles: articles(1),
            },
            said("Yes!"),
            "done",
            vec![Say("glad that helped", NONE), Say("anything else", MENU)],
        ),
        row(
            "still need help goes on to the first missing field",
            State::SuggestingArticles {
                draft: ticket(empty(), Some(ISSUE), false),
                articles: articles(1),
            },
            chose(Q::StillNeedHelp),
            "awaiting_name",
            vec![Say(
                "No problem, let's create a ticket. What's your name?",
                NONE,
            )],
        ),
        row(
            "still need help with everything known goes to the summary",
            State::SuggestingArticles {
                draft: ticket(known(), Some(ISSUE), false),
                articles: articles(1),
            },
            chose(Q::StillNeedHelp),
            "confirming",
            vec![
                Summary(&["Name", "Email", "Phone", "Issue"]),
                Say("No problem", &[Q::Submit, Q::Edit, Q::Cancel]),
            ],
        ),
        row(
            "submit creates the ticket",
            State::Confirming {
                draft: full_ticket(),
            },
            chose(Q::Submit),
            "submitting",
            vec![Say("Sending your ticket", NONE), Typing, Create],
        ),
        row(
            "edit asks which field",
            State::Confirming {
                draft: full_ticket(),
            },
            chose(Q::Edit),
            "editing_field",
            vec![Say(
                "What would you like to change?",
                &[Q::EditName, Q::EditEmail, Q::EditPhone, Q::EditIssue],
            )],
        ),
        row(
            "edit the name",
            State::EditingField {
                draft: full_ticket(),
            },
            chose(Q::EditName),
            "awaiting_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "edit the email",
            State::EditingField {
                draft: full_ticket(),
            },
            chose(Q::EditEmail),
            "awaiting_email",
            vec![Say("What email", NONE)],
        ),
        row(
            "edit the phone",
            State::EditingField {
                draft: full_ticket(),
            },
            said("phone"),
            "awaiting_phone",
            vec![Say("What phone number", NONE)],
        ),
        row(
            "edit the issue",
            State::EditingField {
                draft: full_ticket(),
            },
            chose(Q::EditIssue),
            "awaiting_issue",
            vec![Say("describe the issue", NONE)],
        ),
        row(
            "the ticket number is confirmed",
            State::Submitting {
                draft: full_ticket(),
            },
            Event::TicketCreated {
                number: "1042".into(),
                id: "9000001".into(),
            },
            "done",
            vec![
                Say("Your ticket number is #1042", NONE),
                Say("anything else", MENU),
            ],
        ),
        row(
            "queued says it will be sent when Desk is reachable",
            State::Submitting {
                draft: full_ticket(),
            },
            Event::SendQueued,
            "done",
            vec![
                Say("sent as soon as our help desk can be reached", NONE),
                Say("anything else", MENU),
            ],
        ),
        row(
            "a transient failure says it is still trying",
            State::Submitting {
                draft: full_ticket(),
            },
            failed(false),
            "done",
            vec![Say("still trying", NONE), Say("anything else", MENU)],
        ),
        row(
            "a permanent failure tells what Desk said and offers edit or cancel",
            State::Submitting {
                draft: full_ticket(),
            },
            failed(true),
            "confirming",
            vec![Say(
                "didn't accept the ticket: Invalid phone number.\n- phone: is not valid",
                &[Q::Edit, Q::Cancel],
            )],
        ),
        row(
            "typing while submitting gets a holding reply",
            State::Submitting {
                draft: full_ticket(),
            },
            said("is it done?"),
            "submitting",
            vec![Say("still sending", NONE)],
        ),
    ]);
}

fn known_without_phone() -> Memory {
    let mut m = known();
    m.contact.phone_e164 = None;
    m
}

#[test]
fn callback_flow_transitions() {
    let t = || callback(empty(), None, false);
    let proposed = |draft: CallbackForm| State::ConfirmingCallbackTime {
        draft,
        proposed: tomorrow_2pm(),
    };
    run(vec![
        row(
            "a time is echoed with the zone",
            State::AwaitingCallbackTime { draft: t() },
            said("tomorrow at 2 PM"),
            "confirming_callback_time",
            vec![Say(
                "So that's Tuesday 1 December 2026, 14:00 (Europe/Berlin). Is that right?",
                &[Q::Confirm, Q::Change],
            )],
        ),
        Row {
            now: new_york(),
            ..row(
                "a time is read in the person's zone",
                State::AwaitingCallbackTime { draft: t() },
                said("tomorrow at 2 PM"),
                "confirming_callback_time",
                vec![Say(
                    "Tuesday 1 December 2026, 14:00 (America/New_York)",
                    &[Q::Confirm, Q::Change],
                )],
            )
        },
        row(
            "an ambiguous hour is asked again",
            State::AwaitingCallbackTime { draft: t() },
            said("2"),
            "awaiting_callback_time",
            vec![Say(
                "Did you mean 2 AM or 2 PM? When should we call you?",
                NONE,
            )],
        ),
        row(
            "a past time is asked again",
            State::AwaitingCallbackTime { draft: t() },
            said("today 9am"),
            "awaiting_callback_time",
            vec![Say("has already passed", NONE)],
        ),
        row(
            "a vague time is asked again",
            State::AwaitingCallbackTime { draft: t() },
            said("next week"),
            "awaiting_callback_time",
            vec![Say("Which day and time next week?", NONE)],
        ),
        row(
            "an unreadable time is asked again",
            State::AwaitingCallbackTime { draft: t() },
            said("whenever the moon is full"),
            "awaiting_callback_time",
            vec![Say("I need a specific time", NONE)],
        ),
        row(
            "a time skipped by daylight saving is explained",
            State::AwaitingCallbackTime { draft: t() },
            said("2027-03-28 02:30"),
            "awaiting_callback_time",
            vec![Say("doesn't exist in Europe/Berlin", NONE)],
        ),
        row(
            "confirm asks the phone when unknown",
            proposed(t()),
            chose(Q::Confirm),
            "awaiting_callback_phone",
            vec![Say("What number should we call?", NONE)],
        ),
        row(
            "confirm asks the name when the phone is known",
            proposed(callback(known_without_name(), None, false)),
            said("yes"),
            "awaiting_callback_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "confirm asks the note when phone and name are known",
            proposed(callback(known(), None, false)),
            chose(Q::Confirm),
            "awaiting_callback_note",
            vec![Say("Anything our agent should know", &[Q::Skip])],
        ),
        row(
            "change asks the time again",
            proposed(t()),
            chose(Q::Change),
            "awaiting_callback_time",
            vec![Say("When should we call you?", NONE)],
        ),
        row(
            "a different time typed instead is echoed",
            proposed(t()),
            said("Friday morning"),
            "confirming_callback_time",
            vec![Say(
                "Friday 4 December 2026, 09:00 (Europe/Berlin)",
                &[Q::Confirm, Q::Change],
            )],
        ),
        row(
            "a phone for the callback",
            State::AwaitingCallbackPhone {
                draft: callback(empty(), Some(tomorrow_2pm()), false),
            },
            said("+49 151 23456789"),
            "awaiting_callback_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "an invalid callback phone is asked again",
            State::AwaitingCallbackPhone {
                draft: callback(empty(), Some(tomorrow_2pm()), false),
            },
            said("call me maybe"),
            "awaiting_callback_phone",
            vec![Say("only have digits", NONE)],
        ),
        row(
            "a name for the callback",
            State::AwaitingCallbackName {
                draft: callback(known_without_name(), Some(tomorrow_2pm()), false),
            },
            said("Ann Lee"),
            "awaiting_callback_note",
            vec![Say(
                "Thanks, Ann! Anything our agent should know",
                &[Q::Skip],
            )],
        ),
        row(
            "an invalid callback name is asked again",
            State::AwaitingCallbackName {
                draft: callback(known_without_name(), Some(tomorrow_2pm()), false),
            },
            said("   "),
            "awaiting_callback_name",
            vec![Say("didn't get a name", NONE)],
        ),
        row(
            "skip the note",
            State::AwaitingCallbackNote {
                draft: callback(known(), Some(tomorrow_2pm()), false),
            },
            chose(Q::Skip),
            "confirming_callback",
            vec![
                Summary(&["Time", "Phone", "Name", "Email"]),
                Say(
                    "Shall I book this callback?",
                    &[Q::Confirm, Q::Edit, Q::Cancel],
                ),
            ],
        ),
        row(
            "a note is kept",
            State::AwaitingCallbackNote {
                draft: callback(known(), Some(tomorrow_2pm()), false),
            },
            said("About invoice 2026-118"),
            "confirming_callback",
            vec![
                Summary(&["Time", "Phone", "Name", "Email", "Note"]),
                Say("Shall I book", &[Q::Confirm, Q::Edit, Q::Cancel]),
            ],
        ),
        row(
            "confirm books the callback",
            State::ConfirmingCallback {
                draft: full_callback(),
            },
            chose(Q::Confirm),
            "scheduling_callback",
            vec![Say("Booking your callback", NONE), Typing, Schedule],
        ),
        Row {
            now: Now::new(
                Utc.with_ymd_and_hms(2026, 12, 1, 13, 5, 0).unwrap(),
                chrono_tz::Europe::Berlin,
                Region::DE,
            ),
            ..row(
                "a time that passed while confirming is asked again",
                State::ConfirmingCallback {
                    draft: full_callback(),
                },
                chose(Q::Confirm),
                "awaiting_callback_time",
                vec![Say(
                    "That time has passed in the meantime. When should we call you?",
                    NONE,
                )],
            )
        },
        row(
            "edit asks which callback field",
            State::ConfirmingCallback {
                draft: full_callback(),
            },
            chose(Q::Edit),
            "editing_callback_field",
            vec![Say(
                "What would you like to change?",
                &[Q::EditTime, Q::EditPhone, Q::EditName, Q::EditNote],
            )],
        ),
        row(
            "edit the time",
            State::EditingCallbackField {
                draft: full_callback(),
            },
            chose(Q::EditTime),
            "awaiting_callback_time",
            vec![Say("When should we call", NONE)],
        ),
        row(
            "edit the callback phone",
            State::EditingCallbackField {
                draft: full_callback(),
            },
            chose(Q::EditPhone),
            "awaiting_callback_phone",
            vec![Say("What number", NONE)],
        ),
        row(
            "edit the callback name",
            State::EditingCallbackField {
                draft: full_callback(),
            },
            chose(Q::EditName),
            "awaiting_callback_name",
            vec![Say("What's your name?", NONE)],
        ),
        row(
            "edit the note",
            State::EditingCallbackField {
                draft: full_callback(),
            },
            said("note"),
            "awaiting_callback_note",
            vec![Say("Anything our agent", &[Q::Skip])],
        ),
        row(
            "the callback is confirmed with its time and number",
            State::SchedulingCallback {
                draft: full_callback(),
            },
            Event::CallbackCreated {
                number: "1043".into(),
                id: "9000002".into(),
            },
            "done",
            vec![
                Say(
                    "booked for Tuesday 1 December 2026, 14:00 (Europe/Berlin). Reference #1043",
                    NONE,
                ),
                Say("anything else", MENU),
            ],
        ),
        row(
            "a queued callback",
            State::SchedulingCallback {
                draft: full_callback(),
            },
            Event::SendQueued,
            "done",
            vec![Say("saved and queued", NONE), Say("anything else", MENU)],
        ),
        row(
            "a callback with a transient failure",
            State::SchedulingCallback {
                draft: full_callback(),
            },
            failed(false),
            "done",
            vec![Say("still trying", NONE), Say("anything else", MENU)],
        ),
        row(
            "a callback refused by Desk",
            State::SchedulingCallback {
                draft: full_callback(),
            },
            failed(true),
            "confirming_callback",
            vec![Say(
                "didn't accept the callback: Invalid phone number.",
                &[Q::Edit, Q::Cancel],
            )],
        ),
        row(
            "typing while booking gets a holding reply",
            State::SchedulingCallback {
                draft: full_callback(),
            },
            said("?"),
            "scheduling_callback",
            vec![Say("still sending", NONE)],
        ),
    ]);
}

fn known_without_name() -> Memory {
    let mut m = known();
    m.contact.name = None;
    m
}

#[test]
fn check_ticket_transitions() {
    let checking = || State::CheckingTicket {
        draft: check(empty(), Some("123")),
        email: "ann@example.com".into(),
    };
    run(vec![
        row(
            "a number with # asks the email",
            State::AwaitingTicketNumber {
                draft: check(empty(), None),
            },
            said("#123"),
            "awaiting_ticket_email",
            vec![Say("And the email address", NONE)],
        ),
        row(
            "a number with a known email looks it up",
            State::AwaitingTicketNumber {
                draft: check(known(), None),
            },
            said("ticket 123"),
            "checking_ticket",
            vec![Typing, LookUp("123", "ann@example.com")],
        ),
        row(
            "not a number is asked again",
            State::AwaitingTicketNumber {
                draft: check(empty(), None),
            },
            said("the blue one"),
            "awaiting_ticket_number",
            vec![Say("just digits", NONE)],
        ),
        row(
            "an email looks the ticket up",
            State::AwaitingTicketEmail {
                draft: check(empty(), Some("123")),
            },
            said("Ann@Example.com"),
            "checking_ticket",
            vec![Typing, LookUp("123", "Ann@example.com")],
        ),
        row(
            "an invalid email is asked again",
            State::AwaitingTicketEmail {
                draft: check(empty(), Some("123")),
            },
            said("ann@"),
            "awaiting_ticket_email",
            vec![Say("should be a domain", NONE)],
        ),
        row(
            "a matching email gets the status",
            checking(),
            Event::TicketStatusFound {
                number: "123".into(),
                status: "On Hold".into(),
                email_matches: true,
            },
            "done",
            vec![
                Say("Ticket #123 is: On Hold.", NONE),
                Say("anything else", MENU),
            ],
        ),
        row(
            "a wrong email gets the neutral answer",
            checking(),
            Event::TicketStatusFound {
                number: "123".into(),
                status: "On Hold".into(),
                email_matches: false,
            },
            "done",
            vec![
                Say(
                    "I couldn't find a ticket with that number and email address.",
                    NONE,
                ),
                Say("anything else", MENU),
            ],
        ),
        row(
            "an unknown number gets the same neutral answer",
            checking(),
            Event::TicketNotFound,
            "done",
            vec![
                Say(
                    "I couldn't find a ticket with that number and email address.",
                    NONE,
                ),
                Say("anything else", MENU),
            ],
        ),
        row(
            "a failed look-up says to try later",
            checking(),
            Event::StatusLookupFailed,
            "done",
            vec![
                Say("try again in a few minutes", NONE),
                Say("anything else", MENU),
            ],
        ),
        row(
            "typing while looking up gets a holding reply",
            checking(),
            said("well?"),
            "checking_ticket",
            vec![Say("still looking that up", NONE)],
        ),
    ]);
}

#[test]
fn late_and_unexpected_event_transitions() {
    run(vec![
        row(
            "a ticket created later is announced wherever the chat is",
            State::AwaitingCallbackPhone {
                draft: callback(empty(), Some(tomorrow_2pm()), false),
            },
            Event::TicketCreated {
                number: "1042".into(),
                id: "1".into(),
            },
            "awaiting_callback_phone",
            vec![Say(
                "your ticket has been created. Its number is #1042",
                NONE,
            )],
        ),
        row(
            "a callback created later is announced",
            State::Done {
                memory: known(),
                outcome: Outcome::CallbackQueued,
            },
            Event::CallbackCreated {
                number: "1043".into(),
                id: "2".into(),
            },
            "done",
            vec![Say("your callback has been booked. Reference #1043", NONE)],
        ),
        row(
            "a later refusal is told",
            State::Done {
                memory: known(),
                outcome: Outcome::TicketQueued,
            },
            failed(true),
            "done",
            vec![Say(
                "didn't accept an earlier request: Invalid phone number.",
                NONE,
            )],
        ),
        row(
            "a later transient failure is not repeated",
            State::default(),
            failed(false),
            "greeting",
            vec![],
        ),
        row(
            "a late queue notice is ignored",
            State::default(),
            Event::SendQueued,
            "greeting",
            vec![],
        ),
        row(
            "late articles are ignored",
            State::Confirming {
                draft: full_ticket(),
            },
            Event::ArticlesFound(articles(1)),
            "confirming",
            vec![],
        ),
        row(
            "a late search failure is ignored",
            State::default(),
            Event::ArticleSearchFailed,
            "greeting",
            vec![],
        ),
        row(
            "a late status is ignored",
            State::default(),
            Event::TicketStatusFound {
                number: "1".into(),
                status: "Open".into(),
                email_matches: true,
            },
            "greeting",
            vec![],
        ),
        row(
            "a late not-found is ignored",
            State::default(),
            Event::TicketNotFound,
            "greeting",
            vec![],
        ),
        row(
            "a late look-up failure is ignored",
            State::default(),
            Event::StatusLookupFailed,
            "greeting",
            vec![],
        ),
    ]);
}
