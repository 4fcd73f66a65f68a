//! The OAuth flow against desk-sim: authorize URL -> consent -> callback ->
//! code exchange with PKCE -> Desk calls; and every way it can go wrong.

mod common;

use std::sync::Arc;

use common::*;
use desk_sim::{ConsentMode, DEV_CLIENT_ID, DEV_REDIRECT_URI, RegisteredClient, SimConfig};
use reqwest::header::LOCATION;
use zoho_desk::*;

/// Follows the authorize URL like a browser would, without following the
/// redirect to the loopback receiver: returns the redirect `Location`.
async fn consent(url: &url::Url) -> String {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let reply = browser.get(url.clone()).send().await.unwrap();
    assert!(
        reply.status().is_redirection(),
        "consent answered {}",
        reply.status()
    );
    reply.headers()[LOCATION].to_str().unwrap().to_owned()
}

fn sim_accounts(sim: &desk_sim::Sim) -> BaseUrl {
    BaseUrl::parse(&sim.base_url()).unwrap()
}

#[tokio::test]
async fn full_auth_code_flow_with_pkce_ends_in_a_ticket() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    let accounts_base = sim_accounts(&sim);
    let auth = authorize_url(
        &accounts_base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();

    let location = consent(&auth.url).await;
    assert!(location.starts_with(DEV_REDIRECT_URI), "{location}");
    let callback = parse_callback(
        &location,
        &auth.state,
        &CallbackTrust::with_override(accounts_base.clone()),
    )
    .unwrap();
    assert_eq!(callback.accounts_base, accounts_base);
    assert_eq!(callback.location.as_deref(), Some("us"));
    assert_eq!(
        callback.desk_api_base(),
        Some("https://desk.zoho.com/api/v1")
    );

    let http = HttpClient::new(http_config()).unwrap();
    let accounts = AccountsClient::new(http.clone(), callback.accounts_base.clone());
    let grant = accounts
        .exchange_code(
            &credentials(),
            &callback.code,
            DEV_REDIRECT_URI,
            Some(&auth.pkce_verifier),
        )
        .await
        .unwrap();
    assert!(
        grant.refresh_token.is_some(),
        "access_type=offline gives a refresh token"
    );
    assert!(grant.expires_in.as_secs() > 0);

    let store = Arc::new(MemoryTokenStore::new());
    let tokens = Arc::new(TokenManager::new(accounts, credentials(), store.clone()).unwrap());
    assert!(!tokens.is_connected());
    tokens.install(&grant).unwrap();
    assert!(
        store.snapshot().unwrap().refresh_token.is_some(),
        "the grant is persisted"
    );

    // The Desk host of a test comes from an explicit override, never from api_domain.
    let desk = DeskClient::new(http, BaseUrl::parse(&sim.desk_api_url()).unwrap(), tokens);
    let orgs = desk.organizations().list().await.unwrap();
    assert_eq!(orgs.len(), 1);
    let desk = desk.with_org(orgs[0].id.clone());
    let support = desk
        .departments()
        .find_by_name("Support")
        .await
        .unwrap()
        .unwrap();
    let ticket = desk
        .tickets()
        .create(&NewTicket::new(
            "Hello from the OAuth flow",
            support.id,
            ContactRef::Inline(InlineContact {
                email: Some("flow@example.com".into()),
                ..InlineContact::default()
            }),
        ))
        .await
        .unwrap();
    assert_eq!(ticket.subject.as_deref(), Some("Hello from the OAuth flow"));
    assert_eq!(sim.tickets().len(), 1);

    // The scope went out comma-separated, with offline access and consent prompt.
    let auth_log = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/v2/auth")
        .unwrap();
    assert!(
        auth_log.query.contains("access_type=offline"),
        "{}",
        auth_log.query
    );
    assert!(auth_log.query.contains("prompt=consent"));
    assert!(auth_log.query.contains("code_challenge_method=S256"));
}

#[tokio::test]
async fn a_code_is_single_use_and_needs_the_right_verifier() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    let base = sim_accounts(&sim);
    let trust = CallbackTrust::with_override(base.clone());
    let accounts = AccountsClient::new(HttpClient::new(http_config()).unwrap(), base.clone());

    let auth = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let callback = parse_callback(&consent(&auth.url).await, &auth.state, &trust).unwrap();
    let wrong = PkceVerifier::new("x".repeat(43));
    let err = accounts
        .exchange_code(
            &credentials(),
            &callback.code,
            DEV_REDIRECT_URI,
            Some(&wrong),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCode), "{err:?}");

    let auth = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let callback = parse_callback(&consent(&auth.url).await, &auth.state, &trust).unwrap();
    accounts
        .exchange_code(
            &credentials(),
            &callback.code,
            DEV_REDIRECT_URI,
            Some(&auth.pkce_verifier),
        )
        .await
        .unwrap();
    let err = accounts
        .exchange_code(
            &credentials(),
            &callback.code,
            DEV_REDIRECT_URI,
            Some(&auth.pkce_verifier),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCode), "a used code: {err:?}");
    assert!(err.to_string().contains("start connecting again"), "{err}");
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    let base = sim_accounts(&sim);
    let auth = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let callback = parse_callback(
        &consent(&auth.url).await,
        &auth.state,
        &CallbackTrust::with_override(base.clone()),
    )
    .unwrap();
    let accounts = AccountsClient::new(HttpClient::new(http_config()).unwrap(), base);
    let bad = ClientCredentials::new(ClientId::new(DEV_CLIENT_ID), ClientSecret::new("wrong"));
    let err = accounts
        .exchange_code(
            &bad,
            &callback.code,
            DEV_REDIRECT_URI,
            Some(&auth.pkce_verifier),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidClient), "{err:?}");
}

#[tokio::test]
async fn denied_consent_and_no_org_are_typed() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoDeny,
        ..SimConfig::default()
    })
    .await;
    let base = sim_accounts(&sim);
    let trust = CallbackTrust::with_override(base.clone());
    let auth = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let err = parse_callback(&consent(&auth.url).await, &auth.state, &trust).unwrap_err();
    assert!(matches!(err, Error::AccessDenied), "{err:?}");

    sim.set_consent(ConsentMode::NoOrg);
    let auth = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let err = parse_callback(&consent(&auth.url).await, &auth.state, &trust).unwrap_err();
    assert!(matches!(err, Error::NoOrg), "{err:?}");
}

#[tokio::test]
async fn a_callback_for_another_sign_in_is_a_state_mismatch() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    let base = sim_accounts(&sim);
    let first = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let second = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let location = consent(&first.url).await;
    let err = parse_callback(
        &location,
        &second.state,
        &CallbackTrust::with_override(base),
    )
    .unwrap_err();
    assert!(matches!(err, Error::StateMismatch), "{err:?}");
}

#[tokio::test]
async fn an_accounts_server_outside_the_table_is_rejected() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    let base = sim_accounts(&sim);
    let auth = authorize_url(
        &base,
        &ClientId::new(DEV_CLIENT_ID),
        DEV_REDIRECT_URI,
        DEFAULT_SCOPES,
    )
    .unwrap();
    let location = consent(&auth.url).await;
    // Without the override, the simulator's own (loopback) accounts-server is untrusted.
    let err = parse_callback(&location, &auth.state, &CallbackTrust::zoho_only()).unwrap_err();
    assert!(matches!(err, Error::UntrustedHost { .. }), "{err:?}");
    // An override for another server does not help either.
    let other = CallbackTrust::with_override(BaseUrl::parse("http://127.0.0.1:1").unwrap());
    assert!(matches!(
        parse_callback(&location, &auth.state, &other),
        Err(Error::UntrustedHost { .. })
    ));
    // A forged redirect naming an attacker's server.
    let forged = location.replace(
        &url::form_urlencoded::byte_serialize(sim.base_url().as_bytes()).collect::<String>(),
        "https%3A%2F%2Faccounts.zoho.com.evil.example",
    );
    assert_ne!(forged, location);
    let err =
        parse_callback(&forged, &auth.state, &CallbackTrust::with_override(base)).unwrap_err();
    assert!(
        matches!(err, Error::UntrustedHost { ref host } if host == "accounts.zoho.com.evil.example"),
        "{err:?}"
    );
}

#[tokio::test]
async fn plain_http_bases_off_loopback_are_refused_at_construction() {
    assert!(matches!(
        BaseUrl::parse("http://desk.zoho.com/api/v1"),
        Err(Error::InsecureUrl { .. })
    ));
    assert!(matches!(
        BaseUrl::parse("http://accounts.zoho.eu"),
        Err(Error::InsecureUrl { .. })
    ));
    let sim = start_default().await;
    assert!(BaseUrl::parse(&sim.base_url()).unwrap().is_loopback());
}

#[tokio::test]
async fn revoke_signs_out_for_good() {
    let rig = rig().await;
    rig.desk.organizations().list().await.unwrap();
    rig.tokens.revoke().await.unwrap();
    assert!(rig.store.snapshot().is_none(), "tokens forgotten");
    assert!(!rig.tokens.is_connected());
    let err = rig.desk.organizations().list().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ReconnectNeeded {
                reason: ReconnectReason::NotConnected
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        count_requests(&rig.sim, "POST", "/oauth/v2/token/revoke"),
        1
    );
    let revoke = rig
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/v2/token/revoke")
        .unwrap();
    assert_eq!(revoke.query, "token=REDACTED");
}

#[tokio::test]
async fn a_client_registered_at_runtime_can_sign_in() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    sim.register_client(RegisteredClient {
        client_id: "1000.OTHER".into(),
        client_secret: "other-secret".into(),
        redirect_uris: vec!["http://localhost:8123/cb".into()],
    });
    let base = sim_accounts(&sim);
    let auth = authorize_url(
        &base,
        &ClientId::new("1000.OTHER"),
        "http://localhost:8123/cb",
        &["Desk.basic.READ"],
    )
    .unwrap();
    let callback = parse_callback(
        &consent(&auth.url).await,
        &auth.state,
        &CallbackTrust::with_override(base.clone()),
    )
    .unwrap();
    let accounts = AccountsClient::new(HttpClient::new(http_config()).unwrap(), base);
    let creds = ClientCredentials::new(
        ClientId::new("1000.OTHER"),
        ClientSecret::new("other-secret"),
    );
    let grant = accounts
        .exchange_code(
            &creds,
            &callback.code,
            "http://localhost:8123/cb",
            Some(&auth.pkce_verifier),
        )
        .await;
    assert!(grant.is_ok(), "{grant:?}");
}
