//! The setup wizard's IPC types (TypeScript twins in `ui/src/bindings`),
//! converted from `helpdesk`'s. None of them carries a secret: the client
//! secret only travels web view -> Rust, in [`ClientInput`].

use helpdesk::connect::{
    Connection, ConnectionStatus as CoreStatus, DepartmentChoice, DisconnectReport, OrgChoice,
    RevokeOutcome, SetupOutcome, SetupWarning,
};
use helpdesk::wizard::{DataCentreInfo, SecretStoreStatus, TestSent, WizardOverview};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::status::ConnectionStatus;

/// A Zoho data centre with its hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DataCentreDto {
    pub location: String,
    pub name: String,
    pub accounts_host: String,
    pub desk_api_base: String,
}

/// The saved non-secret settings the wizard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetupSettings {
    pub data_centre: Option<String>,
    pub data_centre_detected: bool,
    pub client_id: Option<String>,
    pub redirect_port: u16,
    pub redirect_uri: String,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub support_department_id: Option<String>,
    pub support_department_name: Option<String>,
    pub callbacks_department_id: Option<String>,
    pub callbacks_department_name: Option<String>,
    pub sandbox: bool,
}

/// Where the sign-in is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SecretStoreDto {
    /// The OS keychain.
    Keychain,
    /// A file only this user can read (the banner says so).
    File,
    /// Memory only: nothing survives a restart.
    Memory,
    /// No keychain works: the user must agree to the file first.
    NeedsConsent { reason: String },
}

/// An organization to pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrgDto {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

/// A department to pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DepartmentDto {
    pub id: String,
    pub name: String,
}

/// Something the admin should know after connecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetupWarningDto {
    /// `noCallbacksDepartment`, `noSupportDepartment`, `dataCentreDiffers`.
    pub kind: String,
    pub message: String,
}

/// Everything the wizard shows when it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetupState {
    pub data_centres: Vec<DataCentreDto>,
    pub settings: Option<SetupSettings>,
    pub status: ConnectionStatus,
    pub secret_store: SecretStoreDto,
    /// Set while a consent waits ("Copy link").
    pub pending_consent_url: Option<String>,
    /// The connected organization's departments (empty until listed in this run).
    pub departments: Vec<DepartmentDto>,
    /// `ZOHO_ACCOUNTS_URL` or `DESK_API_URL` is set.
    pub overridden: bool,
}

/// What the wizard submits: the client from the Zoho API console.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClientInput {
    pub client_id: String,
    /// Goes from the web view to Rust only; never sent back.
    pub client_secret: String,
    pub data_centre: Option<String>,
    pub redirect_port: Option<u16>,
}

impl std::fmt::Debug for ClientInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientInput")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl From<ClientInput> for helpdesk::connect::ConsentRequest {
    fn from(input: ClientInput) -> Self {
        Self {
            client_id: input.client_id,
            client_secret: input.client_secret,
            data_centre: input.data_centre.filter(|d| !d.is_empty()),
            redirect_port: input.redirect_port,
        }
    }
}

/// The consent page was opened (or not): its address for "Copy link".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConsentStarted {
    pub consent_url: String,
    /// Why the browser did not open, when it did not.
    pub browser_error: Option<String>,
}

/// A finished connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionDto {
    pub organization: OrgDto,
    pub departments: Vec<DepartmentDto>,
    pub support: Option<DepartmentDto>,
    pub callbacks: Option<DepartmentDto>,
    pub warnings: Vec<SetupWarningDto>,
    pub data_centre: Option<String>,
    pub data_centre_detected: bool,
    pub sandbox: bool,
}

/// What connecting ended with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SetupOutcomeDto {
    Connected { connection: Box<ConnectionDto> },
    ChooseOrganization { organizations: Vec<OrgDto> },
}

/// The test ticket or callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TestSentDto {
    /// `ticket` or `callback`.
    pub kind: String,
    pub ticket_number: Option<String>,
    pub web_url: Option<String>,
    pub delivered: bool,
    pub error: Option<String>,
}

/// What disconnecting did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DisconnectDto {
    /// Zoho revoked the refresh token.
    pub revoked: bool,
    pub message: String,
}

impl From<&CoreStatus> for ConnectionStatus {
    fn from(status: &CoreStatus) -> Self {
        let org_name = status.org_name.clone().unwrap_or_default();
        let data_centre = status.data_centre.clone().unwrap_or_else(|| "us".into());
        if status.connected {
            Self::Connected {
                org_name,
                data_centre,
                sandbox: status.sandbox,
            }
        } else if status.reconnect_needed {
            Self::ReconnectNeeded {
                org_name,
                data_centre,
                sandbox: status.sandbox,
            }
        } else {
            Self::NotConnected
        }
    }
}

impl From<Option<CoreStatus>> for ConnectionStatus {
    fn from(status: Option<CoreStatus>) -> Self {
        status
            .as_ref()
            .map(Self::from)
            .unwrap_or(Self::NotConnected)
    }
}

impl From<&DataCentreInfo> for DataCentreDto {
    fn from(dc: &DataCentreInfo) -> Self {
        Self {
            location: dc.location.clone(),
            name: dc.name.clone(),
            accounts_host: dc.accounts_host.clone(),
            desk_api_base: dc.desk_api_base.clone(),
        }
    }
}

impl From<&OrgChoice> for OrgDto {
    fn from(o: &OrgChoice) -> Self {
        Self {
            id: o.id.clone(),
            name: o.name.clone(),
            is_default: o.is_default,
        }
    }
}

impl From<&DepartmentChoice> for DepartmentDto {
    fn from(d: &DepartmentChoice) -> Self {
        Self {
            id: d.id.clone(),
            name: d.name.clone(),
        }
    }
}

impl From<&SetupWarning> for SetupWarningDto {
    fn from(w: &SetupWarning) -> Self {
        let kind = match w {
            SetupWarning::NoCallbacksDepartment => "noCallbacksDepartment",
            SetupWarning::NoSupportDepartment => "noSupportDepartment",
            SetupWarning::DataCentreDiffers { .. } => "dataCentreDiffers",
        };
        Self {
            kind: kind.into(),
            message: crate::error::sentence(&w.to_string()),
        }
    }
}

impl From<WizardOverview> for SetupState {
    fn from(o: WizardOverview) -> Self {
        Self {
            data_centres: o.data_centres.iter().map(Into::into).collect(),
            settings: o.settings.as_ref().map(|s| SetupSettings {
                data_centre: s.data_centre.clone(),
                data_centre_detected: s.data_centre_detected,
                client_id: s.client_id.clone(),
                redirect_port: s.redirect_port,
                redirect_uri: s.redirect_uri(),
                org_id: s.org_id.clone(),
                org_name: s.org_name.clone(),
                support_department_id: s.support_department_id.clone(),
                support_department_name: s.support_department_name.clone(),
                callbacks_department_id: s.callbacks_department_id.clone(),
                callbacks_department_name: s.callbacks_department_name.clone(),
                sandbox: s.sandbox,
            }),
            status: o.status.into(),
            secret_store: match o.secret_store {
                SecretStoreStatus::Keychain => SecretStoreDto::Keychain,
                SecretStoreStatus::File => SecretStoreDto::File,
                SecretStoreStatus::Memory => SecretStoreDto::Memory,
                SecretStoreStatus::NeedsConsent { reason } => SecretStoreDto::NeedsConsent {
                    reason: crate::error::sentence(&reason),
                },
            },
            pending_consent_url: o.pending_consent_url,
            departments: o.departments.iter().map(Into::into).collect(),
            overridden: o.overridden,
        }
    }
}

impl From<&Connection> for ConnectionDto {
    fn from(c: &Connection) -> Self {
        Self {
            organization: (&c.organization).into(),
            departments: c.departments.iter().map(Into::into).collect(),
            support: c.support.as_ref().map(Into::into),
            callbacks: c.callbacks.as_ref().map(Into::into),
            warnings: c.warnings.iter().map(Into::into).collect(),
            data_centre: c.data_centre.clone(),
            data_centre_detected: c.data_centre_detected,
            sandbox: c.sandbox,
        }
    }
}

impl From<SetupOutcome> for SetupOutcomeDto {
    fn from(o: SetupOutcome) -> Self {
        match o {
            SetupOutcome::Connected(c) => Self::Connected {
                connection: Box::new((&*c).into()),
            },
            SetupOutcome::ChooseOrganization { organizations } => Self::ChooseOrganization {
                organizations: organizations.iter().map(Into::into).collect(),
            },
        }
    }
}

impl From<Connection> for SetupOutcomeDto {
    fn from(c: Connection) -> Self {
        Self::Connected {
            connection: Box::new((&c).into()),
        }
    }
}

impl From<TestSent> for TestSentDto {
    fn from(t: TestSent) -> Self {
        Self {
            kind: t.kind.as_str().into(),
            ticket_number: t.ticket_number,
            web_url: t.web_url,
            delivered: t.delivered,
            error: t.error,
        }
    }
}

impl From<DisconnectReport> for DisconnectDto {
    fn from(r: DisconnectReport) -> Self {
        Self {
            revoked: matches!(r.revoke, RevokeOutcome::Revoked),
            message: r.message(),
        }
    }
}
