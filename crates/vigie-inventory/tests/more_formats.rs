//! Pipfile.lock, uv.lock and CycloneDX / SPDX JSON SBOMs found by walking
//! `tests/fixtures/inventory/sbom/`, yarn.lock (classic and Berry) and pnpm-lock.yaml under
//! `tests/fixtures/inventory/js/` (files written for these tests): the packages each gives, and
//! each malformed one in `broken/` reported with its file and reason while the rest is read.

use std::path::{Path, PathBuf};

use vigie_inventory::scan_path;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/inventory/sbom")
}

#[test]
fn sboms_and_python_lockfiles() {
    let root = dir();
    let inv = scan_path(&root);
    let got: Vec<(String, &str, &str, &str)> = inv
        .packages
        .iter()
        .filter(|p| !p.source.starts_with(root.join("broken")))
        .map(|p| {
            let file = p.source.file_name().and_then(|f| f.to_str()).unwrap_or("");
            (
                file.to_owned(),
                p.ecosystem.as_str(),
                p.name.as_str(),
                p.version.as_str(),
            )
        })
        .collect();
    let want = [
        ("Pipfile.lock", "PyPI", "django", "3.2.0"),
        ("Pipfile.lock", "PyPI", "pytest", "7.4.0"),
        ("app.spdx.json", "PyPI", "jinja2", "2.10.1"),
        ("app.spdx.json", "Go", "golang.org/x/text", "0.3.7"),
        ("bom.json", "crates.io", "smallvec", "1.6.0"),
        (
            "bom.json",
            "Maven",
            "org.apache.logging.log4j:log4j-core",
            "2.14.1",
        ),
        ("bom.json", "npm", "@babel/traverse", "7.22.0"),
        ("uv.lock", "PyPI", "requests", "2.19.0"),
    ];
    let got: Vec<(&str, &str, &str, &str)> = got
        .iter()
        .map(|(f, e, n, v)| (f.as_str(), *e, *n, *v))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn malformed_files_are_reported_and_the_rest_read() {
    let inv = scan_path(&dir());
    let base = dir();
    let errors: Vec<String> = inv
        .errors
        .iter()
        .map(|e| e.to_string().replace(&base.display().to_string(), "SBOM"))
        .collect();
    assert_eq!(
        errors,
        [
            "SBOM/broken/Pipfile.lock: not a Pipfile.lock: no \"_meta\" section",
            "SBOM/broken/app.spdx.json: not an SPDX JSON document: \"spdxVersion\": \"SPDX-2.x\" expected",
            "SBOM/broken/bom.json: invalid JSON: EOF while parsing a list at line 2 column 0",
            "SBOM/broken/uv.lock: line 3: invalid TOML: invalid type: integer `2`, expected a string",
        ]
    );
    assert_eq!(inv.packages.len(), 8);
}

#[test]
fn yarn_and_pnpm_lockfiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/inventory/js");
    let inv = scan_path(&root);
    let got: Vec<(String, String, String)> = inv
        .packages
        .iter()
        .map(|p| {
            let rel = p.source.strip_prefix(&root).unwrap_or(&p.source);
            (rel.display().to_string(), p.name.clone(), p.version.clone())
        })
        .collect();
    let want = [
        ("berry/yarn.lock", "lodash", "4.17.15"),
        ("classic/yarn.lock", "@babel/code-frame", "7.12.13"),
        ("classic/yarn.lock", "minimist", "1.2.5"),
        ("pnpm/pnpm-lock.yaml", "@babel/core", "7.22.0"),
        ("pnpm/pnpm-lock.yaml", "lodash", "4.17.20"),
    ];
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(f, n, v)| (f.as_str(), n.as_str(), v.as_str()))
        .collect();
    assert_eq!(got, want);
    assert!(inv.packages.iter().all(|p| p.ecosystem == "npm"));
    let errors: Vec<String> = inv
        .errors
        .iter()
        .map(|e| e.to_string().replace(&root.display().to_string(), "JS"))
        .collect();
    assert_eq!(
        errors,
        [
            "JS/broken/pnpm-lock.yaml: not a pnpm lockfile: no lockfileVersion",
            "JS/broken/yarn.lock: line 3: entry \"lodash\" has no version line",
        ]
    );
}

#[test]
fn maven_declared_versions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/inventory/maven");
    let inv = scan_path(&root);
    let got: Vec<(&str, &str, &str)> = inv
        .packages
        .iter()
        .map(|p| (p.ecosystem.as_str(), p.name.as_str(), p.version.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
            ("Maven", "org.springframework:spring-core", "5.3.17"),
        ]
    );
    let errors: Vec<String> = inv
        .errors
        .iter()
        .map(|e| e.to_string().replace(&root.display().to_string(), "MAVEN"))
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("MAVEN/broken/pom.xml: line 4: invalid XML"),
        "{errors:?}"
    );
}
