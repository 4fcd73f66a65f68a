//! Shared helpers: a simulator per test, a raw reqwest client, and the OAuth
//! dance done by hand.
#![allow(dead_code)]

use std::collections::HashMap;

use desk_sim::{ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_REDIRECT_URI, Sim, SimConfig};
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

pub const ALL_SCOPES: &[&str] = &[
    "Desk.basic.READ",
    "Desk.tickets.ALL",
    "Desk.contacts.ALL",
    "Desk.search.READ",
    "Desk.articles.READ",
];

pub async fn start(config: SimConfig) -> Sim {
    Sim::start(config).await.expect("sim starts")
}

/// A simulator that approves consent at once.
pub async fn auto_sim() -> Sim {
    start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await
}

/// A client that does not follow redirects (the consent answer is a redirect to read).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The query parameters of a URL.
pub fn query_of(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .expect("url")
        .query_pairs()
        .into_owned()
        .collect()
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// `GET /oauth/v2/auth` with the usual parameters plus `extra`.
pub async fn authorize(sim: &Sim, extra: &[(&str, &str)]) -> Response {
    let mut params: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", DEV_CLIENT_ID),
        ("scope", "Desk.tickets.ALL,Desk.basic.READ"),
        ("redirect_uri", DEV_REDIRECT_URI),
        ("access_type", "offline"),
        ("prompt", "consent"),
        ("state", "st4te-_.~"),
    ];
    for (k, v) in extra {
        params.retain(|(name, _)| name != k);
        params.push((k, v));
    }
    http()
        .get(format!("{}/oauth/v2/auth", sim.base_url()))
        .query(&params)
        .send()
        .await
        .expect("auth answers")
}

/// An authorization code from an auto-approving simulator.
pub async fn code(sim: &Sim, extra: &[(&str, &str)]) -> String {
    let response = authorize(sim, extra).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    query_of(&location(&response))
        .remove("code")
        .expect("a code")
}

/// `POST /oauth/v2/token` with a form body.
pub async fn token_form(sim: &Sim, form: &[(&str, &str)]) -> Value {
    let response = http()
        .post(format!("{}/oauth/v2/token", sim.base_url()))
        .form(form)
        .send()
        .await
        .expect("token answers");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "token errors are HTTP 200 too"
    );
    response.json().await.expect("json")
}

pub async fn exchange(sim: &Sim, code: &str) -> Value {
    token_form(
        sim,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", DEV_CLIENT_SECRET),
            ("redirect_uri", DEV_REDIRECT_URI),
            ("code", code),
        ],
    )
    .await
}

pub async fn refresh(sim: &Sim, refresh_token: &str) -> Value {
    token_form(
        sim,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", DEV_CLIENT_ID),
            ("client_secret", DEV_CLIENT_SECRET),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

/// A Desk caller with a token holding every scope.
pub struct Desk {
    pub sim: Sim,
    pub token: String,
    pub org: String,
}

impl Desk {
    pub async fn new() -> Self {
        Self::with(auto_sim().await, ALL_SCOPES)
    }

    pub async fn with_config(config: SimConfig) -> Self {
        Self::with(start(config).await, ALL_SCOPES)
    }

    pub fn with(sim: Sim, scopes: &[&str]) -> Self {
        let (token, _) = sim.issue_tokens(DEV_CLIENT_ID, scopes);
        let org = sim.org_id();
        Self { sim, token, org }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        http()
            .request(method, format!("{}{path}", self.sim.desk_api_url()))
            .header("Authorization", format!("Zoho-oauthtoken {}", self.token))
            .header("orgId", &self.org)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("desk answers")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("desk answers")
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path)
            .json(body)
            .send()
            .await
            .expect("desk answers")
    }

    pub fn support(&self) -> String {
        self.sim
            .department_id("Support")
            .expect("Support is seeded")
    }

    /// A ticket with an inline contact; returns the created ticket.
    pub async fn create_ticket(&self, subject: &str, email: &str) -> Value {
        let body = serde_json::json!({
            "subject": subject,
            "departmentId": self.support(),
            "contact": { "lastName": "Lovelace", "firstName": "Ada", "email": email },
        });
        let response = self.post("/tickets", &body).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("json")
    }
}

/// `(status, errorCode, body)` of an error reply.
pub async fn error_of(response: Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("an error body is JSON");
    let code = body["errorCode"].as_str().unwrap_or("").to_owned();
    (status, code, body)
}

/// The `fieldName`s of an error's `errors[]`.
pub fn field_names(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["fieldName"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}
