//! Zoho Accounts: consent, codes, token exchange, refresh, limits, revoke, PKCE.

mod common;

use std::time::Duration;

use common::*;
use desk_sim::{
    ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_REDIRECT_URI, RegisteredClient, SimConfig,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn is_zoho_token(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts[0] == "1000"
        && parts[1..]
            .iter()
            .all(|p| p.len() == 32 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn manual_page(sim: &desk_sim::Sim, extra: &[(&str, &str)]) -> String {
    let response = authorize(sim, extra).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

fn consent_id(page: &str) -> String {
    let marker = "name=\"consent_id\" value=\"";
    let start = page.find(marker).expect("a consent id in the page") + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

async fn decide(sim: &desk_sim::Sim, consent_id: &str, decision: &str) -> reqwest::Response {
    http()
        .post(format!("{}/oauth/v2/auth/decide", sim.base_url()))
        .form(&[("consent_id", consent_id), ("decision", decision)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_consent_page_offers_approve_and_deny_and_escapes_what_it_reflects() {
    let sim = start(SimConfig::default()).await;
    let page = manual_page(
        &sim,
        &[("scope", "Desk.tickets.ALL,<script>alert(1)</script>")],
    )
    .await;
    assert!(page.contains("id=\"approve\""), "{page}");
    assert!(page.contains("id=\"deny\""));
    assert!(page.contains("action=\"/oauth/v2/auth/decide\""));
    assert!(!page.contains("<script>"));
    assert!(page.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn approving_redirects_with_code_location_accounts_server_and_state() {
    let sim = start(SimConfig::default()).await;
    let page = manual_page(&sim, &[("state", "abc-123_x.y~z")]).await;
    let response = decide(&sim, &consent_id(&page), "approve").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let target = location(&response);
    assert!(
        target.starts_with("http://localhost:8000/callback?code=1000."),
        "{target}"
    );
    let encoded_server =
        url::form_urlencoded::byte_serialize(sim.base_url().as_bytes()).collect::<String>();
    assert!(
        target.contains(&format!(
            "&location=us&accounts-server={encoded_server}&state=abc-123_x.y~z"
        )),
        "{target}"
    );
    let q = query_of(&target);
    assert!(is_zoho_token(&q["code"]));
    assert_eq!(q["accounts-server"], sim.base_url());
}

#[tokio::test]
async fn a_consent_page_can_be_answered_once() {
    let sim = start(SimConfig::default()).await;
    let id = consent_id(&manual_page(&sim, &[]).await);
    assert_eq!(
        decide(&sim, &id, "approve").await.status(),
        StatusCode::FOUND
    );
    let again = decide(&sim, &id, "approve").await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.headers().get("location").is_none());
}

#[tokio::test]
async fn denying_redirects_with_access_denied_and_the_state() {
    let sim = start(SimConfig::default()).await;
    let page = manual_page(&sim, &[("state", "s1")]).await;
    let response = decide(&sim, &consent_id(&page), "deny").await;
    assert_eq!(
        location(&response),
        "http://localhost:8000/callback?error=access_denied&state=s1"
    );
}

#[tokio::test]
async fn auto_approve_redirects_at_once_with_a_code() {
    let sim = auto_sim().await;
    let response = authorize(&sim, &[]).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let q = query_of(&location(&response));
    assert!(is_zoho_token(&q["code"]));
    assert_eq!(q["location"], "us");
    assert_eq!(q["state"], "st4te-_.~");
}

#[tokio::test]
async fn auto_deny_and_no_org_redirect_with_their_errors() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoDeny,
        ..SimConfig::default()
    })
    .await;
    assert_eq!(
        location(&authorize(&sim, &[("state", "q")]).await),
        "http://localhost:8000/callback?error=access_denied&state=q"
    );
    sim.set_consent(ConsentMode::NoOrg);
    assert_eq!(
        location(&authorize(&sim, &[("state", "q")]).await),
        "http://localhost:8000/callback?error=no_org&state=q"
    );
}

#[tokio::test]
async fn the_state_is_left_out_when_none_was_sent() {
    let sim = auto_sim().await;
    let response = http()
        .get(format!("{}/oauth/v2/auth", sim.base_url()))
        .query(&[
            ("response_type", "code"),
            ("client_id", DEV_CLIENT_ID),
            ("scope", "Desk.tickets.ALL"),
            ("redirect_uri", DEV_REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();
    assert!(!query_of(&location(&response)).contains_key("state"));
}

#[tokio::test]
async fn an_unknown_client_gets_an_error_page_and_no_redirect() {
    let sim = auto_sim().await;
    let response = authorize(&sim, &[("client_id", "1000.NOSUCHCLIENT")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
    assert!(response.text().await.unwrap().contains("Invalid Client"));
}

#[tokio::test]
async fn the_redirect_uri_must_match_exactly() {
    let sim = auto_sim().await;
    for uri in [
        "http://localhost:8000/callback/",
        "http://127.0.0.1:8000/callback",
        "http://localhost:8001/callback",
        "https://localhost:8000/callback",
        "http://localhost:8000/callback?x=1",
    ] {
        let response = authorize(&sim, &[("redirect_uri", uri)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
        assert!(response.headers().get("location").is_none(), "{uri}");
    }
}

#[tokio::test]
async fn bad_request_parameters_after_a_valid_redirect_uri_are_redirected_as_errors() {
    let sim = auto_sim().await;
    let q = query_of(&location(
        &authorize(&sim, &[("response_type", "token")]).await,
    ));
    assert_eq!(q["error"], "unsupported_response_type");
    let q = query_of(&location(&authorize(&sim, &[("scope", "")]).await));
    assert_eq!(q["error"], "invalid_scope");
    let q = query_of(&location(
        &authorize(
            &sim,
            &[
                ("code_challenge", &"a".repeat(43)),
                ("code_challenge_method", "MD5"),
            ],
        )
        .await,
    ));
    assert_eq!(q["error"], "invalid_request");
}

#[tokio::test]
async fn the_code_exchange_answers_exactly_the_contract_shape() {
    let sim = auto_sim().await;
    let reply = exchange(&sim, &code(&sim, &[]).await).await;
    let mut keys: Vec<&str> = reply
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "access_token",
            "api_domain",
            "expires_in",
            "refresh_token",
            "token_type"
        ]
    );
    assert!(is_zoho_token(reply["access_token"].as_str().unwrap()));
    assert!(is_zoho_token(reply["refresh_token"].as_str().unwrap()));
    assert_eq!(reply["token_type"], "Bearer");
    assert_eq!(reply["expires_in"], 3600);
    assert_eq!(reply["api_domain"], "https://www.zohoapis.com");
}

#[tokio::test]
async fn the_token_endpoint_takes_its_parameters_from_the_query_string_too() {
    let sim = auto_sim().await;
    let code = code(&sim, &[]).await;
    let reply: Value = http()
        .post(format!("{}/oauth/v2/token", sim.base_url()))
        .query(&[
            ("grant_type", "authorization_code"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", DEV_CLIENT_SECRET),
            ("redirect_uri", DEV_REDIRECT_URI),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(reply["access_token"].is_string(), "{reply}");
}

#[tokio::test]
async fn a_code_works_once() {
    let sim = auto_sim().await;
    let code = code(&sim, &[]).await;
    assert!(exchange(&sim, &code).await["access_token"].is_string());
    assert_eq!(
        exchange(&sim, &code).await,
        json!({"error": "invalid_code"})
    );
}

#[tokio::test]
async fn a_code_expires_after_its_ttl() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        code_ttl: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await;
    let code = code(&sim, &[]).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        exchange(&sim, &code).await,
        json!({"error": "invalid_code"})
    );
}

#[tokio::test]
async fn a_made_up_code_is_invalid_code() {
    let sim = auto_sim().await;
    assert_eq!(
        exchange(&sim, "1000.0123.4567").await,
        json!({"error": "invalid_code"})
    );
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_and_does_not_burn_the_code() {
    let sim = auto_sim().await;
    let code = code(&sim, &[]).await;
    let reply = token_form(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", "wrong"),
            ("redirect_uri", DEV_REDIRECT_URI),
            ("code", &code),
        ],
    )
    .await;
    assert_eq!(reply, json!({"error": "invalid_client"}));
    assert!(exchange(&sim, &code).await["access_token"].is_string());
}

#[tokio::test]
async fn exchanging_with_another_redirect_uri_is_invalid_redirect_uri() {
    let sim = auto_sim().await;
    sim.register_client(RegisteredClient {
        client_id: "1000.TWOURIS".to_owned(),
        client_secret: "s".to_owned(),
        redirect_uris: vec![
            "http://localhost:8000/callback".to_owned(),
            "http://localhost:8000/other".to_owned(),
        ],
    });
    let code = code(&sim, &[("client_id", "1000.TWOURIS")]).await;
    let reply = token_form(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "1000.TWOURIS"),
            ("client_secret", "s"),
            ("redirect_uri", "http://localhost:8000/other"),
            ("code", &code),
        ],
    )
    .await;
    assert_eq!(reply, json!({"error": "invalid_redirect_uri"}));
}

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const S256_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn exchange_with_verifier(sim: &desk_sim::Sim, code: &str, verifier: Option<&str>) -> Value {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("client_id", DEV_CLIENT_ID),
        ("client_secret", DEV_CLIENT_SECRET),
        ("redirect_uri", DEV_REDIRECT_URI),
        ("code", code),
    ];
    if let Some(v) = verifier {
        form.push(("code_verifier", v));
    }
    token_form(sim, &form).await
}

#[tokio::test]
async fn pkce_s256_passes_with_the_right_verifier_and_fails_with_another() {
    let sim = auto_sim().await;
    let pkce = [
        ("code_challenge", S256_CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let good = code(&sim, &pkce).await;
    assert!(exchange_with_verifier(&sim, &good, Some(VERIFIER)).await["access_token"].is_string());
    let bad = code(&sim, &pkce).await;
    let wrong = format!("{}x", &VERIFIER[..42]);
    assert_eq!(
        exchange_with_verifier(&sim, &bad, Some(&wrong)).await,
        json!({"error": "invalid_code"})
    );
}

#[tokio::test]
async fn pkce_plain_compares_the_verifier_verbatim() {
    let sim = auto_sim().await;
    let pkce = [
        ("code_challenge", VERIFIER),
        ("code_challenge_method", "plain"),
    ];
    let good = code(&sim, &pkce).await;
    assert!(exchange_with_verifier(&sim, &good, Some(VERIFIER)).await["access_token"].is_string());
}

#[tokio::test]
async fn a_code_with_a_challenge_needs_a_verifier_and_one_without_needs_none() {
    let sim = auto_sim().await;
    let challenged = code(
        &sim,
        &[
            ("code_challenge", S256_CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(
        exchange_with_verifier(&sim, &challenged, None).await,
        json!({"error": "invalid_code"})
    );
    let plain = code(&sim, &[]).await;
    assert!(exchange_with_verifier(&sim, &plain, Some(VERIFIER)).await["access_token"].is_string());
}

#[tokio::test]
async fn without_access_type_offline_no_refresh_token_is_issued() {
    let sim = auto_sim().await;
    let reply = exchange(&sim, &code(&sim, &[("access_type", "online")]).await).await;
    assert!(reply["access_token"].is_string());
    assert!(reply.get("refresh_token").is_none(), "{reply}");
}

#[tokio::test]
async fn a_refresh_answers_a_new_access_token_without_a_refresh_token() {
    let sim = auto_sim().await;
    let first = exchange(&sim, &code(&sim, &[]).await).await;
    let reply = refresh(&sim, first["refresh_token"].as_str().unwrap()).await;
    let mut keys: Vec<&str> = reply
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["access_token", "api_domain", "expires_in", "token_type"]
    );
    assert_ne!(reply["access_token"], first["access_token"]);
    assert_eq!(sim.refresh_count(), 1);
}

#[tokio::test]
async fn a_bad_refresh_token_is_invalid_code_and_a_wrong_secret_invalid_client() {
    let sim = auto_sim().await;
    assert_eq!(
        refresh(&sim, "1000.nope.nope").await,
        json!({"error": "invalid_code"})
    );
    let (_, refresh_token) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    let reply = token_form(
        &sim,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", "wrong"),
            ("refresh_token", &refresh_token),
        ],
    )
    .await;
    assert_eq!(reply, json!({"error": "invalid_client"}));
    assert_eq!(sim.refresh_count(), 0);
}

#[tokio::test]
async fn an_unknown_grant_type_is_unsupported_grant_type() {
    let sim = auto_sim().await;
    let reply = token_form(
        &sim,
        &[("grant_type", "password"), ("client_id", DEV_CLIENT_ID)],
    )
    .await;
    assert_eq!(reply, json!({"error": "unsupported_grant_type"}));
}

#[tokio::test]
async fn refreshes_beyond_the_limit_per_ten_minutes_are_access_denied() {
    let sim = start(SimConfig {
        refresh_limit_per_10_min: 3,
        ..SimConfig::default()
    })
    .await;
    let (_, refresh_token) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    for _ in 0..3 {
        assert!(refresh(&sim, &refresh_token).await["access_token"].is_string());
    }
    assert_eq!(
        refresh(&sim, &refresh_token).await,
        json!({
            "error": "Access Denied",
            "error_description": "You have made too many requests continuously. Please try again after some time."
        })
    );
    assert_eq!(sim.refresh_count(), 3);
    // The limit is per refresh token.
    let (_, other) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    assert!(refresh(&sim, &other).await["access_token"].is_string());
}

#[tokio::test]
async fn the_default_refresh_limit_is_ten() {
    let sim = auto_sim().await;
    let (_, refresh_token) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    for _ in 0..10 {
        assert!(refresh(&sim, &refresh_token).await["access_token"].is_string());
    }
    assert_eq!(
        refresh(&sim, &refresh_token).await["error"],
        "Access Denied"
    );
}

#[tokio::test]
async fn revoking_a_refresh_token_kills_it_and_its_access_tokens() {
    let sim = auto_sim().await;
    let (access, refresh_token) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    let desk = Desk {
        sim: sim.clone(),
        token: access,
        org: sim.org_id(),
    };
    assert_eq!(desk.get("/departments").await.status(), StatusCode::OK);
    let reply: Value = http()
        .post(format!("{}/oauth/v2/token/revoke", sim.base_url()))
        .query(&[("token", refresh_token.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reply, json!({"status": "success"}));
    assert_eq!(
        refresh(&sim, &refresh_token).await,
        json!({"error": "invalid_code"})
    );
    let (status, code, _) = error_of(desk.get("/departments").await).await;
    assert_eq!((status, code.as_str()), (401, "INVALID_OAUTH"));
}

#[tokio::test]
async fn revoke_refresh_tokens_from_rust_revokes_every_grant() {
    let sim = auto_sim().await;
    let (_, a) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    let (_, b) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    sim.revoke_refresh_tokens();
    assert_eq!(refresh(&sim, &a).await["error"], "invalid_code");
    assert_eq!(refresh(&sim, &b).await["error"], "invalid_code");
}

#[tokio::test]
async fn an_access_token_expires_after_its_configured_ttl() {
    let sim = start(SimConfig {
        access_token_ttl: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .await;
    let desk = Desk::with(sim, ALL_SCOPES);
    assert_eq!(desk.get("/departments").await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, code, body) = error_of(desk.get("/departments").await).await;
    assert_eq!((status, code.as_str()), (401, "INVALID_OAUTH"));
    assert_eq!(body["message"], "The OAuth Token you provided is invalid.");
}

#[tokio::test]
async fn the_token_ttl_can_change_while_running_and_shows_in_expires_in() {
    let sim = auto_sim().await;
    sim.set_access_token_ttl(Duration::from_secs(5));
    let reply = exchange(&sim, &code(&sim, &[]).await).await;
    assert_eq!(reply["expires_in"], 5);
}

#[tokio::test]
async fn the_request_log_never_holds_tokens_codes_or_secrets() {
    let sim = auto_sim().await;
    let code = code(&sim, &[]).await;
    let tokens = exchange(&sim, &code).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    // Zoho's own examples put everything in the query string.
    http()
        .post(format!("{}/oauth/v2/token", sim.base_url()))
        .query(&[
            ("grant_type", "refresh_token"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", DEV_CLIENT_SECRET),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap();
    let desk = Desk {
        sim: sim.clone(),
        token: tokens["access_token"].as_str().unwrap().to_owned(),
        org: sim.org_id(),
    };
    desk.get("/organizations").await;
    let log = serde_json::to_string(&sim.requests()).unwrap();
    for secret in [
        code.as_str(),
        refresh_token,
        tokens["access_token"].as_str().unwrap(),
        DEV_CLIENT_SECRET,
    ] {
        assert!(!log.contains(secret), "the log leaks a secret: {log}");
    }
    let last = sim.requests().last().cloned().unwrap();
    assert!(last.had_token);
    assert!(log.contains("refresh_token=REDACTED"));
}

#[tokio::test]
async fn a_self_client_code_is_exchanged_without_redirect_uri_once() {
    let sim = auto_sim().await;
    let code = sim.self_client_code(DEV_CLIENT_ID, ALL_SCOPES);
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", DEV_CLIENT_ID),
        ("client_secret", DEV_CLIENT_SECRET),
        ("code", code.as_str()),
    ];
    let reply = token_form(&sim, &form).await;
    assert!(
        is_zoho_token(reply["access_token"].as_str().unwrap()),
        "{reply}"
    );
    assert!(reply["refresh_token"].is_string(), "offline: {reply}");
    assert_eq!(
        token_form(&sim, &form).await,
        json!({"error": "invalid_code"})
    );

    // The admin API issues one too.
    let reply: Value = http()
        .post(format!("{}/_sim/self-client-code", sim.base_url()))
        .json(&json!({"client_id": DEV_CLIENT_ID, "scopes": ["Desk.basic.READ"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = reply["code"].as_str().unwrap();
    let reply = token_form(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", DEV_CLIENT_SECRET),
            ("redirect_uri", ""),
            ("code", code),
        ],
    )
    .await;
    assert!(reply["access_token"].is_string(), "{reply}");
}
