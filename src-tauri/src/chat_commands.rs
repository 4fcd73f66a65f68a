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

/// Streams the view after each change made in the background, until the
/// web view goes away.
#[tauri::command]
pub fn chat_subscribe(chat: State<'_, Chat>, on_update: Channel<ChatViewDto>) {
    let mut updates = chat.subscribe();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match updates.recv().await {
                Ok(view) => {
                    if on_update.send(view.into()).is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    });
}
