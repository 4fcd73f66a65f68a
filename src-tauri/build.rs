//! Declares the app's own commands to Tauri, so that each gets an
//! `allow-<command>` permission and nothing is allowed unless a capability
//! names it.

/// Every command the front end may call. A command missing here cannot be
/// granted by a capability (the build fails on an unknown permission).
const COMMANDS: &[&str] = &[
    "app_info",
    "connection_status",
    "setup_state",
    "setup_open_api_console",
    "setup_start_consent",
    "setup_finish_consent",
    "setup_cancel_consent",
    "setup_paste_redirect",
    "setup_self_client_code",
    "setup_import_env",
    "setup_choose_organization",
    "setup_choose_departments",
    "setup_send_test",
    "setup_disconnect",
    "setup_start_sandbox",
    "setup_accept_file_store",
    "chat_restore",
    "chat_start",
    "chat_say",
    "chat_choose",
    "chat_new",
    "chat_subscribe",
    "forms_options",
    "forms_contact_suggestions",
    "forms_stage_attachment",
    "forms_unstage_attachment",
    "forms_parse_when",
    "forms_submit_ticket",
    "forms_submit_callback",
    "history_list",
    "history_refresh",
    "history_retry",
    "history_discard",
    "history_edit",
    "history_resend_ticket",
    "history_resend_callback",
    "history_open_in_desk",
    "history_subscribe",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
