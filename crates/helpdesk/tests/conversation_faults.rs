//! The conversation when things go wrong, checked on what desk-sim ends up
//! holding: a lost reply (the ticket exists once and the chat still ends
//! with its number), Desk down then back (queued, then delivered once and
//! the message updated to sent), a refusal (told, then edited and resent as
//! the same item), and restarts (restored where it was, nothing resent).

mod conversation_common;
mod outbox_common;

use std::time::Duration;

use chat_engine::QuickReplyId as Q;
use conversation_common::*;
use desk_sim::{Fault, FaultKind, Sim, SimConfig};
use helpdesk::compose::ComposeConfig;
use helpdesk::conversation::{Conversation, DeliveryState, DeskAccess};
use helpdesk::outbox::Outbox;
use outbox_common::{count_requests, desk_client, take_down};
use zoho_desk::DepartmentId;

const TICKETS: &str = "/api/v1/tickets";
const SETTLE: Duration = Duration::from_secs(15);

/// Up to the summary of a ticket.
async fn up_to_summary(conversation: &Conversation) {
    let t = now();
    conversation.start(t).await.unwrap();
    conversation.choose(Q::CreateTicket, t).await.unwrap();
    conversation.say("Ann Lee", t).await.unwrap();
    conversation.say("ann@example.com", t).await.unwrap();
    conversation.say("0151 23456789", t).await.unwrap();
    let mut view = conversation
        .say("The invoice total is wrong, charged twice.", t)
        .await
        .unwrap();
    if view.quick_replies.iter().any(|q| q.id == Q::StillNeedHelp) {
        view = conversation.choose(Q::StillNeedHelp, t).await.unwrap();
    }
    assert!(
        view.quick_replies.iter().any(|q| q.id == Q::Submit),
        "{view:#?}"
    );
}

#[tokio::test]
async fn a_lost_reply_leaves_one_ticket_and_the_chat_ends_with_its_number() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;
    up_to_summary(&conversation).await;

    sim.inject(Fault::new("POST", TICKETS, FaultKind::DropAfterApply));
    let view = conversation.choose(Q::Submit, now()).await.unwrap();

    let tickets = sim.tickets();
    assert_eq!(tickets.len(), 1, "the ticket exists once");
    assert_eq!(
        count_requests(&sim, "POST", TICKETS),
        1,
        "never resent blind"
    );
    let number = tickets[0]["ticketNumber"].as_str().unwrap();
    assert!(
        all_bot(&view).contains(&format!("Your ticket number is #{number}")),
        "{view:#?}"
    );
    let s = submissions(&view)[0].submission.clone().unwrap();
    assert_eq!(
        (s.state, s.ticket_number.as_deref()),
        (DeliveryState::Sent, Some(number))
    );
}

#[tokio::test]
async fn desk_down_says_queued_and_back_delivers_once_and_updates_the_message() {
    let state = tempfile::tempdir().unwrap();
    let sim_config = || SimConfig {
        state_file: Some(state.path().join("sim.json")),
        ..SimConfig::default()
    };
    let sim = Sim::start(sim_config()).await.unwrap();
    let addr = sim.addr();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open(&sim, &db_path(&dir)).await;
    let mut updates = conversation.subscribe();
    up_to_summary(&conversation).await;

    let down = take_down(sim.clone()).await;
    let view = conversation.choose(Q::Submit, now()).await.unwrap();
    assert!(all_bot(&view).contains("queued"), "{view:#?}");
    let s = submissions(&view)[0].submission.clone().unwrap();
    assert_eq!(s.state, DeliveryState::Queued);
    assert!(s.ticket_number.is_none());

    // Desk is back: same port, same state (tokens, departments).
    drop(down);
    let sim = Sim::start_on(addr, sim_config()).await.unwrap();
    let view = wait_for(&conversation, SETTLE, sent).await;
    let tickets = sim.tickets();
    assert_eq!(tickets.len(), 1);
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    let number = tickets[0]["ticketNumber"].as_str().unwrap();
    let s = submissions(&view)[0].submission.clone().unwrap();
    assert_eq!(s.ticket_number.as_deref(), Some(number));
    assert!(
        all_bot(&view).contains(&format!("Its number is #{number}")),
        "{view:#?}"
    );
    // The change was pushed to subscribers too.
    let pushed = tokio::time::timeout(SETTLE, async {
        loop {
            let v = updates.recv().await.unwrap();
            if sent(&v) {
                return v;
            }
        }
    })
    .await
    .unwrap();
    assert!(sent(&pushed));

    // A while later, still one.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
}

#[tokio::test]
async fn not_connected_still_queues_and_a_later_connection_delivers_once() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conversation = open_with(&sim, &db_path(&dir), DeskAccess::NotConnected).await;
    up_to_summary(&conversation).await;
    let view = conversation.choose(Q::Submit, now()).await.unwrap();
    assert!(all_bot(&view).contains("queued"), "{view:#?}");
    assert!(!view.connected);
    let outbox = Outbox::open(db_path(&dir)).unwrap();
    assert_eq!(
        outbox.counts().unwrap().queued,
        1,
        "in the outbox, nothing lost"
    );
    assert!(sim.requests().is_empty());

    conversation
        .connect(
            DeskAccess::Connected(desk_client(&sim, None)),
            Some(outbox_common::compose_config(&sim)),
        )
        .await
        .unwrap();
    let view = wait_for(&conversation, SETTLE, sent).await;
    assert_eq!(sim.tickets().len(), 1);
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    assert!(view.connected);
}

#[tokio::test]
async fn a_refusal_is_told_and_the_corrected_submission_reuses_the_item() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&sim);
    // A department that does not exist: Desk refuses the ticket.
    config.compose = Some(ComposeConfig::new(
        DepartmentId::new("1329983000000999999"),
        DepartmentId::new("1329983000000999998"),
    ));
    let conversation = Conversation::open(
        Outbox::open(db_path(&dir)).unwrap(),
        DeskAccess::Connected(desk_client(&sim, None)),
        config,
    )
    .await
    .unwrap();
    up_to_summary(&conversation).await;
    let view = conversation.choose(Q::Submit, now()).await.unwrap();
    assert!(
        all_bot(&view).contains("didn't accept the ticket"),
        "{view:#?}"
    );
    assert!(view.quick_replies.iter().any(|q| q.id == Q::Edit));
    let s = submissions(&view)[0].submission.clone().unwrap();
    assert_eq!(s.state, DeliveryState::Failed);
    assert!(sim.tickets().is_empty());

    // Setup is fixed; the person submits again: the same outbox item.
    conversation
        .connect(
            DeskAccess::Connected(desk_client(&sim, None)),
            Some(outbox_common::compose_config(&sim)),
        )
        .await
        .unwrap();
    let view = conversation.choose(Q::Submit, now()).await.unwrap();
    assert_eq!(sim.tickets().len(), 1);
    let number = sim.tickets()[0]["ticketNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(all_bot(&view).contains(&format!("#{number}")), "{view:#?}");
    let outbox = Outbox::open(db_path(&dir)).unwrap();
    let counts = outbox.counts().unwrap();
    assert_eq!((counts.delivered, counts.failed, counts.queued), (1, 0, 0));
}

#[tokio::test]
async fn a_restart_mid_flow_restores_the_conversation_and_sends_once() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let t = now();
    let before = {
        let conversation = open(&sim, &db_path(&dir)).await;
        conversation.start(t).await.unwrap();
        conversation.choose(Q::CreateTicket, t).await.unwrap();
        conversation.say("Ann Lee", t).await.unwrap();
        conversation.say("ann@example.com", t).await.unwrap()
    };
    assert!(last_bot(&before).contains("phone number"));

    let conversation = open(&sim, &db_path(&dir)).await;
    assert_eq!(conversation.restore().await, before);
    // Opening the chat again asks nothing twice.
    assert_eq!(conversation.start(t).await.unwrap(), before);
    conversation.say("0151 23456789", t).await.unwrap();
    let mut view = conversation
        .say("The invoice total is wrong, charged twice.", t)
        .await
        .unwrap();
    if view.quick_replies.iter().any(|q| q.id == Q::StillNeedHelp) {
        view = conversation.choose(Q::StillNeedHelp, t).await.unwrap();
    }
    assert!(view.quick_replies.iter().any(|q| q.id == Q::Submit));
    let done = conversation.choose(Q::Submit, t).await.unwrap();
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    drop(conversation);

    // Restarted after the ticket: the same chat, nothing sent again.
    let conversation = open(&sim, &db_path(&dir)).await;
    assert_eq!(conversation.restore().await, done);
    assert_eq!(conversation.start(t).await.unwrap(), done);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    assert_eq!(sim.tickets().len(), 1);

    // "New conversation" starts over, and that too survives a restart.
    let fresh = conversation.new_conversation(t).await.unwrap();
    assert_eq!(fresh.messages.len(), 1);
    drop(conversation);
    let conversation = open(&sim, &db_path(&dir)).await;
    assert_eq!(conversation.restore().await, fresh);
}

#[tokio::test]
async fn a_restart_while_queued_delivers_once_and_shows_it_sent() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    {
        let conversation = open_with(&sim, &db_path(&dir), DeskAccess::NotConnected).await;
        up_to_summary(&conversation).await;
        let view = conversation.choose(Q::Submit, now()).await.unwrap();
        assert!(all_bot(&view).contains("queued"));
    }
    let conversation = open(&sim, &db_path(&dir)).await;
    let view = wait_for(&conversation, SETTLE, sent).await;
    assert_eq!(sim.tickets().len(), 1);
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    let number = sim.tickets()[0]["ticketNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(all_bot(&view).contains(&format!("#{number}")), "{view:#?}");
    drop(conversation);
    let conversation = open(&sim, &db_path(&dir)).await;
    conversation.start(now()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
}

#[tokio::test]
async fn without_departments_a_submission_waits_in_the_conversation_then_goes_once() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let no_departments = || {
        let mut config = config(&sim);
        config.compose = None;
        config
    };
    let conversation = Conversation::open(
        Outbox::open(db_path(&dir)).unwrap(),
        DeskAccess::NotConnected,
        no_departments(),
    )
    .await
    .unwrap();
    up_to_summary(&conversation).await;
    let view = conversation.choose(Q::Submit, now()).await.unwrap();
    assert!(all_bot(&view).contains("queued"), "{view:#?}");
    let outbox = Outbox::open(db_path(&dir)).unwrap();
    assert_eq!(outbox.counts().unwrap().queued, 0);
    drop(conversation);

    // Kept across a restart, sent once setup is done.
    let conversation = Conversation::open(outbox, DeskAccess::NotConnected, no_departments())
        .await
        .unwrap();
    conversation
        .connect(
            DeskAccess::Connected(desk_client(&sim, None)),
            Some(outbox_common::compose_config(&sim)),
        )
        .await
        .unwrap();
    wait_for(&conversation, SETTLE, sent).await;
    assert_eq!(sim.tickets().len(), 1);
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    let body = &sim.requests()[0].body.clone().unwrap();
    assert_eq!(body["departmentId"], sim.department_id("Support").unwrap());
}

#[tokio::test]
async fn a_restart_while_submitting_reads_the_outcome_and_does_not_resend() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    // The app stops while the ticket is on its way (the chat is saved as
    // "submitting"); the request still reaches Desk, but its reply is never
    // recorded. The "app" runs on a runtime of its own, dropped mid-request
    // as a process dies: every task goes, and with the last handle on the
    // outbox its delivery lock. Reopening then takes the item, found
    // "sending", for one a dead process left: in doubt, looked up before
    // any resend.
    let path = db_path(&dir);
    let old_sim = sim.clone();
    std::thread::spawn(move || {
        let app = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        app.block_on(async {
            let conversation = open(&old_sim, &path).await;
            up_to_summary(&conversation).await;
            old_sim.inject(Fault::new(
                "POST",
                TICKETS,
                FaultKind::Delay(Duration::from_millis(400)),
            ));
            tokio::spawn(async move { conversation.choose(Q::Submit, now()).await });
            tokio::time::sleep(Duration::from_millis(150)).await;
        });
        drop(app);
    })
    .join()
    .unwrap();
    // Desk applies what it received.
    tokio::time::sleep(Duration::from_millis(400)).await;

    let conversation = open(&sim, &db_path(&dir)).await;
    let view = conversation.start(now()).await.unwrap();
    assert!(!view.typing, "the chat is not stuck: {view:#?}");
    let view = wait_for(&conversation, SETTLE, |v| {
        sent(v) && all_bot(v).contains("#")
    })
    .await;
    let number = sim.tickets()[0]["ticketNumber"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(all_bot(&view).contains(&format!("#{number}")), "{view:#?}");
    assert!(sent(&view));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(count_requests(&sim, "POST", TICKETS), 1);
    assert_eq!(sim.tickets().len(), 1);
}
