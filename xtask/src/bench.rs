//! `cargo xtask bench`: the app against a bare Tauri window, both release
//! builds made the same way in the same run, launched under Xvfb by the
//! `launch-bench` binary of the e2e crate (which owns the process-group and
//! display handling). Later issues add their benchmarks here.

use std::process::Command;

use crate::setup::{self, Purpose};
use crate::util::{self, Result};

pub fn bench() -> Result<()> {
    setup::ensure(Purpose::Test)?;
    setup::build_ui()?;
    util::cargo(&[
        "build",
        "--release",
        "-p",
        "desk-chat",
        "--features",
        "desk-chat/custom-protocol",
        "-p",
        "bare-window",
        "--features",
        "bare-window/custom-protocol",
    ])?;
    let release = util::target_dir().join("release");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "-q", "-p", "e2e", "--bin", "launch-bench", "--"])
        .arg(release.join(util::exe("desk-chat")))
        .arg(release.join(util::exe("bare-window")))
        .current_dir(util::root())
        .status()
        .map_err(|e| format!("launch-bench: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("launch benchmark failed or over budget ({status})"))
    }
}
