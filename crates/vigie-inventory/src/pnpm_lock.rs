//! `pnpm-lock.yaml` (npm): the keys of `packages`: `/name/version` (lockfile 5.x),
//! `/name@version` (6.x) or `name@version` (9.x), peer-dependency suffixes `(…)` and `_…`
//! dropped; entries that are not registry versions (links, tarballs, Git) skipped.

use std::path::Path;

use yaml_rust2::Yaml;

use crate::{InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let doc = crate::yaml::load(text, path)?;
    let version = match &doc["lockfileVersion"] {
        Yaml::Real(v) | Yaml::String(v) => v.clone(),
        Yaml::Integer(i) => i.to_string(),
        _ => {
            return Err(InventoryError::format(
                path,
                "not a pnpm lockfile: no lockfileVersion",
            ))
        }
    };
    let slash_format = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .is_some_and(|m| m < 6);
    let mut out = Vec::new();
    if let Yaml::Hash(packages) = &doc["packages"] {
        for key in packages.keys().filter_map(Yaml::as_str) {
            if let Some((name, v)) = name_version(key, slash_format) {
                out.push(Package::new("npm", name, v, path));
            }
        }
    }
    Ok(out)
}

/// The name and version of a `packages` key.
fn name_version(key: &str, slash_format: bool) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    let (name, version) = if slash_format {
        let at = key.rfind('/')?;
        (&key[..at], &key[at + 1..])
    } else {
        let at = key.get(1..)?.find('@')? + 1;
        (&key[..at], &key[at + 1..])
    };
    let version = version.split('_').next().unwrap_or(version);
    let registry = !name.is_empty()
        && version.starts_with(|c: char| c.is_ascii_digit())
        && !version.contains(':')
        && !version.contains('/');
    registry.then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(text: &str) -> Vec<(String, String)> {
        crate::test_pairs(parse(text, Path::new("pnpm-lock.yaml")))
    }

    use crate::test_pair as pair;

    #[test]
    fn lockfile_versions() {
        let v5 = "lockfileVersion: 5.4\npackages:\n  /lodash/4.17.20:\n    resolution: {integrity: x}\n  /@babel/core/7.22.0_supports-color@5.5.0:\n    dev: true\n";
        assert_eq!(
            got(v5),
            [pair("lodash", "4.17.20"), pair("@babel/core", "7.22.0")]
        );
        let v6 = "lockfileVersion: '6.0'\npackages:\n  /lodash@4.17.20:\n    resolution: {integrity: x}\n  /@babel/core@7.22.0(supports-color@5.5.0):\n    dev: true\n  /mylib@file:../mylib:\n    dev: false\n";
        assert_eq!(
            got(v6),
            [pair("lodash", "4.17.20"), pair("@babel/core", "7.22.0")]
        );
        let v9 = "lockfileVersion: '9.0'\npackages:\n  '@babel/core@7.22.0':\n    resolution: {integrity: x}\n  minimist@1.2.5:\n    resolution: {integrity: y}\n";
        assert_eq!(
            got(v9),
            [pair("@babel/core", "7.22.0"), pair("minimist", "1.2.5")]
        );
        let e = parse("packages: {}\n", Path::new("pnpm-lock.yaml")).expect_err("no version");
        assert!(e.to_string().contains("no lockfileVersion"), "{e}");
        let e = parse("lockfileVersion: [\n", Path::new("pnpm-lock.yaml")).expect_err("yaml");
        assert!(e.to_string().contains("invalid YAML"), "{e}");
    }
}
