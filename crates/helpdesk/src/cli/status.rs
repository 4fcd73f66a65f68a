//! `deskctl status`: the connection (saved, or the environment's token),
//! where the data is, what is waiting in the outbox. No network call.

use serde_json::json;

use super::context::RECONNECT_HINT as RECONNECT_HINT_TEXT;
use super::exit::{CliError, Exit};
use super::{Done, context};
use crate::secrets::StoreKind;

/// Exit 0 when connected, 3 when not (or a reconnect is needed).
pub(super) async fn run() -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let counts = context::outbox_to_read(&data_dir)?.counts()?;
    let outbox_text = format!(
        "Outbox: {} queued, {} failed, {} delivered",
        counts.queued + counts.sending,
        counts.failed,
        counts.delivered
    );
    if let Some(imported) = context::env_access()? {
        let (desk, settings) = context::env_client(&data_dir, context::http()?, &imported)?;
        let json = json!({
            "connection": "environment",
            "connected": true,
            "reconnectNeeded": false,
            "orgId": imported.org_id,
            "deskApiUrl": desk.api_base().as_str(),
            "dataCentre": settings.data_centre,
            "dataDir": data_dir.path(),
            "outbox": counts,
        });
        let text = format!(
            "Using DESK_ACCESS_TOKEN from the environment (nothing saved)\nOrganization: {}\nDesk API: {}\nData: {}\n{outbox_text}",
            imported
                .org_id
                .as_deref()
                .unwrap_or("(the account's only one)"),
            desk.api_base().as_str(),
            data_dir.path().display()
        );
        return Ok(Done::ok(json, text));
    }
    let setup = context::open_setup(&data_dir, context::http()?)?;
    let status = setup.status()?;
    let settings = setup.settings()?;
    let store = match setup.secrets().kind() {
        StoreKind::Keychain => "keychain",
        StoreKind::File => "file",
        StoreKind::Memory => "memory",
    };
    let json = json!({
        "connection": "saved",
        "connected": status.connected,
        "reconnectNeeded": status.reconnect_needed,
        "status": status,
        "support": settings.support_department_id.as_ref().map(|id| json!({"id": id, "name": settings.support_department_name})),
        "callbacks": settings.callbacks_department_id.as_ref().map(|id| json!({"id": id, "name": settings.callbacks_department_name})),
        "secretStore": store,
        "dataDir": data_dir.path(),
        "outbox": counts,
    });
    let mut text = if status.connected {
        format!(
            "Connected to Zoho Desk: {} ({})",
            status.org_name.as_deref().unwrap_or("?"),
            status.org_id.as_deref().unwrap_or("?")
        )
    } else if status.reconnect_needed {
        format!("Reconnect needed: the saved sign-in no longer works; {RECONNECT_HINT_TEXT}")
    } else {
        format!("Not connected to Zoho Desk; {RECONNECT_HINT_TEXT}")
    };
    if let Some(dc) = &status.data_centre {
        text.push_str(&format!("\nData centre: {}", dc.to_uppercase()));
    }
    if status.sandbox {
        text.push_str("\nSandbox (the built-in simulator, not Zoho)");
    }
    if let Some(name) = &settings.support_department_name {
        text.push_str(&format!("\nTickets go to: {name}"));
    }
    if let Some(name) = &settings.callbacks_department_name {
        text.push_str(&format!("\nCallbacks go to: {name}"));
    }
    text.push_str(&format!(
        "\nSign-in kept in: {store}\nData: {}\n{outbox_text}",
        data_dir.path().display()
    ));
    let done = Done::ok(json, text);
    Ok(if status.connected {
        done
    } else {
        done.with_exit(Exit::AuthNeeded)
    })
}
