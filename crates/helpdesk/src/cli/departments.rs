//! `deskctl departments`: the organization's enabled departments, with
//! the ones tickets and callbacks go to marked.

use serde_json::json;

use super::exit::CliError;
use super::{Done, context};
use crate::connect::{CALLBACKS_DEPARTMENT, SUPPORT_DEPARTMENT, pick_department};

/// Lists.
pub(super) async fn run() -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let mut target = context::target(&data_dir).await?;
    let support_saved = target.settings.support_department_id.clone();
    let callbacks_saved = target.settings.callbacks_department_id.clone();
    let list = target.departments().await?.to_vec();
    let support =
        support_saved.or_else(|| pick_department(&list, SUPPORT_DEPARTMENT).map(|d| d.id.clone()));
    let callbacks = callbacks_saved
        .or_else(|| pick_department(&list, CALLBACKS_DEPARTMENT).map(|d| d.id.clone()));
    let text = list
        .iter()
        .map(|d| {
            let role = if support.as_deref() == Some(d.id.as_str()) {
                "  (tickets)"
            } else if callbacks.as_deref() == Some(d.id.as_str()) {
                "  (callbacks)"
            } else {
                ""
            };
            format!("{}  {}{role}", d.id, d.name)
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Done::ok(
        json!({ "departments": list, "support": support, "callbacks": callbacks }),
        text,
    ))
}
