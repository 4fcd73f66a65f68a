//! `GET /departments` items (contract, "Endpoints we use").

use serde::Deserialize;

use super::serde_util::de_opt_bool;
use crate::ids::DepartmentId;

/// A Desk department ("Support", "Callbacks", ...).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Department {
    /// The id to send as `departmentId` (never the name).
    pub id: DepartmentId,
    /// Name shown to agents.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the department is enabled.
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub is_enabled: Option<bool>,
    /// Whether it is the default department.
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub is_default: Option<bool>,
    /// Name shown in the customer portal.
    #[serde(default)]
    pub name_in_customer_portal: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}
