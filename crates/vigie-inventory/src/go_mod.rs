//! `go.mod` (Go): the modules of `require` lines and blocks, versions without the leading `v`
//! (as OSV writes Go versions); `// indirect` requirements count too.

use std::path::Path;

use crate::{InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let spec = if in_block {
            if line == ")" {
                in_block = false;
                continue;
            }
            line
        } else if let Some(rest) = line
            .strip_prefix("require")
            .filter(|r| r.starts_with([' ', '\t', '(']))
        {
            let rest = rest.trim();
            if rest == "(" {
                in_block = true;
                continue;
            }
            rest
        } else {
            continue;
        };
        let mut words = spec.split_whitespace();
        let (Some(module), Some(version), None) = (words.next(), words.next(), words.next()) else {
            return Err(InventoryError::line(
                path,
                i + 1,
                format!("expected `module version`: {line:?}"),
            ));
        };
        let Some(version) = version.strip_prefix('v') else {
            return Err(InventoryError::line(
                path,
                i + 1,
                format!("version does not start with `v`: {version:?}"),
            ));
        };
        out.push(Package::new("Go", module.trim_matches('"'), version, path));
    }
    if in_block {
        return Err(InventoryError::format(path, "unclosed `require (` block"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_lines_and_blocks() {
        let text = "module example.com/m\n\ngo 1.21\n\nrequire golang.org/x/text v0.14.0\n\nrequire (\n\tgithub.com/a/b v1.2.3 // indirect\n\tgithub.com/c/d v0.0.0-20230101000000-abcdef123456\n)\n\nreplace github.com/a/b => ../b\n";
        let pkgs = parse(text, Path::new("go.mod")).expect("parse");
        let got: Vec<(&str, &str)> = pkgs
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("golang.org/x/text", "0.14.0"),
                ("github.com/a/b", "1.2.3"),
                ("github.com/c/d", "0.0.0-20230101000000-abcdef123456")
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("require (\n a v1\n", Path::new("go.mod")).is_err());
        assert!(parse("require a 1.0\n", Path::new("go.mod")).is_err());
    }
}
