//! Contacts: `GET /contacts/search`, `POST /contacts`, `GET /contacts/{id}`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::serde_util::de_opt_time;
use crate::ids::ContactId;

/// A Desk contact as returned by get, create and search.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contact {
    /// Contact id.
    pub id: ContactId,
    /// Last name (required by Desk on create).
    #[serde(default)]
    pub last_name: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Mobile.
    #[serde(default)]
    pub mobile: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Agent console link.
    #[serde(default)]
    pub web_url: Option<String>,
    /// When it was created.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub created_time: Option<DateTime<Utc>>,
}

/// Body of `POST /contacts`: `lastName` is required. Desk does not
/// deduplicate by email: search first, or use a ticket's inline contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewContact {
    /// Required.
    pub last_name: String,
    /// Optional first name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Optional email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Optional phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Optional mobile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// Optional description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl NewContact {
    /// A contact with only the required last name.
    pub fn new(last_name: impl Into<String>) -> Self {
        Self {
            last_name: last_name.into(),
            ..Self::default()
        }
    }
}
