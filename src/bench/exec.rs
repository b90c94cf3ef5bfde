//! Running one process for a measurement: in its own process group, with
//! its output captured, its wall time taken from spawn to exit, optionally
//! its peak memory (through GNU time), and a timeout after which the whole
//! group is killed. A stop flag (set on Ctrl-C) ends it early the same way.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::define::Environment;
use super::machine::{allowed_cpus, group_members, process_ticks, pss_kib};

/// How a process ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    /// Exited with this status code.
    Exited(i32),
    /// Killed by this signal (not by us).
    Signal(i32),
    /// Ran past the timeout and was killed.
    TimedOut(Duration),
    /// The stop flag was set (Ctrl-C) and it was killed.
    Stopped,
}

/// What one run gave.
#[derive(Debug, Clone)]
pub struct ProcessOutput {
    pub ended: Ended,
    /// From just before spawning to the moment `wait` returned.
    pub wall: Duration,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident set size in KiB, when asked for and GNU time gave it.
    pub max_rss_kib: Option<u64>,
    /// CPU time the process used, with the children it waited for, in clock
    /// ticks (Linux only).
    pub ticks: Option<u64>,
    /// How many CPUs the process was allowed to run on when it exited (its
    /// affinity, which `taskset` narrows), when it could be read.
    pub cpus: Option<u32>,
}

impl ProcessOutput {
    pub fn succeeded(&self) -> bool {
        self.ended == Ended::Exited(0)
    }

    /// Why the run failed, in a few words, for the `note` column.
    pub fn failure(&self) -> Option<String> {
        let tail = last_line(&self.stderr)
            .or_else(|| last_line(&self.stdout))
            .map(|l| format!(": {l}"))
            .unwrap_or_default();
        match &self.ended {
            Ended::Exited(0) => None,
            Ended::Exited(code) => Some(format!("exited with status {code}{tail}")),
            Ended::Signal(sig) => Some(format!("killed by signal {sig}{tail}")),
            Ended::TimedOut(t) => Some(format!("timed out after {}", seconds(*t))),
            Ended::Stopped => Some("interrupted".into()),
        }
    }
}

/// `1.5 s`, `30 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// The last non-blank line of `text`, shortened to 160 characters.
pub fn last_line(text: &str) -> Option<String> {
    let line = text.lines().rev().map(str::trim).find(|l| !l.is_empty())?;
    let mut short: String = line.chars().take(160).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    Some(short)
}

/// GNU time, for peak memory.
pub const GNU_TIME: &str = "/usr/bin/time";

/// Finds `program` the way a shell would: a path if it has a `/`, else the
/// first executable file of that name on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return is_executable(&p).then_some(p);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Runs `argv` in `dir` and waits for it, at most `timeout`.
///
/// With `rss`, the command runs under GNU time (`/usr/bin/time -f %M`),
/// which reports the peak resident memory of the process (the largest of its
/// waited-for children included); its own start-up then adds about a
/// millisecond to `wall`. `stop` is polled every 20 ms: once set, the
/// process group is killed and the outcome is [`Ended::Stopped`].
pub fn run(
    argv: &[String],
    dir: &Path,
    env: &Environment,
    timeout: Duration,
    rss: bool,
    stop: &AtomicBool,
) -> std::io::Result<ProcessOutput> {
    let rss_file = rss.then(RssFile::new);
    let mut cmd = command(&with_gnu_time(argv, rss_file.as_ref()), dir, env)?;

    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = child.id();
    let out = reader(child.stdout.take());
    let err = reader(child.stderr.take());
    let (rx, waiter) = wait_on_thread(child);
    let (ended, (status, end, (ticks, cpus))) = watch(&rx, pid, start, timeout, stop)?;
    let _ = waiter.join();
    // Whatever the command left behind in its group goes too, so that it
    // neither holds the output pipes open nor runs into the next measurement.
    kill_group(pid, true);
    let status = status?;
    let wall = end.duration_since(start);
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let ended = ended.unwrap_or_else(|| ended_by(status));
    let max_rss_kib = rss_file.as_ref().and_then(RssFile::peak_kib);
    Ok(ProcessOutput {
        ended,
        wall,
        stdout,
        stderr,
        max_rss_kib,
        ticks,
        cpus,
    })
}

/// The command line to run: `argv`, behind GNU time writing to `rss_file`
/// when peak memory is measured.
fn with_gnu_time(argv: &[String], rss_file: Option<&RssFile>) -> Vec<String> {
    let mut full: Vec<String> = Vec::new();
    if let Some(f) = rss_file {
        full.extend([
            GNU_TIME.to_string(),
            "-f".into(),
            "%M".into(),
            "-o".into(),
            f.0.to_string_lossy().into_owned(),
        ]);
    }
    full.extend(argv.iter().cloned());
    full
}

/// The command for `argv` in `dir`: in its own process group, reading
/// nothing, its output piped to us. An empty `argv` is an error.
fn command(argv: &[String], dir: &Path, env: &Environment) -> std::io::Result<Command> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| std::io::Error::other("empty command"))?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    env.apply(&mut cmd);
    own_group(&mut cmd);
    Ok(cmd)
}

/// How a process exited: its status, the moment it exited, and the CPU time
/// it used in clock ticks and the CPUs it was allowed to use (when they
/// could be read).
type Exit = (
    std::io::Result<ExitStatus>,
    Instant,
    (Option<u64>, Option<u32>),
);

/// Waits for `child` on a thread of its own, which sends its [`Exit`] on
/// the channel returned.
fn wait_on_thread(mut child: Child) -> (mpsc::Receiver<Exit>, JoinHandle<()>) {
    let pid = child.id();
    let (tx, rx) = mpsc::channel::<Exit>();
    let waiter = std::thread::spawn(move || {
        // On Linux, wait for the exit without reaping the process, to read
        // the CPU time it used before it disappears.
        let exited = exit_without_reaping(pid)
            .then(|| (Instant::now(), (process_ticks(pid), allowed_cpus(pid))));
        let status = child.wait();
        let (end, used) = exited.unwrap_or_else(|| (Instant::now(), (None, None)));
        let _ = tx.send((status, end, used));
    });
    (rx, waiter)
}

/// Waits for the exit of process group `pid` (sent on `rx`), killing the
/// group once `stop` is set or `timeout` has passed since `start`. Returns
/// the exit, and why we killed it when we did.
fn watch(
    rx: &mpsc::Receiver<Exit>,
    pid: u32,
    start: Instant,
    timeout: Duration,
    stop: &AtomicBool,
) -> std::io::Result<(Option<Ended>, Exit)> {
    let mut ended = None;
    loop {
        let left = timeout.saturating_sub(start.elapsed());
        match rx.recv_timeout(left.min(Duration::from_millis(20))) {
            Ok(done) => return Ok((ended, done)),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if ended.is_some() {
                    continue;
                }
                if stop.load(Ordering::SeqCst) {
                    ended = Some(Ended::Stopped);
                    kill_group(pid, true);
                } else if start.elapsed() >= timeout {
                    ended = Some(Ended::TimedOut(timeout));
                    kill_group(pid, true);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(std::io::Error::other("lost the process"));
            }
        }
    }
}

/// Waits until `pid` has exited, leaving it to be reaped. False when that
/// cannot be done here (then the caller just reaps it).
fn exit_without_reaping(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};
        let Some(p) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
            return false;
        };
        loop {
            match waitid(
                WaitId::Pid(p),
                WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
            ) {
                Ok(_) => return true,
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return false,
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        false
    }
}

/// Where GNU time writes its report, removed when dropped.
struct RssFile(PathBuf);

impl RssFile {
    fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Self(std::env::temp_dir().join(format!("versus-rss-{}-{n}", std::process::id())))
    }
}

impl RssFile {
    /// The peak resident set size in KiB GNU time reported, if it did.
    fn peak_kib(&self) -> Option<u64> {
        std::fs::read_to_string(&self.0)
            .ok()?
            .lines()
            .rev()
            .find_map(|l| l.trim().parse::<u64>().ok())
    }
}

impl Drop for RssFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Why a server is not ready to measure, or its memory cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    /// It ended (`how`: "exited with status 1") before it listened; `tail`
    /// is `: ` and the last line it printed, or empty.
    #[error("the server {how} before it accepted connections{tail}")]
    EndedEarly { how: String, tail: String },
    #[error("interrupted")]
    Interrupted,
    #[error("the server did not accept connections on port {port} within {}", seconds(*.within))]
    NotReady { port: u16, within: Duration },
    #[error("the server's memory needs Linux's /proc")]
    NoProc,
    #[error("cannot read the memory of process {0}")]
    Memory(u32),
}

/// A process running in the background (a server) while others are measured.
pub struct Server {
    child: Child,
    out: Option<JoinHandle<String>>,
    err: Option<JoinHandle<String>>,
}

impl Server {
    /// Starts `argv` in `dir`, in its own process group.
    pub fn start(argv: &[String], dir: &Path, env: &Environment) -> std::io::Result<Self> {
        let mut child = command(argv, dir, env)?.spawn()?;
        let out = reader(child.stdout.take());
        let err = reader(child.stderr.take());
        Ok(Self {
            child,
            out: Some(out),
            err: Some(err),
        })
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    /// Fails when the process exits first, the time is up, or `stop` is set.
    pub fn wait_ready(
        &mut self,
        port: u16,
        within: Duration,
        stop: &AtomicBool,
    ) -> Result<(), ServerError> {
        let start = Instant::now();
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let (out, err) = self.output();
                let tail = last_line(&err)
                    .or_else(|| last_line(&out))
                    .map(|l| format!(": {l}"))
                    .unwrap_or_default();
                let how = match ended_by(status) {
                    Ended::Exited(c) => format!("exited with status {c}"),
                    Ended::Signal(s) => format!("was killed by signal {s}"),
                    _ => "ended".into(),
                };
                return Err(ServerError::EndedEarly { how, tail });
            }
            if stop.load(Ordering::SeqCst) {
                return Err(ServerError::Interrupted);
            }
            if std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if start.elapsed() >= within {
                return Err(ServerError::NotReady { port, within });
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// CPU time the server has used so far, in clock ticks, with that of
    /// the workers it forked (its whole process group; Linux only).
    pub fn ticks(&self) -> Option<u64> {
        let own = process_ticks(self.child.id())?;
        let workers: u64 = group_members(self.child.id())
            .into_iter()
            .filter(|&pid| pid != self.child.id())
            .filter_map(process_ticks)
            .sum();
        Some(own + workers)
    }

    /// The memory the server holds now, with the workers it forked: the sum
    /// of their proportional set sizes in KiB (shared pages counted once).
    pub fn memory_kib(&self) -> Result<u64, ServerError> {
        let members = group_members(self.child.id());
        if members.is_empty() {
            return Err(ServerError::NoProc);
        }
        members
            .into_iter()
            .map(|pid| pss_kib(pid).ok_or(ServerError::Memory(pid)))
            .sum()
    }

    /// Whether the server is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Stops the server's process group: SIGTERM, then SIGKILL after two
    /// seconds. Returns what it printed.
    pub fn stop(mut self) -> (String, String) {
        let pid = self.child.id();
        kill_group(pid, false);
        let start = Instant::now();
        while matches!(self.child.try_wait(), Ok(None)) {
            if start.elapsed() > Duration::from_secs(2) {
                kill_group(pid, true);
                let _ = self.child.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        kill_group(pid, true);
        self.output()
    }

    fn output(&mut self) -> (String, String) {
        let out = self
            .out
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let err = self
            .err
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        (out, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            kill_group(self.child.id(), true);
            let _ = self.child.wait();
        }
    }
}

/// A free TCP port on 127.0.0.1 (free when asked; a server is started on it
/// right after).
pub fn free_port() -> std::io::Result<u16> {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(l.local_addr()?.port())
}

fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
}

fn ended_by(status: ExitStatus) -> Ended {
    if let Some(code) = status.code() {
        return Ended::Exited(code);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return Ended::Signal(sig);
        }
    }
    Ended::Exited(-1)
}

/// The child leads a new process group, so that it and everything it starts
/// can be killed together (and a Ctrl-C in the terminal reaches only versus,
/// which then stops them itself).
fn own_group(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    #[cfg(not(unix))]
    let _ = cmd;
}

/// Signals the process group led by `pid` (SIGKILL when `hard`, else
/// SIGTERM). A group that no longer exists is fine.
fn kill_group(pid: u32, hard: bool) {
    let Ok(raw) = i32::try_from(pid) else { return };
    if raw <= 1 {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Pid, Signal, kill_process_group};
        if let Some(p) = Pid::from_raw(raw) {
            let sig = if hard { Signal::KILL } else { Signal::TERM };
            let _ = kill_process_group(p, sig);
        }
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let sig = if hard { "-KILL" } else { "-TERM" };
        let _ = Command::new("kill")
            .args([sig, "--", &format!("-{raw}")])
            .stderr(Stdio::null())
            .status();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `sh -c script` in this folder, with no memory measurement.
    fn sh_with(
        script: &str,
        env: &Environment,
        timeout: Duration,
        stop: &AtomicBool,
    ) -> ProcessOutput {
        let argv = ["sh", "-c", script].map(String::from);
        run(&argv, Path::new("."), env, timeout, false, stop).unwrap()
    }

    /// [`sh_with`] in the whole environment, never stopped.
    fn sh(script: &str, timeout: Duration) -> ProcessOutput {
        sh_with(
            script,
            &Environment::default(),
            timeout,
            &AtomicBool::new(false),
        )
    }

    #[test]
    #[cfg(unix)]
    fn captures_output_and_status() {
        let o = sh("echo out; echo err >&2; exit 3", Duration::from_secs(10));
        assert_eq!(o.ended, Ended::Exited(3));
        assert_eq!(o.stdout, "out\n");
        assert_eq!(o.failure().as_deref(), Some("exited with status 3: err"));
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn reads_the_cpu_time_of_the_finished_process() {
        // About 0.2 s of CPU in a grandchild, which the child waits for.
        let o = sh(
            "sh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done'",
            Duration::from_secs(60),
        );
        assert!(o.succeeded());
        let ticks = o.ticks.expect("CPU time of the exited process");
        assert!(ticks > 0, "{ticks}");
        let cpu = ticks as f64 / crate::bench::machine::ticks_per_second();
        assert!(
            cpu <= o.wall.as_secs_f64() * 2.0 + 0.05,
            "{cpu} s of CPU in {:?}",
            o.wall
        );
        // The affinity of the exited process, narrowed by taskset when
        // there is one.
        let all = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert!(
            o.cpus.is_some_and(|c| c >= 1 && c as usize <= all),
            "{:?}",
            o.cpus
        );
        if which("taskset").is_some() {
            let o = sh("exec taskset -c 0 sh -c 'exit 0'", Duration::from_secs(10));
            assert_eq!(o.cpus, Some(1));
        }
    }

    #[test]
    #[cfg(unix)]
    fn a_timeout_kills_the_whole_group() {
        let start = Instant::now();
        // The grandchild `sleep` holds the output pipe: unless it is killed
        // too, reading the output would wait for it.
        let o = sh("sleep 30; echo never", Duration::from_millis(300));
        assert_eq!(o.ended, Ended::TimedOut(Duration::from_millis(300)));
        assert_eq!(o.failure().as_deref(), Some("timed out after 0.3 s"));
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    #[cfg(unix)]
    fn stop_flag_ends_the_run() {
        let stop = AtomicBool::new(true);
        let o = sh_with(
            "sleep 30",
            &Environment::default(),
            Duration::from_secs(60),
            &stop,
        );
        assert_eq!(o.ended, Ended::Stopped);
    }

    #[test]
    #[cfg(unix)]
    fn the_environment_is_chosen() {
        let env = Environment {
            keep: Some(vec!["PATH".into()]),
            set: [("VERSUS_TEST_VAR".to_string(), "set".to_string())].into(),
        };
        let stop = AtomicBool::new(false);
        let o = sh_with(
            "echo \"${HOME:-none} $VERSUS_TEST_VAR\"",
            &env,
            Duration::from_secs(10),
            &stop,
        );
        assert_eq!(o.stdout, "none set\n");
        assert_eq!(
            env.describe().as_deref(),
            Some("commands ran with only PATH from the environment, with VERSUS_TEST_VAR=set set")
        );
    }

    #[test]
    fn which_finds_programs() {
        assert!(which("versus-no-such-program-here").is_none());
        #[cfg(unix)]
        assert!(which("sh").is_some());
    }

    #[test]
    fn short_lines() {
        assert_eq!(last_line("a\nb\n\n").as_deref(), Some("b"));
        assert_eq!(last_line(" \n"), None);
        assert_eq!(seconds(Duration::from_secs(30)), "30 s");
    }
}
