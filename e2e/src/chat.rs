//! Shared steps of the chat tests: connecting a data folder to a desk-sim
//! the fastest honest way (a Self Client code exchanged by `deskctl login`,
//! the same `helpdesk` setup code path as the wizard's "Self Client code"),
//! and driving the chat through its UI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::key::Key;

use crate::sim::{DEV_CLIENT_ID, DEV_CLIENT_SECRET, SCOPES, SimOptions, SimProcess};
use crate::{App, AppOptions, Result};

/// How long one chat turn may take (a submission waits up to 10 s for Desk).
const TURN: Duration = Duration::from_secs(30);

/// The deskctl binary: `E2E_DESKCTL`, else `target/debug/deskctl`.
pub fn deskctl_binary() -> PathBuf {
    let binary = std::env::var_os("E2E_DESKCTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/deskctl"));
    assert!(
        binary.exists(),
        "{} not found: build it with `cargo build -p helpdesk --bin deskctl` (cargo xtask test e2e does)",
        binary.display()
    );
    binary
}

/// The environment that points the app (and deskctl) at `sim`, with
/// secrets in the data folder's user-only file.
pub fn sim_env(sim: &SimProcess) -> Vec<(String, String)> {
    vec![
        ("DESK_CHAT_SECRET_STORE".into(), "file".into()),
        ("ZOHO_ACCOUNTS_URL".into(), sim.url.clone()),
        ("DESK_API_URL".into(), sim.desk_api_url()),
    ]
}

/// A sim keeping its state in a file (so it can be stopped and started
/// again holding its tickets) and a data folder connected to it, with the
/// sim's request log cleared.
pub struct Connected {
    pub sim: SimProcess,
    /// Holds the sim's state file and the data folder; free for test files.
    pub dir: tempfile::TempDir,
    pub data_dir: PathBuf,
}

impl Connected {
    pub fn start() -> Connected {
        let dir = tempfile::tempdir().expect("temp dir");
        let sim = SimProcess::start(SimOptions {
            state_file: Some(dir.path().join("sim-state.json")),
            ..SimOptions::default()
        });
        let data_dir = dir.path().join("data");
        connect_data_dir(&sim, &data_dir);
        sim.delete("/_sim/requests");
        Connected { sim, dir, data_dir }
    }

    /// The app on this data folder, pointed at the sim, reading times in
    /// `zone` (pinned with `TZ`).
    pub fn options(&self, zone: &str) -> AppOptions {
        let mut env = sim_env(&self.sim);
        env.push(("TZ".into(), zone.into()));
        AppOptions {
            env,
            data_dir: Some(self.data_dir.clone()),
            ..AppOptions::default()
        }
    }
}

/// deskctl on `data_dir` against `sim`.
pub fn deskctl(sim: &SimProcess, data_dir: &Path) -> Command {
    let mut cmd = Command::new(deskctl_binary());
    cmd.env("DESK_CHAT_DATA_DIR", data_dir)
        .env("ZOHO_CLIENT_ID", DEV_CLIENT_ID)
        .env("ZOHO_CLIENT_SECRET", DEV_CLIENT_SECRET)
        .envs(sim_env(sim));
    cmd
}

/// Connects `data_dir` to `sim` (organization and the Support and Callbacks
/// departments chosen by name) with a Self Client code, as an admin would
/// from the Zoho API console. The app started on it afterwards is connected.
pub fn connect_data_dir(sim: &SimProcess, data_dir: &Path) {
    let body = serde_json::json!({ "client_id": DEV_CLIENT_ID, "scopes": SCOPES });
    let code = sim.post("/_sim/self-client-code", &body.to_string())["code"]
        .as_str()
        .expect("a Self Client code")
        .to_owned();
    let out = deskctl(sim, data_dir)
        .args(["login", "--code", &code, "--json"])
        .output()
        .expect("deskctl runs");
    assert!(
        out.status.success(),
        "deskctl login failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let settings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data_dir.join("settings.json")).unwrap()).unwrap();
    assert_eq!(
        settings["supportDepartmentId"].as_str(),
        Some(sim.department_id("Support").as_str()),
        "{settings}"
    );
}

/// Messages shown and whether the typing indicator is on.
async fn chat_state(app: &App) -> Result<(u64, bool)> {
    let v = app
        .client
        .execute(
            "return [document.querySelectorAll('[data-testid=\"chat-message\"]').length,
                     document.querySelector('[data-testid=\"chat-typing\"]') !== null];",
            vec![],
        )
        .await?;
    Ok((v[0].as_u64().unwrap_or(0), v[1].as_bool().unwrap_or(false)))
}

/// Waits until more than `before` messages are shown and the bot is not typing.
pub async fn wait_for_reply(app: &App, before: u64) -> Result {
    let deadline = Instant::now() + TURN;
    loop {
        let (count, typing) = chat_state(app).await?;
        if count > before && !typing {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "no reply: {count} messages (was {before}), typing {typing}; log: {}",
                log_text(app).await.unwrap_or_default()
            )
            .into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for the greeting (or the restored conversation) to be shown.
pub async fn wait_for_chat(app: &App) -> Result {
    app.find("chat-log").await?;
    wait_for_reply(app, 0).await
}

/// Types `text` in the composer and presses Enter; waits for the answer.
pub async fn say(app: &App, text: &str) -> Result {
    let (before, _) = chat_state(app).await?;
    let input = app.find("chat-input").await?;
    input.send_keys(text).await?;
    input
        .send_keys(&String::from(char::from(Key::Enter)))
        .await?;
    wait_for_reply(app, before).await
}

/// Presses the quick reply `id`; waits for the answer.
pub async fn choose(app: &App, id: &str) -> Result {
    let (before, _) = chat_state(app).await?;
    app.click(&format!("quick-reply-{id}")).await?;
    wait_for_reply(app, before).await
}

/// Whether the quick reply `id` is offered now.
pub async fn offers(app: &App, id: &str) -> Result<bool> {
    let v = app
        .client
        .execute(
            "return document.querySelector('[data-testid=\"quick-reply-' + arguments[0] + '\"]') !== null;",
            vec![serde_json::json!(id)],
        )
        .await?;
    Ok(v.as_bool().unwrap_or(false))
}

/// The whole transcript as shown.
pub async fn log_text(app: &App) -> Result<String> {
    app.text("chat-log").await
}

/// Every submission's shown state and ticket number, in order.
pub async fn submissions(app: &App) -> Result<Vec<(String, String)>> {
    let v = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid=\"chat-submission\"]')).map((s) => [
               s.getAttribute('data-state') || '',
               (s.querySelector('[data-testid=\"ticket-number\"]') || { textContent: '' }).textContent.trim()]);",
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or_default().to_owned(),
                p[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

/// Waits until the last submission shows `state` (and, when sent, a number); returns its number.
pub async fn wait_for_submission(app: &App, state: &str, timeout: Duration) -> Result<String> {
    let deadline = Instant::now() + timeout;
    loop {
        let all = submissions(app).await?;
        if let Some((s, n)) = all.last()
            && s == state
            && (state != "sent" || !n.is_empty())
        {
            return Ok(n.clone());
        }
        if Instant::now() > deadline {
            return Err(format!("the submission did not become {state}: {all:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The ticket flow up to the summary's Submit (pressed): name, email,
/// phone, the issue; "I still need help" when articles come first.
pub async fn file_a_ticket(app: &App, name: &str, email: &str, issue: &str) -> Result {
    choose(app, "create_ticket").await?;
    say(app, name).await?;
    say(app, email).await?;
    say(app, "+49 151 23456789").await?;
    say(app, issue).await?;
    if offers(app, "still_need_help").await? {
        choose(app, "still_need_help").await?;
    }
    assert!(offers(app, "submit").await?, "no Submit on the summary");
    choose(app, "submit").await
}
