//! `Cargo.lock` (crates.io): the `[[package]]` tables that come from a registry or git; the
//! workspace's own and path crates (no `source`) are not published packages and are left out.

use std::path::Path;

use serde::Deserialize;

use crate::{InventoryError, Package};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    source: Option<String>,
}

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let lock: Lock = toml::from_str(text).map_err(|e| InventoryError::toml(text, path, e))?;
    Ok(lock
        .package
        .into_iter()
        .filter(|e| e.source.is_some())
        .map(|e| Package::new("crates.io", &e.name, &e.version, path))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_packages_only() {
        let text = "version = 4\n\n[[package]]\nname = \"me\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"ab\"\n";
        let pkgs = parse(text, Path::new("Cargo.lock")).expect("parse");
        assert_eq!(pkgs.len(), 1);
        assert_eq!(
            (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
            ("serde", "1.0.200")
        );
    }

    #[test]
    fn malformed() {
        let e =
            parse("[[package]]\nname = \"x\"\n", Path::new("Cargo.lock")).expect_err("no version");
        assert!(matches!(e, InventoryError::Toml { .. }), "{e}");
        assert!(parse("[[package]\n", Path::new("Cargo.lock")).is_err());
    }
}
