//! `GET /organizations` items (contract, "Endpoints we use").

use serde::Deserialize;

use super::serde_util::de_opt_bool;
use crate::ids::OrgId;

/// A Desk organization (portal) the signed-in user belongs to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Organization {
    /// Sent later as the `orgId` header. May arrive as a number.
    pub id: OrgId,
    /// Company name.
    #[serde(default)]
    pub company_name: Option<String>,
    /// Portal name (sub-domain).
    #[serde(default)]
    pub portal_name: Option<String>,
    /// Portal URL.
    #[serde(default, rename = "portalURL")]
    pub portal_url: Option<String>,
    /// Edition (`FREE`, `STANDARD`, `PROFESSIONAL`, `ENTERPRISE`, ...).
    #[serde(default)]
    pub edition: Option<String>,
    /// Whether it is the user's default portal.
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub is_default: Option<bool>,
}

impl Organization {
    /// A name to show: company name, else portal name, else the id.
    pub fn display_name(&self) -> &str {
        self.company_name
            .as_deref()
            .or(self.portal_name.as_deref())
            .filter(|s| !s.is_empty())
            .unwrap_or(self.id.as_str())
    }

    /// The concurrency limit to configure for this organization's edition.
    /// See [`concurrency_limit_for_edition`].
    pub fn concurrency_limit(&self) -> usize {
        concurrency_limit_for_edition(self.edition.as_deref().unwrap_or(""))
    }
}

/// Simultaneous Desk calls allowed per edition. The contract only says
/// "5 to 25 by edition"; these per-edition values are assumptions, and an
/// unknown edition gets the safe minimum of 5.
pub fn concurrency_limit_for_edition(edition: &str) -> usize {
    match edition.trim().to_ascii_uppercase().as_str() {
        "STANDARD" | "EXPRESS" => 10,
        "PROFESSIONAL" => 15,
        "ENTERPRISE" => 25,
        _ => 5,
    }
}
