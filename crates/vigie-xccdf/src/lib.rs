//! XCCDF 1.2 profile evaluation: a benchmark (plain, or in a SCAP source data stream) read
//! with its profiles, values, rules, checks and platforms, each selected rule evaluated through
//! `vigie-oval` against a root folder, with `oscap xccdf eval`'s results (pass, fail, error,
//! unknown, notapplicable, notchecked, informational) and its default-model score. Knows no
//! terminals or arguments.

mod error;
mod eval;
mod html;
mod model;
mod parse;
mod profile;
mod score;

pub use error::XccdfError;
pub use eval::{evaluate, Options, Report, RuleResult};
pub use html::html;
pub use model::*;
pub use parse::{parse, Content, OvalSource};
pub use profile::{resolve, Resolved};
pub use score::{default_score, Score, DEFAULT_MODEL};
