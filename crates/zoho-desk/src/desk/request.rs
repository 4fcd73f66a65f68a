//! A Desk call as plain data, before the token is known, and its pure
//! translation into a [`PreparedRequest`] (contract, "Desk REST API v1":
//! `Authorization: Zoho-oauthtoken <token>` and the `orgId` header on every
//! call but `GET /organizations`).

use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use serde::Serialize;

use crate::base_url::BaseUrl;
use crate::error::{Error, Result};
use crate::ids::OrgId;
use crate::request::{Body, Effect, PreparedRequest, Service};
use crate::secret::AccessToken;

/// The `orgId` header name.
pub const ORG_ID_HEADER: &str = "orgId";

/// One Desk API call, independent of the token.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskRequest {
    /// HTTP method.
    pub method: Method,
    /// Path segments after the API base, e.g. `["tickets", "123"]`.
    pub path: Vec<String>,
    /// Query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Body.
    pub body: Body,
    /// What it does (decides what may be resent).
    pub effect: Effect,
    /// Whether the `orgId` header is required (all but `GET /organizations`).
    pub needs_org: bool,
    /// For messages: "ticket creation".
    pub operation: &'static str,
}

impl DeskRequest {
    /// A read of `path`.
    pub fn get(path: &[&str], operation: &'static str) -> Self {
        Self {
            method: Method::GET,
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            body: Body::Empty,
            effect: Effect::Read,
            needs_org: true,
            operation,
        }
    }

    /// A request with a JSON body.
    pub fn json<T: Serialize + ?Sized>(
        method: Method,
        path: &[&str],
        body: &T,
        effect: Effect,
        operation: &'static str,
    ) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|source| Error::Decode {
            what: operation.to_owned(),
            source,
        })?;
        Ok(Self {
            method,
            body: Body::Json(bytes),
            effect,
            ..Self::get(path, operation)
        })
    }

    /// Adds a query pair.
    pub fn query(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Adds a query pair when `value` is set.
    pub fn query_opt(self, key: impl Into<String>, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Builds the HTTP request: URL from `base` + path + query, the token
    /// header and the `orgId` header. Pure.
    pub fn prepare(
        &self,
        base: &BaseUrl,
        token: &AccessToken,
        org: Option<&OrgId>,
    ) -> Result<PreparedRequest> {
        let segments: Vec<&str> = self.path.iter().map(String::as_str).collect();
        let mut url = base.join(&segments);
        if !self.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let mut request = PreparedRequest::new(
            self.method.clone(),
            url,
            self.effect,
            Service::Desk,
            self.operation,
        );
        request.body = self.body.clone();
        let mut auth = HeaderValue::try_from(format!("Zoho-oauthtoken {}", token.expose()))
            .map_err(|_| Error::TokenInvalid)?;
        auth.set_sensitive(true);
        request.headers.insert(AUTHORIZATION, auth);
        request
            .headers
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        if self.needs_org {
            let org = org.ok_or(Error::OrgNotSelected)?;
            let value = HeaderValue::try_from(org.as_str()).map_err(|_| Error::InvalidId {
                kind: "organization id",
                value: org.as_str().to_owned(),
            })?;
            request.headers.insert(ORG_ID_HEADER, value);
        }
        Ok(request)
    }
}
