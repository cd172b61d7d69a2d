//! Observations to match patterns against: observed-data with their time interval, how many
//! times they were seen, and the cyber-observable objects they carry.
//!
//! Input is JSON already parsed: a STIX bundle, a list of bundles, a list of observed-data
//! (and objects), or one observed-data. As stix2-matcher does for STIX 2.1, all bundles are
//! pooled; an observed-data's `object_refs` are resolved against every object of the pool (refs
//! that resolve nowhere are ignored), and references inside those objects resolve only among
//! the objects the same observed-data refers to. An observed-data without `object_refs` may
//! carry a STIX 2.0 `objects` dictionary instead, whose keys then serve as references.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::ObservationError;
use crate::timestamp::parse_timestamp;

/// A set of observations, in input order.
#[derive(Debug, Clone, Default)]
pub struct Observations {
    pub(crate) list: Vec<Observation>,
}

/// One observed-data.
#[derive(Debug, Clone)]
pub struct Observation {
    /// The observed-data `id`, when it has one.
    pub id: Option<String>,
    /// `first_observed` and `last_observed`, in microseconds since the epoch.
    pub first_observed: i64,
    pub last_observed: i64,
    pub number_observed: u64,
    /// The objects with the name references use for them (their `id`, or their key in a
    /// STIX 2.0 `objects` dictionary), in order, each name once.
    pub(crate) objects: Vec<(String, Value)>,
    pub(crate) by_name: HashMap<String, usize>,
}

impl Observation {
    /// The objects this observation carries.
    pub fn objects(&self) -> impl Iterator<Item = &Value> {
        self.objects.iter().map(|(_, v)| v)
    }

    pub(crate) fn resolve(&self, reference: &str) -> Option<&Value> {
        self.by_name
            .get(reference)
            .and_then(|i| self.objects.get(*i))
            .map(|(_, v)| v)
    }

    /// A name for messages.
    pub fn label(&self) -> String {
        self.id.clone().unwrap_or_else(|| "observed-data".into())
    }
}

impl Observations {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Observation> {
        self.list.get(index)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Observation> {
        self.list.iter()
    }

    /// Reads observations from parsed JSON.
    pub fn from_json(input: &Value) -> Result<Observations, ObservationError> {
        let mut objects: Vec<&Value> = Vec::new();
        match input {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    collect(item, &format!("item {i}"), &mut objects)?;
                }
            }
            Value::Object(_) => collect(input, "the input", &mut objects)?,
            other => return Err(ObservationError::NotStix(kind(other).into())),
        }
        let mut pool: HashMap<&str, &Value> = HashMap::new();
        for o in &objects {
            if o.get("type").and_then(Value::as_str) != Some("observed-data") {
                if let Some(id) = o.get("id").and_then(Value::as_str) {
                    pool.insert(id, o);
                }
            }
        }
        let mut list = Vec::new();
        for o in objects {
            if o.get("type").and_then(Value::as_str) == Some("observed-data") {
                list.push(observation(o, &pool)?);
            }
        }
        Ok(Observations { list })
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Adds a bundle's objects, or the object itself.
fn collect<'a>(
    item: &'a Value,
    place: &str,
    out: &mut Vec<&'a Value>,
) -> Result<(), ObservationError> {
    let Value::Object(map) = item else {
        return Err(ObservationError::NotStix(format!(
            "{} in {place}",
            kind(item)
        )));
    };
    if map.get("type").and_then(Value::as_str) == Some("bundle") {
        let name = map
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("the bundle in {place}"), str::to_owned);
        let Some(Value::Array(objects)) = map.get("objects") else {
            return Err(ObservationError::BundleWithoutObjects(name));
        };
        out.extend(objects.iter());
    } else {
        out.push(item);
    }
    Ok(())
}

fn observation(o: &Value, pool: &HashMap<&str, &Value>) -> Result<Observation, ObservationError> {
    let id = o.get("id").and_then(Value::as_str).map(str::to_owned);
    let label = id
        .clone()
        .unwrap_or_else(|| "observed-data without id".into());
    let time = |property: &'static str| -> Result<i64, ObservationError> {
        let v = o.get(property).ok_or(ObservationError::MissingProperty {
            id: label.clone(),
            property,
        })?;
        v.as_str()
            .and_then(parse_timestamp)
            .ok_or_else(|| ObservationError::InvalidProperty {
                id: label.clone(),
                property,
                reason: format!("{v} is not a timestamp such as \"2024-01-31T12:00:00Z\""),
            })
    };
    let first_observed = time("first_observed")?;
    let last_observed = time("last_observed")?;
    let count = o
        .get("number_observed")
        .ok_or(ObservationError::MissingProperty {
            id: label.clone(),
            property: "number_observed",
        })?;
    let number_observed =
        count
            .as_u64()
            .filter(|n| *n >= 1)
            .ok_or_else(|| ObservationError::InvalidProperty {
                id: label.clone(),
                property: "number_observed",
                reason: format!("{count} is not an integer of at least 1"),
            })?;
    let mut obs = Observation {
        id,
        first_observed,
        last_observed,
        number_observed,
        objects: Vec::new(),
        by_name: HashMap::new(),
    };
    if let Some(refs) = o.get("object_refs") {
        let Value::Array(refs) = refs else {
            return Err(ObservationError::InvalidProperty {
                id: label,
                property: "object_refs",
                reason: "not a list".into(),
            });
        };
        for r in refs {
            let Some(r) = r.as_str() else {
                return Err(ObservationError::InvalidProperty {
                    id: label,
                    property: "object_refs",
                    reason: format!("{r} is not an identifier"),
                });
            };
            if let Some(target) = pool.get(r) {
                add(&mut obs, r, target);
            }
        }
    } else if let Some(objects) = o.get("objects") {
        let Value::Object(map) = objects else {
            return Err(ObservationError::InvalidProperty {
                id: label,
                property: "objects",
                reason: "not a dictionary of objects".into(),
            });
        };
        for (name, target) in map {
            add(&mut obs, name, target);
        }
    } else {
        return Err(ObservationError::MissingProperty {
            id: label,
            property: "object_refs",
        });
    }
    Ok(obs)
}

fn add(obs: &mut Observation, name: &str, object: &Value) {
    match obs.by_name.get(name) {
        Some(&i) => {
            if let Some(slot) = obs.objects.get_mut(i) {
                slot.1 = object.clone();
            }
        }
        None => {
            obs.by_name.insert(name.to_owned(), obs.objects.len());
            obs.objects.push((name.to_owned(), object.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn od(id: &str, refs: &[&str]) -> Value {
        json!({"type": "observed-data", "id": id, "first_observed": "2020-01-01T00:00:00Z",
               "last_observed": "2020-01-01T00:00:01Z", "number_observed": 2, "object_refs": refs})
    }

    #[test]
    fn bundles_pool_their_objects() {
        let a = json!({"type": "bundle", "id": "bundle--a", "objects": [od("observed-data--1", &["ipv4-addr--x"])]});
        let b = json!({"type": "bundle", "id": "bundle--b", "objects": [{"type": "ipv4-addr", "id": "ipv4-addr--x", "value": "10.0.0.1"}]});
        let obs = Observations::from_json(&json!([a, b])).expect("reads");
        assert_eq!(obs.len(), 1);
        let o = obs.get(0).expect("one");
        assert_eq!(o.number_observed, 2);
        assert_eq!(o.objects().count(), 1);
    }

    #[test]
    fn stix20_objects_and_errors() {
        let v = json!({"type": "observed-data", "first_observed": "2020-01-01T00:00:00Z",
            "last_observed": "2020-01-01T00:00:00Z", "number_observed": 1,
            "objects": {"0": {"type": "file", "name": "a"}}});
        let obs = Observations::from_json(&v).expect("reads");
        assert!(obs.get(0).and_then(|o| o.resolve("0")).is_some());
        let mut bad = v.clone();
        bad["number_observed"] = json!(0);
        assert!(Observations::from_json(&bad).is_err());
        let mut bad = v.clone();
        bad["first_observed"] = json!("2020-01-01");
        assert!(Observations::from_json(&bad).is_err());
        assert!(Observations::from_json(&json!({"type": "bundle"})).is_err());
        assert!(Observations::from_json(&json!("x")).is_err());
    }
}
