//! Desk unreachable: `deskctl ticket` queues (exit 5), nothing is lost, and
//! `deskctl outbox flush` later delivers it exactly once, attachment included.

mod cli_common;

use cli_common::{Rig, ticket_args};
use desk_sim::{Fault, FaultKind, Sim, SimConfig};

#[tokio::test(flavor = "multi_thread")]
async fn with_the_sim_down_a_ticket_is_queued_and_a_later_flush_delivers_it_once() {
    let state = tempfile::tempdir().unwrap();
    let state_file = state.path().join("sim-state.json");
    let config = {
        let state_file = state_file.clone();
        move |c: &mut SimConfig| c.state_file = Some(state_file)
    };
    let rig = Rig::with(config.clone()).await;
    rig.login().await.expect(0);
    let addr = rig.sim.addr();
    let sim = rig.sim.clone();
    sim.shutdown().await;

    let file = rig.file("screenshot.png", b"\x89PNG fake");
    let out = rig
        .run(&ticket_args(&["--attach", file.to_str().unwrap()]))
        .await;
    out.expect(5);
    let json = out.json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["item"]["state"], "queued");
    assert!(out.stderr.contains("outbox flush"), "{}", out.stderr);
    // The user may delete the original: a copy waits with the item.
    std::fs::remove_file(&file).unwrap();

    let out = rig.run(&["--json", "outbox", "list"]).await;
    out.expect(0);
    assert_eq!(out.json()["counts"]["queued"], 1);

    // Still down: flushing keeps it queued.
    rig.run(&["--json", "outbox", "flush"]).await.expect(5);

    let mut sim_config = SimConfig::default();
    config(&mut sim_config);
    let sim = Sim::start_on(addr, sim_config).await.unwrap();
    assert!(sim.tickets().is_empty());

    let out = rig.run(&["--json", "outbox", "flush"]).await;
    out.expect(0);
    let json = out.json();
    assert_eq!(json["drained"]["delivered"], 1);
    assert_eq!(json["attachments"][0]["uploaded"], true);
    assert_eq!(sim.tickets().len(), 1);
    let ticket_id = sim.tickets()[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(sim.attachments(&ticket_id).len(), 1);

    let out = rig.run(&["--json", "outbox", "flush"]).await;
    out.expect(0);
    assert_eq!(out.json()["drained"]["delivered"], 0);
    assert_eq!(sim.tickets().len(), 1, "delivered once");
    assert_eq!(sim.attachments(&ticket_id).len(), 1, "attached once");
    let out = rig.run(&["--json", "history"]).await;
    assert_eq!(out.json()["items"][0]["state"], "delivered");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_reply_is_looked_up_on_flush_not_sent_twice() {
    let rig = Rig::new().await;
    rig.login().await.expect(0);
    rig.sim.inject(Fault::new(
        "POST",
        "/api/v1/tickets",
        FaultKind::DropAfterApply,
    ));
    let out = rig.run(&ticket_args(&[])).await;
    out.expect(5);
    assert_eq!(
        rig.sim.tickets().len(),
        1,
        "Desk made it; the reply was lost"
    );
    let out = rig.run(&["--json", "outbox", "flush"]).await;
    out.expect(0);
    assert_eq!(out.json()["drained"]["foundExisting"], 1);
    assert_eq!(rig.sim.tickets().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_sign_in_is_exit_3_the_ticket_waits_and_is_sent_after_login() {
    let rig = Rig::new().await;
    rig.login().await.expect(0);
    rig.sim.revoke_refresh_tokens();
    let out = rig.run(&ticket_args(&[])).await;
    out.expect(3);
    assert_eq!(out.json()["item"]["state"], "queued");
    assert!(out.stderr.contains("deskctl login"), "{}", out.stderr);
    rig.run(&["--json", "status"]).await.expect(3);

    rig.login().await.expect(0);
    rig.run(&["--json", "outbox", "flush"]).await.expect(0);
    assert_eq!(rig.sim.tickets().len(), 1);
}
