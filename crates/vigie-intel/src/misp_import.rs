//! MISP events (core format, `{"Event": {...}}`, as files, feeds and the REST API write them)
//! to records. Attributes of the types Vigie stores become records carrying `to_ids`; object
//! attributes too (`stix2-pattern` ones as STIX patterns); composite types (`filename|sha256`,
//! `ip-dst|port`, `domain|ip`) give their
//! indicator parts. TLP comes from the attribute's `tlp:*` tags, else the event's; ATT&CK ids
//! from `misp-galaxy:mitre-*` tags and galaxy clusters.

use serde_json::{Map, Value};

use crate::indicator::{IndicatorType, Record};
use crate::normalize::normalize;
use crate::report::Parsed;
use crate::timestamp;
use crate::tlp::Tlp;

/// The events of a MISP JSON document: `{"Event": ...}`, `{"response": [{"Event": ...}]}`, a
/// list of those, or a bare event object. `Err` when there is none.
pub fn events(json: &Value) -> Result<Vec<&Map<String, Value>>, String> {
    let mut out = Vec::new();
    collect_events(json, &mut out, 0);
    if out.is_empty() {
        return Err(
            "expected {\"Event\": {...}}, {\"response\": [...]} or a list of events".into(),
        );
    }
    Ok(out)
}

fn collect_events<'a>(json: &'a Value, out: &mut Vec<&'a Map<String, Value>>, depth: usize) {
    if depth > 2 {
        return;
    }
    match json {
        Value::Array(items) => items.iter().for_each(|i| collect_events(i, out, depth + 1)),
        Value::Object(map) => {
            if let Some(e) = map.get("Event").and_then(Value::as_object) {
                out.push(e);
            } else if let Some(r) = map.get("response") {
                collect_events(r, out, depth + 1);
            } else if map.contains_key("Attribute") || map.contains_key("Object") {
                out.push(map);
            }
        }
        _ => {}
    }
}

/// An event's uuid and timestamp (seconds), where it has them.
pub fn event_id(event: &Map<String, Value>) -> (Option<&str>, Option<i64>) {
    (
        event.get("uuid").and_then(Value::as_str),
        event.get("timestamp").and_then(timestamp::unix),
    )
}

/// Reads one event's attributes (top-level and in objects) into `parsed`.
pub fn parse_event(event: &Map<String, Value>, file: &str, parsed: &mut Parsed) {
    let uuid = event
        .get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("(no uuid)");
    let event_tags = tags(event.get("Tag"));
    let ctx = EventContext {
        uuid,
        info: event.get("info").and_then(Value::as_str),
        tlp: event_tags
            .iter()
            .filter_map(|t| Tlp::from_misp_tag(t))
            .max(),
        labels: labels(&event_tags),
        kill_chain: kill_chain(&event_tags),
        attack: attack_ids(&event_tags, event.get("Galaxy")),
    };
    for (i, a) in list(event.get("Attribute")).iter().enumerate() {
        attribute(a, &format!("Attribute[{i}]"), &ctx, file, parsed);
    }
    for (oi, o) in list(event.get("Object")).iter().enumerate() {
        if truthy(o.get("deleted")) {
            let n = list(o.get("Attribute")).len();
            parsed.objects += n;
            *parsed
                .skipped
                .entry("MISP attribute of a deleted object".into())
                .or_default() += n;
            continue;
        }
        for (i, a) in list(o.get("Attribute")).iter().enumerate() {
            attribute(
                a,
                &format!("Object[{oi}].Attribute[{i}]"),
                &ctx,
                file,
                parsed,
            );
        }
    }
}

struct EventContext<'a> {
    uuid: &'a str,
    info: Option<&'a str>,
    tlp: Option<Tlp>,
    labels: Vec<String>,
    kill_chain: Vec<String>,
    attack: Vec<String>,
}

fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// MISP writes booleans as true/false, 1/0 or "1"/"0".
fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(Value::String(s)) => matches!(s.trim(), "1" | "true" | "True"),
        _ => false,
    }
}

fn tags(v: Option<&Value>) -> Vec<String> {
    list(v)
        .iter()
        .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

fn labels(tags: &[String]) -> Vec<String> {
    tags.iter()
        .filter(|t| Tlp::from_misp_tag(t).is_none() && !t.to_ascii_lowercase().starts_with("tlp:"))
        .cloned()
        .collect()
}

fn kill_chain(tags: &[String]) -> Vec<String> {
    tags.iter()
        .filter_map(|t| t.strip_prefix("kill-chain:"))
        .map(|p| format!("kill-chain:{}", p.trim_matches('"')))
        .collect()
}

/// `T1059`, `T1059.001` (and software / group ids `S0061`, `G0019`) in `misp-galaxy:mitre-*`
/// tags (`... - T1441"`) and in galaxy clusters' `meta.external_id`.
fn attack_ids(tags: &[String], galaxies: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |id: &str| {
        if is_attack_id(id) && !out.iter().any(|x| x == id) {
            out.push(id.to_owned());
        }
    };
    for t in tags {
        if let Some(rest) = t.strip_prefix("misp-galaxy:mitre-") {
            if let Some((_, last)) = rest.trim_end_matches('"').rsplit_once(" - ") {
                push(last.trim());
            }
        }
    }
    for g in list(galaxies) {
        let is_attack = g
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("mitre-"));
        if !is_attack {
            continue;
        }
        for c in list(g.get("GalaxyCluster")) {
            for id in list(c.pointer("/meta/external_id")) {
                if let Some(id) = id.as_str() {
                    push(id);
                }
            }
        }
    }
    out
}

fn is_attack_id(id: &str) -> bool {
    let Some(rest) = ["TA", "T", "S", "G", "M", "C"]
        .iter()
        .find_map(|p| id.strip_prefix(p))
    else {
        return false;
    };
    let (main, sub) = rest.split_once('.').unwrap_or((rest, "000"));
    main.len() == 4
        && main.bytes().all(|b| b.is_ascii_digit())
        && sub.len() == 3
        && sub.bytes().all(|b| b.is_ascii_digit())
}

/// The indicator parts of a MISP attribute type: (type to read each `|` part as, or None for
/// a part that is not an indicator). `None`: a type Vigie does not store.
fn parts(misp_type: &str) -> Option<&'static [Option<IndicatorType>]> {
    use IndicatorType as T;
    const IP: Option<T> = Some(T::Cidr); // read as any IP address or network
    Some(match misp_type {
        "ip-src" | "ip-dst" => &[IP],
        "ip-src|port" | "ip-dst|port" => &[IP, None],
        "domain" | "hostname" => &[Some(T::Domain)],
        "domain|ip" => &[Some(T::Domain), IP],
        "hostname|port" => &[Some(T::Domain), None],
        "url" => &[Some(T::Url)],
        "md5" => &[Some(T::Md5)],
        "sha1" => &[Some(T::Sha1)],
        "sha256" => &[Some(T::Sha256)],
        "sha512" => &[Some(T::Sha512)],
        "filename|md5" | "malware-sample" => &[None, Some(T::Md5)],
        "filename|sha1" => &[None, Some(T::Sha1)],
        "filename|sha256" => &[None, Some(T::Sha256)],
        "filename|sha512" => &[None, Some(T::Sha512)],
        "email" | "email-src" | "email-dst" | "email-reply-to" | "whois-registrant-email" => {
            &[Some(T::Email)]
        }
        "filename" | "email-attachment" => &[Some(T::Filename)],
        "stix2-pattern" => &[Some(T::StixPattern)],
        _ => return None,
    })
}

fn attribute(a: &Value, index: &str, ctx: &EventContext<'_>, file: &str, parsed: &mut Parsed) {
    parsed.objects += 1;
    let place = match a.get("uuid").and_then(Value::as_str) {
        Some(u) => format!("event {} attribute {u}", ctx.uuid),
        None => format!("event {} {index}", ctx.uuid),
    };
    let Some(misp_type) = a.get("type").and_then(Value::as_str) else {
        parsed.problem(file, place, "attribute without a 'type' string");
        return;
    };
    if truthy(a.get("deleted")) {
        parsed.skip("MISP attribute marked deleted");
        return;
    }
    let Some(layout) = parts(misp_type) else {
        parsed.skip(format!(
            "MISP type '{misp_type}': not an indicator type Vigie stores"
        ));
        return;
    };
    let Some(value) = a.get("value").and_then(Value::as_str) else {
        parsed.problem(
            file,
            place,
            format!("{misp_type} attribute without a 'value' string"),
        );
        return;
    };
    let pieces: Vec<&str> = if layout.len() == 1 {
        vec![value]
    } else {
        value.splitn(layout.len(), '|').collect()
    };
    if pieces.len() != layout.len() {
        parsed.problem(
            file,
            place,
            format!(
                "{misp_type} value {value:?} does not have {} parts",
                layout.len()
            ),
        );
        return;
    }
    let attr_tags = tags(a.get("Tag"));
    let tlp = attr_tags
        .iter()
        .filter_map(|t| Tlp::from_misp_tag(t))
        .max()
        .or(ctx.tlp);
    let mut labels = ctx.labels.clone();
    for l in self::labels(&attr_tags) {
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    let mut attack = ctx.attack.clone();
    for id in attack_ids(&attr_tags, a.get("Galaxy")) {
        if !attack.contains(&id) {
            attack.push(id);
        }
    }
    let comment = a
        .get("comment")
        .and_then(Value::as_str)
        .filter(|c| !c.trim().is_empty());
    let reference = match a.get("uuid").and_then(Value::as_str) {
        Some(u) => format!("misp:{}/{u}", ctx.uuid),
        None => format!("misp:{}/{index}", ctx.uuid),
    };
    for (piece, kind) in pieces.iter().zip(layout) {
        let Some(kind) = kind else { continue };
        match normalize(*kind, piece) {
            Ok((kind, value)) => parsed.records.push(Record {
                kind,
                value,
                reference: reference.clone(),
                tlp,
                confidence: None,
                to_ids: truthy(a.get("to_ids")),
                valid_from: None,
                valid_until: None,
                name: ctx.info.map(str::to_owned),
                description: comment.map(str::to_owned),
                labels: labels.clone(),
                kill_chain: kill_chain(&attr_tags)
                    .into_iter()
                    .chain(ctx.kill_chain.iter().cloned())
                    .collect(),
                attack: attack.clone(),
            }),
            Err(e) => parsed.problem(file, place.as_str(), format!("{misp_type}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_objects_composites_tags() {
        let doc = serde_json::json!({"Event": {
            "uuid": "ev-1", "info": "Test event", "timestamp": "1700000000",
            "Tag": [{"name": "tlp:green"}, {"name": "misp-galaxy:mitre-attack-pattern=\"Spearphishing Link - T1566.002\""}],
            "Attribute": [
                {"uuid": "a1", "type": "ip-dst", "value": "198.51.100.7", "to_ids": true},
                {"uuid": "a2", "type": "filename|sha256", "value": "x.exe|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "to_ids": "1", "Tag": [{"name": "tlp:red"}]},
                {"uuid": "a3", "type": "link", "value": "https://blog.example/post", "to_ids": false},
                {"uuid": "a4", "type": "domain", "value": "not a domain", "to_ids": true},
                {"uuid": "a5", "type": "domain", "value": "evil.example", "to_ids": false, "deleted": true}
            ],
            "Object": [{"Attribute": [{"uuid": "o1", "type": "url", "value": "http://Evil.Example/x", "to_ids": false}]}]
        }});
        let evs = events(&doc).expect("event");
        let mut p = Parsed::default();
        parse_event(evs[0], "e.json", &mut p);
        assert_eq!(p.objects, 6);
        assert_eq!(p.records.len(), 3);
        assert_eq!(p.records[0].tlp, Some(Tlp::Green));
        assert_eq!(p.records[0].attack, vec!["T1566.002".to_owned()]);
        assert_eq!(p.records[1].kind, IndicatorType::Sha256);
        assert_eq!(p.records[1].tlp, Some(Tlp::Red));
        assert!(p.records[1].to_ids);
        assert_eq!(p.records[2].value, "http://evil.example/x");
        assert!(!p.records[2].to_ids);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].place, "event ev-1 attribute a4");
        assert_eq!(p.skipped_total(), 2);
    }

    #[test]
    fn event_shapes() {
        assert!(events(&serde_json::json!({"response": [{"Event": {"uuid": "x"}}]})).is_ok());
        assert!(
            events(&serde_json::json!([{"Event": {}}, {"Event": {}}])).map(|e| e.len()) == Ok(2)
        );
        assert!(events(&serde_json::json!({"type": "bundle"})).is_err());
    }
}
