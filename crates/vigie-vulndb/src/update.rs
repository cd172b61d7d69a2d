//! Fetching osv.dev's per-ecosystem exports (`{BASE}/{ecosystem}/all.zip`) and importing
//! them: each archive is downloaded whole to a `.part` file beside the index, renamed when
//! complete, imported in one transaction, then removed; a failed download leaves the index
//! as it was. Bases may be http(s):// addresses or file:// folders laid out the same way.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::params;

use crate::db::VulnDb;
use crate::error::DbError;
use crate::import::ImportReport;

/// Where osv.dev publishes its exports.
pub const DEFAULT_BASE: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// The largest archive accepted (osv.dev's largest per-ecosystem export is well under it).
const MAX_ARCHIVE: u64 = 8 << 30;

/// Told how a download goes; the CLI draws a bar with it. `()` ignores it.
pub trait Progress {
    /// A download starts; its length, when the server says it.
    fn start(&self, _url: &str, _length: Option<u64>) {}
    /// More bytes arrived.
    fn advance(&self, _bytes: u64) {}
    /// The download is complete (the import follows).
    fn done(&self) {}
}

impl Progress for () {}

/// The address of an ecosystem's export under a base.
pub fn export_url(base: &str, ecosystem: &str) -> String {
    format!(
        "{}/{}/all.zip",
        base.trim_end_matches('/'),
        encode_segment(ecosystem)
    )
}

/// Percent-encodes a path segment (ecosystem names hold spaces and colons: "Red Hat", "Debian:12").
fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl VulnDb {
    /// Downloads and imports the export of each ecosystem, in order; stops at the first that
    /// cannot be downloaded (those before it stay imported).
    pub fn update(
        &mut self,
        base: &str,
        ecosystems: &[String],
        progress: &dyn Progress,
    ) -> Result<Vec<ImportReport>, DbError> {
        let downloads = self.dir.join("downloads");
        std::fs::create_dir_all(&downloads).map_err(DbError::io(&downloads))?;
        let mut reports = Vec::new();
        for ecosystem in ecosystems {
            let url = export_url(base, ecosystem);
            let file = downloads.join(format!("{}.zip", encode_segment(ecosystem)));
            download(&url, &file, progress)?;
            let report = self.import_labelled(&file, &url);
            let _ = std::fs::remove_file(&file);
            let report = report?;
            self.conn
                .execute(
                    "INSERT INTO updates (ecosystem, url, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT(ecosystem) DO UPDATE SET url = ?2, updated_at = ?3",
                    params![
                        ecosystem,
                        url,
                        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ],
                )
                .map_err(self.sql("logging the update"))?;
            reports.push(report);
        }
        Ok(reports)
    }
}

/// Downloads `url` to `to` through `to.part`, renamed once complete.
fn download(url: &str, to: &Path, progress: &dyn Progress) -> Result<(), DbError> {
    let fail = |message: String| DbError::Download {
        url: url.to_owned(),
        message,
    };
    let part = PathBuf::from(format!("{}.part", to.display()));
    let (mut reader, length): (Box<dyn Read>, Option<u64>) =
        if let Some(path) = url.strip_prefix("file://") {
            let file = File::open(path).map_err(|e| fail(e.to_string()))?;
            let length = file.metadata().ok().map(|m| m.len());
            (Box::new(file), length)
        } else {
            let response = ureq::get(url).call().map_err(|e| fail(e.to_string()))?;
            let length = response
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok());
            let reader = response
                .into_body()
                .into_with_config()
                .limit(MAX_ARCHIVE)
                .reader();
            (Box::new(reader), length)
        };
    progress.start(url, length);
    let mut out = File::create(&part).map_err(DbError::io(&part))?;
    let mut buf = vec![0u8; 1 << 16];
    let copied: Result<(), DbError> = loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(fail(e.to_string())),
        };
        if let Err(e) = out.write_all(&buf[..n]) {
            break Err(DbError::io(&part)(e));
        }
        progress.advance(n as u64);
    };
    let synced = copied.and_then(|()| out.sync_all().map_err(DbError::io(&part)));
    drop(out);
    if let Err(e) = synced {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    progress.done();
    std::fs::rename(&part, to).map_err(DbError::io(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_addresses_encode_ecosystem_names() {
        assert_eq!(
            export_url("https://h/", "Red Hat"),
            "https://h/Red%20Hat/all.zip"
        );
        assert_eq!(
            export_url("https://h", "Debian:12"),
            "https://h/Debian:12/all.zip"
        );
        assert_eq!(
            export_url("https://h", "crates.io"),
            "https://h/crates.io/all.zip"
        );
    }
}
