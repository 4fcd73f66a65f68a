//! `deskctl orgs`: the organizations of the signed-in account; `--use ID`
//! chooses one (after a login that found several).

use std::sync::Arc;

use clap::Args;
use serde_json::json;
use zoho_desk::DeskClient;

use super::exit::CliError;
use super::login::describe;
use super::{Done, context};
use crate::connect::OrgChoice;

/// `deskctl orgs`.
#[derive(Debug, Args)]
pub struct OrgsArgs {
    /// Use this organization from now on (saved sign-in only).
    #[arg(long = "use", value_name = "ID")]
    pub use_org: Option<String>,
}

/// Lists, or chooses.
pub(super) async fn run(args: &OrgsArgs) -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let http = context::http()?;
    let (desk, current, from_env) = if let Some(imported) = context::env_access()? {
        if args.use_org.is_some() {
            return Err(CliError::usage(
                "DESK_ACCESS_TOKEN is set: choose the organization with DESK_ORGANIZATION_ID instead of --use",
            ));
        }
        let (desk, _) = context::env_client(&data_dir, http, &imported)?;
        (desk, imported.org_id.clone(), true)
    } else {
        let setup = context::open_setup(&data_dir, http)?;
        if let Some(org) = &args.use_org {
            let connection = setup.choose_organization(org.trim()).await?;
            return Ok(Done::ok(
                json!({ "connection": connection }),
                describe(&connection),
            ));
        }
        let tokens = setup.token_manager()?;
        if !tokens.is_connected() {
            return Err(crate::connect::ConnectError::NotConnected.into());
        }
        let settings = setup.settings()?;
        let desk = DeskClient::new(
            setup.http().clone(),
            settings.endpoints()?.desk_api,
            Arc::clone(&tokens),
        );
        (desk, settings.org_id.clone(), false)
    };
    let orgs = desk.organizations().list().await.map_err(|e| {
        if from_env {
            context::env_error(&e)
        } else {
            CliError::from_desk(&e)
        }
    })?;
    let choices: Vec<OrgChoice> = orgs.iter().map(OrgChoice::from).collect();
    let json = json!({ "organizations": choices, "current": current });
    let text = choices
        .iter()
        .map(|o| {
            let mark = if current.as_deref() == Some(o.id.as_str()) {
                "*"
            } else {
                " "
            };
            format!("{mark} {}  {}", o.id, o.name)
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Done::ok(json, text))
}
