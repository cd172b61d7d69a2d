//! CRAN (R package) versions: numbers separated by `.` or `-`, compared in turn; when one
//! is a prefix of the other, the longer is greater (as R's `package_version`).

use std::cmp::Ordering;

use crate::digits::{all_digits, cmp_digits};
use crate::error::VersionError;

const SCHEME: &str = "CRAN";

/// A CRAN version.
#[derive(Debug, Clone)]
pub struct CranVersion(Vec<String>);

impl CranVersion {
    /// Parses a version: at least one number, numbers separated by `.` or `-`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let parts: Vec<String> = s.trim().split(['.', '-']).map(str::to_owned).collect();
        if !parts.iter().all(|p| all_digits(p)) {
            return Err(VersionError::invalid(
                SCHEME,
                s,
                "expected numbers separated by '.' or '-'",
            ));
        }
        Ok(CranVersion(parts))
    }
}

/// Orders lists of numbers element by element, the longer after its prefix.
pub(crate) fn cmp_numbers(a: &[String], b: &[String]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| cmp_digits(x, y))
        .find(|o| o.is_ne())
        .unwrap_or_else(|| a.len().cmp(&b.len()))
}

impl Ord for CranVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_numbers(&self.0, &other.0)
    }
}

crate::order_from_cmp!(CranVersion);
