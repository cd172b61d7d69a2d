//! Errors of reading the observable-field mapping.

use thiserror::Error;

/// Why an observables mapping (`observables.yml`) was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ObservablesError {
    #[error("observables mapping: invalid YAML: {0}")]
    Yaml(String),
    #[error(
        "observables mapping: expected a mapping with a `fields` mapping of kind to field names"
    )]
    Shape,
    #[error("observables mapping: unknown kind {0:?} (ip, domain, url, hash, filename, email)")]
    UnknownKind(String),
    #[error("observables mapping: kind {kind}: expected a list of field names, found {found}")]
    NotAList { kind: String, found: String },
    #[error("observables mapping: field {field:?} is named under both {first} and {second}")]
    Duplicate {
        field: String,
        first: &'static str,
        second: &'static str,
    },
}
