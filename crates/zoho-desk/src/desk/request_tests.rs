//! Request building, without a server: method, URL, headers, query, body.

use reqwest::Method;
use serde_json::json;

use super::*;
use crate::base_url::BaseUrl;
use crate::ids::{ContactId, DepartmentId, OrgId, TicketId};
use crate::model::{
    CommentContentType, ContactRef, InlineContact, NewComment, NewContact, NewTicket, Page,
    TicketPatch,
};
use crate::request::{Body, Effect, PreparedRequest, Service};
use crate::secret::AccessToken;

fn base() -> BaseUrl {
    BaseUrl::parse("https://desk.zoho.in/api/v1").unwrap()
}

fn prepare(request: &DeskRequest) -> PreparedRequest {
    request
        .prepare(
            &base(),
            &AccessToken::new("1000.tok.en"),
            Some(&OrgId::new("60001234567")),
        )
        .unwrap()
}

fn assert_desk_headers(p: &PreparedRequest) {
    assert_eq!(
        p.header("authorization"),
        Some("Zoho-oauthtoken 1000.tok.en")
    );
    assert_eq!(p.header("orgId"), Some("60001234567"));
    assert_eq!(p.header("accept"), Some("application/json"));
    assert_eq!(p.service, Service::Desk);
    assert!(p.headers.get("authorization").unwrap().is_sensitive());
}

#[test]
fn organizations_list_has_no_org_header() {
    let p = organizations::list_request()
        .prepare(&base(), &AccessToken::new("1000.tok.en"), None)
        .unwrap();
    assert_eq!(p.method, Method::GET);
    assert_eq!(p.url.as_str(), "https://desk.zoho.in/api/v1/organizations");
    assert_eq!(
        p.header("authorization"),
        Some("Zoho-oauthtoken 1000.tok.en")
    );
    assert_eq!(p.header("orgId"), None);
}

#[test]
fn org_scoped_calls_need_an_org() {
    let err = departments::list_request(Page::default(), None)
        .prepare(&base(), &AccessToken::new("t"), None)
        .unwrap_err();
    assert!(matches!(err, crate::Error::OrgNotSelected));
}

#[test]
fn departments_list_pages_and_filters() {
    let p = prepare(&departments::list_request(
        Page {
            from: 200,
            limit: 500,
        },
        Some(true),
    ));
    assert_desk_headers(&p);
    assert_eq!(
        p.url.as_str(),
        "https://desk.zoho.in/api/v1/departments?from=200&limit=100&isEnabled=true"
    );
}

#[test]
fn contact_search_create_and_get() {
    let p = prepare(&contacts::search_by_email_request(
        " jane+x@example.com ",
        5,
    ));
    assert_desk_headers(&p);
    assert_eq!(p.url.path(), "/api/v1/contacts/search");
    assert_eq!(
        p.query_pairs(),
        vec![
            ("email".into(), "jane+x@example.com".into()),
            ("limit".into(), "5".into())
        ]
    );
    assert_eq!(p.effect, Effect::Read);

    let mut contact = NewContact::new("Doe");
    contact.email = Some("jane@example.com".into());
    let p = prepare(&contacts::create_request(&contact).unwrap());
    assert_eq!(
        (p.method.clone(), p.url.path()),
        (Method::POST, "/api/v1/contacts")
    );
    assert_eq!(p.effect, Effect::Create);
    assert_eq!(
        p.json_body(),
        Some(json!({"lastName": "Doe", "email": "jane@example.com"}))
    );

    let p = prepare(&contacts::get_request(&ContactId::new(
        "1329983000000431011",
    )));
    assert_eq!(
        p.url.as_str(),
        "https://desk.zoho.in/api/v1/contacts/1329983000000431011"
    );
}

#[test]
fn ticket_create_is_one_post_with_the_inline_contact() {
    let ticket = NewTicket::new(
        "Printer on fire",
        DepartmentId::new("1329983000000006907"),
        ContactRef::Inline(InlineContact {
            email: Some("jane@example.com".into()),
            ..InlineContact::default()
        }),
    );
    let p = prepare(&tickets::create_request(&ticket).unwrap());
    assert_desk_headers(&p);
    assert_eq!(
        (p.method.clone(), p.url.as_str()),
        (Method::POST, "https://desk.zoho.in/api/v1/tickets")
    );
    assert_eq!(p.effect, Effect::Create);
    assert_eq!(
        p.json_body(),
        Some(json!({
            "subject": "Printer on fire",
            "departmentId": "1329983000000006907",
            "contact": {"email": "jane@example.com"}
        }))
    );
}

#[test]
fn ticket_get_list_search_update() {
    let id = TicketId::new("1329983000000431001");
    let p = prepare(&tickets::get_request(&id));
    assert_eq!(
        p.url.as_str(),
        "https://desk.zoho.in/api/v1/tickets/1329983000000431001"
    );

    let query = TicketListQuery {
        page: Page { from: 0, limit: 10 },
        sort_by: Some("-createdTime".into()),
        department_id: Some(DepartmentId::new("1")),
        status: Some("Open".into()),
    };
    let p = prepare(&tickets::list_request(&query));
    assert_eq!(
        p.url.as_str(),
        "https://desk.zoho.in/api/v1/tickets?from=0&limit=10&sortBy=-createdTime&departmentId=1&status=Open"
    );

    let search = TicketSearch {
        ticket_number: Some("103".into()),
        email: Some("jane@example.com".into()),
        description: Some("printer".into()),
        custom_fields: vec![
            ("cf_chat_reference".into(), "chat 42".into()),
            ("cf_b".into(), "x".into()),
        ],
        page: Page {
            from: 0,
            limit: 1000,
        },
    };
    let p = prepare(&tickets::search_request(&search));
    assert_eq!(p.url.path(), "/api/v1/tickets/search");
    assert_eq!(
        p.query_pairs(),
        [
            ("ticketNumber", "103"),
            ("email", "jane@example.com"),
            ("description", "printer"),
            ("customField1", "cf_chat_reference:chat 42"),
            ("customField2", "cf_b:x"),
            ("from", "0"),
            ("limit", "100"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect::<Vec<_>>()
    );

    let patch = TicketPatch {
        status: Some("Closed".into()),
        ..TicketPatch::default()
    };
    let p = prepare(&tickets::update_request(&id, &patch).unwrap());
    assert_eq!(p.method, Method::PATCH);
    assert_eq!(p.effect, Effect::Idempotent);
    assert_eq!(p.json_body(), Some(json!({"status": "Closed"})));
}

#[test]
fn comments_and_attachments() {
    let id = TicketId::new("1329983000000431001");
    let comment = NewComment {
        content: "Hi".into(),
        is_public: true,
        content_type: CommentContentType::Html,
    };
    let p = prepare(&tickets::add_comment_request(&id, &comment).unwrap());
    assert_eq!(
        (p.method.clone(), p.url.path()),
        (Method::POST, "/api/v1/tickets/1329983000000431001/comments")
    );
    assert_eq!(p.effect, Effect::Create);
    assert_eq!(
        p.json_body(),
        Some(json!({"content": "Hi", "isPublic": true, "contentType": "html"}))
    );

    let file = NewAttachment {
        file_name: "log.txt".into(),
        content_type: Some("text/plain".into()),
        bytes: b"hello".to_vec(),
        is_public: false,
    };
    let p = prepare(&tickets::upload_attachment_request(&id, &file));
    assert_eq!(
        p.url.as_str(),
        "https://desk.zoho.in/api/v1/tickets/1329983000000431001/attachments?isPublic=false"
    );
    assert_eq!(p.effect, Effect::Create);
    let Body::Multipart(parts) = &p.body else {
        panic!("{:?}", p.body)
    };
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].name, "file");
    assert_eq!(parts[0].file_name.as_deref(), Some("log.txt"));
    assert_eq!(parts[0].bytes, b"hello");
    // The multipart body builds into a real request.
    let built = p.to_reqwest(&reqwest::Client::new()).unwrap();
    let content_type = built
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
}

#[test]
fn articles_search_is_capped_at_fifty() {
    let p = prepare(&articles::search_request("printer offline", 80));
    assert_eq!(
        p.url.as_str(),
        "https://desk.zoho.in/api/v1/articles/search?searchStr=printer+offline&limit=50"
    );
}

#[test]
fn ids_cannot_escape_their_path_segment() {
    let p = prepare(&tickets::get_request(&TicketId::new(
        "1/../../organizations?x=1",
    )));
    assert_eq!(
        p.url.path(),
        "/api/v1/tickets/1%2F..%2F..%2Forganizations%3Fx=1"
    );
    assert_eq!(p.url.query(), None);
}

#[test]
fn json_bodies_build_into_requests_with_the_content_type() {
    let ticket = NewTicket::new(
        "s",
        DepartmentId::new("1"),
        ContactRef::Id(ContactId::new("2")),
    );
    let p = prepare(&tickets::create_request(&ticket).unwrap());
    let built = p.to_reqwest(&reqwest::Client::new()).unwrap();
    assert_eq!(built.method(), Method::POST);
    assert_eq!(
        built.headers().get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(built.headers().get("orgId").unwrap(), "60001234567");
    let body = built.body().and_then(|b| b.as_bytes()).unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(body).unwrap()["contactId"],
        "2"
    );
    let shown = format!("{p:?}");
    assert!(!shown.contains("1000.tok.en"), "{shown}");
}
