//! Desk Chat's core, without any GUI: what the app's commands and the
//! `deskctl` CLI call.
//!
//! - [`connect`]: the OAuth loopback receiver and the setup flow (consent in
//!   the system browser, code exchange, organization and departments).
//! - [`secrets`] and [`settings`]: where credentials (OS keychain, or a
//!   user-only file by consent) and non-secret settings are kept.
//! - [`outbox`]: every submission committed to SQLite before it is sent,
//!   delivered exactly once.
//! - [`compose`]: chat drafts turned into Desk tickets and callbacks.
//! - [`wizard`]: the setup wizard's state across its steps, for the app.
//! - [`delivery`] and [`hub`]: the app's one delivery loop, following the setup.
//! - [`forms`] and [`history`]: manual entry and what was sent, through the same outbox.
//! - [`notify`]: which delivery news deserves a desktop notification.
//! - [`conversation`]: the chat orchestrator: engine actions turned into
//!   Desk calls and outbox submissions, the transcript kept across restarts.
//!
//! Not here: windows, IPC, anything of Tauri (see DESIGN.md, boundary 1).

pub mod chat;
pub mod cli;
pub mod compose;
pub mod connect;
pub mod conversation;
pub mod delivery;
mod follower;
pub mod forms;
pub mod history;
pub mod hub;
pub mod notify;
pub mod outbox;
pub mod secrets;
pub mod services;
pub mod settings;
pub mod wizard;
