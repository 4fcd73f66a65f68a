//! `deskctl ticket`: a manual ticket, composed by [`compose_manual`] and
//! sent through the outbox like every chat ticket.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use zoho_desk::Priority;

use super::exit::CliError;
use super::{Done, attach, context, input, outbox};
use crate::compose::{CHAT_CHANNEL, ClientRef, ItemKind, ManualTicket, compose_manual};

/// Ticket priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PriorityArg {
    High,
    Medium,
    Low,
}

impl From<PriorityArg> for Priority {
    fn from(p: PriorityArg) -> Self {
        match p {
            PriorityArg::High => Priority::High,
            PriorityArg::Medium => Priority::Medium,
            PriorityArg::Low => Priority::Low,
        }
    }
}

/// `deskctl ticket`.
#[derive(Debug, Args)]
pub struct TicketArgs {
    /// The contact's name ("Ada Lovelace": first name "Ada", last name "Lovelace").
    #[arg(long)]
    pub name: String,
    /// The contact's email.
    #[arg(long)]
    pub email: String,
    /// The contact's phone (with + and the country code, or national in --region).
    #[arg(long)]
    pub phone: String,
    /// The subject (at most 255 characters are kept).
    #[arg(long)]
    pub subject: String,
    /// The description (plain text).
    #[arg(long)]
    pub description: String,
    /// Priority (default: the one set up for the app, else Medium).
    #[arg(long, value_enum, ignore_case = true)]
    pub priority: Option<PriorityArg>,
    /// Department name or id (default: the saved Support department, else the one called "Support").
    #[arg(long)]
    pub department: Option<String>,
    /// A file to attach; may be given up to 10 times (at most 20 MiB each).
    /// Kept in the outbox with the ticket and uploaded once it exists.
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Channel (Phone, Email, Web, Chat, ...).
    #[arg(long, default_value = CHAT_CHANNEL)]
    pub channel: String,
    /// Status (Open, On Hold, Escalated, Closed).
    #[arg(long, default_value = "Open")]
    pub status: String,
    /// Country for phone numbers written without + (default: from LANG, else US).
    #[arg(long)]
    pub region: Option<String>,
}

/// Validates, composes, queues and sends.
pub(super) async fn run(args: &TicketArgs) -> Result<Done, CliError> {
    let (first_name, last_name) = input::name(&args.name)?;
    let email = input::email(&args.email)?;
    let phone = input::phone(&args.phone, input::region(args.region.as_deref())?)?;
    let subject = input::required("--subject", &args.subject)?;
    let description = input::required("--description", &args.description)?;
    let channel = input::required("--channel", &args.channel)?;
    let status = input::required("--status", &args.status)?;
    let files = attach::read_all(&args.attach)?;
    let data_dir = context::data_dir()?;
    let mut target = context::target(&data_dir).await?;
    let department = target.department(args.department.as_deref(), false).await?;
    let config = target.compose_config(department.clone(), department.clone());
    let ticket = ManualTicket {
        kind: ItemKind::Ticket,
        subject,
        description,
        department,
        priority: args
            .priority
            .map_or(config.default_priority, Priority::from),
        status,
        channel,
        due_date: None,
        first_name,
        last_name,
        email: Some(email),
        phone: Some(phone),
    };
    let composed = compose_manual(&ticket, &config, ClientRef::generate());
    outbox::submit(&data_dir, &target, &composed, &files, "the ticket").await
}
