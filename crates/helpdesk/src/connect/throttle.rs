//! Consent cannot be started in a loop: Zoho keeps at most 20 refresh
//! tokens per user and client (the 21st deletes the oldest, or is refused)
//! and about 10 grant codes per 10 minutes, so a "Reconnect" button clicked
//! repeatedly would lock the user out or break other installs.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::error::{ConnectError, Result};

const HOUR: Duration = Duration::from_secs(3600);

/// Limits on starting consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// At least this long between two starts.
    pub min_interval: Duration,
    /// At most this many starts in any hour.
    pub max_per_hour: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            min_interval: Duration::from_secs(30),
            max_per_hour: 5,
        }
    }
}

impl ThrottleConfig {
    /// No limit (tests that connect many times).
    pub fn unlimited() -> Self {
        Self {
            min_interval: Duration::ZERO,
            max_per_hour: usize::MAX,
        }
    }
}

/// Remembers recent starts.
#[derive(Debug, Default)]
pub struct ConsentThrottle {
    config: ThrottleConfig,
    starts: Mutex<VecDeque<Instant>>,
}

impl ConsentThrottle {
    /// A throttle with these limits.
    pub fn new(config: ThrottleConfig) -> Self {
        Self {
            config,
            starts: Mutex::new(VecDeque::new()),
        }
    }

    /// Whether a start is allowed at `now` (nothing is recorded).
    ///
    /// # Errors
    /// [`ConnectError::TooManyAttempts`] with the time to wait.
    pub fn check(&self, now: Instant) -> Result<()> {
        let mut starts = self.starts.lock().unwrap_or_else(|e| e.into_inner());
        while starts
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= HOUR)
        {
            starts.pop_front();
        }
        let mut wait = Duration::ZERO;
        if let Some(last) = starts.back() {
            let since = now.saturating_duration_since(*last);
            wait = wait.max(self.config.min_interval.saturating_sub(since));
        }
        if starts.len() >= self.config.max_per_hour
            && let Some(first) = starts.front()
        {
            wait = wait.max(HOUR.saturating_sub(now.saturating_duration_since(*first)));
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(ConnectError::TooManyAttempts { retry_in: wait })
        }
    }

    /// Records a start at `now`.
    pub fn record(&self, now: Instant) {
        self.starts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(now);
    }

    /// [`check`](Self::check), then [`record`](Self::record).
    pub fn try_start(&self, now: Instant) -> Result<()> {
        self.check(now)?;
        self.record(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_start_within_the_interval_is_refused_with_the_wait() {
        let throttle = ConsentThrottle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        throttle.try_start(t0).unwrap();
        let err = throttle
            .try_start(t0 + Duration::from_secs(10))
            .unwrap_err();
        assert!(
            matches!(err, ConnectError::TooManyAttempts { retry_in } if retry_in == Duration::from_secs(20))
        );
        throttle.try_start(t0 + Duration::from_secs(30)).unwrap();
    }

    #[test]
    fn at_most_five_starts_per_hour() {
        let throttle = ConsentThrottle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        for i in 0..5 {
            throttle
                .try_start(t0 + Duration::from_secs(60 * i))
                .unwrap();
        }
        let sixth = t0 + Duration::from_secs(60 * 5);
        assert!(matches!(
            throttle.try_start(sixth),
            Err(ConnectError::TooManyAttempts { retry_in }) if retry_in == Duration::from_secs(3300)
        ));
        throttle.try_start(t0 + HOUR).unwrap();
    }
}
