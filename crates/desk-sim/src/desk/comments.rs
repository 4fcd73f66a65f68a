//! `POST /tickets/{id}/comments`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::tickets::bump;
use super::validate::{Checker, json_object};
use crate::clock::zoho_now;
use crate::errors::{DeskError, DeskResult};
use crate::state::App;

/// A comment and the ticket it is on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredComment {
    pub ticket_id: String,
    pub comment: Value,
}

pub(crate) async fn create(
    State(app): State<Arc<App>>,
    Path(ticket_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> DeskResult<Json<Value>> {
    if !app.read(|d| d.tickets.iter().any(|t| t.id == ticket_id)) {
        return Err(DeskError::not_found());
    }
    let map = json_object(&headers, &body)?;
    let mut c = Checker::new(
        &map,
        "",
        &["content", "isPublic", "contentType", "attachmentIds"],
    );
    let content = c.required_string("content", 65535);
    let is_public = c.boolean("isPublic").unwrap_or(false);
    let content_type = c
        .one_of("contentType", &["plainText", "html"])
        .unwrap_or_else(|| "html".to_owned());
    let attachment_ids = c.id_list("attachmentIds").unwrap_or_default();
    c.finish()?;
    app.write(|d| {
        let id = d.new_id();
        let now = zoho_now();
        let org = d.organization.clone();
        let attachments: Vec<Value> = d
            .attachments
            .iter()
            .filter(|a| {
                a.attachment["id"]
                    .as_str()
                    .is_some_and(|id| attachment_ids.iter().any(|w| w == id))
            })
            .map(|a| a.attachment.clone())
            .collect();
        let comment = json!({
            "id": id,
            "content": content,
            "contentType": content_type,
            "isPublic": is_public,
            "commentedTime": now,
            "modifiedTime": null,
            "commenterId": org.agent_id,
            "commenter": {
                "id": org.agent_id,
                "name": "Sandbox Agent",
                "firstName": "Sandbox",
                "lastName": "Agent",
                "email": org.agent_email,
                "photoURL": null,
                "type": "AGENT",
                "roleName": "Administrator"
            },
            "attachments": attachments,
            "mention": [],
            "impersonatedUser": null
        });
        if let Some(t) = d.tickets.iter_mut().find(|t| t.id == ticket_id) {
            bump(&mut t.comment_count);
            t.modified_time = now;
        }
        d.comments.push(StoredComment {
            ticket_id: ticket_id.clone(),
            comment: comment.clone(),
        });
        Ok(Json(comment))
    })
}
