// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    prefer_shared_memory_rendering();
    desk_chat_lib::run();
}

/// WebKitGTK's DMA-BUF renderer costs about 100 MiB more per window on
/// machines without a GPU driver that shares buffers (software rendering,
/// virtual machines, remote desktops), and is the usual cause of blank Tauri
/// windows on some GPU drivers. A chat and a few forms gain nothing from it,
/// so the app turns it off unless the user chose (`=0` keeps it on).
/// Measured by `cargo xtask bench`, which also compares against a bare
/// window launched with the same setting.
#[cfg(target_os = "linux")]
fn prefer_shared_memory_rendering() {
    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if std::env::var_os(VAR).is_none() {
        // SAFETY: this runs first thing in `main`, before any thread exists,
        // so nothing can read or write the environment at the same time.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var(VAR, "1")
        };
    }
}
