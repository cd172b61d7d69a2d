//! Downloading, unpacking, checking and installing a rule pack.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use vigie_engine::{Mapping, Placeholders};
use vigie_hunt::{load_rules, RuleSources};

use crate::location::{info_file, pack_dir, PackInfo};

/// SigmaHQ's release archive of every rule.
pub const DEFAULT_URL: &str =
    "https://github.com/SigmaHQ/sigma/releases/latest/download/sigma_all_rules.zip";

/// The largest archive accepted, and the largest unpacked size.
const MAX_ARCHIVE: u64 = 256 << 20;
const MAX_UNPACKED: u64 = 1 << 30;

/// Why an update failed; the installed pack, if any, is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("cannot download {url}: {message}")]
    Download { url: String, message: String },
    #[error("{url} is not a readable zip archive: {message}")]
    Archive { url: String, message: String },
    #[error("the archive from {url} holds no Sigma rule that loads ({files} rule files, {errors} errors)")]
    NothingLoads {
        url: String,
        files: usize,
        errors: usize,
    },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What an update installed.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateReport {
    pub dir: PathBuf,
    pub info: PackInfo,
    /// The first load errors, `file:line: message`, for the user to see.
    pub sample_errors: Vec<String>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> UpdateError + '_ {
    move |source| UpdateError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Downloads the archive at `url` (http, https or a local `file://` path), unpacks its
/// `.yml` rules, checks that they load, and installs them under `data`.
pub fn update(url: &str, data: &Path) -> Result<UpdateReport, UpdateError> {
    let bytes = download(url)?;
    let staging = data.join("rules").join("sigmahq.new");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    let files = unpack(url, &bytes, &staging)?;
    let (set, issues) = load_rules(
        &RuleSources {
            paths: vec![staging.clone()],
            texts: Vec::new(),
        },
        Mapping::builtin(),
        Placeholders::new(),
    );
    let errors: Vec<String> = issues
        .iter()
        .filter(|i| i.is_error())
        .map(|i| i.to_string())
        .collect();
    if set.detection_count() == 0 {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(UpdateError::NothingLoads {
            url: url.to_owned(),
            files,
            errors: errors.len(),
        });
    }
    let dir = pack_dir(data);
    let old = data.join("rules").join("sigmahq.old");
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    if dir.exists() {
        std::fs::rename(&dir, &old).map_err(io(&dir))?;
    }
    std::fs::rename(&staging, &dir).map_err(io(&dir))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    let info = PackInfo {
        url: url.to_owned(),
        installed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        bytes: bytes.len() as u64,
        files,
        rules_loaded: set.detection_count(),
        errors: errors.len(),
    };
    let info_path = info_file(data);
    let text = serde_json::to_string_pretty(&info).unwrap_or_default();
    std::fs::write(&info_path, text).map_err(io(&info_path))?;
    Ok(UpdateReport {
        dir,
        info,
        sample_errors: errors.into_iter().take(10).collect(),
    })
}

fn download(url: &str) -> Result<Vec<u8>, UpdateError> {
    let fail = |message: String| UpdateError::Download {
        url: url.to_owned(),
        message,
    };
    if let Some(path) = url.strip_prefix("file://") {
        return std::fs::read(path).map_err(|e| fail(e.to_string()));
    }
    let mut response = ureq::get(url).call().map_err(|e| fail(e.to_string()))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_ARCHIVE)
        .read_to_vec()
        .map_err(|e| fail(e.to_string()))
}

/// Writes the archive's `.yml` / `.yaml` members under `into`; returns how many.
fn unpack(url: &str, bytes: &[u8], into: &Path) -> Result<usize, UpdateError> {
    let bad = |message: String| UpdateError::Archive {
        url: url.to_owned(),
        message,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut files = 0;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).map_err(|e| bad(e.to_string()))?;
        // Names that would leave the folder (`../`, absolute) are skipped.
        let Some(name) = member.enclosed_name() else {
            continue;
        };
        let is_rule = name
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
        if member.is_dir() || !is_rule {
            continue;
        }
        let mut text = Vec::new();
        (&mut member)
            .take(MAX_UNPACKED.saturating_sub(total))
            .read_to_end(&mut text)
            .map_err(|e| bad(e.to_string()))?;
        total += text.len() as u64;
        if total >= MAX_UNPACKED {
            return Err(bad("the unpacked rules exceed 1 GiB".into()));
        }
        let path = into.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
        files += 1;
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn archive(members: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, text) in members {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("start");
            w.write_all(text.as_bytes()).expect("write");
        }
        w.finish().expect("finish");
        buf.into_inner()
    }

    const RULE: &str = "title: T\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n    Image|endswith: '\\x.exe'\n  condition: sel\n";

    #[test]
    fn installs_only_what_loads_and_keeps_the_old_pack_on_failure() {
        let dir = tempfile::tempdir().expect("tempdir");
        let good = dir.path().join("good.zip");
        std::fs::write(
            &good,
            archive(&[
                ("rules/a.yml", RULE),
                ("rules/b.yml", "title: [broken"),
                ("README.md", "x"),
                ("../evil.yml", RULE),
            ]),
        )
        .expect("write");
        let data = dir.path().join("data");
        let url = format!("file://{}", good.display());
        let report = update(&url, &data).expect("update");
        assert_eq!(
            (
                report.info.files,
                report.info.rules_loaded,
                report.info.errors
            ),
            (2, 1, 1)
        );
        assert!(report.dir.join("rules/a.yml").is_file());
        assert!(!dir.path().join("evil.yml").exists());

        let empty = dir.path().join("empty.zip");
        std::fs::write(&empty, archive(&[("rules/b.yml", "title: [broken")])).expect("write");
        let err = update(&format!("file://{}", empty.display()), &data).expect_err("nothing loads");
        assert!(matches!(err, UpdateError::NothingLoads { .. }), "{err}");
        assert!(
            report.dir.join("rules/a.yml").is_file(),
            "the previous pack is kept"
        );
        let not_zip = dir.path().join("x.zip");
        std::fs::write(&not_zip, "not a zip").expect("write");
        assert!(matches!(
            update(&format!("file://{}", not_zip.display()), &data),
            Err(UpdateError::Archive { .. })
        ));
    }
}
