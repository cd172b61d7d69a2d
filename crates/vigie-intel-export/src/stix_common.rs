//! Pieces every STIX 2.1 document Vigie writes shares: timestamps, the TLP 2.0
//! marking-definitions (the OASIS TLP extension's predefined objects), the producer's
//! identity, ATT&CK external references and the bundle around the objects.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use md5::{Digest, Md5};
use serde_json::{json, Value};
use vigie_intel::Tlp;

use crate::ids::stix_id;
use crate::json_stream::write_object_with_list;

/// The OASIS extension-definition that TLP 2.0 marking-definitions use.
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// A STIX timestamp: UTC, milliseconds, `Z`.
pub fn stix_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The predefined TLP 2.0 marking-definition id of a level.
pub fn tlp_marking_id(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

/// The predefined TLP 2.0 marking-definition object of a level, as OASIS publishes it.
pub fn tlp_marking(tlp: Tlp) -> Value {
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tlp_marking_id(tlp),
        "created": "2022-10-01T00:00:00.000Z",
        "name": format!("TLP:{}", tlp.as_str().to_ascii_uppercase()),
        "extensions": {
            TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp.as_str()}
        }
    })
}

/// Who produced the document: an organisation identity with a stable id from its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Producer {
    pub name: String,
    pub created: DateTime<Utc>,
}

impl Producer {
    pub fn id(&self) -> String {
        stix_id("identity", &format!("producer:{}", self.name))
    }

    pub fn object(&self) -> Value {
        let t = stix_time(self.created);
        json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": self.id(),
            "created": t,
            "modified": t,
            "name": self.name,
            "identity_class": "organization",
        })
    }
}

/// An ATT&CK id's external reference. Without its page's URL: STIX best practice wants a
/// URL to come with a hash of the page, which nobody has.
pub fn attack_reference(id: &str) -> Value {
    json!({"source_name": "mitre-attack", "external_id": id})
}

/// A bundle id derived from its objects' ids and versions (`modified`), hashed as they come:
/// the same objects, the same bundle id.
#[derive(Default)]
pub struct BundleId(Md5);

impl BundleId {
    pub fn add(&mut self, object: &Value) {
        let field = |k: &str| object.get(k).and_then(Value::as_str).unwrap_or("");
        self.0.update(field("id").as_bytes());
        self.0.update(b"@");
        self.0.update(field("modified").as_bytes());
        self.0.update(b",");
    }

    pub fn id(self) -> String {
        stix_id("bundle", &format!("{:x}", self.0.finalize()))
    }
}

/// A bundle of the objects.
pub fn bundle(objects: Vec<Value>) -> Value {
    let mut id = BundleId::default();
    objects.iter().for_each(|o| id.add(o));
    json!({"type": "bundle", "id": id.id(), "objects": objects})
}

/// Writes a bundle whose objects come one by one (never all in memory).
pub fn write_bundle(
    out: &mut dyn Write,
    id: &str,
    objects: impl Iterator<Item = Value>,
) -> io::Result<()> {
    let mut fields = serde_json::Map::new();
    fields.insert("type".into(), json!("bundle"));
    fields.insert("id".into(), json!(id));
    write_object_with_list(out, &fields, "objects", objects, 0)?;
    out.write_all(b"\n")
}
