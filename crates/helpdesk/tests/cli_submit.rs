//! `deskctl ticket`, `callback`, `history` and `outbox list` against
//! desk-sim: what Desk ends up holding, exit codes, `--json`.

mod cli_common;

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Berlin;
use cli_common::{Rig, ticket_args};

#[tokio::test(flavor = "multi_thread")]
async fn a_ticket_with_an_attachment_arrives_with_every_field_as_entered() {
    let rig = Rig::new().await;
    rig.login().await.expect(0);
    let file = rig.file("printer.log", b"paper jam at 14:02\n");
    let path = file.to_str().unwrap();
    let photo = rig.file("printer.png", b"\x89PNG fake");
    let out = rig
        .run(&ticket_args(&[
            "--priority",
            "high",
            "--attach",
            path,
            "--attach",
            photo.to_str().unwrap(),
        ]))
        .await;
    out.expect(0);
    let json = out.json();
    assert_eq!(json["item"]["state"], "delivered");
    assert_eq!(json["attachments"][0]["uploaded"], true);
    assert_eq!(json["attachments"][1]["uploaded"], true);

    let tickets = rig.sim.tickets();
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    assert_eq!(t["subject"], "Printer on fire");
    assert_eq!(t["priority"], "High");
    assert_eq!(t["status"], "Open");
    assert_eq!(t["email"], "ada@example.com");
    assert_eq!(t["phone"], "+4915123456789");
    assert_eq!(
        t["departmentId"],
        rig.sim.department_id("Support").unwrap().as_str()
    );
    let description = t["description"].as_str().unwrap();
    assert!(
        description.contains("It smells of &lt;smoke&gt; &amp; toast.<br>Second line."),
        "{description}"
    );
    assert_eq!(json["item"]["ticketNumber"], t["ticketNumber"]);
    let contact = rig
        .sim
        .contacts()
        .into_iter()
        .find(|c| c["id"] == t["contactId"])
        .expect("the contact");
    assert_eq!(contact["firstName"], "Ada");
    assert_eq!(contact["lastName"], "Lovelace");
    assert_eq!(contact["email"], "ada@example.com");

    let attachments = rig.sim.attachments(t["id"].as_str().unwrap());
    assert_eq!(attachments.len(), 2, "{attachments:?}");
    assert_eq!(attachments[0]["name"], "printer.log");
    // Desk sends sizes as strings.
    assert_eq!(attachments[0]["size"], "19");
    // Each arrived once, on this ticket (what the sim holds in all).
    let all: Vec<serde_json::Value> =
        reqwest::get(format!("{}/_sim/attachments", rig.sim.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let mut names: Vec<&str> = all.iter().map(|a| a["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["printer.log", "printer.png"], "{all:?}");
    assert!(all.iter().all(|a| a["ticketId"] == t["id"]), "{all:?}");

    let out = rig.run(&["--json", "history"]).await;
    out.expect(0);
    let items = out.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["state"], "delivered");
    assert_eq!(items[0]["contactName"], "Ada Lovelace");
    let out = rig.run(&["--json", "outbox"]).await;
    out.expect(0);
    assert!(out.json()["items"].as_array().unwrap().is_empty());
    let text = rig.run(&["history", "--search", "printer"]).await;
    text.expect(0);
    assert!(text.stdout.contains("Printer on fire"), "{}", text.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_is_exit_2_and_nothing_is_queued_or_sent() {
    let rig = Rig::new().await;
    rig.login().await.expect(0);
    for (flag, bad) in [
        ("--email", "ada@@example"),
        ("--phone", "call 555-HELP"),
        ("--name", "R2-D2 123"),
    ] {
        let mut args = ticket_args(&[]);
        let at = args.iter().position(|a| *a == flag).unwrap();
        args[at + 1] = bad;
        let out = rig.run(&args).await;
        out.expect(2);
        let json = out.json();
        assert_eq!(json["kind"], "invalid_input");
        assert!(json["message"].as_str().unwrap().contains(flag), "{json}");
    }
    let missing = rig.file("x", b"");
    let out = rig
        .run(&ticket_args(&["--attach", "/no/such/file.txt"]))
        .await;
    out.expect(2);
    // The forms' caps: at most 10 files, each named in the message.
    let one = rig.file("one.txt", b"1");
    let mut args = ticket_args(&[]);
    for _ in 0..11 {
        args.extend(["--attach", one.to_str().unwrap()]);
    }
    let out = rig.run(&args).await;
    out.expect(2);
    let message = out.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("one.txt") && message.contains("at most 10"),
        "{message}"
    );
    let out = rig
        .run(&ticket_args(&["--attach", missing.to_str().unwrap()]))
        .await;
    out.expect(2);
    assert!(out.json()["message"].as_str().unwrap().contains("empty"));
    drop(missing);
    let out = rig
        .run(&[
            "--json",
            "callback",
            "--name",
            "Ada",
            "--phone",
            "+4915123456789",
            "--when",
            "tomorrow",
        ])
        .await;
    out.expect(2);
    assert!(
        out.json()["message"]
            .as_str()
            .unwrap()
            .contains("What time")
    );
    assert!(rig.sim.tickets().is_empty());
    let out = rig.run(&["--json", "history"]).await;
    assert!(out.json()["items"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desk_validation_error_is_exit_4_with_the_field() {
    let rig = Rig::new().await;
    rig.login().await.expect(0);
    let out = rig
        .run(&ticket_args(&["--department", "1329983000000999999"]))
        .await;
    out.expect(4);
    let json = out.json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["item"]["state"], "failed");
    assert_eq!(json["item"]["fieldErrors"][0]["field"], "/departmentId");
    assert!(rig.sim.tickets().is_empty());
    let out = rig.run(&["--json", "outbox", "list"]).await;
    out.expect(0);
    let items = out.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["state"], "failed");

    // Retrying unchanged is refused again; discarding removes it.
    let id = items[0]["id"].to_string();
    rig.run(&["--json", "outbox", "retry", &id]).await.expect(4);
    let out = rig.run(&["--json", "outbox", "discard", &id]).await;
    out.expect(0);
    assert_eq!(out.json()["discarded"]["state"], "failed");
    let out = rig.run(&["--json", "outbox"]).await;
    assert!(out.json()["items"].as_array().unwrap().is_empty());
    rig.run(&["--json", "outbox", "discard", &id])
        .await
        .expect(2);
    assert!(rig.sim.tickets().is_empty());

    // An unknown department name is caught before anything is queued.
    let out = rig.run(&ticket_args(&["--department", "Billing"])).await;
    out.expect(2);
    assert!(out.json()["message"].as_str().unwrap().contains("Support"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callback_is_read_in_the_local_zone_and_echoed_with_it() {
    let rig = Rig::new().await;
    rig.login().await.expect(0);
    let out = rig
        .run(&[
            "--json",
            "callback",
            "--name",
            "Ada Lovelace",
            "--phone",
            "+49 151 23456789",
            "--email",
            "ada@example.com",
            "--when",
            "tomorrow 2pm",
            "--note",
            "About the <printer>",
        ])
        .await;
    out.expect(0);
    let json = out.json();
    assert_eq!(json["when"]["timeZone"], "Europe/Berlin");
    assert!(
        json["when"]["local"]
            .as_str()
            .unwrap()
            .ends_with("14:00 (Europe/Berlin)"),
        "{json}"
    );
    let tomorrow = Utc::now().with_timezone(&Berlin).date_naive() + Duration::days(1);
    let expected = Berlin
        .with_ymd_and_hms(tomorrow.year(), tomorrow.month(), tomorrow.day(), 14, 0, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc);
    let tickets = rig.sim.tickets();
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    assert_eq!(
        t["departmentId"],
        rig.sim.department_id("Callbacks").unwrap().as_str()
    );
    let due: DateTime<Utc> = t["dueDate"].as_str().unwrap().parse().unwrap();
    assert_eq!(due, expected);
    assert_eq!(due.second(), 0);
    assert!(
        t["subject"]
            .as_str()
            .unwrap()
            .starts_with("Callback requested")
    );
    assert!(
        t["description"]
            .as_str()
            .unwrap()
            .contains("About the &lt;printer&gt;")
    );
    let text = rig
        .run(&[
            "callback",
            "--name",
            "Ada",
            "--phone",
            "+4915123456789",
            "--when",
            "in 2 hours",
        ])
        .await;
    text.expect(0);
    assert!(text.stdout.contains("(Europe/Berlin)"), "{}", text.stdout);
}
