//! The one send wrapper: every request to Zoho Accounts and Zoho Desk goes
//! through [`HttpClient::send`], which owns the retry policy, the Desk
//! concurrency limiter and the credit headers (contract, "Rate limits").
//!
//! What is resent, and when:
//! - a connection that could not be made (nothing was sent): any request;
//! - 429 and 5xx with a reply: any request, since the reply says what
//!   happened (`THRESHOLD_EXCEEDED`, the day's credits, is never retried);
//! - a connection that failed *after* the request was sent (reply lost,
//!   timeout): reads and idempotent writes only. For a request that
//!   creates something the outcome is unknown and the caller gets
//!   [`Error::OutcomeUnknown`]: Desk has no idempotency key, so only a
//!   lookup can tell whether it happened (contract, "Create ticket").
//!
//! Delays are jittered exponential backoff, or the server's `Retry-After`
//! (2 s when a 429 has none), within a bounded number of attempts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::Semaphore;

use crate::error::{Error, Result, retry_after};
use crate::request::{Effect, PreparedRequest, Service};

/// Header: API credits left today (contract, "Rate limits").
pub const CREDITS_REMAINING_HEADER: &str = "x-rate-limit-remaining-v3";
/// Header: what this call cost in credits.
pub const REQUEST_WEIGHT_HEADER: &str = "x-rate-limit-request-weight-v3";

/// When and how often to resend.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, including the first (1 = never resend).
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubled each time, with jitter.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff.
    pub max_backoff: Duration,
    /// Wait after a 429 without `Retry-After`.
    pub default_retry_after: Duration,
    /// A `Retry-After` longer than this is not slept through: the caller
    /// gets [`Error::RateLimited`] with it and decides (e.g. queue for later).
    pub max_retry_after: Duration,
    /// Whether a create that got a 5xx reply may be resent. A 5xx is Desk
    /// saying it failed, so the default is `true`.
    pub retry_creates_on_server_error: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            default_retry_after: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(60),
            retry_creates_on_server_error: true,
        }
    }
}

impl RetryPolicy {
    /// Never resend.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The delay before attempt `attempt + 1` after a failure without
    /// server guidance: `initial * 2^(attempt-1)`, capped, then scaled by
    /// a random factor in [0.5, 1.0] so that clients spread out.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let capped = exp.min(self.max_backoff);
        capped.mul_f64(rand::rng().random_range(0.5..=1.0))
    }

    /// The delay after a 429/5xx that said `Retry-After: retry_after`:
    /// that long plus up to 20% jitter (so that a burst of rejected calls
    /// does not come back at the same instant). `None` means "do not wait,
    /// report it" (longer than `max_retry_after`).
    fn after_server_hint(
        &self,
        retry_after: Option<Duration>,
        status: StatusCode,
    ) -> Option<Duration> {
        let base = match retry_after {
            Some(d) => d,
            None if status == StatusCode::TOO_MANY_REQUESTS => self.default_retry_after,
            None => return Some(Duration::ZERO),
        };
        (base <= self.max_retry_after).then(|| base.mul_f64(rand::rng().random_range(1.0..=1.2)))
    }
}

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Simultaneous Desk calls allowed (the edition's limit); `None` = unlimited.
    pub concurrency_limit: Option<usize>,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// `User-Agent`.
    pub user_agent: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            concurrency_limit: Some(5),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("desk-chat-zoho-desk/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// The last credit headers seen on a Desk reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Credits {
    /// `x-rate-limit-remaining-v3`: credits left today.
    pub remaining: Option<u64>,
    /// `x-rate-limit-request-weight-v3`: the cost of the last call.
    pub last_request_weight: Option<u64>,
}

/// Counters of what the wrapper did (for diagnostics and the benchmark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HttpStats {
    /// Requests put on the wire (attempts).
    pub attempts: u64,
    /// Attempts that were resends.
    pub retries: u64,
    /// 429 replies seen.
    pub rate_limited: u64,
}

/// A reply, read whole.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// The HTTP layer shared by the Accounts and Desk clients. Cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    retry: RetryPolicy,
    limiter: RwLock<Option<Arc<Semaphore>>>,
    credits: Mutex<Credits>,
    attempts: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Builds the client (rustls, connection pooling).
    pub fn new(config: HttpConfig) -> Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            // Redirects would carry the Authorization header elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|source| Error::Http {
                source: source.without_url(),
            })?;
        Ok(Self::with_reqwest(client, config))
    }

    /// Uses a ready `reqwest::Client` (its own timeouts apply).
    pub fn with_reqwest(client: reqwest::Client, config: HttpConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                retry: config.retry,
                limiter: RwLock::new(limiter(config.concurrency_limit)),
                credits: Mutex::new(Credits::default()),
                attempts: AtomicU64::new(0),
                retries: AtomicU64::new(0),
                rate_limited: AtomicU64::new(0),
            }),
        }
    }

    /// Changes the Desk concurrency limit, e.g. once the organization's
    /// edition is known. Calls already waiting keep the old limit.
    pub fn set_concurrency_limit(&self, limit: Option<usize>) {
        *self
            .inner
            .limiter
            .write()
            .unwrap_or_else(|e| e.into_inner()) = limiter(limit);
    }

    /// The last credit headers seen.
    pub fn credits(&self) -> Credits {
        *self.inner.credits.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What the wrapper has done so far.
    pub fn stats(&self) -> HttpStats {
        HttpStats {
            attempts: self.inner.attempts.load(Ordering::Relaxed),
            retries: self.inner.retries.load(Ordering::Relaxed),
            rate_limited: self.inner.rate_limited.load(Ordering::Relaxed),
        }
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends `request` under the retry policy and returns the final reply,
    /// whatever its status (callers map non-2xx with
    /// [`error_from_response`](crate::error_from_response) or, for Accounts,
    /// their own reader). Errors are transport failures only.
    pub async fn send(&self, request: &PreparedRequest) -> Result<RawResponse> {
        let policy = &self.inner.retry;
        let max_attempts = policy.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let delay = match self.attempt(request).await {
                Ok(reply) => {
                    let Some(delay) = self.resend_delay(request, &reply, attempt) else {
                        return Ok(reply);
                    };
                    if attempt >= max_attempts {
                        return Ok(reply);
                    }
                    delay
                }
                Err(failure) => {
                    let error = self.transport_error(request, failure);
                    let retryable = matches!(error, Error::Offline { .. } | Error::Network { .. });
                    if !retryable || attempt >= max_attempts {
                        return Err(error);
                    }
                    policy.backoff(attempt)
                }
            };
            tracing::debug!(request = %request.describe(), attempt, delay_ms = delay.as_millis() as u64, "resending");
            tokio::time::sleep(delay).await;
            attempt += 1;
            self.inner.retries.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// One attempt: wait for a limiter permit (Desk only), send, read the
    /// whole body, release the permit.
    async fn attempt(&self, request: &PreparedRequest) -> Result<RawResponse, Failure> {
        let limiter = match request.service {
            Service::Desk => self
                .inner
                .limiter
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
            Service::Accounts => None,
        };
        let _permit = match &limiter {
            Some(semaphore) => Some(
                semaphore
                    .acquire()
                    .await
                    .expect("the limiter is never closed"),
            ),
            None => None,
        };
        let built = request
            .to_reqwest(&self.inner.client)
            .map_err(Failure::Build)?;
        self.inner.attempts.fetch_add(1, Ordering::Relaxed);
        let response = self
            .inner
            .client
            .execute(built)
            .await
            .map_err(Failure::Send)?;
        let status = response.status();
        let headers = response.headers().clone();
        // The reply was started but not finished: the request was applied
        // or not, nobody knows; same as a lost reply.
        let body = response.bytes().await.map_err(Failure::Body)?;
        tracing::debug!(request = %request.describe(), status = status.as_u16(), "zoho replied");
        if request.service == Service::Desk {
            self.record_credits(&headers);
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            self.inner.rate_limited.fetch_add(1, Ordering::Relaxed);
        }
        Ok(RawResponse {
            status,
            headers,
            body: body.into(),
        })
    }

    /// `Some(delay)` when this reply should be followed by a resend.
    fn resend_delay(
        &self,
        request: &PreparedRequest,
        reply: &RawResponse,
        attempt: u32,
    ) -> Option<Duration> {
        let policy = &self.inner.retry;
        let status = reply.status;
        if status == StatusCode::TOO_MANY_REQUESTS {
            if is_threshold_exceeded(&reply.body) {
                return None;
            }
            return policy.after_server_hint(retry_after(&reply.headers), status);
        }
        if status.is_server_error() {
            if request.effect == Effect::Create && !policy.retry_creates_on_server_error {
                return None;
            }
            let hint = policy.after_server_hint(retry_after(&reply.headers), status)?;
            return Some(if hint.is_zero() {
                policy.backoff(attempt)
            } else {
                hint
            });
        }
        None
    }

    fn transport_error(&self, request: &PreparedRequest, failure: Failure) -> Error {
        match failure {
            Failure::Build(error) => error,
            // Nothing left this machine: safe for every request.
            Failure::Send(source) if source.is_connect() => Error::Offline {
                source: source.without_url(),
            },
            Failure::Send(source) | Failure::Body(source) => {
                if request.effect == Effect::Create {
                    tracing::warn!(request = %request.describe(), "reply lost after sending a create");
                    Error::OutcomeUnknown {
                        operation: format!("{} ({})", request.operation, request.describe()),
                        source: Some(source.without_url()),
                    }
                } else {
                    Error::Network {
                        source: source.without_url(),
                    }
                }
            }
        }
    }

    fn record_credits(&self, headers: &HeaderMap) {
        let read = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        let remaining = read(CREDITS_REMAINING_HEADER);
        let weight = read(REQUEST_WEIGHT_HEADER);
        if remaining.is_none() && weight.is_none() {
            return;
        }
        let mut credits = self.inner.credits.lock().unwrap_or_else(|e| e.into_inner());
        if remaining.is_some() {
            credits.remaining = remaining;
        }
        if weight.is_some() {
            credits.last_request_weight = weight;
        }
    }
}

enum Failure {
    Build(Error),
    Send(reqwest::Error),
    Body(reqwest::Error),
}

fn limiter(limit: Option<usize>) -> Option<Arc<Semaphore>> {
    limit.map(|n| Arc::new(Semaphore::new(n.max(1))))
}

/// Desk's "daily credits used up" 429, which no short wait will fix.
fn is_threshold_exceeded(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Code {
        #[serde(rename = "errorCode")]
        error_code: Option<String>,
    }
    serde_json::from_slice::<Code>(body)
        .ok()
        .and_then(|c| c.error_code)
        .as_deref()
        == Some("THRESHOLD_EXCEEDED")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_and_jittered() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let second = policy.backoff(2);
            assert!(
                second >= Duration::from_millis(100) && second <= Duration::from_millis(200),
                "{second:?}"
            );
            let late = policy.backoff(30);
            assert!(late <= Duration::from_millis(350), "{late:?}");
        }
    }

    #[test]
    fn retry_after_is_honoured_with_a_default_and_a_cap() {
        let policy = RetryPolicy::default();
        let d = policy
            .after_server_hint(None, StatusCode::TOO_MANY_REQUESTS)
            .unwrap();
        assert!(
            d >= Duration::from_secs(2) && d <= Duration::from_millis(2400),
            "{d:?}"
        );
        let d = policy
            .after_server_hint(Some(Duration::from_secs(5)), StatusCode::TOO_MANY_REQUESTS)
            .unwrap();
        assert!(
            d >= Duration::from_secs(5) && d <= Duration::from_secs(6),
            "{d:?}"
        );
        assert_eq!(
            policy.after_server_hint(
                Some(Duration::from_secs(3600)),
                StatusCode::TOO_MANY_REQUESTS
            ),
            None
        );
        assert_eq!(
            policy.after_server_hint(None, StatusCode::INTERNAL_SERVER_ERROR),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn daily_credit_exhaustion_is_recognised() {
        assert!(is_threshold_exceeded(
            br#"{"errorCode":"THRESHOLD_EXCEEDED","message":"x"}"#
        ));
        assert!(!is_threshold_exceeded(
            br#"{"errorCode":"TOO_MANY_REQUESTS"}"#
        ));
        assert!(!is_threshold_exceeded(b""));
    }
}
