//! Wall-clock time in the two forms the simulator needs: Unix milliseconds
//! for expiry checks, and Zoho's timestamp format for JSON.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};

/// Zoho's timestamp format: UTC with milliseconds, `2026-06-11T16:12:11.000Z`.
pub(crate) const ZOHO_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The current time as Zoho writes it.
pub(crate) fn zoho_now() -> String {
    Utc::now().format(ZOHO_TIME_FORMAT).to_string()
}

/// Today's date in UTC (`2026-06-11`), the period of the daily credit budget.
pub(crate) fn utc_day() -> String {
    Utc::now().format("%Y-%m-%d").to_string()
}

/// Whether `s` is exactly in Zoho's timestamp format (and a real instant).
pub(crate) fn is_zoho_time(s: &str) -> bool {
    s.len() == 24
        && s.ends_with('Z')
        && DateTime::parse_from_str(&s.replace('Z', "+0000"), "%Y-%m-%dT%H:%M:%S%.3f%z").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoho_time_is_utc_with_milliseconds() {
        let now = zoho_now();
        assert!(is_zoho_time(&now), "{now}");
        assert!(is_zoho_time("2026-06-11T16:12:11.000Z"));
        assert!(!is_zoho_time("2026-06-11T16:12:11Z"));
        assert!(!is_zoho_time("2026-06-11 16:12:11.000Z"));
        assert!(!is_zoho_time("2026-06-11T16:12:11.000+02:00"));
        assert!(!is_zoho_time("2026-13-11T16:12:11.000Z"));
        assert!(!is_zoho_time("tomorrow"));
    }
}
