//! Declares the app's own commands to Tauri, so that each gets an
//! `allow-<command>` permission and nothing is allowed unless a capability
//! names it.

/// Every command the front end may call. A command missing here cannot be
/// granted by a capability (the build fails on an unknown permission).
const COMMANDS: &[&str] = &["app_info", "connection_status"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
