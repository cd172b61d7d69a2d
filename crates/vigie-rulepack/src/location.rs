//! Where packs live: `$VIGIE_DATA_DIR`, else `$XDG_DATA_HOME/vigie`, else `~/.local/share/vigie`;
//! and where parsed rules are cached: `$VIGIE_CACHE_DIR`, else `$XDG_CACHE_HOME/vigie`, else
//! `~/.cache/vigie`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Vigie's data folder.
pub fn data_dir() -> Option<PathBuf> {
    env("VIGIE_DATA_DIR")
        .or_else(|| env("XDG_DATA_HOME").map(|d| d.join("vigie")))
        .or_else(|| env("HOME").map(|h| h.join(".local/share/vigie")))
}

/// Vigie's cache folder: what it keeps only to go faster, and may lose.
pub fn cache_dir() -> Option<PathBuf> {
    env("VIGIE_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("vigie")))
        .or_else(|| env("HOME").map(|h| h.join(".cache/vigie")))
}

fn env(key: &str) -> Option<PathBuf> {
    std::env::var_os(key)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// What was installed, from where and when.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PackInfo {
    pub url: String,
    pub installed_at: String,
    pub bytes: u64,
    pub files: usize,
    pub rules_loaded: usize,
    pub errors: usize,
}

pub(crate) fn pack_dir(data: &Path) -> PathBuf {
    data.join("rules").join("sigmahq")
}

pub(crate) fn info_file(data: &Path) -> PathBuf {
    data.join("rules").join("sigmahq.json")
}

/// The installed SigmaHQ pack (its folder and what is known of it), if any.
pub fn installed_pack(data: &Path) -> Option<(PathBuf, Option<PackInfo>)> {
    let dir = pack_dir(data);
    if !dir.is_dir() {
        return None;
    }
    let info = std::fs::read_to_string(info_file(data))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    Some((dir, info))
}
