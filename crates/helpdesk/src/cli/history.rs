//! `deskctl history`: everything this machine sent (the outbox), newest
//! first, searchable. Local only: Desk statuses are as last seen.

use clap::Args;
use serde_json::json;

use super::exit::CliError;
use super::view::{ItemView, lines};
use super::{Done, context};
use crate::compose::ItemKind;
use crate::outbox::{HistoryQuery, ItemState};

/// `deskctl history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only items whose number, subject, contact or reference contains this.
    #[arg(long)]
    pub search: Option<String>,
    /// Only `ticket` or `callback`.
    #[arg(long, value_parser = ["ticket", "callback"])]
    pub kind: Option<String>,
    /// Only `queued`, `sending`, `delivered` or `failed`.
    #[arg(long, value_parser = ["queued", "sending", "delivered", "failed"])]
    pub state: Option<String>,
    /// At most this many.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

/// Lists.
pub(super) async fn run(args: &HistoryArgs) -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let outbox = context::outbox_to_read(&data_dir)?;
    let items = outbox.history(&HistoryQuery {
        text: args.search.clone(),
        state: args.state.as_deref().and_then(ItemState::parse),
        kind: args.kind.as_deref().and_then(ItemKind::parse),
        limit: args.limit,
        offset: 0,
    })?;
    let views: Vec<ItemView> = items.iter().map(ItemView::from).collect();
    let text = lines(&views, "Nothing was sent from this machine yet.");
    Ok(Done::ok(json!({ "items": views }), text))
}
