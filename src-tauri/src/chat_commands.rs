//! The support chat's IPC commands: one line of glue each over
//! [`helpdesk::chat::Chat`]. Live updates (a queued submission sent later,
//! with its number) stream through a [`Channel`].

use helpdesk::chat::Chat;
use tauri::State;
use tauri::ipc::Channel;

use crate::chat_dto::ChatViewDto;
use crate::error::{CommandError, ErrorKind};

/// The saved conversation as it was (no Desk call): shown at once on mount.
#[tauri::command]
pub async fn chat_restore(chat: State<'_, Chat>) -> Result<ChatViewDto, CommandError> {
    Ok(chat.restore().await?.into())
}

/// Greets a fresh conversation, or resumes what was waiting for Desk.
#[tauri::command]
pub async fn chat_start(chat: State<'_, Chat>) -> Result<ChatViewDto, CommandError> {
    Ok(chat.start().await?.into())
}

/// The person typed `text` (cut by the engine when overlong).
#[tauri::command]
pub async fn chat_say(chat: State<'_, Chat>, text: String) -> Result<ChatViewDto, CommandError> {
    Ok(chat.say(&text).await?.into())
}

/// The person pressed the quick reply `id` (`create_ticket`, `submit`, ...).
#[tauri::command]
pub async fn chat_choose(chat: State<'_, Chat>, id: String) -> Result<ChatViewDto, CommandError> {
    let id = helpdesk::chat::parse_quick_reply(&id)
        .ok_or_else(|| CommandError::new(ErrorKind::Validation, "Choose one of the buttons."))?;
    Ok(chat.choose(id).await?.into())
}

/// "New conversation": starts over (queued submissions still go).
#[tauri::command]
pub async fn chat_new(chat: State<'_, Chat>) -> Result<ChatViewDto, CommandError> {
    Ok(chat.new_conversation().await?.into())
}

/// Streams the view after each change made in the background (a queued
/// ticket sent later, with its number). A new subscription replaces the last.
#[tauri::command]
pub fn chat_subscribe(chat: State<'_, Chat>, on_update: Channel<ChatViewDto>) {
    chat.follow(move |view| on_update.send(view.into()).is_ok());
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tauri::test::{mock_builder, mock_context, noop_assets};

    use super::*;
    use crate::test_support::{invoke, offline_wizard};

    /// An app with a chat on a fresh data folder, not connected to Desk.
    fn app() -> tauri::App<tauri::test::MockRuntime> {
        let dir = tempfile::tempdir().unwrap().keep();
        let wizard = offline_wizard(&dir);
        let chat = tauri::async_runtime::block_on(Chat::open(
            wizard.clone(),
            &helpdesk::settings::DataDir::new(dir),
        ))
        .unwrap();
        crate::with_commands(mock_builder())
            .manage(wizard)
            .manage(chat)
            .build(mock_context(noop_assets()))
            .expect("mock app builds")
    }

    #[test]
    fn a_chat_greets_answers_and_starts_over_through_ipc() {
        let app = app();
        let restored = invoke(&app, "chat_restore", json!({})).unwrap();
        assert_eq!(restored["messages"], json!([]));
        let view = invoke(&app, "chat_start", json!({})).unwrap();
        assert_eq!(view["connected"], json!(false));
        assert_eq!(view["typing"], json!(false));
        assert_eq!(view["messages"][0]["role"], "bot");
        let ids: Vec<&str> = view["quickReplies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"create_ticket"), "{ids:?}");

        invoke(&app, "chat_choose", json!({ "id": "create_ticket" })).unwrap();
        let view = invoke(&app, "chat_say", json!({ "text": "Ann Lee 👋 <b>" })).unwrap();
        let said: Vec<&str> = view["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == "person")
            .map(|m| m["text"].as_str().unwrap())
            .collect();
        assert_eq!(said, ["Create a ticket", "Ann Lee 👋 <b>"]);

        let fresh = invoke(&app, "chat_new", json!({})).unwrap();
        assert!(
            fresh["messages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["role"] != "person")
        );
    }

    #[test]
    fn an_unknown_quick_reply_is_refused_as_validation() {
        let app = app();
        let error = invoke(&app, "chat_choose", json!({ "id": "drop_tables" })).unwrap_err();
        assert_eq!(error["kind"], "validation", "{error}");
    }
}
