//! Detections as STIX 2.1 sightings: one `sighting` per thing sighted (the indicator an intel
//! detection came from, else an `attack-pattern` standing for the Sigma rule, with the rule id
//! and its ATT&CK techniques as external references), counting its detections, first and
//! last seen, pointing to one `observed-data` per detection whose `object_refs` are the SCOs of
//! its matched fields, sighted where the producer's identity is. Every object carries the TLP
//! marking given (raised to the intel's own TLP where stricter).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use vigie_intel::Tlp;

use crate::detection::{DetectionRecord, IndicatorRef};
use crate::ids::{indicator_id, stix_id};
use crate::observables::{observe, Observables};
use crate::stix_common::{
    attack_reference, bundle, stix_time, tlp_marking, tlp_marking_id, Producer,
};
use crate::stix_indicators::pattern;

/// How sightings are written.
#[derive(Debug, Clone, PartialEq)]
pub struct SightingOptions {
    /// The producer: the identity that sighted (`where_sighted_refs`) and created the objects.
    pub producer: String,
    /// The TLP every object is marked with.
    pub tlp: Tlp,
    /// Detections from intel marked above this level are left out (their sighting would name
    /// the indicator): see `withheld`.
    pub tlp_max: Tlp,
    /// The creation time of the objects.
    pub now: DateTime<Utc>,
}

/// One sighted thing and its detections.
struct Group<'d> {
    /// The object sighted, when the bundle carries it (not for an indicator known by id only).
    target: Option<Map<String, Value>>,
    tlp: Tlp,
    detections: Vec<&'d DetectionRecord>,
}

fn marked(mut o: Map<String, Value>, tlp: Tlp, producer: &Producer) -> Value {
    o.insert("created_by_ref".into(), json!(producer.id()));
    o.insert("object_marking_refs".into(), json!([tlp_marking_id(tlp)]));
    Value::Object(o)
}

fn base(stix_type: &str, id: &str, now: &str) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("type".into(), json!(stix_type));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(id));
    o.insert("created".into(), json!(now));
    o.insert("modified".into(), json!(now));
    o
}

/// The id of what a detection is a sighting of, and the object when the bundle carries it.
fn target(d: &DetectionRecord, now: &str) -> (String, Option<Map<String, Value>>) {
    let object = match &d.indicator {
        Some(IndicatorRef::Value(kind, value)) => {
            let mut o = base("indicator", &indicator_id(*kind, value), now);
            o.insert("name".into(), json!(value));
            o.insert(
                "description".into(),
                json!(format!("threat intel: {kind} {value}")),
            );
            o.insert("indicator_types".into(), json!(["malicious-activity"]));
            o.insert("pattern".into(), json!(pattern(*kind, value)));
            o.insert("pattern_type".into(), json!("stix"));
            o.insert("pattern_version".into(), json!("2.1"));
            o.insert("valid_from".into(), json!(now));
            o
        }
        Some(IndicatorRef::StixId(id)) => return (id.clone(), None),
        None | Some(IndicatorRef::StoreId(_)) => {
            let mut o = base(
                "attack-pattern",
                &stix_id("attack-pattern", &format!("sigma:{}", d.rule_id)),
                now,
            );
            o.insert("name".into(), json!(d.rule_title));
            o.insert(
                "description".into(),
                json!(format!(
                    "Sigma rule {} ({}), as Vigie ran it",
                    d.rule_id, d.level
                )),
            );
            let mut refs = vec![json!({"source_name": "sigma", "external_id": d.rule_id})];
            refs.extend(d.techniques.iter().map(|t| attack_reference(t)));
            o.insert("external_references".into(), Value::Array(refs));
            o
        }
    };
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    (id, Some(object))
}

/// Whether a detection stays out: it came from intel marked above the ceiling.
fn above_ceiling(d: &DetectionRecord, opts: &SightingOptions) -> bool {
    d.tlp.is_some_and(|t| t > opts.tlp_max)
}

/// How many detections `sightings_bundle` leaves out for their intel's TLP.
pub fn withheld(detections: &[DetectionRecord], opts: &SightingOptions) -> usize {
    detections.iter().filter(|d| above_ceiling(d, opts)).count()
}

/// The bundle of sightings for these detections (an empty bundle holds the identity only);
/// detections from intel above `opts.tlp_max` are left out.
pub fn sightings_bundle(detections: &[DetectionRecord], opts: &SightingOptions) -> Value {
    let now = stix_time(opts.now);
    let producer = Producer {
        name: opts.producer.clone(),
        created: opts.now,
    };
    let mut groups: BTreeMap<String, Group<'_>> = BTreeMap::new();
    for d in detections.iter().filter(|d| !above_ceiling(d, opts)) {
        let (id, t) = target(d, &now);
        let tlp = d.tlp.map_or(opts.tlp, |t| t.max(opts.tlp));
        let g = groups.entry(id).or_insert_with(|| Group {
            target: t,
            tlp,
            detections: Vec::new(),
        });
        g.tlp = g.tlp.max(tlp);
        g.detections.push(d);
    }
    let mut observables = Observables::default();
    let mut observed = Vec::new();
    let mut sightings = Vec::new();
    let mut targets = Vec::new();
    let mut used = vec![opts.tlp];
    for (target_id, g) in &groups {
        used.push(g.tlp);
        let mut refs = Vec::new();
        let mut seen_ids = std::collections::HashSet::new();
        for d in &g.detections {
            let objects = observe(&d.matched, &mut observables);
            if objects.is_empty() {
                continue;
            }
            let id = stix_id(
                "observed-data",
                &format!("{}#{}#{}", d.source, d.record_id, d.rule_id),
            );
            if !seen_ids.insert(id.clone()) {
                continue;
            }
            let seen = d.timestamp.map_or_else(|| now.clone(), stix_time);
            let mut o = base("observed-data", &id, &now);
            o.insert("first_observed".into(), json!(seen));
            o.insert("last_observed".into(), json!(seen));
            o.insert("number_observed".into(), json!(1));
            o.insert("object_refs".into(), json!(objects));
            observed.push(marked(o, g.tlp, &producer));
            refs.push(id);
        }
        let mut s = base(
            "sighting",
            &stix_id("sighting", &format!("{target_id}@{}", opts.producer)),
            &now,
        );
        s.insert("sighting_of_ref".into(), json!(target_id));
        let times: Vec<DateTime<Utc>> = g.detections.iter().filter_map(|d| d.timestamp).collect();
        if let (Some(first), Some(last)) = (times.iter().min(), times.iter().max()) {
            s.insert("first_seen".into(), json!(stix_time(*first)));
            s.insert("last_seen".into(), json!(stix_time(*last)));
        }
        s.insert("count".into(), json!(g.detections.len().min(999_999_999)));
        if !refs.is_empty() {
            s.insert("observed_data_refs".into(), json!(refs));
        }
        s.insert("where_sighted_refs".into(), json!([producer.id()]));
        let hosts: Vec<&str> = {
            let mut h: Vec<&str> = g
                .detections
                .iter()
                .filter_map(|d| d.computer.as_deref())
                .collect();
            h.sort_unstable();
            h.dedup();
            h
        };
        if let Some(first) = g.detections.first() {
            let on = if hosts.is_empty() {
                String::new()
            } else {
                format!(" on {}", hosts.join(", "))
            };
            s.insert("summary".into(), json!(false));
            s.insert(
                "description".into(),
                json!(format!("{} ({}){on}", first.rule_title, first.level)),
            );
        }
        sightings.push(marked(s, g.tlp, &producer));
        if let Some(t) = &g.target {
            targets.push(marked(t.clone(), g.tlp, &producer));
        }
    }
    used.sort();
    used.dedup();
    // An observable may be shared by sightings of several TLPs: it takes the strictest.
    let sco_tlp = used.last().copied().unwrap_or(opts.tlp);
    let mut objects = vec![producer.object()];
    objects.extend(used.into_iter().map(tlp_marking));
    objects.extend(targets);
    objects.extend(observables.objects.into_iter().map(|mut o| {
        if let Value::Object(m) = &mut o {
            m.insert(
                "object_marking_refs".into(),
                json!([tlp_marking_id(sco_tlp)]),
            );
        }
        o
    }));
    objects.extend(observed);
    objects.extend(sightings);
    bundle(objects)
}
