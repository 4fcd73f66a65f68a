//! Identifier newtypes.
//!
//! Desk ids are decimal strings of 16 to 19 digits (contract, "General
//! shapes"). They are kept as strings (never `u64` arithmetic, and a 19-digit
//! id would not survive a JSON number in JavaScript). Every id deserialises
//! from a string *or* a number, because the organization id is known to
//! arrive as a number.
//!
//! `new` accepts any text (like `oauth2`'s newtypes), so that tests can send
//! what Zoho must reject; `parse` checks the shape for values typed by people.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

macro_rules! desk_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value as is, without checking it.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// Checks that `value` is a Desk id (decimal digits only), as a
            /// department *name* like "Support" is rejected by Desk.
            pub fn parse(value: &str) -> Result<Self> {
                let value = value.trim();
                if is_decimal_id(value) {
                    Ok(Self(value.to_owned()))
                } else {
                    Err(Error::InvalidId { kind: $what, value: value.to_owned() })
                }
            }

            /// The id as sent to Desk.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                deserializer.deserialize_any(IdVisitor($what)).map(Self)
            }
        }
    };
}

fn is_decimal_id(value: &str) -> bool {
    !value.is_empty() && value.len() <= 25 && value.bytes().all(|b| b.is_ascii_digit())
}

/// Accepts a JSON string or integer and yields its decimal text.
struct IdVisitor(&'static str);

impl Visitor<'_> for IdVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} as a string or an integer", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<String, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> std::result::Result<String, E> {
        Ok(v.to_string())
    }
}

desk_id!(
    /// A Desk organization (portal) id, sent in the `orgId` header.
    OrgId,
    "organization id"
);
desk_id!(
    /// A Desk department id. The department *name* is not accepted by Desk.
    DepartmentId,
    "department id"
);
desk_id!(
    /// A Desk contact id.
    ContactId,
    "contact id"
);
desk_id!(
    /// A Desk ticket id (not the ticket *number* shown to people).
    TicketId,
    "ticket id"
);
desk_id!(
    /// A ticket comment id.
    CommentId,
    "comment id"
);
desk_id!(
    /// A ticket attachment id.
    AttachmentId,
    "attachment id"
);
desk_id!(
    /// A knowledge-base article id.
    ArticleId,
    "article id"
);

/// The OAuth client id from the Zoho API console. Not a secret (it appears
/// in the authorize URL), shared by every data centre.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(String);

impl ClientId {
    /// Wraps a client id such as `1000.ABCDEF`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The id as sent to Zoho Accounts.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_id_deserialises_from_number_and_string() {
        let from_number: OrgId = serde_json::from_str("60001234567").unwrap();
        let from_string: OrgId = serde_json::from_str("\"60001234567\"").unwrap();
        assert_eq!(from_number, from_string);
        assert_eq!(from_number.as_str(), "60001234567");
    }

    #[test]
    fn nineteen_digit_ids_survive_as_numbers_and_strings() {
        let id: TicketId = serde_json::from_str("1329983000000431001").unwrap();
        assert_eq!(id.as_str(), "1329983000000431001");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"1329983000000431001\""
        );
    }

    #[test]
    fn parse_rejects_a_department_name() {
        assert!(DepartmentId::parse("1329983000000006907").is_ok());
        let err = DepartmentId::parse("Support").unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidId {
                kind: "department id",
                ..
            }
        ));
    }
}
