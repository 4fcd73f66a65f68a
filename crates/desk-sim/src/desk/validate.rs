//! Checking JSON request bodies the way Desk does: every problem is collected
//! into `errors[]` with a JSON-pointer `fieldName` and `missing`/`invalid`.

use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use crate::clock::is_zoho_time;
use crate::errors::{DeskError, DeskResult, FieldError};
use crate::ids::is_decimal_id;

/// The body as a JSON object; Desk takes `application/json` only.
pub(crate) fn json_object(headers: &HeaderMap, body: &[u8]) -> DeskResult<Map<String, Value>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .trim()
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(DeskError::unsupported_media_type("application/json"));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(DeskError::unprocessable(
            "The request body is not a valid JSON object.",
            vec![FieldError::invalid("/", "The body must be a JSON object")],
        )),
    }
}

/// Reads fields of one JSON object, collecting errors instead of stopping.
pub(crate) struct Checker<'a> {
    map: &'a Map<String, Value>,
    prefix: &'static str,
    pub errors: Vec<FieldError>,
}

impl<'a> Checker<'a> {
    /// `prefix` is the pointer of the object itself (`""` for the body,
    /// `"/contact"` for a nested object). Keys not in `allowed` are errors.
    pub(crate) fn new(map: &'a Map<String, Value>, prefix: &'static str, allowed: &[&str]) -> Self {
        let mut checker = Self {
            map,
            prefix,
            errors: Vec::new(),
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let message = format!("An extra parameter '{key}' is found");
                checker
                    .errors
                    .push(FieldError::invalid(&checker.pointer(key), message));
            }
        }
        checker
    }

    pub(crate) fn pointer(&self, key: &str) -> String {
        format!("{}/{key}", self.prefix)
    }

    fn invalid(&mut self, key: &str, message: impl Into<String>) {
        let pointer = self.pointer(key);
        self.errors.push(FieldError::invalid(&pointer, message));
    }

    /// Whether the key is in the object at all (even as `null`).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Whether the key holds something other than `null`.
    pub(crate) fn present(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    /// An optional string of at most `max_chars` characters (`null` is absent).
    pub(crate) fn string(&mut self, key: &str, max_chars: usize) -> Option<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.chars().count() <= max_chars => Some(s.clone()),
            Some(Value::String(_)) => {
                self.invalid(
                    key,
                    format!("The value exceeds the maximum length of {max_chars}"),
                );
                None
            }
            Some(_) => {
                self.invalid(key, "The value must be a string");
                None
            }
        }
    }

    /// A required, non-blank string.
    pub(crate) fn required_string(&mut self, key: &str, max_chars: usize) -> Option<String> {
        let before = self.errors.len();
        let value = self.string(key, max_chars);
        match value {
            Some(s) if !s.trim().is_empty() => Some(s),
            _ if self.errors.len() > before => None,
            _ => {
                let pointer = self.pointer(key);
                self.errors
                    .push(FieldError::missing(&pointer, format!("{key} is required")));
                None
            }
        }
    }

    /// A string from a fixed list of values (exact case, as Desk's picklists).
    pub(crate) fn one_of(&mut self, key: &str, values: &[&str]) -> Option<String> {
        let s = self.string(key, 255)?;
        if values.contains(&s.as_str()) {
            Some(s)
        } else {
            self.invalid(
                key,
                format!("The value must be one of: {}", values.join(", ")),
            );
            None
        }
    }

    pub(crate) fn email(&mut self, key: &str) -> Option<String> {
        let s = self.string(key, 100)?;
        if is_email(&s) {
            Some(s)
        } else {
            self.invalid(key, "The value is not a valid email address");
            None
        }
    }

    /// A decimal id given as a string.
    pub(crate) fn id(&mut self, key: &str) -> Option<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if is_decimal_id(s) => Some(s.clone()),
            Some(_) => {
                self.invalid(key, "The value must be a numeric id given as a string");
                None
            }
        }
    }

    /// A timestamp in Zoho's format, `2026-06-11T16:12:11.000Z`.
    pub(crate) fn time(&mut self, key: &str) -> Option<String> {
        let s = self.string(key, 64)?;
        if is_zoho_time(&s) {
            Some(s)
        } else {
            self.invalid(
                key,
                "The value must be a date-time like 2026-06-11T16:12:11.000Z",
            );
            None
        }
    }

    pub(crate) fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.invalid(key, "The value must be true or false");
                None
            }
        }
    }

    /// An array of decimal ids given as strings.
    pub(crate) fn id_list(&mut self, key: &str) -> Option<Vec<String>> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let ids: Vec<String> = items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if ids.len() == items.len() && ids.iter().all(|s| is_decimal_id(s)) {
                    Some(ids)
                } else {
                    self.invalid(
                        key,
                        "The value must be an array of numeric ids given as strings",
                    );
                    None
                }
            }
            Some(_) => {
                self.invalid(key, "The value must be an array");
                None
            }
        }
    }

    /// Custom fields: `{"cf_<api_name>": value}`; values are kept as strings,
    /// as Desk returns them.
    pub(crate) fn custom_fields(&mut self, key: &str) -> Option<Map<String, Value>> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(fields)) => {
                let mut out = Map::new();
                for (name, value) in fields {
                    let pointer = format!("{}/{key}/{name}", self.prefix);
                    let good_name = name.strip_prefix("cf_").is_some_and(|rest| {
                        !rest.is_empty()
                            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    });
                    if !good_name {
                        self.errors.push(FieldError::invalid(
                            &pointer,
                            "Custom field names look like cf_<api_name>",
                        ));
                        continue;
                    }
                    let value = match value {
                        Value::Null => Value::Null,
                        Value::String(s) => Value::String(s.clone()),
                        Value::Number(n) => Value::String(n.to_string()),
                        Value::Bool(b) => Value::String(b.to_string()),
                        _ => {
                            self.errors.push(FieldError::invalid(
                                &pointer,
                                "A custom field value must be a string, number or boolean",
                            ));
                            continue;
                        }
                    };
                    out.insert(name.clone(), value);
                }
                Some(out)
            }
            Some(_) => {
                self.invalid(key, "The value must be an object");
                None
            }
        }
    }

    /// A nested object (`None` when absent or null; an error when not an object).
    pub(crate) fn object(&mut self, key: &str) -> Option<&'a Map<String, Value>> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => {
                self.invalid(key, "The value must be an object");
                None
            }
        }
    }

    /// The collected errors as a 422 `UNPROCESSABLE_ENTITY`, if any.
    pub(crate) fn finish(self) -> DeskResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(DeskError::validation(self.errors))
        }
    }
}

/// A plain email check: one `@`, something before it, a dotted domain, no spaces.
pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(is_email("ann@example.com"));
        assert!(!is_email("ann@example"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("ann example@example.com"));
        assert!(!is_email("ann@@example.com"));
    }

    #[test]
    fn the_checker_collects_every_error_with_a_pointer() {
        let body = json!({"subject": "", "priority": "Urgent", "extra": 1, "cf": {"bad": "x"}});
        let map = body.as_object().unwrap();
        let mut c = Checker::new(map, "", &["subject", "priority", "cf"]);
        c.required_string("subject", 255);
        c.one_of("priority", &["High", "Medium", "Low"]);
        c.custom_fields("cf");
        let names: Vec<&str> = c.errors.iter().map(|e| e.field_name.as_str()).collect();
        assert_eq!(names, ["/extra", "/subject", "/priority", "/cf/bad"]);
        assert_eq!(c.errors[1].error_type, "missing");
    }
}
