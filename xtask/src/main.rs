//! `cargo xtask run | test | bench`: the project's commands.
//!
//! - `run`: installs what is missing, builds the UI and the app, starts it.
//! - `test [STAGE...]`: the same set-up plus the test tools, then every
//!   quality gate and test suite in order, one summary line per stage.
//! - `bench`: release builds of the app and of a bare Tauri window, launched
//!   under Xvfb and compared (launch-to-interactive, peak PSS, idle CPU).
//!
//! Not a build system: each step calls the ordinary tool (`apt-get`, `npm`,
//! `cargo`) so that a developer can run any of them by hand.

mod bench;
mod setup;
mod stages;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  run                 install what is missing, build the UI and the app, start it
  test [STAGE...]     install what is missing, run every quality gate and test
                      (stages: fmt clippy boundaries check unit headless bindings vitest browser e2e)
  bench               compare the release app with a bare Tauri window under Xvfb
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => stages::test(&args[1..]),
        Some("bench") => bench::bench(),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> util::Result<()> {
    setup::ensure(setup::Purpose::Run)?;
    setup::build_ui()?;
    util::cargo(&["build", "-p", "desk-chat"])?;
    setup::require_display()?;
    let app = util::target_dir()
        .join("debug")
        .join(util::exe("desk-chat"));
    println!("xtask: starting {}", app.display());
    let status = std::process::Command::new(&app)
        .status()
        .map_err(|e| format!("could not start {}: {e}", app.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("Desk Chat exited with {status}"))
    }
}
