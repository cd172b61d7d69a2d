//! Alpine apk installed database (`lib/apk/db/installed`): `P:` name, `V:` version, `o:` origin
//! (the source package Alpine advisories name).

use std::path::Path;

use crate::{InventoryError, OsRelease, Package};

/// Parses the apk installed database: blank-line separated records of `X:value` lines.
pub fn parse(text: &str, path: &Path, os: &OsRelease) -> Result<Vec<Package>, InventoryError> {
    let ecosystem = os.apk_ecosystem();
    let mut out = Vec::new();
    let mut rec: (usize, Option<&str>, Option<&str>, Option<&str>) = (0, None, None, None);
    let mut flush = |rec: &mut (usize, Option<&str>, Option<&str>, Option<&str>)| {
        let (line, name, version, origin) = std::mem::take(rec);
        match (name, version) {
            (None, None) => Ok(()),
            (Some(n), Some(v)) => {
                let mut p = Package::new(&ecosystem, n, v, path);
                p.source_package = Some(origin.unwrap_or(n).to_owned());
                p.source_version = Some(v.to_owned());
                out.push(p);
                Ok(())
            }
            _ => Err(InventoryError::line(
                path,
                line,
                "package record without P: or V:",
            )),
        }
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            flush(&mut rec)?;
            continue;
        }
        if rec.0 == 0 {
            rec.0 = i + 1;
        }
        match line.split_once(':') {
            Some(("P", v)) => rec.1 = Some(v.trim()),
            Some(("V", v)) => rec.2 = Some(v.trim()),
            Some(("o", v)) => rec.3 = Some(v.trim()),
            Some(_) => {}
            None => {
                return Err(InventoryError::line(
                    path,
                    i + 1,
                    format!("not a `X:value` line: {line:?}"),
                ))
            }
        }
    }
    flush(&mut rec)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_origin() {
        let text = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:libcrypto3\nV:3.1.4-r5\no:openssl\nF:lib\n";
        let os = OsRelease::parse("ID=alpine\nVERSION_ID=3.19.1\n");
        let pkgs = parse(text, Path::new("installed"), &os).expect("parse");
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[1].ecosystem, "Alpine:v3.19");
        assert_eq!(pkgs[1].name, "libcrypto3");
        assert_eq!(pkgs[1].version, "3.1.4-r5");
        assert_eq!(pkgs[1].source_package.as_deref(), Some("openssl"));
    }

    #[test]
    fn record_without_version_is_an_error() {
        let e = parse(
            "P:musl\n\nP:x\nV:1\n",
            Path::new("installed"),
            &OsRelease::default(),
        )
        .expect_err("missing V:");
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
