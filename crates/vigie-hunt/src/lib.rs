//! The hunt: load rules from files, read log inputs, run the engine, and return
//! time-ordered detections with a summary; and rule-less searches over the same inputs.
//! The `vigie` binary and the tests share these paths.

mod detection;
mod exclusions;
mod hunt;
mod inputs;
mod intel;
mod rules;
mod search;
mod spill;
mod tally;
mod timeline;

#[doc(hidden)]
pub use detection::RuleHead;
pub use detection::{Detection, Identity, IntelRef};
pub use exclusions::{Exclusion, Exclusions};
pub use hunt::{
    hunt, hunt_found, HuntOptions, HuntReport, Progress, RenderFn, Renderer, Repeated, Summary,
};
pub use inputs::Window;
pub use intel::{intel_rule_id, INTEL_LEVEL};
pub use rules::{load_rules, parse_placeholders, RuleSources};
pub use search::{count_events, project, search, Found, Projected, SearchOptions, SearchReport};
pub use tally::MAX_REPEAT_GROUPS;
pub use timeline::{Entry as TimelineEntry, Rendered, Timeline, DEFAULT_MEMORY_BUDGET};
