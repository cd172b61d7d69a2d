//! `yarn.lock` (npm): classic v1 files (`name@range, name@range:` entries with an indented
//! `version "x"` line) and Berry (v2+) files (YAML with `__metadata`; entries resolved
//! `name@npm:version`; workspace, patch, link and other protocols are not registry packages).

use std::path::Path;

use yaml_rust2::Yaml;

use crate::{InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let berry = text
        .lines()
        .any(|l| l.trim_end() == "__metadata:" || l.starts_with("__metadata:"));
    if berry {
        parse_berry(text, path)
    } else {
        parse_v1(text, path)
    }
}

/// The package name of a specifier `name@range` (`@scope/name@range` keeps its scope).
fn spec_name(spec: &str) -> Option<&str> {
    let spec = spec.trim().trim_matches('"');
    let at = spec.get(1..)?.find('@')? + 1;
    Some(&spec[..at])
}

fn parse_v1(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            if let Some((name, at)) = current.take() {
                return Err(InventoryError::line(
                    path,
                    at,
                    format!("entry {name:?} has no version line"),
                ));
            }
            let Some(head) = line.strip_suffix(':') else {
                return Err(InventoryError::line(
                    path,
                    n,
                    "an entry must be `name@range[, name@range]:`",
                ));
            };
            let first = head.split(',').next().unwrap_or(head);
            let Some(name) = spec_name(first) else {
                return Err(InventoryError::line(
                    path,
                    n,
                    format!("{first:?} is not a `name@range` specifier"),
                ));
            };
            current = Some((name.to_owned(), n));
            continue;
        }
        if let Some(v) = line.trim().strip_prefix("version ") {
            if let Some((name, _)) = current.take() {
                out.push(Package::new("npm", &name, v.trim().trim_matches('"'), path));
            }
        }
    }
    if let Some((name, at)) = current {
        return Err(InventoryError::line(
            path,
            at,
            format!("entry {name:?} has no version line"),
        ));
    }
    Ok(out)
}

fn parse_berry(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let doc = crate::yaml::load(text, path)?;
    let Yaml::Hash(entries) = &doc else {
        return Err(InventoryError::format(
            path,
            "a yarn.lock must be a YAML map",
        ));
    };
    let mut out = Vec::new();
    for (key, entry) in entries {
        if key.as_str() == Some("__metadata") {
            continue;
        }
        let Some(resolution) = entry["resolution"].as_str() else {
            continue;
        };
        let Some(at) = resolution.get(1..).and_then(|r| r.find("@npm:")) else {
            continue;
        };
        let (name, version) = (&resolution[..at + 1], &resolution[at + 6..]);
        if !version.is_empty() && !version.contains(':') {
            out.push(Package::new("npm", name, version, path));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(text: &str) -> Vec<(String, String)> {
        crate::test_pairs(parse(text, Path::new("yarn.lock")))
    }

    use crate::test_pair as pair;

    #[test]
    fn classic() {
        let text = "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  resolved \"https://registry.yarnpkg.com/x\"\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\nlodash@^4.17.20:\n  version \"4.17.20\"\n";
        assert_eq!(
            got(text),
            [
                pair("@babel/code-frame", "7.12.13"),
                pair("lodash", "4.17.20")
            ]
        );
        let e = parse(
            "lodash@^4.17.20:\n  resolved \"x\"\n",
            Path::new("yarn.lock"),
        )
        .expect_err("no version");
        assert_eq!(
            e.to_string(),
            "yarn.lock: line 1: entry \"lodash\" has no version line"
        );
        let e = parse("lodash 4.17.20\n", Path::new("yarn.lock")).expect_err("not an entry");
        assert!(e.to_string().starts_with("yarn.lock: line 1: "), "{e}");
    }

    #[test]
    fn berry() {
        let text = "__metadata:\n  version: 6\n  cacheKey: 8\n\n\"@babel/core@npm:^7.22.0\":\n  version: 7.22.0\n  resolution: \"@babel/core@npm:7.22.0\"\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n\"lodash@npm:^4.17.20, lodash@npm:^4.17.21\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n";
        assert_eq!(
            got(text),
            [pair("@babel/core", "7.22.0"), pair("lodash", "4.17.21")]
        );
        let e = parse("__metadata:\n  version: [\n", Path::new("yarn.lock")).expect_err("yaml");
        assert!(e.to_string().contains("invalid YAML"), "{e}");
    }
}
