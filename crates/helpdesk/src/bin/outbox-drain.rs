//! `outbox-drain`: opens an outbox file and delivers everything in it to a
//! Desk API, then exits. A developer tool, and the process the outbox kill
//! test SIGKILLs mid-drain and starts again.
//!
//! Settings come from the environment (no secrets on the command line,
//! where other users could read them):
//! `OUTBOX_PATH`, `DESK_BASE_URL` (accounts and Desk host, Desk API at
//! `/api/v1`), `DESK_ORG_ID`, `DESK_ACCESS_TOKEN`, and optionally
//! `DESK_REFRESH_TOKEN`, `DESK_CLIENT_ID`, `DESK_CLIENT_SECRET`,
//! `OUTBOX_CONCURRENCY` (10), `OUTBOX_BACKOFF_MS` (first backoff, 2000).
//! Prints one JSON line of counts when the outbox is settled (nothing
//! queued), or when only items waiting longer than a minute remain; or,
//! when another process holds the outbox's delivery lock, at once, with
//! `"locked": true`, having sent and recovered nothing.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use helpdesk::outbox::{Backoff, Deliverer, DrainReport, Outbox};
use zoho_desk::{
    AccessToken, AccountsClient, BaseUrl, ClientCredentials, ClientId, ClientSecret, DeskClient,
    HttpClient, HttpConfig, MemoryTokenStore, OrgId, RefreshToken, StoredTokens, TokenManager,
};

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

fn opt(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn desk_client() -> Result<DeskClient, String> {
    let base = var("DESK_BASE_URL")?;
    let http = HttpClient::new(HttpConfig {
        concurrency_limit: None,
        ..HttpConfig::default()
    })
    .map_err(|e| e.to_string())?;
    let accounts = AccountsClient::new(
        http.clone(),
        BaseUrl::parse(&base).map_err(|e| e.to_string())?,
    );
    let store = Arc::new(MemoryTokenStore::with_tokens(StoredTokens {
        access_token: Some(AccessToken::new(var("DESK_ACCESS_TOKEN")?)),
        access_expires_at: None,
        refresh_token: opt("DESK_REFRESH_TOKEN").map(RefreshToken::new),
    }));
    let credentials = ClientCredentials::new(
        ClientId::new(opt("DESK_CLIENT_ID").unwrap_or_default()),
        ClientSecret::new(opt("DESK_CLIENT_SECRET").unwrap_or_default()),
    );
    let tokens =
        Arc::new(TokenManager::new(accounts, credentials, store).map_err(|e| e.to_string())?);
    let api = BaseUrl::parse(&format!("{}/api/v1", base.trim_end_matches('/')))
        .map_err(|e| e.to_string())?;
    Ok(DeskClient::new(http, api, tokens).with_org(OrgId::new(var("DESK_ORG_ID")?)))
}

async fn run() -> Result<(), String> {
    let outbox = Outbox::open(var("OUTBOX_PATH")?).map_err(|e| e.to_string())?;
    let locked = !outbox.try_lock_delivery().map_err(|e| e.to_string())?;
    let recovered = outbox.recovered();
    let concurrency = opt("OUTBOX_CONCURRENCY")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let backoff_ms = opt("OUTBOX_BACKOFF_MS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let deliverer = Deliverer::new(outbox.clone(), desk_client()?).with_backoff(Backoff {
        initial: Duration::from_millis(backoff_ms),
        max: Duration::from_millis(backoff_ms * 16),
    });
    let mut total = DrainReport::default();
    // Another process holds the lock: it delivers; nothing to do here.
    while outbox.holds_delivery_lock() {
        let r = deliverer
            .drain(concurrency)
            .await
            .map_err(|e| e.to_string())?;
        total.delivered += r.delivered;
        total.found_existing += r.found_existing;
        total.requeued += r.requeued;
        total.failed += r.failed;
        let Some(due) = outbox.next_due_at().map_err(|e| e.to_string())? else {
            break;
        };
        let wait = (due - chrono::Utc::now()).to_std().unwrap_or_default();
        if wait > Duration::from_secs(60) {
            break;
        }
        tokio::time::sleep(wait).await;
    }
    let counts = outbox.counts().map_err(|e| e.to_string())?;
    println!(
        "{}",
        serde_json::json!({ "recovered": recovered, "drained": total, "counts": counts, "locked": locked })
    );
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("outbox-drain: {e}");
            ExitCode::FAILURE
        }
    }
}
