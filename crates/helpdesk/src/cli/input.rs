//! Checking what was typed on the command line with the chat's own
//! validators, before anything is queued: a bad value is exit 2.

use chat_engine::Region;
use chat_engine::validate::{normalize_email, normalize_phone, parse_name};
use chrono_tz::Tz;

use super::exit::CliError;

/// `--name` split into first and last name, as Desk's contact wants it.
pub(super) fn name(text: &str) -> Result<(String, String), CliError> {
    let name = parse_name(text).map_err(|e| CliError::usage(format!("--name: {e}")))?;
    Ok((name.first_name, name.last_name))
}

/// `--email`, normalised.
pub(super) fn email(text: &str) -> Result<String, CliError> {
    normalize_email(text).map_err(|e| CliError::usage(format!("--email `{text}`: {e}")))
}

/// `--phone`, in E.164.
pub(super) fn phone(text: &str, region: Region) -> Result<String, CliError> {
    normalize_phone(text, region).map_err(|e| CliError::usage(format!("--phone `{text}`: {e}")))
}

/// A required text that must not be blank.
pub(super) fn required(flag: &str, text: &str) -> Result<String, CliError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(CliError::usage(format!("{flag} must not be empty")));
    }
    Ok(trimmed.to_owned())
}

/// `--region`, else the country of `LC_ALL` / `LANG` (`de_DE.UTF-8` -> DE), else US.
pub(super) fn region(flag: Option<&str>) -> Result<Region, CliError> {
    if let Some(code) = flag {
        return code
            .trim()
            .to_ascii_uppercase()
            .parse::<Region>()
            .map_err(|_| {
                CliError::usage(format!(
                    "--region `{code}` is not a country code (two letters, like DE or US)"
                ))
            });
    }
    let from_locale = ["LC_ALL", "LC_TELEPHONE", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find_map(|v| {
            let country = v.split(['.', '@']).next()?.split('_').nth(1)?.to_owned();
            country.parse::<Region>().ok()
        });
    Ok(from_locale.unwrap_or(Region::US))
}

/// The local time zone: `--tz`, else `TZ` when it names a zone, else the
/// system's, else UTC.
pub(super) fn time_zone(flag: Option<&str>) -> Result<Tz, CliError> {
    if let Some(name) = flag {
        return name.trim().parse::<Tz>().map_err(|_| {
            CliError::usage(format!(
                "--tz `{name}` is not a time zone name (like Europe/Berlin)"
            ))
        });
    }
    let from_env = std::env::var("TZ")
        .ok()
        .and_then(|v| v.trim_start_matches(':').parse::<Tz>().ok());
    Ok(from_env
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(Tz::UTC))
}
