//! `composer.lock` (Packagist): `packages` and `packages-dev`, each `name` and `version`; a
//! leading `v` before a digit (`v5.4.0`, as tags are often named) is dropped, as Packagist
//! advisories write versions without it.

use std::path::Path;

use serde::Deserialize;

use crate::{InventoryError, Package};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Vec<Entry>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
}

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let lock: Lock = serde_json::from_str(text).map_err(|source| InventoryError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(lock
        .packages
        .iter()
        .chain(&lock.packages_dev)
        .map(|e| {
            let v = match e.version.strip_prefix('v') {
                Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
                _ => &e.version,
            };
            Package::new("Packagist", &e.name, v, path)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_dev() {
        let text = r#"{"packages": [{"name": "symfony/http-kernel", "version": "v5.4.20"}],
            "packages-dev": [{"name": "phpunit/phpunit", "version": "9.6.13"}]}"#;
        let pkgs = parse(text, Path::new("composer.lock")).expect("parse");
        assert_eq!(pkgs[0].version, "5.4.20");
        assert_eq!(pkgs[1].name, "phpunit/phpunit");
        assert!(parse(r#"{"packages": [{"name": 1}]}"#, Path::new("composer.lock")).is_err());
    }
}
