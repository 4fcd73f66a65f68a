//! Shared set-up of the integration tests: each test starts its own
//! `desk-sim` and a client pointed at it, with tiny backoffs.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use desk_sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, Sim, SimConfig};
use zoho_desk::*;

/// Every scope the client uses.
pub const ALL_SCOPES: &[&str] = DEFAULT_SCOPES;

/// Backoffs small enough for a fast suite, attempts enough for bursts.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 6,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
        default_retry_after: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        retry_creates_on_server_error: true,
    }
}

pub fn http_config() -> HttpConfig {
    HttpConfig {
        retry: fast_retry(),
        concurrency_limit: None,
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        ..HttpConfig::default()
    }
}

pub fn credentials() -> ClientCredentials {
    ClientCredentials::new(
        ClientId::new(DEV_CLIENT_ID),
        ClientSecret::new(DEV_CLIENT_SECRET),
    )
}

pub async fn start(config: SimConfig) -> Sim {
    Sim::start(config).await.expect("desk-sim starts")
}

pub async fn start_default() -> Sim {
    start(SimConfig::default()).await
}

/// A test rig: the simulator, the client's parts, and the store.
pub struct Rig {
    pub sim: Sim,
    pub http: HttpClient,
    pub tokens: Arc<TokenManager>,
    pub store: Arc<MemoryTokenStore>,
    pub desk: DeskClient,
}

impl Rig {
    pub fn support(&self) -> DepartmentId {
        DepartmentId::new(self.sim.department_id("Support").expect("seeded Support"))
    }

    pub fn callbacks(&self) -> DepartmentId {
        DepartmentId::new(
            self.sim
                .department_id("Callbacks")
                .expect("seeded Callbacks"),
        )
    }
}

/// A client connected with tokens issued for `scopes`.
pub async fn rig_with(sim: Sim, config: HttpConfig, scopes: &[&str]) -> Rig {
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, scopes);
    let tokens = StoredTokens {
        access_token: Some(AccessToken::new(access)),
        access_expires_at: None,
        refresh_token: Some(RefreshToken::new(refresh)),
    };
    rig_with_tokens(sim, config, tokens)
}

pub fn rig_with_tokens(sim: Sim, config: HttpConfig, tokens: StoredTokens) -> Rig {
    let http = HttpClient::new(config).unwrap();
    let accounts = AccountsClient::new(http.clone(), BaseUrl::parse(&sim.base_url()).unwrap());
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens));
    let tokens = Arc::new(TokenManager::new(accounts, credentials(), store.clone()).unwrap());
    let desk = DeskClient::new(
        http.clone(),
        BaseUrl::parse(&sim.desk_api_url()).unwrap(),
        tokens.clone(),
    )
    .with_org(OrgId::new(sim.org_id()));
    Rig {
        sim,
        http,
        tokens,
        store,
        desk,
    }
}

pub async fn rig() -> Rig {
    rig_with(start_default().await, http_config(), ALL_SCOPES).await
}

pub fn inline_ticket(rig: &Rig, subject: &str, email: &str) -> NewTicket {
    NewTicket::new(
        subject,
        rig.support(),
        ContactRef::Inline(InlineContact {
            last_name: Some("Doe".into()),
            email: Some(email.into()),
            ..InlineContact::default()
        }),
    )
}

/// Requests logged by the sim for `method` on exactly `path`.
pub fn count_requests(sim: &Sim, method: &str, path: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

pub fn token_requests(sim: &Sim) -> usize {
    count_requests(sim, "POST", "/oauth/v2/token")
}
