//! The consent redirect: `?code=..&location=in&accounts-server=https%3A%2F%2Faccounts.zoho.in&state=..`
//! or `?error=access_denied` / `?error=no_org` (contract, "OAuth": Callback).
//!
//! Checks, in order: the `state` (constant-time compare, RFC 6749 section
//! 10.12), the `error`, the `code`, and the `accounts-server`, which is
//! trusted only when its host is a Zoho data centre (or equals the base URL
//! explicitly configured for tests and the sandbox): the defence against
//! the mix-up attack of RFC 9700 section 4.4.

use url::Url;
use url::form_urlencoded;

use crate::base_url::BaseUrl;
use crate::dc::DataCentre;
use crate::error::{Error, Result};
use crate::oauth::OAuthState;
use crate::secret::AuthCode;

/// Which accounts servers a callback may name.
#[derive(Debug, Clone, Default)]
pub struct CallbackTrust {
    override_base: Option<BaseUrl>,
}

impl CallbackTrust {
    /// Only the hosts of the data-centre table.
    pub fn zoho_only() -> Self {
        Self::default()
    }

    /// The table, plus one explicitly configured accounts base (a loopback
    /// simulator, the sandbox). Matched by scheme, host and port.
    pub fn with_override(base: BaseUrl) -> Self {
        Self {
            override_base: Some(base),
        }
    }

    /// Whether `url` may be used as the accounts server, and as which base.
    fn accept(&self, url: &Url) -> Option<BaseUrl> {
        if let Some(base) = &self.override_base
            && url.origin() == base.origin()
        {
            return Some(base.clone());
        }
        let host = url.host_str()?;
        if url.scheme() == "https"
            && url.port().is_none()
            && DataCentre::is_known_accounts_host(host)
        {
            return BaseUrl::parse(&format!("https://{}", host.to_ascii_lowercase())).ok();
        }
        None
    }
}

/// A successful, checked callback.
#[derive(Debug, Clone)]
pub struct Callback {
    /// The single-use authorization code (about 2 minutes).
    pub code: AuthCode,
    /// The `location` parameter, as sent.
    pub location: Option<String>,
    /// The data centre named by `location` (or by the accounts host).
    pub data_centre: Option<&'static DataCentre>,
    /// Where to exchange the code: the trusted `accounts-server`.
    pub accounts_base: BaseUrl,
}

impl Callback {
    /// The Desk API base for this user's data centre (from `location`,
    /// never from the token reply's `api_domain`).
    pub fn desk_api_base(&self) -> Option<&'static str> {
        self.data_centre.map(|dc| dc.desk_api_base)
    }
}

/// Parses the redirect URL (or just its query, with or without `?`) and
/// checks it against the `expected` state.
pub fn parse_callback(
    input: &str,
    expected: &OAuthState,
    trust: &CallbackTrust,
) -> Result<Callback> {
    let input = input.trim();
    let query = match Url::parse(input) {
        Ok(url) => url.query().unwrap_or_default().to_owned(),
        Err(_) => input.trim_start_matches('?').to_owned(),
    };
    let mut params = Params::default();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match key.as_ref() {
            "code" => &mut params.code,
            "state" => &mut params.state,
            "error" => &mut params.error,
            "location" => &mut params.location,
            "accounts-server" => &mut params.accounts_server,
            _ => continue,
        };
        // A repeated parameter is ambiguous: keep the first, never the last.
        slot.get_or_insert_with(|| value.into_owned());
    }

    if let Some(state) = &params.state
        && !constant_time_eq(state.as_bytes(), expected.as_str().as_bytes())
    {
        return Err(Error::StateMismatch);
    }
    if let Some(error) = params.error {
        return Err(match error.as_str() {
            "access_denied" => Error::AccessDenied,
            "no_org" => Error::NoOrg,
            _ => Error::AuthorizationFailed { error },
        });
    }
    if params.state.is_none() {
        return Err(Error::MissingParameter("state"));
    }
    let code = params
        .code
        .filter(|c| !c.is_empty())
        .ok_or(Error::MissingParameter("code"))?;

    let location_dc = params.location.as_deref().and_then(DataCentre::by_location);
    let accounts_base = match &params.accounts_server {
        Some(server) => {
            let url = Url::parse(server).map_err(|_| Error::UntrustedHost {
                host: server.clone(),
            })?;
            let base = trust.accept(&url).ok_or_else(|| Error::UntrustedHost {
                host: url.host_str().unwrap_or(server).to_owned(),
            })?;
            // A known accounts host must agree with `location`.
            if let (Some(by_host), Some(by_location)) =
                (DataCentre::by_accounts_host(&base.host()), location_dc)
                && by_host != by_location
            {
                return Err(Error::UntrustedHost { host: base.host() });
            }
            base
        }
        None => match (location_dc, &trust.override_base) {
            (_, Some(base)) => base.clone(),
            (Some(dc), None) => BaseUrl::parse(&dc.accounts_base())?,
            (None, None) => return Err(Error::MissingParameter("accounts-server")),
        },
    };
    let data_centre = location_dc.or_else(|| DataCentre::by_accounts_host(&accounts_base.host()));
    Ok(Callback {
        code: AuthCode::new(code),
        location: params.location,
        data_centre,
        accounts_base,
    })
}

#[derive(Default)]
struct Params {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    location: Option<String>,
    accounts_server: Option<String>,
}

/// Compares in time that depends on the length only, not on where the
/// first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> OAuthState {
        OAuthState::new("abc_DEF-123")
    }

    #[test]
    fn a_good_callback_names_code_dc_and_accounts_server() {
        let cb = parse_callback(
            "http://localhost:8000/callback?code=1000.xyz&location=in&accounts-server=https%3A%2F%2Faccounts.zoho.in&state=abc_DEF-123",
            &state(),
            &CallbackTrust::zoho_only(),
        )
        .unwrap();
        assert_eq!(cb.code.expose(), "1000.xyz");
        assert_eq!(cb.location.as_deref(), Some("in"));
        assert_eq!(cb.accounts_base.as_str(), "https://accounts.zoho.in");
        assert_eq!(cb.desk_api_base(), Some("https://desk.zoho.in/api/v1"));
    }

    #[test]
    fn a_bare_query_is_accepted_too() {
        let cb = parse_callback(
            "?state=abc_DEF-123&code=c&location=eu",
            &state(),
            &CallbackTrust::zoho_only(),
        )
        .unwrap();
        assert_eq!(cb.accounts_base.as_str(), "https://accounts.zoho.eu");
        let cb = parse_callback(
            "state=abc_DEF-123&code=c&location=eu",
            &state(),
            &CallbackTrust::zoho_only(),
        )
        .unwrap();
        assert_eq!(cb.code.expose(), "c");
    }

    #[test]
    fn state_mismatch_and_missing_state_are_rejected() {
        let err = parse_callback(
            "?code=c&state=other&location=us",
            &state(),
            &CallbackTrust::zoho_only(),
        );
        assert!(matches!(err, Err(Error::StateMismatch)));
        let err = parse_callback(
            "?code=c&state=abc_DEF-12&location=us",
            &state(),
            &CallbackTrust::zoho_only(),
        );
        assert!(matches!(err, Err(Error::StateMismatch)));
        let err = parse_callback("?code=c&location=us", &state(), &CallbackTrust::zoho_only());
        assert!(matches!(err, Err(Error::MissingParameter("state"))));
        let err = parse_callback(
            "?state=abc_DEF-123&location=us",
            &state(),
            &CallbackTrust::zoho_only(),
        );
        assert!(matches!(err, Err(Error::MissingParameter("code"))));
    }

    #[test]
    fn errors_from_the_consent_page_are_typed() {
        let trust = CallbackTrust::zoho_only();
        assert!(matches!(
            parse_callback("?error=access_denied&state=abc_DEF-123", &state(), &trust),
            Err(Error::AccessDenied)
        ));
        assert!(matches!(
            parse_callback("?error=no_org", &state(), &trust),
            Err(Error::NoOrg)
        ));
        assert!(matches!(
            parse_callback("?error=server_error&state=abc_DEF-123", &state(), &trust),
            Err(Error::AuthorizationFailed { .. })
        ));
        // A forged error with a wrong state is a state mismatch.
        assert!(matches!(
            parse_callback("?error=no_org&state=x", &state(), &trust),
            Err(Error::StateMismatch)
        ));
    }

    #[test]
    fn untrusted_accounts_servers_are_rejected() {
        let trust = CallbackTrust::zoho_only();
        for server in [
            "https://accounts.zoho.in.evil.example",
            "https://evil.example",
            "http://accounts.zoho.in",
            "https://accounts.zoho.in:8443",
            "http://127.0.0.1:9000",
            "not a url",
        ] {
            let q = format!(
                "?code=c&state=abc_DEF-123&accounts-server={}",
                form_urlencoded::byte_serialize(server.as_bytes()).collect::<String>()
            );
            assert!(
                matches!(
                    parse_callback(&q, &state(), &trust),
                    Err(Error::UntrustedHost { .. })
                ),
                "{server}"
            );
        }
        // location and accounts-server must agree.
        let q =
            "?code=c&state=abc_DEF-123&location=us&accounts-server=https%3A%2F%2Faccounts.zoho.in";
        assert!(matches!(
            parse_callback(q, &state(), &trust),
            Err(Error::UntrustedHost { .. })
        ));
    }

    #[test]
    fn the_configured_override_is_trusted_exactly() {
        let sim = BaseUrl::parse("http://127.0.0.1:9000").unwrap();
        let trust = CallbackTrust::with_override(sim);
        let ok =
            "?code=c&state=abc_DEF-123&location=us&accounts-server=http%3A%2F%2F127.0.0.1%3A9000";
        assert_eq!(
            parse_callback(ok, &state(), &trust)
                .unwrap()
                .accounts_base
                .as_str(),
            "http://127.0.0.1:9000"
        );
        let other_port = "?code=c&state=abc_DEF-123&accounts-server=http%3A%2F%2F127.0.0.1%3A9001";
        assert!(matches!(
            parse_callback(other_port, &state(), &trust),
            Err(Error::UntrustedHost { .. })
        ));
    }

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
