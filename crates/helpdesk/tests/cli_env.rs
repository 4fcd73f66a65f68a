//! The original guide's environment alone (`DESK_ACCESS_TOKEN`,
//! `DESK_ORGANIZATION_ID`, `DESK_API_URL`): no login, no secret store,
//! departments found by name; the guide's two tests as `deskctl` commands.

mod cli_common;

use std::collections::BTreeMap;

use cli_common::{run_with, scopes, ticket_args};
use desk_sim::{DEV_CLIENT_ID, Sim, SimConfig};

async fn guide_env() -> (Sim, tempfile::TempDir, BTreeMap<String, String>) {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let (access, _refresh) = sim.issue_tokens(DEV_CLIENT_ID, &scopes());
    let home = tempfile::tempdir().unwrap();
    let mut vars = BTreeMap::new();
    vars.insert("DESK_ACCESS_TOKEN".to_owned(), access);
    vars.insert("DESK_ORGANIZATION_ID".to_owned(), sim.org_id());
    vars.insert("DESK_API_URL".to_owned(), sim.desk_api_url());
    // Not a Desk Chat variable: where the platform data folder is.
    vars.insert("HOME".to_owned(), home.path().to_str().unwrap().to_owned());
    (sim, home, vars)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guides_three_variables_alone_file_a_test_ticket_and_a_test_callback() {
    let (sim, home, vars) = guide_env().await;

    let out = run_with(&vars, &["--json", "status"]).await;
    out.expect(0);
    assert_eq!(out.json()["connection"], "environment");

    let out = run_with(&vars, &ticket_args(&[])).await;
    out.expect(0);
    assert_eq!(out.json()["connection"], "environment");
    let out = run_with(
        &vars,
        &[
            "--json",
            "callback",
            "--name",
            "Test Customer",
            "--phone",
            "+14155550123",
            "--when",
            "2099-01-01 10:00",
            "--tz",
            "UTC",
        ],
    )
    .await;
    // More than a year ahead: refused before anything is sent.
    out.expect(2);
    let out = run_with(
        &vars,
        &[
            "--json",
            "callback",
            "--name",
            "Test Customer",
            "--phone",
            "+14155550123",
            "--when",
            "tomorrow 10am",
        ],
    )
    .await;
    out.expect(0);

    let tickets = sim.tickets();
    assert_eq!(tickets.len(), 2);
    assert_eq!(
        tickets[0]["departmentId"],
        sim.department_id("Support").unwrap().as_str()
    );
    assert_eq!(
        tickets[1]["departmentId"],
        sim.department_id("Callbacks").unwrap().as_str()
    );

    let out = run_with(&vars, &["--json", "departments"]).await;
    out.expect(0);
    let out = run_with(&vars, &["--json", "history"]).await;
    assert_eq!(out.json()["items"].as_array().unwrap().len(), 2);

    // Nothing secret was saved; the outbox is in the platform data folder.
    let files: Vec<String> = walk(home.path());
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("com.deskchat.desktop/outbox.sqlite")),
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.ends_with("secrets.json")),
        "{files:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_guide_token_is_exit_3_with_what_to_do() {
    let (sim, _home, vars) = guide_env().await;
    sim.expire_access_tokens();
    let out = run_with(&vars, &ticket_args(&[])).await;
    out.expect(3);
    let json = out.json();
    assert_eq!(json["kind"], "auth_required");
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("DESK_ACCESS_TOKEN"),
        "{json}"
    );
    assert!(sim.tickets().is_empty());

    let (fresh, _) = sim.issue_tokens(DEV_CLIENT_ID, &scopes());
    let mut vars = vars;
    vars.insert("DESK_ACCESS_TOKEN".to_owned(), fresh);
    run_with(&vars, &ticket_args(&[])).await.expect(0);
    assert_eq!(sim.tickets().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_guide_variable_is_exit_2() {
    let (_sim, _home, mut vars) = guide_env().await;
    vars.insert("DESK_ORGANIZATION_ID".to_owned(), "acme".to_owned());
    let out = run_with(&vars, &ticket_args(&[])).await;
    out.expect(2);
    assert!(
        out.json()["message"]
            .as_str()
            .unwrap()
            .contains("DESK_ORGANIZATION_ID")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guides_env_file_can_be_imported_as_the_saved_connection() {
    let rig = cli_common::Rig::new().await;
    let (access, _) = rig.sim.issue_tokens(DEV_CLIENT_ID, &scopes());
    let env = rig.file(
        ".env",
        format!(
            "# from the guide\nDESK_ACCESS_TOKEN={access}\nDESK_ORGANIZATION_ID={}\nDESK_API_URL={}\n",
            rig.sim.org_id(),
            rig.sim.desk_api_url()
        )
        .as_bytes(),
    );
    let out = rig
        .run(&["--json", "login", "--env-file", env.to_str().unwrap()])
        .await;
    out.expect(0);
    assert!(!out.stdout.contains(&access) && !out.stderr.contains(&access));
    let out = rig.run(&["--json", "status"]).await;
    out.expect(0);
    assert_eq!(out.json()["connection"], "saved");
    rig.run(&ticket_args(&[])).await.expect(0);
    assert_eq!(rig.sim.tickets().len(), 1);
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    out
}
