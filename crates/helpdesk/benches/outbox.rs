//! Outbox benchmark (`cargo bench -p helpdesk`): a plain main that prints
//! figures, bounded in count and time.
//!
//! 1. Requests per chat ticket with a valid token: a ticket composed from a
//!    `TicketDraft`, enqueued and drained; the sim's request log counted.
//!    Must be 1 (the inline contact makes it find-or-create in one call).
//! 2. Draining 1,000 tickets at a concurrency limit of 10 against a sim
//!    that allows 10 concurrent calls: time, tickets/s, 429s seen.
//!    Once as fast as the sim goes, once with 20 ms per create.
//! 3. Control: 200 tickets at 20 in flight against that limit of 10.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chat_engine::{Speaker, TicketDraft, Turn};
use chrono::Utc;
use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Fault, FaultKind, Sim, SimConfig};
use helpdesk::compose::{ClientRef, ComposeConfig, compose_ticket};
use helpdesk::outbox::{Backoff, Deliverer, DrainReport, Outbox};
use zoho_desk::*;

const DRAIN_TICKETS: usize = 1_000;
const CONCURRENCY: usize = 10;
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Simulated time of one create in the latency runs.
const LATENCY: Duration = Duration::from_millis(20);

fn desk(sim: &Sim) -> DeskClient {
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, DEFAULT_SCOPES);
    let http = HttpClient::new(HttpConfig {
        // The outbox's bound is the one measured, not the client's limiter.
        concurrency_limit: None,
        ..HttpConfig::default()
    })
    .unwrap();
    let accounts = AccountsClient::new(http.clone(), BaseUrl::parse(&sim.base_url()).unwrap());
    let store = Arc::new(MemoryTokenStore::with_tokens(StoredTokens {
        access_token: Some(AccessToken::new(access)),
        access_expires_at: Some(Utc::now() + chrono::Duration::hours(1)),
        refresh_token: Some(RefreshToken::new(refresh)),
    }));
    let credentials = ClientCredentials::new(
        ClientId::new(DEV_CLIENT_ID),
        ClientSecret::new(DEV_CLIENT_SECRET),
    );
    let tokens = Arc::new(TokenManager::new(accounts, credentials, store).unwrap());
    DeskClient::new(http, BaseUrl::parse(&sim.desk_api_url()).unwrap(), tokens)
        .with_org(OrgId::new(sim.org_id()))
}

fn draft(i: usize) -> TicketDraft {
    let issue = format!("Invoice {i} is wrong. It shows 3 seats instead of 2.");
    TicketDraft {
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        email: format!("ann{i}@example.com"),
        phone_e164: "+4915123456789".into(),
        issue: issue.clone(),
        transcript: vec![
            Turn {
                at: Utc::now(),
                from: Speaker::Bot,
                text: "What is the issue?".into(),
            },
            Turn {
                at: Utc::now(),
                from: Speaker::Person,
                text: issue,
            },
        ],
    }
}

fn config(sim: &Sim) -> ComposeConfig {
    ComposeConfig::new(
        DepartmentId::new(sim.department_id("Support").unwrap()),
        DepartmentId::new(sim.department_id("Callbacks").unwrap()),
    )
}

async fn requests_per_chat_ticket() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path().join("outbox.sqlite")).unwrap();
    let deliverer = Deliverer::new(outbox.clone(), desk(&sim));
    outbox
        .enqueue(&compose_ticket(
            &draft(0),
            &config(&sim),
            ClientRef::generate(),
        ))
        .unwrap();
    let report = deliverer.drain(CONCURRENCY).await.unwrap();
    let requests = sim.requests();
    println!("requests per chat ticket (valid token): {}", requests.len());
    for r in &requests {
        println!("  {} {} -> {}", r.method, r.path, r.status);
    }
    assert_eq!(report.delivered, 1);
    assert_eq!(requests.len(), 1, "one request per chat ticket");
}

/// Drains `tickets` at `concurrency` against a sim allowing `sim_limit`,
/// each create held `latency` in the sim (a stand-in for the network).
async fn drain(tickets: usize, concurrency: usize, sim_limit: usize, latency: Duration) {
    let sim = Sim::start(SimConfig {
        concurrency_limit: Some(sim_limit),
        daily_credits: 1_000_000,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    if !latency.is_zero() {
        sim.inject(
            Fault::new("POST", "/api/v1/tickets", FaultKind::Delay(latency))
                .times(u32::try_from(tickets * 2).unwrap()),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path().join("outbox.sqlite")).unwrap();
    let client = desk(&sim);
    let deliverer = Deliverer::new(outbox.clone(), client.clone()).with_backoff(Backoff {
        initial: Duration::from_millis(50),
        max: Duration::from_secs(1),
    });
    let config = config(&sim);

    let start = Instant::now();
    for i in 0..tickets {
        outbox
            .enqueue(&compose_ticket(&draft(i), &config, ClientRef::generate()))
            .unwrap();
    }
    let enqueue = start.elapsed();
    println!(
        "enqueue {tickets} (one fsync'd commit each): {:.2} s, {:.0} items/s",
        enqueue.as_secs_f64(),
        tickets as f64 / enqueue.as_secs_f64()
    );

    let start = Instant::now();
    let mut total = DrainReport::default();
    loop {
        let r = deliverer.drain(concurrency).await.unwrap();
        total.delivered += r.delivered;
        total.found_existing += r.found_existing;
        total.requeued += r.requeued;
        total.failed += r.failed;
        let Some(due) = outbox.next_due_at().unwrap() else {
            break;
        };
        if start.elapsed() > TIME_LIMIT {
            println!("stopped at the time limit");
            break;
        }
        tokio::time::sleep((due - Utc::now()).to_std().unwrap_or_default()).await;
    }
    let took = start.elapsed();
    let rejected = sim.requests().iter().filter(|r| r.status == 429).count();
    let creates = sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v1/tickets")
        .count();
    println!(
        "drain {tickets} tickets at concurrency {concurrency} (sim limit {sim_limit}, {} ms per create): {:.2} s, {:.0} tickets/s",
        latency.as_millis(),
        took.as_secs_f64(),
        tickets as f64 / took.as_secs_f64()
    );
    println!(
        "  delivered {} (found existing {}), requeued {}, failed {}; POST /tickets {creates}; 429s seen by the sim {rejected}, by the client {}; tickets in the sim {}",
        total.delivered,
        total.found_existing,
        total.requeued,
        total.failed,
        client.http().stats().rate_limited,
        sim.tickets().len()
    );
    assert_eq!(sim.tickets().len(), tickets);
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // special: both run the (bounded) figures.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        requests_per_chat_ticket().await;
        drain(DRAIN_TICKETS, CONCURRENCY, CONCURRENCY, Duration::ZERO).await;
        drain(DRAIN_TICKETS, CONCURRENCY, CONCURRENCY, LATENCY).await;
        // Control: a bound above the sim's limit does draw 429s (so the
        // zeros above mean something); retries and the outbox absorb them.
        drain(200, 2 * CONCURRENCY, CONCURRENCY, LATENCY).await;
    });
}
