//! Table-driven tests of ticket composition.

use super::*;
use chrono::TimeZone;
use serde_json::{Value, json};

fn config() -> ComposeConfig {
    ComposeConfig::new(
        DepartmentId::new("1329983000000006907"),
        DepartmentId::new("1329983000000007907"),
    )
}

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 11, h, m, s).unwrap()
}

fn ticket_draft(issue: &str) -> TicketDraft {
    TicketDraft {
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        email: "ann@example.com".into(),
        phone_e164: "+4915123456789".into(),
        issue: issue.into(),
        transcript: vec![
            Turn {
                at: at(16, 0, 0),
                from: Speaker::Bot,
                text: "Hi! How can I help?".into(),
            },
            Turn {
                at: at(16, 0, 5),
                from: Speaker::Person,
                text: issue.into(),
            },
        ],
    }
}

fn callback_draft() -> CallbackDraft {
    CallbackDraft {
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        phone_e164: "+4915123456789".into(),
        email: None,
        when_utc: at(16, 12, 11),
        when_local_text: "Thursday 11 June 2026, 18:12 (Europe/Berlin)".into(),
        time_zone: "Europe/Berlin".into(),
        note: Some("Ask for <b>Bob</b> & \"friends\"".into()),
        transcript: vec![],
    }
}

fn body(c: &Composed) -> Value {
    serde_json::to_value(&c.request).unwrap()
}

#[test]
fn subject_is_the_first_sentence_on_one_line() {
    let cases: &[(&str, &str)] = &[
        (
            "My invoice is wrong. It shows 3 seats.",
            "My invoice is wrong.",
        ),
        ("Printer on fire!\nPlease hurry", "Printer on fire!"),
        ("Does v1.2 work? I doubt it", "Does v1.2 work?"),
        ("no punctuation at all", "no punctuation at all"),
        ("  line one\nline two  ", "line one line two"),
        ("我的发票错了。还有别的问题", "我的发票错了。"),
        ("مرحبا، الفاتورة خاطئة. شكرا", "مرحبا، الفاتورة خاطئة."),
        ("Login fails 😡👍🏽. Again", "Login fails 😡👍🏽."),
        ("", "Support chat request"),
    ];
    for (issue, want) in cases {
        assert_eq!(subject_from_issue(issue), *want, "issue {issue:?}");
    }
}

#[test]
fn long_subjects_are_cut_to_255_chars_on_a_boundary() {
    let cases: Vec<String> = vec![
        "a".repeat(300),
        "é".repeat(300),
        "😀".repeat(300),
        "👍🏽".repeat(200),
        format!("{}👍🏽👍🏽", "x".repeat(252)),
        "שלום ".repeat(80),
    ];
    for issue in cases {
        let subject = subject_from_issue(&issue);
        assert!(subject.chars().count() <= SUBJECT_MAX_CHARS, "{issue:?}");
        assert!(subject.ends_with('…'));
        let kept = subject.trim_end_matches('…');
        assert!(issue.starts_with(kept), "a prefix of the issue: {kept:?}");
        // No emoji was split from its skin-tone modifier.
        assert!(!kept.ends_with('👍'), "{kept:?}");
    }
    let exact = "b".repeat(255);
    assert_eq!(subject_from_issue(&exact), exact);
}

#[test]
fn html_escaping_table() {
    let cases: &[(&str, &str)] = &[
        (
            "<script>alert(1)</script>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("say \"hi\" 'there'", "say &quot;hi&quot; &#39;there&#39;"),
        ("&amp;", "&amp;amp;"),
        ("emoji 👋🏽 and עברית", "emoji 👋🏽 and עברית"),
        ("", ""),
    ];
    for (raw, want) in cases {
        assert_eq!(escape_html(raw), *want);
    }
}

#[test]
fn ticket_description_escapes_every_person_supplied_character() {
    let issue = "<script>alert('x')</script> & \"quotes\" 👋🏽 שלום";
    let mut draft = ticket_draft(issue);
    draft.last_name = "O'Brien <img src=x>".into();
    let c = compose_ticket(&draft, &config(), ClientRef::new("DC-abc"));
    let description = c.request.description.clone().unwrap();
    assert!(!description.contains("<script>"), "{description}");
    assert!(!description.contains("<img"), "{description}");
    assert!(
        description
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
    );
    assert!(description.contains("O&#39;Brien &lt;img src=x&gt;"));
    assert!(description.contains("👋🏽 שלום"), "emoji and RTL intact");
    assert!(description.contains("<b>Customer:</b>"));
    assert!(description.contains("[2026-06-11 16:00:05 UTC]"));
    // The subject is plain text (Desk does not render it), not escaped.
    assert_eq!(
        c.request.subject,
        "<script>alert('x')</script> & \"quotes\" 👋🏽 שלום"
    );
}

#[test]
fn chat_ticket_has_every_field_desk_needs() {
    let c = compose_ticket(
        &ticket_draft("My invoice is wrong. It shows 3 seats."),
        &config(),
        ClientRef::new("DC-0123456789abcdef0123456789abcdef"),
    );
    assert_eq!(c.kind, ItemKind::Ticket);
    let v = body(&c);
    assert_eq!(v["subject"], "My invoice is wrong.");
    assert_eq!(v["departmentId"], "1329983000000006907");
    assert_eq!(v["priority"], "Medium");
    assert_eq!(v["status"], "Open");
    assert_eq!(v["channel"], "Chat");
    assert_eq!(v["email"], "ann@example.com");
    assert_eq!(v["phone"], "+4915123456789");
    assert_eq!(
        v["contact"],
        json!({"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com", "phone": "+4915123456789"})
    );
    assert!(v.get("dueDate").is_none());
    assert!(v.get("cf").is_none());
    let description = v["description"].as_str().unwrap();
    assert!(
        description.contains("<p>Desk Chat reference: DC-0123456789abcdef0123456789abcdef</p>")
    );
    assert!(description.contains("<b>Email:</b>"));
    assert!(description.contains("Hi! How can I help?"));
}

#[test]
fn reference_goes_in_the_custom_field_when_one_is_mapped() {
    let config = config().with_reference_field("cf_chat_ref");
    let c = compose_ticket(
        &ticket_draft("It broke down. Help"),
        &config,
        ClientRef::new("DC-1"),
    );
    let v = body(&c);
    assert_eq!(v["cf"], json!({"cf_chat_ref": "DC-1"}));
    assert!(!v["description"].as_str().unwrap().contains(REFERENCE_LABEL));
    assert_eq!(c.reference_field.as_deref(), Some("cf_chat_ref"));
}

#[test]
fn priority_is_configurable() {
    let mut config = config();
    config.default_priority = Priority::High;
    let c = compose_ticket(
        &ticket_draft("It broke down. Help"),
        &config,
        ClientRef::generate(),
    );
    assert_eq!(body(&c)["priority"], "High");
}

#[test]
fn callback_ticket_table() {
    let c = compose_callback(&callback_draft(), &config(), ClientRef::new("DC-cb"));
    let v = body(&c);
    assert_eq!(c.kind, ItemKind::Callback);
    let cases: &[(&str, Value)] = &[
        ("departmentId", json!("1329983000000007907")),
        ("dueDate", json!("2026-06-11T16:12:11.000Z")),
        (
            "subject",
            json!("Callback requested: Thu 11 Jun 2026 18:12 CEST - Ann Lee"),
        ),
        ("phone", json!("+4915123456789")),
        ("status", json!("Open")),
        ("channel", json!("Chat")),
        (
            "contact",
            json!({"firstName": "Ann", "lastName": "Lee", "phone": "+4915123456789"}),
        ),
    ];
    for (field, want) in cases {
        assert_eq!(&v[*field], want, "field {field}");
    }
    assert!(v.get("email").is_none());
    let description = v["description"].as_str().unwrap();
    assert!(description.contains("Thursday 11 June 2026, 18:12 (Europe/Berlin)"));
    assert!(description.contains("Ask for &lt;b&gt;Bob&lt;/b&gt; &amp; &quot;friends&quot;"));
    assert!(description.contains("Desk Chat reference: DC-cb"));
}

#[test]
fn due_date_format_table() {
    let cases = [
        (
            Utc.with_ymd_and_hms(2026, 6, 11, 16, 12, 11).unwrap(),
            "2026-06-11T16:12:11.000Z",
        ),
        (
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
            "2027-01-01T00:00:00.000Z",
        ),
        (
            Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).unwrap()
                + chrono::Duration::milliseconds(250),
            "2026-12-31T23:59:59.250Z",
        ),
    ];
    for (t, want) in cases {
        assert_eq!(zoho_time(t), want);
        let mut draft = callback_draft();
        draft.when_utc = t;
        let v = body(&compose_callback(&draft, &config(), ClientRef::generate()));
        assert_eq!(v["dueDate"], want);
    }
}

#[test]
fn client_refs_are_url_safe_and_unique() {
    let a = ClientRef::generate();
    let b = ClientRef::generate();
    assert_ne!(a, b);
    assert!(a.as_str().starts_with("DC-"));
    assert_eq!(a.as_str().len(), 35);
    assert!(
        a.as_str()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    );
}

#[test]
fn overlong_transcripts_keep_the_summary_and_the_reference() {
    let mut draft = ticket_draft("Slow app. Very slow");
    let line = "x<".repeat(2_000);
    draft.transcript = (0..200)
        .map(|i| Turn {
            at: at(10, 0, 0) + chrono::Duration::seconds(i),
            from: Speaker::Person,
            text: line.clone(),
        })
        .collect();
    let c = compose_ticket(&draft, &config(), ClientRef::new("DC-long"));
    let description = c.request.description.unwrap();
    assert!(description.chars().count() <= DESCRIPTION_MAX_CHARS);
    assert!(description.contains("earlier lines left out"));
    assert!(description.contains("<b>Email:</b>"));
    assert!(description.ends_with("<p>Desk Chat reference: DC-long</p>"));
}

#[test]
fn manual_entry_goes_through_the_same_path() {
    let manual = ManualTicket {
        kind: ItemKind::Ticket,
        subject: "Phone call:\nrouter <down>".into(),
        description: "Customer called & said \"down\".".into(),
        department: DepartmentId::new("42"),
        priority: Priority::Low,
        status: "On Hold".into(),
        channel: "Phone".into(),
        due_date: Some(at(9, 0, 0)),
        first_name: String::new(),
        last_name: "Lee".into(),
        email: Some("ann@example.com".into()),
        phone: None,
    };
    let c = compose_manual(
        &manual,
        &config().with_reference_field("cf_ref"),
        ClientRef::new("DC-m"),
    );
    let v = body(&c);
    assert_eq!(v["subject"], "Phone call: router <down>");
    assert_eq!(v["departmentId"], "42");
    assert_eq!(v["priority"], "Low");
    assert_eq!(v["status"], "On Hold");
    assert_eq!(v["channel"], "Phone");
    assert_eq!(v["dueDate"], "2026-06-11T09:00:00.000Z");
    assert_eq!(v["cf"], json!({"cf_ref": "DC-m"}));
    assert_eq!(
        v["contact"],
        json!({"lastName": "Lee", "email": "ann@example.com"})
    );
    assert!(
        v["description"]
            .as_str()
            .unwrap()
            .contains("Customer called &amp; said &quot;down&quot;.")
    );
}

#[test]
fn ensure_reference_restores_a_reference_removed_by_an_edit() {
    let c = compose_ticket(
        &ticket_draft("It broke. x"),
        &config(),
        ClientRef::new("DC-e"),
    );
    let mut edited = c.request.clone();
    edited.description = Some("<p>rewritten</p>".into());
    ensure_reference(&mut edited, &c.client_ref, None);
    assert!(
        edited
            .description
            .as_deref()
            .unwrap()
            .contains("Desk Chat reference: DC-e")
    );
    let before = edited.description.clone();
    ensure_reference(&mut edited, &c.client_ref, None);
    assert_eq!(edited.description, before, "idempotent");
    ensure_reference(&mut edited, &c.client_ref, Some("cf_x"));
    assert_eq!(edited.cf.unwrap()["cf_x"], "DC-e");
}
