//! `desk-sim`: a faithful local simulator of Zoho Accounts (OAuth) and the
//! Zoho Desk REST API v1, as described in `shared/zoho-desk-api.md`.
//!
//! **For:** integration tests (each test starts its own [`Sim`] on
//! `127.0.0.1:0`), the sandbox (the `desk-sim` binary, optionally keeping its
//! state in a file), and end-to-end tests of the app. It is strict the way
//! Zoho is strict (exact redirect URIs, single-use codes, required `orgId`,
//! scopes, unknown query parameters rejected, 204 on empty searches...), it can
//! play each variant the contract lists (a switch per variant in
//! [`SimConfig`]), and it injects faults on demand ([`Fault`]): 500s, 429s,
//! delays, and connections dropped before or after a request is applied.
//!
//! **Not for:** production, or any network but loopback (it refuses to bind
//! anything else; its admin endpoints under `/_sim` need no authentication).
//! It is not a second client either: it does not use the `zoho-desk` crate's
//! types and speaks the JSON on its own, so that one serde mistake cannot hide
//! on both sides.

mod accounts;
mod admin;
mod clock;
mod config;
mod desk;
mod errors;
mod faults;
mod ids;
mod log;
mod persist;
mod pipeline;
mod server;
mod sim;
mod state;

pub use config::{
    ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_REDIRECT_URI, RegisteredClient, SimConfig,
};
pub use faults::{Fault, FaultKind};
pub use log::LoggedRequest;
pub use sim::Sim;
