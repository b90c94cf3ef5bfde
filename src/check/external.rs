//! `versus check --external`: links to other sites, checked over the
//! network with a timeout, a limit on requests at once, and a cache of
//! recent answers so a second run asks again only about failures.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

/// Requests at once.
const CONCURRENCY: usize = 8;
/// Per request.
const TIMEOUT: Duration = Duration::from_secs(10);
/// A good answer is trusted this long.
const CACHE_TTL: Duration = Duration::from_secs(24 * 3600);

/// What became of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// The HTTP status, or the network error.
    Broken(String),
}

/// Checks `urls`; answers come from the cache where fresh.
pub fn check(urls: &[String]) -> BTreeMap<String, Status> {
    let mut cache = Cache::load();
    let now = now();
    let todo: Vec<&String> = urls.iter().filter(|u| !cache.fresh(u, now)).collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!("versus-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(CONCURRENCY)
        .build();
    let answers: Vec<(String, Status)> = match pool {
        Ok(pool) => pool.install(|| {
            todo.par_iter()
                .map(|u| ((*u).clone(), ask(&agent, u)))
                .collect()
        }),
        Err(_) => todo
            .iter()
            .map(|u| ((*u).clone(), ask(&agent, u)))
            .collect(),
    };
    let mut out = BTreeMap::new();
    for u in urls {
        if cache.fresh(u, now) {
            out.insert(u.clone(), Status::Ok);
        }
    }
    for (u, status) in answers {
        if status == Status::Ok {
            cache.ok.insert(u.clone(), now);
        } else {
            cache.ok.remove(&u);
        }
        out.insert(u, status);
    }
    cache.save();
    out
}

/// HEAD first; servers that refuse HEAD get a GET.
fn ask(agent: &ureq::Agent, url: &str) -> Status {
    let verdict = |code: u16| {
        if code < 400 {
            Status::Ok
        } else {
            Status::Broken(format!("HTTP {code}"))
        }
    };
    match agent.head(url).call() {
        Ok(r) if matches!(r.status().as_u16(), 405 | 403 | 501) => match agent.get(url).call() {
            Ok(r) => verdict(r.status().as_u16()),
            Err(e) => Status::Broken(e.to_string()),
        },
        Ok(r) => verdict(r.status().as_u16()),
        Err(e) => Status::Broken(e.to_string()),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// URLs that answered well, with when (seconds since the epoch), kept in
/// the user's cache folder.
struct Cache {
    path: Option<PathBuf>,
    ok: BTreeMap<String, u64>,
}

impl Cache {
    fn load() -> Self {
        let path = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|d| d.join("versus").join("external-links.tsv"));
        let ok = path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|text| {
                text.lines()
                    .filter_map(|l| l.split_once('\t'))
                    .filter_map(|(t, u)| t.parse().ok().map(|t| (u.to_string(), t)))
                    .collect()
            })
            .unwrap_or_default();
        Self { path, ok }
    }

    fn fresh(&self, url: &str, now: u64) -> bool {
        self.ok
            .get(url)
            .is_some_and(|t| now.saturating_sub(*t) < CACHE_TTL.as_secs())
    }

    fn save(&self) {
        let Some(path) = &self.path else { return };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let text: String = self.ok.iter().map(|(u, t)| format!("{t}\t{u}\n")).collect();
        let _ = std::fs::write(path, text);
    }
}
