//! The connection state shown in the status area.

use serde::Serialize;
use ts_rs::TS;

/// Whether the app is connected to Zoho Desk, and to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum ConnectionStatus {
    /// No credentials yet: the setup wizard has not been run.
    NotConnected,
    /// Credentials work.
    Connected {
        org_name: String,
        data_centre: String,
        sandbox: bool,
    },
    /// Credentials exist but Zoho no longer accepts them.
    ReconnectNeeded {
        org_name: String,
        data_centre: String,
        sandbox: bool,
    },
}
