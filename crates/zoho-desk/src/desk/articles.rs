//! `GET /articles/search?searchStr=..&limit=..` (scope Desk.articles.READ;
//! only seen in third-party clients). At most 50 per page.

use super::{DeskClient, DeskRequest};
use crate::error::Result;
use crate::model::{Article, SearchResults};

/// Desk's page-size maximum for articles.
pub const MAX_LIMIT: u32 = 50;

/// Handler for `/articles`.
#[derive(Debug, Clone, Copy)]
pub struct Articles<'a> {
    pub(crate) client: &'a DeskClient,
}

/// `GET /articles/search?searchStr=..&limit=..`.
pub fn search_request(text: &str, limit: u32) -> DeskRequest {
    DeskRequest::get(&["articles", "search"], "article search")
        .query("searchStr", text.trim())
        .query("limit", limit.clamp(1, MAX_LIMIT))
}

impl Articles<'_> {
    /// Knowledge-base articles matching `text` (empty on 204).
    pub async fn search(&self, text: &str, limit: u32) -> Result<SearchResults<Article>> {
        self.client.fetch_search(&search_request(text, limit)).await
    }
}
