//! Shared by the command tests: an offline app state and an IPC call
//! through Tauri's mock runtime (real deserialisation, real handler list).

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use tauri::Manager;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;

use helpdesk::wizard::Wizard;

/// A wizard on `dir`, with secrets in memory and not connected.
pub fn offline_wizard(dir: &Path) -> Wizard {
    let store: Arc<dyn helpdesk::secrets::SecretStore> =
        Arc::new(helpdesk::secrets::MemoryStore::new());
    let setup = helpdesk::connect::Setup::new(
        helpdesk::settings::SettingsFile::at(dir.join("settings.json")),
        store.clone(),
        Default::default(),
    )
    .expect("setup on a fresh folder");
    Wizard::with_setup(
        setup,
        helpdesk::secrets::ActiveStore::new(store),
        Arc::new(helpdesk::connect::SystemBrowser),
    )
}

/// Calls `cmd` with a JSON body from the main window, as the web view would.
pub fn invoke(app: &tauri::App<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    let webview = app.get_webview_window("main").unwrap_or_else(|| {
        tauri::WebviewWindowBuilder::new(app, "main", Default::default())
            .build()
            .expect("mock window builds")
    });
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // A local origin: on Linux the docs' http://tauri.localhost is refused.
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON reply"))
}
