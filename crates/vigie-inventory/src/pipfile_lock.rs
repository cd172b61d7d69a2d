//! `Pipfile.lock` (PyPI): the `default` and `develop` sections' pinned `==` versions (entries
//! without a version, such as Git or editable ones, are not packages of the index).

use std::path::Path;

use serde_json::Value;

use crate::{requirements::normalize_name, InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let doc: Value = serde_json::from_str(text).map_err(|source| InventoryError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    if doc.get("_meta").is_none() {
        return Err(InventoryError::format(
            path,
            "not a Pipfile.lock: no \"_meta\" section",
        ));
    }
    let mut out = Vec::new();
    for section in ["default", "develop"] {
        let Some(entries) = doc.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (name, entry) in entries {
            let version = entry.get("version").and_then(Value::as_str);
            match version.map(|v| v.trim_start_matches('=').trim()) {
                Some(v) if !v.is_empty() => {
                    out.push(Package::new("PyPI", &normalize_name(name), v, path))
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_develop() {
        let text = r#"{"_meta": {"hash": {"sha256": "x"}, "pipfile-spec": 6},
          "default": {"Jinja2": {"hashes": [], "version": "==2.10.1"},
                      "mylib": {"git": "https://example.invalid/mylib.git", "ref": "abc"}},
          "develop": {"pytest": {"version": "==7.4.0"}}}"#;
        let p = parse(text, Path::new("Pipfile.lock")).expect("parse");
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(got, [("jinja2", "2.10.1"), ("pytest", "7.4.0")]);
        assert!(parse("{\"default\": {}}", Path::new("Pipfile.lock")).is_err());
        assert!(parse("{", Path::new("Pipfile.lock")).is_err());
    }
}
