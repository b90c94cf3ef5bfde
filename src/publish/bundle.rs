//! `versus build --bundle FILE.zip`: the built site as one zip file that a
//! reader unpacks and opens offline (`index.html`, which works from disk).
//!
//! The zip is reproducible: entries sorted by path, every timestamp the
//! zip epoch (1980-01-01 00:00), fixed permissions. Entries sit in one
//! folder named after the zip (`site.zip` holds `site/index.html`), so
//! unpacking never scatters files. The zip is written next to its final
//! path and renamed into place, so a failed write leaves no half file.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::report::error::{Error, IoContext, Result};

/// Files already compressed: stored as they are.
const STORED: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "woff", "woff2", "zip", "gz", "br", "zst", "mp4",
    "webm", "mp3", "ogg", "pdf",
];

/// Zips the folder `site` into `zip`; returns the number of files.
pub fn write_zip(site: &Path, zip: &Path) -> Result<usize> {
    let site_abs = std::fs::canonicalize(site).at(site)?;
    let zip_abs = absolute(zip)?;
    if zip_abs.starts_with(&site_abs) {
        return Err(Error::Usage(format!(
            "refusing to write the bundle {} inside the output folder {}: choose a path outside it",
            zip.display(),
            site.display()
        )));
    }
    if zip_abs.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder: --bundle takes a file name such as site.zip",
            zip.display()
        )));
    }
    let folder = zip_abs
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "site".into());

    let files = site_files(&site_abs)?;
    let parent = zip_abs.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).at(parent)?;
    let tmp = parent.join(format!(
        ".{}.versus-tmp-{}",
        zip_abs
            .file_name()
            .map_or("bundle".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let result = write_entries(&tmp, &folder, &files);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &zip_abs).at(&zip_abs)?;
    Ok(files.len())
}

fn write_entries(tmp: &Path, folder: &str, files: &[(String, PathBuf)]) -> Result<()> {
    let file = File::create(tmp).at(tmp)?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let zip_err = |e: zip::result::ZipError| Error::io(tmp, std::io::Error::other(e));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (rel, abs) in files {
        let ext = rel
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        let options = if STORED.contains(&ext.as_str()) {
            base.compression_method(CompressionMethod::Stored)
        } else {
            base.compression_method(CompressionMethod::Deflated)
        };
        zip.start_file(format!("{folder}/{rel}"), options)
            .map_err(zip_err)?;
        let bytes = std::fs::read(abs).at(abs)?;
        zip.write_all(&bytes).at(tmp)?;
    }
    let mut out = zip.finish().map_err(zip_err)?;
    out.flush().at(tmp)?;
    out.get_ref().sync_all().at(tmp)?;
    Ok(())
}

/// Every file under `site` except versus's own marker, as (`/`-separated
/// path, absolute path), sorted by path.
fn site_files(site: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(site).follow_links(true) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(site).to_path_buf();
            Error::io(&path, std::io::Error::other(e))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(site)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel == crate::output::MARKER {
            continue;
        }
        files.push((rel, entry.path().to_path_buf()));
    }
    files.sort();
    Ok(files)
}

/// `p` made absolute, with its folder resolved through symlinks when it
/// exists (the file itself usually does not yet).
fn absolute(p: &Path) -> Result<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().at(Path::new("."))?.join(p)
    };
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Ok(abs);
    };
    Ok(match std::fs::canonicalize(parent) {
        Ok(dir) => dir.join(name),
        Err(_) => abs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_zip_inside_the_site() {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = dir.path().join("public");
        std::fs::create_dir_all(site.join("sub")).expect("mkdir");
        std::fs::write(site.join("index.html"), "x").expect("write");
        for inside in [site.join("a.zip"), site.join("sub/../b.zip")] {
            let err = write_zip(&site, &inside).err().map(|e| e.to_string());
            assert!(err.is_some_and(|e| e.contains("inside the output folder")));
        }
        assert_eq!(write_zip(&site, &dir.path().join("out.zip")).ok(), Some(1));
    }
}
