//! The Desk Chat desktop app: Tauri glue only.
//!
//! Windows, IPC commands, capabilities and plugin wiring live here; every
//! piece of logic lives in a crate under `crates/` that knows nothing of
//! Tauri. A command is one line of glue: DTO in, one call, DTO or
//! [`error::CommandError`] out.

mod browser;
pub mod chat_commands;
pub mod chat_dto;
pub mod commands;
pub mod error;
pub mod forms_commands;
pub mod forms_dto;
mod logging;
mod notifications;
pub mod paths;
pub mod setup_dto;
pub mod status;
#[cfg(test)]
mod test_support;

use tauri::{Manager, Runtime};

/// Adds the app's commands and the state they need to a builder.
///
/// Shared by [`run`] and the command tests (which use Tauri's mock runtime),
/// so the tests exercise the very handler list the app ships with.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::connection_status,
        commands::setup_state,
        commands::setup_open_api_console,
        commands::setup_start_consent,
        commands::setup_finish_consent,
        commands::setup_cancel_consent,
        commands::setup_paste_redirect,
        commands::setup_self_client_code,
        commands::setup_import_env,
        commands::setup_choose_organization,
        commands::setup_choose_departments,
        commands::setup_send_test,
        commands::setup_disconnect,
        commands::setup_start_sandbox,
        commands::setup_accept_file_store,
        chat_commands::chat_restore,
        chat_commands::chat_start,
        chat_commands::chat_say,
        chat_commands::chat_choose,
        chat_commands::chat_new,
        chat_commands::chat_subscribe,
        forms_commands::forms_options,
        forms_commands::forms_contact_suggestions,
        forms_commands::forms_stage_attachment,
        forms_commands::forms_unstage_attachment,
        forms_commands::forms_parse_when,
        forms_commands::forms_submit_ticket,
        forms_commands::forms_submit_callback,
        forms_commands::history_list,
        forms_commands::history_refresh,
        forms_commands::history_retry,
        forms_commands::history_discard,
        forms_commands::history_edit,
        forms_commands::history_resend_ticket,
        forms_commands::history_resend_callback,
        forms_commands::history_open_in_desk,
        forms_commands::history_subscribe,
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
        // settings.json has ONE writer: `helpdesk` (through the setup
        // commands). The store plugin is registered for other small UI
        // state only; neither it nor the web view (no store permission)
        // writes settings.json, so no two writers can race.
        .plugin(tauri_plugin_store::Builder::default().build())
        // The system browser is opened from Rust only; the web view has no
        // opener permission (see capabilities/main.json).
        .plugin(tauri_plugin_opener::init())
        // Notifications are shown from Rust only (delivered later, failed
        // for good); the web view holds no notification permission.
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let paths = paths::AppPaths::resolve(app.handle())?;
            let guard = logging::init(&paths.log_dir)?;
            app.manage(guard);
            tracing::info!(
                version = %app.package_info().version,
                data_dir = %paths.data_dir.display(),
                "Desk Chat starting"
            );
            app.manage(paths.clone());
            // Selects the secret store (keychain self-test, with timeouts),
            // and restarts the sandbox when the settings say so. Saved
            // tokens refresh by themselves when next used.
            let browser = std::sync::Arc::new(browser::SystemBrowser(app.handle().clone()));
            let wizard = tauri::async_runtime::block_on(helpdesk::wizard::Wizard::open(browser));
            // One outbox and one delivery loop for the chat, manual entry
            // and the history, connected when the setup is; it drains what
            // earlier runs left queued.
            let data_dir = helpdesk::settings::DataDir::new(paths.data_dir.clone());
            let handle = app.handle().clone();
            let services = tauri::async_runtime::block_on(helpdesk::services::Services::open(
                wizard.clone(),
                &data_dir,
                move |notice| notifications::show(&handle, &notice),
            ))?;
            app.manage(services.chat);
            app.manage(services.forms);
            app.manage(services.history);
            app.manage(wizard);
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
