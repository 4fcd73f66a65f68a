//! The setup's one error type. Each message says what to do next, in the
//! words the wizard shows; none carries a secret.

use std::time::Duration;

use crate::secrets::SecretStoreError;
use crate::settings::SettingsError;

/// `Result` with [`ConnectError`].
pub type Result<T, E = ConnectError> = std::result::Result<T, E>;

/// What went wrong while connecting Desk Chat to Zoho Desk.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The client id does not look like one from the Zoho API console.
    #[error(
        "the client id does not look right ({reason}); copy it again from the Zoho API console (it starts with `1000.`)"
    )]
    InvalidClientId {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The client secret does not look like one.
    #[error(
        "the client secret does not look right ({reason}); copy it again from the Zoho API console"
    )]
    InvalidClientSecret {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Another program listens on the redirect port.
    #[error(
        "port {port} is in use by another program: close it, or choose another port and register `http://localhost:<port>/callback` as the redirect URI of the client in the Zoho API console too"
    )]
    PortInUse {
        /// The port.
        port: u16,
    },
    /// The loopback listener could not be started for another reason.
    #[error("could not listen for Zoho's answer on port {port}: {source}")]
    Listen {
        /// The port.
        port: u16,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The system browser did not open.
    #[error(
        "the web browser did not open ({reason}); use \"Copy link\" and open the link in a browser yourself"
    )]
    BrowserDidNotOpen {
        /// What the opener said.
        reason: String,
    },
    /// The consent URL points somewhere else than Zoho (or the configured test server).
    #[error(
        "the sign-in address `{host}` is not a Zoho Accounts server, so it was not opened; check the data centre and the ZOHO_ACCOUNTS_URL setting"
    )]
    UntrustedConsentHost {
        /// The host.
        host: String,
    },
    /// Deny was chosen on the consent page.
    #[error("access was denied on the Zoho consent page; connect again and choose Accept")]
    ConsentDenied,
    /// `error=no_org`: the Zoho user has no Desk account.
    #[error(
        "this Zoho account has no Zoho Desk organization (no_org); sign in with an account that belongs to a Zoho Desk portal, or use the sandbox"
    )]
    NoOrg,
    /// `invalid_client`: wrong secret, or the client lives in another data centre.
    #[error(
        "Zoho rejected the client id or secret (invalid_client): check the secret, and that the data centre is the one the client was created in (or turn on Multi-DC for the client)"
    )]
    InvalidClient,
    /// The callback's `state` is not this flow's.
    #[error(
        "the answer from Zoho does not belong to this connection attempt (state mismatch), so it was refused; start connecting again"
    )]
    StateMismatch,
    /// The callback named an accounts server outside the allowed hosts.
    #[error(
        "the answer from Zoho named the server `{host}`, which is not a Zoho data centre, so it was refused; start connecting again"
    )]
    UntrustedAccountsServer {
        /// The host.
        host: String,
    },
    /// Nothing came back in time.
    #[error(
        "no answer from the Zoho consent page after {} s; start connecting again (or paste the address the browser was sent to)",
        .after.as_secs()
    )]
    TimedOut {
        /// How long it waited.
        after: Duration,
    },
    /// The user cancelled.
    #[error("connecting was cancelled")]
    Cancelled,
    /// The token lacks a scope (`SCOPE_MISMATCH`).
    #[error(
        "the connection lacks a permission ({message}): reconnect and accept all the permissions Desk Chat asks for"
    )]
    ScopeMismatch {
        /// Zoho's message.
        message: String,
    },
    /// The code was refused (wrong, used, or older than a few minutes).
    #[error(
        "Zoho did not accept the code (it was wrong, already used, or expired); start again and finish within two minutes"
    )]
    InvalidCode,
    /// No keychain works (and no other store was agreed to).
    #[error(transparent)]
    KeychainUnavailable(SecretStoreError),
    /// Zoho could not be reached.
    #[error(
        "cannot reach Zoho ({detail}); check the internet connection (and a proxy, if any), then try again"
    )]
    ZohoUnreachable {
        /// What failed.
        detail: String,
    },
    /// Stored credentials no longer work (e.g. an imported access token expired).
    #[error("{0}")]
    ReconnectNeeded(String),
    /// Not connected yet.
    #[error("Desk Chat is not connected to Zoho Desk yet; connect first")]
    NotConnected,
    /// Consent was started too often (Zoho keeps only 20 refresh tokens per user).
    #[error(
        "connecting was started too often; wait {} s before trying again (Zoho allows only a few new sign-ins)",
        .retry_in.as_secs().max(1)
    )]
    TooManyAttempts {
        /// When the next attempt is allowed.
        retry_in: Duration,
    },
    /// The organization id given is not one of the list.
    #[error("organization `{0}` is not one this Zoho account can use; pick one from the list")]
    UnknownOrganization(String),
    /// The department id given is not one of the list.
    #[error("department `{0}` is not one of this organization's; pick one from the list")]
    UnknownDepartment(String),
    /// No department is chosen for what is being sent.
    #[error(
        "no department is chosen for this; pick the Support (and Callbacks) department in the setup first"
    )]
    NoDepartment,
    /// The outbox (the local queue of tickets) could not be used.
    #[error("the local queue of tickets could not be used: {0}")]
    Outbox(String),
    /// A `.env` file that cannot be used.
    #[error("the .env file cannot be imported: {0}")]
    EnvFile(String),
    /// The sandbox simulator could not start.
    #[error("the sandbox could not start: {0}")]
    Sandbox(String),
    /// Settings could not be read or written.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// Secrets could not be read or written.
    #[error(transparent)]
    Secrets(SecretStoreError),
    /// Any other Zoho error (its message says what to do).
    #[error(transparent)]
    Zoho(zoho_desk::Error),
}

impl From<SecretStoreError> for ConnectError {
    fn from(e: SecretStoreError) -> Self {
        match e {
            SecretStoreError::KeychainUnavailable { .. }
            | SecretStoreError::KeychainTimeout { .. } => Self::KeychainUnavailable(e),
            other => Self::Secrets(other),
        }
    }
}

impl From<crate::secrets::AcceptError> for ConnectError {
    fn from(e: crate::secrets::AcceptError) -> Self {
        match e {
            crate::secrets::AcceptError::Settings(e) => Self::Settings(e),
            crate::secrets::AcceptError::Store(e) => Self::from(e),
        }
    }
}

impl From<zoho_desk::Error> for ConnectError {
    fn from(e: zoho_desk::Error) -> Self {
        use zoho_desk::Error as Z;
        match e {
            Z::AccessDenied => Self::ConsentDenied,
            Z::NoOrg => Self::NoOrg,
            Z::InvalidClient => Self::InvalidClient,
            Z::StateMismatch => Self::StateMismatch,
            Z::UntrustedHost { host } => Self::UntrustedAccountsServer { host },
            Z::ScopeMismatch { message } => Self::ScopeMismatch { message },
            Z::InvalidCode => Self::InvalidCode,
            Z::Offline { .. } | Z::Network { .. } | Z::OutcomeUnknown { .. } => {
                Self::ZohoUnreachable {
                    detail: e.to_string(),
                }
            }
            Z::ReconnectNeeded { .. } | Z::TokenInvalid | Z::Unauthorized => {
                Self::ReconnectNeeded(e.to_string())
            }
            Z::TokenStore { source } => match source.downcast::<SecretStoreError>() {
                Ok(store_error) => Self::from(*store_error),
                Err(other) => Self::Secrets(SecretStoreError::KeychainUnavailable {
                    reason: other.to_string(),
                }),
            },
            other => Self::Zoho(other),
        }
    }
}

impl ConnectError {
    /// Whether only a new consent (Reconnect) can fix it.
    pub fn needs_reconnect(&self) -> bool {
        matches!(
            self,
            Self::ReconnectNeeded(_) | Self::ScopeMismatch { .. } | Self::NotConnected
        )
    }
}
