//! The development server of `versus watch`: serves the in-memory site, and
//! tells browsers to reload (or show the build error) through server-sent
//! events. It reads only the in-memory output, so no request can reach a
//! file outside it, whatever its path.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::error::{Error, Result};
use crate::output::Files;

/// Where the live-reload script and the event stream live (no site file
/// can have these paths: output paths never start with `__versus`).
const LIVE_JS_PATH: &str = "/__versus/live.js";
const EVENTS_PATH: &str = "/__versus/events";
const LIVE_JS: &str = include_str!("serve/live.js");

/// Browsers listening for reloads, at most.
pub const MAX_LISTENERS: usize = 64;
/// Request URLs longer than this get 414.
pub const MAX_URL: usize = 4096;
/// Threads answering requests.
const WORKERS: usize = 4;

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
    listeners: Mutex<Vec<Box<dyn Write + Send>>>,
    stopping: AtomicBool,
}

impl Shared {
    pub fn new(files: Arc<Files>, error: Option<BuildError>) -> Arc<Self> {
        Arc::new(Self {
            files: RwLock::new(files),
            error: RwLock::new(error),
            listeners: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
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
            listeners.retain_mut(|w| {
                w.write_all(message.as_bytes())
                    .and_then(|()| w.flush())
                    .is_ok()
            });
        }
    }

    /// How many browsers listen for reloads.
    pub fn listeners(&self) -> usize {
        self.listeners.lock().map(|l| l.len()).unwrap_or(0)
    }
}

/// A running server.
pub struct Handle {
    pub addr: SocketAddr,
    server: Arc<Server>,
    shared: Arc<Shared>,
    workers: Vec<thread::JoinHandle<()>>,
}

impl Handle {
    /// Stops answering and waits for the request threads.
    pub fn stop(self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        for _ in &self.workers {
            self.server.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Starts serving on `addr`.
pub fn start(addr: SocketAddr, shared: Arc<Shared>) -> Result<Handle> {
    let server =
        Server::http(addr).map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
    let addr = server.server_addr().to_ip().unwrap_or(addr);
    let server = Arc::new(server);
    let workers = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                while !shared.stopping.load(Ordering::SeqCst) {
                    match server.recv() {
                        // A bug in one request must not take a worker down with it.
                        Ok(req) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                handle(req, &shared)
                            }));
                        }
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    Ok(Handle {
        addr,
        server,
        shared,
        workers,
    })
}

/// Adds a header; a value that is not a valid header (it cannot be, for
/// the fixed names and values used here) is left out rather than panicking.
fn with<R: std::io::Read>(resp: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => resp.with_header(h),
        Err(()) => resp,
    }
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let resp = Response::from_data(body.as_bytes().to_vec()).with_status_code(StatusCode(status));
    with(resp, "Content-Type", "text/plain; charset=utf-8")
}

fn handle(req: Request, shared: &Shared) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let _ = req.respond(text(405, "only GET and HEAD"));
        return;
    }
    let url = req.url().to_string();
    if url.len() > MAX_URL {
        let _ = req.respond(text(414, "URL too long"));
        return;
    }
    let path = url.split(['?', '#']).next().unwrap_or("/");
    match path {
        EVENTS_PATH => return listen(req, shared),
        LIVE_JS_PATH => {
            let resp = Response::from_data(LIVE_JS.as_bytes().to_vec());
            let resp = with(resp, "Content-Type", "text/javascript; charset=utf-8");
            let resp = with(resp, "Cache-Control", "no-store");
            let _ = req.respond(resp);
            return;
        }
        _ => {}
    }
    let key = match request_key(path) {
        Ok(k) => k,
        Err(status) => {
            let _ = req.respond(text(status, "bad path"));
            return;
        }
    };
    let files = shared
        .files
        .read()
        .map(|f| Arc::clone(&f))
        .unwrap_or_default();
    let (status, key) = if files.contains_key(&key) {
        (200, key)
    } else if !key.is_empty() && files.contains_key(&format!("{key}/index.html")) {
        let resp = with(
            Response::empty(StatusCode(301)),
            "Location",
            &format!("{path}/"),
        );
        let _ = req.respond(resp);
        return;
    } else {
        (404, "404.html".to_string())
    };
    let Some(bytes) = files.get(&key) else {
        let _ = req.respond(text(404, "not found"));
        return;
    };
    let mime = mime_of(&key);
    let body = if mime.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes.to_vec()
    };
    let resp = Response::from_data(body).with_status_code(StatusCode(status));
    let resp = with(resp, "Content-Type", mime);
    let resp = with(resp, "Cache-Control", "no-store");
    let resp = with(resp, "X-Content-Type-Options", "nosniff");
    let _ = req.respond(resp);
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
    let decoded = crate::paths::percent_decode(path);
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
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_JS_PATH}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Keeps the connection open as an event stream.
fn listen(req: Request, shared: &Shared) {
    if shared.listeners() >= MAX_LISTENERS {
        let _ = req.respond(text(503, "too many listeners"));
        return;
    }
    let mut writer = req.into_writer();
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
    );
    if let Ok(Some(e)) = shared.error.read().map(|e| e.clone()) {
        head.push_str(&format!(
            "event: build-error\ndata: {}\n\n",
            serde_json::to_string(&e).unwrap_or_default()
        ));
    }
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_ok()
    {
        if let Ok(mut l) = shared.listeners.lock() {
            l.push(writer);
        }
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
        let out = String::from_utf8(inject(b"<html><body>x</body></html>")).unwrap_or_default();
        assert!(out.contains("x<script src=\"/__versus/live.js\"></script></body>"));
    }
}
