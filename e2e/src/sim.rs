//! A `desk-sim` process for the end-to-end tests: started on a free port (or
//! again on the same port with the same `--state-file`, to play "Desk is
//! back"), killed to play "Desk is down", and read through its `/_sim` API.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::procs::{ProcGroup, free_port};

/// The development client desk-sim registers when given none.
pub const DEV_CLIENT_ID: &str = "1000.DESKSIMDEVCLIENT0000000000000";
pub const DEV_CLIENT_SECRET: &str = "0d5e1c3a9f8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c";

/// The scopes Desk Chat asks for (as `helpdesk::connect::SCOPES`).
pub const SCOPES: &[&str] = &[
    "Desk.tickets.READ",
    "Desk.tickets.CREATE",
    "Desk.tickets.UPDATE",
    "Desk.contacts.READ",
    "Desk.contacts.CREATE",
    "Desk.basic.READ",
    "Desk.search.READ",
    "Desk.articles.READ",
];

/// How a sim is started.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// Extra arguments (`--client-id`, `--redirect-uri`, ...).
    pub args: Vec<String>,
    /// Keep tickets and tokens here, so a restarted sim holds them.
    pub state_file: Option<PathBuf>,
}

/// A running (or stopped) `desk-sim` process.
pub struct SimProcess {
    pub url: String,
    pub port: u16,
    options: SimOptions,
    group: Option<ProcGroup>,
}

/// The desk-sim binary: `E2E_DESK_SIM`, else `target/debug/desk-sim`.
pub fn sim_binary() -> PathBuf {
    let binary = std::env::var_os("E2E_DESK_SIM")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/desk-sim"));
    assert!(
        binary.exists(),
        "{} not found: build it with `cargo build -p desk-sim` (cargo xtask test e2e does)",
        binary.display()
    );
    binary
}

impl SimProcess {
    /// Starts a sim on a free port and waits until it listens.
    pub fn start(options: SimOptions) -> SimProcess {
        let port = free_port().expect("free port");
        let mut sim = SimProcess {
            url: format!("http://127.0.0.1:{port}"),
            port,
            options,
            group: None,
        };
        sim.restart();
        sim
    }

    /// Starts the process again on the same port with the same options
    /// (after [`SimProcess::kill`]): Desk is back, holding what it held.
    pub fn restart(&mut self) {
        assert!(self.group.is_none(), "the sim is already running");
        let mut cmd = Command::new(sim_binary());
        cmd.args(["--port", &self.port.to_string(), "--consent", "manual"]);
        if let Some(state) = &self.options.state_file {
            cmd.arg("--state-file").arg(state);
        }
        cmd.args(&self.options.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.group = Some(ProcGroup::spawn("desk-sim", cmd).expect("desk-sim starts"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "desk-sim did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the process (Desk is down); its port stays ours to reuse.
    pub fn kill(&mut self) {
        if let Some(mut group) = self.group.take() {
            group.kill(Duration::from_secs(2));
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            assert!(Instant::now() < deadline, "desk-sim still listens");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The Desk API base the app is pointed at.
    pub fn desk_api_url(&self) -> String {
        format!("{}/api/v1", self.url)
    }

    pub fn get(&self, path: &str) -> Value {
        curl(&["-s", &format!("{}{path}", self.url)])
    }

    pub fn put(&self, path: &str, body: &str) -> Value {
        self.send("PUT", path, body)
    }

    pub fn post(&self, path: &str, body: &str) -> Value {
        self.send("POST", path, body)
    }

    pub fn delete(&self, path: &str) -> Value {
        curl(&["-s", "-X", "DELETE", &format!("{}{path}", self.url)])
    }

    fn send(&self, method: &str, path: &str, body: &str) -> Value {
        curl(&[
            "-s",
            "-X",
            method,
            "-H",
            "Content-Type: application/json",
            "-d",
            body,
            &format!("{}{path}", self.url),
        ])
    }

    /// The id of a department, from `/_sim/info`.
    pub fn department_id(&self, name: &str) -> String {
        self.get("/_sim/info")["departments"][name]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Logged requests with this method whose path starts with `path`.
    pub fn requests(&self, method: &str, path: &str) -> Vec<Value> {
        self.get("/_sim/requests")
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r["method"] == method && r["path"].as_str().is_some_and(|p| p == path))
            .collect()
    }

    /// Every ticket the sim holds.
    pub fn tickets(&self) -> Vec<Value> {
        self.get("/_sim/tickets")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Adds a fault (`{"method":..,"path":..,"kind":..}`).
    pub fn fault(&self, fault: Value) {
        self.post("/_sim/faults", &fault.to_string());
    }
}

/// curl, answering JSON (`Null` when the reply is not JSON).
pub fn curl(args: &[&str]) -> Value {
    let out = Command::new("curl").args(args).output().expect("curl runs");
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// Polls `check` every 100 ms until it gives `Some`, or panics after `timeout`
/// with `what` and the last value seen.
pub fn poll<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
