//! What every Desk request must pass: token, path, orgId, scopes, query
//! parameters, limits, credits; and the credit headers on every reply.

mod common;

use common::*;
use desk_sim::{DEV_CLIENT_ID, SimConfig};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_request_without_a_token_is_401_unauthorized() {
    let desk = Desk::new().await;
    let response = http()
        .get(format!("{}/departments", desk.sim.desk_api_url()))
        .header("orgId", &desk.org)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!((status, code.as_str()), (401, "UNAUTHORIZED"));
}

#[tokio::test]
async fn a_bad_token_or_scheme_is_401_invalid_oauth() {
    let desk = Desk::new().await;
    for header in [
        "Zoho-oauthtoken 1000.nope.nope",
        &format!("Bearer {}", desk.token),
    ] {
        let response = http()
            .get(format!("{}/departments", desk.sim.desk_api_url()))
            .header("Authorization", header)
            .header("orgId", &desk.org)
            .send()
            .await
            .unwrap();
        let (status, code, body) = error_of(response).await;
        assert_eq!((status, code.as_str()), (401, "INVALID_OAUTH"), "{header}");
        assert_eq!(body["message"], "The OAuth Token you provided is invalid.");
    }
}

#[tokio::test]
async fn expired_access_tokens_are_invalid_oauth_until_refreshed() {
    let desk = Desk::new().await;
    desk.sim.expire_access_tokens();
    let (status, code, _) = error_of(desk.get("/departments").await).await;
    assert_eq!((status, code.as_str()), (401, "INVALID_OAUTH"));
}

#[tokio::test]
async fn a_missing_or_malformed_org_id_is_422_with_errors() {
    let desk = Desk::new().await;
    let no_org = http()
        .get(format!("{}/departments", desk.sim.desk_api_url()))
        .header("Authorization", format!("Zoho-oauthtoken {}", desk.token))
        .send()
        .await
        .unwrap();
    let (status, code, body) = error_of(no_org).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
    assert_eq!(body["errors"][0]["fieldName"], "orgId");
    assert_eq!(body["errors"][0]["errorType"], "missing");
    let bad = Desk {
        sim: desk.sim.clone(),
        token: desk.token.clone(),
        org: "my-org".to_owned(),
    };
    let (status, _, body) = error_of(bad.get("/departments").await).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["errorType"], "invalid");
}

#[tokio::test]
async fn another_organizations_id_is_403_oauth_org_mismatch() {
    let desk = Desk::new().await;
    let other = Desk {
        sim: desk.sim.clone(),
        token: desk.token.clone(),
        org: "12345678".to_owned(),
    };
    let (status, code, _) = error_of(other.get("/tickets").await).await;
    assert_eq!((status, code.as_str()), (403, "OAUTH_ORG_MISMATCH"));
}

#[tokio::test]
async fn a_token_without_the_endpoints_scopes_is_scope_mismatch() {
    let sim = auto_sim().await;
    let reader = Desk::with(sim.clone(), &["Desk.tickets.READ", "Desk.basic.READ"]);
    let body =
        json!({"subject": "s", "departmentId": reader.support(), "contact": {"lastName": "L"}});
    let (status, code, _) = error_of(reader.post("/tickets", &body).await).await;
    assert_eq!((status, code.as_str()), (403, "SCOPE_MISMATCH"));
    assert!(sim.tickets().is_empty());
    // Search needs Desk.search.READ on top of the resource's READ.
    let (status, code, _) = error_of(reader.get("/tickets/search?ticketNumber=1").await).await;
    assert_eq!((status, code.as_str()), (403, "SCOPE_MISMATCH"));
    assert_eq!(reader.get("/tickets").await.status(), StatusCode::OK);
    let no_basic = Desk::with(sim, &["Desk.tickets.ALL"]);
    let (_, code, _) = error_of(no_basic.get("/organizations").await).await;
    assert_eq!(code, "SCOPE_MISMATCH");
}

#[tokio::test]
async fn scopes_recorded_at_consent_are_enforced() {
    let sim = auto_sim().await;
    let tokens = exchange(&sim, &code(&sim, &[("scope", "Desk.basic.READ")]).await).await;
    let desk = Desk {
        sim: sim.clone(),
        token: tokens["access_token"].as_str().unwrap().to_owned(),
        org: sim.org_id(),
    };
    assert_eq!(desk.get("/departments").await.status(), StatusCode::OK);
    let (_, code, _) = error_of(desk.get("/tickets").await).await;
    assert_eq!(code, "SCOPE_MISMATCH");
}

#[tokio::test]
async fn scope_mismatch_can_be_played_as_401() {
    let sim = start(SimConfig {
        scope_mismatch_status: 401,
        ..SimConfig::default()
    })
    .await;
    let desk = Desk::with(sim, &["Desk.basic.READ"]);
    let (status, code, _) = error_of(desk.get("/tickets").await).await;
    assert_eq!((status, code.as_str()), (401, "SCOPE_MISMATCH"));
}

#[tokio::test]
async fn an_unknown_query_parameter_is_rejected_by_name() {
    let desk = Desk::new().await;
    let (status, code, body) =
        error_of(desk.get("/contacts/search?email=a@example.com&x=1").await).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
    assert_eq!(
        body["message"],
        "Extra query parameter 'x' is present in the input."
    );
    // The integration guide's GET /contacts?email= is not an endpoint at all.
    let (status, code, _) = error_of(desk.get("/contacts?email=a@example.com").await).await;
    assert_eq!((status, code.as_str()), (404, "URL_NOT_FOUND"));
}

#[tokio::test]
async fn a_limit_over_the_maximum_or_below_one_is_422() {
    let desk = Desk::new().await;
    for path in [
        "/tickets?limit=101",
        "/tickets/search?limit=101&email=a@b.c",
        "/articles/search?searchStr=x&limit=51",
        "/tickets?limit=0",
        "/tickets?from=-1",
    ] {
        let (status, code, _) = error_of(desk.get(path).await).await;
        assert_eq!(
            (status, code.as_str()),
            (422, "UNPROCESSABLE_ENTITY"),
            "{path}"
        );
    }
    assert_eq!(
        desk.get("/tickets?limit=100").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        desk.get("/departments?limit=200").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unknown_path_or_method_is_404_url_not_found() {
    let desk = Desk::new().await;
    for (method, path) in [
        (Method::GET, "/nothing"),
        (Method::DELETE, "/tickets/1329983000000006907"),
        (Method::GET, "/tickets/abc"),
    ] {
        let (status, code, _) =
            error_of(desk.request(method.clone(), path).send().await.unwrap()).await;
        assert_eq!(
            (status, code.as_str()),
            (404, "URL_NOT_FOUND"),
            "{method} {path}"
        );
    }
}

fn credit_headers(response: &reqwest::Response) -> (u64, u64) {
    let number = |name: &str| {
        response.headers()[name]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    (
        number("x-rate-limit-remaining-v3"),
        number("x-rate-limit-request-weight-v3"),
    )
}

#[tokio::test]
async fn every_desk_reply_carries_the_credit_headers_with_the_calls_weight() {
    let desk = Desk::with_config(SimConfig {
        daily_credits: 100,
        ..SimConfig::default()
    })
    .await;
    let created = desk
        .post(
            "/tickets",
            &json!({"subject": "s", "departmentId": desk.support(), "contact": {"lastName": "L"}}),
        )
        .await;
    assert_eq!(credit_headers(&created), (99, 1));
    let listed = desk.get("/tickets").await;
    assert_eq!(credit_headers(&listed), (96, 3));
    let searched = desk.get("/tickets/search?ticketNumber=101").await;
    assert_eq!(credit_headers(&searched), (93, 3));
    let id = desk.sim.tickets()[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        credit_headers(&desk.get(&format!("/tickets/{id}")).await),
        (92, 1)
    );
    // Rejected calls carry the headers too and spend nothing.
    let unauthorized = http()
        .get(format!("{}/tickets", desk.sim.desk_api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(credit_headers(&unauthorized).0, 92);
}

#[tokio::test]
async fn when_the_daily_credits_are_used_up_calls_get_429_threshold_exceeded() {
    let desk = Desk::with_config(SimConfig {
        daily_credits: 4,
        ..SimConfig::default()
    })
    .await;
    assert_eq!(desk.get("/tickets").await.status(), StatusCode::OK);
    assert_eq!(
        desk.get(&format!("/tickets/{}", "1329983000000999999"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (status, code, _) = error_of(desk.get("/departments").await).await;
    assert_eq!((status, code.as_str()), (429, "THRESHOLD_EXCEEDED"));
}

#[tokio::test]
async fn issue_tokens_is_a_shortcut_past_consent() {
    let sim = auto_sim().await;
    let (access, refresh_token) = sim.issue_tokens(DEV_CLIENT_ID, &["Desk.basic.READ"]);
    assert_ne!(access, refresh_token);
    assert!(refresh(&sim, &refresh_token).await["access_token"].is_string());
}
