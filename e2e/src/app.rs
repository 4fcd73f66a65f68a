//! One test's app: display, session bus, tauri-driver, WebDriver session.

use std::future::Future;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use futures::FutureExt;

use crate::display::Display;
use crate::procs::{ProcGroup, free_port};
use crate::session_bus;
use crate::{Error, Result};

/// How long an element may take to appear.
const WAIT: Duration = Duration::from_secs(15);

/// How long one flow may take before it counts as hung.
const FLOW_TIMEOUT: Duration = Duration::from_secs(120);

/// What the app is started with.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Extra environment for the app (e.g. `DESK_API_URL` of a desk-sim).
    pub env: Vec<(String, String)>,
    /// Reuse this data folder (to test a restart) instead of a fresh one.
    pub data_dir: Option<PathBuf>,
    /// Run a recording notification server (`notify-recorder`) on the
    /// app's session bus, so desktop notifications are delivered and can
    /// be read with [`App::notifications`]. Without it no notification
    /// daemon exists and the app's notifications fail (logged only).
    pub record_notifications: bool,
}

/// The running app, seen through WebDriver.
pub struct App {
    pub client: Client,
    pub data_dir: PathBuf,
    /// tauri-driver's pid (leader of the group the app runs in).
    pub driver_pid: u32,
    /// Where the notification recorder writes, when there is one.
    notifications_file: Option<PathBuf>,
}

impl App {
    /// The element with `data-testid="<id>"`, waiting for it to appear.
    pub async fn find(&self, test_id: &str) -> Result<Element> {
        let css = format!("[data-testid=\"{test_id}\"]");
        Ok(self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&css))
            .await?)
    }

    pub async fn click(&self, test_id: &str) -> Result {
        self.find(test_id).await?.click().await?;
        Ok(())
    }

    /// The element's rendered text (`innerText`, trimmed). WebKitWebDriver's
    /// own Get Element Text answers "" for text in flex items that clip with
    /// an ellipsis, although the text is on screen.
    pub async fn text(&self, test_id: &str) -> Result<String> {
        let element = self.find(test_id).await?;
        let value = self
            .client
            .execute(
                "return arguments[0].innerText;",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().trim().to_string())
    }

    /// Waits until the element's text satisfies `pred`; returns the text.
    pub async fn wait_for_text(
        &self,
        test_id: &str,
        pred: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text(test_id).await.unwrap_or_default();
            if pred(&text) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                return Err(
                    format!("timed out waiting on [{test_id}]; last text: {text:?}").into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn type_into(&self, test_id: &str, text: &str) -> Result {
        self.find(test_id).await?.send_keys(text).await?;
        Ok(())
    }

    /// The pid of the app's own process (a descendant of tauri-driver).
    pub fn app_pid(&self) -> Option<u32> {
        let binary = app_binary().ok()?.canonicalize().ok()?;
        crate::procs::process_tree(self.driver_pid)
            .into_iter()
            .find(|pid| {
                std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary)
            })
    }

    /// SIGKILLs the app's process (not tauri-driver, not the display): the
    /// hardest stop there is, as a crash or a power cut.
    pub fn kill_app(&self) -> Result {
        let pid = self.app_pid().ok_or("the app's process was not found")?;
        // One pid, found as our own descendant: never by name.
        let status = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()?;
        if !status.success() {
            return Err(format!("kill -KILL {pid} failed").into());
        }
        // Gone, or a zombie (no exe link) waiting for tauri-driver to reap it.
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::read_link(format!("/proc/{pid}/exe")).is_ok() {
            if Instant::now() > deadline {
                return Err(format!("the app ({pid}) did not die").into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// The app's log files, concatenated.
    pub fn log(&self) -> String {
        read_logs(&self.data_dir.join("logs"))
    }

    /// The desktop notifications shown so far, oldest first, each as
    /// `{"id", "app_name", "summary", "body"}`. Needs
    /// [`AppOptions::record_notifications`] (panics without it).
    pub fn notifications(&self) -> Vec<serde_json::Value> {
        let file = self
            .notifications_file
            .as_ref()
            .expect("notifications are recorded only with AppOptions::record_notifications");
        std::fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// Waits up to `timeout` for a notification satisfying `pred`.
    pub async fn wait_for_notification(
        &self,
        timeout: Duration,
        pred: impl Fn(&serde_json::Value) -> bool,
    ) -> Result<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let shown = self.notifications();
            if let Some(found) = shown.iter().find(|n| pred(n)) {
                return Ok(found.clone());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no such notification within {} s; shown: {shown:?}",
                    timeout.as_secs()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Runs one flow against a freshly started app and cleans up whatever
/// happens. On failure: screenshot and log saved and named, then the
/// failure is re-raised so the test fails.
pub async fn run<F, Fut>(name: &str, options: AppOptions, flow: F)
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = Result>,
{
    let artifacts = artifacts_dir(name);
    let tmp = tempfile::Builder::new()
        .prefix("desk-chat-e2e-")
        .tempdir()
        .expect("temp dir");
    let data_dir = options
        .data_dir
        .clone()
        .unwrap_or_else(|| tmp.path().join("data"));
    let stack = match Stack::start(&options, tmp.path(), &data_dir).await {
        Ok(stack) => stack,
        Err(e) => {
            save_log(&artifacts, &data_dir);
            panic!(
                "{name}: could not start the app: {e}\n(log: {})",
                artifacts.display()
            );
        }
    };
    let client = stack.client.clone();
    let app = App {
        client: client.clone(),
        data_dir: data_dir.clone(),
        driver_pid: stack.driver.pid(),
        notifications_file: stack.notifications_file.clone(),
    };
    let outcome = tokio::time::timeout(
        FLOW_TIMEOUT,
        std::panic::AssertUnwindSafe(flow(app)).catch_unwind(),
    )
    .await
    .unwrap_or_else(|_| {
        Ok(Err(
            format!("timed out after {} s", FLOW_TIMEOUT.as_secs()).into()
        ))
    });

    let failure: Option<String> = match &outcome {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(panic) => Some(panic_message(panic.as_ref())),
    };
    if let Some(why) = &failure {
        let shot = artifacts.join("screenshot.png");
        let saved = match tokio::time::timeout(Duration::from_secs(10), client.screenshot()).await {
            Ok(Ok(png)) => std::fs::write(&shot, png).is_ok(),
            _ => stack.display.screenshot(&shot),
        };
        save_log(&artifacts, &data_dir);
        eprintln!("e2e: {name} failed: {why}");
        if saved {
            eprintln!("e2e: screenshot: {}", shot.display());
        }
        eprintln!("e2e: app log:    {}", artifacts.join("app.log").display());
    }
    stack.stop().await;
    drop(tmp);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{name}: {e}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Everything one test starts, stopped in reverse order.
struct Stack {
    client: Client,
    driver: ProcGroup,
    display: Display,
    notifications_file: Option<PathBuf>,
}

impl Stack {
    async fn start(options: &AppOptions, tmp: &Path, data_dir: &Path) -> Result<Self> {
        let display = Display::start()?;
        let port = free_port()?;
        let native_port = free_port()?;
        let driver_bin =
            std::env::var("E2E_TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        // A private session bus: the single-instance plugin registers on it,
        // and apps of different tests must not see each other.
        let mut cmd = Command::new(&driver_bin);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", display.name())
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_DATA_HOME", tmp.join("xdg-data"))
        .env("XDG_CONFIG_HOME", tmp.join("xdg-config"))
        .env("XDG_CACHE_HOME", tmp.join("xdg-cache"))
        .env("DESK_CHAT_DATA_DIR", data_dir)
        .env("DESK_CHAT_LOG", "debug")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .envs(options.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null());
        // The notification recorder runs in the background on the same bus,
        // in the same process group (killed with it), and creates its file
        // once it owns the name: the app starts after that.
        let (recorder, notifications_file) = if options.record_notifications {
            let file = tmp.join("notifications.jsonl");
            let mut recorder = Command::new(notify_recorder_binary()?);
            recorder.arg(&file);
            (Some(recorder), Some(file))
        } else {
            (None, None)
        };
        let wrapped = session_bus::wrap_with(&cmd, recorder.as_ref(), tmp)?;
        let mut driver = ProcGroup::spawn("tauri-driver", wrapped)?;
        if let Some(file) = &notifications_file {
            wait_for_file(file, &mut driver)?;
        }
        wait_for_port(port, &mut driver)?;

        let app = app_binary()?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app.to_string_lossy(), "args": [] }),
        );
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let url = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&url);
        let client = tokio::time::timeout(Duration::from_secs(60), connect)
            .await
            .map_err(|_| "WebDriver session did not start within 60 s")?
            .map_err(|e| format!("WebDriver session did not start: {e}"))?;
        Ok(Self {
            client,
            driver,
            display,
            notifications_file,
        })
    }

    async fn stop(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.close()).await;
        self.driver.kill(Duration::from_secs(2));
        drop(self.display);
    }
}

fn wait_for_port(port: u16, driver: &mut ProcGroup) -> Result {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Some(status) = driver.try_wait() {
            return Err(format!("tauri-driver exited early ({status}); is it installed (cargo xtask test installs it)?").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("tauri-driver did not listen on port {port} within 20 s").into())
}

/// Waits until the notification recorder has created `file` (it owns
/// `org.freedesktop.Notifications` then).
fn wait_for_file(file: &Path, driver: &mut ProcGroup) -> Result {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if file.exists() {
            return Ok(());
        }
        if let Some(status) = driver.try_wait() {
            return Err(format!("the session bus exited early ({status})").into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err("the notification recorder did not own org.freedesktop.Notifications within 10 s".into())
}

/// The notification recorder: `E2E_NOTIFY_RECORDER`, else
/// `target/debug/notify-recorder` (a binary of this crate).
pub fn notify_recorder_binary() -> Result<PathBuf> {
    let path = match std::env::var_os("E2E_NOTIFY_RECORDER") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/notify-recorder"),
    };
    if path.exists() {
        Ok(path)
    } else {
        Err(Error::from(format!(
            "{} not found: build it with `cargo build -p e2e --bin notify-recorder`",
            path.display()
        )))
    }
}

/// The debug app binary: `E2E_APP`, else `target/debug/desk-chat`.
pub fn app_binary() -> Result<PathBuf> {
    let path = match std::env::var_os("E2E_APP") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/desk-chat"),
    };
    if path.exists() {
        Ok(path)
    } else {
        Err(Error::from(format!(
            "{} not found: build it with `cargo build -p desk-chat`",
            path.display()
        )))
    }
}

fn artifacts_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("artifacts")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

fn save_log(artifacts: &Path, data_dir: &Path) {
    let _ = std::fs::write(artifacts.join("app.log"), read_logs(&data_dir.join("logs")));
}

fn read_logs(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect::<Vec<_>>()
        .join("")
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into())
}
