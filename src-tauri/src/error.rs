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

/// A message from a crate ("port 8000 is in use...") as the UI shows it:
/// capitalised, ending with a full stop.
pub fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl From<helpdesk::connect::ConnectError> for CommandError {
    fn from(e: helpdesk::connect::ConnectError) -> Self {
        use helpdesk::connect::ConnectError as C;
        let kind = match &e {
            C::InvalidClientId { .. }
            | C::InvalidClientSecret { .. }
            | C::PortInUse { .. }
            | C::BrowserDidNotOpen { .. }
            | C::UntrustedConsentHost { .. }
            | C::ConsentDenied
            | C::NoOrg
            | C::InvalidClient
            | C::StateMismatch
            | C::UntrustedAccountsServer { .. }
            | C::TimedOut { .. }
            | C::Cancelled
            | C::InvalidCode
            | C::UnknownOrganization(_)
            | C::UnknownDepartment(_)
            | C::NoDepartment
            | C::EnvFile(_) => ErrorKind::Validation,
            C::TooManyAttempts { .. } => ErrorKind::RateLimited,
            C::ZohoUnreachable { .. } => ErrorKind::Offline,
            C::ReconnectNeeded(_) | C::ScopeMismatch { .. } => ErrorKind::AuthExpired,
            C::NotConnected => ErrorKind::AuthRequired,
            // These messages say what to do and hold no secret (the keychain,
            // the settings file, the port, the sandbox): shown as they are.
            C::KeychainUnavailable(_) | C::Settings(_) | C::Listen { .. } | C::Sandbox(_) => {
                tracing::warn!(error = %e, "setup failed");
                ErrorKind::Internal
            }
            _ => return Self::internal(&e),
        };
        Self::new(kind, sentence(&e.to_string()))
    }
}

impl From<helpdesk::conversation::Error> for CommandError {
    /// The conversation's own failures are local (its database): Desk's
    /// troubles never reach here, the chat itself says them.
    fn from(e: helpdesk::conversation::Error) -> Self {
        Self::internal(&e)
    }
}

impl From<helpdesk::outbox::Error> for CommandError {
    fn from(e: helpdesk::outbox::Error) -> Self {
        use helpdesk::outbox::Error as O;
        match &e {
            O::NotFound(_) => Self::new(
                ErrorKind::NotFound,
                "That item is no longer in the history (it was discarded). Refresh the list.",
            ),
            O::WrongState { .. } => Self::new(
                ErrorKind::Validation,
                format!(
                    "{}. Refresh the list.",
                    sentence(&e.to_string()).trim_end_matches('.')
                ),
            ),
            _ => Self::internal(&e),
        }
    }
}

impl From<helpdesk::forms::Error> for CommandError {
    fn from(e: helpdesk::forms::Error) -> Self {
        use helpdesk::forms::Error as F;
        match e {
            F::Outbox(e) => e.into(),
            e @ (F::TooLarge { .. } | F::TooManyFiles { .. } | F::EmptyFile { .. }) => {
                Self::new(ErrorKind::Validation, sentence(&e.to_string()))
            }
        }
    }
}

impl From<helpdesk::history::Error> for CommandError {
    fn from(e: helpdesk::history::Error) -> Self {
        use helpdesk::history::Error as H;
        match e {
            H::Outbox(e) => e.into(),
            H::NoLink => Self::new(ErrorKind::Validation, sentence(&e.to_string())),
            H::UntrustedLink { .. } => {
                tracing::warn!(error = %e, "a ticket link was not opened");
                Self::new(ErrorKind::Validation, sentence(&e.to_string()))
            }
        }
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
    fn connect_errors_keep_their_advice_and_get_a_kind() {
        use helpdesk::connect::ConnectError as C;
        let e = CommandError::from(C::PortInUse { port: 8000 });
        assert_eq!(e.kind, ErrorKind::Validation);
        assert!(
            e.message.starts_with("Port 8000 is in use"),
            "{}",
            e.message
        );
        assert!(e.message.contains("register"), "{}", e.message);
        assert_eq!(
            CommandError::from(C::TooManyAttempts {
                retry_in: std::time::Duration::from_secs(20)
            })
            .kind,
            ErrorKind::RateLimited
        );
        assert_eq!(
            CommandError::from(C::NotConnected).kind,
            ErrorKind::AuthRequired
        );
        assert_eq!(
            CommandError::from(C::InvalidClient).kind,
            ErrorKind::Validation
        );
        assert!(
            CommandError::from(C::InvalidClient)
                .message
                .contains("data centre")
        );
    }

    #[test]
    fn sentences_are_capitalised_and_end_with_a_stop() {
        assert_eq!(
            sentence("connecting was cancelled"),
            "Connecting was cancelled."
        );
        assert_eq!(sentence("Done."), "Done.");
    }

    #[test]
    fn internal_errors_hide_their_detail() {
        let e = CommandError::internal(&"disk I/O error at /secret/path");
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(!e.message.contains("/secret/path"));
    }
}
