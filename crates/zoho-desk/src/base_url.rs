//! Validated base URLs for Zoho Accounts and the Desk API.
//!
//! Base URLs are constructor arguments (DESIGN.md boundary 3), which is what
//! lets tests and the sandbox point the client at `desk-sim`. Anything but a
//! loopback address (127.0.0.0/8, ::1, `localhost`) must be https: a bearer
//! token must never cross a network in clear text.

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

use crate::error::{Error, Result};

/// An absolute `https` URL, or `http` on loopback, without query, fragment
/// or credentials, kept without a trailing slash.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    url: Url,
}

impl BaseUrl {
    /// Parses and checks a base URL such as `https://desk.zoho.in/api/v1` or
    /// `http://127.0.0.1:8123`.
    ///
    /// # Errors
    /// [`Error::InsecureUrl`] for plain http off loopback, [`Error::InvalidUrl`]
    /// for anything that is not a usable base.
    pub fn parse(input: &str) -> Result<Self> {
        let invalid = |reason: &str| Error::InvalidUrl {
            url: input.to_owned(),
            reason: reason.to_owned(),
        };
        let mut url = Url::parse(input.trim()).map_err(|e| invalid(&e.to_string()))?;
        if url.cannot_be_a_base() || url.host().is_none() {
            return Err(invalid("it has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("it must not contain a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not contain a query or fragment"));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(Error::InsecureUrl {
                    url: input.to_owned(),
                });
            }
            _ => return Err(invalid("only https (or http on loopback) is supported")),
        }
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        Ok(Self { url })
    }

    /// The URL of `base` + `path` where `path` is made of fixed segments
    /// (`"tickets/search"`) and `ids` are appended as percent-encoded
    /// segments, so an id can never change the path or add a query.
    pub(crate) fn join(&self, segments: &[&str]) -> Url {
        let mut url = self.url.clone();
        {
            let mut path = url
                .path_segments_mut()
                .expect("checked in parse: base URL has a host");
            path.pop_if_empty();
            for segment in segments {
                path.push(segment);
            }
        }
        url
    }

    /// Scheme, host and port, as the identity of a server.
    pub fn origin(&self) -> url::Origin {
        self.url.origin()
    }

    /// The host name or address.
    pub fn host(&self) -> String {
        self.url.host_str().unwrap_or_default().to_owned()
    }

    /// Whether this points at this machine (tests, the sandbox).
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.url)
    }

    /// The URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.url.as_str().trim_end_matches('/')
    }

    /// The parsed URL.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.as_str())
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for ok in [
            "https://desk.zoho.in/api/v1",
            "https://accounts.zoho.com/",
            "http://127.0.0.1:8123",
            "http://127.5.6.7:1/api/v1/",
            "http://[::1]:9000",
            "http://localhost:8000",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn plain_http_off_loopback_is_rejected() {
        for bad in [
            "http://desk.zoho.com/api/v1",
            "http://10.0.0.1",
            "http://localhost.evil.example",
        ] {
            assert!(
                matches!(BaseUrl::parse(bad), Err(Error::InsecureUrl { .. })),
                "{bad}"
            );
        }
        for bad in [
            "ftp://x.example",
            "not a url",
            "https://u:p@desk.zoho.com",
            "https://desk.zoho.com/?a=1",
        ] {
            assert!(
                matches!(BaseUrl::parse(bad), Err(Error::InvalidUrl { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn join_keeps_the_base_path_and_encodes_ids() {
        let base = BaseUrl::parse("https://desk.zoho.in/api/v1/").unwrap();
        assert_eq!(base.as_str(), "https://desk.zoho.in/api/v1");
        assert_eq!(
            base.join(&["tickets", "123"]).as_str(),
            "https://desk.zoho.in/api/v1/tickets/123"
        );
        assert_eq!(
            base.join(&["tickets", "1/../x?y"]).as_str(),
            "https://desk.zoho.in/api/v1/tickets/1%2F..%2Fx%3Fy"
        );
        let root = BaseUrl::parse("http://127.0.0.1:1").unwrap();
        assert_eq!(
            root.join(&["oauth", "v2", "token"]).as_str(),
            "http://127.0.0.1:1/oauth/v2/token"
        );
    }
}
