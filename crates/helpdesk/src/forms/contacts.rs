//! Contact suggestions while the agent types a name or an email: Desk's
//! contact search by prefix (`email=ann*`, `lastName=lee*`), asked at most
//! once per distinct query (cached for the app's life), merged with the
//! contacts of this machine's own history. At most 8, none below 3
//! characters.
//!
//! What it is not: creating contacts (tickets carry an inline contact:
//! Desk finds or creates it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use zoho_desk::DeskClient;
use zoho_desk::desk::contacts::ContactField;

use crate::outbox::{HistoryQuery, Outbox};

/// Fewer characters than this: no suggestion (and no Desk call).
pub const MIN_QUERY_CHARS: usize = 3;
/// At most this many suggestions.
pub const MAX_SUGGESTIONS: usize = 8;

/// Where a suggestion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuggestionSource {
    Desk,
    History,
}

/// One contact to fill the form with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactSuggestion {
    /// Desk's contact id (Desk suggestions only).
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub source: SuggestionSource,
}

/// The cache of Desk's answers, per normalised query.
#[derive(Debug, Clone, Default)]
pub(crate) struct SuggestionCache {
    desk: Arc<Mutex<HashMap<String, Vec<ContactSuggestion>>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The query as cached and sent: trimmed, lower case, no `*`.
pub fn normalise(query: &str) -> String {
    query
        .trim()
        .chars()
        .filter(|c| *c != '*')
        .collect::<String>()
        .to_lowercase()
}

impl SuggestionCache {
    /// Suggestions for `query`: Desk's (asked once per query, when
    /// connected) first, then history's, without repeats by email.
    pub(crate) async fn suggest(
        &self,
        query: &str,
        desk: Option<&DeskClient>,
        outbox: &Outbox,
    ) -> Vec<ContactSuggestion> {
        let q = normalise(query);
        if q.chars().count() < MIN_QUERY_CHARS {
            return Vec::new();
        }
        let cached = lock(&self.desk).get(&q).cloned();
        let mut out = match (cached, desk) {
            (Some(hit), _) => hit,
            (None, Some(desk)) => match ask_desk(desk, &q).await {
                Ok(found) => {
                    lock(&self.desk).insert(q.clone(), found.clone());
                    found
                }
                Err(error) => {
                    // Not cached: asked again once Desk answers.
                    tracing::info!(%error, "contact search failed; history only");
                    Vec::new()
                }
            },
            (None, None) => Vec::new(),
        };
        let outbox = outbox.clone();
        let local_q = q.clone();
        let local = tokio::task::spawn_blocking(move || from_history(&outbox, &local_q))
            .await
            .unwrap_or_default();
        for s in local {
            let dup = out.iter().any(|d| {
                d.email.is_some()
                    && d.email.as_deref().map(str::to_lowercase)
                        == s.email.as_deref().map(str::to_lowercase)
            });
            if !dup {
                out.push(s);
            }
        }
        out.truncate(MAX_SUGGESTIONS);
        out
    }
}

async fn ask_desk(desk: &DeskClient, q: &str) -> zoho_desk::Result<Vec<ContactSuggestion>> {
    // One search per query (each costs Desk credits): by email when it
    // looks like one, else by the last word as a last name.
    let (field, prefix) = if q.contains('@') {
        (ContactField::Email, q)
    } else {
        (
            ContactField::LastName,
            q.split_whitespace().last().unwrap_or(q),
        )
    };
    let found = desk
        .contacts()
        .search_prefix(field, prefix, MAX_SUGGESTIONS as u32)
        .await?;
    Ok(found
        .items
        .into_iter()
        .map(|c| ContactSuggestion {
            id: Some(c.id.as_str().to_owned()),
            first_name: c.first_name,
            last_name: c.last_name.unwrap_or_default(),
            email: c.email,
            phone: c.phone.or(c.mobile),
            source: SuggestionSource::Desk,
        })
        .collect())
}

/// Contacts of items sent from this machine whose name or email contains `q`.
fn from_history(outbox: &Outbox, q: &str) -> Vec<ContactSuggestion> {
    let items = outbox
        .history(&HistoryQuery {
            text: Some(q.to_owned()),
            limit: 50,
            ..HistoryQuery::default()
        })
        .unwrap_or_default();
    let mut out: Vec<ContactSuggestion> = Vec::new();
    for item in items {
        let matches =
            |v: &Option<String>| v.as_deref().is_some_and(|v| v.to_lowercase().contains(q));
        if !matches(&item.contact_name) && !matches(&item.contact_email) {
            continue;
        }
        let contact = item.request.get("contact");
        let text = |k: &str| {
            contact
                .and_then(|c| c.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let suggestion = ContactSuggestion {
            id: None,
            first_name: text("firstName"),
            last_name: text("lastName").unwrap_or_default(),
            email: text("email").or(item.contact_email.clone()),
            phone: text("phone"),
            source: SuggestionSource::History,
        };
        if !out
            .iter()
            .any(|s| s.email == suggestion.email && s.last_name == suggestion.last_name)
        {
            out.push(suggestion);
        }
    }
    out
}
