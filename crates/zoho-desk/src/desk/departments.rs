//! `GET /departments?from&limit&isEnabled` (scope Desk.basic.READ).

use super::paging::collect_pages;
use super::{DeskClient, DeskRequest};
use crate::error::Result;
use crate::model::{Department, Page};

/// Desk's page-size maximum for lists.
pub const MAX_LIMIT: u32 = 100;

/// Handler for `/departments`.
#[derive(Debug, Clone, Copy)]
pub struct Departments<'a> {
    pub(crate) client: &'a DeskClient,
}

/// `GET /departments?from=..&limit=..[&isEnabled=..]`.
pub fn list_request(page: Page, enabled: Option<bool>) -> DeskRequest {
    let page = page.clamped(MAX_LIMIT);
    DeskRequest::get(&["departments"], "department list")
        .query("from", page.from)
        .query("limit", page.limit)
        .query_opt("isEnabled", enabled)
}

impl Departments<'_> {
    /// One page of departments.
    pub async fn list(&self, page: Page, enabled: Option<bool>) -> Result<Vec<Department>> {
        self.client.fetch_list(&list_request(page, enabled)).await
    }

    /// Every department (up to 1,000), page by page.
    pub async fn list_all(&self, enabled: Option<bool>) -> Result<Vec<Department>> {
        collect_pages(MAX_LIMIT, 1_000, |page| self.list(page, enabled)).await
    }

    /// The department called `name` (case-insensitive), to turn a name from
    /// the settings into the id that Desk requires.
    pub async fn find_by_name(&self, name: &str) -> Result<Option<Department>> {
        let all = self.list_all(None).await?;
        Ok(all.into_iter().find(|d| {
            d.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name.trim()))
        }))
    }
}
