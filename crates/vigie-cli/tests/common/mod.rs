//! What the end-to-end tests of the `vigie` binary share: running it from the repository root
//! without colours or a data folder.

use std::path::PathBuf;
use std::process::Command;

/// The repository root (fixture paths are relative to it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `vigie ARGS` in the repository root: stdout, stderr, exit code.
pub fn vigie(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", "/nonexistent/vigie-data")
        .output()
        .expect("run vigie");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}
