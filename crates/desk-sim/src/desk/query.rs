//! Query strings and paging.

use std::collections::HashMap;

/// The decoded name/value pairs of a query string, in order.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The query as a map (the last value wins when a name repeats).
pub(crate) fn query_map(query: Option<&str>) -> HashMap<String, String> {
    query_pairs(query.unwrap_or("")).into_iter().collect()
}

/// `from` (0-based) and `limit`, already validated by the guard.
pub(crate) fn paging(q: &HashMap<String, String>, default_limit: usize) -> (usize, usize) {
    let from = q.get("from").and_then(|v| v.parse().ok()).unwrap_or(0);
    let limit = q
        .get("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_limit);
    (from, limit)
}

/// One page of `items`.
pub(crate) fn page<T>(items: Vec<T>, from: usize, limit: usize) -> Vec<T> {
    items.into_iter().skip(from).take(limit).collect()
}
