//! The development server of `versus watch`: serves the in-memory site, and
//! tells browsers to reload (or show the build error) through server-sent
//! events. It reads only the in-memory output, so no request can reach a
//! file outside it, whatever its path.
//!
//! HTTP here is deliberately small: GET and HEAD, one request per
//! connection (`Connection: close`), a bounded request head, a read timeout
//! and a cap on connections. We tried tiny_http first: its per-connection
//! response queue let a long-lived event stream hold up a page's other
//! requests now and then, and the async servers would bring a runtime
//! into a tool that starts in milliseconds.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::thread;
use std::time::Duration;

use crate::output::Files;
use crate::report::error::{Error, Result};

/// Where the live-reload script and the event stream live (no site file
/// can have these paths: output paths never start with `__versus`).
const LIVE_JS_PATH: &str = "/__versus/live.js";
const EVENTS_PATH: &str = "/__versus/events";
const LIVE_JS: &str = include_str!("live.js");

/// Browsers listening for reloads, at most.
pub const MAX_LISTENERS: usize = 64;
/// Request URLs longer than this get 414.
pub const MAX_URL: usize = 4096;

/// A build error as browsers show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildError {
    pub file: String,
    pub line: usize,
    pub message: String,
    /// Every error, as the terminal shows them (no colour).
    pub text: String,
}

impl BuildError {
    pub fn from_error(err: &Error) -> Self {
        let (file, line, message) = match err {
            Error::Content(diags) => diags
                .iter()
                .find(|d| d.is_error())
                .map(|d| {
                    let (file, line) = d.location.as_ref().map_or((String::new(), 0), |l| {
                        (l.path.display().to_string(), l.line_col().0)
                    });
                    (file, line, d.message.clone())
                })
                .unwrap_or_default(),
            other => (String::new(), 0, other.to_string()),
        };
        let text = match err {
            Error::Content(diags) => diags.iter().map(|d| d.render(false)).collect::<String>(),
            other => other.to_string(),
        };
        Self {
            file,
            line,
            message,
            text,
        }
    }
}

/// State shared between the rebuild loop and the request threads.
pub struct Shared {
    files: RwLock<Arc<Files>>,
    error: RwLock<Option<BuildError>>,
    listeners: Mutex<Vec<mpsc::Sender<String>>>,
    stopping: AtomicBool,
    /// Counts good builds; pages carry the number they were served with, so
    /// a browser that connects after a rebuild knows it is behind.
    build: AtomicU64,
}

impl Shared {
    pub fn new(files: Arc<Files>, error: Option<BuildError>) -> Arc<Self> {
        Arc::new(Self {
            files: RwLock::new(files),
            error: RwLock::new(error),
            listeners: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
            build: AtomicU64::new(1),
        })
    }

    /// Serves a new build and tells browsers which outputs changed.
    pub fn publish(&self, files: Arc<Files>, changed: &[String]) {
        if let Ok(mut f) = self.files.write() {
            *f = files;
        }
        if let Ok(mut e) = self.error.write() {
            *e = None;
        }
        self.build.fetch_add(1, Ordering::SeqCst);
        let css_only = !changed.is_empty() && changed.iter().all(|c| c.ends_with(".css"));
        let data = serde_json::json!({ "changed": changed, "css_only": css_only });
        self.broadcast("reload", &data.to_string());
    }

    /// Keeps the last good build served and shows the error in browsers.
    pub fn fail(&self, error: BuildError) {
        let data = serde_json::to_string(&error).unwrap_or_default();
        if let Ok(mut e) = self.error.write() {
            *e = Some(error);
        }
        self.broadcast("build-error", &data);
    }

    fn broadcast(&self, event: &str, data: &str) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.retain(|tx| tx.send(message.clone()).is_ok());
        }
    }

    /// How many browsers listen for reloads. Streams whose browser has
    /// left are dropped here: their thread has ended, so a check (an empty
    /// message) no longer reaches it; the others check their browser on it.
    pub fn listeners(&self) -> usize {
        self.listeners
            .lock()
            .map(|mut l| {
                l.retain(|tx| tx.send(String::new()).is_ok());
                l.len()
            })
            .unwrap_or(0)
    }
}

/// Connections handled at once; more get 503.
pub const MAX_CONNECTIONS: usize = 128;
/// A request head larger than this gets 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// A client that sends its request more slowly than this is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle event stream checks that its browser is still there.
const LISTENER_CHECK: Duration = Duration::from_millis(250);

/// A running server.
pub struct Handle {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: thread::JoinHandle<()>,
}

impl Handle {
    /// Stops accepting connections.
    pub fn stop(self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor blocked in accept().
        let _ = TcpStream::connect(self.addr);
        let _ = self.acceptor.join();
        if let Ok(mut l) = self.shared.listeners.lock() {
            l.clear();
        }
    }
}

/// Starts serving on `addr`.
pub fn start(addr: SocketAddr, shared: Arc<Shared>) -> Result<Handle> {
    let listener = TcpListener::bind(addr)
        .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
    let addr = listener.local_addr().unwrap_or(addr);
    let open = Arc::new(AtomicUsize::new(0));
    let acceptor_shared = Arc::clone(&shared);
    let acceptor = thread::spawn(move || {
        for stream in listener.incoming() {
            if acceptor_shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut stream) = stream else { continue };
            if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                let _ = respond(
                    &mut stream,
                    503,
                    "text/plain; charset=utf-8",
                    b"too many connections",
                    false,
                );
                continue;
            }
            open.fetch_add(1, Ordering::SeqCst);
            let shared = Arc::clone(&acceptor_shared);
            let open = Arc::clone(&open);
            thread::spawn(move || {
                // A bug in one request must not take the server down with it.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    connection(stream, &shared)
                }));
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Ok(Handle {
        addr,
        shared,
        acceptor,
    })
}

/// Reads one request and answers it.
fn connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let request = read_head(&mut stream)
        .map_err(|status| (status, &b"bad request"[..]))
        .and_then(|head| Request::parse(&head));
    let request = match request {
        Ok(r) => r,
        Err((status, why)) => return plain(&mut stream, status, why),
    };
    if std::env::var_os("VERSUS_SERVE_LOG").is_some() {
        eprintln!("serve: {} {}", request.method, request.target);
    }
    match request.path() {
        EVENTS_PATH => listen(stream, shared),
        LIVE_JS_PATH => {
            let js = LIVE_JS.as_bytes();
            let mime = "text/javascript; charset=utf-8";
            let _ = respond(&mut stream, 200, mime, js, request.head_only());
        }
        _ => serve_file(stream, shared, &request),
    }
}

/// A request's first line, checked.
struct Request {
    method: String,
    target: String,
}

impl Request {
    /// The method, target and version of a request head; an error status
    /// and why for anything but HTTP/1 GET and HEAD with a URL of a
    /// sensible length.
    fn parse(head: &str) -> std::result::Result<Self, (u16, &'static [u8])> {
        let mut parts = head.lines().next().unwrap_or("").split(' ');
        let (method, target, version) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        if !version.starts_with("HTTP/1.") {
            return Err((400, b"bad request"));
        }
        if method != "GET" && method != "HEAD" {
            return Err((405, b"only GET and HEAD"));
        }
        if target.len() > MAX_URL {
            return Err((414, b"URL too long"));
        }
        Ok(Self {
            method: method.to_string(),
            target: target.to_string(),
        })
    }

    fn head_only(&self) -> bool {
        self.method == "HEAD"
    }

    /// The target without query or fragment.
    fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or("/")
    }
}

/// The 404 page for a missing `key`: its language's (`fr/404.html`, for
/// a key under a language's folder), else the site's.
fn not_found_page(files: &crate::output::Files, key: &str) -> String {
    match key.split_once('/') {
        Some((top, _)) if files.contains_key(&format!("{top}/404.html")) => {
            format!("{top}/404.html")
        }
        _ => "404.html".to_string(),
    }
}

/// Answers with a file of the site (the reload script put into pages), a
/// redirect to a folder's index, or the site's 404 page.
fn serve_file(mut stream: TcpStream, shared: &Shared, request: &Request) {
    let path = request.path();
    let key = match request_key(path) {
        Ok(k) => k,
        Err(status) => return plain(&mut stream, status, b"bad path"),
    };
    let files = shared
        .files
        .read()
        .map(|f| Arc::clone(&f))
        .unwrap_or_default();
    let (status, key) = if files.contains_key(&key) {
        (200, key)
    } else if !key.is_empty() && files.contains_key(&format!("{key}/index.html")) {
        let location = format!("{path}/");
        let _ = write!(
            stream,
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return;
    } else {
        (404, not_found_page(&files, &key))
    };
    let head_only = request.head_only();
    let Some(bytes) = files.get(&key) else {
        let mime = "text/plain; charset=utf-8";
        let _ = respond(&mut stream, 404, mime, b"not found", head_only);
        return;
    };
    let mime = mime_of(&key);
    if mime.starts_with("text/html") {
        let build = shared.build.load(Ordering::SeqCst);
        let _ = respond(&mut stream, status, mime, &inject(bytes, build), head_only);
    } else {
        let _ = respond(&mut stream, status, mime, bytes, head_only);
    }
}

/// A short plain-text answer (errors).
fn plain(stream: &mut TcpStream, status: u16, body: &[u8]) {
    let _ = respond(stream, status, "text/plain; charset=utf-8", body, false);
}

/// Reads the request head (up to the blank line), bounded in size.
fn read_head(stream: &mut TcpStream) -> std::result::Result<String, u16> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).map_err(|_| 408u16)?;
        if n == 0 {
            return Err(400);
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.windows(2).any(|w| w == b"\n\n") {
            break;
        }
        if buf.len() > MAX_HEAD {
            return Err(431);
        }
    }
    String::from_utf8(buf).map_err(|_| 400)
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    mime: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Maps a request path to an output path, refusing anything that is not a
/// plain relative path: `..` or `.` segments, encoded slashes or
/// backslashes, NUL, and paths starting with `//` get 400.
pub fn request_key(path: &str) -> std::result::Result<String, u16> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(400);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || path.contains('\\')
    {
        return Err(400);
    }
    let decoded = crate::text::paths::percent_decode(path);
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(400);
    }
    let mut parts = Vec::new();
    for seg in decoded[1..].split('/') {
        match seg {
            "" => {}
            "." | ".." => return Err(400),
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

fn mime_of(key: &str) -> &'static str {
    match key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("zip") => "application/zip",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page (served pages only: the
/// built output never holds it).
fn inject(html: &[u8], build: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_JS_PATH}\" data-build=\"{build}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Keeps the connection open as an event stream, written by this
/// connection's own thread.
fn listen(mut stream: TcpStream, shared: &Shared) {
    if shared.listeners() >= MAX_LISTENERS {
        let _ = respond(
            &mut stream,
            503,
            "text/plain; charset=utf-8",
            b"too many listeners",
            false,
        );
        return;
    }
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
    );
    head.push_str(&format!(
        "event: hello\ndata: {{\"build\": {}}}\n\n",
        shared.build.load(Ordering::SeqCst)
    ));
    if let Ok(Some(e)) = shared.error.read().map(|e| e.clone()) {
        head.push_str(&format!(
            "event: build-error\ndata: {}\n\n",
            serde_json::to_string(&e).unwrap_or_default()
        ));
    }
    let (tx, rx) = mpsc::channel::<String>();
    if let Ok(mut l) = shared.listeners.lock() {
        l.push(tx);
    }
    if stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
    // Ends when the browser goes (a write fails, or a check finds the
    // connection closed) or the server stops (the sender is dropped).
    let _ = stream.set_read_timeout(Some(Duration::from_millis(1)));
    loop {
        let message = match rx.recv_timeout(LISTENER_CHECK) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => String::new(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if message.is_empty() {
            if browser_gone(&stream) {
                return;
            }
            continue;
        }
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Whether the browser closed an event stream: a read (waiting at most the
/// stream's short read timeout) finds the end. Anything the browser sends
/// after its request is read and ignored.
fn browser_gone(mut stream: &TcpStream) -> bool {
    match stream.read(&mut [0u8; 512]) {
        Ok(n) => n == 0,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths() {
        assert_eq!(request_key("/"), Ok("index.html".into()));
        assert_eq!(request_key("/a/b.html"), Ok("a/b.html".into()));
        assert_eq!(request_key("/guide/"), Ok("guide/index.html".into()));
        assert_eq!(request_key("/my%20page.html"), Ok("my page.html".into()));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/a%2fb",
            "/a%5cb",
            "//etc/passwd",
            "/a\\b",
            "/%00",
            "/./x",
            "etc",
        ] {
            assert_eq!(request_key(bad), Err(400), "{bad}");
        }
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body>x</body></html>", 7)).unwrap_or_default();
        assert!(
            out.contains("x<script src=\"/__versus/live.js\" data-build=\"7\"></script></body>")
        );
    }
}
