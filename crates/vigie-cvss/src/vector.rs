//! Vector strings: the version prefix, strict `METRIC:VALUE` parsing against each version's
//! metric table, the metrics as given, and the scores each version's module computes.

use std::fmt;

use crate::error::CvssError;
use crate::{v2, v3, v4, Score, Severity};

/// A CVSS version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// CVSS v2 (no prefix in the vector string).
    V2,
    /// CVSS v3.0 (`CVSS:3.0/`).
    V3_0,
    /// CVSS v3.1 (`CVSS:3.1/`).
    V3_1,
    /// CVSS v4.0 (`CVSS:4.0/`).
    V4_0,
}

impl Version {
    /// "2.0", "3.0", "3.1" or "4.0".
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2 => "2.0",
            Version::V3_0 => "3.0",
            Version::V3_1 => "3.1",
            Version::V4_0 => "4.0",
        }
    }

    /// The metric table of this version, in the specification's order.
    pub fn metrics(self) -> &'static [MetricDef] {
        match self {
            Version::V2 => v2::METRICS,
            Version::V3_0 | Version::V3_1 => v3::METRICS,
            Version::V4_0 => v4::METRICS,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Version::V2 => "",
            Version::V3_0 => "CVSS:3.0/",
            Version::V3_1 => "CVSS:3.1/",
            Version::V4_0 => "CVSS:4.0/",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The group a metric belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// Base metrics (the mandatory ones).
    Base,
    /// v2 / v3 temporal metrics.
    Temporal,
    /// v4 threat metrics.
    Threat,
    /// Environmental metrics.
    Environmental,
    /// v4 supplemental metrics (they never change the score).
    Supplemental,
}

impl Group {
    /// "Base", "Temporal", "Threat", "Environmental" or "Supplemental".
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Base => "Base",
            Group::Temporal => "Temporal",
            Group::Threat => "Threat",
            Group::Environmental => "Environmental",
            Group::Supplemental => "Supplemental",
        }
    }
}

/// One metric of a version's table.
#[derive(Debug)]
pub struct MetricDef {
    /// Abbreviation as written in vectors (`AV`).
    pub abbr: &'static str,
    /// Full name (`Attack Vector`).
    pub name: &'static str,
    /// Its group.
    pub group: Group,
    /// The values it takes: (abbreviation, name), in the specification's order.
    pub values: &'static [(&'static str, &'static str)],
}

impl MetricDef {
    fn mandatory(&self) -> bool {
        self.group == Group::Base
    }
}

/// A metric of a parsed vector, with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// Abbreviation (`AV`).
    pub abbr: &'static str,
    /// Full name (`Attack Vector`).
    pub name: &'static str,
    /// Its group.
    pub group: Group,
    /// The value's abbreviation (`N`).
    pub value: &'static str,
    /// The value's name (`Network`).
    pub value_name: &'static str,
}

/// A parsed CVSS vector of any supported version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vector {
    version: Version,
    /// Per metric of the version's table, the index of the given value.
    values: Vec<Option<u8>>,
}

/// What a vector scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    /// The version scored.
    pub version: Version,
    /// v2 / v3: the base score. v4: the score of the vector as given (CVSS-B, -BT, -BE or -BTE).
    pub base: Score,
    /// v2 / v3: the temporal score, temporal metrics not given counting as Not Defined. v4: none.
    pub temporal: Option<Score>,
    /// v2 / v3: the environmental score, metrics not given counting as Not Defined. v4: none.
    pub environmental: Option<Score>,
    /// The severity of `base` (v2: as NVD rates it).
    pub severity: Severity,
    /// v4 only: the nomenclature (`CVSS-B`, `CVSS-BT`, `CVSS-BE`, `CVSS-BTE`) and MacroVector.
    pub v4: Option<V4Details>,
}

/// What v4 scoring adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Details {
    /// `CVSS-B`, `CVSS-BT`, `CVSS-BE` or `CVSS-BTE`: which metric groups the score reflects.
    pub nomenclature: &'static str,
    /// The six EQ levels, e.g. `000200`.
    pub macrovector: String,
}

impl Vector {
    /// Parses a vector string: `CVSS:3.0/...`, `CVSS:3.1/...`, `CVSS:4.0/...`, or a v2 vector
    /// (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, no prefix). Metrics may come in any order; unknown or
    /// repeated metrics, invalid values and missing base metrics are errors.
    pub fn parse(text: &str) -> Result<Vector, CvssError> {
        if text.is_empty() {
            return Err(CvssError::Empty);
        }
        let (version, body) = if let Some(rest) = text.strip_prefix("CVSS:") {
            let (ver, body) = rest.split_once('/').unwrap_or((rest, ""));
            let version = match ver {
                "3.0" => Version::V3_0,
                "3.1" => Version::V3_1,
                "4.0" => Version::V4_0,
                _ => {
                    return Err(CvssError::UnsupportedVersion {
                        version: ver.to_owned(),
                    })
                }
            };
            (version, body)
        } else {
            (Version::V2, text)
        };
        let defs = version.metrics();
        let name = version.as_str();
        let mut values: Vec<Option<u8>> = vec![None; defs.len()];
        let fields = body.split('/').filter(|_| !body.is_empty());
        for (i, field) in fields.enumerate() {
            if field.is_empty() {
                return Err(CvssError::EmptyField {
                    version: name,
                    position: i + 1,
                });
            }
            let Some((metric, value)) = field.split_once(':').filter(|(_, v)| !v.contains(':'))
            else {
                return Err(CvssError::MalformedField {
                    version: name,
                    field: field.to_owned(),
                });
            };
            let Some((index, def)) = defs.iter().enumerate().find(|(_, d)| d.abbr == metric) else {
                return Err(CvssError::UnknownMetric {
                    version: name,
                    metric: metric.to_owned(),
                });
            };
            let Some(value_index) = def.values.iter().position(|(v, _)| *v == value) else {
                return Err(CvssError::InvalidValue {
                    version: name,
                    metric: def.abbr,
                    value: value.to_owned(),
                    allowed: def
                        .values
                        .iter()
                        .map(|(v, _)| *v)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            let slot = values.get_mut(index);
            match slot {
                Some(Some(_)) => {
                    return Err(CvssError::DuplicateMetric {
                        version: name,
                        metric: def.abbr,
                    })
                }
                Some(slot) => *slot = u8::try_from(value_index).ok(),
                None => {}
            }
        }
        let missing: Vec<&'static str> = defs
            .iter()
            .zip(&values)
            .filter(|(d, v)| d.mandatory() && v.is_none())
            .map(|(d, _)| d.abbr)
            .collect();
        if !missing.is_empty() {
            return Err(CvssError::MissingMetrics {
                version: name,
                metrics: missing,
            });
        }
        Ok(Vector { version, values })
    }

    /// The version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The value given for a metric (`get("AV") == Some("N")`), `None` when not given.
    pub fn get(&self, abbr: &str) -> Option<&'static str> {
        self.version
            .metrics()
            .iter()
            .zip(&self.values)
            .find(|(d, _)| d.abbr == abbr)
            .and_then(|(d, v)| v.and_then(|i| d.values.get(usize::from(i))))
            .map(|(v, _)| *v)
    }

    /// The value of a metric, `X` (v3 / v4) or `ND` (v2) when not given.
    pub(crate) fn value_or_default(&self, abbr: &str) -> &'static str {
        self.get(abbr).unwrap_or(match self.version {
            Version::V2 => "ND",
            _ => "X",
        })
    }

    /// The metrics given, in the specification's order.
    pub fn metrics(&self) -> Vec<Metric> {
        self.version
            .metrics()
            .iter()
            .zip(&self.values)
            .filter_map(|(d, v)| {
                let (value, value_name) = d.values.get(usize::from((*v)?))?;
                Some(Metric {
                    abbr: d.abbr,
                    name: d.name,
                    group: d.group,
                    value,
                    value_name,
                })
            })
            .collect()
    }

    /// The scores, exactly as the version's specification computes them.
    pub fn scores(&self) -> Scores {
        match self.version {
            Version::V2 => v2::scores(self),
            Version::V3_0 | Version::V3_1 => v3::scores(self),
            Version::V4_0 => v4::scores(self),
        }
    }
}

impl std::str::FromStr for Vector {
    type Err = CvssError;

    fn from_str(s: &str) -> Result<Vector, CvssError> {
        Vector::parse(s)
    }
}

/// The vector with its metrics in the specification's order.
impl fmt::Display for Vector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.version.prefix())?;
        for (i, m) in self.metrics().iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            write!(f, "{}:{}", m.abbr, m.value)?;
        }
        Ok(())
    }
}
