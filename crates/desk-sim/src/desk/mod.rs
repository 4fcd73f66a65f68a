//! The Desk REST API v1 under `/api/v1`: one file per resource, plus the
//! guard every request passes first.

pub(crate) mod articles;
pub(crate) mod attachments;
pub(crate) mod comments;
pub(crate) mod contacts;
pub(crate) mod departments;
pub(crate) mod endpoints;
pub(crate) mod guard;
pub(crate) mod organizations;
pub(crate) mod query;
pub(crate) mod ticket_list;
pub(crate) mod tickets;
pub(crate) mod validate;

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::errors::DeskError;
use crate::state::App;

/// The Desk routes, relative to `/api/v1`. The guard runs for every request,
/// matched or not, so that an unknown path still needs a token and gets
/// Desk's 404 `URL_NOT_FOUND`.
pub(crate) fn router(app: Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route("/organizations", get(organizations::list))
        .route("/departments", get(departments::list))
        .route("/contacts", post(contacts::create))
        .route("/contacts/search", get(contacts::search))
        .route("/contacts/{id}", get(contacts::get))
        .route("/tickets", get(ticket_list::list).post(tickets::create))
        .route("/tickets/search", get(ticket_list::search))
        .route("/tickets/{id}", get(tickets::get).patch(tickets::update))
        .route("/tickets/{id}/comments", post(comments::create))
        .route("/tickets/{id}/attachments", post(attachments::create))
        .route("/articles/search", get(articles::search))
        .fallback(|| async { DeskError::not_found() })
        .layer(from_fn_with_state(app, guard::guard))
}
