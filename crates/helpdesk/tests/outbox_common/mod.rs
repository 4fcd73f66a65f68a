//! Shared set-up of the outbox tests: each test starts its own `desk-sim` on
//! `127.0.0.1:0`, an outbox in a temporary directory and a deliverer with
//! tiny backoffs.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chat_engine::{Speaker, TicketDraft, Turn};
use chrono::Utc;
use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Sim, SimConfig};
use helpdesk::compose::{ClientRef, ComposeConfig, compose_ticket};
use helpdesk::outbox::{Backoff, Deliverer, DrainReport, Item, ItemState, Outbox, OutboxEvent};
use zoho_desk::*;

pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        default_retry_after: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(2),
        retry_creates_on_server_error: true,
    }
}

pub fn fast_backoff() -> Backoff {
    Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(50),
    }
}

/// A Desk client for `sim` with tokens issued there (every scope).
pub fn desk_client(sim: &Sim, concurrency_limit: Option<usize>) -> DeskClient {
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, DEFAULT_SCOPES);
    desk_client_with(
        &sim.base_url(),
        &sim.org_id(),
        &access,
        &refresh,
        concurrency_limit,
    )
}

pub fn desk_client_with(
    base_url: &str,
    org_id: &str,
    access: &str,
    refresh: &str,
    concurrency_limit: Option<usize>,
) -> DeskClient {
    let http = HttpClient::new(HttpConfig {
        retry: fast_retry(),
        concurrency_limit,
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        ..HttpConfig::default()
    })
    .unwrap();
    let accounts = AccountsClient::new(http.clone(), BaseUrl::parse(base_url).unwrap());
    let store = Arc::new(MemoryTokenStore::with_tokens(StoredTokens {
        access_token: Some(AccessToken::new(access)),
        access_expires_at: None,
        refresh_token: Some(RefreshToken::new(refresh)),
    }));
    let credentials = ClientCredentials::new(
        ClientId::new(DEV_CLIENT_ID),
        ClientSecret::new(DEV_CLIENT_SECRET),
    );
    let tokens = Arc::new(TokenManager::new(accounts, credentials, store).unwrap());
    DeskClient::new(
        http,
        BaseUrl::parse(&format!("{base_url}/api/v1")).unwrap(),
        tokens,
    )
    .with_org(OrgId::new(org_id))
}

pub fn compose_config(sim: &Sim) -> ComposeConfig {
    ComposeConfig::new(
        DepartmentId::new(sim.department_id("Support").unwrap()),
        DepartmentId::new(sim.department_id("Callbacks").unwrap()),
    )
}

pub fn draft(i: usize) -> TicketDraft {
    let issue = format!("Printer {i} is on fire. It smells of <smoke> & \"burnt\" toast 🔥.");
    TicketDraft {
        first_name: "Ann".into(),
        last_name: format!("Lee{i}"),
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

/// A sim, an outbox on disk, a deliverer recording its events.
pub struct Rig {
    pub sim: Sim,
    pub dir: tempfile::TempDir,
    pub outbox: Outbox,
    pub deliverer: Deliverer,
    pub config: ComposeConfig,
    pub events: Arc<Mutex<Vec<OutboxEvent>>>,
}

impl Rig {
    pub async fn new(sim_config: SimConfig) -> Rig {
        let sim = Sim::start(sim_config).await.unwrap();
        let desk = desk_client(&sim, None);
        Rig::with(sim, desk)
    }

    pub fn with(sim: Sim, desk: DeskClient) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(dir.path().join("outbox.sqlite")).unwrap();
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let deliverer = Deliverer::new(outbox.clone(), desk)
            .with_backoff(fast_backoff())
            .on_event(move |e| sink.lock().unwrap().push(e));
        let config = compose_config(&sim);
        Rig {
            sim,
            dir,
            outbox,
            deliverer,
            config,
            events,
        }
    }

    pub fn enqueue_ticket(&self, i: usize) -> Item {
        let composed = compose_ticket(&draft(i), &self.config, ClientRef::generate());
        self.outbox.enqueue(&composed).unwrap()
    }

    pub fn events(&self) -> Vec<OutboxEvent> {
        self.events.lock().unwrap().clone()
    }
}

/// Drains until nothing is queued (waiting out backoffs), within `limit`.
pub async fn drain_until_settled(
    deliverer: &Deliverer,
    concurrency: usize,
    limit: Duration,
) -> DrainReport {
    let start = Instant::now();
    let mut total = DrainReport::default();
    loop {
        let r = deliverer.drain(concurrency).await.unwrap();
        total.delivered += r.delivered;
        total.found_existing += r.found_existing;
        total.requeued += r.requeued;
        total.failed += r.failed;
        let Some(due) = deliverer.outbox().next_due_at().unwrap() else {
            return total;
        };
        assert!(
            start.elapsed() < limit,
            "the outbox did not settle in {limit:?}"
        );
        let wait = (due - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait.min(Duration::from_millis(200))).await;
    }
}

/// Tickets the sim holds that carry `client_ref` (custom field or description).
pub fn tickets_with_ref(sim: &Sim, client_ref: &ClientRef) -> usize {
    let wanted = client_ref.as_str();
    sim.tickets()
        .iter()
        .filter(|t| {
            let in_cf = t["cf"]
                .as_object()
                .is_some_and(|cf| cf.values().any(|v| v.as_str() == Some(wanted)));
            let in_description = t["description"]
                .as_str()
                .is_some_and(|d| d.contains(wanted));
            in_cf || in_description
        })
        .count()
}

pub fn count_requests(sim: &Sim, method: &str, path: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

pub fn states(outbox: &Outbox, state: ItemState) -> usize {
    outbox.list(state).unwrap().len()
}

/// Stops `sim` and keeps its port bound (not listening), so that no other
/// test's simulator gets it meanwhile: connections are refused, as when
/// Desk cannot be reached. Drop the socket before starting a sim there again.
pub async fn take_down(sim: Sim) -> tokio::net::TcpSocket {
    let addr = sim.addr();
    sim.shutdown().await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket.bind(addr).unwrap();
    socket
}
