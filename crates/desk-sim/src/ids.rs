//! Tokens, codes and ids shaped like Zoho's.

use rand::Rng;

/// 32 random lowercase hex digits.
pub(crate) fn random_hex32() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token or grant code as Zoho shapes them: `1000.<32 hex>.<32 hex>`.
pub(crate) fn zoho_token() -> String {
    format!("1000.{}.{}", random_hex32(), random_hex32())
}

/// Whether `s` is a decimal id (Zoho ids are 16 to 19 digits; any digits accepted here).
pub(crate) fn is_decimal_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_look_like_zohos() {
        let t = zoho_token();
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], "1000");
        assert!(
            parts[1..]
                .iter()
                .all(|p| p.len() == 32 && p.bytes().all(|b| b.is_ascii_hexdigit()))
        );
        assert_ne!(zoho_token(), t);
    }
}
