//! Where the app keeps its data and logs.

use std::path::PathBuf;

use tauri::{Manager, Runtime};

/// Environment variable that moves all app data (tests, portable installs).
pub const DATA_DIR_ENV: &str = "DESK_CHAT_DATA_DIR";

/// The app's data and log folders, resolved once at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
}

impl AppPaths {
    /// `DESK_CHAT_DATA_DIR` when set (logs go to its `logs/`), else the
    /// platform's app data and log folders.
    pub fn resolve<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<Self> {
        let paths = match std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            Some(dir) => Self::under(PathBuf::from(dir)),
            None => Self {
                data_dir: app.path().app_data_dir()?,
                log_dir: app.path().app_log_dir()?,
            },
        };
        std::fs::create_dir_all(&paths.data_dir)?;
        std::fs::create_dir_all(&paths.log_dir)?;
        Ok(paths)
    }

    /// All data under one folder, logs in its `logs/`.
    pub fn under(data_dir: PathBuf) -> Self {
        let log_dir = data_dir.join("logs");
        Self { data_dir, log_dir }
    }
}
