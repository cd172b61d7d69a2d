//! `package-lock.json` (npm), lockfileVersion 1 (nested `dependencies`), 2 and 3 (`packages`
//! keyed by `node_modules/...` paths; version 2 carries both, `packages` is read). The root
//! project (key `""`) and links to local folders are left out; each (name, version) once.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value};

use crate::{InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let doc: Value = serde_json::from_str(text).map_err(|source| InventoryError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    let obj = doc
        .as_object()
        .ok_or_else(|| InventoryError::format(path, "not a JSON object"))?;
    let version = obj.get("lockfileVersion").and_then(Value::as_u64);
    let mut found = Vec::new();
    match (version, obj.get("packages"), obj.get("dependencies")) {
        (Some(2 | 3), Some(Value::Object(pkgs)), _) => from_packages(pkgs, path, &mut found)?,
        (Some(2 | 3), Some(_), _) => {
            return Err(InventoryError::format(path, "`packages` is not an object"))
        }
        // v1, or a v2 without `packages`: the v1-style `dependencies`.
        (Some(1 | 2) | None, None, Some(Value::Object(deps))) => {
            from_dependencies(deps, path, &mut found)?
        }
        (Some(1 | 2) | None, None, Some(_)) => {
            return Err(InventoryError::format(
                path,
                "`dependencies` is not an object",
            ))
        }
        (Some(1..=3) | None, None, None) => {}
        (None | Some(1), Some(_), _) => {
            return Err(InventoryError::format(
                path,
                "`packages` in a lockfile of version 1",
            ))
        }
        (Some(3), None, Some(_)) => {
            return Err(InventoryError::format(
                path,
                "lockfileVersion 3 without `packages`",
            ))
        }
        (Some(v), _, _) => {
            return Err(InventoryError::format(
                path,
                format!("unsupported lockfileVersion {v}"),
            ))
        }
    }
    let mut seen = BTreeSet::new();
    Ok(found
        .into_iter()
        .filter(|(n, v)| seen.insert((n.clone(), v.clone())))
        .map(|(n, v)| Package::new("npm", &n, &v, path))
        .collect())
}

fn str_field<'a>(entry: &'a Value, key: &str) -> Option<&'a str> {
    entry.get(key).and_then(Value::as_str)
}

/// v2 / v3: `"node_modules/@scope/a/node_modules/b": {"version": ...}`.
fn from_packages(
    pkgs: &Map<String, Value>,
    path: &Path,
    out: &mut Vec<(String, String)>,
) -> Result<(), InventoryError> {
    for (key, entry) in pkgs {
        if key.is_empty() || !entry.is_object() {
            continue;
        }
        if entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        // Only installed packages live under node_modules; other keys are workspace folders.
        let Some(k) = key.rfind("node_modules/") else {
            continue;
        };
        let name = str_field(entry, "name").unwrap_or(&key[k + "node_modules/".len()..]);
        let Some(version) = str_field(entry, "version") else {
            return Err(InventoryError::format(
                path,
                format!("package {key:?} has no version"),
            ));
        };
        out.push((name.to_owned(), version.to_owned()));
    }
    Ok(())
}

/// v1: `"dependencies": {"a": {"version": ..., "dependencies": {...}}}`, nested.
fn from_dependencies(
    deps: &Map<String, Value>,
    path: &Path,
    out: &mut Vec<(String, String)>,
) -> Result<(), InventoryError> {
    let mut stack: Vec<(&Map<String, Value>, usize)> = vec![(deps, 0)];
    while let Some((deps, depth)) = stack.pop() {
        if depth > 256 {
            return Err(InventoryError::format(
                path,
                "dependencies nested too deeply",
            ));
        }
        for (name, entry) in deps {
            let Some(version) = str_field(entry, "version") else {
                return Err(InventoryError::format(
                    path,
                    format!("dependency {name:?} has no version"),
                ));
            };
            // Local folders (`file:`) and links are not registry packages.
            if !version.starts_with("file:") && !version.starts_with("link:") {
                // An alias (`npm:real@1.0.0`) names the real package.
                let (n, v) = match version
                    .strip_prefix("npm:")
                    .and_then(|a| a.rsplit_once('@'))
                {
                    Some((n, v)) if !n.is_empty() => (n, v),
                    _ => (name.as_str(), version),
                };
                out.push((n.to_owned(), v.to_owned()));
            }
            if let Some(Value::Object(nested)) = entry.get("dependencies") {
                stack.push((nested, depth + 1));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        parse(text, Path::new("package-lock.json"))
            .expect("parse")
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect()
    }

    #[test]
    fn v1_nested() {
        let text = r#"{"lockfileVersion": 1, "dependencies": {
            "a": {"version": "1.0.0", "dependencies": {"b": {"version": "2.0.0"}}},
            "b": {"version": "3.0.0"}, "local": {"version": "file:../x"},
            "c": {"version": "npm:@s/real@4.0.0"}}}"#;
        let mut got = names(text);
        got.sort();
        assert_eq!(got, ["@s/real@4.0.0", "a@1.0.0", "b@2.0.0", "b@3.0.0"]);
    }

    #[test]
    fn v2_v3_packages() {
        let text = r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "app", "version": "1.0.0"},
            "node_modules/@scope/a": {"version": "1.0.0"},
            "node_modules/@scope/a/node_modules/b": {"version": "2.0.0"},
            "node_modules/lib": {"resolved": "packages/lib", "link": true},
            "packages/lib": {"version": "0.0.1"},
            "node_modules/alias": {"name": "real", "version": "5.0.0"}}}"#;
        assert_eq!(names(text), ["@scope/a@1.0.0", "b@2.0.0", "real@5.0.0"]);
        let v2 = text.replace("\"lockfileVersion\": 3", "\"lockfileVersion\": 2");
        assert_eq!(names(&v2).len(), 3);
        let v2_deps = r#"{"lockfileVersion": 2, "dependencies": {"a": {"version": "1.0.0"}}}"#;
        assert_eq!(names(v2_deps), ["a@1.0.0"]);
    }

    #[test]
    fn malformed() {
        let p = Path::new("package-lock.json");
        assert!(matches!(parse("{", p), Err(InventoryError::Json { .. })));
        assert!(parse("[]", p).is_err());
        assert!(parse(r#"{"lockfileVersion": 9}"#, p).is_err());
        assert!(parse(
            r#"{"lockfileVersion": 3, "packages": {"node_modules/a": {}}}"#,
            p
        )
        .is_err());
    }
}
