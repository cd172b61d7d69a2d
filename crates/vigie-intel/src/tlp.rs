//! TLP markings: the five levels of TLP 2.0 (TLP 1.0's white read as clear), from STIX
//! marking-definitions (the predefined TLP 1.0 and TLP 2.0 ids, or a definition in the same
//! file), from MISP `tlp:*` tags, or from text such as `--tlp amber+strict`.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

/// A TLP level, ordered from the least to the most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

/// The predefined STIX marking-definition ids: TLP 1.0 (STIX 2.1 section 7.2.1.4) and the
/// TLP 2.0 ones of the OASIS extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.
const MARKING_IDS: [(&str, Tlp); 9] = [
    (
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        Tlp::Clear,
    ),
    (
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        Tlp::Green,
    ),
    (
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        Tlp::Amber,
    ),
    (
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        Tlp::Red,
    ),
    (
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Clear,
    ),
    (
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Green,
    ),
    (
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::Amber,
    ),
    (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::AmberStrict,
    ),
    (
        "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        Tlp::Red,
    ),
];

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The TLP 2.0 name, lower case: `clear`, `green`, `amber`, `amber+strict`, `red`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The rank stored in the database (0 = clear ... 4 = red).
    pub fn rank(self) -> i64 {
        self as i64
    }

    pub fn from_rank(rank: i64) -> Option<Tlp> {
        usize::try_from(rank)
            .ok()
            .and_then(|r| Tlp::ALL.get(r).copied())
    }

    /// Reads `clear`, `white`, `green`, `amber`, `amber+strict` (or `amber-strict`), `red`,
    /// in any case, with or without a `tlp:` prefix.
    pub fn parse(text: &str) -> Option<Tlp> {
        let t = text.trim().to_ascii_lowercase();
        let t = t.strip_prefix("tlp:").unwrap_or(&t).trim();
        match t {
            "clear" | "white" => Some(Tlp::Clear),
            "green" => Some(Tlp::Green),
            "amber" => Some(Tlp::Amber),
            "amber+strict" | "amber-strict" | "amber_strict" => Some(Tlp::AmberStrict),
            "red" => Some(Tlp::Red),
            _ => None,
        }
    }

    /// One of the predefined TLP marking-definition ids.
    pub fn from_marking_id(id: &str) -> Option<Tlp> {
        MARKING_IDS
            .iter()
            .find(|(known, _)| *known == id)
            .map(|(_, t)| *t)
    }

    /// A marking-definition object that states a TLP level: STIX 2.1 `definition_type: tlp`,
    /// the TLP 2.0 extension's `tlp_2_0` property, or a `TLP:...` name.
    pub fn from_marking_definition(object: &Value) -> Option<Tlp> {
        if object.get("definition_type").and_then(Value::as_str) == Some("tlp") {
            if let Some(t) = object
                .pointer("/definition/tlp")
                .and_then(Value::as_str)
                .and_then(Tlp::parse)
            {
                return Some(t);
            }
        }
        if let Some(exts) = object.get("extensions").and_then(Value::as_object) {
            for ext in exts.values() {
                if let Some(t) = ext
                    .get("tlp_2_0")
                    .and_then(Value::as_str)
                    .and_then(Tlp::parse)
                {
                    return Some(t);
                }
            }
        }
        object
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| n.to_ascii_lowercase().starts_with("tlp:"))
            .and_then(Tlp::parse)
    }

    /// A MISP tag such as `tlp:amber+strict`; other tags (and `tlp:ex:*`) are not TLP levels.
    pub fn from_misp_tag(tag: &str) -> Option<Tlp> {
        let lower = tag.trim().to_ascii_lowercase();
        lower.strip_prefix("tlp:").and_then(Tlp::parse)
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tlp {
    type Err = String;
    fn from_str(s: &str) -> Result<Tlp, String> {
        Tlp::parse(s).ok_or_else(|| {
            format!("unknown TLP level {s:?} (use clear, white, green, amber, amber+strict or red)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_in_every_spelling() {
        assert_eq!(Tlp::parse("TLP:WHITE"), Some(Tlp::Clear));
        assert_eq!(Tlp::parse("amber+strict"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::parse("TLP:AMBER+STRICT"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::parse("purple"), None);
        assert_eq!(Tlp::from_misp_tag("tlp:red"), Some(Tlp::Red));
        assert_eq!(Tlp::from_misp_tag("tlp:ex:chr"), None);
        assert_eq!(Tlp::from_misp_tag("type:OSINT"), None);
        assert!(Tlp::Clear < Tlp::Green && Tlp::AmberStrict < Tlp::Red);
        for t in Tlp::ALL {
            assert_eq!(Tlp::from_rank(t.rank()), Some(t));
        }
    }

    #[test]
    fn marking_definitions_tlp1_tlp2_and_in_file() {
        assert_eq!(
            Tlp::from_marking_id("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
            Some(Tlp::AmberStrict)
        );
        let v1 = serde_json::json!({"type": "marking-definition", "definition_type": "tlp", "definition": {"tlp": "green"}});
        assert_eq!(Tlp::from_marking_definition(&v1), Some(Tlp::Green));
        let v2 = serde_json::json!({"type": "marking-definition", "name": "TLP:RED",
            "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {"extension_type": "property-extension", "tlp_2_0": "red"}}});
        assert_eq!(Tlp::from_marking_definition(&v2), Some(Tlp::Red));
        let statement = serde_json::json!({"type": "marking-definition", "definition_type": "statement", "definition": {"statement": "Copyright"}});
        assert_eq!(Tlp::from_marking_definition(&statement), None);
    }
}
