//! SARIF 2.1.0: one rule per advisory (its summary, a help link to osv.dev, the CVSS score as
//! `security-severity`), one result per finding with its level (error for High and Critical,
//! warning for Medium or unknown, note for Low, None and findings not evaluated), a message
//! naming package, version and fix, and the file the package came from as location.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};
use vigie_cvss::Severity;

use crate::finding::{Finding, Status};
use crate::format::upgrade;

/// The SARIF log of the findings.
pub fn sarif(findings: &[Finding]) -> Value {
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut rules = Vec::new();
    for f in findings {
        if rule_ids.contains(&f.advisory_id.as_str()) {
            continue;
        }
        rule_ids.push(&f.advisory_id);
        let text = f.summary.clone().unwrap_or_else(|| f.advisory_id.clone());
        let mut properties = json!({"tags": ["security", "vulnerability"]});
        if let Some(score) = f.severity.as_ref().and_then(|s| s.score) {
            properties["security-severity"] = json!(format!("{score:.1}"));
        }
        rules.push(json!({
            "id": f.advisory_id,
            "shortDescription": {"text": text},
            "helpUri": format!("https://osv.dev/vulnerability/{}", f.advisory_id),
            "properties": properties,
        }));
    }
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = rule_ids
                .iter()
                .position(|id| *id == f.advisory_id)
                .unwrap_or(0);
            json!({
                "ruleId": f.advisory_id,
                "ruleIndex": index,
                "level": level(f),
                "message": {"text": message(f)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&f.source)}}}],
                "properties": {
                    "ecosystem": f.ecosystem,
                    "package": f.package,
                    "version": f.version,
                    "aliases": f.aliases,
                    "fixed_versions": f.fixed_versions,
                    "status": f.status,
                    "kev": f.kev,
                    "epss": f.epss.map(|e| e.score),
                },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vigie",
                "informationUri": "https://example.invalid/vigie",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

/// Writes the SARIF log, pretty-printed, with a final newline.
pub fn write_sarif(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif(findings))?;
    out.write_all(b"\n")
}

fn level(f: &Finding) -> &'static str {
    if f.status == Status::NotEvaluated {
        return "note";
    }
    match f.rating() {
        Some(Severity::Critical | Severity::High) => "error",
        Some(Severity::Medium) | None => "warning",
        Some(Severity::Low | Severity::None) => "note",
    }
}

fn message(f: &Finding) -> String {
    let aliases = if f.aliases.is_empty() {
        String::new()
    } else {
        format!(" ({})", f.aliases.join(", "))
    };
    let what = f.summary.as_deref().unwrap_or("no summary");
    match f.status {
        Status::NotEvaluated => format!(
            "{} {} ({}): {}{aliases} could not be evaluated: {}",
            f.package,
            f.version,
            f.ecosystem,
            f.advisory_id,
            f.reason.as_deref().unwrap_or("unknown reason")
        ),
        Status::Affected => format!(
            "{} {} ({}) is affected by {}{aliases}: {what}. Upgrade to: {}.",
            f.package,
            f.version,
            f.ecosystem,
            f.advisory_id,
            match upgrade(f) {
                "-" => "no fixed version known",
                v => v,
            }
        ),
    }
}

/// A relative URI reference for a path (`/` separators, characters outside RFC 3986's
/// unreserved set and `/` percent-encoded); absolute paths as `file://` URIs.
fn uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    if text.starts_with('/') {
        out.push_str("file://");
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;
    use std::path::Path;

    #[test]
    fn uris() {
        assert_eq!(uri(Path::new("a b/Cargo.lock")), "a%20b/Cargo.lock");
        assert_eq!(uri(Path::new("/srv/app/go.mod")), "file:///srv/app/go.mod");
        assert_eq!(uri(Path::new("été.txt")), "%C3%A9t%C3%A9.txt");
    }
}
