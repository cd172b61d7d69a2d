//! Where the unit tests find the shared corpus (`VIGIE_CORPUS`, by default next to the
//! repository), saying loudly when a test is skipped for want of it.

use std::path::PathBuf;

/// The corpus folder `sub`, or `None` after saying that `test` was skipped.
pub(crate) fn corpus_dir(test: &str, sub: &str) -> Option<PathBuf> {
    let corpus = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    let dir = corpus.join(sub);
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED {test}: corpus not found at {} (set VIGIE_CORPUS)",
            corpus.display()
        );
        return None;
    }
    Some(dir)
}
