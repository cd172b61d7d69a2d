//! Reading what the audits wrote: `vigie audit vulns --format jsonl` findings and
//! `vigie audit oval --format jsonl` (or `audit config`) results. A bad line is a problem with
//! its file and line; the rest is read.

use serde_json::Value;

use crate::score::{Finding, RuleResult};

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

fn field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Findings still affecting the host (`status` affected); others are skipped.
pub fn read_findings(text: &str, file: &str) -> (Vec<Finding>, Vec<String>) {
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    for (n, line) in lines(text) {
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: line {n}: not JSON: {e}"));
                continue;
            }
        };
        if field(&v, "advisory_id").is_empty() || field(&v, "package").is_empty() {
            problems.push(format!(
                "{file}: line {n}: not a finding of `vigie audit vulns --format jsonl`"
            ));
            continue;
        }
        if !matches!(field(&v, "status"), "" | "affected") {
            continue;
        }
        let sev = v.get("severity");
        out.push(Finding {
            package: field(&v, "package").to_owned(),
            version: field(&v, "version").to_owned(),
            advisory: field(&v, "advisory_id").to_owned(),
            score: sev.and_then(|s| s.get("score")).and_then(Value::as_f64),
            severity: sev
                .and_then(|s| s.get("severity"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            kev: v.get("kev").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    (out, problems)
}

/// Compliance results: OVAL definitions (`definition_id`, `result`, `class`: a compliance
/// definition passes when true; a vulnerability or patch definition fails when true;
/// inventory definitions are not results) or rules (`rule_id`, `result` pass / fail, with
/// `severity`); `audit config`'s score trailer (`score`, `system`) is skipped.
pub fn read_rules(text: &str, file: &str) -> (Vec<RuleResult>, Vec<String>) {
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    for (n, line) in lines(text) {
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: line {n}: not JSON: {e}"));
                continue;
            }
        };
        let (id, result) = if !field(&v, "definition_id").is_empty() {
            let r = field(&v, "result");
            let result = match (field(&v, "class"), r) {
                ("inventory", _) => continue,
                ("vulnerability" | "patch", "true") => "fail",
                ("vulnerability" | "patch", "false") => "pass",
                (_, "true") => "pass",
                (_, "false") => "fail",
                (_, other) => other,
            };
            (field(&v, "definition_id"), result.to_owned())
        } else if !field(&v, "rule_id").is_empty() {
            (field(&v, "rule_id"), field(&v, "result").to_owned())
        } else if v.get("score").is_some() && !field(&v, "system").is_empty() {
            // `audit config`'s trailer: the XCCDF score, not a result.
            continue;
        } else {
            problems.push(format!(
                "{file}: line {n}: neither a `definition_id` nor a `rule_id` result"
            ));
            continue;
        };
        out.push(RuleResult {
            id: id.to_owned(),
            title: field(&v, "title").to_owned(),
            severity: field(&v, "severity").to_owned(),
            result,
        });
    }
    (out, problems)
}
