//! Indicators as a MISP event (MISP core format, `{"Event": {...}}`): one attribute per
//! value with its MISP type and category, `to_ids`, a `tlp:*` tag and the sources' labels as
//! tags, ATT&CK ids as `mitre-attack-pattern` galaxy clusters; the event tagged with the
//! strictest TLP of its attributes. Ids are UUIDv5, so re-exports are stable.

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use vigie_intel::{IndicatorType, Tlp};

use crate::ids::vigie_uuid;
use crate::json_stream::write_object_with_list;
use crate::selection::ExportIndicator;

/// MISP's attribute type and category for a store type.
pub fn misp_type(kind: IndicatorType) -> (&'static str, &'static str) {
    match kind {
        IndicatorType::Ipv4 | IndicatorType::Ipv6 | IndicatorType::Cidr => {
            ("ip-dst", "Network activity")
        }
        IndicatorType::Domain => ("domain", "Network activity"),
        IndicatorType::Url => ("url", "Network activity"),
        IndicatorType::Md5 => ("md5", "Payload delivery"),
        IndicatorType::Sha1 => ("sha1", "Payload delivery"),
        IndicatorType::Sha256 => ("sha256", "Payload delivery"),
        IndicatorType::Sha512 => ("sha512", "Payload delivery"),
        IndicatorType::Email => ("email-src", "Payload delivery"),
        IndicatorType::Filename => ("filename", "Payload delivery"),
        IndicatorType::StixPattern => ("stix2-pattern", "Payload installation"),
    }
}

/// What the event says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMeta {
    /// The event's title (`info`); also what its uuid is derived from.
    pub info: String,
    /// The creating organisation (`Orgc`).
    pub org: String,
    pub now: DateTime<Utc>,
}

impl EventMeta {
    pub fn uuid(&self) -> String {
        vigie_uuid(&format!("misp-event:{}:{}", self.org, self.info)).to_string()
    }

    fn orgc(&self) -> Value {
        json!({"name": self.org, "uuid": vigie_uuid(&format!("misp-org:{}", self.org)).to_string()})
    }
}

fn unix(stored: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(stored)
        .ok()
        .map(|t| t.timestamp())
}

fn tag(name: &str) -> Value {
    json!({"name": name})
}

/// One attribute.
pub fn attribute(e: &ExportIndicator, now: DateTime<Utc>) -> Value {
    let v = &e.view;
    let (kind, category) = misp_type(v.kind);
    let mut a = Map::new();
    a.insert(
        "uuid".into(),
        json!(vigie_uuid(&format!("misp-attribute:{}:{}", v.kind, v.value)).to_string()),
    );
    a.insert("type".into(), json!(kind));
    a.insert("category".into(), json!(category));
    a.insert("value".into(), json!(v.value));
    a.insert("to_ids".into(), json!(v.to_ids));
    let ts = unix(&v.last_seen).unwrap_or_else(|| now.timestamp());
    a.insert("timestamp".into(), json!(ts.to_string()));
    a.insert("disable_correlation".into(), json!(false));
    let comment = [e.name.as_deref(), e.description.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(": ");
    a.insert("comment".into(), json!(comment));
    let mut tags = vec![tag(&format!("tlp:{}", v.tlp))];
    tags.extend(e.labels.iter().map(|l| tag(l)));
    a.insert("Tag".into(), Value::Array(tags));
    if !e.attack.is_empty() {
        let clusters: Vec<Value> = e
            .attack
            .iter()
            .map(|id| json!({"type": "mitre-attack-pattern", "value": id, "meta": {"external_id": [id]}}))
            .collect();
        a.insert(
            "Galaxy".into(),
            json!([{"type": "mitre-attack-pattern", "name": "Attack Pattern", "GalaxyCluster": clusters}]),
        );
    }
    Value::Object(a)
}

/// The event's fields other than its attributes.
pub fn event_fields(indicators: &[&ExportIndicator], meta: &EventMeta) -> Map<String, Value> {
    let tlp = indicators
        .iter()
        .map(|e| e.view.tlp)
        .max()
        .unwrap_or(Tlp::Clear);
    let ts = meta.now.timestamp().to_string();
    let fields = json!({
        "uuid": meta.uuid(),
        "info": meta.info,
        "date": meta.now.format("%Y-%m-%d").to_string(),
        "timestamp": ts,
        "publish_timestamp": ts,
        "published": true,
        "analysis": "2",
        "threat_level_id": "2",
        "Orgc": meta.orgc(),
        "Tag": [tag(&format!("tlp:{tlp}"))],
    });
    match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The event holding the indicators, as one value (small exports, tests).
pub fn misp_event(indicators: &[&ExportIndicator], meta: &EventMeta) -> Value {
    let mut e = event_fields(indicators, meta);
    let attributes = indicators.iter().map(|i| attribute(i, meta.now)).collect();
    e.insert("Attribute".into(), Value::Array(attributes));
    json!({ "Event": e })
}

/// Writes the same event one attribute at a time, never holding it whole.
pub fn write_misp_event(
    out: &mut dyn Write,
    indicators: &[&ExportIndicator],
    meta: &EventMeta,
) -> io::Result<()> {
    out.write_all(b"{\n  \"Event\": ")?;
    let fields = event_fields(indicators, meta);
    let attributes = indicators.iter().map(|i| attribute(i, meta.now));
    write_object_with_list(out, &fields, "Attribute", attributes, 2)?;
    out.write_all(b"\n}\n")
}

/// The indicators each source gives, by source name, for a feed's one event per source.
pub fn by_source(indicators: &[ExportIndicator]) -> BTreeMap<&str, Vec<&ExportIndicator>> {
    let mut out: BTreeMap<&str, Vec<&ExportIndicator>> = BTreeMap::new();
    for e in indicators {
        for s in &e.view.sources {
            out.entry(s.as_str()).or_default().push(e);
        }
    }
    out
}
