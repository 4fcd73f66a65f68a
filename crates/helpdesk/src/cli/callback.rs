//! `deskctl callback`: the time read in plain words by the chat's parser
//! in the local zone, echoed back as an absolute time with the zone, then
//! composed by [`compose_callback`] and sent through the outbox.

use chat_engine::{CallbackDraft, format_absolute, format_when, parse_when};
use chrono::Utc;
use clap::Args;
use serde_json::json;

use super::exit::CliError;
use super::{Done, context, input, outbox};
use crate::compose::{ClientRef, compose_callback};

/// `deskctl callback`.
#[derive(Debug, Args)]
pub struct CallbackArgs {
    /// The person's name.
    #[arg(long)]
    pub name: String,
    /// The number to call (with + and the country code, or national in --region).
    #[arg(long)]
    pub phone: String,
    /// The person's email.
    #[arg(long)]
    pub email: Option<String>,
    /// When to call, in plain words ("tomorrow 2pm", "Friday morning", "in 2 hours", "2026-12-03 14:00").
    #[arg(long)]
    pub when: String,
    /// A note for the agent.
    #[arg(long)]
    pub note: Option<String>,
    /// Time zone the time is meant in (default: TZ, else the system's).
    #[arg(long)]
    pub tz: Option<String>,
    /// Country for phone numbers written without + (default: from LANG, else US).
    #[arg(long)]
    pub region: Option<String>,
}

/// Validates, reads the time, composes, queues and sends.
pub(super) async fn run(args: &CallbackArgs) -> Result<Done, CliError> {
    let (first_name, last_name) = input::name(&args.name)?;
    let phone = input::phone(&args.phone, input::region(args.region.as_deref())?)?;
    let email = args.email.as_deref().map(input::email).transpose()?;
    let zone = input::time_zone(args.tz.as_deref())?;
    let now = Utc::now().with_timezone(&zone);
    let when = parse_when(&args.when, now).map_err(|e| {
        CliError::usage(format!(
            "--when `{}`: {e} (for example \"tomorrow 2pm\" or \"{}\")",
            args.when,
            format_absolute(&(now + chrono::Duration::days(1)))
        ))
    })?;
    let when_text = format_when(&when);
    let data_dir = context::data_dir()?;
    let mut target = context::target(&data_dir).await?;
    let callbacks = target.department(None, true).await?;
    let config = target.compose_config(callbacks.clone(), callbacks);
    let draft = CallbackDraft {
        first_name,
        last_name,
        phone_e164: phone,
        email,
        when_utc: when.with_timezone(&Utc),
        when_local_text: when_text.clone(),
        time_zone: zone.name().to_owned(),
        note: args
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        transcript: Vec::new(),
    };
    let composed = compose_callback(&draft, &config, ClientRef::generate());
    let mut done = outbox::submit(
        &data_dir,
        &target,
        &composed,
        &[],
        &format!("the callback for {when_text}"),
    )
    .await?;
    done.json["when"] = json!({
        "local": when_text,
        "timeZone": zone.name(),
        "utc": when.with_timezone(&Utc),
        "absolute": format_absolute(&when),
    });
    Ok(done)
}
