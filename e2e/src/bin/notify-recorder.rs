//! A recording notification server for the end-to-end tests.
//!
//! `notify-recorder FILE` owns `org.freedesktop.Notifications` on the
//! session bus (`DBUS_SESSION_BUS_ADDRESS`) and, for each `Notify` call,
//! appends one JSON line to FILE:
//!
//! ```json
//! {"id":1,"app_name":"Desk Chat","summary":"Ticket #101 sent to Zoho Desk","body":"…"}
//! ```
//!
//! FILE is created only once the name is owned, so a caller waits for it to
//! exist before starting anything that notifies. The server shows nothing,
//! has no capabilities beyond `body`, never expires or closes notifications
//! by itself (so it emits no signals), and exits when the bus goes away.
//! The harness starts it inside a test's private session bus
//! (`e2e::session_bus::wrap_with`).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use zbus::blocking::{MessageIterator, connection};
use zbus::interface;
use zbus::zvariant::OwnedValue;

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// The server: the recording file and the last id handed out.
struct Recorder {
    file: File,
    last_id: u32,
}

#[interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    /// Records the notification; answers its id (`replaces_id` when that
    /// is set, else the next of 1, 2, 3, …).
    #[allow(clippy::too_many_arguments)] // the D-Bus method's signature
    fn notify(
        &mut self,
        app_name: String,
        replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> zbus::fdo::Result<u32> {
        let id = if replaces_id != 0 {
            replaces_id
        } else {
            self.last_id += 1;
            self.last_id
        };
        let line = serde_json::json!({
            "id": id,
            "app_name": app_name,
            "summary": summary,
            "body": body,
        });
        // One write per line: a reader never sees half a record.
        self.file
            .write_all(format!("{line}\n").as_bytes())
            .map_err(|e| zbus::fdo::Error::IOError(e.to_string()))?;
        Ok(id)
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    /// (name, vendor, version, spec_version)
    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "notify-recorder".into(),
            "Desk Chat e2e".into(),
            env!("CARGO_PKG_VERSION").into(),
            "1.2".into(),
        )
    }

    /// Nothing is on screen, so there is nothing to close.
    fn close_notification(&self, _id: u32) {}
}

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: notify-recorder FILE");
        std::process::exit(2);
    };
    if let Err(e) = serve(&path) {
        eprintln!("notify-recorder: {e}");
        std::process::exit(1);
    }
}

fn serve(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    // Opened (not created) first, so FILE appears only once the name is ours.
    let staging = path.with_extension("starting");
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&staging)?;
    let recorder = Recorder { file, last_id: 0 };
    let connection = connection::Builder::session()?
        .serve_at(PATH, recorder)?
        .name(NAME)?
        .build()?;
    std::fs::rename(&staging, path)?;
    // Served on zbus's own executor thread; this one waits for the bus to
    // go away (the stream ends, or errors, when the connection closes).
    for message in MessageIterator::from(&connection) {
        if message.is_err() {
            break;
        }
    }
    Ok(())
}
