//! The OAuth client the admin registered in the Zoho API console: the
//! pasted id and secret, checked; the scopes Desk Chat asks for.

use zoho_desk::{ClientCredentials, ClientId, ClientSecret};

use super::error::{ConnectError, Result};

/// The scopes Desk Chat asks for, exactly as sent (comma-separated, as Zoho expects).
pub const SCOPES: &str = "Desk.tickets.READ,Desk.tickets.CREATE,Desk.tickets.UPDATE,Desk.contacts.READ,Desk.contacts.CREATE,Desk.basic.READ,Desk.search.READ,Desk.articles.READ";

/// Name of the department chat tickets go to, matched case-insensitively.
pub const SUPPORT_DEPARTMENT: &str = "Support";
/// Name of the department callback tickets go to.
pub const CALLBACKS_DEPARTMENT: &str = "Callbacks";

/// Checks and trims a pasted client id and secret.
///
/// Zoho client ids look like `1000.` followed by upper-case letters and
/// digits; secrets are letters and digits. Whitespace around them (a
/// copy from a web page) is removed; inside, it is an error.
pub fn validate_client(client_id: &str, client_secret: &str) -> Result<ClientCredentials> {
    let id = client_id.trim();
    let secret = client_secret.trim();
    let Some(rest) = id.strip_prefix("1000.") else {
        return Err(ConnectError::InvalidClientId {
            reason: "it does not start with `1000.`",
        });
    };
    if rest.len() < 10 || rest.len() > 64 {
        return Err(ConnectError::InvalidClientId {
            reason: "it is too short or too long",
        });
    }
    if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ConnectError::InvalidClientId {
            reason: "it contains characters other than letters and digits",
        });
    }
    if secret.len() < 10 || secret.len() > 128 {
        return Err(ConnectError::InvalidClientSecret {
            reason: "it is too short or too long",
        });
    }
    if !secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    {
        return Err(ConnectError::InvalidClientSecret {
            reason: "it contains spaces or unexpected characters",
        });
    }
    Ok(ClientCredentials::new(
        ClientId::new(id),
        ClientSecret::new(secret),
    ))
}

pub(super) fn scope_list() -> Vec<&'static str> {
    SCOPES.split(',').collect()
}

/// What the wizard submits to start consent.
#[derive(Clone, Default)]
pub struct ConsentRequest {
    /// As pasted (trimmed and checked here).
    pub client_id: String,
    /// As pasted (trimmed and checked here).
    pub client_secret: String,
    /// The chosen data centre's `location` (`None`: keep the saved one).
    pub data_centre: Option<String>,
    /// The registered redirect port (`None`: keep the saved one).
    pub redirect_port: Option<u16>,
}

impl std::fmt::Debug for ConsentRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentRequest")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("data_centre", &self.data_centre)
            .field("redirect_port", &self.redirect_port)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_id_and_secret_are_trimmed_and_checked() {
        let creds = validate_client(
            "  1000.DESKSIMDEVCLIENT0000000000000 \n",
            "\t0d5e1c3a9f8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c ",
        )
        .unwrap();
        assert_eq!(
            creds.client_id.as_str(),
            "1000.DESKSIMDEVCLIENT0000000000000"
        );
        assert_eq!(
            creds.client_secret.expose(),
            "0d5e1c3a9f8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c"
        );
        for bad in [
            "DESKSIM",
            "1000.",
            "1000.ABC",
            "1000.ABC DEF GHI JKL",
            "2000.ABCDEFGHIJKL",
        ] {
            assert!(
                matches!(
                    validate_client(bad, "0123456789abcdef"),
                    Err(ConnectError::InvalidClientId { .. })
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            validate_client("1000.ABCDEFGHIJKL", "short"),
            Err(ConnectError::InvalidClientSecret { .. })
        ));
        assert!(matches!(
            validate_client("1000.ABCDEFGHIJKL", "0123456789 abcdef"),
            Err(ConnectError::InvalidClientSecret { .. })
        ));
    }

    #[test]
    fn scopes_are_exactly_the_eight_desk_chat_needs() {
        assert_eq!(scope_list().len(), 8);
        assert_eq!(
            SCOPES,
            "Desk.tickets.READ,Desk.tickets.CREATE,Desk.tickets.UPDATE,Desk.contacts.READ,Desk.contacts.CREATE,Desk.basic.READ,Desk.search.READ,Desk.articles.READ"
        );
    }
}
