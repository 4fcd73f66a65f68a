//! The token manager against desk-sim: single-flight refresh, refresh on
//! `INVALID_OAUTH`, rejected refresh tokens, access-token-only connections.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::*;
use desk_sim::{DEV_CLIENT_ID, SimConfig};
use zoho_desk::*;

#[tokio::test]
async fn refresh_happens_once_for_50_concurrent_calls_with_a_rejected_token() {
    let rig = rig().await;
    rig.sim.expire_access_tokens();
    let before = rig.sim.refresh_count();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let desk = rig.desk.clone();
        calls.spawn(async move { desk.departments().list(Page::first(10), None).await });
    }
    while let Some(result) = calls.join_next().await {
        assert_eq!(result.unwrap().unwrap().len(), 2);
    }
    assert_eq!(rig.sim.refresh_count() - before, 1, "exactly one refresh");
    assert_eq!(
        token_requests(&rig.sim),
        1,
        "exactly one token request in the log"
    );
    assert_eq!(rig.tokens.refresh_count(), 1);
    let statuses: Vec<u16> = rig
        .sim
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/departments")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 50);
    assert!(statuses.iter().filter(|s| **s == 401).count() <= 50);
}

#[tokio::test]
async fn refresh_happens_once_for_50_concurrent_calls_near_expiry() {
    let sim = start_default().await;
    let (access, refresh) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    // The client knows its token expires within the margin: it refreshes before calling.
    let tokens = StoredTokens {
        access_token: Some(AccessToken::new(access)),
        access_expires_at: Some(Utc::now() + chrono::Duration::seconds(30)),
        refresh_token: Some(RefreshToken::new(refresh)),
    };
    let rig = rig_with_tokens(sim, http_config(), tokens);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let desk = rig.desk.clone();
        calls.spawn(async move { desk.organizations().list().await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(rig.sim.refresh_count(), 1);
    assert_eq!(token_requests(&rig.sim), 1);
    let unauthorized = rig
        .sim
        .requests()
        .iter()
        .filter(|r| r.status == 401)
        .count();
    assert_eq!(
        unauthorized, 0,
        "refreshed before expiry, so no call was rejected"
    );
    let saved = rig.store.snapshot().unwrap();
    assert!(
        saved.access_expires_at.unwrap() > Utc::now() + chrono::Duration::minutes(30),
        "new expiry persisted"
    );
}

#[tokio::test]
async fn invalid_oauth_causes_one_refresh_and_one_retry() {
    let rig = rig().await;
    rig.sim.expire_access_tokens();
    rig.sim.clear_requests();
    let orgs = rig.desk.organizations().list().await.unwrap();
    assert_eq!(orgs.len(), 1);
    let log: Vec<(String, u16)> = rig
        .sim
        .requests()
        .into_iter()
        .map(|r| (r.path, r.status))
        .collect();
    assert_eq!(
        log,
        vec![
            ("/api/v1/organizations".to_owned(), 401),
            ("/oauth/v2/token".to_owned(), 200),
            ("/api/v1/organizations".to_owned(), 200),
        ]
    );
}

#[tokio::test]
async fn a_create_rejected_for_its_token_is_sent_again_after_the_refresh() {
    let rig = rig().await;
    rig.sim.expire_access_tokens();
    let ticket = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "After refresh", "r@example.com"))
        .await
        .unwrap();
    assert_eq!(ticket.subject.as_deref(), Some("After refresh"));
    assert_eq!(
        rig.sim.tickets().len(),
        1,
        "a 401 is a clear 'not applied': one ticket"
    );
    assert_eq!(count_requests(&rig.sim, "POST", "/api/v1/tickets"), 2);
}

#[tokio::test]
async fn a_rejected_refresh_token_means_reconnect_and_no_more_refreshes() {
    let rig = rig().await;
    rig.sim.revoke_refresh_tokens();
    let err = rig.desk.organizations().list().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ReconnectNeeded {
                reason: ReconnectReason::RefreshRejected
            }
        ),
        "{err:?}"
    );
    assert!(err.needs_reconnect());
    assert!(err.to_string().contains("reconnect to Zoho Desk"), "{err}");
    assert!(
        rig.store.snapshot().is_none(),
        "the dead tokens are forgotten"
    );
    let sent = rig.sim.requests().len();
    for _ in 0..5 {
        let again = rig.desk.organizations().list().await.unwrap_err();
        assert!(matches!(again, Error::ReconnectNeeded { .. }));
    }
    assert_eq!(
        rig.sim.requests().len(),
        sent,
        "no request is sent until the user reconnects"
    );
    assert_eq!(token_requests(&rig.sim), 1);
}

#[tokio::test]
async fn an_access_token_alone_works_until_it_expires() {
    let sim = start_default().await;
    let (access, _) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    let tokens = StoredTokens {
        access_token: Some(AccessToken::new(access)),
        access_expires_at: None,
        refresh_token: None,
    };
    let rig = rig_with_tokens(sim, http_config(), tokens);
    assert_eq!(rig.desk.organizations().list().await.unwrap().len(), 1);
    rig.sim.expire_access_tokens();
    let err = rig.desk.organizations().list().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ReconnectNeeded {
                reason: ReconnectReason::AccessExpired
            }
        ),
        "{err:?}"
    );
    assert_eq!(token_requests(&rig.sim), 0, "nothing to refresh with");
}

#[tokio::test]
async fn an_imported_token_past_its_expiry_is_not_sent() {
    let sim = start_default().await;
    let (access, _) = sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    let tokens = StoredTokens {
        access_token: Some(AccessToken::new(access)),
        access_expires_at: Some(Utc::now() - chrono::Duration::seconds(1)),
        refresh_token: None,
    };
    let rig = rig_with_tokens(sim, http_config(), tokens);
    let err = rig.desk.organizations().list().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ReconnectNeeded {
                reason: ReconnectReason::AccessExpired
            }
        ),
        "{err:?}"
    );
    assert!(rig.sim.requests().is_empty());
}

#[tokio::test]
async fn short_lived_tokens_are_refreshed_as_they_expire() {
    let sim = start(SimConfig {
        access_token_ttl: Duration::from_secs(2),
        ..SimConfig::default()
    })
    .await;
    let rig = rig_with(sim, http_config(), ALL_SCOPES).await;
    // The 60 s margin is capped at half the lifetime, so a 2 s token is used for 1 s.
    let desk = rig.desk.clone();
    rig.desk.organizations().list().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    desk.organizations().list().await.unwrap();
    assert_eq!(rig.sim.refresh_count(), 1);
}

#[tokio::test]
async fn the_refresh_limit_is_reported_as_accounts_rate_limited() {
    let sim = start(SimConfig {
        refresh_limit_per_10_min: 1,
        ..SimConfig::default()
    })
    .await;
    let rig = rig_with(sim, http_config(), ALL_SCOPES).await;
    rig.sim.expire_access_tokens();
    rig.desk.organizations().list().await.unwrap();
    rig.sim.expire_access_tokens();
    let err = rig.desk.organizations().list().await.unwrap_err();
    assert!(matches!(err, Error::AccountsRateLimited), "{err:?}");
    assert!(
        rig.tokens.is_connected(),
        "a rate limit is not a reason to forget the refresh token"
    );
}

#[tokio::test]
async fn no_tokens_at_all_means_not_connected() {
    let sim = start_default().await;
    let rig = rig_with_tokens(sim, http_config(), StoredTokens::default());
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
    assert!(rig.sim.requests().is_empty());
}
