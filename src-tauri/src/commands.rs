//! The IPC commands: one line of glue each.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use crate::error::CommandError;
use crate::paths::AppPaths;
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

/// Not connected until the setup wizard has stored working credentials.
#[tauri::command]
pub fn connection_status() -> Result<ConnectionStatus, CommandError> {
    Ok(ConnectionStatus::NotConnected)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::{Value, json};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
    use tauri::webview::InvokeRequest;

    use super::*;

    fn app_with(paths: AppPaths) -> tauri::App<tauri::test::MockRuntime> {
        crate::with_commands(mock_builder())
            .manage(paths)
            .build(mock_context(noop_assets()))
            .expect("mock app builds")
    }

    fn invoke(app: &tauri::App<tauri::test::MockRuntime>, cmd: &str) -> Result<Value, Value> {
        let webview = tauri::WebviewWindowBuilder::new(app, "main", Default::default())
            .build()
            .expect("mock window builds");
        get_ipc_response(
            &webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                // A local origin: on Linux the docs' http://tauri.localhost is refused.
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::default(),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
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
    fn unknown_commands_are_refused() {
        let app = app_with(AppPaths::under(PathBuf::from("/tmp/x")));
        assert!(invoke(&app, "plugin:shell|open").is_err());
    }
}
