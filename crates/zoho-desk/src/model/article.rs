//! `GET /articles/search` items (knowledge base).

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::serde_util::de_opt_time;
use crate::ids::ArticleId;

/// A knowledge-base article as listed by a search.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Article {
    /// Article id.
    pub id: ArticleId,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Short summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Public link (help centre).
    #[serde(default)]
    pub permalink: Option<String>,
    /// Agent console link.
    #[serde(default)]
    pub web_url: Option<String>,
    /// Publication status.
    #[serde(default)]
    pub status: Option<String>,
    /// Last modified.
    #[serde(default, deserialize_with = "de_opt_time")]
    pub modified_time: Option<DateTime<Utc>>,
}
