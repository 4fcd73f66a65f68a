//! The typed models read JSON shaped like Zoho's real replies (contract,
//! "General shapes"): ids as numbers or strings, `null`s, unknown fields,
//! counters as strings, Zoho's time format. No server needed.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use zoho_desk::desk::{decode, decode_list};
use zoho_desk::*;

fn reply(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers: HeaderMap::new(),
        body: body.as_bytes().to_vec(),
    }
}

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $name
        ))
    };
}

#[test]
fn organization_id_may_be_a_number_or_a_string() {
    let by_number: SearchResults<Organization> = decode_list(
        &reply(200, fixture!("organizations_number_id.json")),
        "orgs",
    )
    .unwrap();
    let by_string: SearchResults<Organization> = decode_list(
        &reply(200, fixture!("organizations_string_id.json")),
        "orgs",
    )
    .unwrap();
    assert_eq!(by_number.items[0].id, OrgId::new("60001234567"));
    assert_eq!(by_number.items[0].id, by_string.items[0].id);
    assert_eq!(by_number.items[0].display_name(), "Acme Support");
    assert_eq!(by_string.items[0].display_name(), "acmesupport");
    assert_eq!(by_number.items[0].is_default, Some(true));
    assert_eq!(by_string.items[0].is_default, None);
    assert_eq!(by_number.items[0].concurrency_limit(), 15);
    assert_eq!(by_string.items[0].concurrency_limit(), 5);
}

#[test]
fn departments_tolerate_nulls_and_unknown_fields() {
    let list: SearchResults<Department> =
        decode_list(&reply(200, fixture!("departments.json")), "d").unwrap();
    assert_eq!(list.items.len(), 2);
    assert_eq!(list.items[0].name.as_deref(), Some("Support"));
    assert_eq!(list.items[1].id.as_str(), "1329983000000232029");
    assert_eq!(list.items[1].is_enabled, Some(false));
    assert_eq!(list.items[1].name_in_customer_portal, None);
}

#[test]
fn contacts_search_and_get() {
    let found: SearchResults<Contact> =
        decode_list(&reply(200, fixture!("contacts_search.json")), "c").unwrap();
    assert_eq!(found.count, 1, "count arrives as a string");
    assert_eq!(found.items[0].email.as_deref(), Some("jane@example.com"));
    assert_eq!(
        found.items[0].created_time.unwrap().to_string(),
        "2026-06-11 16:12:11 UTC"
    );
    let contact: Contact = decode(&reply(200, fixture!("contact.json")), "c").unwrap();
    assert_eq!(contact.first_name, None);
    assert_eq!(contact.phone.as_deref(), Some("+1 555 0100"));
}

#[test]
fn a_created_ticket_is_read_whole() {
    let ticket: Ticket = decode(&reply(200, fixture!("ticket_created.json")), "t").unwrap();
    assert_eq!(ticket.id.as_str(), "1329983000000431001");
    assert_eq!(ticket.ticket_number.as_deref(), Some("103"));
    assert_eq!(ticket.thread_count, Some(0));
    assert_eq!(ticket.status_type.as_deref(), Some("Open"));
    assert_eq!(
        ticket.department_id,
        Some(DepartmentId::new("1329983000000006907"))
    );
    assert_eq!(
        ticket.due_date.map(|d| format_zoho_time(&d)).as_deref(),
        Some("2026-06-11T16:12:11.000Z")
    );
    assert_eq!(ticket.closed_time, None);
    assert_eq!(ticket.cf.as_ref().unwrap()["cf_chat_reference"], "chat-42");
    assert!(ticket.cf.as_ref().unwrap()["cf_callback_time"].is_null());
    assert_eq!(
        ticket.contact.as_ref().unwrap().first_name.as_deref(),
        Some("Jane")
    );
    assert_eq!(ticket.phone, None);
}

#[test]
fn slim_list_items_and_an_odd_date_do_not_fail_the_list() {
    let list: SearchResults<TicketSummary> =
        decode_list(&reply(200, fixture!("tickets_list.json")), "t").unwrap();
    assert_eq!(list.items.len(), 2);
    assert_eq!(list.count, 2, "no count: the page size");
    assert_eq!(
        list.items[1].due_date, None,
        "an unparseable date reads as None"
    );
    assert_eq!(list.items[1].contact_id, None);
}

#[test]
fn search_results_carry_the_count_and_204_is_empty() {
    let found: SearchResults<Ticket> =
        decode_list(&reply(200, fixture!("tickets_search.json")), "s").unwrap();
    assert_eq!((found.items.len(), found.count), (1, 1));
    assert_eq!(
        found.items[0].thread_count,
        Some(2),
        "a counter as a number works too"
    );
    let none: SearchResults<Ticket> = decode_list(&reply(204, ""), "s").unwrap();
    assert!(none.items.is_empty());
    assert_eq!(none.count, 0);
    let null_data: SearchResults<Ticket> =
        decode_list(&reply(200, r#"{"data":null}"#), "s").unwrap();
    assert!(null_data.items.is_empty());
}

#[test]
fn comments_attachments_and_articles() {
    let comment: Comment = decode(&reply(200, fixture!("comment.json")), "c").unwrap();
    assert_eq!(comment.is_public, Some(false));
    assert_eq!(comment.content_type.as_deref(), Some("plainText"));
    let attachment: Attachment = decode(&reply(200, fixture!("attachment.json")), "a").unwrap();
    assert_eq!(attachment.size, Some(1234));
    let articles: SearchResults<Article> =
        decode_list(&reply(200, fixture!("articles_search.json")), "a").unwrap();
    assert_eq!(
        articles.items[0].title.as_deref(),
        Some("Printer shows an offline error")
    );
}

#[test]
fn error_bodies_map_to_typed_errors() {
    let headers = HeaderMap::new();
    let err = error_from_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        &headers,
        fixture!("error_validation.json").as_bytes(),
    );
    let Error::Validation { errors, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(errors[0].field_name, "/departmentId");
    assert_eq!(
        errors[1].error_message, "",
        "a null errorMessage reads as empty"
    );
    let err = error_from_response(
        StatusCode::UNAUTHORIZED,
        &headers,
        fixture!("error_invalid_oauth.json").as_bytes(),
    );
    assert!(matches!(err, Error::TokenInvalid));
    let err = error_from_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        &headers,
        fixture!("error_extra_query.json").as_bytes(),
    );
    assert!(err.to_string().contains("Extra query parameter"), "{err}");
}

#[test]
fn token_replies_and_their_http_200_errors() {
    let grant = parse_token_reply(&reply(200, fixture!("token_grant.json"))).unwrap();
    assert!(grant.refresh_token.is_some());
    assert_eq!(grant.api_domain.as_deref(), Some("https://www.zohoapis.in"));
    let refreshed = parse_token_reply(&reply(200, fixture!("token_refresh.json"))).unwrap();
    assert!(refreshed.refresh_token.is_none());
    assert!(matches!(
        parse_token_reply(&reply(200, fixture!("token_invalid_code.json"))),
        Err(Error::InvalidCode)
    ));
    assert!(matches!(
        parse_token_reply(&reply(200, fixture!("token_invalid_client.json"))),
        Err(Error::InvalidClient)
    ));
    assert!(matches!(
        parse_token_reply(&reply(200, fixture!("token_access_denied.json"))),
        Err(Error::AccountsRateLimited)
    ));
}
