//! The system browser, opened from Rust with `tauri-plugin-opener` (the web
//! view holds no opener permission). Implements `helpdesk`'s
//! [`BrowserOpener`], which checks the consent URL's host before calling it.

use helpdesk::connect::BrowserOpener;
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;
use url::Url;

use crate::error::{CommandError, ErrorKind};

/// Opens URLs in the user's default browser.
pub struct SystemBrowser<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> BrowserOpener for SystemBrowser<R> {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.0
            .opener()
            .open_url(url.as_str(), None::<&str>)
            .map_err(|e| e.to_string())
    }
}

/// Opens `url` (built by Rust, never taken from the web view) for a command.
pub fn open<R: Runtime>(app: &AppHandle<R>, url: &Url) -> Result<(), CommandError> {
    SystemBrowser(app.clone()).open(url).map_err(|reason| {
        tracing::warn!(%reason, "the browser did not open");
        CommandError::new(
            ErrorKind::Internal,
            format!("The web browser did not open ({reason}). Open {url} in a browser yourself."),
        )
    })
}
