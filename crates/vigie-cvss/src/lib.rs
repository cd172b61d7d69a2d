//! CVSS vectors to scores and severities: v2, v3.0, v3.1 and v4.0, parsed strictly and scored
//! exactly as each FIRST specification computes (v2 / v3 in exact decimal arithmetic with each
//! version's own rounding; v4 by the MacroVector table and severity-distance interpolation).
//! Pure functions over strings: this crate knows no files, sockets or terminals.
//!
//! ```
//! use vigie_cvss::{Severity, Vector, Version};
//!
//! let v = Vector::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").expect("valid");
//! let s = v.scores();
//! assert_eq!(v.version(), Version::V3_1);
//! assert_eq!(s.base.to_string(), "9.8");
//! assert_eq!(s.severity, Severity::Critical);
//!
//! let v4 = Vector::parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
//!     .expect("valid");
//! assert_eq!(v4.scores().base.value(), 9.3);
//! ```

mod decimal;
mod error;
mod score;
mod severity;
mod v2;
mod v3;
mod v4;
mod v4_table;
mod vector;

pub use error::CvssError;
pub use score::Score;
pub use severity::Severity;
pub use vector::{Group, Metric, MetricDef, Scores, V4Details, Vector, Version};

/// Parses a vector string and scores it.
pub fn score(vector: &str) -> Result<Scores, CvssError> {
    Vector::parse(vector).map(|v| v.scores())
}
