//! Tickets (contract, "Endpoints we use" and "Create ticket"): create, get,
//! list (slim), search (204 when none), patch, comments, attachments.

use reqwest::Method;

use super::{DeskClient, DeskRequest};
use crate::error::Result;
use crate::ids::{DepartmentId, TicketId};
use crate::model::{
    Attachment, Comment, NewComment, NewTicket, Page, SearchResults, Ticket, TicketPatch,
    TicketSummary,
};
use crate::request::{Body, Effect, Part};

/// Desk's page-size maximum for ticket lists and searches.
pub const MAX_LIMIT: u32 = 100;

/// Handler for `/tickets`.
#[derive(Debug, Clone, Copy)]
pub struct Tickets<'a> {
    pub(crate) client: &'a DeskClient,
}

/// Filters of `GET /tickets`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketListQuery {
    /// Page (limit at most 100).
    pub page: Page,
    /// `sortBy`, e.g. `createdTime` or `-createdTime`.
    pub sort_by: Option<String>,
    /// Only this department.
    pub department_id: Option<DepartmentId>,
    /// Only this status, e.g. `Open`.
    pub status: Option<String>,
}

/// Criteria of `GET /tickets/search` (all optional, combined by Desk).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketSearch {
    /// `ticketNumber`.
    pub ticket_number: Option<String>,
    /// `email` of the contact.
    pub email: Option<String>,
    /// `description` (text contained).
    pub description: Option<String>,
    /// Custom fields as `(cf api name, value)`, sent as
    /// `customField1=cf_x:value`, `customField2=...`.
    pub custom_fields: Vec<(String, String)>,
    /// Page (limit at most 100).
    pub page: Page,
}

impl TicketSearch {
    /// Tickets whose custom field `cf_api_name` equals `value` (e.g. the
    /// app's own reference, to look up a create whose outcome is unknown).
    pub fn by_custom_field(cf_api_name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            custom_fields: vec![(cf_api_name.into(), value.into())],
            ..Self::default()
        }
    }
}

/// A file to attach.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAttachment {
    /// File name shown in Desk.
    pub file_name: String,
    /// MIME type, e.g. `text/plain`.
    pub content_type: Option<String>,
    /// Content.
    pub bytes: Vec<u8>,
    /// Whether the customer sees it.
    pub is_public: bool,
}

/// `POST /tickets` (one request, with an inline contact: find-or-create).
pub fn create_request(ticket: &NewTicket) -> Result<DeskRequest> {
    DeskRequest::json(
        Method::POST,
        &["tickets"],
        ticket,
        Effect::Create,
        "ticket creation",
    )
}

/// `GET /tickets/{id}`.
pub fn get_request(id: &TicketId) -> DeskRequest {
    DeskRequest::get(&["tickets", id.as_str()], "ticket lookup")
}

/// `GET /tickets?from&limit&sortBy&departmentId&status`.
pub fn list_request(query: &TicketListQuery) -> DeskRequest {
    let page = query.page.clamped(MAX_LIMIT);
    DeskRequest::get(&["tickets"], "ticket list")
        .query("from", page.from)
        .query("limit", page.limit)
        .query_opt("sortBy", query.sort_by.as_deref())
        .query_opt("departmentId", query.department_id.as_ref())
        .query_opt("status", query.status.as_deref())
}

/// `GET /tickets/search?ticketNumber=..&email=..&customField1=cf_x:value&description=..&from&limit`.
pub fn search_request(search: &TicketSearch) -> DeskRequest {
    let page = search.page.clamped(MAX_LIMIT);
    let mut request = DeskRequest::get(&["tickets", "search"], "ticket search")
        .query_opt("ticketNumber", search.ticket_number.as_deref())
        .query_opt("email", search.email.as_deref())
        .query_opt("description", search.description.as_deref());
    for (i, (name, value)) in search.custom_fields.iter().enumerate() {
        request = request.query(format!("customField{}", i + 1), format!("{name}:{value}"));
    }
    request.query("from", page.from).query("limit", page.limit)
}

/// `PATCH /tickets/{id}` with only the set fields.
pub fn update_request(id: &TicketId, patch: &TicketPatch) -> Result<DeskRequest> {
    DeskRequest::json(
        Method::PATCH,
        &["tickets", id.as_str()],
        patch,
        Effect::Idempotent,
        "ticket update",
    )
}

/// `POST /tickets/{id}/comments`.
pub fn add_comment_request(id: &TicketId, comment: &NewComment) -> Result<DeskRequest> {
    DeskRequest::json(
        Method::POST,
        &["tickets", id.as_str(), "comments"],
        comment,
        Effect::Create,
        "ticket comment",
    )
}

/// `POST /tickets/{id}/attachments?isPublic=..`, multipart part `file`.
pub fn upload_attachment_request(id: &TicketId, file: &NewAttachment) -> DeskRequest {
    let mut request = DeskRequest::get(
        &["tickets", id.as_str(), "attachments"],
        "ticket attachment",
    )
    .query("isPublic", file.is_public);
    request.method = Method::POST;
    request.effect = Effect::Create;
    request.body = Body::Multipart(vec![Part {
        name: "file",
        file_name: Some(file.file_name.clone()),
        content_type: file.content_type.clone(),
        bytes: file.bytes.clone(),
    }]);
    request
}

impl Tickets<'_> {
    /// Creates a ticket. Never resent once sent: a lost reply is
    /// [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown); look it up
    /// (e.g. [`TicketSearch::by_custom_field`]) before creating it again.
    pub async fn create(&self, ticket: &NewTicket) -> Result<Ticket> {
        self.client.fetch(&create_request(ticket)?).await
    }

    /// One full ticket.
    pub async fn get(&self, id: &TicketId) -> Result<Ticket> {
        self.client.fetch(&get_request(id)).await
    }

    /// One page of slim tickets.
    pub async fn list(&self, query: &TicketListQuery) -> Result<Vec<TicketSummary>> {
        self.client.fetch_list(&list_request(query)).await
    }

    /// Full tickets matching `search`, with the total count (empty on 204).
    pub async fn search(&self, search: &TicketSearch) -> Result<SearchResults<Ticket>> {
        self.client.fetch_search(&search_request(search)).await
    }

    /// Changes the set fields; returns the full ticket.
    pub async fn update(&self, id: &TicketId, patch: &TicketPatch) -> Result<Ticket> {
        self.client.fetch(&update_request(id, patch)?).await
    }

    /// Adds a comment (never resent once sent).
    pub async fn add_comment(&self, id: &TicketId, comment: &NewComment) -> Result<Comment> {
        self.client.fetch(&add_comment_request(id, comment)?).await
    }

    /// Uploads an attachment (never resent once sent). Too large: [`Error::TooLarge`](crate::Error::TooLarge).
    pub async fn upload_attachment(
        &self,
        id: &TicketId,
        file: &NewAttachment,
    ) -> Result<Attachment> {
        self.client
            .fetch(&upload_attachment_request(id, file))
            .await
    }
}
