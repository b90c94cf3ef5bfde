//! Test helper: a running `versus watch` on a free port, fetched over plain
//! HTTP (binary-safe), with its log, its build number and its memory.
//!
//! Include it beside `mod common;` with
//! `#[path = "common/watch.rs"] mod watch_server;`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The tag `versus watch` adds before `</body>` of every HTML page it serves
/// (src/serve.rs, `inject`): `<script src="/__versus/live.js" data-build="N"></script>`.
const LIVE_TAG_START: &[u8] = b"<script src=\"/__versus/live.js\" data-build=\"";
const LIVE_TAG_END: &[u8] = b"\"></script>";

/// A running `versus watch`.
pub struct Watch {
    child: Child,
    pub port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

/// One HTTP response.
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Watch {
    /// Starts `versus watch --port 0 ARGS` in `root` and waits until it serves.
    pub fn start(root: &Path, args: &[&str]) -> Watch {
        Self::start_with(root, args, &[])
    }

    /// [`Watch::start`] with extra environment variables.
    pub fn start_with(root: &Path, args: &[&str], envs: &[(&str, &str)]) -> Watch {
        let mut child = Command::new(super::common::BIN)
            .args(["watch", "--port", "0"])
            .args(args)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .envs(envs.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let log2 = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                    if let Ok(port) = rest.split('/').next().unwrap_or("").parse::<u16>() {
                        let _ = tx.send(port);
                    }
                }
                log2.lock().unwrap().push(line);
            }
        });
        let port = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(port) => port,
            Err(_) => panic!(
                "versus watch did not start serving within 60 s; log:\n{}",
                log.lock().unwrap().join("\n")
            ),
        };
        Watch { child, port, log }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// GET `path` (already percent-encoded), the whole response kept as bytes.
    pub fn get(&self, path: &str) -> Response {
        let mut last_err = String::new();
        // The server caps open connections (503) and may be busy; retry a few times.
        for _ in 0..50 {
            match self.try_get(path) {
                Ok(r) if r.status != 503 => return r,
                Ok(r) => last_err = format!("status {}", r.status),
                Err(e) => last_err = e.to_string(),
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("GET {path} failed: {last_err}\nlog:\n{}", self.log());
    }

    /// Sends `request` as it is and returns the whole answer as text.
    pub fn raw(&self, request: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        String::from_utf8_lossy(&buf).into_owned()
    }

    fn try_get(&self, path: &str) -> std::io::Result<Response> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf)?;
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            return Err(std::io::Error::other(format!(
                "no response head in {} bytes",
                buf.len()
            )));
        };
        let head = String::from_utf8_lossy(&buf[..end]);
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = buf[end + 4..].to_vec();
        if let Some(len) = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|n| n.trim().parse::<usize>().ok())
        {
            if len != body.len() {
                return Err(std::io::Error::other(format!(
                    "Content-Length {len} but {} bytes",
                    body.len()
                )));
            }
        }
        Ok(Response { status, body })
    }

    /// Polls `path` until `ok(response)`, failing after `timeout`.
    #[track_caller]
    pub fn wait_for(
        &self,
        path: &str,
        what: &str,
        timeout: Duration,
        ok: impl Fn(&Response) -> bool,
    ) -> Response {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:?} waiting for {path}: {what}; last status {}\nlog (last 40 lines):\n{}",
                    r.status,
                    self.log_tail(40)
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Every line written to stderr so far.
    pub fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn line_count(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    pub fn log(&self) -> String {
        self.lines().join("\n")
    }

    pub fn log_tail(&self, n: usize) -> String {
        let lines = self.lines();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// The process's resident memory in KiB (`VmRSS` of /proc/PID/status).
    pub fn rss_kib(&self) -> Option<u64> {
        rss_kib(self.pid())
    }

    /// Sends SIGINT (Ctrl-C) and waits for the process to end.
    pub fn stop(mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "watch did not stop on SIGINT"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `VmRSS` of a process, in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A served HTML page without the live-reload tag the server adds, and the
/// build number the tag carried. `None` when the tag is missing, appears
/// more than once, or does not sit right before the last `</body>` (or at
/// the end, for a page without one).
pub fn strip_live_tag(served: &[u8]) -> Option<(Vec<u8>, u64)> {
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let start = find(served, LIVE_TAG_START, 0)?;
    if find(served, LIVE_TAG_START, start + 1).is_some() {
        return None;
    }
    let digits = start + LIVE_TAG_START.len();
    let end = find(served, LIVE_TAG_END, digits)?;
    let build: u64 = std::str::from_utf8(&served[digits..end])
        .ok()?
        .parse()
        .ok()?;
    let after = end + LIVE_TAG_END.len();
    let rest = &served[after..];
    let last_body = served.windows(7).rposition(|w| w == b"</body>");
    let placed = match last_body {
        Some(i) => i == after,
        None => rest.is_empty(),
    };
    if !placed {
        return None;
    }
    let mut out = served[..start].to_vec();
    out.extend_from_slice(rest);
    Some((out, build))
}

/// Percent-encodes an output path for a request line (keeps `/`).
pub fn url_path(rel: &str) -> String {
    let mut out = String::from("/");
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// CPU time (user + system) a process has used so far.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses:
    // state is field 3, utime field 14 and stime field 15 of the whole line.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let hz = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<u64>()
                .ok()
        })
        .unwrap_or(100);
    Some(Duration::from_millis(ticks * 1000 / hz))
}
