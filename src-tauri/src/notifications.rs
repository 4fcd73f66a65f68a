//! Desktop notifications with tauri-plugin-notification, shown from Rust
//! for what `helpdesk::notify` picks (a queued item delivered later, an
//! item refused for good). Never fails or blocks delivery: where no
//! notification daemon exists (a headless test display) it is logged.

use helpdesk::notify::Notice;
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// Shows `notice`; a failure is logged only.
pub fn show<R: Runtime>(app: &AppHandle<R>, notice: &Notice) {
    if let Err(error) = app
        .notification()
        .builder()
        .title(&notice.title)
        .body(&notice.body)
        .show()
    {
        tracing::info!(%error, "a notification could not be shown");
    }
}
