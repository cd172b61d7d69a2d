//! Shared helpers of the CLI tests: the repository root, and running the built `vigie` there
//! without colours or a user data folder.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `vigie` from the repository root: (stdout, stderr, exit code).
pub fn vigie(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", root().join("target/no-such-vigie-data"))
        .env("VIGIE_CACHE_DIR", root().join("target/vigie-test-cache"))
        .output()
        .expect("run vigie");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}
