//! Child processes in process groups of their own, killed by group id.
//!
//! tauri-driver starts WebKitWebDriver, which starts the app, which starts
//! WebKit's web and network processes: all of them inherit the group, so one
//! `kill(-pgid)` reaches the whole tree. The guard kills on drop, which also
//! runs when a test panics; `PR_SET_PDEATHSIG` covers the harness itself
//! being killed.

#![allow(unsafe_code)] // fork/exec hooks and signals: libc calls, each commented.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A running process group, killed when dropped.
pub struct ProcGroup {
    name: String,
    child: Child,
}

impl ProcGroup {
    /// Spawns `cmd` as the leader of a new process group.
    pub fn spawn(name: &str, mut cmd: Command) -> io::Result<Self> {
        cmd.process_group(0);
        // SAFETY: prctl is async-signal-safe and touches only the child.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("could not start {name}: {e}")))?;
        Ok(Self {
            name: name.to_string(),
            child,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Whether the leader has exited (and with what).
    pub fn try_wait(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// SIGTERM to the group, then SIGKILL after `grace`; waits until no
    /// process of the group is left (at most a few seconds).
    pub fn kill(&mut self, grace: Duration) {
        let pgid = self.child.id() as libc::pid_t;
        signal_group(pgid, libc::SIGTERM);
        let deadline = Instant::now() + grace;
        while group_alive(pgid) && Instant::now() < deadline {
            let _ = self.child.try_wait();
            std::thread::sleep(Duration::from_millis(50));
        }
        signal_group(pgid, libc::SIGKILL);
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(10);
        while group_alive(pgid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if group_alive(pgid) {
            eprintln!(
                "e2e: process group of {} ({pgid}) still has members",
                self.name
            );
        }
    }
}

impl Drop for ProcGroup {
    fn drop(&mut self) {
        self.kill(Duration::from_millis(1500));
    }
}

fn signal_group(pgid: libc::pid_t, sig: libc::c_int) {
    // SAFETY: kill(2) with a negative pid signals that group only; pgid > 0.
    if pgid > 0 {
        unsafe {
            libc::kill(-pgid, sig);
        }
    }
}

fn group_alive(pgid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only checks for existence. Zombies still count until reaped,
    // which is why leaders are waited for above.
    pgid > 0 && unsafe { libc::kill(-pgid, 0) } == 0
}

/// A free TCP port on 127.0.0.1 (released before use; the race is harmless here).
pub fn free_port() -> io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// `pid` and all its descendants, read from `/proc`.
pub fn process_tree(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(p) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(ppid) = stat_field(p, 1).and_then(|s| s.parse().ok()) {
                parents.push((p, ppid));
            }
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree
}

/// Field `n` (0-based) of `/proc/<pid>/stat` after the command name.
fn stat_field(pid: u32, n: usize) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    after.split_whitespace().nth(n).map(str::to_string)
}

/// Proportional set size of a whole process tree, in KiB.
pub fn tree_pss_kib(pid: u32) -> u64 {
    process_tree(pid)
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).ok())
        .filter_map(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .sum()
}

/// CPU time (user + system, in clock ticks) used so far by a process tree.
pub fn tree_cpu_ticks(pid: u32) -> u64 {
    process_tree(pid)
        .into_iter()
        .map(|p| {
            // utime and stime are fields 14 and 15 of stat, 11 and 12 after the name.
            let t = |n| {
                stat_field(p, n)
                    .and_then(|s| s.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            t(11) + t(12)
        })
        .sum()
}

/// Clock ticks per second.
pub fn ticks_per_second() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}
