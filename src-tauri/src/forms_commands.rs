//! Manual entry and history IPC commands: one line of glue each over
//! [`helpdesk::forms::Forms`] and [`helpdesk::history::History`]. Live
//! history updates stream through a [`Channel`]; "Open in Desk" opens the
//! checked link from Rust.

use helpdesk::forms::Forms;
use helpdesk::history::History;
use helpdesk::outbox::ItemId;
use tauri::ipc::{Channel, Request};
use tauri::{AppHandle, Runtime, State};

use crate::error::CommandError;
use crate::forms_dto::{
    CallbackFormInput, ContactQueryFieldDto, ContactSuggestionDto, FormOptionsDto, HistoryDto,
    HistoryEditDto, HistoryItemDto, StagedAttachmentDto, SubmitResultDto, TicketFormInput, WhenDto,
    staged_upload,
};

/// Departments (from Desk, cached), the setup's choices, lists and limits.
#[tauri::command]
pub async fn forms_options(forms: State<'_, Forms>) -> Result<FormOptionsDto, CommandError> {
    Ok(forms.options().await.into())
}

/// Contacts matching what is typed (Desk and history; ≤ 8; none below 3 characters).
#[tauri::command]
pub async fn forms_contact_suggestions(
    forms: State<'_, Forms>,
    field: ContactQueryFieldDto,
    query: String,
) -> Result<Vec<ContactSuggestionDto>, CommandError> {
    Ok(forms
        .contact_suggestions(field.into(), &query)
        .await
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Keeps a file (raw body, name in `x-file-name`) until the form is sent.
#[tauri::command]
pub fn forms_stage_attachment(
    forms: State<'_, Forms>,
    request: Request<'_>,
) -> Result<StagedAttachmentDto, CommandError> {
    let (name, bytes) = staged_upload(&request)?;
    Ok(forms.stage_attachment(&name, bytes)?.into())
}

/// Forgets a staged file.
#[tauri::command]
pub fn forms_unstage_attachment(forms: State<'_, Forms>, token: String) {
    forms.unstage_attachment(&token);
}

/// A callback time typed or picked, echoed with the zone.
#[tauri::command]
pub fn forms_parse_when(forms: State<'_, Forms>, text: String) -> WhenDto {
    forms.parse_when(&text, chrono::Utc::now()).into()
}

/// New ticket: checked, queued, sent (waited for at most 10 s).
#[tauri::command]
pub async fn forms_submit_ticket(
    forms: State<'_, Forms>,
    input: TicketFormInput,
) -> Result<SubmitResultDto, CommandError> {
    Ok(forms.submit_ticket(&input.into()).await?.into())
}

/// New callback: checked, queued, sent (waited for at most 10 s).
#[tauri::command]
pub async fn forms_submit_callback(
    forms: State<'_, Forms>,
    input: CallbackFormInput,
) -> Result<SubmitResultDto, CommandError> {
    Ok(forms.submit_callback(&input.into()).await?.into())
}

/// What was sent from this machine, newest first (no Desk call).
#[tauri::command]
pub async fn history_list(
    history: State<'_, History>,
    search: Option<String>,
) -> Result<HistoryDto, CommandError> {
    Ok(history.list(search.as_deref()).await?.into())
}

/// The same, after asking Desk for the statuses that are due (batched, ≤ 1/min per ticket).
#[tauri::command]
pub async fn history_refresh(
    history: State<'_, History>,
    search: Option<String>,
) -> Result<HistoryDto, CommandError> {
    Ok(history.refresh(search.as_deref()).await?.into())
}

/// Sends a queued or failed item now.
#[tauri::command]
pub async fn history_retry(
    history: State<'_, History>,
    id: i64,
) -> Result<HistoryItemDto, CommandError> {
    Ok(history.retry(ItemId(id)).await?.into())
}

/// Removes a queued or failed item.
#[tauri::command]
pub async fn history_discard(history: State<'_, History>, id: i64) -> Result<(), CommandError> {
    Ok(history.discard(ItemId(id)).await?)
}

/// The form values of a queued or failed item.
#[tauri::command]
pub async fn history_edit(
    forms: State<'_, Forms>,
    id: i64,
) -> Result<HistoryEditDto, CommandError> {
    Ok(forms.edit_values(ItemId(id)).await?.into())
}

/// A queued or failed ticket, edited and sent again.
#[tauri::command]
pub async fn history_resend_ticket(
    forms: State<'_, Forms>,
    id: i64,
    input: TicketFormInput,
) -> Result<SubmitResultDto, CommandError> {
    Ok(forms.resend_ticket(ItemId(id), &input.into()).await?.into())
}

/// A queued or failed callback, edited and sent again.
#[tauri::command]
pub async fn history_resend_callback(
    forms: State<'_, Forms>,
    id: i64,
    input: CallbackFormInput,
) -> Result<SubmitResultDto, CommandError> {
    Ok(forms
        .resend_callback(ItemId(id), &input.into())
        .await?
        .into())
}

/// Opens the ticket in Desk in the system browser (host checked in helpdesk).
#[tauri::command]
pub async fn history_open_in_desk<R: Runtime>(
    app: AppHandle<R>,
    history: State<'_, History>,
    id: i64,
) -> Result<(), CommandError> {
    crate::browser::open(&app, &history.desk_link(ItemId(id)).await?)
}

/// Streams items changed in the background. A new subscription replaces the last.
#[tauri::command]
pub fn history_subscribe(history: State<'_, History>, on_update: Channel<HistoryItemDto>) {
    history.follow_with(move |entry| on_update.send(entry.into()).is_ok());
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

    use crate::test_support::{invoke, invoke_raw, offline_forms, offline_wizard};

    /// An app with forms and history on a fresh data folder, not connected.
    fn app() -> tauri::App<MockRuntime> {
        let dir = tempfile::tempdir().unwrap().keep();
        let wizard = offline_wizard(&dir);
        let (forms, history) = offline_forms(&wizard, &dir);
        crate::with_commands(mock_builder())
            .manage(wizard)
            .manage(forms)
            .manage(history)
            .build(mock_context(noop_assets()))
            .expect("mock app builds")
    }

    fn ticket(email: &str, department: Option<&str>) -> Value {
        json!({ "input": {
            "name": "Ann Lee", "email": email, "phone": "+44 20 7946 0958",
            "subject": "Printer on fire", "description": "Smoke <b>everywhere</b>",
            "departmentId": department, "priority": "High", "status": "Open",
            "channel": "Phone", "dueDate": null, "attachments": []
        }})
    }

    #[test]
    fn options_list_the_choices_and_limits_and_say_why_desk_was_not_asked() {
        let app = app();
        let o = invoke(&app, "forms_options", json!({})).unwrap();
        assert_eq!(o["priorities"], json!(["High", "Medium", "Low"]));
        assert_eq!(o["defaultChannel"], "Phone");
        assert_eq!(o["maxAttachmentBytes"], 20 * 1024 * 1024);
        assert_eq!(o["maxAttachments"], 10);
        assert_eq!(o["timeZone"], "Europe/London");
        assert!(o["departmentsError"].as_str().unwrap().contains("Setup"));
    }

    #[test]
    fn local_validation_names_the_field_and_queues_nothing() {
        let app = app();
        let r = invoke(&app, "forms_submit_ticket", ticket("ann@", Some("1234"))).unwrap();
        assert_eq!(r["itemId"], Value::Null);
        assert_eq!(r["fieldErrors"][0]["field"], "email", "{r}");
        let h = invoke(&app, "history_list", json!({ "search": null })).unwrap();
        assert_eq!(h["items"], json!([]));
    }

    #[test]
    fn a_ticket_queued_offline_is_in_history_editable_and_discardable() {
        let app = app();
        let r = invoke(
            &app,
            "forms_submit_ticket",
            ticket("ann@example.com", Some("1234")),
        )
        .unwrap();
        assert_eq!(r["state"], "queued", "{r}");
        assert!(r["message"].as_str().unwrap().contains("History"), "{r}");
        let id = r["itemId"].clone();
        let h = invoke(&app, "history_list", json!({ "search": "printer" })).unwrap();
        assert_eq!(h["counts"]["queued"], 1);
        let item = &h["items"][0];
        assert_eq!(item["id"], id);
        assert_eq!(item["deliveryState"], "queued");
        assert_eq!(item["editable"], true);
        assert_eq!(item["contactEmail"], "ann@example.com");
        let edit = invoke(&app, "history_edit", json!({ "id": id })).unwrap();
        assert_eq!(edit["kind"], "ticket");
        assert_eq!(edit["ticket"]["description"], "Smoke <b>everywhere</b>");
        assert_eq!(edit["ticket"]["priority"], "High");
        let open = invoke(&app, "history_open_in_desk", json!({ "id": id })).unwrap_err();
        assert_eq!(open["kind"], "validation", "{open}");
        let refreshed = invoke(&app, "history_refresh", json!({ "search": null })).unwrap();
        assert_eq!(refreshed["refreshed"], 0);
        assert!(refreshed["refreshError"].is_string());
        invoke(&app, "history_discard", json!({ "id": id })).unwrap();
        let gone = invoke(&app, "history_edit", json!({ "id": id })).unwrap_err();
        assert_eq!(gone["kind"], "not_found", "{gone}");
    }

    #[test]
    fn attachments_arrive_as_raw_bytes_with_their_name_and_the_cap_is_said() {
        let app = app();
        let staged = invoke_raw(
            &app,
            "forms_stage_attachment",
            b"hello".to_vec(),
            &[("x-file-name", "r%C3%A9sum%C3%A9%20v2.txt")],
        )
        .unwrap();
        assert_eq!(staged["name"], "résumé v2.txt");
        assert_eq!(staged["size"], 5);
        let too_big = invoke_raw(
            &app,
            "forms_stage_attachment",
            vec![0; 20 * 1024 * 1024 + 1],
            &[("x-file-name", "big.bin")],
        )
        .unwrap_err();
        assert_eq!(too_big["kind"], "validation");
        assert!(
            too_big["message"].as_str().unwrap().contains("20 MiB"),
            "{too_big}"
        );
        invoke(
            &app,
            "forms_unstage_attachment",
            json!({ "token": staged["token"] }),
        )
        .unwrap();
    }

    #[test]
    fn a_callback_time_is_echoed_with_its_zone_or_explained() {
        let app = app();
        let w = invoke(&app, "forms_parse_when", json!({ "text": "tomorrow 2pm" })).unwrap();
        assert!(w["at"].as_str().unwrap().ends_with('Z'), "{w}");
        assert!(
            w["display"].as_str().unwrap().contains("(Europe/London)"),
            "{w}"
        );
        let bad = invoke(&app, "forms_parse_when", json!({ "text": "soonish" })).unwrap();
        assert_eq!(bad["at"], Value::Null);
        assert!(bad["error"].is_string());
    }
}
