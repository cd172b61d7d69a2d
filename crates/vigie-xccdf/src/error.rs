//! Typed errors: what could not be read in XCCDF content, naming the file and the element id.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum XccdfError {
    /// The file is not well-formed XML.
    #[error("{file}:{line}: not well-formed XML: {reason}")]
    Xml {
        file: String,
        line: u32,
        reason: String,
    },
    /// Neither an XCCDF 1.2 Benchmark nor a data stream holding one.
    #[error("{file}: no XCCDF 1.2 Benchmark found (expected a Benchmark, or a SCAP source data stream with an XCCDF component)")]
    NotXccdf { file: String },
    /// The asked profile is not in the benchmark.
    #[error("{file}: no profile {id} (known: {known})")]
    NoProfile {
        file: String,
        id: String,
        known: String,
    },
    /// A profile extends one that does not exist, or itself.
    #[error("{file}: {id}: {reason}")]
    Element {
        file: String,
        id: String,
        reason: String,
    },
    /// A referenced OVAL file could not be read or parsed.
    #[error("{file}: OVAL content {href}: {reason}")]
    Oval {
        file: String,
        href: String,
        reason: String,
    },
}
