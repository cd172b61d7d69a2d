//! Deterministic STIX identifiers: UUIDv5 under Vigie's own namespace for what Vigie makes
//! (indicators from their type and value, so that re-exports give the same ids; identities,
//! sightings, observed-data, bundles, MISP events and attributes), and the STIX 2.1 namespace
//! over the canonical JSON of the id-contributing properties for cyber-observables (STIX 2.1
//! section 2.9).

use serde_json::Value;
use uuid::Uuid;
use vigie_intel::IndicatorType;

/// Vigie's namespace for the UUIDv5 of what it exports (a fixed random UUID).
pub const VIGIE_NAMESPACE: Uuid = Uuid::from_u128(0x40a6f679_6cd3_4515_b36a_882b1c0dea75);

/// The namespace STIX 2.1 gives for cyber-observable ids.
pub const STIX_SCO_NAMESPACE: Uuid = Uuid::from_u128(0x00abedb4_aa42_466c_9c01_fed23315a9b7);

/// A UUIDv5 in Vigie's namespace.
pub fn vigie_uuid(name: &str) -> Uuid {
    Uuid::new_v5(&VIGIE_NAMESPACE, name.as_bytes())
}

/// `{stix_type}--{uuid5(name)}`.
pub fn stix_id(stix_type: &str, name: &str) -> String {
    format!("{stix_type}--{}", vigie_uuid(name))
}

/// The id of the indicator exported for a store value: the same whoever exports it, whenever.
pub fn indicator_id(kind: IndicatorType, value: &str) -> String {
    stix_id("indicator", &format!("{}:{value}", kind.as_str()))
}

/// A cyber-observable's id: `type--uuid5(STIX namespace, canonical JSON of the
/// id-contributing properties)` (keys sorted, no spaces, as RFC 8785 writes these objects).
pub fn sco_id(sco_type: &str, contributing: &Value) -> String {
    let canonical = canonical_json(contributing);
    format!(
        "{sco_type}--{}",
        Uuid::new_v5(&STIX_SCO_NAMESPACE, canonical.as_bytes())
    )
}

/// The id of an SCO without id-contributing properties (a process): STIX asks for a UUIDv4;
/// this one has the v4 form, its bits taken from a UUIDv5 of what was seen, so it is stable.
pub fn sco_v4_id(sco_type: &str, seen: &Value) -> String {
    let hashed = Uuid::new_v5(&VIGIE_NAMESPACE, canonical_json(seen).as_bytes());
    let v4 = uuid::Builder::from_random_bytes(*hashed.as_bytes()).into_uuid();
    format!("{sco_type}--{v4}")
}

/// JSON with object keys sorted at every level and no insignificant white space.
pub fn canonical_json(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&map[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(canonical_json).collect();
            format!("[{}]", parts.join(","))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sco_ids_agree_with_python_uuid5() {
        // Python's uuid.uuid5(STIX namespace, '{"value":"198.51.100.3"}').
        let id = sco_id("ipv4-addr", &serde_json::json!({"value": "198.51.100.3"}));
        assert_eq!(id, "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
    }

    #[test]
    fn indicator_ids_are_stable_and_distinct() {
        let a = indicator_id(IndicatorType::Ipv4, "203.0.113.45");
        assert_eq!(a, indicator_id(IndicatorType::Ipv4, "203.0.113.45"));
        assert_ne!(a, indicator_id(IndicatorType::Cidr, "203.0.113.45"));
        assert_eq!(
            Uuid::parse_str(&a["indicator--".len()..]).map(|u| u.get_version_num()),
            Ok(5)
        );
    }

    #[test]
    fn process_ids_have_the_v4_form_and_are_stable() {
        let seen = serde_json::json!({"pid": 4});
        let a = sco_v4_id("process", &seen);
        assert_eq!(a, sco_v4_id("process", &seen));
        let u = Uuid::parse_str(&a["process--".len()..]).expect("uuid");
        assert_eq!(u.get_version_num(), 4);
        assert_ne!(a, sco_v4_id("process", &serde_json::json!({"pid": 5})));
    }

    #[test]
    fn canonical_json_sorts_keys() {
        let v = serde_json::json!({"b": 1, "a": {"d": "x", "c": [1, "é"]}});
        assert_eq!(canonical_json(&v), r#"{"a":{"c":[1,"é"],"d":"x"},"b":1}"#);
    }
}
