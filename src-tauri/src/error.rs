//! The one error type that crosses IPC.
//!
//! Serialised as `{ "kind": "...", "message": "..." }`: the UI branches on
//! `kind` (a small closed set, pinned by the tests below) and shows
//! `message`, which always says what to do next. Raw internals are logged,
//! never shown.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, in the terms the UI acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorKind {
    /// Not connected to Zoho Desk yet: run the setup.
    AuthRequired,
    /// The connection was lost (refresh token revoked or expired): reconnect.
    AuthExpired,
    /// The input was rejected (by us or by Desk); the message names the field.
    Validation,
    /// Zoho asked us to slow down; it will be retried.
    RateLimited,
    /// Zoho Desk cannot be reached; the work is kept and retried.
    Offline,
    /// The thing asked for does not exist.
    NotFound,
    /// A fault of ours; details are in the log.
    Internal,
}

/// An error returned by any command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// An unexpected failure: the detail goes to the log, the user gets a
    /// plain message that points at the log.
    pub fn internal(detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(
            ErrorKind::Internal,
            "Something went wrong inside Desk Chat. Try again; if it keeps happening, send us the log file shown under About.",
        )
    }
}

impl From<tauri::Error> for CommandError {
    fn from(e: tauri::Error) -> Self {
        Self::internal(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn command_error_serialises_as_kind_and_message() {
        let e = CommandError::new(ErrorKind::RateLimited, "Zoho asked us to wait 2 seconds.");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({ "kind": "rate_limited", "message": "Zoho asked us to wait 2 seconds." })
        );
    }

    #[test]
    fn every_error_kind_has_a_stable_wire_name() {
        let pinned = [
            (ErrorKind::AuthRequired, "auth_required"),
            (ErrorKind::AuthExpired, "auth_expired"),
            (ErrorKind::Validation, "validation"),
            (ErrorKind::RateLimited, "rate_limited"),
            (ErrorKind::Offline, "offline"),
            (ErrorKind::NotFound, "not_found"),
            (ErrorKind::Internal, "internal"),
        ];
        for (kind, wire) in pinned {
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(wire));
        }
    }

    #[test]
    fn internal_errors_hide_their_detail() {
        let e = CommandError::internal(&"disk I/O error at /secret/path");
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(!e.message.contains("/secret/path"));
    }
}
