//! STIX 2.1 (and 2.0) content to records. Reads a bundle, a TAXII envelope, a list of objects
//! or bundles, one object, or a TAXII server's data file (medallion's layout: API roots holding
//! collections holding objects). Indicators with STIX patterns and observables (SCOs) with a
//! plain value become records; of several versions of one object only the latest (`modified`)
//! counts; everything else is skipped and counted by reason.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::indicator::{IndicatorType, Record};
use crate::normalize::{normalize, refang};
use crate::pattern_values::{hash_type, pattern_values, PatternValues};
use crate::report::Parsed;
use crate::timestamp;
use crate::tlp::Tlp;

/// Reads STIX content; `Err` when the JSON holds no STIX objects at all.
pub fn parse_stix(json: &Value, file: &str) -> Result<Parsed, String> {
    let objects = collect_objects(json)?;
    let mut parsed = Parsed {
        objects: objects.len(),
        ..Parsed::default()
    };
    let mut markings: HashMap<&str, Tlp> = HashMap::new();
    for (_, o) in &objects {
        if o.get("type").and_then(Value::as_str) == Some("marking-definition") {
            if let (Some(id), Some(t)) = (
                o.get("id").and_then(Value::as_str),
                Tlp::from_marking_definition(o),
            ) {
                markings.insert(id, t);
            }
        }
    }
    // The latest version of each id: (modified, position).
    let mut latest: HashMap<&str, (Option<DateTime<Utc>>, usize)> = HashMap::new();
    for (i, (_, o)) in objects.iter().enumerate() {
        if let Some(id) = o.get("id").and_then(Value::as_str) {
            let modified = o
                .get("modified")
                .and_then(Value::as_str)
                .and_then(timestamp::parse);
            match latest.get(id) {
                Some((m, _)) if *m > modified => {}
                _ => {
                    latest.insert(id, (modified, i));
                }
            }
        }
    }
    for (i, (place, o)) in objects.iter().enumerate() {
        let Some(obj) = o.as_object() else {
            parsed.problem(file, place.as_str(), "not a JSON object");
            continue;
        };
        let Some(kind) = obj.get("type").and_then(Value::as_str) else {
            parsed.problem(file, place.as_str(), "missing property 'type'");
            continue;
        };
        let Some(id) = obj.get("id").and_then(Value::as_str) else {
            parsed.problem(file, place.as_str(), format!("{kind} without an 'id'"));
            continue;
        };
        if latest.get(id).is_some_and(|(_, at)| *at != i) {
            parsed.skip("older version of an object given again in the same file");
            continue;
        }
        match kind {
            "indicator" => indicator(o, id, file, &markings, &mut parsed),
            "ipv4-addr" | "ipv6-addr" | "domain-name" | "url" | "email-addr" | "file" => {
                observable(o, kind, id, file, &markings, &mut parsed)
            }
            "marking-definition" => {
                parsed.skip("marking-definition: read for TLP, not an indicator")
            }
            "observed-data" => parsed.skip("observed-data: what was seen, not what to look for"),
            "artifact"
            | "autonomous-system"
            | "directory"
            | "email-message"
            | "mac-addr"
            | "mutex"
            | "network-traffic"
            | "process"
            | "software"
            | "user-account"
            | "windows-registry-key"
            | "x509-certificate" => {
                parsed.skip(format!("{kind}: observable type Vigie does not store"))
            }
            _ => parsed.skip(format!("{kind}: not an indicator or observable")),
        }
    }
    Ok(parsed)
}

/// The objects of the document, each with a place for messages (its index).
fn collect_objects(json: &Value) -> Result<Vec<(String, &Value)>, String> {
    let mut out = Vec::new();
    match json {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.get("type").and_then(Value::as_str) == Some("bundle") {
                    bundle_objects(item, &format!("[{i}]"), &mut out)?;
                } else {
                    out.push((format!("[{i}]"), item));
                }
            }
        }
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("bundle") {
                bundle_objects(json, "", &mut out)?;
            } else if map.contains_key("type") && map.contains_key("id") {
                out.push(("object".to_owned(), json));
            } else if map.get("objects").is_some_and(Value::is_array) {
                bundle_objects(json, "", &mut out)?;
            } else {
                // A TAXII server data file: { root: { collections: [ { objects: [...] } ] } }.
                for (root, v) in map {
                    let Some(cols) = v.get("collections").and_then(Value::as_array) else {
                        continue;
                    };
                    for (ci, c) in cols.iter().enumerate() {
                        let Some(objs) = c.get("objects").and_then(Value::as_array) else {
                            continue;
                        };
                        for (oi, o) in objs.iter().enumerate() {
                            out.push((format!("{root}/collections[{ci}]/objects[{oi}]"), o));
                        }
                    }
                }
                if out.is_empty() && !map.values().any(|v| v.get("collections").is_some()) {
                    return Err(NOT_STIX.into());
                }
            }
        }
        _ => return Err(NOT_STIX.into()),
    }
    // Name objects by their id where they have one.
    Ok(out
        .into_iter()
        .map(|(place, o)| {
            let place = o
                .get("id")
                .and_then(Value::as_str)
                .map_or(place, str::to_owned);
            (place, o)
        })
        .collect())
}

const NOT_STIX: &str = "expected a STIX bundle, a TAXII envelope, a list of STIX objects or a \
    TAXII server data file";

fn bundle_objects<'a>(
    bundle: &'a Value,
    prefix: &str,
    out: &mut Vec<(String, &'a Value)>,
) -> Result<(), String> {
    let Some(objects) = bundle.get("objects").and_then(Value::as_array) else {
        return Err(format!(
            "bundle {}has no 'objects' list",
            bundle
                .get("id")
                .and_then(Value::as_str)
                .map_or(String::new(), |id| format!("{id} "))
        ));
    };
    for (i, o) in objects.iter().enumerate() {
        out.push((format!("{prefix}objects[{i}]"), o));
    }
    Ok(())
}

/// What every record from one STIX object shares.
struct Meta {
    tlp: Option<Tlp>,
    confidence: Option<u8>,
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
    name: Option<String>,
    description: Option<String>,
    labels: Vec<String>,
    kill_chain: Vec<String>,
    attack: Vec<String>,
}

impl Meta {
    fn record(&self, kind: IndicatorType, value: String, id: &str) -> Record {
        Record {
            kind,
            value,
            reference: id.to_owned(),
            tlp: self.tlp,
            confidence: self.confidence,
            to_ids: true,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            name: self.name.clone(),
            description: self.description.clone(),
            labels: self.labels.clone(),
            kill_chain: self.kill_chain.clone(),
            attack: self.attack.clone(),
        }
    }
}

fn meta(o: &Value, markings: &HashMap<&str, Tlp>) -> Result<Meta, String> {
    let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
    let time = |k: &str| -> Result<Option<DateTime<Utc>>, String> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => timestamp::parse(s)
                .map(Some)
                .ok_or_else(|| format!("invalid '{k}': {s:?} is not a timestamp")),
            Some(_) => Err(format!("invalid '{k}': not a string")),
        }
    };
    let valid_from = time("valid_from")?;
    let valid_until = time("valid_until")?;
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if until <= from {
            return Err("valid_until is not later than valid_from".into());
        }
    }
    let confidence = match o.get("confidence") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|c| *c <= 100)
                .and_then(|c| u8::try_from(c).ok())
                .ok_or_else(|| format!("invalid 'confidence': {v} (expected 0 to 100)"))?,
        ),
    };
    let tlp = strings(o.get("object_marking_refs"))
        .filter_map(|r| Tlp::from_marking_id(r).or_else(|| markings.get(r).copied()))
        .max();
    let mut labels: Vec<String> = Vec::new();
    for l in strings(o.get("labels")).chain(strings(o.get("indicator_types"))) {
        if !labels.iter().any(|x| x == l) {
            labels.push(l.to_owned());
        }
    }
    let kill_chain = o
        .get("kill_chain_phases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some(format!(
                "{}:{}",
                p.get("kill_chain_name")?.as_str()?,
                p.get("phase_name")?.as_str()?
            ))
        })
        .collect();
    let attack = o
        .get("external_references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| {
            r.get("source_name")
                .and_then(Value::as_str)
                .is_some_and(|s| s.starts_with("mitre-") && s.ends_with("attack"))
        })
        .filter_map(|r| {
            r.get("external_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    Ok(Meta {
        tlp,
        confidence,
        valid_from,
        valid_until,
        name: text("name"),
        description: text("description"),
        labels,
        kill_chain,
        attack,
    })
}

fn strings(v: Option<&Value>) -> impl Iterator<Item = &str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn indicator(o: &Value, id: &str, file: &str, markings: &HashMap<&str, Tlp>, parsed: &mut Parsed) {
    if o.get("revoked").and_then(Value::as_bool) == Some(true) {
        parsed.skip("indicator: revoked");
        return;
    }
    if let Some(pt) = o.get("pattern_type").and_then(Value::as_str) {
        if pt != "stix" {
            parsed.skip(format!(
                "indicator: pattern_type '{pt}' (not a STIX pattern)"
            ));
            return;
        }
    }
    let Some(pattern) = o.get("pattern").and_then(Value::as_str) else {
        parsed.problem(file, id, "indicator without a 'pattern' string");
        return;
    };
    let meta = match meta(o, markings) {
        Ok(m) => m,
        Err(reason) => {
            parsed.problem(file, id, reason);
            return;
        }
    };
    match pattern_values(pattern) {
        Err(reason) if reason.starts_with("invalid pattern") => parsed.problem(file, id, reason),
        Err(reason) => parsed.problem(file, id, format!("invalid pattern: {reason}")),
        Ok(PatternValues::Pattern(p)) => {
            parsed
                .records
                .push(meta.record(IndicatorType::StixPattern, p, id))
        }
        Ok(PatternValues::Values { values, rejected }) => {
            for e in rejected {
                parsed.problem(file, id, e.to_string());
            }
            for (kind, value) in values {
                parsed.records.push(meta.record(kind, value, id));
            }
        }
    }
}

fn observable(
    o: &Value,
    kind: &str,
    id: &str,
    file: &str,
    markings: &HashMap<&str, Tlp>,
    parsed: &mut Parsed,
) {
    let meta = match meta(o, markings) {
        Ok(m) => m,
        Err(reason) => {
            parsed.problem(file, id, reason);
            return;
        }
    };
    let defanged = o.get("defanged").and_then(Value::as_bool) == Some(true);
    let mut raw: Vec<(IndicatorType, &str)> = Vec::new();
    let value = o.get("value").and_then(Value::as_str);
    match kind {
        "ipv4-addr" => raw.extend(value.map(|v| (IndicatorType::Ipv4, v))),
        "ipv6-addr" => raw.extend(value.map(|v| (IndicatorType::Ipv6, v))),
        "domain-name" => raw.extend(value.map(|v| (IndicatorType::Domain, v))),
        "url" => raw.extend(value.map(|v| (IndicatorType::Url, v))),
        "email-addr" => raw.extend(value.map(|v| (IndicatorType::Email, v))),
        _ => {
            if let Some(hashes) = o.get("hashes").and_then(Value::as_object) {
                for (alg, v) in hashes {
                    if let (Some(t), Some(v)) = (hash_type(alg), v.as_str()) {
                        raw.push((t, v));
                    }
                }
            }
            if raw.is_empty() {
                if let Some(name) = o.get("name").and_then(Value::as_str) {
                    raw.push((IndicatorType::Filename, name));
                }
            }
            if raw.is_empty() {
                parsed.skip("file: no MD5, SHA-1, SHA-256, SHA-512 hash or name");
                return;
            }
        }
    }
    if raw.is_empty() {
        parsed.problem(file, id, format!("{kind} without a 'value' string"));
        return;
    }
    for (t, v) in raw {
        let v = if defanged { refang(v) } else { v.to_owned() };
        match normalize(t, &v) {
            Ok((t, v)) => parsed.records.push(meta.record(t, v, id)),
            Err(e) => parsed.problem(file, id, e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_with_indicators_observables_and_markings() {
        let bundle = serde_json::json!({"type": "bundle", "id": "bundle--1", "objects": [
            {"type": "marking-definition", "id": "marking-definition--local", "definition_type": "tlp", "definition": {"tlp": "red"}},
            {"type": "indicator", "id": "indicator--a", "pattern": "[ipv4-addr:value = '198.51.100.7']",
             "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z", "valid_until": "2025-01-01T00:00:00Z",
             "object_marking_refs": ["marking-definition--local"], "confidence": 80,
             "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "command-and-control"}],
             "external_references": [{"source_name": "mitre-attack", "external_id": "T1071"}]},
            {"type": "indicator", "id": "indicator--b", "pattern": "[ipv4-addr:value = ", "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z"},
            {"type": "domain-name", "id": "domain-name--c", "value": "Evil.Example"},
            {"type": "attack-pattern", "id": "attack-pattern--d", "name": "x"},
            {"type": "indicator", "id": "indicator--e", "pattern": "alert tcp any any", "pattern_type": "snort", "valid_from": "2024-01-01T00:00:00Z"},
            42
        ]});
        let p = parse_stix(&bundle, "b.json").expect("stix");
        assert_eq!(p.objects, 7);
        assert_eq!(p.records.len(), 2);
        let a = &p.records[0];
        assert_eq!(
            (a.kind, a.value.as_str()),
            (IndicatorType::Ipv4, "198.51.100.7")
        );
        assert_eq!(a.tlp, Some(Tlp::Red));
        assert_eq!(a.confidence, Some(80));
        assert_eq!(a.attack, vec!["T1071".to_owned()]);
        assert_eq!(
            a.kill_chain,
            vec!["mitre-attack:command-and-control".to_owned()]
        );
        assert_eq!(p.records[1].value, "evil.example");
        assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
        assert_eq!(p.problems[0].place, "indicator--b");
        assert_eq!(p.skipped.values().sum::<usize>(), 3);
    }

    #[test]
    fn latest_version_wins() {
        let objs = serde_json::json!([
            {"type": "indicator", "id": "indicator--v", "modified": "2016-11-03T12:30:59.000Z", "pattern": "[url:value = 'http://old.example/']", "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z"},
            {"type": "indicator", "id": "indicator--v", "modified": "2017-01-27T13:49:53.935Z", "pattern": "[url:value = 'http://new.example/']", "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z"},
            {"type": "indicator", "id": "indicator--v", "modified": "2016-12-25T12:30:59.444Z", "pattern": "[url:value = 'http://mid.example/']", "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z"}
        ]);
        let p = parse_stix(&objs, "v.json").expect("stix");
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].value, "http://new.example/");
        assert_eq!(p.skipped_total(), 2);
    }

    #[test]
    fn not_stix() {
        assert!(parse_stix(&serde_json::json!({"hello": 1}), "x").is_err());
        assert!(parse_stix(&serde_json::json!("text"), "x").is_err());
        assert!(parse_stix(&serde_json::json!({"type": "bundle"}), "x").is_err());
    }
}
