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

/// The form field being typed into: it decides how Desk is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum QueryField {
    /// "First Last": one word is a first name, more end with a last name.
    Name,
    /// An email address as it is typed (`dana.f` before the `@`).
    Email,
    /// A phone number: Desk matches phones exactly, so Desk is asked only
    /// once the number is whole (`+` and at least 8 digits).
    Phone,
}

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

/// The field typed into and the normalised query.
type CacheKey = (QueryField, String);

/// The cache of Desk's answers, per normalised query.
#[derive(Debug, Clone, Default)]
pub(crate) struct SuggestionCache {
    desk: Arc<Mutex<HashMap<CacheKey, Vec<ContactSuggestion>>>>,
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
    /// Suggestions for `query` typed into `field`: Desk's (asked once per
    /// query, when connected) first, then history's, without repeats by
    /// email.
    pub(crate) async fn suggest(
        &self,
        field: QueryField,
        query: &str,
        desk: Option<&DeskClient>,
        outbox: &Outbox,
    ) -> Vec<ContactSuggestion> {
        let q = normalise(query);
        if q.chars().count() < MIN_QUERY_CHARS {
            return Vec::new();
        }
        let key = (field, q.clone());
        let cached = lock(&self.desk).get(&key).cloned();
        let mut out = match (cached, desk, desk_search(field, &q)) {
            (Some(hit), _, _) => hit,
            (None, Some(desk), Some(search)) => match ask_desk(desk, &search).await {
                Ok(found) => {
                    lock(&self.desk).insert(key, found.clone());
                    found
                }
                Err(error) => {
                    // Not cached: asked again once Desk answers.
                    tracing::info!(%error, "contact search failed; history only");
                    Vec::new()
                }
            },
            _ => Vec::new(),
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

/// How Desk is searched for a query (one search per query: each costs
/// credits), or `None` when Desk cannot match it yet.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DeskSearch {
    /// `field=prefix*`; the results are kept when their first name starts
    /// with `first_name` (a name of several words).
    Prefix {
        field: ContactField,
        prefix: String,
        first_name: Option<String>,
    },
    /// `phone=number` (exact).
    Phone(String),
}

fn desk_search(field: QueryField, q: &str) -> Option<DeskSearch> {
    match field {
        QueryField::Email => Some(DeskSearch::Prefix {
            field: ContactField::Email,
            prefix: q.to_owned(),
            first_name: None,
        }),
        QueryField::Name => {
            let words: Vec<&str> = q.split_whitespace().collect();
            match words.as_slice() {
                [] => None,
                [one] => Some(DeskSearch::Prefix {
                    field: ContactField::FirstName,
                    prefix: (*one).to_owned(),
                    first_name: None,
                }),
                [first, .., last] => Some(DeskSearch::Prefix {
                    field: ContactField::LastName,
                    prefix: (*last).to_owned(),
                    first_name: Some((*first).to_owned()),
                }),
            }
        }
        QueryField::Phone => {
            let compact: String = q
                .chars()
                .filter(|c| !c.is_whitespace() && !"-()./".contains(*c))
                .collect();
            let digits = compact.chars().filter(char::is_ascii_digit).count();
            (compact.starts_with('+') && digits >= 8 && digits == compact.len() - 1)
                .then_some(DeskSearch::Phone(compact))
        }
    }
}

async fn ask_desk(
    desk: &DeskClient,
    search: &DeskSearch,
) -> zoho_desk::Result<Vec<ContactSuggestion>> {
    let (found, first_name) = match search {
        DeskSearch::Prefix {
            field,
            prefix,
            first_name,
        } => (
            desk.contacts()
                .search_prefix(*field, prefix, MAX_SUGGESTIONS as u32)
                .await?,
            first_name.as_deref(),
        ),
        DeskSearch::Phone(number) => (
            desk.contacts()
                .search_by_phone(number, MAX_SUGGESTIONS as u32)
                .await?,
            None,
        ),
    };
    let found = SearchResultsFilter { first_name }.keep(found);
    Ok(found
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

/// Keeps the contacts whose first name starts with the typed one.
struct SearchResultsFilter<'a> {
    first_name: Option<&'a str>,
}

impl SearchResultsFilter<'_> {
    fn keep(
        &self,
        found: zoho_desk::model::SearchResults<zoho_desk::model::Contact>,
    ) -> Vec<zoho_desk::model::Contact> {
        found
            .items
            .into_iter()
            .filter(|c| {
                self.first_name.is_none_or(|wanted| {
                    c.first_name
                        .as_deref()
                        .is_some_and(|f| f.to_lowercase().starts_with(wanted))
                })
            })
            .collect()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(field: ContactField, prefix: &str, first: Option<&str>) -> Option<DeskSearch> {
        Some(DeskSearch::Prefix {
            field,
            prefix: prefix.to_owned(),
            first_name: first.map(str::to_owned),
        })
    }

    #[test]
    fn the_field_typed_into_decides_how_desk_is_searched() {
        let cases = [
            (
                QueryField::Email,
                "dana.f",
                prefix(ContactField::Email, "dana.f", None),
            ),
            (
                QueryField::Email,
                "dana@ex",
                prefix(ContactField::Email, "dana@ex", None),
            ),
            (
                QueryField::Name,
                "dana",
                prefix(ContactField::FirstName, "dana", None),
            ),
            (
                QueryField::Name,
                "dana  fo",
                prefix(ContactField::LastName, "fo", Some("dana")),
            ),
            (
                QueryField::Name,
                "ann marie lee",
                prefix(ContactField::LastName, "lee", Some("ann")),
            ),
            (QueryField::Name, "   ", None),
            // Desk matches phones exactly: only a whole international number.
            (
                QueryField::Phone,
                "+49 89 123-4567",
                Some(DeskSearch::Phone("+49891234567".into())),
            ),
            (QueryField::Phone, "+49 89", None),
            (QueryField::Phone, "089 1234567", None),
            (QueryField::Phone, "+49 89 12x4567", None),
        ];
        for (field, q, expected) in cases {
            assert_eq!(desk_search(field, q), expected, "{field:?} {q:?}");
        }
    }

    #[test]
    fn queries_are_normalised_before_caching_and_sending() {
        assert_eq!(normalise("  Dana.F* "), "dana.f");
    }
}
