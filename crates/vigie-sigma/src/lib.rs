//! The Sigma rule language (specification 2.1): YAML text to typed documents.
//!
//! [`parse_str`] reads a (possibly multi-document) rule file into detection rules,
//! correlation rules and meta filters, with diagnostics carrying lines. Documents with
//! errors are left out; the others are returned. This crate knows no events and no files:
//! callers pass text and a name for messages.

mod ast;
mod condition;
mod diagnostic;
mod modifier;
mod parse;
pub mod yaml;

pub use ast::*;
pub use condition::{parse_condition, pattern_matches, Condition, ConditionError, Target};
pub use diagnostic::{Diagnostic, Severity};
pub use modifier::Modifier;
pub use parse::{parse_str, search_map, Parsed};
