//! `Gemfile.lock` (RubyGems): the `specs:` of the `GEM` section, `    name (version)` lines
//! (four spaces; six-space lines are their dependencies). A platform suffix
//! (`1.15.5-x86_64-linux`) is kept as Bundler wrote it.

use std::path::Path;

use crate::{InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let mut out = Vec::new();
    let mut section = "";
    let mut in_specs = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            section = line.trim();
            in_specs = false;
            continue;
        }
        if section != "GEM" {
            continue;
        }
        if line.trim() == "specs:" {
            in_specs = true;
            continue;
        }
        if !in_specs || !line.starts_with("    ") || line.starts_with("     ") {
            continue;
        }
        let spec = line.trim();
        let parsed = spec.split_once(" (").and_then(|(n, rest)| {
            let v = rest.strip_suffix(')')?;
            (!n.is_empty() && !v.is_empty() && !n.contains(' ')).then_some((n, v))
        });
        let Some((name, version)) = parsed else {
            return Err(InventoryError::line(
                path,
                i + 1,
                format!("expected `name (version)`: {spec:?}"),
            ));
        };
        out.push(Package::new("RubyGems", name, version, path));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gem_specs() {
        let text = "GIT\n  remote: https://x\n  specs:\n    mine (0.1)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    actionpack (7.0.8)\n      rack (~> 2.0)\n    rack (2.2.8)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  actionpack\n";
        let pkgs = parse(text, Path::new("Gemfile.lock")).expect("parse");
        let got: Vec<(&str, &str)> = pkgs
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(got, [("actionpack", "7.0.8"), ("rack", "2.2.8")]);
        assert!(parse("GEM\n  specs:\n    broken\n", Path::new("Gemfile.lock")).is_err());
    }
}
