//! What the setup reports to the wizard: the connection, warnings, the
//! status area, the outcome of a disconnect. Serialisable, without secrets.

use serde::Serialize;

use super::discover::{DepartmentChoice, OrgChoice};

/// Something the admin should know after connecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SetupWarning {
    /// No department called "Callbacks": callbacks cannot be booked until one is picked.
    NoCallbacksDepartment,
    /// No department called "Support": pick the one chat tickets go to.
    NoSupportDepartment,
    /// Zoho reported another data centre than the one chosen; Zoho's wins.
    DataCentreDiffers {
        /// The one chosen in the wizard.
        chosen: String,
        /// The one the callback reported.
        detected: String,
    },
}

impl std::fmt::Display for SetupWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoCallbacksDepartment => f.write_str(
                "this Zoho Desk has no \"Callbacks\" department: create one in Zoho Desk (Setup > Departments) or pick another department for callbacks, otherwise callbacks cannot be booked",
            ),
            Self::NoSupportDepartment => f.write_str(
                "this Zoho Desk has no \"Support\" department: pick the department chat tickets should go to",
            ),
            Self::DataCentreDiffers { chosen, detected } => write!(
                f,
                "your Zoho account is in the {detected} data centre, not {chosen}; Desk Chat uses {detected}",
                chosen = chosen.to_uppercase(),
                detected = detected.to_uppercase()
            ),
        }
    }
}

/// A finished connection, as the wizard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// The organization.
    pub organization: OrgChoice,
    /// Every enabled department (for the admin to pick others).
    pub departments: Vec<DepartmentChoice>,
    /// Where chat tickets go.
    pub support: Option<DepartmentChoice>,
    /// Where callbacks go.
    pub callbacks: Option<DepartmentChoice>,
    /// What the admin should know.
    pub warnings: Vec<SetupWarning>,
    /// The data centre's `location`, when known.
    pub data_centre: Option<String>,
    /// Whether Zoho reported the data centre (rather than it being chosen).
    pub data_centre_detected: bool,
    /// Connected to the built-in sandbox.
    pub sandbox: bool,
}

/// What connecting ended with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SetupOutcome {
    /// Connected; organization and departments chosen.
    Connected(Box<Connection>),
    /// Signed in (tokens saved), but there are several organizations: call
    /// [`Setup::choose_organization`](super::Setup::choose_organization) with one of them.
    ChooseOrganization {
        /// The organizations.
        organizations: Vec<OrgChoice>,
    },
}

impl SetupOutcome {
    /// The connection, when finished.
    pub fn connection(&self) -> Option<&Connection> {
        match self {
            Self::Connected(c) => Some(c),
            Self::ChooseOrganization { .. } => None,
        }
    }
}

/// The status area: connected to which org and DC, sandbox or not,
/// reconnect needed or not. Carries no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionStatus {
    /// Tokens and an organization are saved.
    pub connected: bool,
    /// Only a new consent can help (tokens gone or expired without refresh token).
    pub reconnect_needed: bool,
    /// The organization.
    pub org_id: Option<String>,
    /// Its name.
    pub org_name: Option<String>,
    /// The data centre's `location`.
    pub data_centre: Option<String>,
    /// Whether Zoho reported it.
    pub data_centre_detected: bool,
    /// Sandbox.
    pub sandbox: bool,
    /// Secrets are in the user-only file, not the keychain: show the banner.
    pub secrets_in_file: bool,
}

/// What disconnecting did at Zoho.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RevokeOutcome {
    /// Zoho revoked the refresh token.
    Revoked,
    /// There was no refresh token to revoke.
    NothingToRevoke,
    /// Zoho could not be reached or refused: the token stays valid at Zoho
    /// until removed in the account's "Connected Apps".
    NotRevoked {
        /// Why.
        detail: String,
    },
}

/// The result of [`Setup::disconnect`](super::Setup::disconnect): local secrets are always wiped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DisconnectReport {
    /// What happened at Zoho.
    pub revoke: RevokeOutcome,
}

impl DisconnectReport {
    /// A sentence for the user.
    pub fn message(&self) -> String {
        match &self.revoke {
            RevokeOutcome::Revoked => {
                "Disconnected: Zoho revoked Desk Chat's access and the saved sign-in was deleted from this computer.".to_owned()
            }
            RevokeOutcome::NothingToRevoke => {
                "Disconnected: the saved sign-in was deleted from this computer.".to_owned()
            }
            RevokeOutcome::NotRevoked { detail } => format!(
                "The saved sign-in was deleted from this computer, but Zoho could not be told ({detail}); remove Desk Chat under Connected Apps in your Zoho account settings."
            ),
        }
    }
}
