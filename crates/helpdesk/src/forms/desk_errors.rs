//! Desk's own refusals (`errors[]` of a 422, `fieldName` a JSON pointer
//! into the `POST /tickets` body) put back on the form field they name, so
//! the agent sees Desk's words next to the right input.
//!
//! What it is not: local validation (`input.rs`).

use crate::compose::ItemKind;
use crate::outbox::ItemFieldError;

use super::input::{FieldError, FormField};

/// The form field a Desk `fieldName` names, for a ticket or a callback
/// (whose subject and due date come from its time, and its description
/// from the note).
pub fn field_of(pointer: &str, kind: ItemKind) -> FormField {
    let path = pointer.trim().trim_start_matches('/');
    let (head, rest) = path.split_once('/').unwrap_or((path, ""));
    let callback = kind == ItemKind::Callback;
    match (head, rest) {
        ("contact", "email" | "secondaryEmail") | ("email", _) => FormField::Email,
        ("contact", "phone" | "mobile") | ("phone", _) => FormField::Phone,
        ("contact", _) | ("contactId", _) => FormField::Name,
        ("subject", _) if callback => FormField::When,
        ("subject", _) => FormField::Subject,
        ("description", _) if callback => FormField::Note,
        ("description", _) => FormField::Description,
        ("departmentId", _) => FormField::Department,
        ("priority", _) => FormField::Priority,
        ("status", _) => FormField::Status,
        ("channel", _) => FormField::Channel,
        ("dueDate", _) if callback => FormField::When,
        ("dueDate", _) => FormField::DueDate,
        ("uploads", _) | ("attachments", _) => FormField::Attachments,
        _ => FormField::Form,
    }
}

/// Desk's `errors[]` as form field errors, in Desk's words.
pub fn map_desk_errors(errors: &[ItemFieldError], kind: ItemKind) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            let message = if e.message.trim().is_empty() {
                match e.kind.as_str() {
                    "missing" => "Zoho Desk needs this field.".to_owned(),
                    "duplicate" => "Zoho Desk already has this value.".to_owned(),
                    _ => "Zoho Desk did not accept this value.".to_owned(),
                }
            } else {
                format!("Zoho Desk: {}", e.message.trim())
            };
            FieldError::new(field_of(&e.field, kind), message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_pointers_land_on_the_fields_they_name() {
        let t = ItemKind::Ticket;
        for (pointer, field) in [
            ("/contact/email", FormField::Email),
            ("/email", FormField::Email),
            ("/contact/lastName", FormField::Name),
            ("/contact/phone", FormField::Phone),
            ("/phone", FormField::Phone),
            ("/departmentId", FormField::Department),
            ("/subject", FormField::Subject),
            ("/dueDate", FormField::DueDate),
            ("/priority", FormField::Priority),
            ("/status", FormField::Status),
            ("/channel", FormField::Channel),
            ("/cf/cf_x", FormField::Form),
            ("orgId", FormField::Form),
        ] {
            assert_eq!(field_of(pointer, t), field, "{pointer}");
        }
        assert_eq!(field_of("/dueDate", ItemKind::Callback), FormField::When);
        assert_eq!(
            field_of("/description", ItemKind::Callback),
            FormField::Note
        );
    }

    #[test]
    fn desks_words_are_kept() {
        let mapped = map_desk_errors(
            &[ItemFieldError {
                field: "/contact/email".into(),
                kind: "invalid".into(),
                message: "Not a deliverable address".into(),
            }],
            ItemKind::Ticket,
        );
        assert_eq!(mapped[0].field, FormField::Email);
        assert_eq!(mapped[0].message, "Zoho Desk: Not a deliverable address");
    }
}
