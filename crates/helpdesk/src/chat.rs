//! The app's support chat: one [`Conversation`] on the data folder's outbox,
//! kept connected to whatever the setup says.
//!
//! What it is for: the app keeps one [`Chat`] and each chat command is one
//! call on it. Before each call the saved connection (settings and whether
//! the sign-in is usable) is compared with the one the conversation uses,
//! and every two seconds in the background the settings alone; a finished
//! wizard, a reconnect or a disconnect is picked up without the wizard
//! knowing about the chat. What it is not: the conversation itself
//! ([`crate::conversation`]), the setup ([`crate::wizard`]), Tauri.

use std::sync::Arc;
use std::time::Duration;

pub use chat_engine::QuickReplyId;
use chrono::Utc;
use tokio::sync::{Mutex, broadcast};

use crate::conversation::{
    ChatView, Conversation, ConversationConfig, DeskAccess, Result, compose_config,
};
use crate::outbox::Outbox;
use crate::settings::{DataDir, Settings};
use crate::wizard::Wizard;

/// How often the saved settings are looked at when nobody chats.
const RESYNC_EVERY: Duration = Duration::from_secs(2);

/// What the conversation is connected with; a change means `connect` again.
#[derive(Clone, PartialEq)]
struct Connected {
    usable: bool,
    settings: Option<Settings>,
}

/// The chat service. Cheap to clone.
#[derive(Clone)]
pub struct Chat {
    conversation: Conversation,
    wizard: Wizard,
    connected: Arc<Mutex<Connected>>,
    /// The one window that follows the chat (see [`Chat::follow`]).
    follower: Arc<std::sync::Mutex<Option<tokio::task::AbortHandle>>>,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for Chat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Chat")
    }
}

impl Chat {
    /// Opens the conversation saved in `data_dir`'s outbox, connected when
    /// the setup is (else submissions queue), and keeps it in step with the
    /// setup from then on. The background deliverer drains what earlier
    /// runs left queued.
    pub async fn open(wizard: Wizard, data_dir: &DataDir) -> Result<Chat> {
        let outbox = {
            let path = data_dir.outbox_file();
            tokio::task::spawn_blocking(move || Outbox::open(path))
                .await
                .map_err(|e| crate::conversation::Error::Worker(e.to_string()))??
        };
        let now = current(&wizard);
        // The zone is the system's (`TZ` first), the region the locale's.
        let config = match &now.settings {
            Some(settings) => ConversationConfig::from_settings(settings),
            None => ConversationConfig::new(None),
        };
        let conversation = Conversation::open(outbox, access(&wizard, &now), config).await?;
        let chat = Chat {
            conversation,
            wizard,
            connected: Arc::new(Mutex::new(now)),
            follower: Arc::default(),
            runtime: tokio::runtime::Handle::current(),
        };
        // Follows the setup while nobody chats (the wizard knows nothing
        // of the chat); ends once the last `Chat` is dropped.
        let weak = Arc::downgrade(&chat.connected);
        let (conversation, wizard) = (chat.conversation.clone(), chat.wizard.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(RESYNC_EVERY).await;
                let Some(connected) = weak.upgrade() else {
                    return;
                };
                // Only the settings file is read here (cheap, no keychain
                // call while idle); a change leads to the full comparison.
                let settings = wizard.setup().ok().and_then(|s| s.settings().ok());
                if connected.lock().await.settings == settings {
                    continue;
                }
                if let Err(error) = sync(&conversation, &wizard, &connected).await {
                    tracing::warn!(%error, "the chat could not follow the setup");
                }
            }
        });
        Ok(chat)
    }

    /// Connects the conversation again when the setup changed since.
    pub async fn sync(&self) -> Result<()> {
        sync(&self.conversation, &self.wizard, &self.connected).await
    }

    /// The view as saved (no engine step, no Desk call).
    pub async fn restore(&self) -> Result<ChatView> {
        self.sync().await?;
        Ok(self.conversation.restore().await)
    }

    /// The chat is shown: greets, or resumes what was waiting.
    pub async fn start(&self) -> Result<ChatView> {
        self.sync().await?;
        self.conversation.start(Utc::now()).await
    }

    /// The person typed `text`.
    pub async fn say(&self, text: &str) -> Result<ChatView> {
        self.sync().await?;
        self.conversation.say(text, Utc::now()).await
    }

    /// The person pressed a quick reply.
    pub async fn choose(&self, quick_reply: QuickReplyId) -> Result<ChatView> {
        self.sync().await?;
        self.conversation.choose(quick_reply, Utc::now()).await
    }

    /// "New conversation".
    pub async fn new_conversation(&self) -> Result<ChatView> {
        self.sync().await?;
        self.conversation.new_conversation(Utc::now()).await
    }

    /// The view after each change made in the background.
    pub fn subscribe(&self) -> broadcast::Receiver<ChatView> {
        self.conversation.subscribe()
    }

    /// Calls `on_update` with the view after each change made in the
    /// background, until it returns `false`. One follower at a time: a new
    /// one (the chat view mounted again, the page reloaded) replaces the
    /// last, so no forgotten listener lives on.
    pub fn follow(&self, mut on_update: impl FnMut(ChatView) -> bool + Send + 'static) {
        let mut updates = self.subscribe();
        let task = self.runtime.spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match updates.recv().await {
                    Ok(view) => {
                        if !on_update(view) {
                            return;
                        }
                    }
                    // Each update is the whole view: the newest one suffices.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                }
            }
        });
        let previous = self
            .follower
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .replace(task.abort_handle());
        if let Some(previous) = previous {
            previous.abort();
        }
    }

    /// The conversation itself.
    pub fn conversation(&self) -> &Conversation {
        &self.conversation
    }
}

async fn sync(
    conversation: &Conversation,
    wizard: &Wizard,
    connected: &Mutex<Connected>,
) -> Result<()> {
    let now = current(wizard);
    let mut connected = connected.lock().await;
    if *connected == now {
        return Ok(());
    }
    let compose = now.settings.as_ref().and_then(compose_config);
    conversation.connect(access(wizard, &now), compose).await?;
    tracing::info!(connected = now.usable, "the chat follows the setup");
    *connected = now;
    Ok(())
}

/// The quick reply named by its wire spelling (`create_ticket`, ...).
pub fn parse_quick_reply(id: &str) -> Option<QuickReplyId> {
    serde_json::from_value(serde_json::Value::String(id.to_owned())).ok()
}

fn current(wizard: &Wizard) -> Connected {
    match wizard.setup() {
        Ok(setup) => Connected {
            usable: setup.status().is_ok_and(|s| s.connected),
            settings: setup.settings().ok(),
        },
        Err(_) => Connected {
            usable: false,
            settings: None,
        },
    }
}

fn access(wizard: &Wizard, connected: &Connected) -> DeskAccess {
    if !connected.usable {
        return DeskAccess::NotConnected;
    }
    match wizard.setup().and_then(|s| s.desk_client()) {
        Ok(client) => DeskAccess::Connected(client),
        Err(error) => {
            tracing::info!(%error, "the chat is not connected");
            DeskAccess::NotConnected
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_replies_are_read_by_their_wire_names() {
        assert_eq!(
            parse_quick_reply("create_ticket"),
            Some(QuickReplyId::CreateTicket)
        );
        assert_eq!(
            parse_quick_reply("still_need_help"),
            Some(QuickReplyId::StillNeedHelp)
        );
        assert_eq!(parse_quick_reply("<script>"), None);
    }
}
