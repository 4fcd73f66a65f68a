//! A private Xvfb display per test.

use std::io::{self, BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::procs::ProcGroup;

/// A running Xvfb server; stopped (with its group) when dropped.
pub struct Display {
    pub number: u32,
    _server: ProcGroup,
}

impl Display {
    /// Starts Xvfb on the first free display number (`-displayfd`), no TCP.
    pub fn start() -> io::Result<Self> {
        let mut cmd = Command::new("Xvfb");
        cmd.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
        let mut server = ProcGroup::spawn("Xvfb", cmd)?;
        let stdout = server.child_mut().stdout.take().expect("piped stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        // Keep draining: with the pipe closed, Xvfb's next write to stdout
        // would kill it with SIGPIPE in the middle of a test.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let number = line.trim().parse().map_err(|_| {
            io::Error::other(format!("Xvfb did not report a display number (got {line:?}); is the xvfb package installed?"))
        })?;
        Ok(Self {
            number,
            _server: server,
        })
    }

    /// The value for `DISPLAY`.
    pub fn name(&self) -> String {
        format!(":{}", self.number)
    }

    /// A screenshot of the whole screen with ImageMagick's `import`
    /// (works even when WebDriver does not answer).
    pub fn screenshot(&self, path: &std::path::Path) -> bool {
        Command::new("import")
            .args(["-display", &self.name(), "-window", "root"])
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}
