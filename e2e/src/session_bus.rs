//! A private D-Bus session bus around a command, as a desktop session has.
//!
//! The bus only routes messages: it activates no services. Activated
//! daemons (desktop portals, the accessibility bus) start sessions of their
//! own and would outlive the process group that the harness kills.

use std::path::Path;
use std::process::Command;

const CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// `dbus-run-session` running `inner` (program, arguments and environment
/// copied), with its config written into `dir`. GTK's accessibility bridge
/// and portal use are switched off, as they would only try to activate
/// services.
pub fn wrap(inner: &Command, dir: &Path) -> std::io::Result<Command> {
    wrap_with(inner, None, dir)
}

/// As [`wrap`], with `companion` (program and arguments; the environment is
/// `inner`'s) started in the background on the same bus just before
/// `inner`: `sh -c '"$0" "$1" … & shift N; exec "$@"' companion… inner…`.
/// Arguments travel as positional parameters, never spliced into the
/// script. `sh` execs `inner`, so the process tree is as with [`wrap`] plus
/// the companion, all in the process group of `dbus-run-session`: the
/// group kill of [`crate::procs::ProcGroup`] reaches the companion too.
pub fn wrap_with(
    inner: &Command,
    companion: Option<&Command>,
    dir: &Path,
) -> std::io::Result<Command> {
    let config = dir.join("session-bus.conf");
    std::fs::write(&config, CONFIG)?;
    let mut cmd = Command::new("dbus-run-session");
    cmd.arg("--config-file").arg(&config).arg("--");
    match companion {
        None => {
            cmd.arg(inner.get_program());
        }
        Some(companion) => {
            let n = companion.get_args().count();
            let mut script = String::from("\"$0\"");
            for i in 1..=n {
                script.push_str(&format!(" \"${{{i}}}\""));
            }
            script.push_str(&format!(" & shift {n}; exec \"$@\""));
            cmd.args(["/bin/sh", "-c", &script])
                .arg(companion.get_program())
                .args(companion.get_args())
                .arg(inner.get_program());
        }
    }
    cmd.args(inner.get_args());
    for (key, value) in inner.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    cmd.env("NO_AT_BRIDGE", "1").env("GTK_USE_PORTAL", "0");
    Ok(cmd)
}
