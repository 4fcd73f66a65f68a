//! Manual entry and History, end to end: the real app against a `desk-sim`
//! process, its data folder connected with a Self Client code (as the chat
//! tests do). Every check is made on what the sim received and holds.

use std::time::Duration;

use chrono::{NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use e2e::chat::{Connected, connect_data_dir};
use e2e::sim::SimProcess;
use e2e::{App, AppOptions, run};
use fantoccini::Locator;
use fantoccini::elements::Element;
use fantoccini::key::Key;
use serde_json::{Value, json};

/// The zone the app reads times in (pinned with `TZ`).
const ZONE: &str = "Europe/Berlin";
/// How long a submission may take (the form waits up to 10 s for Desk).
const SEND: Duration = Duration::from_secs(40);

/// The sim and the connected data folder of one test.
type Fixture = Connected;

fn fixture() -> Fixture {
    Connected::start()
}

fn options(f: &Fixture) -> AppOptions {
    f.options(ZONE)
}

/// The element matching `css`, waiting for it.
async fn find_css(app: &App, css: &str) -> e2e::Result<Element> {
    Ok(app
        .client
        .wait()
        .at_most(SEND)
        .for_element(Locator::Css(css))
        .await?)
}

/// Sets an input's value the way a picker does (`datetime-local` inputs
/// cannot be typed into portably), firing `input` and `change`.
async fn set_value(app: &App, test_id: &str, value: &str) -> e2e::Result {
    let element = app.find(test_id).await?;
    app.client
        .execute(
            "const el = arguments[0]; el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::to_value(&element)?, json!(value)],
        )
        .await?;
    Ok(())
}

/// Chooses the option whose label is `label` in the select `test_id`.
async fn select(app: &App, test_id: &str, label: &str) -> e2e::Result {
    app.find(test_id).await?.select_by_label(label).await?;
    Ok(())
}

/// The `data-state` of the element `test_id` once it is one of `states`.
async fn wait_for_state(app: &App, test_id: &str, states: &[&str]) -> e2e::Result<String> {
    let deadline = std::time::Instant::now() + SEND;
    loop {
        if let Ok(element) = app.find(test_id).await
            && let Some(state) = element.attr("data-state").await?
            && states.contains(&state.as_str())
        {
            return Ok(state);
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("[{test_id}] never reached {states:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Presses Ctrl+Enter in the element `test_id` (the forms' submit shortcut).
async fn ctrl_enter(app: &App, test_id: &str) -> e2e::Result {
    let element = app.find(test_id).await?;
    element.click().await?;
    // Null releases the modifier within the same sequence (the form is
    // replaced by its result, so there is no element to send it to later).
    let keys = format!(
        "{}{}{}",
        char::from(Key::Control),
        char::from(Key::Enter),
        char::from(Key::Null)
    );
    element.send_keys(&keys).await?;
    Ok(())
}

/// Tickets whose subject is `subject`.
fn tickets_titled(sim: &SimProcess, subject: &str) -> Vec<Value> {
    sim.tickets()
        .into_iter()
        .filter(|t| t["subject"].as_str() == Some(subject))
        .collect()
}

#[tokio::test]
async fn a_ticket_with_an_attachment_arrives_with_every_field_as_entered() {
    let f = fixture();
    let sim = &f.sim;
    let callbacks = sim.department_id("Callbacks");
    let file = f.dir.path().join("screenshot of the error.txt");
    let content = "Error 0x80070005 at checkout\n".repeat(200);
    std::fs::write(&file, &content).unwrap();
    let subject = "Printer at the front desk jams on every page";

    let number = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let shown = number.clone();
    run(
        "forms_ticket_with_attachment",
        options(&f),
        |app| async move {
            app.click("nav-new-ticket").await?;
            app.find("ticket-form").await?;
            app.type_into("ticket-name", "Ann Lee").await?;
            app.type_into("ticket-email", "ann.lee@example.com").await?;
            app.type_into("ticket-phone", "+49 30 12345678").await?;
            app.type_into("ticket-subject", subject).await?;
            app.type_into(
                "ticket-description",
                "It jams after the first sheet.\nWe tried <two> trays & cleaned it.",
            )
            .await?;
            select(&app, "ticket-department", "Callbacks").await?;
            select(&app, "ticket-priority", "High").await?;
            select(&app, "ticket-status", "On Hold").await?;
            select(&app, "ticket-channel", "Email").await?;
            set_value(&app, "ticket-due", "2030-03-04T09:30").await?;
            // The file picker, driven as WebDriver does for file inputs.
            app.find("ticket-files")
                .await?
                .send_keys(file.to_str().unwrap())
                .await?;
            app.wait_for_text("ticket-attachment-name", |t| {
                t.contains("screenshot of the error.txt")
            })
            .await?;

            ctrl_enter(&app, "ticket-subject").await?;
            let state =
                wait_for_state(&app, "ticket-result", &["sent", "queued", "failed"]).await?;
            assert_eq!(state, "sent", "{}", app.text("ticket-result").await?);
            *shown.lock().unwrap() = app.text("ticket-result-number").await?;
            Ok(())
        },
    )
    .await;

    let tickets = tickets_titled(sim, subject);
    assert_eq!(tickets.len(), 1, "{tickets:#?}");
    let t = &tickets[0];
    let number = number.lock().unwrap().clone();
    assert!(
        number.contains(t["ticketNumber"].as_str().unwrap()),
        "shown {number:?}, sim holds {t}"
    );
    assert_eq!(t["departmentId"].as_str(), Some(callbacks.as_str()));
    assert_eq!(t["priority"], "High");
    assert_eq!(t["status"], "On Hold");
    assert_eq!(t["channel"], "Email");
    let due = Tz::Europe__Berlin
        .from_local_datetime(
            &NaiveDateTime::parse_from_str("2030-03-04T09:30", "%Y-%m-%dT%H:%M").unwrap(),
        )
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        t["dueDate"].as_str(),
        Some(due.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string().as_str())
    );
    let description = t["description"].as_str().unwrap();
    assert!(
        description.contains("It jams after the first sheet.")
            && description.contains("&lt;two&gt; trays &amp; cleaned it."),
        "{description}"
    );

    // The inline contact, as typed, in the one POST /tickets.
    let creates = sim.requests("POST", "/api/v1/tickets");
    assert_eq!(creates.len(), 1, "{creates:#?}");
    let body = &creates[0]["body"];
    assert_eq!(body["contact"]["firstName"], "Ann");
    assert_eq!(body["contact"]["lastName"], "Lee");
    assert_eq!(body["contact"]["email"], "ann.lee@example.com");
    assert_eq!(body["contact"]["phone"], "+493012345678");

    // The attachment, once, on that ticket, with its name and size.
    let id = t["id"].as_str().unwrap();
    let attachments: Vec<Value> = sim
        .get("/_sim/attachments")
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a["ticketId"].as_str() == Some(id))
        .collect();
    assert_eq!(attachments.len(), 1, "{attachments:#?}");
    assert_eq!(attachments[0]["name"], "screenshot of the error.txt");
    assert_eq!(
        attachments[0]["size"].as_str(),
        Some(content.len().to_string().as_str()),
        "{:#}",
        attachments[0]
    );
}

#[tokio::test]
async fn a_desk_validation_error_lands_on_the_field_it_names() {
    let f = fixture();
    let sim = &f.sim;
    // Desk refuses the phone number, which the app's own check accepts.
    sim.fault(json!({
        "method": "POST",
        "path": "/api/v1/tickets",
        "kind": "field_error",
        "field": "/phone",
        "message": "Phone number is not valid for this portal's country."
    }));
    let subject = "Refund for order 7781 never arrived";
    run(
        "forms_desk_validation_error",
        options(&f),
        |app| async move {
            app.click("nav-new-ticket").await?;
            app.find("ticket-form").await?;
            app.type_into("ticket-name", "Ben Okafor").await?;
            app.type_into("ticket-email", "ben@example.org").await?;
            app.type_into("ticket-phone", "+44 20 7946 0958").await?;
            app.type_into("ticket-subject", subject).await?;
            app.type_into(
                "ticket-description",
                "Refund promised on the phone last week.",
            )
            .await?;
            app.click("ticket-submit").await?;
            let state =
                wait_for_state(&app, "ticket-result", &["sent", "queued", "failed"]).await?;
            assert_eq!(state, "failed");
            let error = app
                .wait_for_text("ticket-phone-error", |t| t.contains("not valid"))
                .await?;
            assert!(error.contains("Phone number is not valid"), "{error}");
            // The field Desk named is the one marked, and has the focus.
            let phone = app.find("ticket-phone").await?;
            assert_eq!(phone.attr("aria-invalid").await?.as_deref(), Some("true"));
            let focused = app
                .client
                .execute(
                    "return document.activeElement && document.activeElement.dataset.testid;",
                    vec![],
                )
                .await?;
            assert_eq!(focused, json!("ticket-phone"));
            for other in ["ticket-email", "ticket-subject", "ticket-name"] {
                let aria = app.find(other).await?.attr("aria-invalid").await?;
                assert_ne!(aria.as_deref(), Some("true"), "{other} marked too");
            }
            // Corrected and sent again: delivered, once.
            phone.clear().await?;
            phone.send_keys("+44 20 7946 0959").await?;
            app.click("ticket-submit").await?;
            let state = wait_for_state(&app, "ticket-result", &["sent", "queued"]).await?;
            assert_eq!(state, "sent");
            Ok(())
        },
    )
    .await;
    let tickets = tickets_titled(sim, subject);
    assert_eq!(tickets.len(), 1, "{tickets:#?}");
    let creates = sim.requests("POST", "/api/v1/tickets");
    let last = &creates.last().expect("a create")["body"];
    assert_eq!(last["contact"]["phone"], "+442079460959", "{creates:#?}");
}

#[tokio::test]
async fn a_queued_callback_is_retried_from_history_and_delivered_once() {
    let mut f = fixture();
    let callbacks = f.sim.department_id("Callbacks");
    f.sim.kill();
    let opts = options(&f);
    let sim = std::sync::Arc::new(std::sync::Mutex::new(f.sim));
    let sim_in_flow = sim.clone();
    let at = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let echoed = at.clone();
    run("forms_history_retry", opts, |app| async move {
        app.click("nav-new-callback").await?;
        app.find("callback-form").await?;
        app.type_into("callback-name", "Chloe Martin").await?;
        app.type_into("callback-phone", "+33 1 42 68 53 00").await?;
        app.type_into("callback-when", "tomorrow 2pm").await?;
        let echo = app
            .wait_for_text("callback-when-echo", |t| t.contains("14:00"))
            .await?;
        assert!(echo.contains(ZONE), "{echo}");
        *echoed.lock().unwrap() = echo;
        app.type_into("callback-note", "About the renewal quote.")
            .await?;
        ctrl_enter(&app, "callback-note").await?;
        // Desk is down: queued, and the form says so.
        let state = wait_for_state(&app, "callback-result", &["sent", "queued", "failed"]).await?;
        assert_eq!(state, "queued");

        app.click("nav-history").await?;
        let row = find_css(&app, "[data-testid=\"history-row\"][data-state=\"queued\"]").await?;
        let id = row.attr("data-id").await?.expect("row id");
        let contact = find_css(
            &app,
            &format!(
                "[data-testid=\"history-row\"][data-id=\"{id}\"] [data-testid=\"history-contact\"]"
            ),
        )
        .await?
        .text()
        .await?;
        assert!(contact.contains("Chloe Martin"), "{contact:?}");

        // Desk is back; the agent retries from the history. The background
        // deliverer backs off (2 s doubling, jittered down to half): once it
        // has tried 4 times, its next try is at least 8 s away, so the send
        // that follows is the retry's.
        let next = format!(
            "[data-testid=\"history-row\"][data-id=\"{id}\"] [data-testid=\"history-next-attempt\"]"
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let text = match find_css(&app, &next).await {
                Ok(el) => el.text().await?,
                Err(_) => String::new(),
            };
            let tried = text
                .split("tried ")
                .nth(1)
                .and_then(|t| t.split(' ').next())
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0);
            if tried >= 4 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the background deliverer did not retry: {text:?}"
            );
            app.click("history-refresh").await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        sim_in_flow.lock().unwrap().restart();
        let retry = format!(
            "[data-testid=\"history-row\"][data-id=\"{id}\"] [data-testid=\"history-retry\"]"
        );
        find_css(&app, &retry).await?.click().await?;
        find_css(
            &app,
            &format!("[data-testid=\"history-row\"][data-id=\"{id}\"][data-state=\"sent\"]"),
        )
        .await?;
        let number = find_css(
            &app,
            &format!(
                "[data-testid=\"history-row\"][data-id=\"{id}\"] [data-testid=\"history-number\"]"
            ),
        )
        .await?
        .text()
        .await?;
        assert!(!number.trim().is_empty(), "no ticket number shown");
        // Nothing else goes out for it afterwards (the background deliverer
        // and the retry do not both send it).
        tokio::time::sleep(Duration::from_secs(3)).await;
        Ok(())
    })
    .await;

    let sim = sim.lock().unwrap();
    let tickets: Vec<Value> = sim
        .tickets()
        .into_iter()
        .filter(|t| {
            t["subject"]
                .as_str()
                .is_some_and(|s| s.starts_with("Callback requested") && s.contains("Chloe Martin"))
        })
        .collect();
    assert_eq!(tickets.len(), 1, "{tickets:#?}");
    let t = &tickets[0];
    assert_eq!(t["departmentId"].as_str(), Some(callbacks.as_str()));
    // The dueDate is tomorrow 14:00 in the zone, as echoed.
    let tz: Tz = ZONE.parse().unwrap();
    let tomorrow = Utc::now().with_timezone(&tz).date_naive() + chrono::Days::new(1);
    let expected = tz
        .from_local_datetime(&tomorrow.and_hms_opt(14, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        t["dueDate"].as_str(),
        Some(
            expected
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string()
                .as_str()
        ),
        "echoed {:?}",
        at.lock().unwrap()
    );
    let creates = sim.requests("POST", "/api/v1/tickets");
    assert_eq!(creates.len(), 1, "{creates:#?}");
}

#[tokio::test]
async fn contact_suggestions_come_from_desk_as_you_type_and_fill_the_contact() {
    let f = fixture();
    // A contact that only Desk knows: filed from another machine (another
    // data folder), so this one's history cannot suggest it.
    let elsewhere = f.dir.path().join("another-machine");
    connect_data_dir(&f.sim, &elsewhere);
    let out = e2e::chat::deskctl(&f.sim, &elsewhere)
        .args([
            "ticket",
            "--name",
            "Dana Fox",
            "--email",
            "dana.fox@example.com",
            "--phone",
            "+49 89 1234567",
            "--subject",
            "Badge reader at gate 2",
            "--description",
            "It beeps but does not open.",
        ])
        .output()
        .expect("deskctl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    f.sim.delete("/_sim/requests");

    run("forms_contact_suggestions", options(&f), |app| async move {
        app.click("nav-new-ticket").await?;
        let email = app.find("ticket-email").await?;
        email.send_keys("dana.f").await?;
        let suggestion = app
            .wait_for_text("ticket-email-suggestion", |t| t.contains("Dana Fox"))
            .await?;
        assert!(suggestion.contains("Desk contact"), "{suggestion}");
        // Keyboard only: down to the suggestion, Enter to take it.
        let keys = format!("{}{}", char::from(Key::Down), char::from(Key::Enter));
        email.send_keys(&keys).await?;
        let value = |id: &'static str| {
            let app = &app;
            async move {
                let element = app.find(id).await?;
                e2e::Result::Ok(element.prop("value").await?.unwrap_or_default())
            }
        };
        assert_eq!(value("ticket-name").await?, "Dana Fox");
        assert_eq!(value("ticket-email").await?, "dana.fox@example.com");
        assert_eq!(value("ticket-phone").await?, "+49891234567");
        Ok(())
    })
    .await;

    // Desk was asked by prefix, and not once per keystroke.
    let searches = f.sim.requests("GET", "/api/v1/contacts/search");
    assert!(!searches.is_empty(), "Desk was never asked");
    assert!(
        searches
            .iter()
            .any(|r| r["query"].as_str().is_some_and(|q| q.contains("dana.f"))),
        "{searches:#?}"
    );
    assert!(
        searches.len() <= 4,
        "{} searches: {searches:#?}",
        searches.len()
    );
}

#[tokio::test]
async fn a_ticket_queued_while_desk_is_down_is_notified_once_delivered_in_the_background() {
    let f = fixture();
    let mut opts = options(&f);
    opts.record_notifications = true;
    let sim = std::sync::Arc::new(std::sync::Mutex::new(f.sim));
    let sim_in_flow = sim.clone();
    let at_once = "Monitor flickers after the update";
    let later = "Door badge reader at gate 3 stays red";
    run("forms_queued_ticket_notified", opts, |app| async move {
        let sim = sim_in_flow;
        let fill = |subject: &'static str| {
            let app = &app;
            async move {
                app.find("ticket-form").await?;
                app.type_into("ticket-name", "Eva Novak").await?;
                app.type_into("ticket-email", "eva.novak@example.com")
                    .await?;
                app.type_into("ticket-subject", subject).await?;
                app.type_into("ticket-description", "Reported at the front desk.")
                    .await?;
                app.click("ticket-submit").await?;
                wait_for_state(app, "ticket-result", &["sent", "queued", "failed"]).await
            }
        };

        // Desk is up: delivered by the first, immediate attempt, which the
        // form shows. No notification for that.
        app.click("nav-new-ticket").await?;
        assert_eq!(fill(at_once).await?, "sent");
        let first = app.text("ticket-result-number").await?;

        // Desk is down: queued.
        sim.lock().unwrap().kill();
        app.click("ticket-another").await?;
        assert_eq!(fill(later).await?, "queued");

        // Desk is back; nobody clicks anything. The background deliverer's
        // next try is at most 16 s (jittered) after the one before, so it
        // delivers well within the wait.
        sim.lock().unwrap().restart();
        let notice = app
            .wait_for_notification(Duration::from_secs(60), |n| {
                n["summary"]
                    .as_str()
                    .is_some_and(|s| s.contains("sent to Zoho Desk"))
            })
            .await?;
        let held = tickets_titled(&sim.lock().unwrap(), later);
        let number = held
            .first()
            .and_then(|t| t["ticketNumber"].as_str())
            .ok_or_else(|| format!("notified {notice}, but the sim holds {held:?}"))?;
        assert!(
            notice["summary"]
                .as_str()
                .is_some_and(|s| s.contains(&format!("#{number}"))),
            "{notice} does not name #{number}"
        );
        assert!(
            notice["body"].as_str().is_some_and(|b| b.contains(later)),
            "{notice}"
        );

        // That one only: none for the ticket delivered at once.
        let shown = app.notifications();
        assert_eq!(shown.len(), 1, "{shown:#?} (first ticket: {first:?})");
        Ok(())
    })
    .await;

    let sim = sim.lock().unwrap();
    assert_eq!(tickets_titled(&sim, at_once).len(), 1);
    assert_eq!(tickets_titled(&sim, later).len(), 1);
}
