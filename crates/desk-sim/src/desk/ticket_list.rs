//! `GET /tickets` (slim items, no description) and `GET /tickets/search`
//! (full tickets with `count`; 204 when nothing matches).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::endpoints::is_custom_field_param;
use super::query::{page, paging, query_map};
use super::tickets::{CHANNELS, PRIORITIES, STATUSES, Ticket, read_include, with_includes};
use crate::errors::{DeskError, DeskResult, FieldError};
use crate::ids::is_decimal_id;
use crate::state::App;

/// The fields of a list item: the full ticket minus description, custom
/// fields and the rarely listed parts.
const SLIM_FIELDS: &[&str] = &[
    "id",
    "ticketNumber",
    "subject",
    "status",
    "statusType",
    "departmentId",
    "contactId",
    "email",
    "phone",
    "channel",
    "channelCode",
    "priority",
    "language",
    "dueDate",
    "responseDueDate",
    "closedTime",
    "onholdTime",
    "createdTime",
    "modifiedTime",
    "customerResponseTime",
    "webUrl",
    "threadCount",
    "commentCount",
    "attachmentCount",
    "assigneeId",
    "teamId",
    "productId",
    "isSpam",
    "isArchived",
    "isOverDue",
    "isEscalated",
];

const SORT_FIELDS: &[&str] = &[
    "createdTime",
    "modifiedTime",
    "dueDate",
    "responseDueDate",
    "ticketNumber",
    "customerResponseTime",
];

fn slim(full: &Value) -> Value {
    let mut out = Map::new();
    for key in SLIM_FIELDS {
        out.insert(
            (*key).to_owned(),
            full.get(*key).cloned().unwrap_or(Value::Null),
        );
    }
    out.insert("lastThread".to_owned(), Value::Null);
    Value::Object(out)
}

fn bad_param(name: &str, message: String) -> DeskError {
    DeskError::unprocessable(
        format!("An invalid value is given for the query parameter {name}."),
        vec![FieldError::invalid(name, message)],
    )
}

/// A comma-separated list whose items must come from `values`.
fn picklist<'q>(
    q: &'q HashMap<String, String>,
    name: &str,
    values: &[&str],
) -> DeskResult<Option<Vec<&'q str>>> {
    let Some(raw) = q.get(name) else {
        return Ok(None);
    };
    let items: Vec<&str> = raw.split(',').map(str::trim).collect();
    match items.iter().find(|i| !values.contains(i)) {
        Some(bad) => Err(bad_param(
            name,
            format!("'{bad}' is not one of: {}", values.join(", ")),
        )),
        None => Ok(Some(items)),
    }
}

/// `sortBy`: a field name, `-` first for descending; `None` for the default.
fn sort_order(q: &HashMap<String, String>, extra: &[&str]) -> DeskResult<Option<(String, bool)>> {
    let Some(raw) = q.get("sortBy") else {
        return Ok(None);
    };
    let (field, descending) = match raw.strip_prefix('-') {
        Some(f) => (f, true),
        None => (raw.as_str(), false),
    };
    if SORT_FIELDS.contains(&field) || extra.contains(&field) {
        Ok(Some((field.to_owned(), descending)))
    } else {
        Err(bad_param(
            "sortBy",
            format!("sortBy takes one of: {}", SORT_FIELDS.join(", ")),
        ))
    }
}

fn compare(a: &Ticket, b: &Ticket, field: &str) -> Ordering {
    let number = |t: &Ticket| t.ticket_number.parse::<u64>().unwrap_or(0);
    let key = |t: &Ticket| -> Option<String> {
        match field {
            "modifiedTime" => Some(t.modified_time.clone()),
            "dueDate" => t.due_date.clone(),
            "responseDueDate" => t.response_due_date.clone(),
            "customerResponseTime" => Some(t.customer_response_time.clone()),
            _ => Some(t.created_time.clone()),
        }
    };
    if field == "ticketNumber" {
        return number(a).cmp(&number(b));
    }
    key(a).cmp(&key(b)).then_with(|| number(a).cmp(&number(b)))
}

fn sort(tickets: &mut [Ticket], order: Option<(String, bool)>) {
    // Desk lists the newest first unless told otherwise.
    let (field, descending) = order.unwrap_or_else(|| ("createdTime".to_owned(), true));
    tickets.sort_by(|a, b| {
        let o = compare(a, b, &field);
        if descending { o.reverse() } else { o }
    });
}

/// `GET /tickets`.
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> DeskResult<Json<Value>> {
    let q = query_map(query.as_deref());
    let (from, limit) = paging(&q, 10);
    let include = read_include(&q)?;
    let department = q
        .get("departmentId")
        .filter(|d| d.as_str() != "allDepartment");
    if let Some(d) = department
        && !is_decimal_id(d)
    {
        return Err(bad_param(
            "departmentId",
            "departmentId must be a numeric id or allDepartment".to_owned(),
        ));
    }
    let statuses = picklist(&q, "status", STATUSES)?;
    let priorities = picklist(&q, "priority", PRIORITIES)?;
    let channels = picklist(&q, "channel", CHANNELS)?;
    let order = sort_order(&q, &[])?;
    let items = app.read(|d| {
        let mut tickets: Vec<Ticket> = d
            .tickets
            .iter()
            .filter(|t| department.is_none_or(|dep| &t.department_id == dep))
            .filter(|t| {
                statuses
                    .as_ref()
                    .is_none_or(|s| s.contains(&t.status.as_str()))
            })
            .filter(|t| {
                priorities
                    .as_ref()
                    .is_none_or(|p| t.priority.as_deref().is_some_and(|v| p.contains(&v)))
            })
            .filter(|t| {
                channels
                    .as_ref()
                    .is_none_or(|c| c.contains(&t.channel.as_str()))
            })
            .cloned()
            .collect();
        sort(&mut tickets, order);
        page(tickets, from, limit)
            .iter()
            .map(|t| with_includes(d, t, slim(&t.to_json()), &include))
            .collect::<Vec<_>>()
    });
    Ok(Json(json!({ "data": items })))
}

/// Desk's search matching: `*` is a wildcard; without one, `exact` fields
/// must equal the value and the others contain it (both ignoring case).
fn text_matches(value: Option<&str>, wanted: &str, exact: bool) -> bool {
    let Some(value) = value else {
        return false;
    };
    let value = value.to_lowercase();
    let wanted = wanted.to_lowercase();
    if wanted.contains('*') {
        glob(&value, &wanted)
    } else if exact {
        value == wanted
    } else {
        value.contains(&wanted)
    }
}

/// `*` matches any run of characters.
fn glob(value: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !value.starts_with(first) {
        return false;
    }
    let mut rest = &value[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// `GET /tickets/search`.
pub(crate) async fn search(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> DeskResult<Response> {
    let q = query_map(query.as_deref());
    let (from, limit) = paging(&q, 10);
    let order = sort_order(&q, &["relevance"])?.filter(|(f, _)| f != "relevance");
    let mut custom: Vec<(String, String)> = Vec::new();
    for (name, value) in &q {
        if is_custom_field_param(name) {
            match value.split_once(':') {
                Some((field, wanted)) if field.starts_with("cf_") => {
                    custom.push((field.to_owned(), wanted.to_owned()))
                }
                _ => {
                    return Err(bad_param(
                        name,
                        format!("{name} takes cf_<api_name>:<value>"),
                    ));
                }
            }
        }
    }
    let text = |name: &str, value: Option<&str>, exact: bool| {
        q.get(name)
            .is_none_or(|wanted| text_matches(value, wanted, exact))
    };
    let (count, items) = app.read(|d| {
        let mut found: Vec<Ticket> = d
            .tickets
            .iter()
            .filter(|t| text("id", Some(&t.id), true))
            .filter(|t| text("ticketNumber", Some(&t.ticket_number), true))
            .filter(|t| text("email", t.email.as_deref(), true))
            .filter(|t| text("phone", t.phone.as_deref(), true))
            .filter(|t| text("subject", Some(&t.subject), false))
            .filter(|t| text("description", t.description.as_deref(), false))
            .filter(|t| text("status", Some(&t.status), true))
            .filter(|t| text("priority", t.priority.as_deref(), true))
            .filter(|t| text("channel", Some(&t.channel), true))
            .filter(|t| text("departmentId", Some(&t.department_id), true))
            .filter(|t| text("contactId", Some(&t.contact_id), true))
            .filter(|t| {
                custom.iter().all(|(field, wanted)| {
                    text_matches(t.cf.get(field).and_then(Value::as_str), wanted, true)
                })
            })
            .cloned()
            .collect();
        sort(&mut found, order);
        let count = found.len();
        (
            count,
            page(found, from, limit)
                .iter()
                .map(Ticket::to_json)
                .collect::<Vec<_>>(),
        )
    });
    if items.is_empty() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Json(json!({ "data": items, "count": count })).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_wildcards_match_like_desk() {
        assert!(text_matches(Some("Printer on fire"), "*fire", false));
        assert!(text_matches(Some("Printer on fire"), "printer*", false));
        assert!(text_matches(Some("Printer on fire"), "*on*", false));
        assert!(!text_matches(Some("Printer on fire"), "*water*", false));
        assert!(text_matches(
            Some("ANN@example.com"),
            "ann@example.com",
            true
        ));
        assert!(!text_matches(Some("ann@example.com"), "ann@example", true));
        assert!(!text_matches(None, "x", false));
    }
}
