//! Contacts: `GET /contacts/search`, `POST /contacts`, `GET /contacts/{id}`,
//! and the find-or-create that an inline `contact` on a ticket does.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::organizations::desk_host;
use super::query::{page, paging, query_map};
use super::validate::{Checker, json_object};
use crate::clock::{now_ms, zoho_now};
use crate::errors::{DeskError, DeskResult};
use crate::state::{App, Data};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Contact {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: String,
    pub email: Option<String>,
    pub secondary_email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub description: Option<String>,
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub account_id: Option<String>,
    pub owner_id: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub zip: Option<String>,
    pub twitter: Option<String>,
    pub facebook: Option<String>,
    pub cf: Map<String, Value>,
    #[serde(rename = "photoURL")]
    pub photo_url: Option<String>,
    pub is_anonymous: bool,
    pub is_spam: bool,
    pub is_end_user: bool,
    pub created_time: String,
    pub modified_time: String,
    pub web_url: String,
    /// When the contact becomes visible to search (Unix ms); not part of the JSON.
    #[serde(skip)]
    pub searchable_from_ms: u64,
}

impl Contact {
    pub(crate) fn to_json(&self) -> Value {
        json!(self)
    }
}

/// What a new contact is made of.
#[derive(Debug, Default, Clone)]
pub(crate) struct NewContact {
    pub first_name: Option<String>,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
}

impl Data {
    pub(crate) fn add_contact(
        &mut self,
        new: NewContact,
        extra: impl FnOnce(&mut Contact),
        location: &str,
        search_delay_ms: u64,
    ) -> Contact {
        let id = self.new_id();
        let now = zoho_now();
        let mut contact = Contact {
            web_url: format!(
                "https://{}/support/{}/ShowHomePage.do#Contacts/dv/{id}",
                desk_host(location),
                self.organization.portal_name
            ),
            id,
            first_name: new.first_name,
            last_name: new.last_name,
            email: new.email,
            secondary_email: None,
            phone: new.phone,
            mobile: new.mobile,
            description: None,
            title: None,
            kind: None,
            account_id: None,
            owner_id: Some(self.organization.agent_id.clone()),
            street: None,
            city: None,
            state: None,
            country: None,
            zip: None,
            twitter: None,
            facebook: None,
            cf: Map::new(),
            photo_url: None,
            is_anonymous: false,
            is_spam: false,
            is_end_user: false,
            created_time: now.clone(),
            modified_time: now,
            searchable_from_ms: now_ms() + search_delay_ms,
        };
        extra(&mut contact);
        self.contacts.push(contact.clone());
        contact
    }

    /// The first contact whose email matches, ignoring case.
    pub(crate) fn contact_by_email(&self, email: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| {
            c.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
    }

    pub(crate) fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }
}

const CREATE_FIELDS: &[&str] = &[
    "firstName",
    "lastName",
    "email",
    "secondaryEmail",
    "phone",
    "mobile",
    "description",
    "title",
    "type",
    "accountId",
    "ownerId",
    "street",
    "city",
    "state",
    "country",
    "zip",
    "twitter",
    "facebook",
    "cf",
];

/// `POST /contacts`: `lastName` required; no deduplication by email (as Desk).
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> DeskResult<Json<Value>> {
    let map = json_object(&headers, &body)?;
    let mut c = Checker::new(&map, "", CREATE_FIELDS);
    let last_name = c.required_string("lastName", 80);
    let new = NewContact {
        first_name: c.string("firstName", 40),
        last_name: last_name.unwrap_or_default(),
        email: c.email("email"),
        phone: c.string("phone", 50),
        mobile: c.string("mobile", 50),
    };
    let secondary_email = c.email("secondaryEmail");
    let description = c.string("description", 65535);
    let title = c.string("title", 100);
    let kind = c.string("type", 120);
    let account_id = c.id("accountId");
    let owner_id = c.id("ownerId");
    let address: Vec<Option<String>> = [
        "street", "city", "state", "country", "zip", "twitter", "facebook",
    ]
    .iter()
    .map(|k| c.string(k, 250))
    .collect();
    let cf = c.custom_fields("cf");
    c.finish()?;
    let settings = app.settings();
    let delay = crate::sim::ms(settings.contact_search_delay);
    let contact = app.write(|d| {
        d.add_contact(
            new,
            |contact| {
                contact.secondary_email = secondary_email;
                contact.description = description;
                contact.title = title;
                contact.kind = kind;
                contact.account_id = account_id;
                if owner_id.is_some() {
                    contact.owner_id = owner_id;
                }
                let [street, city, state, country, zip, twitter, facebook]: [Option<String>; 7] =
                    address.try_into().unwrap_or_default();
                contact.street = street;
                contact.city = city;
                contact.state = state;
                contact.country = country;
                contact.zip = zip;
                contact.twitter = twitter;
                contact.facebook = facebook;
                contact.cf = cf.unwrap_or_default();
            },
            &settings.location,
            delay,
        )
    });
    Ok(Json(contact.to_json()))
}

/// `GET /contacts/{id}`.
pub(crate) async fn get(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> DeskResult<Json<Value>> {
    app.read(|d| d.contact(&id).map(Contact::to_json))
        .map(Json)
        .ok_or_else(DeskError::not_found)
}

/// `GET /contacts/search`: exact (case-insensitive) matches; 204 when none.
/// A trailing `*` on `email`, `firstName` or `lastName` makes it a prefix
/// search (`email=ann*`), as real Zoho accepts (documented by third parties).
pub(crate) async fn search(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Response {
    let q = query_map(query.as_deref());
    let (from, limit) = paging(&q, 10);
    let now = now_ms();
    let matches = |value: &Option<String>, wanted: Option<&String>| {
        wanted.is_none_or(|w| value.as_deref().is_some_and(|v| text_matches(v, w)))
    };
    let found: Vec<Value> = app.read(|d| {
        d.contacts
            .iter()
            .filter(|c| c.searchable_from_ms <= now)
            .filter(|c| matches(&c.email, q.get("email")))
            .filter(|c| {
                q.get("phone").is_none_or(|w| {
                    c.phone
                        .as_deref()
                        .is_some_and(|v| v.eq_ignore_ascii_case(w))
                })
            })
            .filter(|c| matches(&c.first_name, q.get("firstName")))
            .filter(|c| matches(&Some(c.last_name.clone()), q.get("lastName")))
            .map(Contact::to_json)
            .collect()
    });
    let count = found.len();
    let items = page(found, from, limit);
    if items.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    Json(json!({ "data": items, "count": count })).into_response()
}

/// Case-insensitive equality, or a prefix match when `wanted` ends with `*`.
fn text_matches(value: &str, wanted: &str) -> bool {
    match wanted.strip_suffix('*') {
        Some(prefix) if !prefix.is_empty() => value
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
        _ => value.eq_ignore_ascii_case(wanted),
    }
}

#[cfg(test)]
mod tests {
    use super::text_matches;

    #[test]
    fn a_trailing_star_searches_by_prefix() {
        assert!(text_matches("Ann@Example.com", "ann@example.com"));
        assert!(text_matches("Ann@Example.com", "ann*"));
        assert!(!text_matches("Ann@Example.com", "bob*"));
        assert!(!text_matches("Ann@Example.com", "ann"));
        assert!(!text_matches("Ann", "*"));
    }
}
