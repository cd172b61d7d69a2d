//! The rules the STIX pattern validator (OASIS stix2-patterns) applies beyond the grammar:
//! no qualifier type twice directly on one bracketed observation (parentheses reset this), and
//! values compared with a known hash algorithm (`file:hashes.'SHA-256' = '...'`) must have that
//! algorithm's form.
//!
//! Deliberate differences from stix2-patterns 2.1.2, which only the hash rule shows: its check
//! applies to the raw text of any literal after any operator (so `IN ('a', 'b')` or `LIKE 'ab%'`
//! on a hash fail), and its MD6 expression is mis-anchored. Here only string literals compared
//! with `=` / `!=` or listed in `IN` are checked, and MD6 needs one of its digest lengths. Its
//! "input is missing square brackets" message, which it puts in place of the grammar's first
//! error when a pattern starts with neither `[` nor `([`, is not a rule of its own and is not
//! reproduced (`(([a:b = 1]))` is valid here, as the grammar says).

use crate::ast::{ComparisonExpr, Literal, ObservationExpr, PathStep, Pattern, Test};
use crate::error::ValidationError;

impl Pattern {
    /// The validator's findings on this pattern; empty when it is valid.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        check_observation(&self.expr, &mut errors);
        errors
    }
}

/// Parses and validates: the pattern, or every reason it is not valid.
pub fn validate(src: &str) -> Result<Pattern, Vec<ValidationError>> {
    let pattern = crate::parse(src).map_err(|e| vec![ValidationError::Parse(e)])?;
    let errors = pattern.validate();
    if errors.is_empty() {
        Ok(pattern)
    } else {
        Err(errors)
    }
}

fn check_observation(e: &ObservationExpr, errors: &mut Vec<ValidationError>) {
    match e {
        ObservationExpr::Observation(c) => check_comparison(c, errors),
        ObservationExpr::Group(inner) => check_observation(inner, errors),
        ObservationExpr::And(items)
        | ObservationExpr::Or(items)
        | ObservationExpr::FollowedBy(items) => {
            items.iter().for_each(|i| check_observation(i, errors));
        }
        ObservationExpr::Qualified { expr, qualifiers } => {
            check_observation(expr, errors);
            // Only qualifiers applied directly to `[ ... ]` count; on `( ... )` they may repeat.
            if matches!(**expr, ObservationExpr::Observation(_)) {
                let mut seen: Vec<&'static str> = Vec::new();
                for q in qualifiers {
                    let name = q.kind.name();
                    if seen.contains(&name) {
                        errors.push(ValidationError::DuplicateQualifier {
                            qualifier: name,
                            offset: q.offset,
                        });
                        break;
                    }
                    seen.push(name);
                }
            }
        }
    }
}

fn check_comparison(c: &ComparisonExpr, errors: &mut Vec<ValidationError>) {
    match c {
        ComparisonExpr::And(items) | ComparisonExpr::Or(items) => {
            items.iter().for_each(|i| check_comparison(i, errors));
        }
        ComparisonExpr::Group(inner) => check_comparison(inner, errors),
        ComparisonExpr::Test(t) => {
            let in_hashes = t
                .path
                .steps
                .iter()
                .any(|s| matches!(s, PathStep::Key(k) if k == "hashes"));
            let Some(PathStep::Key(selector)) = t.path.steps.last() else {
                return;
            };
            if !in_hashes {
                return;
            }
            let values: Vec<&str> = match &t.test {
                Test::Compare(
                    crate::ast::CompareOp::Eq | crate::ast::CompareOp::Ne,
                    Literal::String(s),
                ) => {
                    vec![s.as_str()]
                }
                Test::In(items) => items
                    .iter()
                    .filter_map(|l| match l {
                        Literal::String(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect(),
                _ => return,
            };
            for value in values {
                if let Some(false) = hash_value_ok(selector, value) {
                    errors.push(ValidationError::InvalidHash {
                        algorithm: selector.clone(),
                        value: value.to_owned(),
                    });
                }
            }
        }
    }
}

/// Whether `value` has the form of a digest of the algorithm `selector` names (case and
/// hyphens ignored); `None` for algorithms the validator does not know.
pub fn hash_value_ok(selector: &str, value: &str) -> Option<bool> {
    let algorithm: String = selector
        .chars()
        .filter(|c| *c != '-' && *c != '\'')
        .flat_map(char::to_uppercase)
        .collect();
    let hex = |lens: &[usize]| {
        lens.contains(&value.len()) && value.bytes().all(|b| b.is_ascii_hexdigit())
    };
    Some(match algorithm.as_str() {
        "MD5" => hex(&[32]),
        "MD6" => hex(&[32, 40, 56, 64, 96, 128]),
        "RIPEMD160" | "SHA1" => hex(&[40]),
        "SHA224" | "SHA3224" => hex(&[56]),
        "SHA256" | "SHA3256" => hex(&[64]),
        "SHA384" | "SHA3384" => hex(&[96]),
        "SHA512" | "SHA3512" | "WHIRLPOOL" => hex(&[128]),
        "SSDEEP" => {
            (1..=128).contains(&value.len())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b':' | b'.'))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_qualifiers_only_directly_on_brackets() {
        assert!(validate("[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS").is_err());
        assert!(validate("([a:b = 1] REPEATS 2 TIMES REPEATS 3 TIMES)").is_err());
        assert!(validate("([a:b = 1]) WITHIN 5 SECONDS WITHIN 6 SECONDS").is_ok());
        assert!(validate("([a:b = 1] REPEATS 2 TIMES) REPEATS 2 TIMES").is_ok());
        assert!(validate("[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS").is_ok());
    }

    #[test]
    fn hash_values() {
        let errs = validate("[file:hashes.'SHA-256' = 'f00']").expect_err("short hash");
        assert_eq!(errs[0].to_string(), "'f00' is not a valid SHA-256 hash");
        assert!(validate("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']").is_ok());
        assert!(
            validate("[file:hashes.MD5 IN ('cead3f77f6cda6ec00f57d76c9a6879f', 'x')]").is_err()
        );
        assert!(validate("[file:hashes.'x-custom' = 'anything']").is_ok());
        assert!(validate("[file:hashes[*] = 'anything']").is_ok());
        assert!(validate("[file:hashes.MD5 LIKE 'cead%']").is_ok());
    }
}
