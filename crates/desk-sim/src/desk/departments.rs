//! `GET /departments`: seeded "Support" (the default) and "Callbacks".

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::query::{page, paging, query_map};
use crate::clock::zoho_now;
use crate::errors::{DeskError, DeskResult, FieldError};
use crate::state::App;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Department {
    pub id: String,
    pub name: String,
    pub name_in_customer_portal: String,
    pub sanitized_name: String,
    pub description: Option<String>,
    pub is_enabled: bool,
    pub is_default: bool,
    pub is_visible_in_customer_portal: bool,
    pub is_assign_to_team_enabled: bool,
    pub has_logo: bool,
    pub chat_status: String,
    pub creator_id: String,
    pub created_time: String,
}

impl Department {
    pub(crate) fn seeded(id: String, name: &str, is_default: bool) -> Self {
        Self {
            id,
            name: name.to_owned(),
            name_in_customer_portal: name.to_owned(),
            sanitized_name: name.to_ascii_lowercase().replace(' ', "-"),
            description: None,
            is_enabled: true,
            is_default,
            is_visible_in_customer_portal: true,
            is_assign_to_team_enabled: false,
            has_logo: false,
            chat_status: "AVAILABLE".to_owned(),
            creator_id: "1329983000000139001".to_owned(),
            created_time: zoho_now(),
        }
    }
}

pub(crate) async fn list(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> DeskResult<Json<Value>> {
    let q = query_map(query.as_deref());
    let enabled = match q.get("isEnabled").map(String::as_str) {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            return Err(DeskError::unprocessable(
                "An invalid value is given for the query parameter isEnabled.",
                vec![FieldError::invalid(
                    "isEnabled",
                    "isEnabled must be true or false",
                )],
            ));
        }
    };
    let (from, limit) = paging(&q, 10);
    let departments: Vec<Value> = app.read(|d| {
        d.departments
            .iter()
            .filter(|dep| enabled.is_none_or(|e| dep.is_enabled == e))
            .map(|dep| json!(dep))
            .collect()
    });
    Ok(Json(json!({ "data": page(departments, from, limit) })))
}
