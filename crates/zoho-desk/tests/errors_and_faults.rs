//! Every error code of the contract and every fault desk-sim can inject,
//! checked on both sides: what the client reports, and what Desk holds
//! (nothing lost, nothing twice).

mod common;

use std::time::{Duration, Instant};

use common::*;
use desk_sim::{Fault, FaultKind, SimConfig};
use zoho_desk::*;

fn fault(method: &str, path: &str, kind: FaultKind, times: u32) -> Fault {
    Fault {
        method: method.to_owned(),
        path: path.to_owned(),
        times,
        kind,
    }
}

fn posts_to_tickets(rig: &Rig) -> usize {
    count_requests(&rig.sim, "POST", "/api/v1/tickets")
}

// ---- error codes -------------------------------------------------------

#[tokio::test]
async fn no_token_is_unauthorized() {
    let rig = rig().await;
    let request = zoho_desk::desk::organizations::list_request();
    let mut prepared = request
        .prepare(rig.desk.api_base(), &AccessToken::new("unused"), None)
        .unwrap();
    prepared.headers.remove("authorization");
    let reply = rig.http.send(&prepared).await.unwrap();
    let err = error_from_response(reply.status, &reply.headers, &reply.body);
    assert!(matches!(err, Error::Unauthorized), "{err:?}");
    assert!(!rig.sim.requests()[0].had_token);
}

#[tokio::test]
async fn a_missing_scope_is_scope_mismatch_and_not_a_refresh() {
    for status in [403, 401] {
        let sim = start(SimConfig {
            scope_mismatch_status: status,
            ..SimConfig::default()
        })
        .await;
        let rig = rig_with(sim, http_config(), &["Desk.basic.READ"]).await;
        rig.desk.organizations().list().await.unwrap();
        let err = rig
            .desk
            .tickets()
            .create(&inline_ticket(&rig, "No scope", "s@example.com"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::ScopeMismatch { .. }),
            "{status}: {err:?}"
        );
        assert!(err.needs_reconnect());
        assert_eq!(
            token_requests(&rig.sim),
            0,
            "a scope problem is not fixed by a refresh"
        );
        assert!(rig.sim.tickets().is_empty());
    }
}

#[tokio::test]
async fn another_org_is_org_mismatch() {
    let rig = rig().await;
    let elsewhere = rig.desk.clone().with_org(OrgId::new("60009999999"));
    let err = elsewhere
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OrgMismatch), "{err:?}");
    let garbage = rig.desk.clone().with_org(OrgId::new("not-a-number"));
    let err = garbage
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation { status: 422, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn invalid_input_is_a_validation_error_with_its_fields() {
    let rig = rig().await;
    // A department *name* is rejected by Desk.
    let by_name = NewTicket::new(
        "Wrong department",
        DepartmentId::new("Support"),
        ContactRef::Inline(InlineContact {
            email: Some("v@example.com".into()),
            ..InlineContact::default()
        }),
    );
    let err = rig.desk.tickets().create(&by_name).await.unwrap_err();
    let Error::Validation { code, errors, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(code, "UNPROCESSABLE_ENTITY");
    assert!(
        errors.iter().any(|e| e.field_name.contains("departmentId")),
        "{errors:?}"
    );

    // An inline contact with neither lastName nor email.
    let nobody = NewTicket::new(
        "Nobody",
        rig.support(),
        ContactRef::Inline(InlineContact::default()),
    );
    let err = rig.desk.tickets().create(&nobody).await.unwrap_err();
    let Error::Validation { errors, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        errors.iter().any(|e| e.field_name.starts_with("/contact")),
        "{errors:?}"
    );

    // A subject longer than 255 characters.
    let long = inline_ticket(&rig, &"x".repeat(256), "l@example.com");
    assert!(matches!(
        rig.desk.tickets().create(&long).await,
        Err(Error::Validation { .. })
    ));

    // A well-formed but unknown department id: INVALID_DATA.
    let unknown = NewTicket::new(
        "Unknown department",
        DepartmentId::new("1329983000009999999"),
        ContactRef::Inline(InlineContact {
            email: Some("u@example.com".into()),
            ..InlineContact::default()
        }),
    );
    let err = rig.desk.tickets().create(&unknown).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation { code, .. } if code == "INVALID_DATA"),
        "{err:?}"
    );
    assert!(err.to_string().contains("departmentId"), "{err}");

    assert!(rig.sim.tickets().is_empty());
    assert_eq!(token_requests(&rig.sim), 0);
}

#[tokio::test]
async fn an_unknown_query_parameter_is_rejected() {
    let rig = rig().await;
    let request = zoho_desk::desk::departments::list_request(Page::default(), None).query("x", "1");
    let err = rig.desk.execute(&request).await.unwrap_err();
    assert!(
        matches!(err, Error::Validation { status: 422, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("Extra query parameter 'x'"),
        "{err}"
    );
}

#[tokio::test]
async fn unknown_ids_are_not_found() {
    let rig = rig().await;
    let missing = TicketId::new("1329983000000000042");
    assert!(matches!(
        rig.desk.tickets().get(&missing).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        rig.desk
            .contacts()
            .get(&ContactId::new("1329983000000000043"))
            .await,
        Err(Error::NotFound { .. })
    ));
    let comment = rig
        .desk
        .tickets()
        .add_comment(&missing, &NewComment::private_note("x"))
        .await;
    assert!(
        matches!(comment, Err(Error::NotFound { .. })),
        "{comment:?}"
    );
    let path = rig
        .desk
        .execute(&DeskRequest::get(&["nothing", "here"], "probe"))
        .await;
    assert!(matches!(path, Err(Error::NotFound { .. })), "{path:?}");
}

#[tokio::test]
async fn a_too_large_attachment_is_too_large_and_not_resent() {
    let sim = start(SimConfig {
        attachment_max_bytes: 64,
        ..SimConfig::default()
    })
    .await;
    let rig = rig_with(sim, http_config(), ALL_SCOPES).await;
    let ticket = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "Big file", "big@example.com"))
        .await
        .unwrap();
    let file = NewAttachment {
        file_name: "big.bin".into(),
        content_type: None,
        bytes: vec![7; 4096],
        is_public: false,
    };
    let err = rig
        .desk
        .tickets()
        .upload_attachment(&ticket.id, &file)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooLarge), "{err:?}");
    let path = format!("/api/v1/tickets/{}/attachments", ticket.id);
    assert_eq!(count_requests(&rig.sim, "POST", &path), 1);
    assert!(rig.sim.attachments(ticket.id.as_str()).is_empty());
}

#[tokio::test]
async fn used_up_daily_credits_are_reported_without_retrying() {
    let sim = start(SimConfig {
        daily_credits: 4,
        ..SimConfig::default()
    })
    .await;
    let rig = rig_with(sim, http_config(), ALL_SCOPES).await;
    rig.desk
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap();
    let err = rig
        .desk
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                credits_exhausted: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(
        count_requests(&rig.sim, "GET", "/api/v1/departments"),
        2,
        "THRESHOLD_EXCEEDED is not retried"
    );
}

#[tokio::test]
async fn persistent_server_errors_end_as_server_after_bounded_attempts() {
    let rig = rig().await;
    rig.sim.inject(fault(
        "GET",
        "/api/v1/departments",
        FaultKind::ServerError,
        100,
    ));
    let err = rig
        .desk
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server { status: 500, .. }), "{err:?}");
    assert_eq!(
        count_requests(&rig.sim, "GET", "/api/v1/departments"),
        fast_retry().max_attempts as usize
    );
}

// ---- faults ------------------------------------------------------------

#[tokio::test]
async fn server_errors_are_retried_for_reads_and_creates() {
    let rig = rig().await;
    rig.sim.inject(fault(
        "GET",
        "/api/v1/organizations",
        FaultKind::ServerError,
        2,
    ));
    assert_eq!(rig.desk.organizations().list().await.unwrap().len(), 1);
    assert_eq!(count_requests(&rig.sim, "GET", "/api/v1/organizations"), 3);

    rig.sim
        .inject(fault("POST", "/api/v1/tickets", FaultKind::ServerError, 1));
    rig.desk
        .tickets()
        .create(&inline_ticket(&rig, "After a 500", "e@example.com"))
        .await
        .unwrap();
    assert_eq!(
        rig.sim.tickets().len(),
        1,
        "a 500 reply means not applied: one ticket"
    );
    assert_eq!(posts_to_tickets(&rig), 2);
}

#[tokio::test]
async fn too_many_requests_without_retry_after_is_retried_after_the_default() {
    let rig = rig().await;
    rig.sim.inject(fault(
        "POST",
        "/api/v1/tickets",
        FaultKind::TooManyRequests { retry_after: None },
        2,
    ));
    let started = Instant::now();
    rig.desk
        .tickets()
        .create(&inline_ticket(&rig, "After 429s", "t@example.com"))
        .await
        .unwrap();
    assert!(started.elapsed() >= fast_retry().default_retry_after * 2);
    assert_eq!(rig.sim.tickets().len(), 1);
    assert_eq!(posts_to_tickets(&rig), 3);
    assert_eq!(rig.http.stats().rate_limited, 2);
}

#[tokio::test]
async fn too_many_requests_with_retry_after_waits_that_long() {
    let rig = rig().await;
    rig.sim.inject(fault(
        "GET",
        "/api/v1/tickets",
        FaultKind::TooManyRequests {
            retry_after: Some(1),
        },
        1,
    ));
    let started = Instant::now();
    rig.desk
        .tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(count_requests(&rig.sim, "GET", "/api/v1/tickets"), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_handed_to_the_caller() {
    let rig = rig().await;
    rig.sim.inject(fault(
        "GET",
        "/api/v1/tickets",
        FaultKind::TooManyRequests {
            retry_after: Some(3600),
        },
        1,
    ));
    let started = Instant::now();
    let err = rig
        .desk
        .tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(matches!(
        err,
        Error::RateLimited {
            credits_exhausted: false,
            ..
        }
    ));
}

#[tokio::test]
async fn a_slow_read_times_out_and_is_retried() {
    let config = HttpConfig {
        timeout: Duration::from_millis(300),
        ..http_config()
    };
    let rig = rig_with(start_default().await, config, ALL_SCOPES).await;
    rig.sim.inject(fault(
        "GET",
        "/api/v1/departments",
        FaultKind::Delay(Duration::from_millis(800)),
        1,
    ));
    rig.desk
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap();
    // A delay shorter than the timeout is just slow.
    rig.sim.inject(fault(
        "GET",
        "/api/v1/departments",
        FaultKind::Delay(Duration::from_millis(50)),
        1,
    ));
    rig.desk
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_slow_create_that_times_out_is_outcome_unknown_and_not_resent() {
    let config = HttpConfig {
        timeout: Duration::from_millis(300),
        ..http_config()
    };
    let rig = rig_with(start_default().await, config, ALL_SCOPES).await;
    rig.sim.inject(fault(
        "POST",
        "/api/v1/tickets",
        FaultKind::Delay(Duration::from_millis(800)),
        1,
    ));
    let ticket = inline_ticket(&rig, "Slow", "slow@example.com")
        .with_custom_field("cf_chat_reference", "slow-1");
    let err = rig.desk.tickets().create(&ticket).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert!(
        !err.is_transient(),
        "the caller must look it up, not just resend"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    // The sim logs a request when it answers; the abandoned one may never be.
    assert!(posts_to_tickets(&rig) <= 1, "never resent blindly");
    assert_eq!(
        rig.http.stats().attempts,
        1,
        "one attempt: the create was not resent"
    );
    // The lookup the error asks for tells the truth, whichever it was.
    let found = rig
        .desk
        .tickets()
        .search(&TicketSearch::by_custom_field(
            "cf_chat_reference",
            "slow-1",
        ))
        .await
        .unwrap();
    assert_eq!(found.items.len(), rig.sim.tickets().len());
    assert!(found.items.len() <= 1);
}

#[tokio::test]
async fn a_lost_reply_on_create_is_outcome_unknown_and_the_ticket_exists_once() {
    let rig = rig().await;
    rig.sim.inject(fault(
        "POST",
        "/api/v1/tickets",
        FaultKind::DropAfterApply,
        1,
    ));
    let ticket = inline_ticket(&rig, "Lost reply", "lost@example.com")
        .with_custom_field("cf_chat_reference", "lost-1");
    let err = rig.desk.tickets().create(&ticket).await.unwrap_err();
    let Error::OutcomeUnknown { operation, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(operation.contains("POST /api/v1/tickets"), "{operation}");
    assert!(
        err.to_string()
            .contains("look it up before sending it again"),
        "{err}"
    );
    assert_eq!(rig.sim.tickets().len(), 1, "the ticket exists once");
    assert_eq!(posts_to_tickets(&rig), 1, "and was not sent twice");
    let found = rig
        .desk
        .tickets()
        .search(&TicketSearch::by_custom_field(
            "cf_chat_reference",
            "lost-1",
        ))
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1, "the lookup finds it");
}

#[tokio::test]
async fn a_connection_dropped_before_a_create_is_also_outcome_unknown_with_nothing_created() {
    let rig = rig().await;
    rig.sim.inject(fault(
        "POST",
        "/api/v1/tickets",
        FaultKind::DropBeforeApply,
        1,
    ));
    let err = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "Dropped", "d@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert!(rig.sim.tickets().is_empty());
    assert_eq!(posts_to_tickets(&rig), 1);
}

#[tokio::test]
async fn dropped_connections_on_reads_and_updates_are_retried() {
    let rig = rig().await;
    let ticket = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "Drops", "x@example.com"))
        .await
        .unwrap();
    rig.sim.inject(fault(
        "GET",
        "/api/v1/tickets/",
        FaultKind::DropBeforeApply,
        1,
    ));
    rig.desk.tickets().get(&ticket.id).await.unwrap();
    rig.sim.inject(fault(
        "GET",
        "/api/v1/tickets/",
        FaultKind::DropAfterApply,
        1,
    ));
    rig.desk.tickets().get(&ticket.id).await.unwrap();
    rig.sim.inject(fault(
        "PATCH",
        "/api/v1/tickets/",
        FaultKind::DropAfterApply,
        1,
    ));
    let patch = TicketPatch {
        status: Some("On Hold".into()),
        ..TicketPatch::default()
    };
    let updated = rig.desk.tickets().update(&ticket.id, &patch).await.unwrap();
    assert_eq!(updated.status.as_deref(), Some("On Hold"));
    assert_eq!(
        count_requests(&rig.sim, "PATCH", &format!("/api/v1/tickets/{}", ticket.id)),
        2
    );
}

#[tokio::test]
async fn lost_replies_on_comments_and_attachments_are_outcome_unknown() {
    let rig = rig().await;
    let ticket = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "Children", "k@example.com"))
        .await
        .unwrap();
    let base = format!("/api/v1/tickets/{}", ticket.id);
    rig.sim.inject(fault(
        "POST",
        &format!("{base}/comments"),
        FaultKind::DropAfterApply,
        1,
    ));
    let err = rig
        .desk
        .tickets()
        .add_comment(&ticket.id, &NewComment::private_note("once"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(rig.sim.comments(ticket.id.as_str()).len(), 1);

    rig.sim.inject(fault(
        "POST",
        &format!("{base}/attachments"),
        FaultKind::DropAfterApply,
        1,
    ));
    let file = NewAttachment {
        file_name: "a.txt".into(),
        content_type: None,
        bytes: b"a".to_vec(),
        is_public: false,
    };
    let err = rig
        .desk
        .tickets()
        .upload_attachment(&ticket.id, &file)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(rig.sim.attachments(ticket.id.as_str()).len(), 1);

    rig.sim.inject(fault(
        "POST",
        "/api/v1/contacts",
        FaultKind::DropAfterApply,
        1,
    ));
    let err = rig
        .desk
        .contacts()
        .create(&NewContact::new("Once"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(
        rig.sim
            .contacts()
            .iter()
            .filter(|c| c["lastName"] == "Once")
            .count(),
        1
    );
}

#[tokio::test]
async fn faults_on_the_token_endpoint_are_survived() {
    let rig = rig().await;
    rig.sim.expire_access_tokens();
    rig.sim
        .inject(fault("POST", "/oauth/v2/token", FaultKind::ServerError, 1));
    rig.sim.inject(fault(
        "POST",
        "/oauth/v2/token",
        FaultKind::DropBeforeApply,
        1,
    ));
    rig.desk.organizations().list().await.unwrap();
    assert_eq!(rig.sim.refresh_count(), 1);
    assert_eq!(token_requests(&rig.sim), 3);
}

#[tokio::test]
async fn an_unreachable_server_is_offline_even_for_creates() {
    let rig = rig().await;
    let desk = rig.desk.clone();
    let ticket = inline_ticket(&rig, "Nobody home", "o@example.com");
    rig.sim.shutdown().await;
    let err = desk.organizations().list().await.unwrap_err();
    assert!(matches!(err, Error::Offline { .. }), "{err:?}");
    let err = desk.tickets().create(&ticket).await.unwrap_err();
    assert!(
        matches!(err, Error::Offline { .. }),
        "nothing was sent, so it is not 'unknown': {err:?}"
    );
    assert!(err.is_transient());
}

// ---- the concurrency limiter --------------------------------------------

#[tokio::test]
async fn the_limiter_keeps_calls_under_the_edition_limit() {
    let sim = start(SimConfig {
        concurrency_limit: Some(3),
        ..SimConfig::default()
    })
    .await;
    let config = HttpConfig {
        concurrency_limit: Some(3),
        ..http_config()
    };
    let rig = rig_with(sim, config, ALL_SCOPES).await;
    rig.sim.inject(fault(
        "POST",
        "/api/v1/tickets",
        FaultKind::Delay(Duration::from_millis(30)),
        30,
    ));
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..30 {
        let desk = rig.desk.clone();
        let ticket = inline_ticket(&rig, &format!("L{i}"), "limit@example.com");
        calls.spawn(async move { desk.tickets().create(&ticket).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(rig.sim.tickets().len(), 30);
    assert_eq!(
        rig.sim
            .requests()
            .iter()
            .filter(|r| r.status == 429)
            .count(),
        0
    );
    assert_eq!(rig.http.stats().rate_limited, 0);
}

#[tokio::test]
async fn without_the_limiter_429s_happen_and_are_retried() {
    let sim = start(SimConfig {
        concurrency_limit: Some(2),
        ..SimConfig::default()
    })
    .await;
    let config = HttpConfig {
        retry: RetryPolicy {
            max_attempts: 30,
            ..fast_retry()
        },
        ..http_config()
    };
    let rig = rig_with(sim, config, ALL_SCOPES).await;
    rig.sim.inject(fault(
        "POST",
        "/api/v1/tickets",
        FaultKind::Delay(Duration::from_millis(50)),
        30,
    ));
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..20 {
        let desk = rig.desk.clone();
        let ticket = inline_ticket(&rig, &format!("U{i}"), "unlimited@example.com");
        calls.spawn(async move { desk.tickets().create(&ticket).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(
        rig.sim.tickets().len(),
        20,
        "every 429 was retried, nothing twice"
    );
    let rejected = rig
        .sim
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .count();
    assert!(rejected > 0);
    assert_eq!(rig.http.stats().rate_limited as usize, rejected);
}

#[tokio::test]
async fn the_limit_can_be_set_from_the_edition() {
    let rig = rig().await;
    let org = rig.desk.organizations().list().await.unwrap().remove(0);
    rig.http
        .set_concurrency_limit(Some(org.concurrency_limit()));
    assert!((5..=25).contains(&org.concurrency_limit()));
    rig.desk
        .departments()
        .list(Page::default(), None)
        .await
        .unwrap();
}
