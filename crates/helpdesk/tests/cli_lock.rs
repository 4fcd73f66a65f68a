//! `deskctl` while the app delivers: the app holds the outbox's delivery
//! lock, so `deskctl ticket` only queues (exit 5, saying so, in text and
//! `--json`), and the holder delivers it once, attachment included.

mod cli_common;
mod outbox_common;

use cli_common::{Rig, ticket_args};
use helpdesk::compose::ClientRef;
use helpdesk::outbox::{Deliverer, ItemState, Outbox};
use helpdesk::settings::DataDir;
use serde_json::Value;

const APP_WILL_SEND: &str =
    "queued: the running Desk Chat app will send it; see `deskctl outbox list`";

/// Every attachment the sim holds, with its `ticketId` (`GET /_sim/attachments`).
async fn sim_attachments(rig: &Rig) -> Vec<Value> {
    let url = format!("{}/_sim/attachments", rig.sim.base_url());
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_app_holding_the_lock_a_ticket_is_queued_for_it_and_sent_once() {
    let rig = Rig::new().await;
    rig.login().await.expect(0);
    // The app: a handle on the same outbox that takes the delivery lock.
    let app = Outbox::open(DataDir::new(rig.data_dir()).outbox_file()).unwrap();
    assert!(app.try_lock_delivery().unwrap());

    let file = rig.file("printer.log", b"paper jam at 14:02\n");
    let out = rig
        .run(&ticket_args(&["--attach", file.to_str().unwrap()]))
        .await;
    out.expect(5);
    let json = out.json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["exitCode"], 5);
    assert_eq!(json["sender"], "app");
    assert_eq!(json["item"]["state"], "queued");
    assert!(
        json["message"].as_str().unwrap().contains(APP_WILL_SEND),
        "{json}"
    );
    assert!(out.stderr.contains(APP_WILL_SEND), "{}", out.stderr);
    // Text mode says the same, on stderr, with the same code.
    let mut args = ticket_args(&[]);
    let at = args.iter().position(|a| *a == "--subject").unwrap();
    args[at + 1] = "Scanner jammed";
    let text = rig.run(&args[1..]).await;
    text.expect(5);
    assert!(text.stderr.contains(APP_WILL_SEND), "{}", text.stderr);
    // A flush leaves it to the app too.
    let flush = rig.run(&["--json", "outbox", "flush"]).await;
    flush.expect(5);
    assert_eq!(flush.json()["sender"], "app");
    assert!(rig.sim.tickets().is_empty(), "deskctl sent nothing");
    // Read-only commands need no lock.
    let list = rig.run(&["--json", "outbox", "list"]).await;
    list.expect(0);
    assert_eq!(list.json()["counts"]["queued"], 2);
    // The original may go: the file waits in the outbox with the item.
    std::fs::remove_file(&file).unwrap();

    // The holder delivers both, the attachment once, on the right ticket.
    let deliverer = Deliverer::new(app.clone(), outbox_common::desk_client(&rig.sim, None));
    let report = deliverer.drain(0).await.unwrap();
    assert_eq!(report.delivered, 2, "{report:?}");
    assert_eq!(rig.sim.tickets().len(), 2);
    let client_ref = ClientRef::new(json["item"]["clientRef"].as_str().unwrap());
    let item = app.get_by_ref(&client_ref).unwrap().unwrap();
    assert_eq!(item.state, ItemState::Delivered);
    let attachments = sim_attachments(&rig).await;
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(attachments[0]["name"], "printer.log");
    assert_eq!(
        attachments[0]["ticketId"].as_str(),
        item.ticket_id.as_deref()
    );
    let kept = app.attachments(item.id).unwrap();
    assert_eq!(kept[0].desk_id.as_deref(), attachments[0]["id"].as_str());

    // The app gone, deskctl delivers itself, and nothing goes twice.
    drop(deliverer);
    drop(app);
    let flush = rig.run(&["--json", "outbox", "flush"]).await;
    flush.expect(0);
    assert_eq!(flush.json()["drained"]["delivered"], 0);
    assert_eq!(flush.json()["sender"], "deskctl");
    assert_eq!(rig.sim.tickets().len(), 2);
    assert_eq!(sim_attachments(&rig).await.len(), 1);
}
