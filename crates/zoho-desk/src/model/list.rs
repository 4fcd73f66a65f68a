//! List and search envelopes, and paging (contract, "General shapes").

use serde::Deserialize;

use super::serde_util::{de_opt_count, null_default};

/// `{"data":[...]}`, plus `"count": N` for searches. `data: null` and a
/// missing `data` are read as an empty list.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub(crate) struct ListEnvelope<T> {
    #[serde(default, deserialize_with = "null_default")]
    pub data: Vec<T>,
    #[serde(default, deserialize_with = "de_opt_count")]
    pub count: Option<u64>,
}

/// A search result: the items of this page and the total `count`.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Total hits as reported by Desk (`count`), or the page size when absent.
    pub count: u64,
}

impl<T> SearchResults<T> {
    /// No hits (what a 204 reply means).
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            count: 0,
        }
    }
}

impl<T> Default for SearchResults<T> {
    fn default() -> Self {
        Self::empty()
    }
}

/// One page: `from` is a 0-based offset, `limit` the page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 0-based offset of the first item.
    pub from: u32,
    /// Page size.
    pub limit: u32,
}

impl Page {
    /// The first page of `limit` items.
    pub const fn first(limit: u32) -> Self {
        Self { from: 0, limit }
    }

    /// The page after this one.
    pub const fn next(self) -> Self {
        Self {
            from: self.from + self.limit,
            limit: self.limit,
        }
    }

    /// The same page with `limit` clamped to `1..=max` (Desk's maximum for
    /// the endpoint: 100 for tickets and searches, 50 for articles).
    pub(crate) fn clamped(self, max: u32) -> Self {
        Self {
            from: self.from,
            limit: self.limit.clamp(1, max),
        }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::first(50)
    }
}
