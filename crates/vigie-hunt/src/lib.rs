//! The hunt: load rules from files, read log inputs, run the engine, and return
//! time-ordered detections with a summary. The `vigie` binary and the tests share this path.

mod detection;
mod exclusions;
mod hunt;
mod rules;

pub use detection::Detection;
pub use exclusions::{Exclusion, Exclusions};
pub use hunt::{hunt, HuntOptions, HuntReport, Progress, Summary};
pub use rules::{load_rules, parse_placeholders, RuleSources};
