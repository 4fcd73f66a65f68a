//! The outbox against desk-sim over real HTTP: one request per ticket,
//! nothing lost when Desk is down, nothing doubled when a reply is lost,
//! permanent rejections kept for an edit, the concurrency bound.

mod outbox_common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_sim::{Fault, FaultKind, Sim, SimConfig};
use helpdesk::compose::{ClientRef, compose_callback, compose_ticket};
use helpdesk::outbox::{Deliverer, ItemState, Outbox};
use outbox_common::*;
use zoho_desk::DepartmentId;

const TICKETS: &str = "/api/v1/tickets";
const SEARCH: &str = "/api/v1/tickets/search";
const SETTLE: Duration = Duration::from_secs(15);

#[tokio::test]
async fn a_chat_ticket_is_one_request_with_the_inline_contact() {
    let rig = Rig::new(SimConfig::default()).await;
    let item = rig.enqueue_ticket(1);
    let report = rig.deliverer.drain(10).await.unwrap();
    assert_eq!(
        (report.delivered, report.requeued, report.failed),
        (1, 0, 0)
    );

    let requests = rig.sim.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let post = &requests[0];
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", TICKETS)
    );
    let body = post.body.as_ref().unwrap();
    assert_eq!(body["contact"]["email"], "ann1@example.com");
    assert_eq!(body["contact"]["lastName"], "Lee1");
    assert_eq!(
        body["departmentId"],
        rig.sim.department_id("Support").unwrap()
    );
    assert_eq!(body["channel"], "Chat");
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("&lt;smoke&gt; &amp; &quot;burnt&quot;")
    );

    let stored = rig.outbox.get(item.id).unwrap();
    let tickets = rig.sim.tickets();
    assert_eq!(stored.state, ItemState::Delivered);
    assert_eq!(stored.ticket_id.as_deref(), tickets[0]["id"].as_str());
    assert_eq!(
        stored.ticket_number.as_deref(),
        tickets[0]["ticketNumber"].as_str()
    );
    assert_eq!(stored.web_url.as_deref(), tickets[0]["webUrl"].as_str());
    assert_eq!(stored.desk_status.as_deref(), Some("Open"));
    let states: Vec<ItemState> = rig.events().iter().map(|e| e.state).collect();
    assert_eq!(states, vec![ItemState::Sending, ItemState::Delivered]);
    assert!(rig.events()[1].ticket_number.is_some());
}

#[tokio::test]
async fn a_callback_arrives_with_its_department_and_due_date() {
    let rig = Rig::new(SimConfig::default()).await;
    let when = chrono::Utc::now() + chrono::Duration::days(1);
    let when = chrono::DateTime::from_timestamp(when.timestamp(), 0).unwrap();
    let draft = chat_engine::CallbackDraft {
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        phone_e164: "+4915123456789".into(),
        email: None,
        when_utc: when,
        when_local_text: "tomorrow".into(),
        time_zone: "Europe/Berlin".into(),
        note: None,
        transcript: vec![],
    };
    let composed = compose_callback(&draft, &rig.config, ClientRef::generate());
    rig.outbox.enqueue(&composed).unwrap();
    assert_eq!(rig.deliverer.drain(10).await.unwrap().delivered, 1);
    let ticket = &rig.sim.tickets()[0];
    assert_eq!(
        ticket["departmentId"],
        rig.sim.department_id("Callbacks").unwrap()
    );
    assert_eq!(
        ticket["dueDate"].as_str().unwrap(),
        when.format("%Y-%m-%dT%H:%M:%S.000Z").to_string()
    );
}

#[tokio::test]
async fn enqueue_commits_before_sending_and_a_down_desk_loses_nothing() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let desk = desk_client(&sim, None);
    let rig = Rig::with(sim.clone(), desk);
    let _down = take_down(sim).await;

    let item = rig.enqueue_ticket(1);
    // On disk before anything is sent: another connection sees it.
    let other = Outbox::open(rig.dir.path().join("outbox.sqlite")).unwrap();
    assert_eq!(other.get(item.id).unwrap().state, ItemState::Queued);

    let report = rig.deliverer.drain(10).await.unwrap();
    assert_eq!((report.delivered, report.requeued), (0, 1));
    let stored = rig.outbox.get(item.id).unwrap();
    assert_eq!(stored.state, ItemState::Queued);
    assert_eq!(stored.attempts, 1);
    assert!(!stored.in_doubt, "a refused connection sent nothing");
    assert!(stored.last_error.unwrap().contains("cannot reach Zoho"));
    // Still there for the next start (read through another connection).
    let seen = other.get(item.id).unwrap();
    assert_eq!((seen.state, seen.attempts), (ItemState::Queued, 1));
}

#[tokio::test]
async fn desk_down_then_back_delivers_each_ticket_once() {
    let state = tempfile::tempdir().unwrap();
    let config = || SimConfig {
        state_file: Some(state.path().join("sim.json")),
        ..SimConfig::default()
    };
    let sim = Sim::start(config()).await.unwrap();
    let addr = sim.addr();
    let desk = desk_client(&sim, None);
    let rig = Rig::with(sim.clone(), desk);
    let down = take_down(sim).await;

    let items: Vec<_> = (0..3).map(|i| rig.enqueue_ticket(i)).collect();
    let report = rig.deliverer.drain(10).await.unwrap();
    assert_eq!(report.requeued, 3);
    assert_eq!(states(&rig.outbox, ItemState::Queued), 3);

    // Desk comes back: same port, same state (tokens, departments).
    drop(down);
    let sim = Sim::start_on(addr, config()).await.unwrap();
    let report = drain_until_settled(&rig.deliverer, 10, SETTLE).await;
    assert_eq!(report.delivered, 3);
    for item in &items {
        assert_eq!(tickets_with_ref(&sim, &item.client_ref), 1);
        assert_eq!(rig.outbox.get(item.id).unwrap().state, ItemState::Delivered);
    }
    assert_eq!(sim.tickets().len(), 3);
}

#[tokio::test]
async fn a_lost_reply_is_looked_up_and_the_ticket_exists_once() {
    // Reference in the description, then in a custom field.
    for field in [None, Some("cf_chat_ref")] {
        let mut rig = Rig::new(SimConfig::default()).await;
        if let Some(f) = field {
            rig.config = rig.config.clone().with_reference_field(f);
        }
        rig.sim
            .inject(Fault::new("POST", TICKETS, FaultKind::DropAfterApply));
        let item = rig.enqueue_ticket(7);

        let first = rig.deliverer.drain(10).await.unwrap();
        assert_eq!(first.requeued, 1);
        let stored = rig.outbox.get(item.id).unwrap();
        assert!(stored.in_doubt);
        assert!(stored.last_error.unwrap().contains("may or may not"));

        let report = drain_until_settled(&rig.deliverer, 10, SETTLE).await;
        assert_eq!(
            (report.found_existing, report.delivered),
            (1, 0),
            "{field:?}"
        );
        assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
        assert_eq!(rig.sim.tickets().len(), 1);
        assert_eq!(count_requests(&rig.sim, "POST", TICKETS), 1, "never resent");
        let searches: Vec<_> = rig
            .sim
            .requests()
            .into_iter()
            .filter(|r| r.path == SEARCH)
            .collect();
        assert_eq!(searches.len(), 1);
        let expected = match field {
            Some(f) => format!("{f}%3A{}", item.client_ref),
            None => format!("description={}", item.client_ref),
        };
        assert!(
            searches[0].query.contains(&expected),
            "{}",
            searches[0].query
        );
        let stored = rig.outbox.get(item.id).unwrap();
        assert_eq!(stored.state, ItemState::Delivered);
        assert_eq!(
            stored.ticket_number.as_deref(),
            rig.sim.tickets()[0]["ticketNumber"].as_str()
        );
    }
}

#[tokio::test]
async fn a_request_dropped_before_it_was_applied_is_looked_up_then_sent_once() {
    let rig = Rig::new(SimConfig::default()).await;
    rig.sim
        .inject(Fault::new("POST", TICKETS, FaultKind::DropBeforeApply));
    let item = rig.enqueue_ticket(3);
    let report = drain_until_settled(&rig.deliverer, 10, SETTLE).await;
    assert_eq!((report.requeued, report.delivered), (1, 1));
    assert_eq!(count_requests(&rig.sim, "GET", SEARCH), 1);
    assert_eq!(count_requests(&rig.sim, "POST", TICKETS), 2);
    assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_retried_until_delivered() {
    let rig = Rig::new(SimConfig::default()).await;
    // More than the client's own 3 attempts: the outbox must requeue.
    rig.sim
        .inject(Fault::new("POST", TICKETS, FaultKind::ServerError).times(4));
    rig.sim.inject(
        Fault::new(
            "POST",
            TICKETS,
            FaultKind::TooManyRequests { retry_after: None },
        )
        .times(3),
    );
    let item = rig.enqueue_ticket(5);
    let report = drain_until_settled(&rig.deliverer, 10, SETTLE).await;
    assert_eq!(report.delivered, 1);
    assert!(report.requeued >= 2, "{report:?}");
    assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
    assert_eq!(rig.sim.tickets().len(), 1);
}

#[tokio::test]
async fn a_validation_failure_is_not_retried_and_can_be_edited_and_resent() {
    let rig = Rig::new(SimConfig::default()).await;
    let mut config = rig.config.clone();
    // Well-formed, but no such department: 422 INVALID_DATA.
    config.support_department = DepartmentId::new("1329983000000000001");
    let composed = compose_ticket(&draft(9), &config, ClientRef::generate());
    let item = rig.outbox.enqueue(&composed).unwrap();

    let report = rig.deliverer.drain(10).await.unwrap();
    assert_eq!(report.failed, 1);
    let failed = rig.outbox.get(item.id).unwrap();
    assert_eq!(failed.state, ItemState::Failed);
    assert!(
        failed
            .last_error
            .as_deref()
            .unwrap()
            .contains("Zoho Desk refused it")
    );
    assert_eq!(failed.field_errors[0].field, "/departmentId");
    assert_eq!(rig.events().last().unwrap().state, ItemState::Failed);

    // Not retried by later drains.
    let again = drain_until_settled(&rig.deliverer, 10, SETTLE).await;
    assert_eq!(again.sent() + again.failed + again.requeued, 0);
    assert_eq!(count_requests(&rig.sim, "POST", TICKETS), 1);

    let mut fixed = composed.request.clone();
    fixed.department_id = rig.config.support_department.clone();
    rig.outbox.edit_and_resend(item.id, fixed).unwrap();
    let report = drain_until_settled(&rig.deliverer, 10, SETTLE).await;
    assert_eq!(report.delivered, 1);
    assert_eq!(count_requests(&rig.sim, "POST", TICKETS), 2);
    assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
}

#[tokio::test]
async fn a_drain_keeps_at_most_its_concurrency_in_flight() {
    const LIMIT: usize = 4;
    let sim = Sim::start(SimConfig {
        concurrency_limit: Some(LIMIT),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    sim.inject(Fault::new("POST", TICKETS, FaultKind::Delay(Duration::from_millis(30))).times(100));
    let desk = desk_client(&sim, None);
    let rig = Rig::with(sim, desk);
    let in_flight = Arc::new(Mutex::new((0usize, 0usize)));
    let seen = in_flight.clone();
    let deliverer: Deliverer = Deliverer::new(rig.outbox.clone(), desk_client(&rig.sim, None))
        .with_backoff(fast_backoff())
        .on_event(move |e| {
            let mut s = seen.lock().unwrap();
            match e.state {
                ItemState::Sending => s.0 += 1,
                _ => s.0 -= 1,
            }
            s.1 = s.1.max(s.0);
        });
    for i in 0..24 {
        rig.enqueue_ticket(i);
    }
    let report = deliverer.drain(LIMIT).await.unwrap();
    assert_eq!(report.delivered, 24);
    assert_eq!(
        in_flight.lock().unwrap().1,
        LIMIT,
        "the bound is reached, never passed"
    );
    let rejected = rig
        .sim
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert_eq!(
        rejected, 0,
        "the sim never saw more than {LIMIT} calls at once"
    );
}

#[tokio::test]
async fn a_lookup_that_fails_never_resends_blind() {
    let rig = Rig::new(SimConfig::default()).await;
    rig.sim
        .inject(Fault::new("POST", TICKETS, FaultKind::DropAfterApply));
    // More 500s on the search than the client's own 3 attempts.
    rig.sim
        .inject(Fault::new("GET", SEARCH, FaultKind::ServerError).times(4));
    let item = rig.enqueue_ticket(4);
    let report = drain_until_settled(&rig.deliverer, 10, SETTLE).await;
    assert_eq!((report.found_existing, report.delivered), (1, 0));
    assert!(report.requeued >= 2, "{report:?}");
    assert_eq!(count_requests(&rig.sim, "POST", TICKETS), 1);
    assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
}

#[tokio::test]
async fn the_background_worker_delivers_what_is_enqueued_when_kicked() {
    let rig = Rig::new(SimConfig::default()).await;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = rig.deliverer.clone();
    let task = tokio::spawn(async move {
        worker
            .run(10, async {
                let _ = stop_rx.await;
            })
            .await
    });
    // Let it go idle (nothing queued: it would sleep a minute).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let item = rig.enqueue_ticket(11);
    rig.deliverer.kick();
    let start = std::time::Instant::now();
    while rig.outbox.get(item.id).unwrap().state != ItemState::Delivered {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "not delivered after a kick"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop_tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
}

#[tokio::test]
async fn deliver_now_sends_one_item_and_reports_it() {
    let rig = Rig::new(SimConfig::default()).await;
    let a = rig.enqueue_ticket(1);
    let b = rig.enqueue_ticket(2);
    let outcome = rig.deliverer.deliver_now(b.id).await.unwrap();
    assert_eq!(outcome, Some(helpdesk::outbox::Outcome::Delivered));
    assert_eq!(rig.outbox.get(a.id).unwrap().state, ItemState::Queued);
    assert_eq!(
        rig.deliverer.deliver_now(b.id).await.unwrap(),
        None,
        "not queued any more"
    );
    let counts = rig.outbox.counts().unwrap();
    assert_eq!((counts.queued, counts.delivered), (1, 1));
}
