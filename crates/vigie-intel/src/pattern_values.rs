//! From a STIX pattern to indicator values: a pattern that only says "this observable equals
//! one of these values" (`=`, `IN`, `ISSUBSET` on an IP, joined by `OR`, over IPs, domains,
//! URLs, e-mail addresses, file hashes and names) becomes those values; any other valid
//! pattern is kept whole as a `stix-pattern` indicator.

use vigie_stix_pattern::ast::{
    CompareOp, ComparisonExpr, Literal, ObservationExpr, PathStep, PropTest, Test,
};

use crate::error::NormalizeError;
use crate::indicator::IndicatorType;
use crate::normalize::normalize;

/// What a valid pattern holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternValues {
    /// Plain values; `rejected` are the ones that are not valid as their type.
    Values {
        values: Vec<(IndicatorType, String)>,
        rejected: Vec<NormalizeError>,
    },
    /// A pattern that says more than equalities: kept as its canonical text.
    Pattern(String),
}

/// Parses and validates `pattern`, then reads its values. `Err` carries the validator's
/// reasons.
pub fn pattern_values(pattern: &str) -> Result<PatternValues, String> {
    let parsed = vigie_stix_pattern::validate(pattern).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let mut raw = Vec::new();
    if !observation(&parsed.expr, &mut raw) {
        return Ok(PatternValues::Pattern(parsed.to_string()));
    }
    let mut values = Vec::new();
    let mut rejected = Vec::new();
    for (kind, v) in raw {
        match normalize(kind, &v) {
            Ok(found) => {
                if !values.contains(&found) {
                    values.push(found);
                }
            }
            Err(e) => rejected.push(e),
        }
    }
    Ok(PatternValues::Values { values, rejected })
}

fn observation(e: &ObservationExpr, out: &mut Vec<(IndicatorType, String)>) -> bool {
    match e {
        ObservationExpr::Observation(c) => comparison(c, out),
        ObservationExpr::Group(inner) => observation(inner, out),
        ObservationExpr::Or(items) => items.iter().all(|i| observation(i, out)),
        _ => false,
    }
}

fn comparison(e: &ComparisonExpr, out: &mut Vec<(IndicatorType, String)>) -> bool {
    match e {
        ComparisonExpr::Group(inner) => comparison(inner, out),
        ComparisonExpr::Or(items) => items.iter().all(|i| comparison(i, out)),
        ComparisonExpr::And(_) => false,
        ComparisonExpr::Test(t) => test(t, out),
    }
}

fn test(t: &PropTest, out: &mut Vec<(IndicatorType, String)>) -> bool {
    if t.negated {
        return false;
    }
    let Some(kind) = path_type(t) else {
        return false;
    };
    match &t.test {
        Test::Compare(CompareOp::Eq, Literal::String(s)) => {
            out.push((kind, s.clone()));
            true
        }
        Test::In(items) => items.iter().all(|l| match l {
            Literal::String(s) => {
                out.push((kind, s.clone()));
                true
            }
            _ => false,
        }),
        Test::IsSubset(net) if matches!(kind, IndicatorType::Ipv4 | IndicatorType::Ipv6) => {
            out.push((IndicatorType::Cidr, net.clone()));
            true
        }
        _ => false,
    }
}

/// The indicator type an object path holds, for the paths that carry one plain value.
fn path_type(t: &PropTest) -> Option<IndicatorType> {
    let keys: Vec<&str> = t
        .path
        .steps
        .iter()
        .map(|s| match s {
            PathStep::Key(k) => Some(k.as_str()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    match (t.path.object_type.as_str(), keys.as_slice()) {
        ("ipv4-addr", ["value"]) => Some(IndicatorType::Ipv4),
        ("ipv6-addr", ["value"]) => Some(IndicatorType::Ipv6),
        ("domain-name", ["value"]) => Some(IndicatorType::Domain),
        ("url", ["value"]) => Some(IndicatorType::Url),
        ("email-addr", ["value"]) => Some(IndicatorType::Email),
        ("file", ["name"]) => Some(IndicatorType::Filename),
        ("file", ["hashes", algorithm]) => hash_type(algorithm),
        _ => None,
    }
}

/// `MD5`, `SHA-1`, `SHA-256`, `SHA-512` in the spellings STIX producers use.
pub(crate) fn hash_type(algorithm: &str) -> Option<IndicatorType> {
    let a: String = algorithm
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_uppercase();
    match a.as_str() {
        "MD5" => Some(IndicatorType::Md5),
        "SHA1" => Some(IndicatorType::Sha1),
        "SHA256" => Some(IndicatorType::Sha256),
        "SHA512" => Some(IndicatorType::Sha512),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorType as T;

    fn values(p: &str) -> Vec<(T, String)> {
        match pattern_values(p).expect("valid") {
            PatternValues::Values { values, .. } => values,
            PatternValues::Pattern(p) => panic!("kept whole: {p}"),
        }
    }

    #[test]
    fn equalities_become_values() {
        assert_eq!(
            values("[ipv4-addr:value = '1.2.3.4']"),
            vec![(T::Ipv4, "1.2.3.4".into())]
        );
        assert_eq!(
            values("[domain-name:value = 'A.example' OR ipv4-addr:value = '60.2.148.167']"),
            vec![
                (T::Domain, "a.example".into()),
                (T::Ipv4, "60.2.148.167".into())
            ]
        );
        assert_eq!(
            values("[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']")[0].0,
            T::Sha256
        );
        assert_eq!(
            values("[file:hashes.md5 = '00dbb9e1c09dbdafb360f3163ba5a3de']")[0].0,
            T::Md5
        );
        assert_eq!(
            values("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"),
            vec![(T::Cidr, "198.51.100.0/24".into())]
        );
        assert_eq!(
            values("[url:value IN ('http://a.example/x', 'http://b.example/y')]").len(),
            2
        );
        assert_eq!(
            values("[email-addr:value = 'x@example.org'] OR [file:name = 'evil.exe']").len(),
            2
        );
    }

    #[test]
    fn other_patterns_are_kept_whole() {
        for p in [
            "[file:name = 'a' AND file:size > 10]",
            "[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.example']",
            "[ipv4-addr:value != '1.2.3.4']",
            "[email-message:subject MATCHES '^Re']",
            "[ipv4-addr:value = '1.2.3.4'] REPEATS 2 TIMES",
        ] {
            assert!(
                matches!(pattern_values(p), Ok(PatternValues::Pattern(_))),
                "{p}"
            );
        }
    }

    #[test]
    fn bad_values_are_rejected_and_invalid_patterns_err() {
        match pattern_values(
            "[domain-name:value = 'domain autuo.xicp.net' OR ipv4-addr:value = '60.10.1.115']",
        ) {
            Ok(PatternValues::Values { values, rejected }) => {
                assert_eq!(values, vec![(T::Ipv4, "60.10.1.115".into())]);
                assert_eq!(rejected.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        assert!(pattern_values("[ipv4-addr:value = ").is_err());
        assert!(pattern_values("[file:hashes.'SHA-256' = 'f00']").is_err());
    }
}
