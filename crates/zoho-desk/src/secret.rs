//! Secrets: tokens, the client secret, authorization codes, the PKCE verifier.
//!
//! Each is a newtype whose `Debug` prints `[redacted]` and which has no
//! `Display`, so a secret cannot end up in a log line or an error message by
//! accident. The value is reached only through an explicit `expose()`.
//! Tokens and the client secret implement serde (transparently) so that a
//! [`TokenStore`](crate::TokenStore) can persist them; codes and the PKCE
//! verifier are short-lived and never persisted.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! secret_impl {
    ($name:ident, $what:literal) => {
        impl $name {
            #[doc = concat!("Wraps a ", $what, ".")]
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            #[doc = concat!("The raw ", $what, ". Call it only where the value is sent or stored, never to log it.")]
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

/// A Zoho access token (`1000.xxx.yyy`), sent as `Authorization: Zoho-oauthtoken <token>`.
/// Valid for `expires_in` seconds (an hour at Zoho).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccessToken(String);
secret_impl!(AccessToken, "access token");

/// A Zoho refresh token: does not expire until revoked (contract, "OAuth": Refresh).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RefreshToken(String);
secret_impl!(RefreshToken, "refresh token");

/// The OAuth client secret from the Zoho API console.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientSecret(String);
secret_impl!(ClientSecret, "client secret");

/// A single-use authorization (grant) code, valid about 2 minutes.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthCode(String);
secret_impl!(AuthCode, "authorization code");

/// The PKCE `code_verifier` (RFC 7636 section 4.1) kept between the
/// authorize URL and the code exchange.
#[derive(Clone, PartialEq, Eq)]
pub struct PkceVerifier(String);
secret_impl!(PkceVerifier, "PKCE code verifier");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let shown = format!(
            "{:?} {:?} {:?} {:?} {:?}",
            AccessToken::new("1000.aaa.bbb"),
            RefreshToken::new("1000.ccc.ddd"),
            ClientSecret::new("s3cr3t"),
            AuthCode::new("1000.code"),
            PkceVerifier::new("verifier-value"),
        );
        for secret in ["aaa", "ccc", "s3cr3t", "1000.code", "verifier-value"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("AccessToken([redacted])"));
    }

    #[test]
    fn tokens_serialise_transparently_for_persistence() {
        let token = RefreshToken::new("1000.r.t");
        let json = serde_json::to_string(&token).unwrap();
        assert_eq!(json, "\"1000.r.t\"");
        let back: RefreshToken = serde_json::from_str(&json).unwrap();
        assert_eq!(back.expose(), "1000.r.t");
    }
}
