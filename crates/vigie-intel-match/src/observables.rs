//! Which event fields carry which kind of observable, read from data (`observables.yml`,
//! embedded as the default) and looked up per field name without allocating.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use yaml_rust2::{Yaml, YamlLoader};

use crate::error::ObservablesError;

/// The default mapping, `crates/vigie-intel-match/observables.yml`.
pub const DEFAULT_OBSERVABLES: &str = include_str!("../observables.yml");

/// Longest field name looked up in another case (longer names are only matched exactly).
const MAX_NAME: usize = 128;

/// The kind of observable a field carries, which says how its value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservableKind {
    Ip,
    Domain,
    Url,
    Hash,
    Filename,
    Email,
}

impl ObservableKind {
    pub const ALL: [ObservableKind; 6] = [
        ObservableKind::Ip,
        ObservableKind::Domain,
        ObservableKind::Url,
        ObservableKind::Hash,
        ObservableKind::Filename,
        ObservableKind::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObservableKind::Ip => "ip",
            ObservableKind::Domain => "domain",
            ObservableKind::Url => "url",
            ObservableKind::Hash => "hash",
            ObservableKind::Filename => "filename",
            ObservableKind::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<ObservableKind> {
        ObservableKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Field name to kind: exact names, and the same names in ASCII lower case for fields
/// written in another case.
#[derive(Debug, Clone)]
pub struct Observables {
    exact: HashMap<Box<str>, ObservableKind, RandomState>,
    folded: HashMap<Box<str>, ObservableKind, RandomState>,
    /// Per name length, the ASCII-lower-case first and last bytes names of that length have
    /// (one bit each, modulo 128): most other fields are turned away without hashing.
    first: Vec<u128>,
    last: Vec<u128>,
}

fn bit(b: u8) -> u128 {
    1u128 << (b.to_ascii_lowercase() & 127)
}

impl Default for Observables {
    fn default() -> Self {
        // The embedded mapping is tested to parse; an empty mapping is the safe fallback.
        Observables::from_yaml(DEFAULT_OBSERVABLES).unwrap_or_else(|_| Observables::empty())
    }
}

impl Observables {
    /// No field carries an observable.
    pub fn empty() -> Observables {
        Observables {
            exact: HashMap::default(),
            folded: HashMap::default(),
            first: vec![0; MAX_NAME + 1],
            last: vec![0; MAX_NAME + 1],
        }
    }

    /// Reads `fields: {kind: [name, ...], ...}`.
    pub fn from_yaml(text: &str) -> Result<Observables, ObservablesError> {
        let docs =
            YamlLoader::load_from_str(text).map_err(|e| ObservablesError::Yaml(e.to_string()))?;
        let fields = docs
            .first()
            .and_then(|d| d.as_hash())
            .and_then(|h| h.get(&Yaml::String("fields".into())))
            .and_then(Yaml::as_hash)
            .ok_or(ObservablesError::Shape)?;
        let mut out = Observables::empty();
        for (kind, names) in fields {
            let kind_text = kind.as_str().ok_or(ObservablesError::Shape)?;
            let kind = ObservableKind::parse(kind_text)
                .ok_or_else(|| ObservablesError::UnknownKind(kind_text.to_owned()))?;
            let list = match names {
                Yaml::Array(list) => list.as_slice(),
                Yaml::Null => &[],
                other => {
                    return Err(ObservablesError::NotAList {
                        kind: kind.as_str().to_owned(),
                        found: format!("{other:?}"),
                    })
                }
            };
            for name in list {
                let name = name.as_str().ok_or_else(|| ObservablesError::NotAList {
                    kind: kind.as_str().to_owned(),
                    found: format!("{name:?}"),
                })?;
                out.add(name, kind)?;
            }
        }
        Ok(out)
    }

    /// Names `name` as carrying `kind`.
    pub fn add(&mut self, name: &str, kind: ObservableKind) -> Result<(), ObservablesError> {
        if let Some(first) = self.exact.get(name) {
            if *first != kind {
                return Err(ObservablesError::Duplicate {
                    field: name.to_owned(),
                    first: first.as_str(),
                    second: kind.as_str(),
                });
            }
        }
        self.exact.insert(name.into(), kind);
        if let (Some(f), Some(l)) = (name.bytes().next(), name.bytes().last()) {
            let len = name.len().min(MAX_NAME);
            self.first[len] |= bit(f);
            self.last[len] |= bit(l);
        }
        self.folded
            .entry(name.to_ascii_lowercase().into_boxed_str())
            .or_insert(kind);
        Ok(())
    }

    /// The number of field names.
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// The kind a field of this name carries: its exact name, else its name in another case.
    pub fn kind(&self, name: &str) -> Option<ObservableKind> {
        let len = name.len().min(MAX_NAME);
        let (Some(f), Some(l)) = (name.bytes().next(), name.bytes().last()) else {
            return None;
        };
        let known = |table: &[u128], b: u8| table.get(len).is_some_and(|m| m & bit(b) != 0);
        if !known(&self.first, f) || !known(&self.last, l) {
            return None;
        }
        if let Some(k) = self.exact.get(name) {
            return Some(*k);
        }
        if name.len() > MAX_NAME || !name.is_ascii() {
            return None;
        }
        let mut buf = [0u8; MAX_NAME];
        let lower = crate::text::ascii_lower(name, &mut buf)?;
        self.folded.get(lower).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_mapping_parses_and_finds_names_in_any_case() {
        let o = Observables::from_yaml(DEFAULT_OBSERVABLES).expect("default mapping");
        assert!(o.len() > 50);
        assert_eq!(o.kind("DestinationIp"), Some(ObservableKind::Ip));
        assert_eq!(o.kind("destinationip"), Some(ObservableKind::Ip));
        assert_eq!(o.kind("dns.question.name"), Some(ObservableKind::Domain));
        assert_eq!(o.kind("Hashes"), Some(ObservableKind::Hash));
        assert_eq!(o.kind("CommandLine"), None);
    }

    #[test]
    fn bad_mappings_are_refused() {
        assert_eq!(
            Observables::from_yaml("fields: {colour: [a]}").err(),
            Some(ObservablesError::UnknownKind("colour".into()))
        );
        assert_eq!(
            Observables::from_yaml("- a").err(),
            Some(ObservablesError::Shape)
        );
        assert!(matches!(
            Observables::from_yaml("fields: {ip: [a], domain: [a]}"),
            Err(ObservablesError::Duplicate { .. })
        ));
        assert!(matches!(
            Observables::from_yaml("fields: {ip: a}"),
            Err(ObservablesError::NotAList { .. })
        ));
        assert!(matches!(
            Observables::from_yaml("fields: [a"),
            Err(ObservablesError::Yaml(_))
        ));
    }
}
