//! STIX 2.1 patterns: a parser for the whole pattern grammar, the extra rules of the OASIS
//! validator, and an evaluator over observed-data with the semantics of the OASIS matcher
//! (stix2-matcher). It takes text and parsed JSON; it knows no files, sockets or HTTP.
//!
//! ```
//! use vigie_stix_pattern::{parse, Observations};
//!
//! let pattern = parse("[ipv4-addr:value ISSUBSET '198.51.100.0/24']").expect("valid");
//! let observed = serde_json::json!([{
//!     "type": "observed-data", "id": "observed-data--1",
//!     "first_observed": "2024-01-31T12:00:00Z", "last_observed": "2024-01-31T12:00:00Z",
//!     "number_observed": 1,
//!     "objects": {"0": {"type": "ipv4-addr", "value": "198.51.100.7"}}
//! }]);
//! let obs = Observations::from_json(&observed).expect("observations");
//! assert!(pattern.matches(&obs).expect("evaluates").matched);
//! ```

pub mod ast;
mod bindings;
mod compile;
mod display;
mod error;
mod eval;
mod ip;
mod lexer;
mod observation;
mod parser;
mod path;
mod repeats;
mod text;
mod timestamp;
mod validate;
mod value;

pub use ast::Pattern;
pub use bindings::EvalOptions;
pub use compile::CompiledPattern;
pub use error::{EvalError, ObservationError, ParseError, ParseErrorKind, ValidationError};
pub use eval::{MatchResult, NON_OBSERVABLE_TYPES};
pub use observation::{Observation, Observations};
pub use parser::{parse, MAX_NESTING};
pub use validate::{hash_value_ok, validate};
