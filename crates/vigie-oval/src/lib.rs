//! OVAL 5.11 evaluation: a definitions document (or the OVAL component of a SCAP source data
//! stream) read from XML text, evaluated against a root folder with OpenSCAP's verdicts
//! (true, false, error, unknown, not evaluated, not applicable). Knows no terminals or
//! arguments: it takes text and a folder.

mod compare;
mod error;
mod eval;
mod item;
mod model;
mod objects;
mod parse;
mod parse_variables;
mod probes;
mod result;
mod states;
mod variables;

pub use error::OvalError;
pub use eval::{evaluate, evaluate_with, DefinitionResult, Evaluator};
pub use model::Document;
pub use parse::{parse, parse_in_component, parse_variables, Loaded};
pub use probes::SUPPORTED;
pub use result::OvalResult;
