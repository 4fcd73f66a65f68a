//! The setup wizard, end to end: the real app against a `desk-sim` process,
//! the OAuth consent followed by a stand-in system browser (an `xdg-open`
//! script first on the app's `PATH` that fetches the consent page with curl,
//! approves it and follows the redirect to the app's loopback listener).
//!
//! Afterwards no secret (client secret, tokens, the code) may appear in the
//! app's logs, its settings, its outbox or what the web view was given.

use std::path::{Path, PathBuf};

use e2e::procs::free_port;
use e2e::sim::{SimOptions, SimProcess};
use e2e::{App, AppOptions, run};
use serde_json::Value;

const CLIENT_ID: &str = "1000.E2ESETUPWIZARDCLIENT000000";
const CLIENT_SECRET: &str = "7c1e0a9b8d6f4e2a1c3b5d7f9e8a6c4b2d0f1e3a5c";

/// The stand-in browser: records what it was asked to open, approves a
/// consent page, follows the redirect. `$STANDIN_DIR` is where it writes.
const XDG_OPEN: &str = r#"#!/bin/sh
url="$1"
dir="$STANDIN_DIR"
printf '%s\n' "$url" >> "$dir/opened.txt"
case "$url" in
  *"/oauth/v2/auth"*) ;;
  *) exit 0 ;;
esac
base="${url%%/oauth/v2/auth*}"
id=$(curl -s "$url" | tr '>' '\n' | sed -n 's/.*name="consent_id" value="\([^"]*\)".*/\1/p' | head -n 1)
location=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST \
  --data-urlencode "consent_id=$id" --data-urlencode decision=approve "$base/oauth/v2/auth/decide")
printf '%s\n' "$location" >> "$dir/redirects.txt"
curl -s -o /dev/null "$location"
"#;

/// A `desk-sim` process on a free port, registering the wizard's client
/// with the redirect URI on `redirect_port` when given.
fn start_sim(redirect_port: Option<u16>) -> SimProcess {
    let args = match redirect_port {
        Some(port) => vec![
            "--client-id".to_owned(),
            CLIENT_ID.to_owned(),
            "--client-secret".to_owned(),
            CLIENT_SECRET.to_owned(),
            "--redirect-uri".to_owned(),
            format!("http://localhost:{port}/callback"),
        ],
        None => Vec::new(),
    };
    SimProcess::start(SimOptions {
        args,
        state_file: None,
    })
}

/// A temp dir holding the stand-in `xdg-open`; returns it and the PATH to use.
fn stand_in_browser() -> (tempfile::TempDir, String) {
    let dir = tempfile::Builder::new()
        .prefix("desk-chat-browser-")
        .tempdir()
        .expect("temp dir");
    let script = dir.path().join("xdg-open");
    std::fs::write(&script, XDG_OPEN).expect("write xdg-open");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (dir, path)
}

fn env_for(browser: &Path, path: &str, sim: Option<&SimProcess>) -> Vec<(String, String)> {
    let mut env = vec![
        ("PATH".to_owned(), path.to_owned()),
        ("STANDIN_DIR".to_owned(), browser.display().to_string()),
        ("DESK_CHAT_SECRET_STORE".to_owned(), "file".to_owned()),
    ];
    if let Some(sim) = sim {
        env.push(("ZOHO_ACCOUNTS_URL".to_owned(), sim.url.clone()));
        env.push(("DESK_API_URL".to_owned(), sim.desk_api_url()));
    }
    env
}

async fn set_value(app: &App, test_id: &str, text: &str) -> e2e::Result {
    let element = app.find(test_id).await?;
    element.clear().await?;
    element.send_keys(text).await?;
    Ok(())
}

/// What the web view holds (every reply it rendered) and what the commands
/// that report state answer, as text. (Tauri's `invoke` is a frozen property,
/// so replies cannot be tapped one by one; the DTOs have no secret field,
/// see `src-tauri/src/setup_dto.rs`, and the wizard's replies are checked
/// for secrets in `crates/helpdesk/tests/wizard.rs`.)
async fn web_view_text(app: &App) -> e2e::Result<String> {
    let html = app
        .client
        .execute("return document.documentElement.outerHTML;", vec![])
        .await?;
    let replies = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const invoke = window.__TAURI_INTERNALS__.invoke;
             Promise.all([invoke('setup_state'), invoke('connection_status')])
               .then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify(e)));",
            vec![],
        )
        .await?;
    Ok(format!("{html}\n{replies}"))
}

/// Every secret the run produced: the client secret, the tokens the app
/// keeps (read from its secrets file, the one place allowed to hold them),
/// and the codes the stand-in browser saw in the redirects.
fn secrets_of(data_dir: &Path, browser: &Path, client_secret: Option<&str>) -> Vec<String> {
    let mut secrets: Vec<String> = client_secret.map(str::to_owned).into_iter().collect();
    let stored: Value = std::fs::read(data_dir.join("secrets.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    if let Some(map) = stored.as_object() {
        for (key, value) in map {
            if !key.contains("expir")
                && let Some(v) = value.as_str()
                && v.len() >= 12
            {
                secrets.push(v.to_owned());
            }
        }
    }
    let redirects = std::fs::read_to_string(browser.join("redirects.txt")).unwrap_or_default();
    for line in redirects.lines() {
        if let Some(code) = line.split(['?', '&']).find_map(|p| p.strip_prefix("code=")) {
            secrets.push(code.to_owned());
        }
    }
    assert!(
        secrets.len() >= 3,
        "expected the tokens and a code to check, found {}",
        secrets.len()
    );
    secrets
}

/// Files that must not hold a secret: logs, settings, the outbox.
fn files_to_check(data_dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![];
    let mut dirs = vec![data_dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                dirs.push(path);
            } else if name != "secrets.json" && name != "sandbox-state.json" {
                // secrets.json is the secret store itself (file store chosen
                // by DESK_CHAT_SECRET_STORE=file); sandbox-state.json is the
                // simulated Zoho's own database.
                files.push(path);
            }
        }
    }
    files
}

fn assert_no_secret_leaks(data_dir: &Path, secrets: &[String], web_view: &[String]) {
    let files = files_to_check(data_dir);
    assert!(
        files.iter().any(|f| f.ends_with("settings.json")),
        "settings.json was written: {files:?}"
    );
    assert!(
        files.iter().any(|f| f.starts_with(data_dir.join("logs"))),
        "the app logged: {files:?}"
    );
    for secret in secrets {
        for file in &files {
            let bytes = std::fs::read(file).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(secret.as_str()),
                "a secret ({}...) is in {}",
                &secret[..6],
                file.display()
            );
        }
        for (i, text) in web_view.iter().enumerate() {
            assert!(
                !text.contains(secret.as_str()),
                "a secret ({}...) reached the web view (snapshot {i})",
                &secret[..6]
            );
        }
    }
}

/// Refresh-token grants the sim answered, and the token requests it logged
/// since the log was last cleared (form bodies are not logged, so a token
/// request in a run without a consent can only be a refresh).
fn refresh_grants(sim: &SimProcess) -> (u64, usize) {
    let count = sim.get("/_sim/info")["refresh_count"].as_u64().unwrap_or(0);
    let token_requests = sim
        .get("/_sim/requests")
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|r| r["path"] == "/oauth/v2/token" && r["status"] == 200)
                .count()
        })
        .unwrap_or(0);
    (count, token_requests)
}

#[tokio::test]
async fn wizard_connects_through_the_system_browser_and_stays_connected() {
    let redirect_port = free_port().expect("free port");
    let sim = start_sim(Some(redirect_port));
    // Access tokens live 3 seconds: the app refreshes them by itself.
    sim.put("/_sim/token-ttl", r#"{"seconds":3}"#);
    let (browser, path) = stand_in_browser();
    let data = tempfile::tempdir().expect("temp dir");
    let data_dir = data.path().join("data");
    let env = env_for(browser.path(), &path, Some(&sim));
    let snapshots = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));

    let ticket_number = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let shots = snapshots.clone();
    let number = ticket_number.clone();
    let sim_ref = &sim;
    run(
        "setup_wizard_connects",
        AppOptions {
            env: env.clone(),
            data_dir: Some(data_dir.clone()),
            ..AppOptions::default()
        },
        |app| async move {
            app.click("nav-setup").await?;
            app.find("setup-step-dc").await?;
            app.click("setup-next").await?;
            app.find("setup-step-client").await?;
            set_value(&app, "setup-port", &redirect_port.to_string()).await?;
            let uri = app.find("setup-redirect-uri").await?.prop("value").await?;
            assert_eq!(
                uri.as_deref(),
                Some(format!("http://localhost:{redirect_port}/callback").as_str())
            );
            app.click("setup-next").await?;
            app.type_into("setup-client-id", &format!("  {CLIENT_ID} "))
                .await?;
            app.type_into("setup-client-secret", CLIENT_SECRET).await?;
            app.click("setup-connect").await?;
            // The stand-in browser approves; organization and departments are
            // then chosen automatically.
            let org = app
                .wait_for_text("setup-connected-org", |t| !t.is_empty())
                .await?;
            assert!(!org.is_empty());
            let support = app.find("setup-support-dept").await?.prop("value").await?;
            let callbacks = app
                .find("setup-callbacks-dept")
                .await?
                .prop("value")
                .await?;
            let info = sim_ref.get("/_sim/info");
            let info_text = info.to_string();
            assert!(
                support
                    .as_deref()
                    .is_some_and(|s| !s.is_empty() && info_text.contains(s)),
                "support department {support:?} not chosen ({info_text})"
            );
            assert!(
                callbacks
                    .as_deref()
                    .is_some_and(|s| !s.is_empty() && info_text.contains(s)),
                "callbacks department {callbacks:?} not chosen"
            );
            app.click("setup-departments-next").await?;
            app.click("setup-send-test-ticket").await?;
            let n = app
                .wait_for_text("setup-test-ticket-number", |t| !t.is_empty())
                .await?;
            let tickets = sim_ref.get("/_sim/tickets").to_string();
            assert!(
                tickets.contains(&format!("\"{n}\"")),
                "ticket {n} is not in the sim: {tickets}"
            );
            app.wait_for_text("connection-status", |t| t.contains("Connected to"))
                .await?;
            let text = web_view_text(&app).await?;
            shots.lock().unwrap().push(text);
            *number.lock().unwrap() = n;
            Ok(())
        },
    )
    .await;

    // Restarted with the same data: connected, no action; the access token
    // (short-lived, and now also invalidated at the sim so that timing does
    // not matter) is refreshed by itself on the next call.
    sim.post("/_sim/expire-access-tokens", "");
    let shots = snapshots.clone();
    run(
        "setup_wizard_restart_stays_connected",
        AppOptions {
            env,
            data_dir: Some(data_dir.clone()),
            ..AppOptions::default()
        },
        |app| async move {
            let status = app
                .wait_for_text("connection-status", |t| t.contains("Connected to"))
                .await?;
            assert!(!status.contains("Reconnect"), "{status}");
            sim_ref.delete("/_sim/requests");
            let (refreshes_before, _) = refresh_grants(sim_ref);
            app.click("nav-setup").await?;
            app.click("setup-open-test").await?;
            app.click("setup-departments-next").await?;
            app.click("setup-send-test-ticket").await?;
            app.wait_for_text("setup-test-ticket-number", |t| !t.is_empty())
                .await?;
            let (refreshes_after, token_requests) = refresh_grants(sim_ref);
            assert!(
                refreshes_after > refreshes_before && token_requests >= 1,
                "no refresh_token grant after the access token expired"
            );
            let text = web_view_text(&app).await?;
            shots.lock().unwrap().push(text);
            Ok(())
        },
    )
    .await;

    let secrets = secrets_of(&data_dir, browser.path(), Some(CLIENT_SECRET));
    assert_no_secret_leaks(&data_dir, &secrets, &snapshots.lock().unwrap());
    assert!(!ticket_number.lock().unwrap().is_empty());
}

#[tokio::test]
async fn sandbox_goes_from_a_fresh_data_dir_to_a_first_test_ticket_and_survives_a_restart() {
    let (browser, path) = stand_in_browser();
    let data = tempfile::tempdir().expect("temp dir");
    let data_dir = data.path().join("data");
    let env = env_for(browser.path(), &path, None);
    let first = std::sync::Arc::new(std::sync::Mutex::new(0u64));
    let first_number = first.clone();
    let snapshots = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let shots = snapshots.clone();
    run(
        "setup_sandbox_first_ticket",
        AppOptions {
            env: env.clone(),
            data_dir: Some(data_dir.clone()),
            ..AppOptions::default()
        },
        |app| async move {
            app.click("nav-setup").await?;
            app.click("setup-try-sandbox").await?;
            app.wait_for_text("setup-connected-org", |t| !t.is_empty())
                .await?;
            app.click("setup-departments-next").await?;
            app.click("setup-send-test-ticket").await?;
            let n = app
                .wait_for_text("setup-test-ticket-number", |t| !t.is_empty())
                .await?;
            *first_number.lock().unwrap() = n.parse()?;
            app.find("status-sandbox").await?;
            app.wait_for_text("connection-status", |t| t.contains("Connected to"))
                .await?;
            let text = web_view_text(&app).await?;
            shots.lock().unwrap().push(text);
            Ok(())
        },
    )
    .await;

    // Restarted: the sandbox is started again by the app, still connected,
    // and its tickets survived (numbers go on from the first one).
    let shots = snapshots.clone();
    run(
        "setup_sandbox_survives_a_restart",
        AppOptions {
            env,
            data_dir: Some(data_dir.clone()),
            ..AppOptions::default()
        },
        |app| async move {
            app.wait_for_text("connection-status", |t| t.contains("Connected to"))
                .await?;
            app.find("status-sandbox").await?;
            app.click("nav-setup").await?;
            app.click("setup-open-test").await?;
            app.click("setup-departments-next").await?;
            app.click("setup-send-test-ticket").await?;
            let n: u64 = app
                .wait_for_text("setup-test-ticket-number", |t| !t.is_empty())
                .await?
                .parse()?;
            let before = *first.lock().unwrap();
            assert!(
                n > before,
                "ticket {n} after {before}: the sandbox lost its tickets"
            );
            let text = web_view_text(&app).await?;
            shots.lock().unwrap().push(text);
            Ok(())
        },
    )
    .await;
    let secrets = secrets_of(&data_dir, browser.path(), None);
    assert_no_secret_leaks(&data_dir, &secrets, &snapshots.lock().unwrap());
}
