//! What git knows of the site (load stage): the date of the last commit of
//! every file under `content/`, read in one `git log` run, and where the
//! site is in its repository (for "Edit this page" links). Outside a git
//! work tree, without git, or in a shallow clone (whose history is cut
//! short, so its dates would be wrong) there are no dates, and a note says
//! why, once.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// What the build knows from git.
#[derive(Debug, Default)]
pub struct Repo {
    /// The site's folder from the repository's top (`""`, or `docs/`).
    pub prefix: String,
    /// Date of the last commit (committer date, RFC 3339) of each file
    /// that has one, by path under `content/`.
    pub dates: HashMap<String, String>,
    /// Why there are no dates, when there are none: one line for the author.
    pub note: Option<String>,
}

/// Reads the repository the site at `root` is in; with `dates`, the date
/// of the last commit of every file under `content/`.
pub fn read(root: &Path, dates: bool) -> Repo {
    let mut repo = Repo::default();
    let fallback = "pages are dated by `updated` and `date` in front matter";
    let where_ = git(
        root,
        &["rev-parse", "--is-shallow-repository", "--show-prefix"],
    );
    let (shallow, prefix) = match where_ {
        Ok(out) => {
            let mut lines = out.lines();
            let shallow = lines.next() == Some("true");
            (shallow, lines.next().unwrap_or("").to_string())
        }
        Err(Missing::Git) => {
            if dates {
                repo.note = Some(format!("last updated: git was not found, {fallback}"));
            }
            return repo;
        }
        Err(Missing::Repo) => {
            if dates {
                repo.note = Some(format!(
                    "last updated: the site is not in a git work tree, {fallback}"
                ));
            }
            return repo;
        }
    };
    repo.prefix = prefix;
    if !dates {
        return repo;
    }
    if shallow {
        repo.note = Some(format!(
            "last updated: the git clone is shallow (fetch the whole history, e.g. `fetch-depth: 0`), {fallback}"
        ));
        return repo;
    }
    let log = git(
        root,
        &[
            "log",
            "--format=%x01%cI",
            "--name-only",
            "-z",
            "--relative",
            "--no-renames",
            "--",
            "content",
        ],
    );
    match log {
        Ok(out) => repo.dates = last_dates(&out),
        Err(_) => {
            repo.note = Some(format!("last updated: `git log` failed, {fallback}"));
        }
    }
    repo
}

/// Why git could not answer.
enum Missing {
    Git,
    Repo,
}

/// Runs git in `root`; what it printed, when it succeeds.
fn git(root: &Path, args: &[&str]) -> Result<String, Missing> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|_| Missing::Git)?;
    if !out.status.success() {
        return Err(Missing::Repo);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The newest date of each file in `git log --format=%x01DATE --name-only
/// -z` output (newest commit first), by path under `content/`.
fn last_dates(log: &str) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let mut date = "";
    for field in log.split('\0') {
        let field = field.strip_prefix('\n').unwrap_or(field);
        if let Some(d) = field.strip_prefix('\u{1}') {
            date = d.trim();
        } else if let Some(rel) = field.strip_prefix("content/") {
            if !date.is_empty() && !dates.contains_key(rel) {
                dates.insert(rel.to_string(), date.to_string());
            }
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_each_file_dates_it() {
        let log = "\u{1}2024-05-02T10:00:00+02:00\0\ncontent/a.md\0content/b c.md\0\u{1}2024-01-01T00:00:00Z\0\ncontent/a.md\0content/d.md\0other.md\0";
        let dates = last_dates(log);
        assert_eq!(dates["a.md"], "2024-05-02T10:00:00+02:00");
        assert_eq!(dates["b c.md"], "2024-05-02T10:00:00+02:00");
        assert_eq!(dates["d.md"], "2024-01-01T00:00:00Z");
        assert_eq!(dates.len(), 3);
    }
}
