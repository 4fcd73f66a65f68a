//! Choosing the organization and the departments from what Desk lists.
//! Pure: the flow fetches, these functions decide.

use serde::Serialize;
use zoho_desk::{Department, Organization};

/// An organization to show or pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgChoice {
    /// The `orgId`.
    pub id: String,
    /// Company or portal name.
    pub name: String,
    /// The user's default portal.
    pub is_default: bool,
}

impl From<&Organization> for OrgChoice {
    fn from(org: &Organization) -> Self {
        Self {
            id: org.id.as_str().to_owned(),
            name: org.display_name().to_owned(),
            is_default: org.is_default.unwrap_or(false),
        }
    }
}

/// A department to show or pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentChoice {
    /// The department id (what tickets carry; never the name).
    pub id: String,
    /// Its name.
    pub name: String,
}

impl DepartmentChoice {
    /// Enabled departments, in Desk's order.
    pub fn from_departments(departments: &[Department]) -> Vec<Self> {
        departments
            .iter()
            .filter(|d| d.is_enabled != Some(false))
            .map(|d| Self {
                id: d.id.as_str().to_owned(),
                name: d.name.clone().unwrap_or_else(|| d.id.as_str().to_owned()),
            })
            .collect()
    }
}

/// What [`pick_organization`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgPick {
    /// Exactly one: chosen automatically.
    One(OrgChoice),
    /// Several: the admin chooses.
    Choose(Vec<OrgChoice>),
    /// None: the Zoho user has no Desk portal.
    None,
}

/// One organization is chosen automatically; several are listed.
pub fn pick_organization(organizations: &[Organization]) -> OrgPick {
    match organizations {
        [] => OrgPick::None,
        [one] => OrgPick::One(one.into()),
        many => OrgPick::Choose(many.iter().map(OrgChoice::from).collect()),
    }
}

/// The department called `name`, compared case-insensitively and trimmed
/// (Desk admins write "support", "Support ", "SUPPORT").
pub fn pick_department<'a>(
    departments: &'a [DepartmentChoice],
    name: &str,
) -> Option<&'a DepartmentChoice> {
    let wanted = name.trim().to_lowercase();
    departments
        .iter()
        .find(|d| d.name.trim().to_lowercase() == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(id: &str, name: &str) -> DepartmentChoice {
        DepartmentChoice {
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    #[test]
    fn departments_are_matched_by_name_ignoring_case_and_spaces() {
        let list = vec![
            dep("1", "Sales"),
            dep("2", " SUPPORT "),
            dep("3", "callbacks"),
        ];
        assert_eq!(pick_department(&list, "Support").unwrap().id, "2");
        assert_eq!(pick_department(&list, "Callbacks").unwrap().id, "3");
        assert!(pick_department(&list, "Billing").is_none());
    }

    #[test]
    fn one_organization_is_chosen_and_several_are_listed() {
        let org = |id: &str| -> Organization {
            serde_json::from_value(serde_json::json!({"id": id, "companyName": format!("Co {id}")}))
                .unwrap()
        };
        assert_eq!(pick_organization(&[]), OrgPick::None);
        assert!(matches!(pick_organization(&[org("1")]), OrgPick::One(o) if o.name == "Co 1"));
        assert!(
            matches!(pick_organization(&[org("1"), org("2")]), OrgPick::Choose(l) if l.len() == 2)
        );
    }
}
