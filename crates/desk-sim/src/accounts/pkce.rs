//! PKCE verification (RFC 7636 section 4.6).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::grants::{Challenge, ChallengeMethod};

/// Whether `verifier` answers `challenge`.
pub(crate) fn verify(challenge: &Challenge, verifier: &str) -> bool {
    if !is_valid_verifier(verifier) {
        return false;
    }
    match challenge.method {
        ChallengeMethod::Plain => verifier == challenge.value,
        ChallengeMethod::S256 => {
            URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge.value
        }
    }
}

/// 43 to 128 unreserved characters (RFC 7636 section 4.1); challenges share the alphabet.
pub(crate) fn is_valid_verifier(s: &str) -> bool {
    (43..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_the_rfc_7636_example() {
        let challenge = Challenge {
            value: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_owned(),
            method: ChallengeMethod::S256,
        };
        assert!(verify(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!verify(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"
        ));
    }

    #[test]
    fn plain_compares_verbatim_and_short_verifiers_fail() {
        let value = "a".repeat(43);
        let challenge = Challenge {
            value: value.clone(),
            method: ChallengeMethod::Plain,
        };
        assert!(verify(&challenge, &value));
        assert!(!verify(
            &Challenge {
                value: "short".to_owned(),
                method: ChallengeMethod::Plain
            },
            "short"
        ));
    }
}
