//! `GET /organizations` (scope Desk.basic.READ): the only call without `orgId`.

use super::{DeskClient, DeskRequest};
use crate::error::Result;
use crate::model::Organization;

/// Handler for `/organizations`.
#[derive(Debug, Clone, Copy)]
pub struct Organizations<'a> {
    pub(crate) client: &'a DeskClient,
}

/// `GET /organizations`, no `orgId` header.
pub fn list_request() -> DeskRequest {
    DeskRequest {
        needs_org: false,
        ..DeskRequest::get(&["organizations"], "organization list")
    }
}

impl Organizations<'_> {
    /// The portals the signed-in user belongs to.
    pub async fn list(&self) -> Result<Vec<Organization>> {
        self.client.fetch_list(&list_request()).await
    }
}
