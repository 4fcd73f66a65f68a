//! `deskctl logout`: revokes the refresh token at Zoho, then deletes every
//! saved secret, whether or not Zoho could be reached (the report says which).

use serde_json::json;

use super::exit::CliError;
use super::{Done, context};

/// Always wipes; exit 0 (the message says when Zoho could not be told).
pub(super) async fn run() -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let setup = context::open_setup(&data_dir, context::http()?)?;
    let report = setup.disconnect().await?;
    let mut text = report.message();
    if std::env::var_os("DESK_ACCESS_TOKEN").is_some_and(|v| !v.is_empty()) {
        text.push_str("\nDESK_ACCESS_TOKEN is still set in the environment: unset it too.");
    }
    Ok(Done::ok(
        json!({ "revoke": report.revoke, "message": report.message() }),
        text,
    ))
}
