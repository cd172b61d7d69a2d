//! Where packs live: `$VIGIE_DATA_DIR`, else `$XDG_DATA_HOME/vigie`, else `~/.local/share/vigie`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Vigie's data folder.
pub fn data_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("VIGIE_DATA_DIR")
        .or_else(|| env("XDG_DATA_HOME").map(|d| d.join("vigie")))
        .or_else(|| env("HOME").map(|h| h.join(".local/share/vigie")))
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
