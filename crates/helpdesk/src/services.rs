//! Everything the desktop app serves from one data folder, wired once: the
//! outbox and its one delivery loop ([`Hub`]), the chat, manual entry, the
//! history, and the notifications' feed. What it is not: showing a
//! notification (the caller does, e.g. with tauri-plugin-notification), Tauri.

use crate::chat::Chat;
use crate::forms::Forms;
use crate::history::History;
use crate::hub::Hub;
use crate::notify::{self, Notice};
use crate::settings::DataDir;
use crate::wizard::Wizard;

/// The app's services on one data folder. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Services {
    pub chat: Chat,
    pub forms: Forms,
    pub history: History,
}

impl Services {
    /// Opens the data folder's outbox and delivery loop (which drains what
    /// earlier runs left queued), connected when the setup is, and the
    /// services on it; `show` gets each notice worth a notification (it
    /// runs on a blocking thread, so it may be slow).
    pub async fn open(
        wizard: Wizard,
        data_dir: &DataDir,
        show: impl Fn(Notice) + Send + Sync + 'static,
    ) -> crate::conversation::Result<Services> {
        let hub = Hub::open(wizard, data_dir).await?;
        notify::follow(hub.delivery(), show);
        let chat = Chat::on(hub.clone()).await?;
        let forms = Forms::new(hub, Default::default());
        let history = History::new(forms.clone());
        Ok(Services {
            chat,
            forms,
            history,
        })
    }
}
