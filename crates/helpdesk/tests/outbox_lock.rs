//! The outbox's delivery lock between processes: while one process is
//! sending an item, another that opens the same file neither recovers it
//! nor sends it (a duplicate ticket otherwise); a holder that dies frees
//! the lock, and whoever takes it then recovers and delivers once.

mod outbox_common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Fault, FaultKind, Sim, SimConfig};
use helpdesk::compose::{ClientRef, compose_ticket};
use helpdesk::outbox::{Deliverer, ItemState, Outbox};
use outbox_common::*;
use zoho_desk::DEFAULT_SCOPES;

const TICKETS_PATH: &str = "/api/v1/tickets";

/// `outbox-drain` (another process) on `db`.
fn drainer(sim: &Sim, db: &std::path::Path) -> Command {
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, DEFAULT_SCOPES);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_outbox-drain"));
    cmd.env("OUTBOX_PATH", db)
        .env("DESK_BASE_URL", sim.base_url())
        .env("DESK_ORG_ID", sim.org_id())
        .env("DESK_ACCESS_TOKEN", access)
        .env("DESK_REFRESH_TOKEN", refresh)
        .env("DESK_CLIENT_ID", DEV_CLIENT_ID)
        .env("DESK_CLIENT_SECRET", DEV_CLIENT_SECRET)
        .env("OUTBOX_BACKOFF_MS", "10")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

async fn run_to_end(cmd: Command) -> serde_json::Value {
    let output = tokio::task::spawn_blocking(move || {
        let mut cmd = cmd;
        cmd.output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(output.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap()
}

async fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_in_flight_is_neither_recovered_nor_resent_by_a_second_opener() {
    let rig = Rig::new(SimConfig::default()).await;
    let db = rig.dir.path().join("outbox.sqlite");
    let item = rig.enqueue_ticket(1);
    // Slow create: the item stays `sending` in this process for a while,
    // and Desk has nothing yet that a look-up could find.
    rig.sim.inject(Fault::new(
        "POST",
        TICKETS_PATH,
        FaultKind::Delay(Duration::from_millis(1500)),
    ));
    let holder = rig.deliverer.clone();
    let sending = tokio::spawn(async move { holder.drain(1).await.unwrap() });
    let outbox = rig.outbox.clone();
    wait_until(Duration::from_secs(5), "the holder sends", || {
        outbox.get(item.id).unwrap().state == ItemState::Sending
    })
    .await;
    // The request is on its way (the sim logs it once served).
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Another process opens the file meanwhile (as `deskctl` does).
    let summary = run_to_end(drainer(&rig.sim, &db)).await;
    assert_eq!(summary["locked"], true, "{summary}");
    assert_eq!(summary["recovered"], 0, "{summary}");
    assert_eq!(summary["drained"]["delivered"], 0, "{summary}");

    // A second handle in this process is as good as another process: the
    // lock belongs to the open file, not to the process.
    let second = Outbox::open(&db).unwrap();
    let other = Deliverer::new(second.clone(), desk_client(&rig.sim, None));
    let report = other.drain(10).await.unwrap();
    assert_eq!(report.sent() + report.requeued, 0);
    assert!(!second.holds_delivery_lock());
    assert_eq!(second.recovered(), 0);
    let seen = second.get(item.id).unwrap();
    assert_eq!((seen.state, seen.in_doubt), (ItemState::Sending, false));
    assert!(other.deliver_now(item.id).await.unwrap().is_none());

    // The holder finishes: one request, one ticket.
    let report = sending.await.unwrap();
    assert_eq!(report.delivered, 1);
    assert_eq!(count_requests(&rig.sim, "POST", TICKETS_PATH), 1);
    assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
    assert_eq!(
        second.get(item.id).unwrap().state,
        ItemState::Delivered,
        "seen by the other handle"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_killed_mid_send_frees_the_lock_and_the_next_one_delivers_once() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("outbox.sqlite");
    let config = compose_config(&sim);
    let item = {
        let outbox = Outbox::open(&db).unwrap();
        let c = compose_ticket(&draft(7), &config, ClientRef::generate());
        outbox.enqueue(&c).unwrap()
    };
    sim.inject(Fault::new(
        "POST",
        TICKETS_PATH,
        FaultKind::Delay(Duration::from_millis(800)),
    ));
    let mut child = drainer(&sim, &db).spawn().unwrap();
    let watcher = Outbox::open_to_read(&db).unwrap();
    wait_until(Duration::from_secs(20), "the child sends", || {
        watcher.get(item.id).unwrap().state == ItemState::Sending
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // While it lives, this process cannot take the lock.
    let next = Outbox::open(&db).unwrap();
    assert!(!next.try_lock_delivery().unwrap());
    child.kill().unwrap(); // SIGKILL: the OS drops its lock
    child.wait().unwrap();

    assert!(
        next.try_lock_delivery().unwrap(),
        "a dead holder's lock is free"
    );
    assert_eq!(next.recovered(), 1);
    assert!(next.get(item.id).unwrap().in_doubt);
    // Whatever became of the killed request, the look-up makes it once.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let deliverer = Deliverer::new(next.clone(), desk_client(&sim, None));
    let report = drain_until_settled(&deliverer, 1, Duration::from_secs(20)).await;
    assert_eq!(report.sent(), 1, "{report:?}");
    assert_eq!(next.get(item.id).unwrap().state, ItemState::Delivered);
    assert_eq!(tickets_with_ref(&sim, &item.client_ref), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_apps_delivery_loop_waits_for_a_lock_held_elsewhere_then_takes_it() {
    use helpdesk::delivery::{Delivery, DeliveryOptions};
    let rig = Rig::new(SimConfig::default()).await;
    let db = rig.dir.path().join("outbox.sqlite");
    // `deskctl outbox flush` (another handle) holds the lock for a moment.
    let cli = Outbox::open(&db).unwrap();
    assert!(cli.try_lock_delivery().unwrap());

    let app = Outbox::open(&db).unwrap();
    let delivery = Delivery::new(
        app.clone(),
        DeliveryOptions {
            backoff: fast_backoff(),
            ..DeliveryOptions::default()
        },
    );
    delivery.connect(Some(desk_client(&rig.sim, None)));
    let item = rig.enqueue_ticket(3);
    delivery.kick();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!app.holds_delivery_lock());
    assert_eq!(app.get(item.id).unwrap().state, ItemState::Queued);
    assert!(
        rig.sim.tickets().is_empty(),
        "nothing sent without the lock"
    );

    // The flush ends: the loop takes the lock at its next try (within
    // LOCK_RETRY, not spinning meanwhile) and sends the item once.
    drop(cli);
    let started = Instant::now();
    wait_until(
        helpdesk::outbox::LOCK_RETRY + Duration::from_secs(3),
        "the loop delivers",
        || app.get(item.id).unwrap().state == ItemState::Delivered,
    )
    .await;
    assert!(app.holds_delivery_lock());
    eprintln!("delivered {:?} after the lock was freed", started.elapsed());
    assert_eq!(tickets_with_ref(&rig.sim, &item.client_ref), 1);
    // It keeps the lock: another opener cannot take it.
    assert!(!Outbox::open(&db).unwrap().try_lock_delivery().unwrap());
}
