//! The conversation orchestrator against desk-sim over real HTTP: a whole
//! chat files one ticket; a callback lands in Callbacks at the time asked;
//! the knowledge base comes first; a ticket's status only for its email.

mod conversation_common;
mod outbox_common;

use chat_engine::QuickReplyId as Q;
use conversation_common::*;
use desk_sim::{Sim, SimConfig};
use helpdesk::conversation::{ChatView, Conversation, DeliveryState, Role};
use outbox_common::count_requests;

const TICKETS: &str = "/api/v1/tickets";

async fn ticket_chat(conversation: &Conversation, email: &str) -> ChatView {
    let t = now();
    conversation.start(t).await.unwrap();
    conversation.choose(Q::CreateTicket, t).await.unwrap();
    conversation.say("Ann Lee", t).await.unwrap();
    conversation.say(email, t).await.unwrap();
    conversation.say("0151 23456789", t).await.unwrap();
    let mut view = conversation
        .say("My invoice for May is <wrong> & charged twice.", t)
        .await
        .unwrap();
    if view.quick_replies.iter().any(|q| q.id == Q::StillNeedHelp) {
        // The knowledge base came first: not what was asked.
        view = conversation.choose(Q::StillNeedHelp, t).await.unwrap();
    }
    assert!(
        view.quick_replies.iter().any(|q| q.id == Q::Submit),
        "the summary with Submit: {view:#?}"
    );
    conversation.choose(Q::Submit, t).await.unwrap()
}

#[tokio::test]
async fn a_whole_chat_creates_one_ticket_with_contact_department_channel_and_transcript() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;

    let view = ticket_chat(&conversation, "ann@example.com").await;

    assert_eq!(
        count_requests(&sim, "POST", TICKETS),
        1,
        "{:?}",
        sim.requests()
    );
    let post = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == TICKETS)
        .unwrap();
    let body = post.body.unwrap();
    assert_eq!(body["contact"]["firstName"], "Ann");
    assert_eq!(body["contact"]["lastName"], "Lee");
    assert_eq!(body["contact"]["email"], "ann@example.com");
    assert_eq!(body["contact"]["phone"], "+4915123456789");
    assert_eq!(body["departmentId"], sim.department_id("Support").unwrap());
    assert_eq!(body["channel"], "Chat");
    let description = body["description"].as_str().unwrap();
    assert!(
        description.contains("What&#39;s your name?"),
        "{description}"
    );
    assert!(
        description.contains("<b>Customer:</b> Ann Lee"),
        "{description}"
    );
    assert!(description.contains("My invoice for May is &lt;wrong&gt; &amp; charged twice."));

    let tickets = sim.tickets();
    assert_eq!(tickets.len(), 1);
    let number = tickets[0]["ticketNumber"].as_str().unwrap().to_owned();
    assert!(all_bot(&view).contains(&format!("#{number}")), "{view:#?}");
    let sub = submissions(&view);
    assert_eq!(sub.len(), 1);
    let s = sub[0].submission.as_ref().unwrap();
    assert_eq!(s.state, DeliveryState::Sent);
    assert_eq!(s.ticket_number.as_deref(), Some(number.as_str()));
    assert!(!view.typing);
    // The person's words are shown as typed (plain text), in order.
    let person: Vec<&str> = view
        .messages
        .iter()
        .filter(|m| m.role == Role::Person)
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(person[0], "Create a ticket");
    assert_eq!(person[1], "Ann Lee");
    assert_eq!(person[4], "My invoice for May is <wrong> & charged twice.");
    // The menu is offered again.
    assert!(view.quick_replies.iter().any(|q| q.id == Q::CreateTicket));
}

#[tokio::test]
async fn a_callback_goes_to_callbacks_with_the_due_date_asked_for() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;
    let t = now();

    conversation.start(t).await.unwrap();
    conversation.choose(Q::ScheduleCallback, t).await.unwrap();
    let view = conversation.say("tomorrow at 2 PM", t).await.unwrap();
    assert!(last_bot(&view).contains("14:00"), "{}", last_bot(&view));
    conversation.choose(Q::Confirm, t).await.unwrap();
    conversation.say("0151 23456789", t).await.unwrap();
    conversation.say("Ann Lee", t).await.unwrap();
    let view = conversation
        .say("Please call after lunch", t)
        .await
        .unwrap();
    assert!(
        view.messages.iter().any(|m| m.summary.is_some()),
        "{view:#?}"
    );
    let view = conversation.choose(Q::Confirm, t).await.unwrap();

    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    let body = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap()
        .body
        .unwrap();
    assert_eq!(
        body["departmentId"],
        sim.department_id("Callbacks").unwrap()
    );
    // Tuesday 11 June 2030, 14:00 in Berlin (CEST) is 12:00 UTC.
    assert_eq!(body["dueDate"], "2030-06-11T12:00:00.000Z");
    assert_eq!(body["contact"]["phone"], "+4915123456789");
    let number = sim.tickets()[0]["ticketNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(all_bot(&view).contains(&format!("#{number}")), "{view:#?}");
}

#[tokio::test]
async fn articles_come_first_and_this_solved_it_files_nothing() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;
    let t = now();

    conversation.start(t).await.unwrap();
    conversation.choose(Q::CreateTicket, t).await.unwrap();
    conversation.say("Ann Lee", t).await.unwrap();
    conversation.say("ann@example.com", t).await.unwrap();
    conversation.say("0151 23456789", t).await.unwrap();
    let view = conversation
        .say(
            "My printer shows an offline error after the router restarted",
            t,
        )
        .await
        .unwrap();
    let text = last_bot(&view);
    assert!(text.contains("Printer shows an offline error"), "{text}");
    assert!(text.lines().filter(|l| l.starts_with("- ")).count() <= 3);
    assert!(view.quick_replies.iter().any(|q| q.id == Q::Solved));
    assert_eq!(count_requests(&sim, "GET", "/api/v1/articles/search"), 1);

    let view = conversation.choose(Q::Solved, t).await.unwrap();
    assert!(all_bot(&view).contains("glad that helped"));
    assert_eq!(count_requests(&sim, "POST", TICKETS), 0);
    assert!(sim.tickets().is_empty());
    assert!(submissions(&view).is_empty());
}

#[tokio::test]
async fn a_failed_article_search_does_not_block_the_chat() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    sim.inject(
        desk_sim::Fault::new("GET", "/api/v1/articles", desk_sim::FaultKind::ServerError).times(10),
    );
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;
    let t = now();
    conversation.start(t).await.unwrap();
    conversation.choose(Q::CreateTicket, t).await.unwrap();
    conversation.say("Ann Lee", t).await.unwrap();
    conversation.say("ann@example.com", t).await.unwrap();
    conversation.say("0151 23456789", t).await.unwrap();
    let view = conversation
        .say(
            "My printer shows an offline error after the router restarted",
            t,
        )
        .await
        .unwrap();
    assert!(
        view.quick_replies.iter().any(|q| q.id == Q::Submit),
        "{view:#?}"
    );
}

#[tokio::test]
async fn a_ticket_status_is_told_only_when_the_email_matches() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;
    let t = now();
    ticket_chat(&conversation, "ann@example.com").await;
    let number = sim.tickets()[0]["ticketNumber"]
        .as_str()
        .unwrap()
        .to_owned();

    // Someone else: the number alone does not reveal the ticket.
    conversation.new_conversation(t).await.unwrap();
    conversation.choose(Q::CheckTicket, t).await.unwrap();
    conversation.say(&format!("#{number}"), t).await.unwrap();
    let view = conversation.say("bob@example.org", t).await.unwrap();
    let text = last_bot(&view);
    assert!(!text.contains("Open"), "{text}");
    assert!(
        all_bot(&view).contains("couldn't find a ticket"),
        "{view:#?}"
    );

    // The right email, in other case.
    conversation.new_conversation(t).await.unwrap();
    conversation.choose(Q::CheckTicket, t).await.unwrap();
    conversation.say(&number, t).await.unwrap();
    let view = conversation.say("ANN@Example.com", t).await.unwrap();
    assert!(
        all_bot(&view).contains(&format!("Ticket #{number} is: Open.")),
        "{view:#?}"
    );

    // An unknown number.
    conversation.new_conversation(t).await.unwrap();
    conversation.choose(Q::CheckTicket, t).await.unwrap();
    conversation.say("#987654", t).await.unwrap();
    let view = conversation.say("ann@example.com", t).await.unwrap();
    assert!(
        all_bot(&view).contains("couldn't find a ticket"),
        "{view:#?}"
    );
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
}

#[tokio::test]
async fn the_view_is_camel_case_json() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;
    let view = ticket_chat(&conversation, "ann@example.com").await;
    let json = serde_json::to_value(&view).unwrap();
    assert!(json["quickReplies"].is_array());
    assert_eq!(json["typing"], false);
    assert_eq!(json["connected"], true);
    let system = json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "system")
        .unwrap();
    assert_eq!(system["submission"]["state"], "sent");
    assert!(system["submission"]["ticketNumber"].is_string());
    assert_eq!(
        json["messages"][0]["quickReplies"][0]["id"],
        "create_ticket"
    );
}
