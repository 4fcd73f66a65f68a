//! `POST /tickets/{id}/attachments`: multipart, part `file`; `isPublic` as a
//! query parameter or a part. The bytes are counted, not kept.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::header;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::organizations::desk_host;
use super::query::query_map;
use super::tickets::bump;
use crate::clock::zoho_now;
use crate::errors::{DeskError, DeskResult, FieldError};
use crate::state::App;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredAttachment {
    pub ticket_id: String,
    pub attachment: Value,
}

fn bad_multipart(message: impl Into<String>) -> DeskError {
    DeskError::unprocessable(
        "The multipart body is invalid.",
        vec![FieldError::invalid("file", message)],
    )
}

fn parse_bool(field: &str, value: &str) -> DeskResult<bool> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(DeskError::unprocessable(
            "An invalid value is given for isPublic.",
            vec![FieldError::invalid(field, "isPublic must be true or false")],
        )),
    }
}

pub(crate) async fn create(
    State(app): State<Arc<App>>,
    Path(ticket_id): Path<String>,
    RawQuery(query): RawQuery,
    request: Request,
) -> DeskResult<Json<Value>> {
    if !app.read(|d| d.tickets.iter().any(|t| t.id == ticket_id)) {
        return Err(DeskError::not_found());
    }
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(DeskError::unsupported_media_type("multipart/form-data"));
    }
    let max = app.settings().attachment_max_bytes;
    let mut is_public = match query_map(query.as_deref()).get("isPublic") {
        Some(v) => parse_bool("isPublic", v)?,
        None => false,
    };
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| bad_multipart(e.body_text()))?;
    let mut file: Option<(String, usize)> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| bad_multipart(e.body_text()))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("file").to_owned();
                let mut size = 0usize;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| bad_multipart(e.body_text()))?
                {
                    size += chunk.len();
                    if size > max {
                        return Err(DeskError::too_large(max));
                    }
                }
                file = Some((name, size));
            }
            Some("isPublic") => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| bad_multipart(e.body_text()))?;
                is_public = parse_bool("isPublic", text.trim())?;
            }
            other => {
                let name = other.unwrap_or("").to_owned();
                return Err(DeskError::unprocessable(
                    format!("Extra part '{name}' is present in the input."),
                    vec![FieldError::invalid(
                        &name,
                        "Only the parts file and isPublic are taken",
                    )],
                ));
            }
        }
    }
    let Some((name, size)) = file else {
        return Err(DeskError::unprocessable(
            "The file part is required.",
            vec![FieldError::missing(
                "file",
                "A multipart part named file is required",
            )],
        ));
    };
    let location = app.settings().location;
    app.write(|d| {
        let id = d.new_id();
        let now = zoho_now();
        let attachment = json!({
            "id": id,
            "name": name,
            "size": size.to_string(),
            "isPublic": is_public,
            "creatorId": d.organization.agent_id,
            "createdTime": now,
            "href": format!("https://{}/api/v1/tickets/{ticket_id}/attachments/{id}/content", desk_host(&location)),
        });
        if let Some(t) = d.tickets.iter_mut().find(|t| t.id == ticket_id) {
            bump(&mut t.attachment_count);
            t.modified_time = now;
        }
        d.attachments.push(StoredAttachment { ticket_id: ticket_id.clone(), attachment: attachment.clone() });
        Ok(Json(attachment))
    })
}
