//! Logs through `tracing` to a daily file in the app's log folder.
//!
//! Secrets never reach a log line: the types that hold them have redacted
//! `Debug` and no `Display`.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Keeps the background log writer alive; dropping it flushes the file.
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

/// Starts logging to `<log_dir>/desk-chat.log.<date>` (and to stderr in debug
/// builds). `DESK_CHAT_LOG` sets the filter, e.g. `desk_chat_lib=debug`.
pub fn init(log_dir: &Path) -> std::io::Result<LogGuard> {
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("desk-chat")
        .filename_suffix("log")
        .max_log_files(14)
        .build(log_dir)
        .map_err(std::io::Error::other)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter =
        EnvFilter::try_from_env("DESK_CHAT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer().with_writer(writer).with_ansi(false);
    let stderr_layer = cfg!(debug_assertions).then(|| fmt::layer().with_writer(std::io::stderr));
    // A second init (only possible in tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    Ok(LogGuard(guard))
}
