//! The hunt: load rules from files, read log inputs, run the engine, and return
//! time-ordered detections with a summary; and rule-less searches over the same inputs.
//! The `vigie` binary and the tests share these paths.

mod detection;
mod exclusions;
mod hunt;
mod inputs;
mod intel;
mod rule_cache;
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
#[doc(hidden)]
pub use rule_cache::{decode_cache_file, decode_cache_payload, encode_cache_file};
pub use rule_cache::{CacheReport, CacheWriteError, RuleCache, Stamp};
pub use rules::{load_rules, load_rules_cached, parse_placeholders, LoadedRules, RuleSources};
pub use search::{count_events, project, search, Found, Projected, SearchOptions, SearchReport};
pub use tally::MAX_REPEAT_GROUPS;
pub use timeline::{Entry as TimelineEntry, Rendered, Timeline, DEFAULT_MEMORY_BUDGET};
