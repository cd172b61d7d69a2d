//! `uv.lock` (PyPI): the `[[package]]` tables with a version that come from a registry (the
//! project itself, `editable` or `virtual`, and Git or path sources are not packages of the
//! index).

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
    version: Option<String>,
    source: Option<toml::Table>,
}

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let lock: Lock = toml::from_str(text).map_err(|e| InventoryError::toml(text, path, e))?;
    Ok(lock
        .package
        .into_iter()
        .filter(|e| e.source.as_ref().is_none_or(|s| s.contains_key("registry")))
        .filter_map(|e| {
            let v = e.version?;
            Some(Package::new("PyPI", &normalize_name(&e.name), &v, path))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_packages_only() {
        let text = r#"version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "Jinja2"
version = "2.10.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "from-git"
version = "1.0.0"
source = { git = "https://example.invalid/x.git?rev=abc#abc" }
"#;
        let p = parse(text, Path::new("uv.lock")).expect("parse");
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(got, [("jinja2", "2.10.1")]);
        let e = parse("[[package]]\nversion = \"1\"\n", Path::new("uv.lock")).expect_err("no name");
        assert!(
            e.to_string().starts_with("uv.lock: line 1: invalid TOML"),
            "{e}"
        );
    }
}
