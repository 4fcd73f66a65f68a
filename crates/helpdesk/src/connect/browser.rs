//! Opening the consent page in the system browser, from Rust (never from
//! the web view), after checking where the URL points.

use url::Url;
use zoho_desk::{BaseUrl, DataCentre};

use super::error::{ConnectError, Result};

/// Opens a URL in the user's browser. The app implements it with
/// `tauri-plugin-opener`, the CLI with [`SystemBrowser`], tests with a
/// stand-in that follows the consent page itself.
pub trait BrowserOpener: Send + Sync {
    /// Opens `url`; returns a short reason on failure (shown to the user).
    fn open(&self, url: &Url) -> std::result::Result<(), String>;
}

/// The platform's opener program (`xdg-open`, `open`, or the Windows URL handler).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &Url) -> std::result::Result<(), String> {
        #[cfg(target_os = "macos")]
        let mut command = std::process::Command::new("open");
        #[cfg(windows)]
        let mut command = {
            // Not `cmd /c start`: cmd would interpret the `&` of the query.
            let mut c = std::process::Command::new("rundll32");
            c.arg("url.dll,FileProtocolHandler");
            c
        };
        #[cfg(not(any(target_os = "macos", windows)))]
        let mut command = std::process::Command::new("xdg-open");
        command
            .arg(url.as_str())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

/// Checks that the consent URL goes to a Zoho Accounts host over https, or
/// to the explicitly configured accounts server (tests, the sandbox), before
/// anything is opened: a misconfiguration must not send the user to
/// another site's sign-in page.
pub fn check_consent_url(url: &Url, accounts_override: Option<&BaseUrl>) -> Result<()> {
    if let Some(base) = accounts_override
        && url.origin() == base.origin()
    {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default();
    if url.scheme() == "https" && url.port().is_none() && DataCentre::is_known_accounts_host(host) {
        Ok(())
    } else {
        Err(ConnectError::UntrustedConsentHost {
            host: host.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_zoho_accounts_hosts_or_the_override_may_be_opened() {
        let zoho = Url::parse("https://accounts.zoho.eu/oauth/v2/auth?x=1").unwrap();
        assert!(check_consent_url(&zoho, None).is_ok());
        for bad in [
            "http://accounts.zoho.eu/oauth/v2/auth",
            "https://accounts.zoho.eu:8443/oauth/v2/auth",
            "https://accounts.zoho.eu.evil.example/oauth/v2/auth",
            "http://127.0.0.1:9/oauth/v2/auth",
        ] {
            let url = Url::parse(bad).unwrap();
            assert!(
                matches!(
                    check_consent_url(&url, None),
                    Err(ConnectError::UntrustedConsentHost { .. })
                ),
                "{bad}"
            );
        }
        let sim = BaseUrl::parse("http://127.0.0.1:9").unwrap();
        let local = Url::parse("http://127.0.0.1:9/oauth/v2/auth").unwrap();
        assert!(check_consent_url(&local, Some(&sim)).is_ok());
        let other_port = Url::parse("http://127.0.0.1:10/oauth/v2/auth").unwrap();
        assert!(check_consent_url(&other_port, Some(&sim)).is_err());
    }
}
