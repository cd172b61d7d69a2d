//! The report formats: an aligned table grouped by package, JSON lines (one finding a line)
//! and SARIF 2.1.0; each writes to any `io::Write`.

mod jsonl;
mod sarif;
mod table;

pub use jsonl::write_jsonl;
pub use sarif::{sarif, write_sarif};
pub use table::write_table;

use crate::finding::Finding;

/// The smallest upgrade, the first fixed version, or `-`.
pub(crate) fn upgrade(f: &Finding) -> &str {
    f.fixed_versions.first().map_or("-", String::as_str)
}
