//! The posture score: what `vigie audit` found (compliance results and vulnerability
//! findings) turned into one documented 0-100 score per host (`score`), each run kept with what
//! failed (`history`, SQLite) so that the next says what was fixed, what is new and what still
//! fails, and a standalone HTML report with the trend (`report`). It reads the audits' JSON
//! lines (`read`); no terminals, no arguments.

mod history;
mod read;
mod report;
mod score;

pub use history::{changes, failing, Changes, Failing, History, HistoryError, Run, STORE_FILE};
pub use read::{read_findings, read_rules};
pub use report::html;
pub use score::{finding_weight, rule_weight, score, Finding, RuleResult, Scores};
