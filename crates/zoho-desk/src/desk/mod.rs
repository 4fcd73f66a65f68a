//! The Desk REST API client (contract, "Desk REST API v1"): one handler per
//! resource, each with pure request builders (`*_request`) and async calls.

pub mod articles;
pub mod contacts;
pub mod departments;
pub mod organizations;
pub mod paging;
pub mod request;
pub mod tickets;

use std::sync::Arc;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::base_url::BaseUrl;
use crate::error::{Error, Result, error_from_response};
use crate::http::{Credits, HttpClient, RawResponse};
use crate::ids::OrgId;
use crate::model::SearchResults;
use crate::model::list::ListEnvelope;
use crate::secret::AccessToken;
use crate::token_manager::TokenManager;

pub use articles::Articles;
pub use contacts::Contacts;
pub use departments::Departments;
pub use organizations::Organizations;
pub use request::DeskRequest;
pub use tickets::{NewAttachment, TicketListQuery, TicketSearch, Tickets};

/// A client for one Desk API base and (optionally) one organization.
/// Cheap to clone; clones share the HTTP layer and the token manager.
#[derive(Debug, Clone)]
pub struct DeskClient {
    http: HttpClient,
    tokens: Arc<TokenManager>,
    base: BaseUrl,
    org: Option<OrgId>,
}

impl DeskClient {
    /// `api_base` is e.g. `https://desk.zoho.in/api/v1` (from the DC table)
    /// or a loopback simulator's `/api/v1`.
    pub fn new(http: HttpClient, api_base: BaseUrl, tokens: Arc<TokenManager>) -> Self {
        Self {
            http,
            tokens,
            base: api_base,
            org: None,
        }
    }

    /// The same client for organization `org` (sent as the `orgId` header).
    pub fn with_org(mut self, org: OrgId) -> Self {
        self.org = Some(org);
        self
    }

    /// The selected organization.
    pub fn org_id(&self) -> Option<&OrgId> {
        self.org.as_ref()
    }

    /// The API base.
    pub fn api_base(&self) -> &BaseUrl {
        &self.base
    }

    /// The last credit headers Desk sent (`x-rate-limit-remaining-v3`, ...).
    pub fn credits(&self) -> Credits {
        self.http.credits()
    }

    /// The HTTP layer (limiter, stats).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The token manager.
    pub fn tokens(&self) -> &Arc<TokenManager> {
        &self.tokens
    }

    /// `/organizations`.
    pub fn organizations(&self) -> Organizations<'_> {
        Organizations { client: self }
    }

    /// `/departments`.
    pub fn departments(&self) -> Departments<'_> {
        Departments { client: self }
    }

    /// `/contacts`.
    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { client: self }
    }

    /// `/tickets`.
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { client: self }
    }

    /// `/articles`.
    pub fn articles(&self) -> Articles<'_> {
        Articles { client: self }
    }

    /// Sends `request` with a valid token; on 401 `INVALID_OAUTH` refreshes
    /// once and sends once more (a 401 is a clear "not applied", so this is
    /// safe even for creates). Returns 2xx replies; anything else becomes a
    /// typed error through [`error_from_response`].
    pub async fn execute(&self, request: &DeskRequest) -> Result<RawResponse> {
        let token = self.tokens.access_token().await?;
        match self.send_with(request, &token).await {
            Err(Error::TokenInvalid) => {
                tracing::info!(
                    operation = request.operation,
                    "Desk rejected the access token; refreshing once"
                );
                let token = self.tokens.refresh_after_rejection(&token).await?;
                self.send_with(request, &token).await
            }
            other => other,
        }
    }

    async fn send_with(&self, request: &DeskRequest, token: &AccessToken) -> Result<RawResponse> {
        let prepared = request.prepare(&self.base, token, self.org.as_ref())?;
        let reply = self.http.send(&prepared).await?;
        if reply.status.is_success() {
            Ok(reply)
        } else {
            Err(error_from_response(
                reply.status,
                &reply.headers,
                &reply.body,
            ))
        }
    }

    pub(crate) async fn fetch<T: DeserializeOwned>(&self, request: &DeskRequest) -> Result<T> {
        decode(&self.execute(request).await?, request.operation)
    }

    pub(crate) async fn fetch_list<T: DeserializeOwned>(
        &self,
        request: &DeskRequest,
    ) -> Result<Vec<T>> {
        Ok(decode_list(&self.execute(request).await?, request.operation)?.items)
    }

    pub(crate) async fn fetch_search<T: DeserializeOwned>(
        &self,
        request: &DeskRequest,
    ) -> Result<SearchResults<T>> {
        decode_list(&self.execute(request).await?, request.operation)
    }
}

/// A bare object (get, create, update).
pub fn decode<T: DeserializeOwned>(reply: &RawResponse, what: &str) -> Result<T> {
    serde_json::from_slice(&reply.body).map_err(|source| Error::Decode {
        what: what.to_owned(),
        source,
    })
}

/// `{"data":[...],"count":N}`; 204 or an empty body is an empty result.
pub fn decode_list<T: DeserializeOwned>(
    reply: &RawResponse,
    what: &str,
) -> Result<SearchResults<T>> {
    if reply.status == StatusCode::NO_CONTENT || reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(SearchResults::empty());
    }
    let envelope: ListEnvelope<T> = decode(reply, what)?;
    let count = envelope.count.unwrap_or(envelope.data.len() as u64);
    Ok(SearchResults {
        items: envelope.data,
        count,
    })
}

#[cfg(test)]
mod request_tests;
