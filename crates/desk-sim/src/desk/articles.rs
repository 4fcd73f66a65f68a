//! `GET /articles/search`: a few seeded knowledge-base articles, matched by
//! words (a hit on any word of `searchStr`, best-matching first); 204 when none.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::organizations::desk_host;
use super::query::{page, paging, query_map};
use crate::errors::{DeskError, DeskResult, FieldError};
use crate::state::App;

struct Article {
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    permalink: &'static str,
}

const CATEGORY_ID: &str = "1329983000000100001";

const ARTICLES: &[Article] = &[
    Article {
        id: "1329983000000200001",
        title: "How to reset your password",
        summary: "Reset a forgotten password from the sign-in page.",
        body: "Click Forgot password on the sign-in page, enter your email address and follow the link we send you.",
        permalink: "how-to-reset-your-password",
    },
    Article {
        id: "1329983000000201001",
        title: "Booking a callback from our support team",
        summary: "Ask for a phone call at a time that suits you.",
        body: "Tell the chat your phone number and a preferred time; an agent calls you back during business hours.",
        permalink: "booking-a-callback",
    },
    Article {
        id: "1329983000000202001",
        title: "Shipping times and tracking your order",
        summary: "When your order arrives and where to track the parcel.",
        body: "Orders ship within two business days. The tracking number is in the shipping confirmation email.",
        permalink: "shipping-times-and-tracking",
    },
    Article {
        id: "1329983000000203001",
        title: "Refund policy",
        summary: "How and when we refund a payment.",
        body: "Refunds are issued to the original payment method within 14 days of receiving the returned item.",
        permalink: "refund-policy",
    },
    Article {
        id: "1329983000000204001",
        title: "Printer shows an offline error",
        summary: "Bring a printer back online after a network change.",
        body: "Restart the printer and the router, then remove and add the printer again on your computer.",
        permalink: "printer-offline-error",
    },
];

fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(str::to_lowercase)
        .collect()
}

impl Article {
    fn score(&self, query: &HashSet<String>) -> usize {
        let mine = words(&format!("{} {} {}", self.title, self.summary, self.body));
        query.iter().filter(|w| mine.contains(*w)).count()
    }

    fn to_json(&self, portal: &str, host: &str) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "permalink": self.permalink,
            "webUrl": format!("https://{host}/support/{portal}/ShowHomePage.do#Solutions/dv/{}", self.id),
            "portalUrl": format!("https://{host}/portal/en/kb/articles/{}", self.permalink),
            "status": "Published",
            "categoryId": CATEGORY_ID,
            "locale": "en",
            "createdTime": "2026-01-15T09:30:00.000Z",
            "modifiedTime": "2026-01-15T09:30:00.000Z",
            "viewCount": "0",
            "likeCount": "0",
            "dislikeCount": "0",
            "commentCount": "0",
            "feedbackCount": "0",
            "attachmentCount": "0",
            "authorId": "1329983000000139001",
            "isTrashed": false
        })
    }
}

pub(crate) async fn search(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> DeskResult<Response> {
    let q = query_map(query.as_deref());
    let Some(search) = q.get("searchStr").filter(|s| !s.trim().is_empty()) else {
        return Err(DeskError::unprocessable(
            "The query parameter searchStr is required.",
            vec![FieldError::missing("searchStr", "searchStr is required")],
        ));
    };
    if let Some(category) = q.get("categoryId")
        && category != CATEGORY_ID
    {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let (from, limit) = paging(&q, 10);
    let wanted = words(search);
    let mut hits: Vec<(usize, &Article)> = ARTICLES
        .iter()
        .map(|a| (a.score(&wanted), a))
        .filter(|(score, _)| *score > 0)
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(b.1.id)));
    let count = hits.len();
    let portal = app.read(|d| d.organization.portal_name.clone());
    let host = desk_host(&app.settings().location);
    let items: Vec<Value> = page(hits, from, limit)
        .iter()
        .map(|(_, a)| a.to_json(&portal, host))
        .collect();
    if items.is_empty() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(Json(json!({ "data": items, "count": count })).into_response())
}
