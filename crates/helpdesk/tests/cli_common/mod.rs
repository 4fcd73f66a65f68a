//! Shared set-up of the `deskctl` tests: each test starts its own
//! `desk-sim` on `127.0.0.1:0`, a temporary data dir and the file secret
//! store, and runs the built binary with a clean environment.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use desk_sim::{ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, Sim, SimConfig};
use serde_json::Value;

/// What a run printed and returned.
#[derive(Debug, Clone)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// stdout as the one JSON document `--json` promises.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// The binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_deskctl"))
}

/// A command with exactly `vars` as its environment.
pub fn command(vars: &BTreeMap<String, String>, args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command.env_clear().envs(vars).args(args);
    command
}

/// Runs to completion off the async threads (the sim runs on them).
pub async fn run_with(vars: &BTreeMap<String, String>, args: &[&str]) -> Out {
    let mut command = command(vars, args);
    let output = tokio::task::spawn_blocking(move || {
        command.stdin(Stdio::null()).output().expect("deskctl runs")
    })
    .await
    .unwrap();
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A simulator, a data dir, the environment of the app's own variables.
pub struct Rig {
    pub sim: Sim,
    pub dir: tempfile::TempDir,
    pub vars: BTreeMap<String, String>,
}

/// Every scope Desk Chat asks for.
pub fn scopes() -> Vec<&'static str> {
    helpdesk::connect::SCOPES.split(',').collect()
}

impl Rig {
    /// A sim (auto-approve consent) and the environment pointing at it.
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// [`Rig::new`] with a tweaked simulator configuration.
    pub async fn with(tweak: impl FnOnce(&mut SimConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = SimConfig {
            consent: ConsentMode::AutoApprove,
            ..SimConfig::default()
        };
        tweak(&mut config);
        let sim = Sim::start(config).await.unwrap();
        let mut rig = Self {
            sim,
            dir,
            vars: BTreeMap::new(),
        };
        rig.point_at_sim();
        let data = rig.data_dir();
        rig.set("DESK_CHAT_DATA_DIR", data.to_str().unwrap());
        rig.set("DESK_CHAT_SECRET_STORE", "file");
        let home = rig.dir.path().to_str().unwrap().to_owned();
        rig.set("HOME", &home);
        rig.set("TZ", "Europe/Berlin");
        rig.set("ZOHO_CLIENT_ID", DEV_CLIENT_ID);
        rig.set("ZOHO_CLIENT_SECRET", DEV_CLIENT_SECRET);
        rig
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `ZOHO_ACCOUNTS_URL` and `DESK_API_URL` at the current sim.
    pub fn point_at_sim(&mut self) {
        let accounts = self.sim.base_url();
        let desk = self.sim.desk_api_url();
        self.set("ZOHO_ACCOUNTS_URL", &accounts);
        self.set("DESK_API_URL", &desk);
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.insert(key.to_owned(), value.to_owned());
    }

    pub fn unset(&mut self, key: &str) {
        self.vars.remove(key);
    }

    pub async fn run(&self, args: &[&str]) -> Out {
        run_with(&self.vars, args).await
    }

    /// `deskctl login --code` with a Self Client code from the sim.
    pub async fn login(&self) -> Out {
        let code = self.sim.self_client_code(DEV_CLIENT_ID, &scopes());
        self.run(&["--json", "login", "--code", &code]).await
    }

    /// A temporary file with `contents`.
    pub fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// The standard ticket arguments.
pub fn ticket_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--json",
        "ticket",
        "--name",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--phone",
        "+49 151 23456789",
        "--subject",
        "Printer on fire",
        "--description",
        "It smells of <smoke> & toast.\nSecond line.",
    ];
    args.extend_from_slice(extra);
    args
}
