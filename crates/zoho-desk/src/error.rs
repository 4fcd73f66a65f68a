//! The crate's one error type, and the one function that turns any non-2xx
//! Desk reply into it (contract, "Errors").
//!
//! Variants are named by what went wrong in domain terms, and their messages
//! say what to do next. No variant carries a secret: reqwest errors are
//! stripped of their URL (a revoke URL holds a refresh token).

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Deserialize;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error from a [`TokenStore`](crate::TokenStore) implementation.
pub type StoreError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong talking to Zoho Accounts and Zoho Desk.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- configuration -------------------------------------------------
    /// A base URL that is plain http and not loopback.
    #[error(
        "`{url}` is not a secure address: Zoho must be reached over https (plain http is allowed only for a test server on this machine)"
    )]
    InsecureUrl {
        /// The rejected URL.
        url: String,
    },
    /// A base URL that cannot be used at all.
    #[error("`{url}` is not a usable server address: {reason}")]
    InvalidUrl {
        /// The rejected URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// A value that should be a numeric Desk id (e.g. a department name).
    #[error(
        "`{value}` is not a valid {kind}: Zoho Desk ids are long numbers; pick it from the list instead of typing a name"
    )]
    InvalidId {
        /// Which kind of id.
        kind: &'static str,
        /// The rejected value.
        value: String,
    },
    /// An org-scoped call was made before an organization was chosen.
    #[error("no Zoho Desk organization is selected: choose one in the connection settings")]
    OrgNotSelected,

    // ---- the consent redirect (OAuth callback) ---------------------------
    /// The callback's `state` is not the one this app sent.
    #[error(
        "the sign-in reply does not belong to the sign-in this app started (state mismatch); start connecting to Zoho Desk again"
    )]
    StateMismatch,
    /// `accounts-server` (or `location`) names a host that is not a Zoho data centre.
    #[error(
        "the sign-in reply named the server `{host}`, which is not a Zoho data centre, so it was refused; start connecting to Zoho Desk again"
    )]
    UntrustedHost {
        /// The untrusted host.
        host: String,
    },
    /// A required callback parameter is missing.
    #[error("the sign-in reply is incomplete (no `{0}`); start connecting to Zoho Desk again")]
    MissingParameter(&'static str),
    /// The user chose Deny on the consent page (`error=access_denied`).
    #[error(
        "access to Zoho Desk was denied on the Zoho consent page; connect again and choose Accept"
    )]
    AccessDenied,
    /// The signed-in user has no Desk organization (`error=no_org`).
    #[error(
        "this Zoho account has no Zoho Desk organization; sign in with an account that belongs to a Zoho Desk portal"
    )]
    NoOrg,
    /// Any other `error=` in the callback.
    #[error("Zoho Accounts stopped the sign-in ({error}); start connecting to Zoho Desk again")]
    AuthorizationFailed {
        /// The `error` parameter.
        error: String,
    },

    // ---- the token endpoint ----------------------------------------------
    /// `{"error":"invalid_code"}` on a code exchange: wrong, used or expired code.
    #[error(
        "Zoho did not accept the sign-in code (it was wrong, already used or expired); start connecting again"
    )]
    InvalidCode,
    /// `{"error":"invalid_client"}`: wrong client id or secret, or wrong data centre.
    #[error(
        "Zoho Accounts rejected the client id or secret (or they belong to another data centre); check them in the Zoho API console"
    )]
    InvalidClient,
    /// Zoho Accounts' "Access Denied" reply: too many token requests.
    #[error(
        "Zoho Accounts is refusing token requests for now (too many in the last 10 minutes); wait up to 10 minutes, then try again"
    )]
    AccountsRateLimited,
    /// Any other `{"error": ...}` from the token endpoint.
    #[error("Zoho Accounts refused the token request ({error}); try connecting again")]
    TokenEndpoint {
        /// The `error` value.
        error: String,
    },
    /// There is no usable token and none can be obtained without the user.
    #[error("{reason}: reconnect to Zoho Desk")]
    ReconnectNeeded {
        /// Why.
        reason: ReconnectReason,
    },
    /// The token store failed.
    #[error("the saved Zoho Desk sign-in could not be read or written: {source}")]
    TokenStore {
        /// The store's error.
        #[source]
        source: StoreError,
    },

    // ---- Desk replies (contract, "Errors") -------------------------------
    /// 401 `UNAUTHORIZED`: the request had no token.
    #[error("Zoho Desk received no sign-in with the request: reconnect to Zoho Desk")]
    Unauthorized,
    /// 401 `INVALID_OAUTH` even after a refresh.
    #[error("Zoho Desk does not accept the sign-in token: reconnect to Zoho Desk")]
    TokenInvalid,
    /// 401/403 `SCOPE_MISMATCH`: the token lacks a scope.
    #[error(
        "the Zoho Desk connection lacks a permission ({message}): reconnect and accept all requested permissions"
    )]
    ScopeMismatch {
        /// Zoho's message.
        message: String,
    },
    /// 403 `OAUTH_ORG_MISMATCH`: the token is not valid for that `orgId`.
    #[error(
        "the signed-in Zoho account cannot access the selected Desk organization: choose another organization or reconnect with the right account"
    )]
    OrgMismatch,
    /// 422 `UNPROCESSABLE_ENTITY` / `INVALID_DATA` (and 400): Desk rejected the input.
    #[error("Zoho Desk rejected the data ({code}: {message}){fields}", fields = FieldList(errors))]
    Validation {
        /// HTTP status (422 or 400).
        status: u16,
        /// `errorCode`.
        code: String,
        /// `message`.
        message: String,
        /// `errors[]`, empty when absent.
        errors: Vec<FieldError>,
    },
    /// 404 `URL_NOT_FOUND` (also an unknown id).
    #[error("Zoho Desk has no such item ({message}); it may have been deleted")]
    NotFound {
        /// Zoho's message.
        message: String,
    },
    /// 413 `RESOURCE_SIZE_EXCEEDED`.
    #[error("the file is too large for Zoho Desk: attach a smaller file")]
    TooLarge,
    /// 429 `TOO_MANY_REQUESTS` (concurrency) or `THRESHOLD_EXCEEDED` (daily credits).
    #[error("{}", rate_limited_message(*credits_exhausted, *retry_after))]
    RateLimited {
        /// The server's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
        /// `true` when the day's API credits are used up.
        credits_exhausted: bool,
    },
    /// 5xx after the retries.
    #[error("Zoho Desk had a server error (HTTP {status}); the request will be tried again later")]
    Server {
        /// HTTP status.
        status: u16,
        /// `errorCode`, if any.
        code: Option<String>,
    },
    /// Any other non-2xx reply.
    #[error("Zoho Desk answered HTTP {status} ({code}: {message})")]
    Api {
        /// HTTP status.
        status: u16,
        /// `errorCode` (empty when absent).
        code: String,
        /// `message` (empty when absent).
        message: String,
    },

    // ---- transport -------------------------------------------------------
    /// The server could not be reached at all (DNS, refused, connect timeout).
    #[error(
        "cannot reach Zoho ({source}): check the internet connection; queued work is sent when it is back"
    )]
    Offline {
        /// reqwest's error, without URL.
        #[source]
        source: reqwest::Error,
    },
    /// The connection failed while a (safe to repeat) request was under way.
    #[error("the connection to Zoho failed ({source}); try again")]
    Network {
        /// reqwest's error, without URL.
        #[source]
        source: reqwest::Error,
    },
    /// A request that creates something was sent but its reply was lost.
    /// It may or may not have been applied; it was not resent.
    #[error(
        "the connection failed after the {operation} was sent, so it may or may not have been done; look it up before sending it again"
    )]
    OutcomeUnknown {
        /// What was being done, e.g. `"ticket creation (POST /tickets)"`.
        operation: String,
        /// reqwest's error, without URL, when there was one.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// A 2xx reply that does not have the documented shape.
    #[error("Zoho sent a reply this app does not understand ({what}): {source}")]
    Decode {
        /// Which reply.
        what: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The HTTP client could not be built or a request could not be formed.
    #[error("internal HTTP client error: {source}")]
    Http {
        /// reqwest's error, without URL.
        #[source]
        source: reqwest::Error,
    },
}

/// Why the user has to connect again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectReason {
    /// No token was ever saved.
    NotConnected,
    /// Zoho rejected the refresh token (revoked, or replaced by 20 newer ones).
    RefreshRejected,
    /// An access token without a refresh token (e.g. imported) has expired.
    AccessExpired,
}

impl fmt::Display for ReconnectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotConnected => "this app is not connected to Zoho Desk yet",
            Self::RefreshRejected => {
                "Zoho no longer accepts the saved sign-in (it was revoked or replaced)"
            }
            Self::AccessExpired => {
                "the imported access token has expired and there is no refresh token"
            }
        })
    }
}

/// One entry of a validation reply's `errors[]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    /// JSON pointer of the field, e.g. `"/departmentId"`.
    #[serde(default, deserialize_with = "crate::model::serde_util::null_default")]
    pub field_name: String,
    /// `missing`, `invalid`, `duplicate`, ...
    #[serde(default, deserialize_with = "crate::model::serde_util::null_default")]
    pub error_type: String,
    /// Zoho's explanation.
    #[serde(default, deserialize_with = "crate::model::serde_util::null_default")]
    pub error_message: String,
}

struct FieldList<'a>(&'a [FieldError]);

impl fmt::Display for FieldList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            let sep = if i == 0 { ": " } else { "; " };
            write!(
                f,
                "{sep}{} is {}",
                e.field_name.trim_start_matches('/'),
                e.error_type
            )?;
            if !e.error_message.is_empty() {
                write!(f, " ({})", e.error_message)?;
            }
        }
        Ok(())
    }
}

fn rate_limited_message(credits_exhausted: bool, retry_after: Option<Duration>) -> String {
    if credits_exhausted {
        return "the Zoho Desk API credits for today are used up; queued work is sent when they renew".to_owned();
    }
    match retry_after {
        Some(d) => format!(
            "Zoho Desk is busy (too many requests); try again in {} s",
            d.as_secs().max(1)
        ),
        None => "Zoho Desk is busy (too many requests); try again shortly".to_owned(),
    }
}

impl Error {
    /// Whether the caller may simply send the same request again later
    /// (rate limits, server errors, network trouble). Never true for
    /// [`Error::OutcomeUnknown`]: look the item up first.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Offline { .. }
                | Self::Network { .. }
        )
    }

    /// Whether only the user can fix this by connecting to Zoho Desk again.
    pub fn needs_reconnect(&self) -> bool {
        matches!(
            self,
            Self::ReconnectNeeded { .. }
                | Self::TokenInvalid
                | Self::Unauthorized
                | Self::ScopeMismatch { .. }
        )
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn reconnect(reason: ReconnectReason) -> Self {
        Self::ReconnectNeeded { reason }
    }
}

/// The documented Desk error body: `{"errorCode","message","errors":[..]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeskErrorBody {
    #[serde(default, deserialize_with = "crate::model::serde_util::null_default")]
    error_code: String,
    #[serde(default, deserialize_with = "crate::model::serde_util::null_default")]
    message: String,
    #[serde(default, deserialize_with = "crate::model::serde_util::null_default")]
    errors: Vec<FieldError>,
}

/// Maps any non-2xx Desk reply to a typed error: the one place where status,
/// `errorCode` and `errors[]` are interpreted (contract, "Errors" table).
/// A body that is empty or not JSON (a proxy's HTML page) is tolerated.
pub fn error_from_response(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let parsed: DeskErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let DeskErrorBody {
        error_code: code,
        message,
        errors,
    } = parsed;
    match (status.as_u16(), code.as_str()) {
        (_, "SCOPE_MISMATCH") => Error::ScopeMismatch { message },
        (_, "OAUTH_ORG_MISMATCH") => Error::OrgMismatch,
        (401, "UNAUTHORIZED") => Error::Unauthorized,
        (401, _) => Error::TokenInvalid,
        (_, "THRESHOLD_EXCEEDED") | (429, _) => Error::RateLimited {
            retry_after: retry_after(headers),
            credits_exhausted: code == "THRESHOLD_EXCEEDED",
        },
        (400 | 422, _) | (_, "UNPROCESSABLE_ENTITY" | "INVALID_DATA") => Error::Validation {
            status: status.as_u16(),
            code,
            message,
            errors,
        },
        (404, _) | (_, "URL_NOT_FOUND") => Error::NotFound { message },
        (413, _) | (_, "RESOURCE_SIZE_EXCEEDED") => Error::TooLarge,
        (500..=599, _) => Error::Server {
            status: status.as_u16(),
            code: (!code.is_empty()).then_some(code),
        },
        (status, _) => Error::Api {
            status,
            code,
            message,
        },
    }
}

/// `Retry-After` as delta-seconds (the only form seen from Zoho).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn map(status: u16, body: &str) -> Error {
        error_from_response(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn every_documented_error_code_maps_to_a_typed_error() {
        let invalid =
            r#"{"errorCode":"INVALID_OAUTH","message":"The OAuth Token you provided is invalid."}"#;
        assert!(matches!(map(401, invalid), Error::TokenInvalid));
        assert!(matches!(
            map(401, r#"{"errorCode":"UNAUTHORIZED","message":"x"}"#),
            Error::Unauthorized
        ));
        assert!(matches!(
            map(401, r#"{"errorCode":"SCOPE_MISMATCH","message":"m"}"#),
            Error::ScopeMismatch { .. }
        ));
        assert!(matches!(
            map(403, r#"{"errorCode":"SCOPE_MISMATCH","message":"m"}"#),
            Error::ScopeMismatch { .. }
        ));
        assert!(matches!(
            map(403, r#"{"errorCode":"OAUTH_ORG_MISMATCH","message":"m"}"#),
            Error::OrgMismatch
        ));
        assert!(matches!(
            map(404, r#"{"errorCode":"URL_NOT_FOUND","message":"m"}"#),
            Error::NotFound { .. }
        ));
        assert!(matches!(
            map(
                413,
                r#"{"errorCode":"RESOURCE_SIZE_EXCEEDED","message":"m"}"#
            ),
            Error::TooLarge
        ));
        assert!(matches!(
            map(500, r#"{"errorCode":"INTERNAL_SERVER_ERROR"}"#),
            Error::Server { status: 500, .. }
        ));
        assert!(matches!(
            map(429, r#"{"errorCode":"TOO_MANY_REQUESTS"}"#),
            Error::RateLimited {
                credits_exhausted: false,
                retry_after: None
            }
        ));
        assert!(matches!(
            map(429, r#"{"errorCode":"THRESHOLD_EXCEEDED"}"#),
            Error::RateLimited {
                credits_exhausted: true,
                ..
            }
        ));
        assert!(matches!(
            map(422, r#"{"errorCode":"INVALID_DATA","message":"m"}"#),
            Error::Validation { .. }
        ));
        assert!(matches!(
            map(418, r#"{"errorCode":"TEAPOT","message":"m"}"#),
            Error::Api { status: 418, .. }
        ));
    }

    #[test]
    fn validation_errors_carry_the_field_list() {
        let body = r#"{"errorCode":"UNPROCESSABLE_ENTITY","message":"An invalid value","errors":[
            {"fieldName":"/departmentId","errorType":"invalid","errorMessage":null},
            {"fieldName":"/subject","errorType":"missing","errorMessage":"required","extra":1}]}"#;
        let err = map(422, body);
        let Error::Validation {
            status,
            code,
            errors,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((*status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field_name, "/departmentId");
        assert_eq!(errors[1].error_message, "required");
        let text = err.to_string();
        assert!(text.contains("departmentId is invalid"), "{text}");
        assert!(text.contains("subject is missing (required)"), "{text}");
    }

    #[test]
    fn empty_or_html_bodies_are_tolerated() {
        assert!(matches!(
            map(502, "<html>Bad gateway</html>"),
            Error::Server {
                status: 502,
                code: None
            }
        ));
        assert!(matches!(map(404, ""), Error::NotFound { .. }));
        assert!(matches!(map(401, ""), Error::TokenInvalid));
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        let err = error_from_response(StatusCode::TOO_MANY_REQUESTS, &headers, b"{}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
        assert!(err.is_transient());
    }
}
