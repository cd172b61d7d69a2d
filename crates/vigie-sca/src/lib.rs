//! Wazuh SCA policies (their YAML: policy, requirements, variables, checks) read and evaluated
//! against a root folder, so that Wazuh users bring their policies: file, directory and
//! process rules with regex, negated regex, numeric comparison and literal lines; command
//! rules only when allowed and only on the live host; registry rules not applicable; Wazuh's
//! all / any / none condition table. No terminals, no arguments.

mod eval;
mod policy;
mod rule;

pub use eval::{combine, eval_rule, evaluate, CheckResult, Options, Outcome, Verdict};
pub use policy::{Check, Condition, Policy, PolicyError, Requirements};
pub use rule::{parse_rule, Kind, Rule};
