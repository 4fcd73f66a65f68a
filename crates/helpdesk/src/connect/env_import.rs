//! Import of a `.env` in the original guide's format:
//!
//! ```text
//! DESK_ACCESS_TOKEN=1000.xxxx.yyyy
//! DESK_ORGANIZATION_ID=60001234567
//! DESK_API_URL=https://desk.zoho.in/api/v1
//! ZOHO_CLIENT_ID=1000.XXXX          # optional
//! ZOHO_CLIENT_SECRET=xxxx           # optional
//! ZOHO_REFRESH_TOKEN=1000.xxxx.yyyy # optional
//! ```
//!
//! Parsed with `dotenvy` (quotes, comments, `export`). An access token
//! alone works until Zoho rejects it, then the app asks to reconnect
//! (`ReconnectNeeded`): without a refresh token nothing can renew it.

use std::collections::HashMap;

use zoho_desk::{
    AccessToken, BaseUrl, ClientId, ClientSecret, DataCentre, RefreshToken, StoredTokens,
};

use super::client::validate_client;
use super::error::{ConnectError, Result};
use crate::settings::Settings;

/// What a `.env` file provided. `Debug` shows no secret.
#[derive(Debug, Clone, Default)]
pub struct ImportedEnv {
    /// `DESK_ACCESS_TOKEN`.
    pub access_token: Option<AccessToken>,
    /// `ZOHO_REFRESH_TOKEN`.
    pub refresh_token: Option<RefreshToken>,
    /// `DESK_ORGANIZATION_ID`.
    pub org_id: Option<String>,
    /// `DESK_API_URL`.
    pub desk_api_url: Option<BaseUrl>,
    /// `ZOHO_CLIENT_ID`.
    pub client_id: Option<ClientId>,
    /// `ZOHO_CLIENT_SECRET`.
    pub client_secret: Option<ClientSecret>,
}

/// Parses the file's text.
pub fn parse_env(contents: &str) -> Result<ImportedEnv> {
    let mut values = HashMap::new();
    for (index, item) in dotenvy::from_read_iter(contents.as_bytes()).enumerate() {
        // dotenvy's parse errors quote the line, which may hold a token:
        // only the line number is reported.
        let (key, value) = item.map_err(|_| {
            ConnectError::EnvFile(format!("entry {} is not in KEY=value form", index + 1))
        })?;
        let value = value.trim().to_owned();
        if !value.is_empty() {
            values.insert(key, value);
        }
    }
    let take = |key: &str| values.get(key).cloned();
    let mut imported = ImportedEnv {
        access_token: take("DESK_ACCESS_TOKEN").map(AccessToken::new),
        refresh_token: take("ZOHO_REFRESH_TOKEN").map(RefreshToken::new),
        org_id: take("DESK_ORGANIZATION_ID"),
        ..ImportedEnv::default()
    };
    if imported.access_token.is_none() && imported.refresh_token.is_none() {
        return Err(ConnectError::EnvFile(
            "it has neither DESK_ACCESS_TOKEN nor ZOHO_REFRESH_TOKEN".to_owned(),
        ));
    }
    if let Some(org) = &imported.org_id
        && !org.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(ConnectError::EnvFile(
            "DESK_ORGANIZATION_ID is not a number".to_owned(),
        ));
    }
    if let Some(url) = take("DESK_API_URL") {
        imported.desk_api_url = Some(
            BaseUrl::parse(&url)
                .map_err(|e| ConnectError::EnvFile(format!("DESK_API_URL is not usable: {e}")))?,
        );
    }
    match (take("ZOHO_CLIENT_ID"), take("ZOHO_CLIENT_SECRET")) {
        (Some(id), Some(secret)) => {
            let credentials = validate_client(&id, &secret)?;
            imported.client_id = Some(credentials.client_id);
            imported.client_secret = Some(credentials.client_secret);
        }
        (Some(id), None) => imported.client_id = Some(ClientId::new(id.trim())),
        _ => {}
    }
    if imported.refresh_token.is_some() && imported.client_secret.is_none() {
        return Err(ConnectError::EnvFile(
            "ZOHO_REFRESH_TOKEN needs ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET to be renewed"
                .to_owned(),
        ));
    }
    Ok(imported)
}

impl ImportedEnv {
    /// Writes the non-secret part into `settings`: a Desk URL of a known
    /// data centre selects that data centre, any other is kept as an override.
    pub fn apply_to(&self, settings: &mut Settings) {
        if let Some(url) = &self.desk_api_url {
            match DataCentre::ALL
                .iter()
                .find(|dc| dc.desk_api_base == url.as_str())
            {
                Some(dc) => {
                    settings.data_centre = Some(dc.location.to_owned());
                    settings.desk_api_url = None;
                }
                None => settings.desk_api_url = Some(url.to_string()),
            }
        }
        settings.data_centre_detected = false;
        if let Some(id) = &self.client_id {
            settings.client_id = Some(id.as_str().to_owned());
        }
    }

    /// The tokens to install. The access token's expiry is unknown: it is
    /// used until Desk rejects it.
    pub fn tokens(&self) -> StoredTokens {
        StoredTokens {
            access_token: self.access_token.clone(),
            access_expires_at: None,
            refresh_token: self.refresh_token.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_format_is_read_with_quotes_and_comments() {
        let env = parse_env(
            "# from the guide\nDESK_ACCESS_TOKEN=\"1000.abc.def\"\nexport DESK_ORGANIZATION_ID=60001234567\nDESK_API_URL=https://desk.zoho.eu/api/v1\n",
        )
        .unwrap();
        assert_eq!(env.access_token.as_ref().unwrap().expose(), "1000.abc.def");
        assert_eq!(env.org_id.as_deref(), Some("60001234567"));
        let mut settings = Settings::default();
        env.apply_to(&mut settings);
        assert_eq!(settings.data_centre.as_deref(), Some("eu"));
        assert!(settings.desk_api_url.is_none());
        assert!(!format!("{env:?}").contains("abc.def"));
    }

    #[test]
    fn a_file_without_tokens_or_with_an_unrenewable_refresh_token_is_refused() {
        assert!(matches!(
            parse_env("DESK_ORGANIZATION_ID=1\n"),
            Err(ConnectError::EnvFile(_))
        ));
        assert!(matches!(
            parse_env("ZOHO_REFRESH_TOKEN=1000.r.t\n"),
            Err(ConnectError::EnvFile(_))
        ));
        assert!(matches!(
            parse_env("DESK_ACCESS_TOKEN=x\nDESK_API_URL=http://desk.example/api/v1\n"),
            Err(ConnectError::EnvFile(_))
        ));
    }

    #[test]
    fn a_parse_error_does_not_quote_the_line() {
        let err = parse_env("DESK_ACCESS_TOKEN='1000.secret.value\n").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
    }
}
