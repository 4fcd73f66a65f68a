//! Phone numbers: parsed and validated by the `phonenumber` crate (a port of
//! Google's libphonenumber and its metadata) and normalised to E.164
//! ("+493012345678"). A number without a country code is read in the
//! person's default region.

use phonenumber::Mode;
use phonenumber::country::Id as Region;

/// More characters than any way of writing a phone number needs.
const MAX_PHONE_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("I didn't get a phone number there.")]
    Empty,
    #[error("A phone number should only have digits (and maybe +, spaces, dashes or brackets).")]
    NotANumber,
    #[error("That phone number looks too short.")]
    TooShort,
    #[error("That phone number looks too long.")]
    TooLong,
    #[error(
        "That doesn't look like a valid phone number for {region}. If it's from another country, please start with + and the country code."
    )]
    Invalid { region: String },
}

/// Checks a phone number and returns it in E.164. Only digits, spaces, `+`
/// (first), `-`, `.`, `/` and brackets are accepted before the number goes to
/// `phonenumber`: letters ("call 555-HELP") and extensions are refused, which
/// also keeps odd text away from the parser.
pub fn normalize_phone(text: &str, region: Region) -> Result<String, PhoneError> {
    let text = text.trim();
    let text = text
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("tel:"))
        .map_or(text, |_| text[4..].trim_start());
    if text.is_empty() {
        return Err(PhoneError::Empty);
    }
    if text.chars().count() > MAX_PHONE_CHARS {
        return Err(PhoneError::TooLong);
    }
    let allowed =
        |(i, c): (usize, char)| c.is_ascii_digit() || " -./()".contains(c) || (c == '+' && i == 0);
    if !text.char_indices().all(allowed) {
        return Err(PhoneError::NotANumber);
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if digits < 5 {
        return Err(PhoneError::TooShort);
    }
    if digits > 17 {
        return Err(PhoneError::TooLong);
    }
    let invalid = || PhoneError::Invalid {
        region: region.as_ref().to_string(),
    };
    // A number written with "+" carries its country; the default region is
    // left out so it cannot change the reading (with it, `phonenumber` 0.3
    // accepts "+4702000000" for a US default and refuses it for GB).
    let default_region = (!text.starts_with('+')).then_some(region);
    let number = phonenumber::parse(default_region, text).map_err(|_| invalid())?;
    if !number.is_valid() {
        return Err(invalid());
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_numbers_become_e164() {
        let table = [
            ("030 12345678", Region::DE, "+493012345678"),
            ("+49 30 12345678", Region::DE, "+493012345678"),
            ("0049 30 12345678", Region::DE, "+493012345678"),
            ("0151 23456789", Region::DE, "+4915123456789"),
            ("(201) 555-0123", Region::US, "+12015550123"),
            ("201.555.0123", Region::US, "+12015550123"),
            ("+44 20 7946 0958", Region::US, "+442079460958"),
            ("tel:+49-30-12345678", Region::US, "+493012345678"),
        ];
        for (typed, region, expected) in table {
            assert_eq!(
                normalize_phone(typed, region),
                Ok(expected.to_string()),
                "{typed}"
            );
        }
    }

    #[test]
    fn a_number_with_a_plus_reads_the_same_whatever_the_default_region() {
        let reading = |region| normalize_phone("+4702000000", region);
        assert_eq!(reading(Region::US), reading(Region::GB));
        assert_eq!(reading(Region::DE), reading(Region::GB));
    }

    #[test]
    fn refuses_what_is_not_a_phone_number_with_a_reason() {
        assert_eq!(normalize_phone("  ", Region::DE), Err(PhoneError::Empty));
        assert_eq!(
            normalize_phone("call 555-HELP", Region::US),
            Err(PhoneError::NotANumber)
        );
        assert_eq!(
            normalize_phone("123", Region::DE),
            Err(PhoneError::TooShort)
        );
        assert_eq!(
            normalize_phone("1234567890123456789", Region::DE),
            Err(PhoneError::TooLong)
        );
        assert_eq!(
            normalize_phone("12345", Region::US),
            Err(PhoneError::Invalid {
                region: "US".into()
            })
        );
        assert_eq!(
            normalize_phone("49+30", Region::DE),
            Err(PhoneError::NotANumber)
        );
    }
}
