//! The state file: a sandbox keeps its tickets, contacts and tokens across restarts.

mod common;

use common::*;
use desk_sim::{DEV_CLIENT_ID, Sim, SimConfig};
use reqwest::StatusCode;

fn config(path: &std::path::Path) -> SimConfig {
    SimConfig {
        state_file: Some(path.to_owned()),
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn tickets_contacts_and_tokens_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk-sim.json");
    let first = Desk::with(Sim::start(config(&path)).await.unwrap(), ALL_SCOPES);
    let (_, refresh_token) = first.sim.issue_tokens(DEV_CLIENT_ID, ALL_SCOPES);
    let ticket = first.create_ticket("Kept", "kept@example.com").await;
    let (org, support) = (first.sim.org_id(), first.support());
    let (tickets, contacts) = (first.sim.tickets(), first.sim.contacts());
    first.sim.shutdown().await;

    let second = Desk {
        sim: Sim::start(config(&path)).await.unwrap(),
        token: first.token.clone(),
        org: org.clone(),
    };
    assert_eq!(second.sim.tickets(), tickets);
    assert_eq!(second.sim.contacts(), contacts);
    assert_eq!((second.sim.org_id(), second.support()), (org, support));
    // The old access token still works, and so does the refresh token.
    let read = second
        .get(&format!("/tickets/{}", ticket["id"].as_str().unwrap()))
        .await;
    assert_eq!(read.status(), StatusCode::OK);
    assert!(refresh(&second.sim, &refresh_token).await["access_token"].is_string());
    // Counters go on where they were.
    assert_eq!(
        second.create_ticket("Next", "kept@example.com").await["ticketNumber"],
        "102"
    );
    assert_eq!(second.sim.contacts().len(), 1);
}

#[tokio::test]
async fn the_state_file_is_written_whole_with_no_temporary_file_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let desk = Desk::with(Sim::start(config(&path)).await.unwrap(), ALL_SCOPES);
    desk.create_ticket("s", "a@example.com").await;
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["tickets"].as_array().unwrap().len(), 1);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["state.json"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test]
async fn a_corrupt_state_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "{ not json").unwrap();
    let error = Sim::start(config(&path)).await.unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}

#[tokio::test]
async fn without_a_state_file_a_restart_starts_afresh() {
    let desk = Desk::new().await;
    desk.create_ticket("s", "a@example.com").await;
    desk.sim.clone().shutdown().await;
    let again = Sim::start(SimConfig::default()).await.unwrap();
    assert!(again.tickets().is_empty());
}
