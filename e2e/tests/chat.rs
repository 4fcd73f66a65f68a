//! The support chat, end to end: the real app against a `desk-sim` process,
//! its data folder connected with a Self Client code (`deskctl login`, the
//! wizard's code path without the wizard's screens, which `setup.rs` covers).
//! Every check is made on what the sim received and holds.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use chrono::{Datelike, TimeZone, Utc};
use chrono_tz::Tz;
use e2e::chat::{
    Connected, choose, deskctl, file_a_ticket, log_text, say, wait_for_chat, wait_for_submission,
};
use e2e::sim::{SimProcess, poll};
use e2e::{AppOptions, run};
use serde_json::{Value, json};

/// The zone the app reads callback times in (pinned with `TZ`).
const ZONE: &str = "Europe/Berlin";

/// The sim and the connected data folder of one test.
type Fixture = Connected;

fn fixture() -> Fixture {
    Connected::start()
}

fn options(f: &Fixture) -> AppOptions {
    f.options(ZONE)
}

/// Tickets whose description contains `marker`.
fn tickets_with(sim: &SimProcess, marker: &str) -> Vec<Value> {
    sim.tickets()
        .into_iter()
        .filter(|t| {
            t["description"]
                .as_str()
                .is_some_and(|d| d.contains(marker))
        })
        .collect()
}

#[tokio::test]
async fn a_whole_chat_creates_one_ticket_with_contact_department_channel_and_transcript() {
    let f = fixture();
    let sim = &f.sim;
    let shown = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let number_shown = shown.clone();
    run("chat_whole_ticket", options(&f), |app| async move {
        wait_for_chat(&app).await?;
        file_a_ticket(
            &app,
            "Ann Lee",
            "ann@example.com",
            "My invoice for May is <wrong> & charged twice.",
        )
        .await?;
        let number = wait_for_submission(&app, "sent", Duration::from_secs(30)).await?;

        let posts = sim.requests("POST", "/api/v1/tickets");
        assert_eq!(
            posts.len(),
            1,
            "exactly one POST /api/v1/tickets: {posts:#?}"
        );
        let body = &posts[0]["body"];
        assert_eq!(body["contact"]["firstName"], "Ann");
        assert_eq!(body["contact"]["lastName"], "Lee");
        assert_eq!(body["contact"]["email"], "ann@example.com");
        assert_eq!(body["contact"]["phone"], "+4915123456789");
        assert_eq!(body["departmentId"], json!(sim.department_id("Support")));
        assert_eq!(body["channel"], "Chat");
        let description = body["description"].as_str().unwrap_or_default();
        assert!(
            description.contains("My invoice for May is &lt;wrong&gt; &amp; charged twice."),
            "the transcript, escaped: {description}"
        );
        assert!(description.contains("Ann Lee"), "{description}");
        let held: Vec<Value> = sim
            .tickets()
            .into_iter()
            .filter(|t| t["ticketNumber"] == json!(number))
            .collect();
        assert_eq!(held.len(), 1, "ticket #{number} in the sim");
        let log = log_text(&app).await?;
        assert!(log.contains(&format!("#{number}")), "{log}");
        *number_shown.lock().unwrap() = number;
        Ok(())
    })
    .await;

    // Restarted: the conversation is restored as it was, with the number;
    // nothing is sent again. "New conversation" then starts over.
    let number = shown.lock().unwrap().clone();
    run(
        "chat_restored_after_restart",
        options(&f),
        |app| async move {
            wait_for_chat(&app).await?;
            let log = log_text(&app).await?;
            assert!(log.contains("Ann Lee"), "{log}");
            assert!(log.contains(&format!("#{number}")), "{log}");
            assert_eq!(
                wait_for_submission(&app, "sent", Duration::from_secs(5)).await?,
                number
            );
            app.click("chat-new").await?;
            let fresh = app
                .wait_for_text("chat-log", |t| !t.contains("Ann Lee") && !t.is_empty())
                .await?;
            assert!(!fresh.contains(&format!("#{number}")), "{fresh}");
            app.find("quick-reply-create_ticket").await?;
            assert_eq!(sim.requests("POST", "/api/v1/tickets").len(), 1);
            Ok(())
        },
    )
    .await;
}

/// 14:00 tomorrow in `zone`, in Zoho's UTC format.
fn tomorrow_at_two(zone: Tz) -> String {
    let today = Utc::now().with_timezone(&zone).date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let local = zone
        .with_ymd_and_hms(tomorrow.year(), tomorrow.month(), tomorrow.day(), 14, 0, 0)
        .single()
        .unwrap();
    local
        .with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%S.000Z")
        .to_string()
}

#[tokio::test]
async fn a_callback_goes_to_callbacks_with_the_due_date_asked_for() {
    let f = fixture();
    let sim = &f.sim;
    let zone: Tz = ZONE.parse().unwrap();
    run("chat_callback", options(&f), |app| async move {
        wait_for_chat(&app).await?;
        let expected_before = tomorrow_at_two(zone);
        choose(&app, "schedule_callback").await?;
        say(&app, "tomorrow at 2 PM").await?;
        let log = log_text(&app).await?;
        assert!(log.contains("14:00"), "the time echoed back: {log}");
        choose(&app, "confirm").await?;
        say(&app, "+49 151 23456789").await?;
        say(&app, "Ann Lee").await?;
        say(&app, "Please call after lunch").await?;
        choose(&app, "confirm").await?;
        let number = wait_for_submission(&app, "sent", Duration::from_secs(30)).await?;
        let expected_after = tomorrow_at_two(zone);

        let posts = sim.requests("POST", "/api/v1/tickets");
        assert_eq!(posts.len(), 1, "{posts:#?}");
        let body = &posts[0]["body"];
        assert_eq!(body["departmentId"], json!(sim.department_id("Callbacks")));
        let due = body["dueDate"].as_str().unwrap_or_default();
        assert!(
            due == expected_before || due == expected_after,
            "dueDate {due}, expected {expected_before} (14:00 tomorrow in {ZONE})"
        );
        assert_eq!(body["contact"]["phone"], "+4915123456789");
        assert!(log_text(&app).await?.contains(&format!("#{number}")));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_reply_lost_after_the_ticket_was_made_leaves_one_ticket() {
    let f = fixture();
    let sim = &f.sim;
    sim.fault(json!({"method": "POST", "path": "/api/v1/tickets", "times": 1, "kind": "drop_after_apply"}));
    run("chat_drop_after_apply", options(&f), |app| async move {
        wait_for_chat(&app).await?;
        file_a_ticket(
            &app,
            "Dora Drop",
            "dora@example.com",
            "Dropreply marker: the router keeps rebooting at night.",
        )
        .await?;
        let number = wait_for_submission(&app, "sent", Duration::from_secs(60)).await?;
        let held = tickets_with(sim, "Dropreply marker");
        assert_eq!(held.len(), 1, "the ticket exists once: {held:#?}");
        assert_eq!(held[0]["ticketNumber"], json!(number));
        let dropped = sim
            .requests("POST", "/api/v1/tickets")
            .iter()
            .filter(|r| r["dropped"] == json!(true))
            .count();
        assert_eq!(dropped, 1, "the fault was played");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn desk_down_the_chat_says_queued_and_when_it_is_back_the_ticket_is_sent_once() {
    let mut f = fixture();
    let options = options(&f);
    // The flow kills the sim, then starts it again on the same port with
    // the same state file.
    let sim = &mut f.sim;
    run("chat_desk_down_then_back", options, |app| async move {
        wait_for_chat(&app).await?;
        sim.kill();
        file_a_ticket(
            &app,
            "Otto Offline",
            "otto@example.com",
            "Offline marker: the printer says paper jam but there is no paper.",
        )
        .await?;
        wait_for_submission(&app, "queued", Duration::from_secs(30)).await?;
        let log = log_text(&app).await?;
        assert!(log.to_lowercase().contains("queued"), "{log}");
        sim.restart();
        let number = wait_for_submission(&app, "sent", Duration::from_secs(90)).await?;
        let held = tickets_with(sim, "Offline marker");
        assert_eq!(held.len(), 1, "delivered once: {held:#?}");
        assert_eq!(held[0]["ticketNumber"], json!(number));
        assert!(log_text(&app).await?.contains(&format!("#{number}")));
        Ok(())
    })
    .await;
}

const KILL_TICKETS: usize = 100;

/// Queues `KILL_TICKETS` tickets with deskctl while the sim is down.
fn queue_tickets(sim: &SimProcess, data_dir: &Path) {
    for i in 0..KILL_TICKETS {
        let out = deskctl(sim, data_dir)
            .args([
                "ticket",
                "--name",
                "Kim Kill",
                "--email",
                "kim@example.com",
                "--phone",
                "+49 151 23456789",
                "--subject",
                &format!("Kill test ticket {i:03}"),
                "--description",
                &format!("Killmarker {i:03}: queued while Desk was down."),
                "--json",
            ])
            .output()
            .expect("deskctl runs");
        assert_eq!(
            out.status.code(),
            Some(5),
            "queued, not delivered (exit 5): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Tickets per client reference (`DC-` + 32 hex digits in the description).
fn by_reference(sim: &SimProcess) -> HashMap<String, usize> {
    let mut refs = HashMap::new();
    for t in sim.tickets() {
        let d = t["description"].as_str().unwrap_or_default();
        if !d.contains("Killmarker") {
            continue;
        }
        let r = d
            .match_indices("DC-")
            .map(|(i, _)| &d[i..(i + 35).min(d.len())])
            .find(|r| r.len() == 35 && r[3..].chars().all(|c| c.is_ascii_hexdigit()))
            .unwrap_or("no reference")
            .to_owned();
        *refs.entry(r).or_insert(0) += 1;
    }
    refs
}

#[tokio::test]
async fn the_app_killed_while_the_outbox_drains_delivers_every_ticket_exactly_once_after_a_restart()
{
    let mut f = fixture();
    f.sim.kill();
    queue_tickets(&f.sim, &f.data_dir);
    f.sim.restart();
    f.sim.delete("/_sim/requests");
    // Slow creates: the kill lands while items are in flight.
    f.sim.fault(json!({"method": "POST", "path": "/api/v1/tickets", "times": 100000, "kind": "delay", "delay_ms": 300}));
    let sim = &f.sim;
    run("chat_kill_mid_drain", options(&f), |app| async move {
        let delivered = poll("the drain to start", Duration::from_secs(60), || {
            let n = by_reference(sim).len();
            (n >= 10).then_some(n)
        });
        app.kill_app()?;
        assert!(
            delivered < KILL_TICKETS,
            "killed after the drain ended ({delivered})"
        );
        Ok(())
    })
    .await;
    let at_kill = by_reference(&f.sim).len();
    assert!(
        at_kill < KILL_TICKETS,
        "{at_kill} delivered before the restart"
    );

    run("chat_kill_restarted", options(&f), |_app| async move {
        poll("every ticket delivered", Duration::from_secs(100), || {
            (by_reference(sim).len() >= KILL_TICKETS).then_some(())
        });
        Ok(())
    })
    .await;
    let refs = by_reference(&f.sim);
    assert_eq!(
        refs.len(),
        KILL_TICKETS,
        "one reference per ticket: {refs:?}"
    );
    let twice: Vec<_> = refs.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    assert!(!refs.contains_key("no reference"));
    let subjects: std::collections::HashSet<String> = f
        .sim
        .tickets()
        .iter()
        .filter_map(|t| t["subject"].as_str().map(str::to_owned))
        .filter(|s| s.starts_with("Kill test ticket"))
        .collect();
    assert_eq!(subjects.len(), KILL_TICKETS);
}
