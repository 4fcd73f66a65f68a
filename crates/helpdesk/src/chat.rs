//! The app's support chat: one [`Conversation`] on the app's shared
//! delivery loop ([`Hub`]), kept connected to whatever the setup says.
//!
//! What it is for: the app keeps one [`Chat`] and each chat command is one
//! call on it. Before each call the saved connection (settings and whether
//! the sign-in is usable) is compared with the one the conversation uses;
//! in the background the chat follows the hub's change notification (the
//! wizard bumps it after every settings write, connect or disconnect), so
//! a finished wizard, a reconnect or a disconnect is picked up without
//! polling: an idle chat makes no wake-ups. What it is not: the
//! conversation itself ([`crate::conversation`]), the setup
//! ([`crate::wizard`]), the delivery loop ([`crate::hub`]), Tauri.

use std::sync::Arc;

pub use chat_engine::QuickReplyId;
use chrono::Utc;
use tokio::sync::{Mutex, broadcast};

use crate::conversation::{
    ChatView, Conversation, ConversationConfig, DeskAccess, Result, compose_config,
};
use crate::follower::OneFollower;
use crate::hub::{Hub, Link};
use crate::settings::{DataDir, Settings};
use crate::wizard::Wizard;

/// What the conversation is connected with; a change means `connect` again.
#[derive(Clone, PartialEq)]
struct Connected {
    usable: bool,
    settings: Option<Settings>,
}

impl Connected {
    fn of(link: &Link) -> Self {
        Self {
            usable: link.desk.is_some(),
            settings: link.settings.clone(),
        }
    }
}

/// The chat service. Cheap to clone.
#[derive(Clone)]
pub struct Chat {
    conversation: Conversation,
    hub: Hub,
    connected: Arc<Mutex<Connected>>,
    /// The one window that follows the chat (see [`Chat::follow`]).
    follower: OneFollower,
}

impl std::fmt::Debug for Chat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Chat")
    }
}

impl Chat {
    /// Opens the data folder's outbox and its delivery loop ([`Hub::open`])
    /// and the chat on it.
    pub async fn open(wizard: Wizard, data_dir: &DataDir) -> Result<Chat> {
        let hub = Hub::open(wizard, data_dir).await?;
        Self::on(hub).await
    }

    /// Opens the conversation saved in the hub's outbox, connected when
    /// the setup is (else submissions queue), and keeps it in step with the
    /// setup from then on. The hub's delivery loop drains what earlier
    /// runs left queued.
    pub async fn on(hub: Hub) -> Result<Chat> {
        let link = hub.sync().await;
        // The zone is the system's (`TZ` first), the region the locale's.
        let config = match &link.settings {
            Some(settings) => ConversationConfig::from_settings(settings),
            None => ConversationConfig::new(None),
        };
        let conversation =
            Conversation::open_on(hub.delivery().clone(), access(&link), config).await?;
        let chat = Chat {
            conversation,
            hub,
            connected: Arc::new(Mutex::new(Connected::of(&link))),
            follower: OneFollower::new(),
        };
        // Follows the setup while nobody chats: woken by the hub's change
        // notification only; ends once the last `Chat` is dropped.
        let weak = Arc::downgrade(&chat.connected);
        let (conversation, hub) = (chat.conversation.clone(), chat.hub.clone());
        let mut changes = hub.changes();
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                let Some(connected) = weak.upgrade() else {
                    return;
                };
                if let Err(error) = sync(&conversation, &hub, &connected).await {
                    tracing::warn!(%error, "the chat could not follow the setup");
                }
            }
        });
        Ok(chat)
    }

    /// Connects the conversation again when the setup changed since.
    pub async fn sync(&self) -> Result<()> {
        sync(&self.conversation, &self.hub, &self.connected).await
    }

    /// The shared delivery loop this chat sends through.
    pub fn hub(&self) -> &Hub {
        &self.hub
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
        self.follower.replace(async move {
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
    }

    /// The conversation itself.
    pub fn conversation(&self) -> &Conversation {
        &self.conversation
    }
}

async fn sync(conversation: &Conversation, hub: &Hub, connected: &Mutex<Connected>) -> Result<()> {
    let link = hub.sync().await;
    let now = Connected::of(&link);
    let mut connected = connected.lock().await;
    if *connected == now {
        return Ok(());
    }
    let compose = now.settings.as_ref().and_then(compose_config);
    conversation.connect(access(&link), compose).await?;
    tracing::info!(connected = now.usable, "the chat follows the setup");
    *connected = now;
    Ok(())
}

/// The quick reply named by its wire spelling (`create_ticket`, ...).
pub fn parse_quick_reply(id: &str) -> Option<QuickReplyId> {
    serde_json::from_value(serde_json::Value::String(id.to_owned())).ok()
}

fn access(link: &Link) -> DeskAccess {
    match &link.desk {
        Some(client) => DeskAccess::Connected(client.clone()),
        None => DeskAccess::NotConnected,
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
