//! A bare Tauri window: the floor `cargo xtask bench` measures Desk Chat
//! against. It prints the same ready line as Desk Chat, at the same moment
//! (the page finished loading), when `DESK_CHAT_BENCH` is set.

fn main() {
    tauri::Builder::default()
        .on_page_load(|_, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished)
                && std::env::var_os("DESK_CHAT_BENCH").is_some()
            {
                println!("desk-chat-bench: ready");
            }
        })
        .run(tauri::generate_context!())
        .expect("error while running the bare window");
}
