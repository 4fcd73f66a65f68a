//! Shared set-up of the conversation tests: a desk-sim per test (through
//! `outbox_common`), an outbox file in a temporary directory, a fixed
//! `now` in Europe/Berlin with German phone numbers, tiny backoffs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chat_engine::Region;
use chrono::{DateTime, TimeZone, Utc};
use desk_sim::Sim;
use helpdesk::conversation::{
    ChatMessage, ChatView, Conversation, ConversationConfig, DeliveryState, DeskAccess, Role,
};
use helpdesk::outbox::Outbox;

use crate::outbox_common::{compose_config, desk_client, fast_backoff};

/// Monday 10 June 2030, 09:00 in Berlin.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 6, 10, 7, 0, 0).unwrap()
}

pub fn config(sim: &Sim) -> ConversationConfig {
    let mut config = ConversationConfig::new(Some(compose_config(sim)))
        .with_time_zone(chrono_tz::Europe::Berlin)
        .with_region(Region::DE);
    config.backoff = fast_backoff();
    config.deliver_wait = Duration::from_secs(5);
    config.lookup_timeout = Duration::from_secs(5);
    config
}

pub fn db_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("outbox.sqlite")
}

/// A conversation in the database at `path`, connected to `sim`.
pub async fn open(sim: &Sim, path: &Path) -> Conversation {
    open_with(sim, path, DeskAccess::Connected(desk_client(sim, None))).await
}

pub async fn open_with(sim: &Sim, path: &Path, access: DeskAccess) -> Conversation {
    Conversation::open(Outbox::open(path).unwrap(), access, config(sim))
        .await
        .unwrap()
}

/// The bot's words in `view`, newest last.
pub fn bot_texts(view: &ChatView) -> Vec<String> {
    view.messages
        .iter()
        .filter(|m| m.role == Role::Bot)
        .map(|m| m.text.clone())
        .collect()
}

pub fn last_bot(view: &ChatView) -> String {
    bot_texts(view).pop().unwrap_or_default()
}

/// All the bot said, one string (for `contains`).
pub fn all_bot(view: &ChatView) -> String {
    bot_texts(view).join("\n")
}

/// The system messages of submissions.
pub fn submissions(view: &ChatView) -> Vec<ChatMessage> {
    view.messages
        .iter()
        .filter(|m| m.submission.is_some())
        .cloned()
        .collect()
}

/// Polls `conversation` until `done(view)` or `limit` passes.
pub async fn wait_for(
    conversation: &Conversation,
    limit: Duration,
    done: impl Fn(&ChatView) -> bool,
) -> ChatView {
    let start = Instant::now();
    loop {
        let view = conversation.restore().await;
        if done(&view) {
            return view;
        }
        assert!(
            start.elapsed() < limit,
            "not reached in {limit:?}: {view:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn sent(view: &ChatView) -> bool {
    submissions(view)
        .iter()
        .any(|m| m.submission.as_ref().unwrap().state == DeliveryState::Sent)
}
