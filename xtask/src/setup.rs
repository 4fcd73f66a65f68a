//! Installs what is missing: system packages (Debian/Ubuntu), the UI's npm
//! packages, and for tests `tauri-driver`. Safe to run again: each step
//! checks first and does nothing when all is there.

use std::path::Path;
use std::process::Command;

use crate::util::{self, Result};

/// What the packages are needed for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// Building the app: WebKitGTK and its friends (Tauri's documented list).
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libssl-dev",
    "libxdo-dev",
];

/// Running the tests: a virtual display, the WebKit WebDriver, Chromium for
/// the front-end tests, a session bus, fonts, and `import` for screenshots.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "chromium",
    "fonts-dejavu-core",
    "x11-utils",
    "dbus",
    "dbus-x11",
    "at-spi2-core",
    "imagemagick",
];

/// Node.js major version the UI toolchain (Vite) needs.
const NODE_MAJOR: u32 = 20;

pub fn ensure(purpose: Purpose) -> Result<()> {
    if is_debian_like() {
        let mut wanted: Vec<&str> = BUILD_PACKAGES.to_vec();
        if purpose == Purpose::Test {
            wanted.extend_from_slice(TEST_PACKAGES);
        }
        apt_install_missing(&wanted)?;
    } else if cfg!(target_os = "linux") {
        println!(
            "xtask: not a Debian/Ubuntu system: make sure WebKitGTK 4.1 development files are installed (see README)"
        );
    }
    ensure_node()?;
    npm_ci()?;
    if purpose == Purpose::Test && cfg!(target_os = "linux") {
        ensure_tauri_driver()?;
    }
    Ok(())
}

fn is_debian_like() -> bool {
    let Ok(release) = std::fs::read_to_string("/etc/os-release") else {
        return false;
    };
    release.lines().any(|line| {
        let line = line.trim();
        (line.starts_with("ID=") || line.starts_with("ID_LIKE="))
            && (line.contains("debian") || line.contains("ubuntu"))
    })
}

fn dpkg_installed(package: &str) -> bool {
    util::output("dpkg-query", &["-W", "-f=${Status}", package])
        .is_some_and(|status| status.ends_with("install ok installed"))
}

fn apt_install_missing(wanted: &[&str]) -> Result<()> {
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    println!("xtask: installing missing system packages: {list}");
    let is_root = util::output("id", &["-u"]).as_deref() == Some("0");
    let sudo_ok = !is_root
        && Command::new("sudo")
            .args(["-n", "true"])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    let prefix: &[&str] = if is_root {
        &[]
    } else if sudo_ok {
        &["sudo", "-n"]
    } else {
        return Err(format!(
            "these system packages are missing and I cannot install them without root:\n\n    sudo apt-get update && sudo apt-get install -y {list}\n\nRun that, then run this command again."
        ));
    };
    let apt = |args: &[&str]| -> Result<()> {
        let mut cmd: Vec<&str> = prefix.to_vec();
        cmd.push("apt-get");
        cmd.extend_from_slice(args);
        let status = Command::new(cmd[0])
            .args(&cmd[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("could not run apt-get: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", cmd.join(" ")))
        }
    };
    apt(&["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq"];
    args.extend_from_slice(&missing);
    apt(&args)
}

fn ensure_node() -> Result<()> {
    let version = util::output("node", &["--version"]).ok_or_else(|| {
        format!(
            "Node.js {NODE_MAJOR} or newer is needed to build the UI and was not found.\n\
             Install it (https://nodejs.org, or your system's package manager), then run this command again."
        )
    })?;
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < NODE_MAJOR {
        return Err(format!(
            "Node.js {version} is too old: version {NODE_MAJOR} or newer is needed."
        ));
    }
    Ok(())
}

/// `npm ci` in `ui/`, skipped when `node_modules` is newer than the lock file.
fn npm_ci() -> Result<()> {
    let ui = util::root().join("ui");
    let stamp = ui.join("node_modules").join(".package-lock.json");
    if newer(&stamp, &ui.join("package-lock.json")) {
        return Ok(());
    }
    println!("xtask: installing the UI's npm packages (npm ci)");
    util::run_in(&ui, util::npm(), &["ci", "--no-audit", "--no-fund"])
}

fn newer(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(a), modified(b)), (Some(a), Some(b)) if a >= b)
}

/// Builds the UI into `ui/dist`, which the app embeds at compile time.
pub fn build_ui() -> Result<()> {
    util::run_in(
        &util::root().join("ui"),
        util::npm(),
        &["run", "--silent", "build"],
    )
}

/// `tauri-driver`, the WebDriver bridge for the e2e tests.
fn ensure_tauri_driver() -> Result<()> {
    if util::have("tauri-driver", "--help") || cargo_bin("tauri-driver").exists() {
        return Ok(());
    }
    println!("xtask: installing tauri-driver (cargo install --locked)");
    util::cargo(&["install", "tauri-driver", "--locked", "--version", "^2"])
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin(name: &str) -> std::path::PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(util::exe(name))
}

/// A window needs a display; say how to get one rather than let GTK panic.
pub fn require_display() -> Result<()> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err("no display found (DISPLAY and WAYLAND_DISPLAY are unset). Run this from a desktop session, or headless as `xvfb-run -a cargo xtask run`.".into());
    }
    Ok(())
}
