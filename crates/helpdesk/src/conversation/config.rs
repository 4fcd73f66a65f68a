//! What a conversation needs from its surroundings: the person's time zone
//! and phone region, how tickets are composed (departments, reference
//! field, priority), how long the chat waits for Desk, and the Desk
//! connection itself when there is one.

use std::time::Duration;

use chat_engine::Region;
use chrono_tz::Tz;
use zoho_desk::{DepartmentId, DeskClient, Priority};

use crate::compose::ComposeConfig;
use crate::outbox::Backoff;
use crate::settings::Settings;

/// How the chat reaches Desk: a client once the app is connected (or in the
/// sandbox), nothing before. Without one, submissions still go to the
/// outbox (nothing is lost) and the chat says they are queued.
#[derive(Debug, Clone, Default)]
pub enum DeskAccess {
    Connected(DeskClient),
    #[default]
    NotConnected,
}

impl DeskAccess {
    pub(crate) fn client(&self) -> Option<&DeskClient> {
        match self {
            Self::Connected(client) => Some(client),
            Self::NotConnected => None,
        }
    }
}

/// Everything a conversation is opened with, apart from the database and
/// Desk.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationConfig {
    /// The person's time zone: callback times are read and echoed in it.
    pub time_zone: Tz,
    /// Where a phone number without a country code belongs.
    pub region: Region,
    /// Departments, reference field and priority from setup; `None` while
    /// no department was chosen (submissions are then kept in the
    /// conversation and put in the outbox once it is known).
    pub compose: Option<ComposeConfig>,
    /// How long "Submit" waits for Desk before saying "queued" (the outbox
    /// goes on trying in the background).
    pub deliver_wait: Duration,
    /// How long a knowledge-base search or status look-up may take.
    pub lookup_timeout: Duration,
    /// Backoff of the background deliverer.
    pub backoff: Backoff,
    /// Items the background deliverer sends at once (0: its default, 10).
    pub concurrency: usize,
    /// Run the background deliverer (the app does; some tests drive it).
    pub run_deliverer: bool,
}

impl ConversationConfig {
    /// The system's zone and the locale's region (US when unknown), no
    /// departments yet, a 10-second wait.
    pub fn new(compose: Option<ComposeConfig>) -> Self {
        Self {
            time_zone: system_time_zone(),
            region: locale_region().unwrap_or(Region::US),
            compose,
            deliver_wait: Duration::from_secs(10),
            lookup_timeout: Duration::from_secs(10),
            backoff: Backoff::default(),
            concurrency: 0,
            run_deliverer: true,
        }
    }

    /// From the saved settings: departments, reference field and priority
    /// as chosen in setup; the region from the locale, else the data centre.
    pub fn from_settings(settings: &Settings) -> Self {
        let mut config = Self::new(compose_config(settings));
        config.region = locale_region()
            .or_else(|| {
                settings
                    .data_centre
                    .as_deref()
                    .and_then(region_of_data_centre)
            })
            .unwrap_or(Region::US);
        config
    }

    pub fn with_time_zone(mut self, tz: Tz) -> Self {
        self.time_zone = tz;
        self
    }

    pub fn with_region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }
}

/// The [`ComposeConfig`] of the settings, once both departments are chosen.
pub fn compose_config(settings: &Settings) -> Option<ComposeConfig> {
    let support = settings.support_department_id.clone()?;
    let callbacks = settings.callbacks_department_id.clone()?;
    let mut config = ComposeConfig::new(DepartmentId::new(support), DepartmentId::new(callbacks));
    config.default_priority = parse_priority(&settings.default_priority);
    config.reference_field = settings
        .client_reference_field
        .clone()
        .filter(|f| !f.trim().is_empty());
    Some(config)
}

fn parse_priority(text: &str) -> Priority {
    match text.trim().to_ascii_lowercase().as_str() {
        "high" => Priority::High,
        "low" => Priority::Low,
        _ => Priority::Medium,
    }
}

/// The system's IANA zone: `TZ` when it names one (`Europe/Paris`, as the
/// C library reads it), else the system setting; UTC when neither is known.
pub fn system_time_zone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|name| name.trim_start_matches(':').parse().ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse().ok())
        })
        .unwrap_or(Tz::UTC)
}

/// The region of the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `en_GB.UTF-8`
/// gives GB), when it names one.
pub fn locale_region() -> Option<Region> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| region_of_locale(&v))
}

/// `en_GB.UTF-8`, `de-AT` -> the region; `C`, `POSIX`, `en` -> none.
pub fn region_of_locale(locale: &str) -> Option<Region> {
    let tag = locale.split(['.', '@']).next()?;
    let region = tag.split(['_', '-']).nth(1)?;
    if region.len() != 2 {
        return None;
    }
    region.to_ascii_uppercase().parse().ok()
}

/// The region a Zoho data centre serves (the EU's has none of its own).
pub fn region_of_data_centre(location: &str) -> Option<Region> {
    let code = match location {
        "us" => "US",
        "in" => "IN",
        "au" => "AU",
        "jp" => "JP",
        "ca" => "CA",
        "sa" => "SA",
        "cn" => "CN",
        "uk" => "GB",
        "sg" => "SG",
        _ => return None,
    };
    code.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_comes_from_the_locale_or_the_data_centre() {
        assert_eq!(region_of_locale("en_GB.UTF-8"), Some(Region::GB));
        assert_eq!(region_of_locale("de-AT"), Some(Region::AT));
        assert_eq!(region_of_locale("C.UTF-8"), None);
        assert_eq!(region_of_locale("en"), None);
        assert_eq!(region_of_data_centre("uk"), Some(Region::GB));
        assert_eq!(region_of_data_centre("in"), Some(Region::IN));
        assert_eq!(region_of_data_centre("eu"), None);
    }

    #[test]
    fn compose_config_needs_both_departments() {
        let mut settings = Settings::default();
        assert!(compose_config(&settings).is_none());
        settings.support_department_id = Some("1".into());
        settings.callbacks_department_id = Some("2".into());
        settings.default_priority = "High".into();
        settings.client_reference_field = Some("cf_ref".into());
        let config = compose_config(&settings).unwrap();
        assert_eq!(config.default_priority, Priority::High);
        assert_eq!(config.reference_field.as_deref(), Some("cf_ref"));
        assert_eq!(config.callbacks_department.as_str(), "2");
    }
}
