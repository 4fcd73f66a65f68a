//! Contacts (contract, "Endpoints we use"): `GET /contacts/search?email=..&limit=..`
//! (exact match, 204 when none; new contacts take a while to become
//! searchable), `POST /contacts`, `GET /contacts/{id}`.

use reqwest::Method;

use super::{DeskClient, DeskRequest};
use crate::error::Result;
use crate::ids::ContactId;
use crate::model::{Contact, NewContact, SearchResults};
use crate::request::Effect;

/// Handler for `/contacts`.
#[derive(Debug, Clone, Copy)]
pub struct Contacts<'a> {
    pub(crate) client: &'a DeskClient,
}

/// `GET /contacts/search?email=..&limit=..`.
pub fn search_by_email_request(email: &str, limit: u32) -> DeskRequest {
    DeskRequest::get(&["contacts", "search"], "contact search")
        .query("email", email.trim())
        .query("limit", limit.clamp(1, 100))
}

/// `GET /contacts/search?phone=..&limit=..`: exact match on the phone.
pub fn search_by_phone_request(phone: &str, limit: u32) -> DeskRequest {
    DeskRequest::get(&["contacts", "search"], "contact search")
        .query("phone", phone.trim())
        .query("limit", limit.clamp(1, 100))
}

/// What a prefix search matches on (`GET /contacts/search?<field>=<prefix>*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactField {
    Email,
    FirstName,
    LastName,
}

impl ContactField {
    fn param(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::FirstName => "firstName",
            Self::LastName => "lastName",
        }
    }
}

/// `GET /contacts/search?<field>=<prefix>*&limit=..`: contacts whose field
/// starts with `prefix`. The trailing `*` wildcard is accepted by the real
/// Desk on email, firstName and lastName (documented by third parties, not
/// in Zoho's reference); a `*` typed inside `prefix` is dropped.
pub fn search_prefix_request(field: ContactField, prefix: &str, limit: u32) -> DeskRequest {
    let prefix: String = prefix.trim().chars().filter(|c| *c != '*').collect();
    DeskRequest::get(&["contacts", "search"], "contact search")
        .query(field.param(), format!("{prefix}*"))
        .query("limit", limit.clamp(1, 100))
}

/// `POST /contacts`.
pub fn create_request(contact: &NewContact) -> Result<DeskRequest> {
    DeskRequest::json(
        Method::POST,
        &["contacts"],
        contact,
        Effect::Create,
        "contact creation",
    )
}

/// `GET /contacts/{id}`.
pub fn get_request(id: &ContactId) -> DeskRequest {
    DeskRequest::get(&["contacts", id.as_str()], "contact lookup")
}

impl Contacts<'_> {
    /// Contacts whose email is exactly `email` (empty on 204).
    pub async fn search_by_email(&self, email: &str, limit: u32) -> Result<SearchResults<Contact>> {
        self.client
            .fetch_search(&search_by_email_request(email, limit))
            .await
    }

    /// Contacts whose phone is exactly `phone` (empty on 204).
    pub async fn search_by_phone(&self, phone: &str, limit: u32) -> Result<SearchResults<Contact>> {
        self.client
            .fetch_search(&search_by_phone_request(phone, limit))
            .await
    }

    /// Contacts whose `field` starts with `prefix` (empty on 204).
    pub async fn search_prefix(
        &self,
        field: ContactField,
        prefix: &str,
        limit: u32,
    ) -> Result<SearchResults<Contact>> {
        self.client
            .fetch_search(&search_prefix_request(field, prefix, limit))
            .await
    }

    /// Creates a contact. Desk does not deduplicate by email. Never resent
    /// once sent: a lost reply is [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
    pub async fn create(&self, contact: &NewContact) -> Result<Contact> {
        self.client.fetch(&create_request(contact)?).await
    }

    /// One contact.
    pub async fn get(&self, id: &ContactId) -> Result<Contact> {
        self.client.fetch(&get_request(id)).await
    }
}
