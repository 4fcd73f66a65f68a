//! `cargo bench -p zoho-desk`: a plain `main` (no harness) that starts
//! desk-sim in-process and prints
//! 1. requests sent per ticket created with an inline contact (must be 1);
//! 2. time per ticket through the client vs a bare reqwest POST loop against
//!    the same simulator (target ratio <= 1.05);
//! 3. 1,000 creates against a simulator limited to 10 concurrent calls, with
//!    the client's limiter at 10 vs unlimited (429s seen, total time).
//!
//! Every loop is bounded in count and in time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Fault, FaultKind, Sim, SimConfig};
use serde_json::json;
use zoho_desk::*;

const SEQUENTIAL: usize = 500;
const WARM_UP: usize = 50;
const BLOCK: usize = 25;
const BURST: usize = 1_000;
const SECTION_TIMEOUT: Duration = Duration::from_secs(120);
const SIM_LATENCY: Duration = Duration::from_millis(20);

struct Rig {
    sim: Sim,
    desk: DeskClient,
    http: HttpClient,
    access: String,
    support: String,
}

async fn rig(sim_config: SimConfig, http_config: HttpConfig) -> Rig {
    let sim = Sim::start(sim_config).await.expect("desk-sim starts");
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, DEFAULT_SCOPES);
    let http = HttpClient::new(http_config).unwrap();
    let accounts = AccountsClient::new(http.clone(), BaseUrl::parse(&sim.base_url()).unwrap());
    let store = Arc::new(MemoryTokenStore::with_tokens(StoredTokens {
        access_token: Some(AccessToken::new(access.clone())),
        access_expires_at: None,
        refresh_token: Some(RefreshToken::new(refresh)),
    }));
    let credentials = ClientCredentials::new(
        ClientId::new(DEV_CLIENT_ID),
        ClientSecret::new(DEV_CLIENT_SECRET),
    );
    let tokens = Arc::new(TokenManager::new(accounts, credentials, store).unwrap());
    let desk = DeskClient::new(
        http.clone(),
        BaseUrl::parse(&sim.desk_api_url()).unwrap(),
        tokens,
    )
    .with_org(OrgId::new(sim.org_id()));
    let support = sim.department_id("Support").unwrap();
    Rig {
        sim,
        desk,
        http,
        access,
        support,
    }
}

fn new_ticket(support: &str, i: usize) -> NewTicket {
    NewTicket::new(
        format!("Bench ticket {i}"),
        DepartmentId::new(support),
        ContactRef::Inline(InlineContact {
            last_name: Some("Bench".into()),
            email: Some(format!("bench{}@example.com", i % 20)),
            ..InlineContact::default()
        }),
    )
}

async fn client_creates(rig: &Rig, from: usize, n: usize) -> Duration {
    let started = Instant::now();
    for i in from..from + n {
        rig.desk
            .tickets()
            .create(&new_ticket(&rig.support, i))
            .await
            .expect("client create");
    }
    started.elapsed()
}

/// The same work without the client: build the same JSON, POST it with the
/// two headers, read and parse the reply.
async fn bare_creates(rig: &Rig, bare: &reqwest::Client, from: usize, n: usize) -> Duration {
    let url = format!("{}/tickets", rig.sim.desk_api_url());
    let auth = format!("Zoho-oauthtoken {}", rig.access);
    let org = rig.sim.org_id();
    let started = Instant::now();
    for i in from..from + n {
        let body = json!({
            "subject": format!("Bench ticket {i}"),
            "departmentId": rig.support,
            "contact": {"lastName": "Bench", "email": format!("bench{}@example.com", i % 20)}
        });
        let reply = bare
            .post(&url)
            .header("Authorization", &auth)
            .header("orgId", &org)
            .json(&body)
            .send()
            .await
            .expect("bare create");
        assert!(
            reply.status().is_success(),
            "bare create answered {}",
            reply.status()
        );
        let _: serde_json::Value = reply.json().await.expect("bare reply");
    }
    started.elapsed()
}

fn per_ticket(total: Duration, n: usize) -> f64 {
    total.as_secs_f64() * 1e6 / n as f64
}

async fn requests_per_ticket() {
    let rig = rig(SimConfig::default(), HttpConfig::default()).await;
    let n = 20;
    for i in 0..n {
        rig.desk
            .tickets()
            .create(&new_ticket(&rig.support, i))
            .await
            .unwrap();
    }
    let sent = rig.sim.requests().len();
    println!(
        "1. requests per ticket (inline contact): {:.2} ({sent} requests for {n} tickets, {} contacts found-or-created)",
        sent as f64 / n as f64,
        rig.sim.contacts().len()
    );
    assert_eq!(sent, n, "one request per ticket");
}

async fn client_vs_bare() {
    let config = HttpConfig {
        concurrency_limit: None,
        ..HttpConfig::default()
    };
    let rig = rig(SimConfig::default(), config).await;
    let bare = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    client_creates(&rig, 0, WARM_UP).await;
    bare_creates(&rig, &bare, WARM_UP, WARM_UP).await;
    // Small interleaved blocks, in alternating order, so that the
    // simulator's growth and the machine's noise hit both alike.
    let (mut client, mut plain) = (Duration::ZERO, Duration::ZERO);
    let mut ratios = Vec::new();
    let mut next = 2 * WARM_UP;
    for block in 0..SEQUENTIAL / BLOCK {
        let (c, b) = if block % 2 == 0 {
            let c = client_creates(&rig, next, BLOCK).await;
            (c, bare_creates(&rig, &bare, next + BLOCK, BLOCK).await)
        } else {
            let b = bare_creates(&rig, &bare, next, BLOCK).await;
            (client_creates(&rig, next + BLOCK, BLOCK).await, b)
        };
        client += c;
        plain += b;
        ratios.push(c.as_secs_f64() / b.as_secs_f64());
        next += 2 * BLOCK;
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    let (c, b) = (
        per_ticket(client, SEQUENTIAL),
        per_ticket(plain, SEQUENTIAL),
    );
    println!(
        "2. time per ticket, {SEQUENTIAL} sequential creates each after {WARM_UP} warm-up: client {c:.0} us, bare reqwest {b:.0} us, ratio {:.3} (median of {} block ratios {median:.3}; target <= 1.05)",
        c / b,
        ratios.len()
    );
    println!(
        "   client-side work per ticket without I/O (build, prepare, decode): {:.1} us",
        client_cpu(&rig)
    );
    println!(
        "   tickets held by the simulator: {}",
        rig.sim.tickets().len()
    );
}

/// What the client adds around the wire: building the request, the token
/// and `orgId` headers, the reqwest request, and decoding the reply.
fn client_cpu(rig: &Rig) -> f64 {
    let reply = serde_json::to_vec(&rig.sim.tickets()[0]).unwrap();
    let reply = RawResponse {
        status: reqwest::StatusCode::OK,
        headers: Default::default(),
        body: reply,
    };
    let base = BaseUrl::parse(&rig.sim.desk_api_url()).unwrap();
    let token = AccessToken::new(rig.access.clone());
    let org = OrgId::new(rig.sim.org_id());
    let reqwest_client = reqwest::Client::new();
    let n = 5_000;
    let started = Instant::now();
    for i in 0..n {
        let request =
            zoho_desk::desk::tickets::create_request(&new_ticket(&rig.support, i)).unwrap();
        let prepared = request.prepare(&base, &token, Some(&org)).unwrap();
        std::hint::black_box(prepared.to_reqwest(&reqwest_client).unwrap());
        let ticket: Ticket = zoho_desk::desk::decode(&reply, "bench").unwrap();
        std::hint::black_box(ticket);
    }
    per_ticket(started.elapsed(), n)
}

async fn burst(limit: Option<usize>) {
    let sim_config = SimConfig {
        concurrency_limit: Some(10),
        ..SimConfig::default()
    };
    let http_config = HttpConfig {
        concurrency_limit: limit,
        ..HttpConfig::default()
    };
    let rig = rig(sim_config, http_config).await;
    // Zoho takes tens of milliseconds per create; without that latency the
    // in-process simulator answers too fast for calls to overlap at all.
    rig.sim.inject(Fault {
        method: "POST".into(),
        path: "/api/v1/tickets".into(),
        times: 10 * BURST as u32,
        kind: FaultKind::Delay(SIM_LATENCY),
    });
    let started = Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..BURST {
        let desk = rig.desk.clone();
        let ticket = new_ticket(&rig.support, i);
        calls.spawn(async move { desk.tickets().create(&ticket).await });
    }
    let (mut ok, mut failed) = (0, 0);
    while let Some(result) = calls.join_next().await {
        match result.unwrap() {
            Ok(_) => ok += 1,
            Err(_) => failed += 1,
        }
    }
    let elapsed = started.elapsed();
    let rejected = rig
        .sim
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    let label = limit.map_or("unlimited".to_owned(), |n| format!("limiter {n}"));
    println!(
        "3. {BURST} concurrent creates, sim limit 10 and {} ms per create, client {label:>10}: {:.2} s, 429s seen {rejected}, retries {}, created {ok}, failed {failed}, tickets held {}",
        SIM_LATENCY.as_millis(),
        elapsed.as_secs_f64(),
        rig.http.stats().retries,
        rig.sim.tickets().len()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it once too.
    let quick = std::env::args().any(|a| a == "--quick");
    println!("zoho-desk client benchmark (desk-sim in-process, loopback)");
    tokio::time::timeout(SECTION_TIMEOUT, requests_per_ticket())
        .await
        .expect("section 1 within time");
    if quick {
        return;
    }
    tokio::time::timeout(SECTION_TIMEOUT, client_vs_bare())
        .await
        .expect("section 2 within time");
    tokio::time::timeout(SECTION_TIMEOUT, burst(Some(10)))
        .await
        .expect("section 3a within time");
    tokio::time::timeout(SECTION_TIMEOUT, burst(None))
        .await
        .expect("section 3b within time");
}
