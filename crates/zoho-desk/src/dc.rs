//! Zoho data centres (contract, "Hosts per data centre (DC)").
//!
//! The consent redirect names the user's DC twice: `location` (a code such as
//! `in`) and `accounts-server` (a URL). Both come from outside, so they are
//! only trusted when they name a row of this table. The Desk host is chosen
//! from `location`, never from the token reply's `api_domain`.

/// One Zoho data centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataCentre {
    /// Short name, e.g. `"US"`.
    pub name: &'static str,
    /// The `location` value of the consent redirect, e.g. `"us"`.
    pub location: &'static str,
    /// The Zoho Accounts host, e.g. `"accounts.zoho.com"`.
    pub accounts_host: &'static str,
    /// The Desk REST API base, e.g. `"https://desk.zoho.com/api/v1"`.
    pub desk_api_base: &'static str,
    /// `false` where the contract marks the hosts as unconfirmed.
    pub confirmed: bool,
}

impl DataCentre {
    /// Every known data centre.
    pub const ALL: &'static [DataCentre] = &[
        dc(
            "US",
            "us",
            "accounts.zoho.com",
            "https://desk.zoho.com/api/v1",
            true,
        ),
        dc(
            "EU",
            "eu",
            "accounts.zoho.eu",
            "https://desk.zoho.eu/api/v1",
            true,
        ),
        dc(
            "IN",
            "in",
            "accounts.zoho.in",
            "https://desk.zoho.in/api/v1",
            true,
        ),
        dc(
            "AU",
            "au",
            "accounts.zoho.com.au",
            "https://desk.zoho.com.au/api/v1",
            true,
        ),
        dc(
            "JP",
            "jp",
            "accounts.zoho.jp",
            "https://desk.zoho.jp/api/v1",
            true,
        ),
        dc(
            "CA",
            "ca",
            "accounts.zohocloud.ca",
            "https://desk.zohocloud.ca/api/v1",
            true,
        ),
        dc(
            "SA",
            "sa",
            "accounts.zoho.sa",
            "https://desk.zoho.sa/api/v1",
            true,
        ),
        dc(
            "CN",
            "cn",
            "accounts.zoho.com.cn",
            "https://desk.zoho.com.cn/api/v1",
            true,
        ),
        dc(
            "UK",
            "uk",
            "accounts.zoho.uk",
            "https://desk.zoho.uk/api/v1",
            false,
        ),
        dc(
            "SG",
            "sg",
            "accounts.zoho.sg",
            "https://desk.zoho.sg/api/v1",
            false,
        ),
        dc(
            "AE",
            "ae",
            "accounts.zoho.ae",
            "https://desk.zoho.ae/api/v1",
            false,
        ),
    ];

    /// The DC whose `location` code is `location` (case-insensitive).
    pub fn by_location(location: &str) -> Option<&'static DataCentre> {
        let location = location.trim();
        Self::ALL
            .iter()
            .find(|dc| dc.location.eq_ignore_ascii_case(location))
    }

    /// The DC whose accounts host is `host` (case-insensitive, exact host).
    pub fn by_accounts_host(host: &str) -> Option<&'static DataCentre> {
        let host = host.trim_end_matches('.');
        Self::ALL
            .iter()
            .find(|dc| dc.accounts_host.eq_ignore_ascii_case(host))
    }

    /// Whether `host` is the accounts host of a known DC.
    pub fn is_known_accounts_host(host: &str) -> bool {
        Self::by_accounts_host(host).is_some()
    }

    /// `https://<accounts host>`.
    pub fn accounts_base(&self) -> String {
        format!("https://{}", self.accounts_host)
    }
}

const fn dc(
    name: &'static str,
    location: &'static str,
    accounts_host: &'static str,
    desk_api_base: &'static str,
    confirmed: bool,
) -> DataCentre {
    DataCentre {
        name,
        location,
        accounts_host,
        desk_api_base,
        confirmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_location_and_host() {
        let india = DataCentre::by_location("IN").unwrap();
        assert_eq!(india.accounts_host, "accounts.zoho.in");
        assert_eq!(india.desk_api_base, "https://desk.zoho.in/api/v1");
        assert_eq!(india.accounts_base(), "https://accounts.zoho.in");
        assert_eq!(
            DataCentre::by_accounts_host("ACCOUNTS.ZOHOCLOUD.CA")
                .unwrap()
                .location,
            "ca"
        );
        assert_eq!(DataCentre::ALL.len(), 11);
        assert!(DataCentre::by_location("xx").is_none());
    }

    #[test]
    fn only_exact_zoho_hosts_are_known() {
        assert!(DataCentre::is_known_accounts_host("accounts.zoho.com"));
        assert!(!DataCentre::is_known_accounts_host(
            "accounts.zoho.com.evil.example"
        ));
        assert!(!DataCentre::is_known_accounts_host("evilaccounts.zoho.com"));
        assert!(!DataCentre::is_known_accounts_host("www.zohoapis.in"));
    }
}
