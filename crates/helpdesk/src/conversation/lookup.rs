//! The chat's read-only Desk calls: knowledge-base articles for an issue
//! and a ticket's status. Each answers with the engine event that reports
//! it; a failure or a timeout is an event too, never an error, so the chat
//! never blocks on Desk.

use std::time::Duration;

use chat_engine::{Article, Event};
use zoho_desk::{DeskClient, TicketSearch};

/// At most this many articles are offered.
pub const MAX_ARTICLES: u32 = 3;

/// `ArticlesFound` (maybe empty) or `ArticleSearchFailed`.
pub(crate) async fn search_articles(
    desk: Option<&DeskClient>,
    query: &str,
    timeout: Duration,
) -> Event {
    let Some(desk) = desk else {
        return Event::ArticleSearchFailed;
    };
    match tokio::time::timeout(timeout, desk.articles().search(query, MAX_ARTICLES)).await {
        Ok(Ok(found)) => Event::ArticlesFound(
            found
                .items
                .into_iter()
                .take(MAX_ARTICLES as usize)
                .map(|a| Article {
                    title: a
                        .title
                        .filter(|t| !t.trim().is_empty())
                        .unwrap_or_else(|| "Untitled article".to_owned()),
                    // The public link when Desk gives a full one, else the
                    // article's page in Desk.
                    url: a
                        .permalink
                        .filter(|p| p.starts_with("https://") || p.starts_with("http://"))
                        .or(a.web_url)
                        .unwrap_or_default(),
                    id: a.id.as_str().to_owned(),
                })
                .collect(),
        ),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "knowledge-base search failed; going on without articles");
            Event::ArticleSearchFailed
        }
        Err(_) => {
            tracing::warn!("knowledge-base search timed out; going on without articles");
            Event::ArticleSearchFailed
        }
    }
}

/// `TicketStatusFound` (with whether `email` is the ticket's, compared
/// case-insensitively), `TicketNotFound` or `StatusLookupFailed`.
pub(crate) async fn look_up_ticket(
    desk: Option<&DeskClient>,
    number: &str,
    email: &str,
    timeout: Duration,
) -> Event {
    let Some(desk) = desk else {
        return Event::StatusLookupFailed;
    };
    let number = number.trim().trim_start_matches('#');
    let search = TicketSearch {
        ticket_number: Some(number.to_owned()),
        ..TicketSearch::default()
    };
    let found = match tokio::time::timeout(timeout, desk.tickets().search(&search)).await {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "ticket status look-up failed");
            return Event::StatusLookupFailed;
        }
        Err(_) => {
            tracing::warn!("ticket status look-up timed out");
            return Event::StatusLookupFailed;
        }
    };
    let wanted = email.trim().to_lowercase();
    let Some(ticket) = found
        .items
        .into_iter()
        .find(|t| t.ticket_number.as_deref() == Some(number))
    else {
        return Event::TicketNotFound;
    };
    let emails = [
        ticket.email.as_deref(),
        ticket.contact.as_ref().and_then(|c| c.email.as_deref()),
    ];
    let email_matches = emails
        .into_iter()
        .flatten()
        .any(|e| e.trim().to_lowercase() == wanted);
    Event::TicketStatusFound {
        number: number.to_owned(),
        status: ticket.status.unwrap_or_else(|| "Unknown".to_owned()),
        email_matches,
    }
}
