//! The history of what this machine sent: every ticket and callback in the
//! outbox, newest first, searchable, with its delivery state and its
//! status in Desk; retry, discard, "Open in Desk".
//!
//! What it is for: [`History::list`] reads the outbox only (no Desk call);
//! [`History::refresh`] asks Desk for the statuses, mindful of API
//! credits: tickets asked about within the last minute are skipped (the
//! time is persisted, so this holds across restarts and windows), a few
//! are read one by one (`GET /tickets/{id}`), more are read from one list
//! page per department (`GET /tickets?departmentId=..&sortBy=-createdTime&limit=100`).
//! What it is not: the forms ([`crate::forms`]), the delivery ([`crate::outbox`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Mutex, broadcast};
use url::Url;
use zoho_desk::{DataCentre, DepartmentId, DeskClient, Page, TicketId, TicketListQuery};

use crate::follower::OneFollower;
use crate::forms::{FieldError, Forms, map_desk_errors};
use crate::outbox::{AttachmentInfo, HistoryQuery, Item, ItemId, ItemState, Outbox, StateCounts};

/// No ticket is asked about more often than this.
pub const STATUS_MIN_AGE: Duration = Duration::from_secs(60);
/// Up to this many tickets are read one by one; more are listed.
const FEW: usize = 3;
/// Tickets asked about in one refresh, at most.
const REFRESH_LIMIT: u32 = 200;
/// Items in one history page.
const PAGE: u32 = 200;

/// One item as the history shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub item: Item,
    pub department_name: Option<String>,
    pub field_errors: Vec<FieldError>,
    pub attachments: Vec<AttachmentInfo>,
}

impl HistoryEntry {
    /// Queued or failed: may be edited, retried or discarded.
    pub fn editable(&self) -> bool {
        matches!(self.item.state, ItemState::Queued | ItemState::Failed)
    }
}

/// A history page.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPage {
    pub items: Vec<HistoryEntry>,
    pub counts: StateCounts,
    /// Statuses asked of Desk by this call.
    pub refreshed: usize,
    pub refresh_error: Option<String>,
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Outbox(#[from] crate::outbox::Error),
    #[error("this item has no link to Zoho Desk yet: it has not been delivered")]
    NoLink,
    #[error("the link of this item does not point at Zoho Desk ({host}), so it was not opened")]
    UntrustedLink { host: String },
}

/// The history service. Cheap to clone.
#[derive(Clone, Debug)]
pub struct History {
    forms: Forms,
    refreshing: Arc<Mutex<()>>,
    updates: broadcast::Sender<ItemId>,
    follower: OneFollower,
}

impl History {
    /// Over the forms' hub (department names come from the forms' cache).
    pub fn new(forms: Forms) -> Self {
        Self {
            forms,
            refreshing: Arc::default(),
            updates: broadcast::channel(64).0,
            follower: OneFollower::new(),
        }
    }

    fn outbox(&self) -> &Outbox {
        self.forms.hub().outbox()
    }

    /// Newest first, filtered by `search` (number, subject, contact...).
    pub async fn list(&self, search: Option<&str>) -> Result<HistoryPage, Error> {
        let query = HistoryQuery {
            text: search.map(str::to_owned),
            limit: PAGE,
            ..HistoryQuery::default()
        };
        let (items, counts) = self
            .db(move |o| Ok((o.history(&query)?, o.counts()?)))
            .await?;
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            entries.push(self.entry_of(item).await?);
        }
        Ok(HistoryPage {
            items: entries,
            counts,
            refreshed: 0,
            refresh_error: None,
        })
    }

    /// [`History::list`] after asking Desk for the statuses that are due.
    pub async fn refresh(&self, search: Option<&str>) -> Result<HistoryPage, Error> {
        let (refreshed, refresh_error) = match self.refresh_statuses(Utc::now()).await {
            Ok(n) => (n, None),
            Err(e) => (0, Some(e)),
        };
        let mut page = self.list(search).await?;
        page.refreshed = refreshed;
        page.refresh_error = refresh_error;
        Ok(page)
    }

    /// Asks Desk about the delivered tickets not asked about within the
    /// last minute; how many statuses were read. One refresh at a time.
    pub async fn refresh_statuses(&self, now: DateTime<Utc>) -> Result<usize, String> {
        let _one = self.refreshing.lock().await;
        let link = self.forms.hub().link().await;
        let Some(desk) = link.desk else {
            return Err(
                "Desk Chat is not connected to Zoho Desk: statuses could not be refreshed."
                    .to_owned(),
            );
        };
        let cutoff = now - chrono::Duration::from_std(STATUS_MIN_AGE).unwrap_or_default();
        let due = self
            .db(move |o| o.status_due(cutoff, REFRESH_LIMIT))
            .await
            .map_err(|e| e.to_string())?;
        if due.is_empty() {
            return Ok(0);
        }
        let (found, error) = if due.len() <= FEW {
            one_by_one(&desk, &due).await
        } else {
            listed(&desk, &due).await
        };
        // Asked about, found or not: not asked again within the minute.
        let asked: Vec<ItemId> = due.iter().map(|i| i.id).collect();
        let n = found.len();
        self.db(move |o| {
            o.mark_status_checked(&asked, now)?;
            for (id, status) in &found {
                o.set_desk_status(*id, status, now)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())?;
        for id in due.iter().map(|i| i.id) {
            let _ = self.updates.send(id);
        }
        match error {
            Some(e) if n == 0 => Err(e),
            _ => Ok(n),
        }
    }

    /// "Retry": queued again and sent now (waited for as Submit is).
    pub async fn retry(&self, id: ItemId) -> Result<HistoryEntry, Error> {
        self.db(move |o| o.retry(id)).await?;
        let item = self
            .forms
            .hub()
            .delivery()
            .send_within(id, self.forms.config().wait)
            .await?;
        let _ = self.updates.send(id);
        self.entry_of(item).await
    }

    /// "Discard": removed with its attachments (queued or failed only).
    pub async fn discard(&self, id: ItemId) -> Result<(), Error> {
        self.db(move |o| o.discard(id)).await?;
        let _ = self.updates.send(id);
        Ok(())
    }

    /// One entry.
    pub async fn entry(&self, id: ItemId) -> Result<HistoryEntry, Error> {
        let item = self.db(move |o| o.get(id)).await?;
        self.entry_of(item).await
    }

    /// The checked address of the ticket in Desk, to open in the browser.
    pub async fn desk_link(&self, id: ItemId) -> Result<Url, Error> {
        let item = self.db(move |o| o.get(id)).await?;
        let url = item.web_url.ok_or(Error::NoLink)?;
        checked_desk_url(&url)
    }

    /// Items changed here or by the deliverer (their ids), for a live view.
    pub fn follow(&self) -> HistoryFeed {
        HistoryFeed {
            local: self.updates.subscribe(),
            delivery: self.forms.hub().delivery().subscribe(),
        }
    }

    /// Calls `on_update` with each item changed in the background (and by
    /// this service) until it returns `false`. One follower at a time: a
    /// new one replaces the last (a view mounted again).
    pub fn follow_with(&self, mut on_update: impl FnMut(HistoryEntry) -> bool + Send + 'static) {
        let mut feed = self.follow();
        let me = self.clone();
        let work = async move {
            while let Some(id) = feed.next().await {
                // Gone (discarded): nothing to show.
                if let Ok(entry) = me.entry(id).await
                    && !on_update(entry)
                {
                    return;
                }
            }
        };
        self.follower.replace(work);
    }

    async fn entry_of(&self, item: Item) -> Result<HistoryEntry, Error> {
        let id = item.id;
        let attachments = self.db(move |o| o.attachments(id)).await?;
        let settings = self.forms.hub().link().await.settings.unwrap_or_default();
        let department_name = self.forms.department_name(&item.department_id).or_else(|| {
            [
                (
                    &settings.support_department_id,
                    &settings.support_department_name,
                ),
                (
                    &settings.callbacks_department_id,
                    &settings.callbacks_department_name,
                ),
            ]
            .into_iter()
            .find(|(d, _)| d.as_deref() == Some(item.department_id.as_str()))
            .and_then(|(_, n)| n.clone())
        });
        Ok(HistoryEntry {
            field_errors: map_desk_errors(&item.field_errors, item.kind),
            department_name,
            attachments,
            item,
        })
    }

    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Outbox) -> crate::outbox::Result<T> + Send + 'static,
    ) -> Result<T, Error> {
        let outbox = self.outbox().clone();
        Ok(tokio::task::spawn_blocking(move || f(&outbox))
            .await
            .map_err(|e| crate::outbox::Error::Worker(e.to_string()))??)
    }
}

/// Ids of items that changed, from the history's own actions and from the
/// deliverer.
pub struct HistoryFeed {
    local: broadcast::Receiver<ItemId>,
    delivery: tokio::sync::mpsc::UnboundedReceiver<crate::outbox::OutboxEvent>,
}

impl HistoryFeed {
    /// The next changed item; `None` once the app is closing.
    pub async fn next(&mut self) -> Option<ItemId> {
        loop {
            tokio::select! {
                local = self.local.recv() => match local {
                    Ok(id) => return Some(id),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                event = self.delivery.recv() => return event.map(|e| e.id),
            }
        }
    }
}

/// `GET /tickets/{id}` for each.
async fn one_by_one(desk: &DeskClient, due: &[Item]) -> (Vec<(ItemId, String)>, Option<String>) {
    let mut found = Vec::new();
    let mut error = None;
    for item in due {
        let Some(ticket_id) = &item.ticket_id else {
            continue;
        };
        match desk.tickets().get(&TicketId::new(ticket_id.clone())).await {
            Ok(t) => {
                if let Some(status) = t.status {
                    found.push((item.id, status));
                }
            }
            Err(e) => {
                error.get_or_insert_with(|| {
                    format!("Zoho Desk did not answer about every ticket: {e}")
                });
            }
        }
    }
    (found, error)
}

/// One list page per department (newest first); tickets not on it (older
/// than the newest 100) are read one by one, at most [`FEW`] of them.
async fn listed(desk: &DeskClient, due: &[Item]) -> (Vec<(ItemId, String)>, Option<String>) {
    let mut by_department: HashMap<&str, Vec<&Item>> = HashMap::new();
    for item in due {
        by_department
            .entry(item.department_id.as_str())
            .or_default()
            .push(item);
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut error = None;
    for (department, items) in by_department {
        let query = TicketListQuery {
            page: Page::first(100),
            sort_by: Some("-createdTime".to_owned()),
            department_id: Some(DepartmentId::new(department)),
            status: None,
        };
        match desk.tickets().list(&query).await {
            Ok(list) => {
                let statuses: HashMap<&str, &Option<String>> =
                    list.iter().map(|t| (t.id.as_str(), &t.status)).collect();
                for item in items {
                    match item.ticket_id.as_deref().and_then(|id| statuses.get(id)) {
                        Some(Some(status)) => found.push((item.id, status.clone())),
                        _ => missing.push(item.clone()),
                    }
                }
            }
            Err(e) => {
                error.get_or_insert_with(|| format!("Zoho Desk did not list the tickets: {e}"));
            }
        }
    }
    missing.truncate(FEW);
    let (more, more_error) = one_by_one(desk, &missing).await;
    found.extend(more);
    (found, error.or(more_error))
}

/// `web_url` when it points at a Zoho Desk host of the data-centre table
/// (https), or at a loopback host (the sandbox); else refused.
pub fn checked_desk_url(web_url: &str) -> Result<Url, Error> {
    let url = Url::parse(web_url).map_err(|_| Error::UntrustedLink {
        host: web_url.chars().take(80).collect(),
    })?;
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let known = DataCentre::ALL.iter().any(|dc| {
        Url::parse(dc.desk_api_base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .is_some_and(|h| h == host)
    });
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match (url.scheme(), known, loopback) {
        ("https", true, _) | ("http" | "https", _, true) => Ok(url),
        _ => Err(Error::UntrustedLink { host }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_desk_hosts_and_loopback_are_opened() {
        assert!(
            checked_desk_url("https://desk.zoho.eu/support/acme/ShowHomePage.do#Cases/dv/1")
                .is_ok()
        );
        assert!(checked_desk_url("http://127.0.0.1:8090/support/x").is_ok());
        assert!(
            checked_desk_url("http://desk.zoho.com/x").is_err(),
            "no plain http to Zoho"
        );
        assert!(checked_desk_url("https://desk.zoho.com.evil.example/x").is_err());
        assert!(checked_desk_url("javascript:alert(1)").is_err());
        assert!(checked_desk_url("file:///etc/passwd").is_err());
    }
}
