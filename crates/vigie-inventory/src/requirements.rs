//! `requirements.txt` (PyPI): only pinned `name==version` lines (extras, environment markers,
//! `--hash` options and comments allowed); ranges, URLs, `-r`/`-e` lines are not pins and are
//! skipped. Names are normalised as PEP 503 says (lower case, `-_.` runs to `-`).

use std::path::Path;

use crate::{InventoryError, Package};

/// PEP 503 name normalisation.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        // A comment starts at `#` at the line start or after whitespace.
        let line = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(k) => &raw[..k],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        };
        let line = line.trim().trim_end_matches('\\').trim();
        if line.is_empty() || line.starts_with('-') {
            continue;
        }
        let spec = line.split(';').next().unwrap_or("").trim();
        let spec = spec.split(" --").next().unwrap_or("").trim();
        let Some((name, version)) = spec.split_once("==") else {
            continue;
        };
        let name = name.split('[').next().unwrap_or("").trim();
        let version = version.trim();
        if version.starts_with('=') || version.contains(',') || version.ends_with(".*") {
            // `===` arbitrary equality, `==1.0,<2` or the prefix match `==1.*`: not a pin.
            continue;
        }
        if !is_name(name) || version.is_empty() || version.contains(char::is_whitespace) {
            return Err(InventoryError::line(
                path,
                i + 1,
                format!("not a `name==version` pin: {line:?}"),
            ));
        }
        out.push(Package::new("PyPI", &normalize_name(name), version, path));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_lines_only() {
        let text = "# deps\n-r base.txt\nDjango==4.2.7  # web\nrequests>=2\nzope.interface[test]==6.1 ; python_version >= \"3.8\"\nurllib3==2.0.7 \\\n    --hash=sha256:ab\n-e .\nfoo===1.0\nbar==1.*\n";
        let pkgs = parse(text, Path::new("requirements.txt")).expect("parse");
        let got: Vec<(&str, &str)> = pkgs
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("django", "4.2.7"),
                ("zope-interface", "6.1"),
                ("urllib3", "2.0.7")
            ]
        );
    }

    #[test]
    fn broken_pin() {
        let e = parse("ok==1\nbad name==1.0\n", Path::new("r.txt")).expect_err("bad");
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
