//! The Desk Chat desktop app: Tauri glue only.
//!
//! Windows, IPC commands, capabilities and plugin wiring live here; every
//! piece of logic lives in a crate under `crates/` that knows nothing of
//! Tauri. A command is one line of glue: DTO in, one call, DTO or
//! [`error::CommandError`] out.

pub mod commands;
pub mod error;
mod logging;
pub mod paths;
pub mod status;

use tauri::{Manager, Runtime};

/// Adds the app's commands and the state they need to a builder.
///
/// Shared by [`run`] and the command tests (which use Tauri's mock runtime),
/// so the tests exercise the very handler list the app ships with.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::connection_status
    ])
}

/// Builds and runs the app until its last window closes.
pub fn run() {
    let builder = tauri::Builder::default()
        // Must be registered first: a second launch only focuses the first.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_store::Builder::default().build())
        // The system browser is opened from Rust only; the web view has no
        // opener permission (see capabilities/main.json).
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let paths = paths::AppPaths::resolve(app.handle())?;
            let guard = logging::init(&paths.log_dir)?;
            app.manage(guard);
            tracing::info!(
                version = %app.package_info().version,
                data_dir = %paths.data_dir.display(),
                "Desk Chat starting"
            );
            app.manage(paths);
            Ok(())
        })
        .on_page_load(|webview, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                tracing::debug!(label = webview.label(), "page loaded");
                bench_ready_marker();
            }
        });

    with_commands(builder)
        .run(tauri::generate_context!())
        .expect("error while running Desk Chat");
}

/// `cargo xtask bench` measures launch-to-interactive by reading this line
/// from stdout; the bare comparison app prints the same line at the same
/// moment. Silent unless the bench asked for it.
fn bench_ready_marker() {
    if std::env::var_os("DESK_CHAT_BENCH").is_some() {
        println!("desk-chat-bench: ready");
    }
}
