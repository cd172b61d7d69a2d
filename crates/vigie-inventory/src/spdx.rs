//! SPDX 2.x JSON SBOMs (`*.spdx.json`): every package with a `purl` external reference of a
//! known ecosystem and a version (see `purl`).

use std::path::Path;

use serde_json::Value;

use crate::{purl, InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let doc: Value = serde_json::from_str(text).map_err(|source| InventoryError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    if !doc
        .get("spdxVersion")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("SPDX-"))
    {
        return Err(InventoryError::format(
            path,
            "not an SPDX JSON document: \"spdxVersion\": \"SPDX-2.x\" expected",
        ));
    }
    let packages = doc.get("packages").and_then(Value::as_array);
    Ok(packages
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("externalRefs").and_then(Value::as_array))
        .flatten()
        .filter(|r| r.get("referenceType").and_then(Value::as_str) == Some("purl"))
        .filter_map(|r| r.get("referenceLocator").and_then(Value::as_str))
        .filter_map(|l| purl::package(l, path))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_by_purl() {
        let text = r#"{"spdxVersion": "SPDX-2.3", "packages": [
          {"name": "jinja2", "versionInfo": "2.10.1", "externalRefs": [
            {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:x"},
            {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/jinja2@2.10.1"}]},
          {"name": "no refs"}]}"#;
        let p = parse(text, Path::new("x.spdx.json")).expect("parse");
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].ecosystem.as_str(), p[0].version.as_str()),
            ("PyPI", "2.10.1")
        );
        assert!(parse("{\"packages\": []}", Path::new("x.spdx.json")).is_err());
        assert!(parse("[", Path::new("x.spdx.json")).is_err());
    }
}
