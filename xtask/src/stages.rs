//! `cargo xtask test`: every quality gate and test suite, in order, with one
//! summary line per stage. All stages run even after a failure, so that one
//! run shows everything that is wrong; the exit code is non-zero if any failed.

use std::process::Command;
use std::time::Instant;

use crate::setup::{self, Purpose};
use crate::util::{self, Result};

type StageFn = fn() -> Result<()>;

/// The stages, in the order they run.
const STAGES: &[(&str, &str, StageFn)] = &[
    ("fmt", "cargo fmt --check", fmt),
    (
        "clippy",
        "cargo clippy --workspace --all-targets -D warnings",
        clippy,
    ),
    (
        "boundaries",
        "no crate under crates/ depends on tauri",
        boundaries,
    ),
    ("check", "svelte-check and tsc", svelte_check),
    ("unit", "cargo test --workspace", cargo_test),
    (
        "headless",
        "ldd of deskctl shows no GTK or WebKit",
        headless_cli,
    ),
    (
        "bindings",
        "ts-rs bindings in ui/src/bindings are up to date",
        bindings,
    ),
    ("vitest", "front-end unit tests", vitest),
    (
        "browser",
        "front end in Chromium (playwright-core, mockIPC)",
        browser,
    ),
    ("e2e", "the real app through tauri-driver under Xvfb", e2e),
];

pub fn test(only: &[String]) -> Result<()> {
    for name in only {
        if !STAGES.iter().any(|(n, _, _)| n == name) {
            return Err(format!("unknown stage `{name}`"));
        }
    }
    let started = Instant::now();
    setup::ensure(Purpose::Test)?;
    setup::build_ui()?;

    let mut results = Vec::new();
    for (name, what, stage) in STAGES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        println!("\n==> {name}: {what}");
        let t = Instant::now();
        let outcome = stage();
        let line = summary_line(name, &outcome, t.elapsed().as_secs_f64());
        println!("{line}");
        results.push((line, outcome.is_ok()));
    }

    let failed = results.iter().filter(|(_, ok)| !ok).count();
    println!("\n== summary ({:.0} s) ==", started.elapsed().as_secs_f64());
    for (line, _) in &results {
        println!("{line}");
    }
    println!("stages: {} passed, {failed} failed", results.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} stage(s) failed"))
    }
}

fn summary_line(name: &str, outcome: &Result<()>, secs: f64) -> String {
    match outcome {
        Ok(()) => format!("[  ok  ] {name:<11} {secs:>7.1} s"),
        Err(e) => format!("[FAILED] {name:<11} {secs:>7.1} s  {e}"),
    }
}

fn fmt() -> Result<()> {
    util::cargo(&["fmt", "--all", "--check"])
}

fn clippy() -> Result<()> {
    util::cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])
}

/// Boundary 1 of DESIGN.md: the crates under `crates/` know nothing of Tauri.
fn boundaries() -> Result<()> {
    let mut offenders = Vec::new();
    for name in crate_names()? {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args([
                "tree",
                "-q",
                "-p",
                &name,
                "-i",
                "tauri",
                "-e",
                "normal,build,dev",
            ])
            .current_dir(util::root())
            .output()
            .map_err(|e| format!("cargo tree: {e}"))?;
        let tree = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // When tauri is outside the crate's graph, cargo says the spec
        // "did not match any packages": that is the answer we want.
        let absent = !out.status.success() && stderr.contains("did not match any packages");
        if !tree.trim().is_empty() {
            offenders.push(format!("{name}:\n{tree}"));
        } else if absent || out.status.success() {
            println!("{name}: no path to tauri");
        } else {
            return Err(format!("cargo tree -p {name} failed: {}", stderr.trim()));
        }
    }
    if offenders.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "crates that depend on tauri:\n{}",
            offenders.join("\n")
        ))
    }
}

/// Package names of the crates under `crates/`.
fn crate_names() -> Result<Vec<String>> {
    let mut names = Vec::new();
    let dir = util::root().join("crates");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let manifest = entry.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let name = text
            .lines()
            .find_map(|l| {
                l.trim().strip_prefix("name").map(|r| {
                    r.trim_start_matches([' ', '='])
                        .trim_matches('"')
                        .to_string()
                })
            })
            .ok_or_else(|| format!("{}: no package name", manifest.display()))?;
        names.push(name);
    }
    names.sort();
    Ok(names)
}

fn svelte_check() -> Result<()> {
    npm_script("check")
}

/// `deskctl` must run on servers without a desktop: no GUI library may be
/// linked into it, directly or through a dependency.
fn headless_cli() -> Result<()> {
    if !cfg!(target_os = "linux") {
        println!("ldd is Linux-only: skipped");
        return Ok(());
    }
    util::cargo(&["build", "-p", "helpdesk", "--bin", "deskctl"])?;
    let bin = util::target_dir().join("debug").join("deskctl");
    let libs = util::output("ldd", &[&bin.to_string_lossy()])
        .ok_or_else(|| format!("ldd {} failed", bin.display()))?;
    const GUI: &[&str] = &[
        "gtk",
        "gdk",
        "webkit",
        "javascriptcore",
        "soup",
        "cairo",
        "pango",
        "X11",
        "wayland",
    ];
    let offending: Vec<&str> = libs
        .lines()
        .filter(|line| {
            GUI.iter()
                .any(|g| line.to_lowercase().contains(&g.to_lowercase()))
        })
        .collect();
    println!("deskctl links {} shared libraries", libs.lines().count());
    if offending.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "deskctl links GUI libraries:\n{}",
            offending.join("\n")
        ))
    }
}

fn cargo_test() -> Result<()> {
    util::cargo(&["test", "--workspace", "--exclude", "e2e"])
}

/// The TypeScript twins of IPC types are generated by `cargo test` (ts-rs)
/// and checked in; a difference means someone changed a Rust type without
/// committing the regenerated file.
fn bindings() -> Result<()> {
    let Some(status) = util::output(
        "git",
        &[
            "-C",
            &util::root().to_string_lossy(),
            "status",
            "--porcelain",
            "--",
            "ui/src/bindings",
        ],
    ) else {
        println!("not a git checkout: skipped");
        return Ok(());
    };
    if status.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "regenerated bindings differ from the committed ones; commit them:\n{status}"
        ))
    }
}

fn vitest() -> Result<()> {
    npm_script("test:unit")
}

fn browser() -> Result<()> {
    npm_script("test:browser")
}

fn e2e() -> Result<()> {
    if !cfg!(target_os = "linux") {
        println!(
            "WebDriver tests of the desktop app run on Linux only (tauri-driver has no macOS support): skipped"
        );
        return Ok(());
    }
    // desk-sim runs as a process of its own; deskctl connects a data folder
    // and queues tickets for the chat's tests; notify-recorder stands in for
    // the desktop's notification daemon on a test's session bus.
    util::cargo(&["build", "-p", "desk-chat", "-p", "desk-sim"])?;
    util::cargo(&["build", "-p", "helpdesk", "--bin", "deskctl"])?;
    util::cargo(&["build", "-p", "e2e", "--bin", "notify-recorder"])?;
    let recorder = util::target_dir()
        .join("debug")
        .join(util::exe("notify-recorder"));
    let deskctl = util::target_dir().join("debug").join(util::exe("deskctl"));
    let app = util::target_dir()
        .join("debug")
        .join(util::exe("desk-chat"));
    let sim = util::target_dir().join("debug").join(util::exe("desk-sim"));
    let driver = if util::have("tauri-driver", "--help") {
        "tauri-driver".into()
    } else {
        setup::cargo_bin("tauri-driver")
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["test", "-p", "e2e", "--", "--test-threads=1"])
        .current_dir(util::root())
        .env("E2E_APP", &app)
        .env("E2E_DESK_SIM", &sim)
        .env("E2E_DESKCTL", &deskctl)
        .env("E2E_NOTIFY_RECORDER", &recorder)
        .env("E2E_TAURI_DRIVER", driver)
        .status()
        .map_err(|e| format!("cargo test -p e2e: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("end-to-end tests failed (see above for screenshots and logs)".into())
    }
}

fn npm_script(script: &str) -> Result<()> {
    util::run_in(
        &util::root().join("ui"),
        util::npm(),
        &["run", "--silent", script],
    )
}
