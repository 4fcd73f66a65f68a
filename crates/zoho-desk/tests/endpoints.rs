//! Every Desk endpoint against desk-sim, checking both what the client
//! returns and what the simulator ended up holding.

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use desk_sim::SimConfig;
use serde_json::json;
use zoho_desk::*;

#[tokio::test]
async fn organizations_with_the_id_as_a_string_or_a_number() {
    for as_number in [false, true] {
        let sim = start(SimConfig {
            org_id_as_number: as_number,
            ..SimConfig::default()
        })
        .await;
        let org_id = sim.org_id();
        let rig = rig_with(sim, http_config(), ALL_SCOPES).await;
        let orgs = rig.desk.organizations().list().await.unwrap();
        assert_eq!(orgs.len(), 1);
        assert_eq!(
            orgs[0].id.as_str(),
            org_id,
            "org_id_as_number = {as_number}"
        );
        let log = rig.sim.requests();
        assert_eq!(log[0].org_id, None, "GET /organizations goes without orgId");
        assert!(log[0].had_token);
    }
}

#[tokio::test]
async fn departments_page_and_filter() {
    let rig = rig().await;
    let all = rig
        .desk
        .departments()
        .list(Page::first(50), None)
        .await
        .unwrap();
    let names: Vec<_> = all.iter().filter_map(|d| d.name.clone()).collect();
    assert!(
        names.contains(&"Support".to_owned()) && names.contains(&"Callbacks".to_owned()),
        "{names:?}"
    );
    assert_eq!(
        rig.desk
            .departments()
            .list(Page::first(1), None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        rig.desk
            .departments()
            .list(Page { from: 1, limit: 1 }, None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        rig.desk
            .departments()
            .list(Page { from: 10, limit: 5 }, None)
            .await
            .unwrap()
            .is_empty()
    );
    let enabled = rig
        .desk
        .departments()
        .list(Page::first(50), Some(true))
        .await
        .unwrap();
    assert!(enabled.iter().all(|d| d.is_enabled != Some(false)));
    assert_eq!(
        rig.desk.departments().list_all(None).await.unwrap().len(),
        all.len()
    );
    assert_eq!(
        rig.desk
            .departments()
            .find_by_name("callbacks")
            .await
            .unwrap()
            .unwrap()
            .id,
        rig.callbacks()
    );
    let log = rig.sim.requests();
    assert!(
        log.iter()
            .all(|r| r.org_id.as_deref() == Some(rig.sim.org_id().as_str()))
    );
    assert!(
        log.iter()
            .any(|r| r.query == "from=0&limit=50&isEnabled=true"),
        "{log:?}"
    );
}

#[tokio::test]
async fn contacts_search_create_get() {
    let rig = rig().await;
    let none = rig
        .desk
        .contacts()
        .search_by_email("nobody@example.com", 10)
        .await
        .unwrap();
    assert!(none.items.is_empty(), "204 reads as empty");
    assert_eq!(
        count_requests(&rig.sim, "GET", "/api/v1/contacts/search"),
        1
    );
    assert_eq!(rig.sim.requests()[0].status, 204);

    let mut new = NewContact::new("Lovelace");
    new.first_name = Some("Ada".into());
    new.email = Some("ada@example.com".into());
    new.phone = Some("+44 20 7946 0000".into());
    let created = rig.desk.contacts().create(&new).await.unwrap();
    assert_eq!(created.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(rig.sim.contacts().len(), 1);

    let got = rig.desk.contacts().get(&created.id).await.unwrap();
    assert_eq!(got.email.as_deref(), Some("ada@example.com"));
    let found = rig
        .desk
        .contacts()
        .search_by_email("ada@example.com", 10)
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, created.id);
    assert!(found.count >= 1);
}

#[tokio::test]
async fn a_ticket_with_an_inline_contact_is_one_request_and_finds_the_contact() {
    let rig = rig().await;
    let first = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "First", "jane@example.com"))
        .await
        .unwrap();
    assert_eq!(
        rig.sim.requests().len(),
        1,
        "exactly one request per ticket"
    );
    let second = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "Second", "jane@example.com"))
        .await
        .unwrap();
    assert_eq!(
        first.contact_id, second.contact_id,
        "Desk reuses the contact with that email"
    );
    assert_eq!(rig.sim.contacts().len(), 1);
    assert_eq!(rig.sim.tickets().len(), 2);
    assert_ne!(first.ticket_number, second.ticket_number);
}

#[tokio::test]
async fn a_ticket_with_every_optional_field() {
    let rig = rig().await;
    let contact = rig
        .desk
        .contacts()
        .create(&NewContact::new("Hopper"))
        .await
        .unwrap();
    let due = Utc.with_ymd_and_hms(2026, 6, 11, 16, 12, 11).unwrap();
    let mut ticket = NewTicket::new(
        "Callback please",
        rig.callbacks(),
        ContactRef::Id(contact.id.clone()),
    );
    ticket.description = Some("<p>Call me at 5</p>".into());
    ticket.email = Some("grace@example.com".into());
    ticket.phone = Some("+1 555 0100".into());
    ticket.priority = Some(Priority::High);
    ticket.status = Some("Open".into());
    ticket.channel = Some("Chat".into());
    ticket.due_date = Some(due);
    ticket.classification = Some("Request".into());
    ticket.language = Some("English".into());
    let created = rig.desk.tickets().create(&ticket).await.unwrap();
    assert_eq!(created.contact_id.as_ref(), Some(&contact.id));
    assert_eq!(created.department_id, Some(rig.callbacks()));
    assert_eq!(created.due_date, Some(due));
    assert_eq!(created.priority.as_deref(), Some("High"));
    assert_eq!(created.channel.as_deref(), Some("Chat"));

    let sent = rig
        .sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/api/v1/tickets")
        .unwrap();
    let body = sent.body.unwrap();
    assert_eq!(body["dueDate"], "2026-06-11T16:12:11.000Z");
    assert_eq!(body["contactId"], json!(contact.id.as_str()));
    assert!(body.get("contact").is_none());
    let held = &rig.sim.tickets()[0];
    assert_eq!(held["dueDate"], "2026-06-11T16:12:11.000Z");
    assert_eq!(held["classification"], "Request");
}

#[tokio::test]
async fn tickets_get_list_search_and_update() {
    let rig = rig().await;
    let a = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "Printer offline", "a@example.com"))
        .await
        .unwrap();
    let mut b = inline_ticket(&rig, "Refund", "b@example.com");
    b.description = Some("I want my money back for the blue kettle".into());
    let b = rig.desk.tickets().create(&b).await.unwrap();

    let got = rig.desk.tickets().get(&a.id).await.unwrap();
    assert_eq!(got.subject.as_deref(), Some("Printer offline"));
    assert_eq!(got.ticket_number, a.ticket_number);

    let list = rig
        .desk
        .tickets()
        .list(&TicketListQuery::default())
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let only_support = TicketListQuery {
        department_id: Some(rig.support()),
        status: Some("Open".into()),
        sort_by: Some("-createdTime".into()),
        page: Page::first(1),
    };
    assert_eq!(
        rig.desk.tickets().list(&only_support).await.unwrap().len(),
        1
    );

    let by_number = TicketSearch {
        ticket_number: a.ticket_number.clone(),
        ..TicketSearch::default()
    };
    let found = rig.desk.tickets().search(&by_number).await.unwrap();
    assert_eq!((found.items.len(), found.count), (1, 1));
    assert_eq!(found.items[0].id, a.id);

    let by_email = TicketSearch {
        email: Some("b@example.com".into()),
        ..TicketSearch::default()
    };
    assert_eq!(
        rig.desk.tickets().search(&by_email).await.unwrap().items[0].id,
        b.id
    );

    let by_text = TicketSearch {
        description: Some("kettle".into()),
        ..TicketSearch::default()
    };
    assert_eq!(
        rig.desk.tickets().search(&by_text).await.unwrap().items[0].id,
        b.id
    );

    let nothing = TicketSearch {
        ticket_number: Some("999999".into()),
        ..TicketSearch::default()
    };
    let empty = rig.desk.tickets().search(&nothing).await.unwrap();
    assert!(empty.items.is_empty());
    assert_eq!(rig.sim.requests().last().unwrap().status, 204);

    let patch = TicketPatch {
        status: Some("Closed".into()),
        priority: Some(Priority::Low),
        ..TicketPatch::default()
    };
    let updated = rig.desk.tickets().update(&a.id, &patch).await.unwrap();
    assert_eq!(updated.status.as_deref(), Some("Closed"));
    assert_eq!(updated.priority.as_deref(), Some("Low"));
    let patch_log = rig
        .sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(
        patch_log.body.unwrap(),
        json!({"status": "Closed", "priority": "Low"})
    );
}

#[tokio::test]
async fn tickets_found_by_custom_field() {
    let rig = rig().await;
    let ticket = inline_ticket(&rig, "With a reference", "cf@example.com")
        .with_custom_field("cf_chat_reference", "chat-42");
    let created = rig.desk.tickets().create(&ticket).await.unwrap();
    assert_eq!(created.cf.as_ref().unwrap()["cf_chat_reference"], "chat-42");
    let found = rig
        .desk
        .tickets()
        .search(&TicketSearch::by_custom_field(
            "cf_chat_reference",
            "chat-42",
        ))
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, created.id);
    let other = rig
        .desk
        .tickets()
        .search(&TicketSearch::by_custom_field(
            "cf_chat_reference",
            "chat-43",
        ))
        .await
        .unwrap();
    assert!(other.items.is_empty());
    let search_log = rig
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/v1/tickets/search")
        .unwrap();
    assert!(
        search_log
            .query
            .starts_with("customField1=cf_chat_reference%3Achat-42"),
        "{}",
        search_log.query
    );
}

#[tokio::test]
async fn comments_and_attachments() {
    let rig = rig().await;
    let ticket = rig
        .desk
        .tickets()
        .create(&inline_ticket(&rig, "Logs attached", "c@example.com"))
        .await
        .unwrap();
    let comment = rig
        .desk
        .tickets()
        .add_comment(&ticket.id, &NewComment::private_note("Called the customer"))
        .await
        .unwrap();
    assert_eq!(comment.content.as_deref(), Some("Called the customer"));
    assert_eq!(comment.is_public, Some(false));
    let held = rig.sim.comments(ticket.id.as_str());
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["contentType"], "plainText");

    let file = NewAttachment {
        file_name: "log.txt".into(),
        content_type: Some("text/plain".into()),
        bytes: b"line 1\nline 2\n".to_vec(),
        is_public: true,
    };
    let attachment = rig
        .desk
        .tickets()
        .upload_attachment(&ticket.id, &file)
        .await
        .unwrap();
    assert_eq!(attachment.name.as_deref(), Some("log.txt"));
    assert_eq!(attachment.size, Some(14));
    assert_eq!(attachment.is_public, Some(true));
    assert_eq!(rig.sim.attachments(ticket.id.as_str()).len(), 1);
}

#[tokio::test]
async fn articles_search() {
    let rig = rig().await;
    let found = rig
        .desk
        .articles()
        .search("printer offline", 10)
        .await
        .unwrap();
    assert!(!found.items.is_empty());
    assert!(found.items[0].title.as_deref().unwrap().contains("Printer"));
    let none = rig.desk.articles().search("zzzqqqxxx", 10).await.unwrap();
    assert!(none.items.is_empty());
}

#[tokio::test]
async fn credit_headers_are_exposed() {
    let rig = rig().await;
    assert_eq!(rig.desk.credits(), Credits::default());
    rig.desk
        .departments()
        .list(Page::first(10), None)
        .await
        .unwrap();
    let after_list = rig.desk.credits();
    assert_eq!(after_list.last_request_weight, Some(3));
    let remaining = after_list.remaining.unwrap();
    rig.desk
        .tickets()
        .create(&inline_ticket(&rig, "Costs one", "w@example.com"))
        .await
        .unwrap();
    let after_create = rig.desk.credits();
    assert_eq!(after_create.last_request_weight, Some(1));
    assert_eq!(after_create.remaining, Some(remaining - 1));
}

#[tokio::test]
async fn pages_of_tickets_can_be_walked() {
    let rig = rig().await;
    for i in 0..7 {
        rig.desk
            .tickets()
            .create(&inline_ticket(&rig, &format!("T{i}"), "p@example.com"))
            .await
            .unwrap();
    }
    let desk = rig.desk.clone();
    let all = zoho_desk::desk::paging::collect_pages(3, 100, |page| {
        let desk = desk.clone();
        async move {
            desk.tickets()
                .list(&TicketListQuery {
                    page,
                    ..TicketListQuery::default()
                })
                .await
        }
    })
    .await
    .unwrap();
    assert_eq!(all.len(), 7);
    let mut ids: Vec<_> = all.iter().map(|t| t.id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 7);
}
