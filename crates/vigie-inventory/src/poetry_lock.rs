//! `poetry.lock` (PyPI): the `[[package]]` tables' name and version.

use std::path::Path;

use serde::Deserialize;

use crate::{requirements::normalize_name, InventoryError, Package};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
}

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let lock: Lock = toml::from_str(text).map_err(|e| InventoryError::toml(text, path, e))?;
    Ok(lock
        .package
        .into_iter()
        .map(|e| Package::new("PyPI", &normalize_name(&e.name), &e.version, path))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages() {
        let text = "[[package]]\nname = \"Jinja2\"\nversion = \"3.1.2\"\noptional = false\n\n[package.dependencies]\nMarkupSafe = \">=2.0\"\n\n[metadata]\nlock-version = \"2.0\"\n";
        let pkgs = parse(text, Path::new("poetry.lock")).expect("parse");
        assert_eq!(pkgs.len(), 1);
        assert_eq!(
            (pkgs[0].name.as_str(), pkgs[0].version.as_str()),
            ("jinja2", "3.1.2")
        );
        assert!(parse("[[package]]\nname = 3\n", Path::new("poetry.lock")).is_err());
    }
}
