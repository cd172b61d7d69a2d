//! Why a CVSS vector string was rejected: each error names the field or metric at fault.

use thiserror::Error;

/// A vector string that is not a valid CVSS vector of any supported version.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CvssError {
    /// Nothing to parse.
    #[error("empty CVSS vector")]
    Empty,
    /// A `CVSS:x.y/` prefix naming a version this crate does not score.
    #[error("unsupported CVSS version {version:?} (supported: CVSS:3.0, CVSS:3.1, CVSS:4.0, and v2 vectors without prefix)")]
    UnsupportedVersion {
        /// What followed `CVSS:`.
        version: String,
    },
    /// Two slashes in a row, or a slash at the start or the end.
    #[error("empty field in the CVSS {version} vector (field {position}): a stray '/'")]
    EmptyField {
        /// The version being read.
        version: &'static str,
        /// 1-based position of the empty field after the prefix.
        position: usize,
    },
    /// A field that is not `METRIC:VALUE`.
    #[error("malformed field {field:?} in the CVSS {version} vector: fields are METRIC:VALUE")]
    MalformedField {
        /// The version being read.
        version: &'static str,
        /// The field as given.
        field: String,
    },
    /// A metric name that the version does not define.
    #[error("unknown metric {metric:?} in the CVSS {version} vector")]
    UnknownMetric {
        /// The version being read.
        version: &'static str,
        /// The metric name as given.
        metric: String,
    },
    /// The same metric twice.
    #[error("metric {metric} appears more than once in the CVSS {version} vector")]
    DuplicateMetric {
        /// The version being read.
        version: &'static str,
        /// The repeated metric.
        metric: &'static str,
    },
    /// A value the metric does not take.
    #[error("invalid value {value:?} for metric {metric} in the CVSS {version} vector (allowed: {allowed})")]
    InvalidValue {
        /// The version being read.
        version: &'static str,
        /// The metric.
        metric: &'static str,
        /// The value as given.
        value: String,
        /// The values the metric takes, comma-separated.
        allowed: String,
    },
    /// Mandatory base metrics that are not given.
    #[error("missing mandatory base metric{} {} in the CVSS {version} vector", if .metrics.len() == 1 { "" } else { "s" }, .metrics.join(", "))]
    MissingMetrics {
        /// The version being read.
        version: &'static str,
        /// The missing metrics, in the specification's order.
        metrics: Vec<&'static str>,
    },
}
