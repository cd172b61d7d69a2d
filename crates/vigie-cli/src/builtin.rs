//! Vigie's own rule pack, compiled into the binary by build.rs.

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The built-in rules as `(name, text)` pairs for the loader.
pub fn rule_texts() -> Vec<(String, String)> {
    BUILTIN_RULES
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect()
}
