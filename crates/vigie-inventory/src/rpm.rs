//! `rpm -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\n'` query output: one
//! `name epoch:version-release` per line (the epoch is kept, as OSV Red Hat versions carry it).

use std::path::Path;

use crate::{InventoryError, Package};

/// Parses query output; blank lines and `#` comments are skipped. A line must be a name and
/// an `epoch:version-release` with a numeric epoch.
pub fn parse(text: &str, path: &Path, ecosystem: &str) -> Result<Vec<Package>, InventoryError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| InventoryError::line(path, i + 1, format!("{why}: {line:?}"));
        let mut words = line.split_whitespace();
        let (Some(name), Some(evr), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad("expected `NAME EPOCH:VERSION-RELEASE`"));
        };
        let (epoch, vr) = evr
            .split_once(':')
            .ok_or_else(|| bad("version without `EPOCH:`"))?;
        if epoch.is_empty() || !epoch.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("epoch is not a number"));
        }
        match vr.rsplit_once('-') {
            Some((v, r)) if !v.is_empty() && !r.is_empty() => {}
            _ => return Err(bad("version without `-RELEASE`")),
        }
        out.push(Package::new(ecosystem, name, evr, path));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lines() {
        let text = "bash 0:5.1.8-6.el9\nopenssl-libs 1:3.0.7-24.el9\n\n";
        let pkgs = parse(text, Path::new("rpm-qa.txt"), "Red Hat").expect("parse");
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[1].name, "openssl-libs");
        assert_eq!(pkgs[1].version, "1:3.0.7-24.el9");
    }

    #[test]
    fn bad_lines() {
        for bad in [
            "bash",
            "bash 5.1-6",
            "bash x:5.1-6",
            "bash 0:5.1",
            "a 0:1-2 extra",
        ] {
            let e = parse(bad, Path::new("q"), "Red Hat").expect_err(bad);
            assert!(e.to_string().starts_with("q: line 1:"), "{e}");
        }
    }
}
