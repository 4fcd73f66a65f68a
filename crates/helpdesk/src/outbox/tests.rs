//! Unit tests of the outbox store (no Desk): schema, claims, transitions, history.

use super::*;
use crate::compose::{ClientRef, ComposeConfig, ItemKind, ManualTicket, compose_manual};
use zoho_desk::{DepartmentId, Priority};

fn composed(subject: &str, email: &str) -> Composed {
    let manual = ManualTicket {
        kind: ItemKind::Ticket,
        subject: subject.into(),
        description: "details".into(),
        department: DepartmentId::new("1"),
        priority: Priority::Medium,
        status: "Open".into(),
        channel: "Chat".into(),
        due_date: None,
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        email: Some(email.into()),
        phone: None,
    };
    compose_manual(
        &manual,
        &ComposeConfig::new(DepartmentId::new("1"), DepartmentId::new("2")),
        ClientRef::generate(),
    )
}

#[test]
fn enqueue_stores_everything_and_is_idempotent_per_reference() {
    let outbox = Outbox::open_in_memory().unwrap();
    let c = composed("Printer on fire", "ann@example.com");
    let item = outbox.enqueue(&c).unwrap();
    assert_eq!(item.state, ItemState::Queued);
    assert_eq!(item.attempts, 0);
    assert_eq!(item.subject, "Printer on fire");
    assert_eq!(item.contact_name.as_deref(), Some("Ann Lee"));
    assert_eq!(item.contact_email.as_deref(), Some("ann@example.com"));
    assert_eq!(item.request, serde_json::to_value(&c.request).unwrap());
    let again = outbox.enqueue(&c).unwrap();
    assert_eq!(again.id, item.id);
    assert_eq!(outbox.counts().unwrap().queued, 1);
}

#[test]
fn a_claimed_item_cannot_be_claimed_twice() {
    let outbox = Outbox::open_in_memory().unwrap();
    for i in 0..5 {
        outbox
            .enqueue(&composed(&format!("t{i}"), "a@b.c"))
            .unwrap();
    }
    let first = outbox.claim_due(3).unwrap();
    let second = outbox.claim_due(10).unwrap();
    assert_eq!((first.len(), second.len()), (3, 2));
    assert!(
        first
            .iter()
            .chain(&second)
            .all(|i| i.state == ItemState::Sending && i.attempts == 1)
    );
    assert!(outbox.claim_due(10).unwrap().is_empty());
    assert!(outbox.claim(first[0].id).unwrap().is_none());
}

#[test]
fn sending_items_are_in_doubt_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite");
    {
        let outbox = Outbox::open(&path).unwrap();
        outbox.enqueue(&composed("a", "a@b.c")).unwrap();
        outbox.enqueue(&composed("b", "a@b.c")).unwrap();
        assert_eq!(outbox.claim_due(1).unwrap().len(), 1);
    }
    let outbox = Outbox::open(&path).unwrap();
    // Nothing is recovered before the delivery lock is taken.
    assert_eq!(outbox.list(ItemState::Sending).unwrap().len(), 1);
    assert!(outbox.try_lock_delivery().unwrap());
    assert_eq!(outbox.recovered(), 1);
    let queued = outbox.list(ItemState::Queued).unwrap();
    assert_eq!(queued.len(), 2);
    assert_eq!(queued.iter().filter(|i| i.in_doubt).count(), 1);
}

#[test]
fn an_item_in_flight_is_not_recovered_or_claimed_through_a_second_handle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite");
    let app = Outbox::open(&path).unwrap();
    app.enqueue(&composed("a", "a@b.c")).unwrap();
    let waiting = app.enqueue(&composed("b", "a@b.c")).unwrap();
    let in_flight = app.claim_due(1).unwrap().remove(0);
    assert!(app.holds_delivery_lock());

    // A second handle on the file (as `deskctl` opens it) while the first
    // is sending: nothing is taken for interrupted, nothing is claimed.
    let cli = Outbox::open(&path).unwrap();
    assert!(!cli.try_lock_delivery().unwrap());
    assert_eq!(cli.recover_interrupted().unwrap(), 0);
    assert_eq!(cli.recovered(), 0);
    assert!(cli.claim_due(10).unwrap().is_empty());
    assert!(cli.claim(waiting.id).unwrap().is_none());
    let seen = cli.get(in_flight.id).unwrap();
    assert_eq!((seen.state, seen.in_doubt), (ItemState::Sending, false));
    // It may still queue: the holder sends it.
    let queued = cli.enqueue(&composed("c", "a@b.c")).unwrap();
    assert_eq!(app.claim(queued.id).unwrap().unwrap().id, queued.id);

    // The holder gone (its handle closed, as when the process dies), the
    // lock is free and the items it left `sending` are recovered.
    drop(app);
    assert!(cli.try_lock_delivery().unwrap());
    assert_eq!(cli.recovered(), 2);
    assert!(cli.get(in_flight.id).unwrap().in_doubt);
}

#[test]
fn the_database_uses_wal_full_sync_and_a_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite");
    let outbox = Outbox::open(&path).unwrap();
    let conn = outbox.lock();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "FULL");
    assert_eq!(version, schema::SCHEMA_VERSION);
    drop(conn);
    drop(outbox);
    // A newer schema is refused rather than misread.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(
        Outbox::open(&path),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
}

#[test]
fn failed_items_can_be_retried_edited_or_discarded() {
    let outbox = Outbox::open_in_memory().unwrap();
    let c = composed("old subject", "a@b.c");
    let item = outbox.enqueue(&c).unwrap();
    outbox.claim_due(1).unwrap();
    let fields = vec![ItemFieldError {
        field: "/departmentId".into(),
        kind: "invalid".into(),
        message: "No department has this id".into(),
    }];
    let failed = outbox.mark_failed(item.id, "refused", &fields).unwrap();
    assert_eq!(failed.state, ItemState::Failed);
    assert_eq!(failed.field_errors, fields);
    assert!(
        outbox.claim_due(10).unwrap().is_empty(),
        "failed items are not retried"
    );

    let mut edited = c.request.clone();
    edited.subject = "new subject".into();
    edited.cf = None;
    let resent = outbox.edit_and_resend(item.id, edited).unwrap();
    assert_eq!(resent.state, ItemState::Queued);
    assert_eq!(resent.subject, "new subject");
    assert!(resent.field_errors.is_empty());
    assert!(
        resent.request["description"]
            .as_str()
            .unwrap()
            .contains(c.client_ref.as_str()),
        "the reference is kept"
    );

    outbox.claim_due(1).unwrap();
    outbox.mark_failed(item.id, "refused", &[]).unwrap();
    assert_eq!(outbox.retry(item.id).unwrap().state, ItemState::Queued);
    outbox.discard(item.id).unwrap();
    assert!(matches!(outbox.get(item.id), Err(Error::NotFound(_))));
}

#[test]
fn delivered_items_cannot_be_edited_or_discarded() {
    let outbox = Outbox::open_in_memory().unwrap();
    let c = composed("s", "a@b.c");
    let item = outbox.enqueue(&c).unwrap();
    outbox.claim_due(1).unwrap();
    let ticket: Ticket = serde_json::from_value(serde_json::json!({
        "id": "1329983000000431001", "ticketNumber": "101", "status": "Open",
        "webUrl": "https://desk.example/101"
    }))
    .unwrap();
    let done = outbox.mark_delivered(item.id, &ticket).unwrap();
    assert_eq!(done.state, ItemState::Delivered);
    assert_eq!(done.ticket_number.as_deref(), Some("101"));
    assert_eq!(done.web_url.as_deref(), Some("https://desk.example/101"));
    assert!(done.delivered_at.is_some());
    assert!(matches!(
        outbox.discard(item.id),
        Err(Error::WrongState { .. })
    ));
    assert!(matches!(
        outbox.edit_and_resend(item.id, c.request.clone()),
        Err(Error::WrongState { .. })
    ));
    assert!(matches!(
        outbox.retry(item.id),
        Err(Error::WrongState { .. })
    ));
}

#[test]
fn history_is_newest_first_and_searchable() {
    let outbox = Outbox::open_in_memory().unwrap();
    let a = outbox
        .enqueue(&composed("Printer on fire", "ann@example.com"))
        .unwrap();
    let b = outbox
        .enqueue(&composed("Invoice wrong 100%", "bob@example.com"))
        .unwrap();
    let all = outbox.history(&HistoryQuery::default()).unwrap();
    assert_eq!(
        all.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![b.id, a.id]
    );
    let cases: &[(&str, &[ItemId])] = &[
        ("printer", &[a.id]),
        ("BOB@", &[b.id]),
        ("100%", &[b.id]),
        ("%", &[b.id]),
        ("ann lee", &[b.id, a.id]),
        ("nothing", &[]),
    ];
    for (text, want) in cases {
        let got: Vec<ItemId> = outbox
            .history(&HistoryQuery {
                text: Some((*text).into()),
                ..HistoryQuery::default()
            })
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(&got, want, "search {text:?}");
    }
}

#[test]
fn backoff_grows_is_capped_and_respects_retry_after() {
    let b = Backoff {
        initial: Duration::from_millis(100),
        max: Duration::from_secs(1),
    };
    for attempts in 1..30 {
        let d = b.delay(attempts, None);
        let exp = Duration::from_millis(100)
            .saturating_mul(1 << (attempts - 1).min(20))
            .min(Duration::from_secs(1));
        assert!(d >= exp / 2 && d <= exp, "attempt {attempts}: {d:?}");
    }
    assert!(b.delay(1, Some(Duration::from_millis(700))) >= Duration::from_millis(700));
    assert!(b.delay(1, Some(Duration::from_secs(60))) <= Duration::from_secs(1));
}

#[test]
fn two_handles_on_one_file_never_claim_the_same_item_and_only_one_claims() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite");
    let outbox = Outbox::open(&path).unwrap();
    for i in 0..200 {
        outbox
            .enqueue(&composed(&format!("t{i}"), "a@b.c"))
            .unwrap();
    }
    let workers: Vec<_> = (0..2)
        .map(|_| {
            // Each worker has its own connection, as two processes would.
            let mine = Outbox::open(&path).unwrap();
            std::thread::spawn(move || {
                let mut claimed = Vec::new();
                loop {
                    let batch = mine.claim_due(3).unwrap();
                    if batch.is_empty() {
                        return claimed;
                    }
                    claimed.extend(batch.into_iter().map(|i| i.id));
                }
            })
        })
        .collect();
    let claims: Vec<Vec<ItemId>> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    // The delivery lock: the first to claim holds it, the other gets nothing.
    assert!(claims.iter().any(Vec::is_empty), "both handles claimed");
    let mut all: Vec<ItemId> = claims.into_iter().flatten().collect();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!((n, all.len()), (200, 200));
}
