//! What every `/api/v1` request goes through before its handler, in Zoho's
//! order: token (401), known path (404), `orgId` (422/403), scopes (403),
//! query parameters (422), credits (429). Every reply then carries the credit
//! headers.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::endpoints::{Endpoint, is_custom_field_param};
use super::query::query_pairs;
use crate::errors::{DeskError, DeskResult, FieldError};
use crate::ids::is_decimal_id;
use crate::state::App;

pub(crate) const REMAINING_HEADER: &str = "x-rate-limit-remaining-v3";
pub(crate) const WEIGHT_HEADER: &str = "x-rate-limit-request-weight-v3";

pub(crate) async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let endpoint = Endpoint::classify(req.method(), req.uri().path());
    let weight = endpoint.map_or(1, Endpoint::weight);
    let mut response = match admit(&app, &req, endpoint) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    };
    set_credit_headers(response.headers_mut(), app.credits_remaining(), weight);
    response
}

/// Adds the credit headers unless already there.
pub(crate) fn set_credit_headers(headers: &mut HeaderMap, remaining: u64, weight: u64) {
    if !headers.contains_key(REMAINING_HEADER) {
        headers.insert(REMAINING_HEADER, HeaderValue::from(remaining));
    }
    if !headers.contains_key(WEIGHT_HEADER) {
        headers.insert(WEIGHT_HEADER, HeaderValue::from(weight));
    }
}

fn admit(app: &App, req: &Request, endpoint: Option<Endpoint>) -> DeskResult<()> {
    let scopes = authenticate(app, req.headers())?;
    let endpoint = endpoint.ok_or_else(DeskError::not_found)?;
    if endpoint.needs_org() {
        check_org(app, req.headers())?;
    }
    let settings = app.settings();
    if let Some(missing) = endpoint.scopes().iter().find(|s| !scopes_allow(&scopes, s)) {
        tracing::debug!(scope = missing, "token lacks a scope");
        return Err(DeskError::scope_mismatch(settings.scope_mismatch_status));
    }
    check_query(endpoint, req.uri().query().unwrap_or(""))?;
    app.spend_credits(endpoint.weight())
        .map_err(|_| DeskError::threshold_exceeded())?;
    Ok(())
}

/// The scopes of the grant behind the `Zoho-oauthtoken` header.
fn authenticate(app: &App, headers: &HeaderMap) -> DeskResult<Vec<String>> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(DeskError::unauthorized)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Zoho-oauthtoken "))
        .map(str::trim)
        .ok_or_else(DeskError::invalid_oauth)?;
    app.read(|d| d.grant_for_access_token(token).map(|g| g.scopes.clone()))
        .ok_or_else(DeskError::invalid_oauth)
}

fn check_org(app: &App, headers: &HeaderMap) -> DeskResult<()> {
    let Some(value) = headers.get("orgId") else {
        return Err(DeskError::unprocessable(
            "The orgId header is required.",
            vec![FieldError::missing(
                "orgId",
                "orgId is missing in the header",
            )],
        ));
    };
    let value = value.to_str().unwrap_or("").trim();
    if !is_decimal_id(value) {
        return Err(DeskError::unprocessable(
            "The orgId header is invalid.",
            vec![FieldError::invalid(
                "orgId",
                "orgId must be a numeric organization id",
            )],
        ));
    }
    if app.read(|d| d.organization.id != value) {
        return Err(DeskError::org_mismatch());
    }
    Ok(())
}

/// Whether granted `scopes` cover `needed` (`Desk.tickets.READ`): the same
/// scope, or `ALL` on that resource, or `WRITE` for `CREATE`/`UPDATE`.
/// Zoho compares scopes case-insensitively.
pub(crate) fn scopes_allow(scopes: &[String], needed: &str) -> bool {
    let Some((resource, operation)) = needed.rsplit_once('.') else {
        return false;
    };
    scopes.iter().any(|granted| {
        let Some((g_resource, g_operation)) = granted.rsplit_once('.') else {
            return false;
        };
        g_resource.eq_ignore_ascii_case(resource)
            && (g_operation.eq_ignore_ascii_case(operation)
                || g_operation.eq_ignore_ascii_case("ALL")
                || (g_operation.eq_ignore_ascii_case("WRITE")
                    && (operation == "CREATE" || operation == "UPDATE")))
    })
}

fn check_query(endpoint: Endpoint, query: &str) -> DeskResult<()> {
    let allowed = endpoint.query_parameters();
    for (name, value) in query_pairs(query) {
        let known = allowed.contains(&name.as_str())
            || (endpoint.takes_custom_field_params() && is_custom_field_param(&name));
        if !known {
            return Err(DeskError::extra_query_parameter(&name));
        }
        match name.as_str() {
            "limit" => {
                let max = endpoint.max_limit();
                if !value.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n)) {
                    return Err(DeskError::unprocessable(
                        "An invalid value is given for the query parameter limit.",
                        vec![FieldError::invalid(
                            "limit",
                            format!("limit must be between 1 and {max}"),
                        )],
                    ));
                }
            }
            "from" if value.parse::<u32>().is_err() => {
                return Err(DeskError::unprocessable(
                    "An invalid value is given for the query parameter from.",
                    vec![FieldError::invalid(
                        "from",
                        "from must be a number, 0 or more",
                    )],
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn scopes_match_exactly_or_through_all_or_write() {
        assert!(scopes_allow(
            &granted(&["Desk.tickets.READ"]),
            "Desk.tickets.READ"
        ));
        assert!(scopes_allow(
            &granted(&["desk.tickets.read"]),
            "Desk.tickets.READ"
        ));
        assert!(scopes_allow(
            &granted(&["Desk.tickets.ALL"]),
            "Desk.tickets.UPDATE"
        ));
        assert!(scopes_allow(
            &granted(&["Desk.tickets.WRITE"]),
            "Desk.tickets.CREATE"
        ));
        assert!(!scopes_allow(
            &granted(&["Desk.tickets.WRITE"]),
            "Desk.tickets.READ"
        ));
        assert!(!scopes_allow(
            &granted(&["Desk.contacts.ALL"]),
            "Desk.tickets.READ"
        ));
        assert!(!scopes_allow(&granted(&[]), "Desk.basic.READ"));
    }
}
