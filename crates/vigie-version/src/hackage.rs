//! Hackage (Haskell PVP) versions: numbers separated by `.`, compared as lists (the longer
//! after its prefix: 1.0 < 1.0.0).

use std::cmp::Ordering;

use crate::cran::cmp_numbers;
use crate::digits::all_digits;
use crate::error::VersionError;

const SCHEME: &str = "Hackage";

/// A Hackage version.
#[derive(Debug, Clone)]
pub struct HackageVersion(Vec<String>);

impl HackageVersion {
    /// Parses a version: numbers separated by `.`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let parts: Vec<String> = s.trim().split('.').map(str::to_owned).collect();
        if !parts.iter().all(|p| all_digits(p)) {
            return Err(VersionError::invalid(
                SCHEME,
                s,
                "expected numbers separated by '.'",
            ));
        }
        Ok(HackageVersion(parts))
    }
}

impl Ord for HackageVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_numbers(&self.0, &other.0)
    }
}

crate::order_from_cmp!(HackageVersion);
