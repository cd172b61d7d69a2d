//! Indicators as a STIX 2.1 bundle: one `indicator` per store value, its pattern built from
//! the value (string literals escaped), validity, labels, kill-chain phases, ATT&CK external
//! references, the TLP 2.0 marking of its strictest source, and a deterministic id.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use vigie_intel::{IndicatorType, Tlp};

use crate::ids::indicator_id;
use crate::selection::ExportIndicator;
use crate::stix_common::{
    attack_reference, bundle, tlp_marking, tlp_marking_id, write_bundle, BundleId, Producer,
};

/// STIX 2.1's indicator-type vocabulary: labels that are these go out as `indicator_types`
/// (where imports read them from), the others as `labels`.
const INDICATOR_TYPES: [&str; 7] = [
    "anomalous-activity",
    "anonymization",
    "benign",
    "compromised",
    "malicious-activity",
    "attribution",
    "unknown",
];

/// A kill-chain or phase name as STIX best practice writes it: lower case, hyphens for spaces
/// and underscores (`Lockheed Martin Kill_Chain` gives `lockheed-martin-kill-chain`).
fn vocabulary_name(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .split([' ', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A STIX string literal: quoted, with `\` and `'` escaped.
pub fn string_literal(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('\'');
    s
}

/// The STIX pattern that matches a store value as Vigie matches it.
pub fn pattern(kind: IndicatorType, value: &str) -> String {
    let (path, op) = match kind {
        IndicatorType::Ipv4 => ("ipv4-addr:value", "="),
        IndicatorType::Ipv6 => ("ipv6-addr:value", "="),
        IndicatorType::Cidr if value.contains(':') => ("ipv6-addr:value", "ISSUBSET"),
        IndicatorType::Cidr => ("ipv4-addr:value", "ISSUBSET"),
        IndicatorType::Domain => ("domain-name:value", "="),
        IndicatorType::Url => ("url:value", "="),
        IndicatorType::Md5 => ("file:hashes.MD5", "="),
        IndicatorType::Sha1 => ("file:hashes.'SHA-1'", "="),
        IndicatorType::Sha256 => ("file:hashes.'SHA-256'", "="),
        IndicatorType::Sha512 => ("file:hashes.'SHA-512'", "="),
        IndicatorType::Email => ("email-addr:value", "="),
        IndicatorType::Filename => ("file:name", "="),
        IndicatorType::StixPattern => return value.to_owned(),
    };
    format!("[{path} {op} {}]", string_literal(value))
}

/// One indicator object.
pub fn indicator_object(e: &ExportIndicator, producer: &Producer) -> Value {
    let v = &e.view;
    let valid_from = v.valid_from.clone().unwrap_or_else(|| v.first_seen.clone());
    let mut o = Map::new();
    o.insert("type".into(), json!("indicator"));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(indicator_id(v.kind, &v.value)));
    o.insert("created_by_ref".into(), json!(producer.id()));
    o.insert("created".into(), json!(v.first_seen));
    o.insert("modified".into(), json!((&v.last_seen).max(&v.first_seen)));
    o.insert(
        "name".into(),
        json!(e.name.clone().unwrap_or_else(|| v.value.clone())),
    );
    let description = e
        .description
        .clone()
        .unwrap_or_else(|| format!("{} {}", v.kind, v.value));
    o.insert("description".into(), json!(description));
    let (types, labels): (Vec<&String>, Vec<&String>) = e
        .labels
        .iter()
        .partition(|l| INDICATOR_TYPES.contains(&l.as_str()));
    if !types.is_empty() {
        o.insert("indicator_types".into(), json!(types));
    }
    o.insert("pattern".into(), json!(pattern(v.kind, &v.value)));
    o.insert("pattern_type".into(), json!("stix"));
    o.insert("pattern_version".into(), json!("2.1"));
    if let Some(until) = v.valid_until.as_ref().filter(|u| **u > valid_from) {
        o.insert("valid_until".into(), json!(until));
    }
    o.insert("valid_from".into(), json!(valid_from));
    if !labels.is_empty() {
        o.insert("labels".into(), json!(labels));
    }
    if let Some(c) = v.confidence {
        o.insert("confidence".into(), json!(c));
    }
    let phases: Vec<Value> = e
        .kill_chain
        .iter()
        .filter_map(|p| p.split_once(':'))
        .map(|(k, p)| (vocabulary_name(k), vocabulary_name(p)))
        .filter(|(k, p)| !k.is_empty() && !p.is_empty())
        .map(|(k, p)| json!({"kill_chain_name": k, "phase_name": p}))
        .collect();
    if !phases.is_empty() {
        o.insert("kill_chain_phases".into(), Value::Array(phases));
    }
    if !e.attack.is_empty() {
        let refs: Vec<Value> = e.attack.iter().map(|id| attack_reference(id)).collect();
        o.insert("external_references".into(), Value::Array(refs));
    }
    o.insert("object_marking_refs".into(), json!([tlp_marking_id(v.tlp)]));
    Value::Object(o)
}

/// The bundle's objects in order: the producer's identity, the TLP marking-definitions used,
/// the indicators.
fn objects<'a>(
    indicators: &'a [ExportIndicator],
    producer: &'a Producer,
) -> impl Iterator<Item = Value> + 'a {
    let markings = Tlp::ALL
        .into_iter()
        .filter(|t| indicators.iter().any(|e| e.view.tlp == *t));
    std::iter::once(producer.object())
        .chain(markings.map(tlp_marking))
        .chain(indicators.iter().map(|e| indicator_object(e, producer)))
}

fn producer(name: &str, now: DateTime<Utc>) -> Producer {
    Producer {
        name: name.to_owned(),
        created: now,
    }
}

/// The bundle as one value (small exports, tests).
pub fn indicators_bundle(
    indicators: &[ExportIndicator],
    producer_name: &str,
    now: DateTime<Utc>,
) -> Value {
    let p = producer(producer_name, now);
    bundle(objects(indicators, &p).collect())
}

/// Writes the same bundle one object at a time, never holding it whole.
pub fn write_indicators_bundle(
    out: &mut dyn Write,
    indicators: &[ExportIndicator],
    producer_name: &str,
    now: DateTime<Utc>,
) -> io::Result<()> {
    let p = producer(producer_name, now);
    let mut id = BundleId::default();
    objects(indicators, &p).for_each(|o| id.add(&o));
    write_bundle(out, &id.id(), objects(indicators, &p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kill_chain_names_follow_the_best_practice() {
        assert_eq!(
            vocabulary_name(" Lockheed Martin  Kill_Chain "),
            "lockheed-martin-kill-chain"
        );
        assert_eq!(
            vocabulary_name("command-and-control"),
            "command-and-control"
        );
    }

    #[test]
    fn patterns_escape_quotes_and_backslashes() {
        assert_eq!(
            pattern(IndicatorType::Filename, r"it's C:\x.exe"),
            r"[file:name = 'it\'s C:\\x.exe']"
        );
        assert_eq!(
            pattern(IndicatorType::Cidr, "2001:db8::/32"),
            "[ipv6-addr:value ISSUBSET '2001:db8::/32']"
        );
        assert_eq!(
            pattern(IndicatorType::Sha256, "ab"),
            "[file:hashes.'SHA-256' = 'ab']"
        );
    }

    #[test]
    fn every_built_pattern_reads_back_as_its_value() {
        let samples = [
            (IndicatorType::Ipv4, "203.0.113.45"),
            (IndicatorType::Ipv6, "2001:db8::7"),
            (IndicatorType::Cidr, "198.51.100.0/24"),
            (IndicatorType::Domain, "evil.example"),
            (IndicatorType::Url, "https://evil.example/a?b='c'"),
            (IndicatorType::Md5, "d41d8cd98f00b204e9800998ecf8427e"),
            (
                IndicatorType::Sha1,
                "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            ),
            (
                IndicatorType::Sha256,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (IndicatorType::Email, "a.b@evil.example"),
            (IndicatorType::Filename, r"it's \\x.exe"),
        ];
        for (kind, value) in samples {
            let p = pattern(kind, value);
            match vigie_intel::pattern_values(&p) {
                Ok(vigie_intel::PatternValues::Values { values, rejected }) => {
                    assert_eq!(values, vec![(kind, value.to_owned())], "{p}");
                    assert!(rejected.is_empty(), "{p}: {rejected:?}");
                }
                other => panic!("{p}: {other:?}"),
            }
        }
    }
}
