//! Exit codes and the CLI's error: a code, a stable kind, a message that
//! says what to do next. Built from the crate's errors, never from a secret.

use serde_json::{Value, json};

use crate::connect::ConnectError;
use crate::settings::SettingsError;

/// The process exit code (documented in `--help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Done,
    /// 1: anything else.
    Failed,
    /// 2: usage or invalid input; nothing was sent.
    Usage,
    /// 3: not connected, or a reconnect is needed.
    AuthNeeded,
    /// 4: Zoho Desk rejected the input.
    Rejected,
    /// 5: queued, not yet delivered.
    Queued,
}

impl Exit {
    /// The number.
    pub fn code(self) -> u8 {
        match self {
            Self::Done => 0,
            Self::Failed => 1,
            Self::Usage => 2,
            Self::AuthNeeded => 3,
            Self::Rejected => 4,
            Self::Queued => 5,
        }
    }

    /// The `kind` of the JSON error (the app's `CommandError` kinds where they exist).
    pub fn kind(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Failed => "internal",
            Self::Usage => "invalid_input",
            Self::AuthNeeded => "auth_required",
            Self::Rejected => "validation",
            Self::Queued => "queued",
        }
    }
}

/// A command that did not finish.
#[derive(Debug, Clone, PartialEq)]
pub struct CliError {
    /// The exit code.
    pub exit: Exit,
    /// What to do next.
    pub message: String,
    /// Extra machine-readable detail (field errors, choices).
    pub detail: Option<Value>,
}

impl CliError {
    /// An error with this code.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            detail: None,
        }
    }

    /// Exit 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    /// Exit 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(Exit::Failed, message)
    }

    /// Exit 3.
    pub fn auth(message: impl Into<String>) -> Self {
        Self::new(Exit::AuthNeeded, message)
    }

    /// With detail for `--json`.
    pub fn with_detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The `--json` document.
    pub fn to_json(&self) -> Value {
        let mut doc = json!({
            "ok": false,
            "exitCode": self.exit.code(),
            "kind": self.exit.kind(),
            "message": self.message,
        });
        if let Some(detail) = &self.detail {
            doc["detail"] = detail.clone();
        }
        doc
    }

    /// A Desk error: reconnect -> 3, validation -> 4, else 1.
    pub fn from_desk(error: &zoho_desk::Error) -> Self {
        use zoho_desk::Error as Z;
        let exit = if error.needs_reconnect() {
            Exit::AuthNeeded
        } else {
            match error {
                Z::Validation { .. } | Z::TooLarge => Exit::Rejected,
                Z::InvalidId { .. } => Exit::Usage,
                _ => Exit::Failed,
            }
        };
        let mut message = error.to_string();
        if exit == Exit::AuthNeeded {
            message.push_str(&format!(" ({})", super::context::RECONNECT_HINT));
        }
        Self::new(exit, message)
    }
}

impl From<ConnectError> for CliError {
    fn from(error: ConnectError) -> Self {
        let exit = if error.needs_reconnect() {
            Exit::AuthNeeded
        } else {
            match &error {
                ConnectError::InvalidClientId { .. }
                | ConnectError::InvalidClientSecret { .. }
                | ConnectError::InvalidCode
                | ConnectError::EnvFile(_)
                | ConnectError::UnknownOrganization(_)
                | ConnectError::PortInUse { .. }
                | ConnectError::UntrustedConsentHost { .. }
                | ConnectError::Settings(
                    SettingsError::BadOverride { .. } | SettingsError::UnknownDataCentre(_),
                ) => Exit::Usage,
                ConnectError::ConsentDenied
                | ConnectError::NoOrg
                | ConnectError::InvalidClient
                | ConnectError::StateMismatch
                | ConnectError::UntrustedAccountsServer { .. }
                | ConnectError::TimedOut { .. }
                | ConnectError::Cancelled
                | ConnectError::KeychainUnavailable(_) => Exit::AuthNeeded,
                _ => Exit::Failed,
            }
        };
        let mut message = error.to_string();
        if matches!(error, ConnectError::NotConnected) {
            message = format!(
                "Desk Chat is not connected to Zoho Desk: {}",
                super::context::RECONNECT_HINT
            );
        } else if exit == Exit::AuthNeeded && error.needs_reconnect() {
            message.push_str(&format!(" ({})", super::context::RECONNECT_HINT));
        }
        Self::new(exit, message)
    }
}

impl From<SettingsError> for CliError {
    fn from(error: SettingsError) -> Self {
        ConnectError::from(error).into()
    }
}

impl From<crate::outbox::Error> for CliError {
    fn from(error: crate::outbox::Error) -> Self {
        Self::failed(error.to_string())
    }
}

impl From<crate::secrets::SecretStoreError> for CliError {
    fn from(error: crate::secrets::SecretStoreError) -> Self {
        ConnectError::from(error).into()
    }
}
