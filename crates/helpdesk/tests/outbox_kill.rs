//! The process draining the outbox is SIGKILLed mid-drain, started again,
//! and every ticket is in Desk exactly once.

mod outbox_common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Fault, FaultKind, Sim, SimConfig};
use helpdesk::compose::{ClientRef, compose_ticket};
use helpdesk::outbox::{ItemState, Outbox};
use outbox_common::*;
use zoho_desk::DEFAULT_SCOPES;

const TICKETS: usize = 120;
const KILL_AFTER_CREATES: usize = 30;

fn drainer(sim: &Sim, db: &std::path::Path, access: &str, refresh: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_outbox-drain"));
    cmd.env("OUTBOX_PATH", db)
        .env("DESK_BASE_URL", sim.base_url())
        .env("DESK_ORG_ID", sim.org_id())
        .env("DESK_ACCESS_TOKEN", access)
        .env("DESK_REFRESH_TOKEN", refresh)
        .env("DESK_CLIENT_ID", DEV_CLIENT_ID)
        .env("DESK_CLIENT_SECRET", DEV_CLIENT_SECRET)
        .env("OUTBOX_CONCURRENCY", "10")
        .env("OUTBOX_BACKOFF_MS", "10")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn creates(sim: &Sim) -> usize {
    count_requests(sim, "POST", "/api/v1/tickets")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drain_killed_midway_and_restarted_delivers_every_ticket_exactly_once() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, DEFAULT_SCOPES);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("outbox.sqlite");
    let config = compose_config(&sim);
    let refs: Vec<ClientRef> = {
        let outbox = Outbox::open(&db).unwrap();
        (0..TICKETS)
            .map(|i| {
                let c = compose_ticket(&draft(i), &config, ClientRef::generate());
                outbox.enqueue(&c).unwrap().client_ref
            })
            .collect()
    };
    // Slow creates, so the kill lands while items are in flight.
    sim.inject(
        Fault::new(
            "POST",
            "/api/v1/tickets",
            FaultKind::Delay(Duration::from_millis(40)),
        )
        .times(1_000),
    );

    let mut child = drainer(&sim, &db, &access, &refresh).spawn().unwrap();
    let start = Instant::now();
    while creates(&sim) < KILL_AFTER_CREATES {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the drainer never got going: {:?}",
            child.try_wait()
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the drainer ended before the kill"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no flush, no goodbye
    let status = child.wait().unwrap();
    assert!(!status.success());
    let at_kill = sim.tickets().len();
    assert!(at_kill < TICKETS, "killed mid-drain ({at_kill} created)");

    let restarted = drainer(&sim, &db, &access, &refresh);
    let output = tokio::task::spawn_blocking(move || {
        let mut restarted = restarted;
        restarted.output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_slice(output.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    eprintln!("killed after {at_kill} tickets; restart: {summary}");
    assert!(
        summary["recovered"].as_u64().unwrap() >= 1,
        "items were in flight at the kill"
    );

    // Exactly once, each.
    for r in &refs {
        assert_eq!(tickets_with_ref(&sim, r), 1, "{r}");
    }
    assert_eq!(sim.tickets().len(), TICKETS);
    let outbox = Outbox::open(&db).unwrap();
    assert_eq!(states(&outbox, ItemState::Delivered), TICKETS);
    // The stored ticket numbers are those of the tickets carrying the refs.
    for ticket in sim.tickets() {
        let description = ticket["description"].as_str().unwrap();
        let r = refs
            .iter()
            .find(|r| description.contains(r.as_str()))
            .unwrap();
        let item = outbox.get_by_ref(r).unwrap().unwrap();
        assert_eq!(
            item.ticket_number.as_deref(),
            ticket["ticketNumber"].as_str()
        );
    }
}
