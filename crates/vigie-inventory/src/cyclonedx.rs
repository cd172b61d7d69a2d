//! CycloneDX JSON SBOMs (`bom.json`, `*.cdx.json`): every component, nested ones included,
//! that carries a purl of a known ecosystem and a version (see `purl`).

use std::path::Path;

use serde_json::Value;

use crate::{purl, InventoryError, Package};

pub fn parse(text: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let doc: Value = serde_json::from_str(text).map_err(|source| InventoryError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    if doc.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        return Err(InventoryError::format(
            path,
            "not a CycloneDX SBOM: \"bomFormat\": \"CycloneDX\" expected",
        ));
    }
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = vec![&doc];
    while let Some(node) = stack.pop() {
        let Some(components) = node.get("components").and_then(Value::as_array) else {
            continue;
        };
        for c in components.iter().rev() {
            stack.push(c);
        }
        let found = components
            .iter()
            .filter_map(|c| c.get("purl").and_then(Value::as_str))
            .filter_map(|p| purl::package(p, path));
        out.extend(found);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_and_nested_components() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
          {"type": "library", "name": "smallvec", "version": "1.6.0", "purl": "pkg:cargo/smallvec@1.6.0",
           "components": [{"type": "library", "name": "inner", "purl": "pkg:npm/inner@1.0.0"}]},
          {"type": "library", "name": "no purl", "version": "1"},
          {"type": "library", "name": "x", "purl": "pkg:generic/x@1"}]}"#;
        let p = parse(text, Path::new("bom.json")).expect("parse");
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["smallvec", "inner"]);
        assert!(parse("{\"bomFormat\": \"SPDX\"}", Path::new("bom.json")).is_err());
        assert!(parse("{\"bomFormat\": ", Path::new("bom.json")).is_err());
    }
}
