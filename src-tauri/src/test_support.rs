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
    invoke_body(app, cmd, InvokeBody::Json(body), Default::default())
}

/// Calls `cmd` with a raw binary body and headers (`invoke(cmd, bytes, {headers})`).
pub fn invoke_raw(
    app: &tauri::App<MockRuntime>,
    cmd: &str,
    bytes: Vec<u8>,
    headers: &[(&'static str, &str)],
) -> Result<Value, Value> {
    let mut map = tauri::http::HeaderMap::new();
    for (k, v) in headers {
        map.insert(*k, v.parse().expect("header value"));
    }
    invoke_body(app, cmd, InvokeBody::Raw(bytes), map)
}

/// The forms and history of an offline app on `dir` (one hub, not connected).
pub fn offline_forms(
    wizard: &Wizard,
    dir: &Path,
) -> (helpdesk::forms::Forms, helpdesk::history::History) {
    tauri::async_runtime::block_on(async {
        let hub = helpdesk::hub::Hub::open(wizard.clone(), &helpdesk::settings::DataDir::new(dir))
            .await
            .expect("hub on a fresh folder");
        let forms = helpdesk::forms::Forms::new(
            hub,
            helpdesk::forms::FormsConfig {
                time_zone: chrono_tz_london(),
                region: None,
                wait: std::time::Duration::from_secs(2),
            },
        );
        let history = helpdesk::history::History::new(forms.clone());
        (forms, history)
    })
}

fn chrono_tz_london() -> helpdesk::forms::TimeZone {
    "Europe/London".parse().expect("a known zone")
}

fn invoke_body(
    app: &tauri::App<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: tauri::http::HeaderMap,
) -> Result<Value, Value> {
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
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON reply"))
}
