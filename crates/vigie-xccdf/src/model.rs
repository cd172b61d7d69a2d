//! The benchmark as read: profiles, values, rules (flattened out of their groups, with the
//! groups' selection and platforms carried along), checks and platform definitions.

use std::collections::HashMap;

/// An XCCDF 1.2 benchmark.
#[derive(Debug, Default, Clone)]
pub struct Benchmark {
    pub id: String,
    pub title: String,
    /// Platforms of the benchmark itself (CPE names or `#platform` ids).
    pub platforms: Vec<String>,
    pub profiles: Vec<Profile>,
    pub values: HashMap<String, Value>,
    /// Rules in document order.
    pub rules: Vec<Rule>,
    /// Groups: default selection and platforms.
    pub groups: HashMap<String, Group>,
    /// CPE applicability language platforms (`cpe-lang:platform`) by id.
    pub cpe_platforms: HashMap<String, LogicalTest>,
}

#[derive(Debug, Default, Clone)]
pub struct Group {
    pub selected: bool,
    pub platforms: Vec<String>,
    /// `weight` (default 1), for scoring.
    pub weight: f32,
}

#[derive(Debug, Default, Clone)]
pub struct Profile {
    pub id: String,
    pub title: String,
    pub extends: Option<String>,
    /// `select idref selected` in order (rules or groups).
    pub selects: Vec<(String, bool)>,
    /// `refine-value idref selector`.
    pub refine_values: Vec<(String, String)>,
    /// `set-value idref` text.
    pub set_values: Vec<(String, String)>,
    /// `refine-rule idref role severity` (its `weight` is read but, as OpenSCAP, not scored).
    pub refine_rules: Vec<RefineRule>,
}

/// A profile's `refine-rule`: what it changes of a rule (`None`: unchanged).
#[derive(Debug, Default, Clone)]
pub struct RefineRule {
    pub idref: String,
    /// `full`, `unscored` or `unchecked`.
    pub role: Option<String>,
    pub severity: Option<String>,
    pub weight: Option<f32>,
}

/// A Value: its default and its selectable alternatives.
#[derive(Debug, Default, Clone)]
pub struct Value {
    pub id: String,
    pub default: String,
    pub selectors: HashMap<String, String>,
}

#[derive(Debug, Default, Clone)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub selected: bool,
    pub description: String,
    pub rationale: String,
    /// `fixtext`, else the first `fix` (shown, never run).
    pub fix: Option<String>,
    pub platforms: Vec<String>,
    /// Enclosing groups, outermost first.
    pub groups: Vec<String>,
    pub checks: Vec<Check>,
    /// A `complex-check` (not supported: the rule is notchecked).
    pub complex_check: bool,
    /// `role="unchecked"`: never checked, notchecked.
    pub unchecked: bool,
    /// `role="unscored"`: checked, reported as informational, left out of the score.
    pub unscored: bool,
    /// `weight` (default 1), for scoring.
    pub weight: f32,
}

#[derive(Debug, Default, Clone)]
pub struct Check {
    pub system: String,
    pub negate: bool,
    pub multi_check: bool,
    /// `check-content-ref`: href and optional name (an OVAL definition id).
    pub refs: Vec<(String, Option<String>)>,
    /// `check-export value-id export-name`.
    pub exports: Vec<(String, String)>,
}

/// A CPE applicability language expression.
#[derive(Debug, Clone)]
pub enum LogicalTest {
    Test {
        and: bool,
        negate: bool,
        parts: Vec<LogicalTest>,
    },
    /// A CPE name, checked through the dictionary.
    FactRef(String),
    /// An OVAL definition given directly: href and definition id.
    CheckFactRef { href: String, id: String },
}

/// The OVAL system URI.
pub const OVAL_SYSTEM: &str = "http://oval.mitre.org/XMLSchema/oval-definitions-5";
