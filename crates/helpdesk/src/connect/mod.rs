//! Connecting Desk Chat to Zoho Desk: the core of the guided setup wizard.
//!
//! - [`LoopbackReceiver`]: the OAuth redirect listener on `localhost:{port}`.
//! - [`Setup`]: consent in the system browser ([`Setup::start_consent`],
//!   [`PendingConsent`] with Copy link, Cancel and "paste the address"), a
//!   Self Client code, or a `.env` import; then organization and departments
//!   chosen, settings and secrets saved; [`Setup::status`] and
//!   [`Setup::disconnect`].
//! - [`Sandbox`]: the built-in simulator to try everything without Zoho.
//! - [`start_from_env`]: data dir, settings, overrides and secret store put
//!   together at start.
//! - [`ConnectError`]: what went wrong, in words that say what to do next.
//!
//! Not here: windows, IPC, the UI's steps (those are in `src-tauri` and
//! `ui/`), and the opening of the browser itself ([`BrowserOpener`]).

mod browser;
mod client;
mod discover;
mod env_import;
mod error;
mod flow;
mod loopback;
mod outcome;
mod sandbox;
mod startup;
mod throttle;

pub use browser::{BrowserOpener, SystemBrowser, check_consent_url};
pub use client::{
    CALLBACKS_DEPARTMENT, ConsentRequest, SCOPES, SUPPORT_DEPARTMENT, validate_client,
};
pub use discover::{DepartmentChoice, OrgChoice, OrgPick, pick_department, pick_organization};
pub use env_import::{ImportedEnv, parse_env};
pub use error::{ConnectError, Result};
pub use flow::{PendingConsent, Setup, SetupConfig};
pub use loopback::{
    CALLBACK_PATH, CallbackSource, DEFAULT_CALLBACK_TIMEOUT, LoopbackReceiver, ReceivedCallback,
    ReceiverHandle,
};
pub use outcome::{
    Connection, ConnectionStatus, DisconnectReport, RevokeOutcome, SetupOutcome, SetupWarning,
};
pub use sandbox::{SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, Sandbox, SandboxOptions};
pub use startup::{Startup, start_from_env, start_with_file_store};
pub use throttle::{ConsentThrottle, ThrottleConfig};
