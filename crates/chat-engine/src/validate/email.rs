//! Email addresses: syntax by the `email_address` crate (RFC 5322 / 5321),
//! plus a "did you mean …?" for typos of common mail domains.

use email_address::{EmailAddress, Options};

/// Mail domains common enough that a near miss is most likely a typo.
pub const COMMON_EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.de",
    "ymail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.de",
    "outlook.com",
    "outlook.de",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    "t-online.de",
    "mail.com",
    "zoho.com",
    "zohomail.com",
    "yandex.com",
    "comcast.net",
    "verizon.net",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("I didn't get an email address there.")]
    Empty,
    #[error("That doesn't look like an email address: it needs an @, like name@example.com.")]
    MissingAt,
    #[error("An email address can't contain spaces. Please type just the address.")]
    HasSpaces,
    #[error("The part after the @ should be a domain, like example.com.")]
    BadDomain,
    #[error("That email address doesn't look right. Please check it (like name@example.com).")]
    Invalid,
}

/// Checks an email address and returns it normalised: surrounding spaces,
/// `mailto:`, angle brackets and a final full stop removed, the domain in
/// lower case (the local part is kept as typed: it may be case-sensitive).
/// A lead-in such as "my email is" or "it's" is skipped; other spaces are
/// refused rather than guessed around ("ann lee@example.com" is not read as
/// "lee@example.com").
/// Quoted local parts, comments and IP-address domains are refused: they are
/// valid RFC 5322 but never what a person means in a chat.
pub fn normalize_email(text: &str) -> Result<String, EmailError> {
    let mut candidate = text.trim();
    if candidate.is_empty() {
        return Err(EmailError::Empty);
    }
    candidate = strip_lead_in(candidate);
    if candidate.chars().any(char::is_whitespace) {
        return Err(if candidate.contains('@') {
            EmailError::HasSpaces
        } else {
            EmailError::MissingAt
        });
    }
    if candidate
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        candidate = &candidate[7..];
    }
    let candidate = candidate
        .strip_prefix('<')
        .and_then(|c| c.strip_suffix('>'))
        .unwrap_or(candidate)
        .trim_end_matches(['.', ',', ';']);
    let (local, domain) = candidate.rsplit_once('@').ok_or(EmailError::MissingAt)?;
    if local.is_empty() {
        return Err(EmailError::Invalid);
    }
    if local
        .chars()
        .any(|c| c.is_whitespace() || "\"()<>[]\\,;:".contains(c))
    {
        return Err(EmailError::Invalid);
    }
    let domain = domain.to_lowercase();
    if !plausible_domain(&domain) {
        return Err(EmailError::BadDomain);
    }
    let email = format!("{local}@{domain}");
    let options = Options {
        minimum_sub_domains: 2,
        allow_domain_literal: false,
        allow_display_text: false,
        allow_long_local_parts: false,
    };
    EmailAddress::parse_with_options(&email, options).map_err(|_| EmailError::Invalid)?;
    Ok(email)
}

/// Lead-ins people type before an address, lower case.
const LEAD_INS: &[&str] = &[
    "my email address is",
    "my e-mail address is",
    "my email is",
    "my e-mail is",
    "email address:",
    "email:",
    "e-mail:",
    "it's",
    "it is",
    "its",
    "sure,",
    "sure",
];

fn strip_lead_in(text: &str) -> &str {
    let mut text = text.trim();
    'again: loop {
        for lead in LEAD_INS {
            if let Some(head) = text.get(..lead.len())
                && head.eq_ignore_ascii_case(lead)
                && text[lead.len()..].starts_with(char::is_whitespace)
            {
                text = text[lead.len()..].trim_start();
                continue 'again;
            }
        }
        return text;
    }
}

/// A domain a mail can reach: labels of letters, digits and hyphens, and a
/// top-level label of at least two letters (or an IDN `xn--` label).
fn plausible_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let tld = labels.last().copied().unwrap_or_default();
    let tld_ok = tld.starts_with("xn--")
        || (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    tld_ok
        && labels.iter().all(|l| {
            !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// "ann@gmial.com" -> "ann@gmail.com": the closest of
/// [`COMMON_EMAIL_DOMAINS`] by optimal string alignment distance (a swap of two
/// neighbouring letters counts as one edit), when it is one edit away, or two
/// for domains of nine characters or more, and no other common domain is as
/// close. `None` for a common domain itself and for everything else.
pub fn suggest_email(email: &str) -> Option<String> {
    let (local, domain) = email.rsplit_once('@')?;
    let domain = domain.to_lowercase();
    if COMMON_EMAIL_DOMAINS.contains(&domain.as_str()) {
        return None;
    }
    let allowed = if domain.chars().count() >= 9 { 2 } else { 1 };
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for candidate in COMMON_EMAIL_DOMAINS {
        let distance = strsim::osa_distance(&domain, candidate);
        match best {
            Some((d, _)) if distance == d => tie = true,
            Some((d, _)) if distance > d => {}
            _ => {
                best = Some((distance, candidate));
                tie = false;
            }
        }
    }
    match best {
        Some((distance, candidate)) if distance <= allowed && !tie => {
            Some(format!("{local}@{candidate}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises_ordinary_addresses() {
        let table = [
            ("ann@example.com", "ann@example.com"),
            ("  Ann.Lee@Example.COM ", "Ann.Lee@example.com"),
            ("mailto:ann@example.com", "ann@example.com"),
            ("<ann@example.com>", "ann@example.com"),
            ("ann@example.com.", "ann@example.com"),
            (
                "my email is ann+desk@example.co.uk",
                "ann+desk@example.co.uk",
            ),
            ("It's ann@example.com", "ann@example.com"),
            ("jörg@müller.de", "jörg@müller.de"),
        ];
        for (typed, expected) in table {
            assert_eq!(normalize_email(typed), Ok(expected.to_string()), "{typed}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_address_with_a_reason() {
        let table = [
            ("", EmailError::Empty),
            ("ann", EmailError::MissingAt),
            ("ann at example dot com", EmailError::MissingAt),
            ("ann@example", EmailError::BadDomain),
            ("ann@example.c", EmailError::BadDomain),
            ("ann@[127.0.0.1]", EmailError::BadDomain),
            ("@example.com", EmailError::Invalid),
            ("ann@@example.com", EmailError::Invalid),
            ("a b@example.com", EmailError::HasSpaces),
            ("ann lee@example.com", EmailError::HasSpaces),
            ("\"ann\"@example.com", EmailError::Invalid),
            ("ann@exa mple.com", EmailError::HasSpaces),
        ];
        for (typed, expected) in table {
            assert_eq!(normalize_email(typed), Err(expected), "{typed}");
        }
    }

    #[test]
    fn suggests_the_common_domain_for_a_typo() {
        let table = [
            ("ann@gmial.com", Some("ann@gmail.com")),
            ("ann@gmai.com", Some("ann@gmail.com")),
            ("ann@gnail.com", Some("ann@gmail.com")),
            ("ann@gmail.con", Some("ann@gmail.com")),
            ("ann@hotmial.com", Some("ann@hotmail.com")),
            ("ann@yahooo.com", Some("ann@yahoo.com")),
            ("ann@outlok.com", Some("ann@outlook.com")),
            ("ann@iclod.com", Some("ann@icloud.com")),
            ("ann@gmail.com", None),
            ("ann@example.com", None),
            ("ann@acme.io", None),
        ];
        for (typed, expected) in table {
            assert_eq!(suggest_email(typed).as_deref(), expected, "{typed}");
        }
    }
}
