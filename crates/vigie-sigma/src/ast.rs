//! The typed form of Sigma documents: detection rules, correlation rules and filters.

use crate::condition::Condition;
use crate::modifier::Modifier;

/// Rule severity, ordered from least to most severe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Level {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.to_ascii_lowercase().as_str() {
            "informational" | "info" => Level::Informational,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

/// `logsource`: which logs a rule is written for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LogSource {
    pub category: Option<String>,
    pub product: Option<String>,
    pub service: Option<String>,
}

impl std::fmt::Display for LogSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        for (k, v) in [
            ("product", &self.product),
            ("category", &self.category),
            ("service", &self.service),
        ] {
            if let Some(v) = v {
                parts.push(format!("{k}: {v}"));
            }
        }
        f.write_str(&parts.join(", "))
    }
}

/// A scalar value written in a rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SigmaValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

impl SigmaValue {
    pub fn text(&self) -> Option<String> {
        match self {
            SigmaValue::Str(s) => Some(s.clone()),
            SigmaValue::Int(i) => Some(i.to_string()),
            SigmaValue::Float(f) => Some(f.to_string()),
            SigmaValue::Bool(b) => Some(b.to_string()),
            SigmaValue::Null => None,
        }
    }
}

/// One `field|modifiers: values` entry of a search map. `field` is `None` for keyword
/// entries written `'|all': [...]`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FieldItem {
    pub field: Option<String>,
    pub modifiers: Vec<Modifier>,
    pub values: Vec<SigmaValue>,
    pub line: usize,
}

/// A search identifier's definition.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Search {
    /// A list of maps, OR-ed; each map's items AND-ed (a single map is a list of one).
    Maps(Vec<Vec<FieldItem>>),
    /// Keyword values searched in the whole event, OR-ed.
    Keywords(Vec<SigmaValue>),
}

/// The `detection` section: named searches and the condition over them.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Detection {
    pub searches: Vec<(String, Search)>,
    /// The parsed condition; a list of conditions is already folded into one `or`.
    pub condition: Condition,
    pub condition_line: usize,
}

/// Common descriptive metadata of any Sigma document.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub title: String,
    pub id: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
    pub author: Option<String>,
    pub level: Option<Level>,
    pub tags: Vec<String>,
    pub references: Vec<String>,
    pub falsepositives: Vec<String>,
    pub date: Option<String>,
    pub modified: Option<String>,
    /// 1-based line where the document starts.
    pub line: usize,
}

/// A detection rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub meta: Meta,
    pub logsource: LogSource,
    pub detection: Detection,
}

/// The seven correlation types of Sigma 2.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CorrelationType {
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
    ValueSum,
    ValueAvg,
    ValuePercentile,
}

impl CorrelationType {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "event_count" => Self::EventCount,
            "value_count" => Self::ValueCount,
            "temporal" => Self::Temporal,
            "temporal_ordered" => Self::TemporalOrdered,
            "value_sum" => Self::ValueSum,
            "value_avg" => Self::ValueAvg,
            "value_percentile" => Self::ValuePercentile,
            _ => return None,
        })
    }

    pub fn needs_field(self) -> bool {
        matches!(
            self,
            Self::ValueCount | Self::ValueSum | Self::ValueAvg | Self::ValuePercentile
        )
    }
}

/// A comparison operator of a correlation condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CmpOp {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    Neq,
}

impl CmpOp {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "gt" => Self::Gt,
            "gte" => Self::Gte,
            "lt" => Self::Lt,
            "lte" => Self::Lte,
            "eq" => Self::Eq,
            "neq" => Self::Neq,
            _ => return None,
        })
    }

    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Self::Gt => left > right,
            Self::Gte => left >= right,
            Self::Lt => left < right,
            Self::Lte => left <= right,
            Self::Eq => left == right,
            Self::Neq => left != right,
        }
    }
}

/// A correlation rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Correlation {
    pub meta: Meta,
    pub kind: CorrelationType,
    /// Referenced rules, by id or name.
    pub rules: Vec<String>,
    pub group_by: Vec<String>,
    /// Window length in seconds.
    pub timespan: u64,
    /// Thresholds, AND-ed. Empty for a temporal rule without condition.
    pub condition: Vec<(CmpOp, f64)>,
    pub field: Option<String>,
    /// `alias -> [(rule name or id, field)]`.
    pub aliases: Vec<(String, Vec<(String, String)>)>,
    pub generate: bool,
}

/// Which rules a filter applies to.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum FilterTarget {
    Rules(Vec<String>),
    Any,
}

/// A meta filter rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    pub meta: Meta,
    pub logsource: LogSource,
    pub target: FilterTarget,
    pub detection: Detection,
}

/// Any Sigma document.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Document {
    Rule(Rule),
    Correlation(Correlation),
    Filter(Filter),
}

impl Document {
    pub fn meta(&self) -> &Meta {
        match self {
            Document::Rule(r) => &r.meta,
            Document::Correlation(c) => &c.meta,
            Document::Filter(f) => &f.meta,
        }
    }
}
