//! Tolerant serde helpers for Desk's JSON (contract, "General shapes"):
//! unset fields arrive as `null`, counters as strings, times as
//! `2026-06-11T16:12:11.000Z`.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

/// `null` (or a missing field, with `#[serde(default)]`) becomes `T::default()`.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Formats a time the way Desk writes and expects it: UTC, milliseconds, `Z`.
pub fn format_zoho_time(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Serialises an optional time as `2026-06-11T16:12:11.000Z`.
pub(crate) fn ser_opt_time<S: Serializer>(
    time: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(t) => s.serialize_str(&format_zoho_time(t)),
        None => s.serialize_none(),
    }
}

/// Reads an optional time leniently: `null`, missing, or text that is not
/// RFC 3339 all give `None`, so one odd field never loses a whole ticket.
pub(crate) fn de_opt_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    let text = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match text {
        Some(serde_json::Value::String(s)) => DateTime::parse_from_rfc3339(&s)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        _ => None,
    })
}

/// Reads a counter that Desk sends as a string (`"threadCount":"0"`), a
/// number, or `null`.
pub(crate) fn de_opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct CountVisitor;
    impl<'de> Visitor<'de> for CountVisitor {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a count as a number or a string")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(u64::try_from(v).ok())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok((v.is_finite() && v >= 0.0).then_some(v as u64))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.trim().parse().ok())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
    }
    d.deserialize_option(CountVisitor)
}

/// Reads a boolean that may arrive as `true`, `"true"` or `null`.
pub(crate) fn de_opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Bool(b)) => Some(b),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn zoho_time_has_milliseconds_and_z() {
        let t = Utc.with_ymd_and_hms(2026, 6, 11, 16, 12, 11).unwrap();
        assert_eq!(format_zoho_time(&t), "2026-06-11T16:12:11.000Z");
    }
}
