//! A fully built HTTP request, as plain data.
//!
//! Building a request is pure: it turns typed arguments into method, URL,
//! headers and body without touching the network, so it is unit-tested
//! without a server (DESIGN.md boundary 3). [`HttpClient`](crate::HttpClient)
//! is the one place that sends it. Its `Debug` never shows a secret: the
//! `Authorization` header, form values and Accounts query strings are
//! redacted.

use std::borrow::Cow;
use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, multipart};
use url::Url;

use crate::error::{Error, Result};

/// What a request does to server state, which decides what may be resent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads only: always safe to resend.
    Read,
    /// Changes state in a way that repeating is harmless (PATCH, refresh).
    Idempotent,
    /// Creates something (ticket, contact, comment, attachment) or spends a
    /// single-use code: never resent once it may have reached the server.
    Create,
}

/// Which service a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Zoho Accounts (OAuth): not subject to the Desk concurrency limit.
    Accounts,
    /// The Desk REST API: counted by the limiter, carries credit headers.
    Desk,
}

/// A request body.
#[derive(Clone, PartialEq)]
pub enum Body {
    /// No body.
    Empty,
    /// Serialised JSON (`Content-Type: application/json`).
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(&'static str, String)>),
    /// `multipart/form-data` parts.
    Multipart(Vec<Part>),
}

/// One multipart part.
#[derive(Clone, PartialEq)]
pub struct Part {
    /// Part name, e.g. `file`.
    pub name: &'static str,
    /// File name, for a file part.
    pub file_name: Option<String>,
    /// MIME type, for a file part.
    pub content_type: Option<String>,
    /// Content.
    pub bytes: Vec<u8>,
}

/// A request ready to send.
#[derive(Clone)]
pub struct PreparedRequest {
    /// HTTP method.
    pub method: Method,
    /// Full URL including the query.
    pub url: Url,
    /// Headers (the `Authorization` value is marked sensitive).
    pub headers: HeaderMap,
    /// Body.
    pub body: Body,
    /// What it does, for the retry policy.
    pub effect: Effect,
    /// Which service.
    pub service: Service,
    /// Human description used in errors, e.g. `"ticket creation"`.
    pub operation: Cow<'static, str>,
}

impl PreparedRequest {
    /// A bodiless request with no headers.
    pub(crate) fn new(
        method: Method,
        url: Url,
        effect: Effect,
        service: Service,
        operation: &'static str,
    ) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: Body::Empty,
            effect,
            service,
            operation: Cow::Borrowed(operation),
        }
    }

    /// The body as JSON, if it is JSON (for tests and diagnostics).
    pub fn json_body(&self) -> Option<serde_json::Value> {
        match &self.body {
            Body::Json(bytes) => serde_json::from_slice(bytes).ok(),
            _ => None,
        }
    }

    /// The value of a header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The query as decoded pairs.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// "POST /api/v1/tickets", for messages and logs (no query: it may hold a token).
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.url.path())
    }

    /// Builds a fresh `reqwest::Request` (one per attempt: a multipart body
    /// cannot be replayed).
    pub fn to_reqwest(&self, client: &reqwest::Client) -> Result<reqwest::Request> {
        let builder = client
            .request(self.method.clone(), self.url.clone())
            .headers(self.headers.clone());
        let builder = match &self.body {
            Body::Empty => builder,
            Body::Json(bytes) => builder
                .header(
                    reqwest::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )
                .body(bytes.clone()),
            Body::Form(pairs) => builder.form(pairs),
            Body::Multipart(parts) => {
                let mut form = multipart::Form::new();
                for part in parts {
                    let mut p = multipart::Part::bytes(part.bytes.clone());
                    if let Some(name) = &part.file_name {
                        p = p.file_name(name.clone());
                    }
                    if let Some(ct) = &part.content_type {
                        p = p.mime_str(ct).map_err(|source| Error::Http {
                            source: source.without_url(),
                        })?;
                    }
                    form = form.part(part.name, p);
                }
                builder.multipart(form)
            }
        };
        builder.build().map_err(|source| Error::Http {
            source: source.without_url(),
        })
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut url = self.url.clone();
        if self.service == Service::Accounts && url.query().is_some() {
            url.set_query(Some("[redacted]"));
        }
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    if v.is_sensitive() {
                        "[redacted]"
                    } else {
                        v.to_str().unwrap_or("?")
                    },
                )
            })
            .collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &url.as_str())
            .field("headers", &headers)
            .field("body", &self.body)
            .field("effect", &self.effect)
            .field("service", &self.service)
            .finish()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Empty"),
            Self::Json(bytes) => write!(f, "Json({} bytes)", bytes.len()),
            Self::Form(pairs) => {
                let keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
                write!(f, "Form({keys:?}, values redacted)")
            }
            Self::Multipart(parts) => {
                let names: Vec<String> = parts
                    .iter()
                    .map(|p| format!("{} ({} bytes)", p.name, p.bytes.len()))
                    .collect();
                write!(f, "Multipart({names:?})")
            }
        }
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Part({}, {} bytes)", self.name, self.bytes.len())
    }
}
