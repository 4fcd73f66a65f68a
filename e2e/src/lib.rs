//! The end-to-end harness: the real Desk Chat binary, driven through
//! tauri-driver and WebKitWebDriver on a private Xvfb display.
//!
//! A flow is one function:
//!
//! ```no_run
//! # async fn demo() {
//! e2e::run("about_shows_version", e2e::AppOptions::default(), |app| async move {
//!     app.click("nav-about").await?;
//!     assert_eq!(app.text("about-version").await?, env!("CARGO_PKG_VERSION"));
//!     Ok(())
//! })
//! .await;
//! # }
//! ```
//!
//! [`run`] starts everything in process groups of its own, and whatever
//! happens (a failed assertion, a panic, an error) it saves a screenshot and
//! the app's log under `e2e/artifacts/<name>/`, names them in the output,
//! and kills every process it started, by process-group id.

pub mod app;
pub mod chat;
pub mod display;
pub mod procs;
pub mod session_bus;
pub mod sim;

pub use app::{App, AppOptions, run};

/// Errors in a flow; assertion failures are panics and are handled the same way.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T = ()> = std::result::Result<T, Error>;
