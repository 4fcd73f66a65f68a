//! Desk endpoints: shapes, validation and behaviour, over real HTTP.

mod common;

use std::time::Duration;

use common::*;
use desk_sim::{ConsentMode, SimConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn is_zoho_id(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| (16..=19).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
}

fn is_zoho_time(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 24 && s.ends_with('Z') && s.as_bytes()[10] == b'T' && s.as_bytes()[19] == b'.'
    })
}

// ---------- organizations and departments ----------

#[tokio::test]
async fn organizations_need_no_org_id_and_give_the_id_as_a_string() {
    let desk = Desk::new().await;
    let response = http()
        .get(format!("{}/organizations", desk.sim.desk_api_url()))
        .header("Authorization", format!("Zoho-oauthtoken {}", desk.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let org = &body["data"][0];
    assert_eq!(org["id"], json!(desk.sim.org_id()));
    assert_eq!(org["portalName"], "deskchatsandbox");
    assert_eq!(org["isDefault"], true);
    assert!(
        org["companyName"].is_string()
            && org["edition"].is_string()
            && org["portalURL"].is_string()
    );
}

#[tokio::test]
async fn the_organization_id_can_be_sent_as_a_number() {
    let desk = Desk::with_config(SimConfig {
        org_id_as_number: true,
        ..SimConfig::default()
    })
    .await;
    let body: Value = desk.get("/organizations").await.json().await.unwrap();
    let id = &body["data"][0]["id"];
    assert!(id.is_u64(), "{id}");
    assert_eq!(id.to_string(), desk.sim.org_id());
}

#[tokio::test]
async fn departments_are_seeded_support_and_callbacks_with_19_digit_string_ids() {
    let desk = Desk::new().await;
    let body: Value = desk.get("/departments").await.json().await.unwrap();
    let names: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Support", "Callbacks"]);
    for dep in body["data"].as_array().unwrap() {
        assert!(is_zoho_id(&dep["id"]), "{dep}");
        assert_eq!(dep["id"].as_str().unwrap().len(), 19);
        assert_eq!(dep["isEnabled"], true);
        assert!(dep["nameInCustomerPortal"].is_string());
    }
    assert_eq!(
        body["data"][0]["id"],
        json!(desk.sim.department_id("Support").unwrap())
    );
    assert_eq!(body["data"][0]["isDefault"], true);
}

#[tokio::test]
async fn departments_can_be_seeded_without_callbacks_and_paged() {
    let desk = Desk::with_config(SimConfig {
        seed_callbacks_department: false,
        ..SimConfig::default()
    })
    .await;
    assert_eq!(desk.sim.department_id("Callbacks"), None);
    let body: Value = desk
        .get("/departments?from=0&limit=1&isEnabled=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    let body: Value = desk
        .get("/departments?isEnabled=false")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body, json!({"data": []}));
}

// ---------- creating tickets ----------

#[tokio::test]
async fn a_ticket_with_an_inline_contact_answers_200_with_a_full_ticket() {
    let desk = Desk::new().await;
    let ticket = desk
        .create_ticket("Printer on fire", "ada@example.com")
        .await;
    assert!(is_zoho_id(&ticket["id"]));
    assert_eq!(ticket["ticketNumber"], "101");
    assert_eq!(ticket["subject"], "Printer on fire");
    assert_eq!(ticket["status"], "Open");
    assert_eq!(ticket["statusType"], "Open");
    assert_eq!(ticket["channel"], "Phone");
    assert_eq!(ticket["departmentId"], json!(desk.support()));
    assert_eq!(ticket["email"], "ada@example.com");
    assert_eq!(ticket["threadCount"], "0");
    assert_eq!(ticket["cf"], json!({}));
    for unset in [
        "description",
        "priority",
        "dueDate",
        "phone",
        "assigneeId",
        "closedTime",
    ] {
        assert!(
            ticket.get(unset).is_some_and(Value::is_null),
            "{unset} should be present as null"
        );
    }
    assert!(is_zoho_time(&ticket["createdTime"]) && is_zoho_time(&ticket["modifiedTime"]));
    let id = ticket["id"].as_str().unwrap();
    assert_eq!(
        ticket["webUrl"],
        format!("https://desk.zoho.com/support/deskchatsandbox/ShowHomePage.do#Cases/dv/{id}")
    );
    let contacts = desk.sim.contacts();
    assert_eq!(contacts.len(), 1);
    assert_eq!(ticket["contactId"], contacts[0]["id"]);
    assert_eq!(contacts[0]["lastName"], "Lovelace");
    assert_eq!(desk.sim.tickets(), vec![ticket]);
}

#[tokio::test]
async fn ticket_numbers_count_up_as_strings() {
    let desk = Desk::new().await;
    let a = desk.create_ticket("a", "a@example.com").await;
    let b = desk.create_ticket("b", "b@example.com").await;
    assert_eq!(
        (a["ticketNumber"].as_str(), b["ticketNumber"].as_str()),
        (Some("101"), Some("102"))
    );
}

#[tokio::test]
async fn an_inline_contact_with_a_known_email_reuses_that_contact() {
    let desk = Desk::new().await;
    let first = desk.create_ticket("one", "ada@example.com").await;
    let second = desk.create_ticket("two", "ADA@Example.com").await;
    assert_eq!(first["contactId"], second["contactId"]);
    assert_eq!(desk.sim.contacts().len(), 1);
}

#[tokio::test]
async fn an_inline_contact_with_only_an_email_is_named_after_it() {
    let desk = Desk::new().await;
    let body = json!({"subject": "s", "departmentId": desk.support(), "contact": {"email": "grace@example.com"}});
    assert_eq!(desk.post("/tickets", &body).await.status(), StatusCode::OK);
    assert_eq!(desk.sim.contacts()[0]["lastName"], "grace");
}

#[tokio::test]
async fn a_ticket_can_name_an_existing_contact_by_id_and_carries_the_optional_fields() {
    let desk = Desk::new().await;
    let contact: Value = desk
        .post(
            "/contacts",
            &json!({"lastName": "Hopper", "phone": "+1 555 0100"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body = json!({
        "subject": "Call me back",
        "departmentId": desk.sim.department_id("Callbacks").unwrap(),
        "contactId": contact["id"],
        "description": "<p>After 5pm</p>",
        "priority": "High",
        "channel": "Chat",
        "dueDate": "2026-06-11T16:12:11.000Z",
        "classification": "Request",
        "cf": {"cf_callback_time": "2026-06-11T17:00:00.000Z", "cf_attempts": 2},
    });
    let ticket: Value = desk.post("/tickets", &body).await.json().await.unwrap();
    assert_eq!(ticket["contactId"], contact["id"]);
    assert_eq!(ticket["phone"], "+1 555 0100");
    assert_eq!(ticket["priority"], "High");
    assert_eq!(ticket["channel"], "Chat");
    assert_eq!(ticket["dueDate"], "2026-06-11T16:12:11.000Z");
    assert_eq!(ticket["description"], "<p>After 5pm</p>");
    assert_eq!(
        ticket["cf"],
        json!({"cf_callback_time": "2026-06-11T17:00:00.000Z", "cf_attempts": "2"})
    );
}

#[tokio::test]
async fn a_department_name_instead_of_an_id_is_unprocessable() {
    let desk = Desk::new().await;
    let body = json!({"subject": "s", "departmentId": "Support", "contact": {"lastName": "L"}});
    let (status, code, body) = error_of(desk.post("/tickets", &body).await).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
    assert_eq!(body["errors"][0]["fieldName"], "/departmentId");
    assert_eq!(body["errors"][0]["errorType"], "invalid");
    assert!(desk.sim.tickets().is_empty());
}

#[tokio::test]
async fn an_unknown_department_or_contact_id_is_invalid_data() {
    let desk = Desk::new().await;
    let body = json!({"subject": "s", "departmentId": "1329983000000999999", "contactId": "1329983000000999998"});
    let (status, code, body) = error_of(desk.post("/tickets", &body).await).await;
    assert_eq!((status, code.as_str()), (422, "INVALID_DATA"));
    assert_eq!(field_names(&body), ["/departmentId", "/contactId"]);
}

#[tokio::test]
async fn the_required_fields_are_reported_missing_together() {
    let desk = Desk::new().await;
    let (status, code, body) = error_of(desk.post("/tickets", &json!({})).await).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
    assert_eq!(
        field_names(&body),
        ["/subject", "/departmentId", "/contactId"]
    );
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["errorType"] == "missing")
    );
}

#[tokio::test]
async fn an_inline_contact_needs_a_last_name_or_an_email() {
    let desk = Desk::new().await;
    let body =
        json!({"subject": "s", "departmentId": desk.support(), "contact": {"firstName": "Ada"}});
    let (status, _, body) = error_of(desk.post("/tickets", &body).await).await;
    assert_eq!(status, 422);
    assert_eq!(field_names(&body), ["/contact/lastName"]);
    assert!(desk.sim.contacts().is_empty());
}

#[tokio::test]
async fn invalid_optional_values_are_each_reported_with_a_pointer() {
    let desk = Desk::new().await;
    let body = json!({
        "subject": "x".repeat(256),
        "departmentId": desk.support(),
        "contact": {"lastName": "L", "email": "not-an-email"},
        "priority": "Urgent",
        "status": "Pending",
        "channel": "Pigeon",
        "dueDate": "2026-06-11",
        "description": "d".repeat(65536),
        "email": "nope",
        "cf": {"bad": "x"},
        "color": "red",
    });
    let (status, code, body) = error_of(desk.post("/tickets", &body).await).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
    let mut names = field_names(&body);
    names.sort();
    assert_eq!(
        names,
        [
            "/cf/bad",
            "/channel",
            "/color",
            "/contact/email",
            "/description",
            "/dueDate",
            "/email",
            "/priority",
            "/status",
            "/subject"
        ]
    );
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["errorType"] == "invalid")
    );
    assert!(desk.sim.tickets().is_empty() && desk.sim.contacts().is_empty());
}

#[tokio::test]
async fn limits_are_inclusive_subject_255_and_description_65535() {
    let desk = Desk::new().await;
    let body = json!({
        "subject": "s".repeat(255), "departmentId": desk.support(), "contact": {"lastName": "L"},
        "description": "d".repeat(65535),
    });
    assert_eq!(desk.post("/tickets", &body).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_body_must_be_a_json_object_sent_as_json() {
    let desk = Desk::new().await;
    let response = desk
        .request(reqwest::Method::POST, "/tickets")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("subject=x")
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!((status, code.as_str()), (415, "UNSUPPORTED_MEDIA_TYPE"));
    let response = desk
        .request(reqwest::Method::POST, "/tickets")
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
}

// ---------- reading, listing, searching, updating tickets ----------

#[tokio::test]
async fn a_ticket_reads_back_whole_and_with_its_contact_on_request() {
    let desk = Desk::new().await;
    let created = desk.create_ticket("s", "ada@example.com").await;
    let id = created["id"].as_str().unwrap();
    let read: Value = desk
        .get(&format!("/tickets/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, created);
    let with_contact: Value = desk
        .get(&format!("/tickets/{id}?include=contacts"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(with_contact["contact"]["email"], "ada@example.com");
    assert_eq!(with_contact["contact"]["id"], created["contactId"]);
}

#[tokio::test]
async fn an_unknown_ticket_is_url_not_found() {
    let desk = Desk::new().await;
    let (status, code, _) = error_of(desk.get("/tickets/1329983000000999999").await).await;
    assert_eq!((status, code.as_str()), (404, "URL_NOT_FOUND"));
    let (status, code, _) =
        error_of(desk.patch("/tickets/1329983000000999999", &json!({})).await).await;
    assert_eq!((status, code.as_str()), (404, "URL_NOT_FOUND"));
}

#[tokio::test]
async fn the_ticket_list_is_slim_newest_first_and_paged() {
    let desk = Desk::new().await;
    for n in 0..3 {
        desk.create_ticket(&format!("t{n}"), "ada@example.com")
            .await;
    }
    let body: Value = desk.get("/tickets").await.json().await.unwrap();
    let items = body["data"].as_array().unwrap();
    let numbers: Vec<&str> = items
        .iter()
        .map(|t| t["ticketNumber"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["103", "102", "101"]);
    assert!(
        items
            .iter()
            .all(|t| t.get("description").is_none() && t.get("cf").is_none())
    );
    assert!(
        items
            .iter()
            .all(|t| t["dueDate"].is_null() && t["webUrl"].is_string())
    );
    let body: Value = desk
        .get("/tickets?from=1&limit=1&sortBy=ticketNumber")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"][0]["ticketNumber"], "102");
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_ticket_list_filters_by_department_and_status() {
    let desk = Desk::new().await;
    let t = desk.create_ticket("a", "a@example.com").await;
    desk.create_ticket("b", "b@example.com").await;
    desk.patch(
        &format!("/tickets/{}", t["id"].as_str().unwrap()),
        &json!({"status": "Closed"}),
    )
    .await;
    let callbacks = desk.sim.department_id("Callbacks").unwrap();
    let body: Value = desk
        .get(&format!("/tickets?departmentId={callbacks}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body, json!({"data": []}));
    let body: Value = desk
        .get("/tickets?status=Closed")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    let body: Value = desk
        .get(&format!(
            "/tickets?departmentId={}&status=Open,Closed",
            desk.support()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    let (status, _, body) = error_of(desk.get("/tickets?sortBy=colour").await).await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["sortBy".to_owned()])
    );
}

#[tokio::test]
async fn search_finds_full_tickets_by_number_email_custom_field_and_description() {
    let desk = Desk::new().await;
    let body = json!({
        "subject": "Broken screen", "departmentId": desk.support(), "description": "The screen cracked on Monday",
        "contact": {"lastName": "L", "email": "lin@example.com"}, "cf": {"cf_chat_id": "chat-42"},
    });
    let created: Value = desk.post("/tickets", &body).await.json().await.unwrap();
    desk.create_ticket("Other", "other@example.com").await;
    for query in [
        "ticketNumber=101",
        "email=lin@example.com",
        "customField1=cf_chat_id:chat-42",
        "description=cracked",
        "subject=broken*",
    ] {
        let response = desk.get(&format!("/tickets/search?{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["count"], 1, "{query}");
        assert_eq!(
            body["data"][0], created,
            "{query}: search gives full tickets"
        );
    }
}

#[tokio::test]
async fn a_search_without_hits_is_204_with_an_empty_body() {
    let desk = Desk::new().await;
    desk.create_ticket("s", "ada@example.com").await;
    for path in [
        "/tickets/search?ticketNumber=999",
        "/contacts/search?email=nobody@example.com",
        "/articles/search?searchStr=zebra",
    ] {
        let response = desk.get(path).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{path}");
        assert!(response.bytes().await.unwrap().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn a_malformed_custom_field_search_is_unprocessable() {
    let desk = Desk::new().await;
    let (status, code, _) = error_of(desk.get("/tickets/search?customField1=novalue").await).await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
}

#[tokio::test]
async fn patch_changes_only_what_it_names_and_returns_the_full_ticket() {
    let desk = Desk::new().await;
    let created = desk.create_ticket("s", "ada@example.com").await;
    let id = created["id"].as_str().unwrap();
    let response = desk
        .patch(
            &format!("/tickets/{id}"),
            &json!({"priority": "Low", "status": "Closed", "cf": {"cf_x": "1"}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["priority"], "Low");
    assert_eq!(updated["statusType"], "Closed");
    assert!(is_zoho_time(&updated["closedTime"]));
    assert_eq!(updated["subject"], "s");
    assert_eq!(updated["cf"], json!({"cf_x": "1"}));
    assert_eq!(updated["description"], Value::Null);
    let cleared: Value = desk
        .patch(&format!("/tickets/{id}"), &json!({"priority": null}))
        .await
        .json()
        .await
        .unwrap();
    assert!(cleared["priority"].is_null());
    let (status, _, body) = error_of(
        desk.patch(
            &format!("/tickets/{id}"),
            &json!({"priority": "Urgent", "subject": null}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_names(&body), ["/subject", "/priority"]);
}

// ---------- comments and attachments ----------

#[tokio::test]
async fn a_comment_is_added_to_a_ticket() {
    let desk = Desk::new().await;
    let ticket = desk.create_ticket("s", "ada@example.com").await;
    let id = ticket["id"].as_str().unwrap();
    let body =
        json!({"content": "Called, no answer", "isPublic": false, "contentType": "plainText"});
    let response = desk.post(&format!("/tickets/{id}/comments"), &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let comment: Value = response.json().await.unwrap();
    assert!(is_zoho_id(&comment["id"]));
    assert_eq!(comment["content"], "Called, no answer");
    assert_eq!(comment["contentType"], "plainText");
    assert!(is_zoho_time(&comment["commentedTime"]));
    assert_eq!(desk.sim.comments(id), vec![comment]);
    assert_eq!(desk.sim.tickets()[0]["commentCount"], "1");
    let (status, _, body) = error_of(
        desk.post(
            &format!("/tickets/{id}/comments"),
            &json!({"isPublic": true}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["/content".to_owned()])
    );
    let (status, code, _) = error_of(
        desk.post(
            "/tickets/1329983000000999999/comments",
            &json!({"content": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (404, "URL_NOT_FOUND"));
}

async fn upload(desk: &Desk, path: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("notes.txt");
    let form = reqwest::multipart::Form::new().part("file", part);
    desk.request(reqwest::Method::POST, path)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_attachment_is_a_multipart_file_part() {
    let desk = Desk::new().await;
    let ticket = desk.create_ticket("s", "ada@example.com").await;
    let id = ticket["id"].as_str().unwrap();
    let response = upload(
        &desk,
        &format!("/tickets/{id}/attachments?isPublic=true"),
        b"hello".to_vec(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let attachment: Value = response.json().await.unwrap();
    assert_eq!(attachment["name"], "notes.txt");
    assert_eq!(attachment["size"], "5");
    assert_eq!(attachment["isPublic"], true);
    assert!(is_zoho_id(&attachment["id"]));
    assert_eq!(desk.sim.attachments(id).len(), 1);
    assert_eq!(desk.sim.tickets()[0]["attachmentCount"], "1");
}

#[tokio::test]
async fn an_attachment_over_the_limit_is_413_resource_size_exceeded() {
    let desk = Desk::with_config(SimConfig {
        attachment_max_bytes: 1024,
        ..SimConfig::default()
    })
    .await;
    let ticket = desk.create_ticket("s", "ada@example.com").await;
    let path = format!("/tickets/{}/attachments", ticket["id"].as_str().unwrap());
    let (status, code, _) = error_of(upload(&desk, &path, vec![b'x'; 1025]).await).await;
    assert_eq!((status, code.as_str()), (413, "RESOURCE_SIZE_EXCEEDED"));
    assert_eq!(
        upload(&desk, &path, vec![b'x'; 1024]).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_attachment_needs_a_file_part() {
    let desk = Desk::new().await;
    let ticket = desk.create_ticket("s", "ada@example.com").await;
    let form = reqwest::multipart::Form::new().text("isPublic", "true");
    let path = format!("/tickets/{}/attachments", ticket["id"].as_str().unwrap());
    let response = desk
        .request(reqwest::Method::POST, &path)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (status, _, body) = error_of(response).await;
    assert_eq!((status, field_names(&body)), (422, vec!["file".to_owned()]));
}

// ---------- contacts ----------

#[tokio::test]
async fn a_contact_needs_a_last_name_and_is_not_deduplicated() {
    let desk = Desk::new().await;
    let (status, code, body) = error_of(
        desk.post("/contacts", &json!({"email": "a@example.com"}))
            .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (422, "UNPROCESSABLE_ENTITY"));
    assert_eq!(
        body["errors"][0],
        json!({"fieldName": "/lastName", "errorType": "missing", "errorMessage": "lastName is required"})
    );
    let one: Value = desk
        .post(
            "/contacts",
            &json!({"lastName": "A", "email": "a@example.com"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let two: Value = desk
        .post(
            "/contacts",
            &json!({"lastName": "A", "email": "a@example.com"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(one["id"], two["id"]);
    assert!(is_zoho_id(&one["id"]));
    assert!(one["firstName"].is_null() && one["phone"].is_null());
    let read: Value = desk
        .get(&format!("/contacts/{}", one["id"].as_str().unwrap()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, one);
    let (status, code, _) = error_of(desk.get("/contacts/1329983000000999999").await).await;
    assert_eq!((status, code.as_str()), (404, "URL_NOT_FOUND"));
}

#[tokio::test]
async fn contact_search_matches_the_whole_email_ignoring_case() {
    let desk = Desk::new().await;
    let created: Value = desk
        .post(
            "/contacts",
            &json!({"lastName": "A", "email": "ann@example.com"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body: Value = desk
        .get("/contacts/search?email=ANN@example.com&limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["count"], 1);
    assert_eq!(body["data"][0], created);
    assert_eq!(
        desk.get("/contacts/search?email=ann@example")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_trailing_star_searches_contacts_by_prefix() {
    let desk = Desk::new().await;
    for (last, email) in [("Lee", "ann.lee@example.com"), ("Bo", "bob@example.com")] {
        desk.post("/contacts", &json!({"lastName": last, "email": email}))
            .await;
    }
    let body: Value = desk
        .get("/contacts/search?email=ANN*&limit=5")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["count"], 1);
    assert_eq!(body["data"][0]["email"], "ann.lee@example.com");
    let body: Value = desk
        .get("/contacts/search?lastName=b*")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"][0]["lastName"], "Bo");
    assert_eq!(
        desk.get("/contacts/search?email=zed*").await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn new_contacts_can_take_a_while_to_become_searchable() {
    let desk = Desk::with_config(SimConfig {
        contact_search_delay: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .await;
    desk.post(
        "/contacts",
        &json!({"lastName": "A", "email": "late@example.com"}),
    )
    .await;
    assert_eq!(
        desk.get("/contacts/search?email=late@example.com")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        desk.get("/contacts/search?email=late@example.com")
            .await
            .status(),
        StatusCode::OK
    );
}

// ---------- articles ----------

#[tokio::test]
async fn articles_are_found_by_words() {
    let desk = Desk::new().await;
    let body: Value = desk
        .get("/articles/search?searchStr=forgot%20my%20password&limit=5")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"][0]["title"], "How to reset your password");
    assert_eq!(body["count"], body["data"].as_array().unwrap().len());
    assert!(is_zoho_id(&body["data"][0]["id"]));
    let (status, _, body) = error_of(desk.get("/articles/search?limit=5").await).await;
    assert_eq!(
        (status, field_names(&body)),
        (422, vec!["searchStr".to_owned()])
    );
}

// ---------- the whole flow ----------

#[tokio::test]
async fn the_full_flow_consent_token_org_departments_ticket() {
    let sim = start(SimConfig {
        consent: ConsentMode::AutoApprove,
        ..SimConfig::default()
    })
    .await;
    let tokens = exchange(&sim, &code(&sim, &[("scope", &ALL_SCOPES.join(","))]).await).await;
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let orgs: Value = http()
        .get(format!("{}/organizations", sim.desk_api_url()))
        .header("Authorization", format!("Zoho-oauthtoken {access}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let desk = Desk {
        sim: sim.clone(),
        token: access,
        org: orgs["data"][0]["id"].as_str().unwrap().to_owned(),
    };
    let ticket = desk
        .create_ticket("From the flow", "flow@example.com")
        .await;
    assert_eq!(ticket["ticketNumber"], "101");
}
