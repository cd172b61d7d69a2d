//! An advisory's severity: scored with vigie-cvss from its CVSS vectors (the package entry's
//! and the record's), the highest CVSS version present winning and, within a version, the
//! highest score; without a vector that scores, the severity word of `database_specific`
//! (GitHub's `LOW` / `MODERATE` / `HIGH` / `CRITICAL`, Debian's urgency words).

use serde_json::Value;
use vigie_cvss::{Severity, Vector};
use vigie_osv::{Affected, Record};

use crate::finding::SeverityInfo;

/// The severity of `record` for the package entries `entries` (those naming the package).
pub fn severity_of(record: &Record, entries: &[&Affected]) -> Option<SeverityInfo> {
    let vectors = entries
        .iter()
        .flat_map(|e| e.severity.iter())
        .chain(record.severity.iter())
        .filter(|s| s.kind.starts_with("CVSS_"));
    let mut best: Option<(Vector, SeverityInfo)> = None;
    for s in vectors {
        let Ok(v) = Vector::parse(s.score.trim()) else {
            continue;
        };
        let scores = v.scores();
        let better = best.as_ref().is_none_or(|(b, info)| {
            (v.version(), Some(scores.base.value())) > (b.version(), info.score)
        });
        if better {
            let info = SeverityInfo {
                score: Some(scores.base.value()),
                vector: Some(s.score.trim().to_owned()),
                severity: scores.severity,
                from: s.kind.clone(),
            };
            best = Some((v, info));
        }
    }
    if let Some((_, info)) = best {
        return Some(info);
    }
    let words = entries
        .iter()
        .filter_map(|e| e.database_specific.as_ref())
        .chain(record.database_specific.as_ref());
    words
        .filter_map(|d| d.get("severity").and_then(Value::as_str).and_then(word))
        .max()
        .map(|severity| SeverityInfo {
            score: None,
            vector: None,
            severity,
            from: "database_specific".into(),
        })
}

/// A severity word as databases write it.
fn word(text: &str) -> Option<Severity> {
    Severity::parse(text).or(match text.to_ascii_lowercase().as_str() {
        "moderate" | "important" => Some(Severity::Medium),
        "negligible" | "unimportant" | "minor" => Some(Severity::Low),
        "urgent" | "severe" => Some(Severity::Critical),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        vigie_osv::parse_json_str("t.json", json).expect("record")
    }

    #[test]
    fn highest_version_wins_then_highest_score() {
        let r = record(
            r#"{"id": "A", "modified": "2024-01-01T00:00:00Z", "severity": [
              {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
              {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"},
              {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:C/I:C/A:C"}]}"#,
        );
        let s = severity_of(&r, &[]).expect("a severity");
        assert_eq!(s.from, "CVSS_V4");
        assert_eq!(s.score, Some(6.9));
        assert_eq!(s.severity, Severity::Medium);
    }

    #[test]
    fn invalid_vectors_fall_back_to_the_word() {
        let r = record(
            r#"{"id": "A", "modified": "2024-01-01T00:00:00Z",
              "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:X"}],
              "database_specific": {"severity": "MODERATE"}}"#,
        );
        let s = severity_of(&r, &[]).expect("a severity");
        assert_eq!((s.score, s.severity), (None, Severity::Medium));
        assert_eq!(s.from, "database_specific");
        let none = record(r#"{"id": "A", "modified": "2024-01-01T00:00:00Z"}"#);
        assert_eq!(severity_of(&none, &[]), None);
    }

    #[test]
    fn entry_vectors_count() {
        let r = record(
            r#"{"id": "A", "modified": "2024-01-01T00:00:00Z", "affected": [{
              "package": {"ecosystem": "PyPI", "name": "x"},
              "severity": [{"type": "CVSS_V3", "score": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}]}]}"#,
        );
        let entries: Vec<&Affected> = r.affected.iter().collect();
        let s = severity_of(&r, &entries).expect("a severity");
        assert_eq!((s.score, s.severity), (Some(7.5), Severity::High));
    }
}
