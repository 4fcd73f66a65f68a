//! The request log tests read: what reached the simulator and what it answered.
//! Token values, codes and secrets never enter it.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::faults::lock;

/// One request as the simulator saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, with the values of secret parameters (`code`,
    /// `refresh_token`, `client_secret`, `token`, `code_verifier`...) replaced by `REDACTED`.
    pub query: String,
    /// Status of the reply; for a reply lost to a drop fault, the status it would have had
    /// (0 when the request was dropped before being applied).
    pub status: u16,
    /// Whether an `Authorization` header was sent (its value is never kept).
    pub had_token: bool,
    /// The `orgId` header, when sent.
    pub org_id: Option<String>,
    /// The body, when it was JSON.
    pub body: Option<serde_json::Value>,
    /// Whether the connection was dropped instead of replying.
    pub dropped: bool,
}

const SECRET_PARAMS: &[&str] = &[
    "code",
    "refresh_token",
    "access_token",
    "client_secret",
    "token",
    "code_verifier",
];

/// The query string with the values of secret parameters redacted.
pub(crate) fn redact_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMS.contains(&name) => format!("{name}=REDACTED"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Mutex<Vec<LoggedRequest>>,
}

impl RequestLog {
    pub(crate) fn push(&self, entry: LoggedRequest) {
        lock(&self.entries).push(entry);
    }

    pub(crate) fn all(&self) -> Vec<LoggedRequest> {
        lock(&self.entries).clone()
    }

    pub(crate) fn clear(&self) {
        lock(&self.entries).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_query_values_are_redacted() {
        assert_eq!(
            redact_query(
                "grant_type=refresh_token&refresh_token=1000.a.b&client_secret=s&client_id=c"
            ),
            "grant_type=refresh_token&refresh_token=REDACTED&client_secret=REDACTED&client_id=c"
        );
        assert_eq!(
            redact_query("email=a%40b.c&limit=1"),
            "email=a%40b.c&limit=1"
        );
    }
}
