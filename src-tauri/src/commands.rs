//! The IPC commands: one line of glue each.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use helpdesk::compose::ItemKind;
use helpdesk::wizard::Wizard;

use crate::browser;
use crate::error::{CommandError, ErrorKind};
use crate::paths::AppPaths;
use crate::setup_dto::{
    ClientInput, ConsentStarted, DisconnectDto, SetupOutcomeDto, SetupState, TestSentDto,
};
use crate::status::ConnectionStatus;

/// What the About panel shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub tauri_version: String,
    pub identifier: String,
    pub data_dir: String,
    pub log_dir: String,
}

#[tauri::command]
pub fn app_info<R: Runtime>(
    app: AppHandle<R>,
    paths: State<'_, AppPaths>,
) -> Result<AppInfo, CommandError> {
    let package = app.package_info();
    Ok(AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        tauri_version: tauri::VERSION.to_string(),
        identifier: app.config().identifier.clone(),
        data_dir: paths.data_dir.display().to_string(),
        log_dir: paths.log_dir.display().to_string(),
    })
}

/// Connected to which organization and data centre, Sandbox or not, or
/// "Reconnect needed". Tokens refresh by themselves when used; a restarted
/// app is connected without any action.
#[tauri::command]
pub fn connection_status(wizard: State<'_, Wizard>) -> Result<ConnectionStatus, CommandError> {
    Ok(wizard.status()?.into())
}

/// Data centres, saved non-secret settings, status, where secrets are kept.
#[tauri::command]
pub fn setup_state(wizard: State<'_, Wizard>) -> Result<SetupState, CommandError> {
    Ok(wizard.overview()?.into())
}

/// Opens the Zoho API console of the data centre in the system browser.
#[tauri::command]
pub fn setup_open_api_console<R: Runtime>(
    app: AppHandle<R>,
    data_centre: Option<String>,
) -> Result<(), CommandError> {
    browser::open(
        &app,
        &helpdesk::wizard::api_console_url(data_centre.as_deref()),
    )
}

/// Binds the loopback listener, then opens the consent page in the system browser.
#[tauri::command]
pub async fn setup_start_consent(
    wizard: State<'_, Wizard>,
    client: ClientInput,
) -> Result<ConsentStarted, CommandError> {
    consent_started(wizard.start_consent(&client.into()).await?)
}

/// Resolves when the consent came back and the connection is made (or failed).
#[tauri::command]
pub async fn setup_finish_consent(
    wizard: State<'_, Wizard>,
) -> Result<SetupOutcomeDto, CommandError> {
    Ok(wizard.finish_consent().await?.into())
}

/// Stops waiting for the consent page; the listener closes.
#[tauri::command]
pub fn setup_cancel_consent(wizard: State<'_, Wizard>) {
    wizard.cancel_consent();
}

/// "Paste the address you were sent to".
#[tauri::command]
pub fn setup_paste_redirect(
    wizard: State<'_, Wizard>,
    address: String,
) -> Result<(), CommandError> {
    Ok(wizard.paste_redirect(&address)?)
}

/// Exchanges a Self Client code generated in the Zoho API console.
#[tauri::command]
pub async fn setup_self_client_code(
    wizard: State<'_, Wizard>,
    client: ClientInput,
    code: String,
) -> Result<SetupOutcomeDto, CommandError> {
    Ok(wizard.self_client_code(&client.into(), &code).await?.into())
}

/// Imports a `.env` of the original guide (the UI reads the file).
#[tauri::command]
pub async fn setup_import_env(
    wizard: State<'_, Wizard>,
    contents: String,
) -> Result<SetupOutcomeDto, CommandError> {
    Ok(wizard.import_env(&contents).await?.into())
}

/// Uses this organization (when the account has several).
#[tauri::command]
pub async fn setup_choose_organization(
    wizard: State<'_, Wizard>,
    org_id: String,
) -> Result<SetupOutcomeDto, CommandError> {
    Ok(wizard.choose_organization(&org_id).await?.into())
}

/// Uses these departments for chat tickets and callbacks.
#[tauri::command]
pub async fn setup_choose_departments(
    wizard: State<'_, Wizard>,
    support_id: String,
    callbacks_id: Option<String>,
) -> Result<(), CommandError> {
    wizard
        .choose_departments(&support_id, callbacks_id.as_deref())
        .await
        .map(drop)
        .map_err(Into::into)
}

/// Sends a test ticket or callback through compose and the outbox.
#[tauri::command]
pub async fn setup_send_test(
    wizard: State<'_, Wizard>,
    kind: String,
) -> Result<TestSentDto, CommandError> {
    let kind = ItemKind::parse(&kind).ok_or_else(|| {
        CommandError::new(ErrorKind::Validation, "Choose a ticket or a callback.")
    })?;
    Ok(wizard.send_test(kind).await?.into())
}

/// Revokes the refresh token at Zoho and wipes the local secrets.
#[tauri::command]
pub async fn setup_disconnect(wizard: State<'_, Wizard>) -> Result<DisconnectDto, CommandError> {
    Ok(wizard.disconnect().await?.into())
}

/// "Try without a Zoho account": the built-in simulator, then the same consent.
#[tauri::command]
pub async fn setup_start_sandbox(
    wizard: State<'_, Wizard>,
) -> Result<ConsentStarted, CommandError> {
    consent_started(wizard.start_sandbox().await?)
}

/// The user agreed to keep the sign-in in a file only they can read.
#[tauri::command]
pub fn setup_accept_file_store(wizard: State<'_, Wizard>) -> Result<(), CommandError> {
    Ok(wizard.accept_file_store()?)
}

fn consent_started(
    (consent_url, browser_error): (String, Option<String>),
) -> Result<ConsentStarted, CommandError> {
    Ok(ConsentStarted {
        consent_url,
        browser_error: browser_error.map(|e| crate::error::sentence(&e)),
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::{Value, json};
    use tauri::test::{mock_builder, mock_context, noop_assets};

    use super::*;
    use crate::test_support::offline_wizard;

    fn app_with(paths: AppPaths) -> tauri::App<tauri::test::MockRuntime> {
        let dir = tempfile::tempdir().unwrap().keep();
        crate::with_commands(mock_builder())
            .manage(paths)
            .manage(offline_wizard(&dir))
            .build(mock_context(noop_assets()))
            .expect("mock app builds")
    }

    fn invoke(app: &tauri::App<tauri::test::MockRuntime>, cmd: &str) -> Result<Value, Value> {
        crate::test_support::invoke(app, cmd, json!({}))
    }

    #[test]
    fn app_info_reports_version_and_folders_through_ipc() {
        let app = app_with(AppPaths::under(PathBuf::from("/data/desk-chat")));
        let reply = invoke(&app, "app_info").expect("app_info succeeds");
        assert_eq!(
            reply["version"],
            json!(app.package_info().version.to_string())
        );
        assert_eq!(reply["tauriVersion"], json!(tauri::VERSION));
        assert_eq!(reply["dataDir"], json!("/data/desk-chat"));
        assert_eq!(
            reply["logDir"],
            json!(PathBuf::from("/data/desk-chat/logs").display().to_string())
        );
        let keys: Vec<&str> = reply
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 6, "unexpected fields in {keys:?}");
    }

    #[test]
    fn connection_status_is_tagged_by_state() {
        let app = app_with(AppPaths::under(PathBuf::from("/tmp/x")));
        assert_eq!(
            invoke(&app, "connection_status").unwrap(),
            json!({ "state": "not_connected" })
        );
    }

    #[test]
    fn connected_status_uses_camel_case_fields() {
        let status = ConnectionStatus::Connected {
            org_name: "Acme".into(),
            data_centre: "EU".into(),
            sandbox: true,
        };
        assert_eq!(
            serde_json::to_value(status).unwrap(),
            json!({ "state": "connected", "orgName": "Acme", "dataCentre": "EU", "sandbox": true })
        );
    }

    #[test]
    fn setup_state_lists_data_centres_and_carries_no_secret() {
        let app = app_with(AppPaths::under(PathBuf::from("/tmp/x")));
        let reply = invoke(&app, "setup_state").expect("setup_state succeeds");
        let dcs = reply["dataCentres"].as_array().unwrap();
        assert!(
            dcs.iter()
                .any(|d| d["location"] == "eu" && d["accountsHost"] == "accounts.zoho.eu")
        );
        assert_eq!(reply["status"], json!({ "state": "not_connected" }));
        assert_eq!(reply["secretStore"], json!({ "kind": "memory" }));
        assert_eq!(
            reply["settings"]["redirectUri"],
            json!("http://localhost:8000/callback")
        );
        let text = reply.to_string().to_lowercase();
        assert!(!text.contains("secret\":"), "{text}");
        assert!(!text.contains("token"), "{text}");
    }

    #[test]
    fn a_malformed_client_id_is_refused_with_advice() {
        let app = app_with(AppPaths::under(PathBuf::from("/tmp/x")));
        let body = json!({
            "client": { "clientId": "abc", "clientSecret": "0123456789abcdef", "dataCentre": "eu", "redirectPort": 8000 }
        });
        let error = crate::test_support::invoke(&app, "setup_start_consent", body).unwrap_err();
        assert_eq!(error["kind"], "validation");
        assert!(
            error["message"].as_str().unwrap().contains("1000."),
            "{error}"
        );
        assert!(!error.to_string().contains("0123456789abcdef"));
    }

    #[test]
    fn sending_a_test_needs_a_connection() {
        let app = app_with(AppPaths::under(PathBuf::from("/tmp/x")));
        let body = json!({ "kind": "ticket" });
        let error = crate::test_support::invoke(&app, "setup_send_test", body).unwrap_err();
        assert_eq!(error["kind"], "auth_required", "{error}");
    }

    #[test]
    fn the_main_window_may_call_exactly_the_declared_commands_and_no_plugin() {
        let capability: Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let build = include_str!("../build.rs");
        let declared: Vec<&str> = build
            .split("const COMMANDS")
            .nth(1)
            .unwrap()
            .split("];")
            .next()
            .unwrap()
            .split('"')
            .skip(1)
            .step_by(2)
            .collect();
        let granted: Vec<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        let expected: Vec<String> = declared
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        assert_eq!(granted, expected);
        assert!(declared.contains(&"setup_start_consent"));
        assert!(
            granted.iter().all(|p| !p.contains(':')),
            "no plugin permission"
        );
    }

    #[test]
    fn unknown_commands_are_refused() {
        let app = app_with(AppPaths::under(PathBuf::from("/tmp/x")));
        assert!(invoke(&app, "plugin:shell|open").is_err());
    }
}
