//! `launch-bench APP BARE`: launches each release binary 5 times on a
//! private Xvfb display and prints, side by side, the median time from
//! launch to the page being loaded and interactive, the median peak PSS of
//! the whole process tree (WebKit processes included), and the CPU used
//! while idle. Exits non-zero when the app is over its budget (1.15x the
//! bare window on both figures, no CPU when idle). Run by `cargo xtask bench`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use e2e::display::Display;
use e2e::procs::{ProcGroup, ticks_per_second, tree_cpu_ticks, tree_pss_kib};

const RUNS: usize = 5;
const BUDGET: f64 = 1.15;
/// How long memory is sampled after the page is ready.
const SETTLE: Duration = Duration::from_secs(3);
/// How long CPU is measured once settled.
const IDLE: Duration = Duration::from_secs(5);
/// Idle CPU above this share of one core counts as "not idle".
const IDLE_CPU_LIMIT: f64 = 0.5;

struct Run {
    ready: Duration,
    peak_pss_kib: u64,
    idle_cpu_percent: f64,
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [app, bare] = args.as_slice() else {
        eprintln!("usage: launch-bench APP_BINARY BARE_WINDOW_BINARY");
        std::process::exit(2);
    };
    let display = Display::start().unwrap_or_else(|e| fail(&format!("Xvfb: {e}")));
    println!(
        "launch benchmark: {RUNS} launches each, display {}",
        display.name()
    );

    let mut results = Vec::new();
    // Interleaved, so that a slow phase of the machine hits both alike.
    let mut app_runs = Vec::new();
    let mut bare_runs = Vec::new();
    for i in 0..RUNS {
        for (name, bin, runs) in [
            ("bare window", bare, &mut bare_runs),
            ("Desk Chat", app, &mut app_runs),
        ] {
            let run = launch(bin, &display).unwrap_or_else(|e| fail(&format!("{name}: {e}")));
            println!(
                "  run {}: {name:<11} ready {:>5} ms, peak PSS {:>6.1} MiB, idle CPU {:.2}%",
                i + 1,
                run.ready.as_millis(),
                run.peak_pss_kib as f64 / 1024.0,
                run.idle_cpu_percent
            );
            runs.push(run);
        }
    }
    for (name, runs) in [("bare window", &bare_runs), ("Desk Chat", &app_runs)] {
        let ready = median(
            runs.iter()
                .map(|r| r.ready.as_secs_f64() * 1000.0)
                .collect(),
        );
        let pss = median(
            runs.iter()
                .map(|r| r.peak_pss_kib as f64 / 1024.0)
                .collect(),
        );
        let cpu = median(runs.iter().map(|r| r.idle_cpu_percent).collect());
        results.push((name, ready, pss, cpu));
    }

    println!();
    println!(
        "{:<12} {:>22} {:>20} {:>14}",
        "", "launch to ready (ms)", "peak PSS (MiB)", "idle CPU (%)"
    );
    for (name, ready, pss, cpu) in &results {
        println!("{name:<12} {ready:>22.0} {pss:>20.1} {cpu:>14.2}");
    }
    let (_, bare_ready, bare_pss, _) = results[0];
    let (_, app_ready, app_pss, app_cpu) = results[1];
    let (r_ready, r_pss) = (app_ready / bare_ready, app_pss / bare_pss);
    println!("{:<12} {:>21.2}x {:>19.2}x", "ratio", r_ready, r_pss);
    let within = r_ready <= BUDGET && r_pss <= BUDGET && app_cpu <= IDLE_CPU_LIMIT;
    println!(
        "budget: at most {BUDGET:.2}x the bare window on both figures, idle CPU <= {IDLE_CPU_LIMIT}%: {}",
        if within {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
    drop(display);
    std::process::exit(if within { 0 } else { 1 });
}

fn launch(bin: &Path, display: &Display) -> Result<Run, String> {
    let home = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut cmd = Command::new(bin);
    cmd.env("DISPLAY", display.name())
        .env_remove("WAYLAND_DISPLAY")
        .env("DESK_CHAT_BENCH", "1")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("DESK_CHAT_DATA_DIR", home.path().join("app"))
        .stdin(Stdio::null());
    // A private session bus, as a desktop session would have.
    let wrapped = e2e::session_bus::wrap(&cmd, home.path()).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut wrapped = wrapped;
    wrapped.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut group = ProcGroup::spawn("app", wrapped).map_err(|e| e.to_string())?;
    let stdout = group.child_mut().stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("desk-chat-bench: ready") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .map_err(|_| "no ready line within 60 s".to_string())?;
    let ready = started.elapsed();

    let pid = group.pid();
    let mut peak = 0;
    let settle_end = Instant::now() + SETTLE;
    while Instant::now() < settle_end {
        peak = peak.max(tree_pss_kib(pid));
        std::thread::sleep(Duration::from_millis(100));
    }
    let before = tree_cpu_ticks(pid);
    std::thread::sleep(IDLE);
    let used = tree_cpu_ticks(pid).saturating_sub(before);
    peak = peak.max(tree_pss_kib(pid));
    let idle_cpu_percent = used as f64 / ticks_per_second() as f64 / IDLE.as_secs_f64() * 100.0;
    group.kill(Duration::from_secs(2));
    Ok(Run {
        ready,
        peak_pss_kib: peak,
        idle_cpu_percent,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn fail(msg: &str) -> ! {
    eprintln!("launch-bench: {msg}");
    std::process::exit(1);
}
