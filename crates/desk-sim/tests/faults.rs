//! Scripted faults, the concurrency limit, the admin API and the server's lifetime.

mod common;

use std::time::{Duration, Instant};

use common::*;
use desk_sim::{ConsentMode, DEV_CLIENT_ID, Fault, FaultKind, Sim, SimConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn ticket_body(desk: &Desk) -> Value {
    json!({"subject": "Printer on fire", "departmentId": desk.support(), "contact": {"lastName": "L", "email": "l@example.com"}})
}

/// The client saw the connection end with no response at all.
fn assert_closed_without_reply(error: &reqwest::Error) {
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        chain.push_str(&format!(" / {e}"));
        source = e.source();
    }
    assert!(error.status().is_none(), "{chain}");
    assert!(
        chain.contains("connection closed before message completed") || chain.contains("reset"),
        "{chain}"
    );
}

#[tokio::test]
async fn a_server_error_fault_hits_the_next_n_matching_requests_only() {
    let desk = Desk::new().await;
    desk.sim
        .inject(Fault::new("GET", "/api/v1/departments", FaultKind::ServerError).times(2));
    assert_eq!(
        desk.get("/organizations").await.status(),
        StatusCode::OK,
        "another path is untouched"
    );
    for _ in 0..2 {
        let (status, code, _) = error_of(desk.get("/departments").await).await;
        assert_eq!((status, code.as_str()), (500, "INTERNAL_SERVER_ERROR"));
    }
    assert_eq!(desk.get("/departments").await.status(), StatusCode::OK);
    assert!(desk.sim.pending_faults().is_empty());
}

#[tokio::test]
async fn faults_match_the_method_and_a_path_prefix() {
    let desk = Desk::new().await;
    desk.sim.inject(Fault::new(
        "POST",
        "/api/v1/tickets",
        FaultKind::ServerError,
    ));
    assert_eq!(
        desk.get("/tickets").await.status(),
        StatusCode::OK,
        "GET is not POST"
    );
    assert_eq!(
        desk.post("/tickets", &ticket_body(&desk)).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(desk.sim.tickets().is_empty(), "a 500 fault applies nothing");
    assert_eq!(
        desk.post("/tickets", &ticket_body(&desk)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_fault_on_a_prefix_covers_sub_paths() {
    let desk = Desk::new().await;
    let ticket = desk.create_ticket("s", "a@example.com").await;
    desk.sim
        .inject(Fault::new("*", "/api/v1/tickets", FaultKind::ServerError));
    let path = format!("/tickets/{}/comments", ticket["id"].as_str().unwrap());
    assert_eq!(
        desk.post(&path, &json!({"content": "c"})).await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert!(desk.sim.comments(ticket["id"].as_str().unwrap()).is_empty());
}

#[tokio::test]
async fn a_too_many_requests_fault_sends_retry_after_only_when_given() {
    let desk = Desk::new().await;
    desk.sim.inject(Fault::new(
        "GET",
        "/api/v1/tickets",
        FaultKind::TooManyRequests {
            retry_after: Some(7),
        },
    ));
    desk.sim.inject(Fault::new(
        "GET",
        "/api/v1/tickets",
        FaultKind::TooManyRequests { retry_after: None },
    ));
    let with = desk.get("/tickets").await;
    assert_eq!(with.headers()["retry-after"], "7");
    assert_eq!(error_of(with).await.1, "TOO_MANY_REQUESTS");
    let without = desk.get("/tickets").await;
    assert_eq!(without.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(without.headers().get("retry-after").is_none());
}

#[tokio::test]
async fn a_delay_fault_serves_normally_after_the_delay() {
    let desk = Desk::new().await;
    desk.sim.inject(Fault::new(
        "GET",
        "/api/v1/departments",
        FaultKind::Delay(Duration::from_millis(300)),
    ));
    let started = Instant::now();
    assert_eq!(desk.get("/departments").await.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn drop_before_apply_closes_the_connection_and_changes_nothing() {
    let desk = Desk::new().await;
    desk.sim.inject(Fault::new(
        "POST",
        "/api/v1/tickets",
        FaultKind::DropBeforeApply,
    ));
    let error = desk
        .request(reqwest::Method::POST, "/tickets")
        .json(&ticket_body(&desk))
        .send()
        .await
        .unwrap_err();
    assert_closed_without_reply(&error);
    assert!(desk.sim.tickets().is_empty());
    assert!(desk.sim.contacts().is_empty());
    let logged = desk.sim.requests().pop().unwrap();
    assert!(logged.dropped);
    assert_eq!(logged.status, 0);
    // The server is fine afterwards.
    assert_eq!(
        desk.post("/tickets", &ticket_body(&desk)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn drop_after_apply_loses_the_reply_but_the_ticket_exists_once() {
    let desk = Desk::new().await;
    desk.sim.inject(Fault::new(
        "POST",
        "/api/v1/tickets",
        FaultKind::DropAfterApply,
    ));
    let error = desk
        .request(reqwest::Method::POST, "/tickets")
        .json(&ticket_body(&desk))
        .send()
        .await
        .unwrap_err();
    assert_closed_without_reply(&error);
    let tickets = desk.sim.tickets();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["subject"], "Printer on fire");
    let logged = desk.sim.requests().pop().unwrap();
    assert!(logged.dropped);
    assert_eq!(logged.status, 200);
    assert_eq!(logged.body.unwrap()["subject"], "Printer on fire");
    // Looking it up before sending again finds it.
    let found: Value = desk
        .get("/tickets/search?subject=Printer*")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["count"], 1);
}

#[tokio::test]
async fn faults_apply_to_the_accounts_server_too() {
    let sim = auto_sim().await;
    let (_, refresh_token) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    sim.inject(Fault::new(
        "POST",
        "/oauth/v2/token",
        FaultKind::DropBeforeApply,
    ));
    let result = http()
        .post(format!("{}/oauth/v2/token", sim.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.as_str()),
        ])
        .send()
        .await;
    assert!(result.is_err());
    assert_eq!(sim.refresh_count(), 0);
}

#[tokio::test]
async fn a_request_over_the_concurrency_limit_gets_429_at_once() {
    let desk = Desk::with_config(SimConfig {
        concurrency_limit: Some(1),
        ..SimConfig::default()
    })
    .await;
    desk.sim.inject(Fault::new(
        "GET",
        "/api/v1/departments",
        FaultKind::Delay(Duration::from_millis(1000)),
    ));
    let slow = {
        let request = desk.request(reqwest::Method::GET, "/departments");
        tokio::spawn(async move { request.send().await.unwrap().status() })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let rejected = desk.get("/organizations").await;
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "rejected at once"
    );
    assert!(rejected.headers().get("retry-after").is_none());
    let (status, code, _) = error_of(rejected).await;
    assert_eq!((status, code.as_str()), (429, "TOO_MANY_REQUESTS"));
    assert_eq!(slow.await.unwrap(), StatusCode::OK);
    assert_eq!(
        desk.get("/organizations").await.status(),
        StatusCode::OK,
        "the slot is free again"
    );
}

#[tokio::test]
async fn the_concurrency_429_can_carry_retry_after() {
    let desk = Desk::with_config(SimConfig {
        concurrency_limit: Some(1),
        retry_after_on_concurrency: Some(3),
        ..SimConfig::default()
    })
    .await;
    desk.sim.inject(Fault::new(
        "GET",
        "/api/v1/departments",
        FaultKind::Delay(Duration::from_millis(1000)),
    ));
    let request = desk.request(reqwest::Method::GET, "/departments");
    let slow = tokio::spawn(async move { request.send().await.unwrap().status() });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rejected = desk.get("/tickets").await;
    assert_eq!(rejected.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(rejected.headers()["retry-after"], "3");
    slow.await.unwrap();
}

#[tokio::test]
async fn a_dropped_connection_frees_its_concurrency_slot() {
    let desk = Desk::with_config(SimConfig {
        concurrency_limit: Some(1),
        ..SimConfig::default()
    })
    .await;
    desk.sim.inject(Fault::new(
        "GET",
        "/api/v1/tickets",
        FaultKind::DropBeforeApply,
    ));
    assert!(
        desk.request(reqwest::Method::GET, "/tickets")
            .send()
            .await
            .is_err()
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(desk.get("/tickets").await.status(), StatusCode::OK);
}

// ---------- the admin API ----------

async fn admin(
    sim: &Sim,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = http().request(method, format!("{}/_sim{path}", sim.base_url()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_admin_api_injects_lists_and_clears_faults() {
    let desk = Desk::new().await;
    let spec = json!({"method": "POST", "path": "/api/v1/tickets", "times": 2, "kind": "drop_after_apply"});
    assert_eq!(
        admin(
            &desk.sim,
            reqwest::Method::POST,
            "/faults",
            Some(spec.clone())
        )
        .await
        .status(),
        StatusCode::OK
    );
    let listed: Value = admin(&desk.sim, reqwest::Method::GET, "/faults", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([spec]));
    assert!(
        desk.request(reqwest::Method::POST, "/tickets")
            .json(&ticket_body(&desk))
            .send()
            .await
            .is_err()
    );
    admin(&desk.sim, reqwest::Method::DELETE, "/faults", None).await;
    assert_eq!(
        desk.post("/tickets", &ticket_body(&desk)).await.status(),
        StatusCode::OK
    );
    let bad = admin(
        &desk.sim,
        reqwest::Method::POST,
        "/faults",
        Some(json!({"method": "GET", "path": "/", "kind": "delay"})),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let delay =
        json!({"method": "GET", "path": "/api/v1/tickets", "kind": "delay", "delay_ms": 10});
    assert_eq!(
        admin(&desk.sim, reqwest::Method::POST, "/faults", Some(delay))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        desk.sim.pending_faults(),
        vec![Fault::new(
            "GET",
            "/api/v1/tickets",
            FaultKind::Delay(Duration::from_millis(10))
        )]
    );
}

#[tokio::test]
async fn the_admin_api_shows_and_clears_the_request_log_and_shows_tickets() {
    let desk = Desk::new().await;
    desk.create_ticket("s", "a@example.com").await;
    let log: Value = admin(&desk.sim, reqwest::Method::GET, "/requests", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["path"], "/api/v1/tickets");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[0]["had_token"], true);
    assert_eq!(log[0]["org_id"], json!(desk.org));
    assert_eq!(log[0]["body"]["subject"], "s");
    assert_eq!(
        log.as_array().unwrap().len(),
        1,
        "admin calls are not logged"
    );
    let tickets: Value = admin(&desk.sim, reqwest::Method::GET, "/tickets", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tickets, json!(desk.sim.tickets()));
    let contacts: Value = admin(&desk.sim, reqwest::Method::GET, "/contacts", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(contacts, json!(desk.sim.contacts()));
    admin(&desk.sim, reqwest::Method::DELETE, "/requests", None).await;
    assert!(desk.sim.requests().is_empty());
}

#[tokio::test]
async fn the_admin_api_expires_and_revokes_tokens() {
    let desk = Desk::new().await;
    admin(
        &desk.sim,
        reqwest::Method::POST,
        "/expire-access-tokens",
        None,
    )
    .await;
    assert_eq!(
        desk.get("/tickets").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let tokens: Value = admin(
        &desk.sim,
        reqwest::Method::POST,
        "/tokens",
        Some(json!({"client_id": DEV_CLIENT_ID, "scopes": ALL_SCOPES})),
    )
    .await
    .json()
    .await
    .unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    admin(
        &desk.sim,
        reqwest::Method::POST,
        "/revoke-refresh-tokens",
        None,
    )
    .await;
    assert_eq!(
        refresh(&desk.sim, refresh_token).await["error"],
        "invalid_code"
    );
}

#[tokio::test]
async fn the_admin_api_sets_consent_ttl_and_clients() {
    let sim = start(SimConfig::default()).await;
    assert_eq!(
        admin(
            &sim,
            reqwest::Method::PUT,
            "/consent",
            Some(json!({"mode": "auto-approve"}))
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        admin(
            &sim,
            reqwest::Method::PUT,
            "/consent",
            Some(json!({"mode": "maybe"}))
        )
        .await
        .status(),
        StatusCode::BAD_REQUEST
    );
    admin(
        &sim,
        reqwest::Method::PUT,
        "/token-ttl",
        Some(json!({"seconds": 42})),
    )
    .await;
    let client = json!({"client_id": "1000.NEW", "client_secret": "sec", "redirect_uris": ["http://localhost:9000/cb"]});
    admin(&sim, reqwest::Method::POST, "/clients", Some(client)).await;
    let response = authorize(
        &sim,
        &[
            ("client_id", "1000.NEW"),
            ("redirect_uri", "http://localhost:9000/cb"),
        ],
    )
    .await;
    let code = query_of(&location(&response)).remove("code").unwrap();
    let reply = token_form(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "1000.NEW"),
            ("client_secret", "sec"),
            ("redirect_uri", "http://localhost:9000/cb"),
            ("code", &code),
        ],
    )
    .await;
    assert_eq!(reply["expires_in"], 42);
    let info: Value = admin(&sim, reqwest::Method::GET, "/info", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["org_id"], json!(sim.org_id()));
    assert_eq!(
        info["departments"]["Support"],
        json!(sim.department_id("Support").unwrap())
    );
}

#[tokio::test]
async fn the_admin_api_refuses_foreign_hosts_and_origins() {
    let sim = auto_sim().await;
    let url = format!("{}/_sim/requests", sim.base_url());
    let foreign_host = http()
        .get(&url)
        .header("Host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_host.status(), StatusCode::FORBIDDEN);
    let foreign_origin = http()
        .delete(&url)
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status(), StatusCode::FORBIDDEN);
    let local_origin = http()
        .get(&url)
        .header("Origin", "http://localhost:1420")
        .send()
        .await
        .unwrap();
    assert_eq!(local_origin.status(), StatusCode::OK);
}

// ---------- lifetime ----------

#[tokio::test]
async fn only_loopback_addresses_are_accepted() {
    let error = Sim::start_on("0.0.0.0:0".parse().unwrap(), SimConfig::default())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
    let sim = Sim::start_on("[::1]:0".parse().unwrap(), SimConfig::default()).await;
    if let Ok(sim) = sim {
        assert!(sim.base_url().starts_with("http://[::1]:"));
    }
}

#[tokio::test]
async fn urls_name_the_bound_port() {
    let sim = auto_sim().await;
    assert_eq!(
        sim.base_url(),
        format!("http://127.0.0.1:{}", sim.addr().port())
    );
    assert_eq!(sim.desk_api_url(), format!("{}/api/v1", sim.base_url()));
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    let url = format!("{}/_sim/info", sim.base_url());
    assert!(http().get(&url).send().await.is_ok());
    sim.shutdown().await;
    assert!(reqwest::Client::new().get(&url).send().await.is_err());
}

#[tokio::test]
async fn dropping_the_last_handle_stops_the_server() {
    let sim = auto_sim().await;
    let url = format!("{}/_sim/info", sim.base_url());
    let clone = sim.clone();
    drop(sim);
    assert!(
        http().get(&url).send().await.is_ok(),
        "a clone keeps it running"
    );
    drop(clone);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(reqwest::Client::new().get(&url).send().await.is_err());
}

#[tokio::test]
async fn a_field_error_fault_refuses_a_create_with_errors_naming_the_field() {
    let desk = Desk::new().await;
    let spec = json!({"method": "POST", "path": "/api/v1/tickets", "kind": "field_error",
        "field": "/contact/email", "message": "The email address is not accepted."});
    assert_eq!(
        admin(&desk.sim, reqwest::Method::POST, "/faults", Some(spec))
            .await
            .status(),
        StatusCode::OK
    );
    let (status, code, body) = error_of(desk.post("/tickets", &ticket_body(&desk)).await).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
    assert_eq!(
        body["errors"],
        json!([{"fieldName": "/contact/email", "errorType": "invalid",
                "errorMessage": "The email address is not accepted."}])
    );
    assert!(desk.sim.tickets().is_empty(), "nothing applied");
    assert_eq!(
        desk.post("/tickets", &ticket_body(&desk)).await.status(),
        StatusCode::OK,
        "used up"
    );
}
