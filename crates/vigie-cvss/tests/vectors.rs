//! Parsing and scoring without the corpus: the specifications' worked examples, every kind of
//! malformed vector with the error naming the metric, and random input that must never panic.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use vigie_cvss::{score, CvssError, Group, Severity, Vector, Version};

/// (base, temporal, environmental) as printed.
fn scores(vector: &str) -> (String, Option<String>, Option<String>) {
    let s = score(vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
    (
        s.base.to_string(),
        s.temporal.map(|t| t.to_string()),
        s.environmental.map(|t| t.to_string()),
    )
}

fn triple(b: &str, t: &str, e: &str) -> (String, Option<String>, Option<String>) {
    (b.into(), Some(t.into()), Some(e.into()))
}

#[test]
fn v2_guide_examples() {
    // CVSS v2 guide, section 3.3.1 (CVE-2002-0392) and 3.3.2 (CVE-2003-0818).
    assert_eq!(
        scores("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H"),
        triple("7.8", "6.4", "9.2")
    );
    assert_eq!(
        scores("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L"),
        triple("10.0", "8.3", "9.0")
    );
    // Temporal and environmental metrics not given count as Not Defined.
    assert_eq!(
        scores("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
        triple("7.5", "7.5", "7.5")
    );
    // No impact: 0.0, which NVD rates Low for v2.
    let s = score("AV:L/AC:H/Au:M/C:N/I:N/A:N").unwrap();
    assert_eq!(
        (s.base.to_string(), s.severity),
        ("0.0".into(), Severity::Low)
    );
    assert_eq!(
        score("AV:N/AC:L/Au:N/C:C/I:C/A:C").unwrap().severity,
        Severity::High
    );
}

#[test]
fn v3_examples() {
    assert_eq!(
        scores("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        triple("9.8", "9.8", "9.8")
    );
    assert_eq!(
        scores("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
        triple("10.0", "10.0", "10.0")
    );
    // Metrics in any order (corpus vectors_calculator3).
    assert_eq!(
        scores("CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X"),
        triple("3.8", "3.7", "3.7")
    );
    // The two versions' changed-scope modified impact differ.
    let v = "AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H/IR:H/AR:H/MS:C";
    assert_eq!(
        scores(&format!("CVSS:3.0/{v}")),
        triple("8.4", "8.4", "9.3")
    );
    assert_eq!(
        scores(&format!("CVSS:3.1/{v}")),
        triple("8.4", "8.4", "9.4")
    );
    // Modified Privileges Required weighs by the modified scope.
    let v = "AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N/CR:H/IR:H/MS:C/MC:L/MI:L";
    assert_eq!(
        scores(&format!("CVSS:3.1/{v}")),
        triple("5.4", "5.4", "7.6")
    );
    let s = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").unwrap();
    assert_eq!((s.base.tenths(), s.severity), (0, Severity::None));
}

#[test]
fn v4_examples() {
    let s = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").unwrap();
    assert_eq!(s.base.value(), 9.3);
    assert_eq!(s.severity, Severity::Critical);
    assert_eq!((s.temporal, s.environmental), (None, None));
    let d = s.v4.unwrap();
    assert_eq!(
        (d.nomenclature, d.macrovector.as_str()),
        ("CVSS-B", "000200")
    );
    // A rounding edge: 8.549999... in binary, 8.6 by the corrected calculator.
    let s = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H").unwrap();
    assert_eq!(s.base.to_string(), "8.6");
    let s = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U").unwrap();
    assert_eq!(s.v4.unwrap().nomenclature, "CVSS-BT");
    let s =
        score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:L").unwrap();
    assert_eq!(s.v4.unwrap().nomenclature, "CVSS-BE");
    let s = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N").unwrap();
    assert_eq!((s.base.tenths(), s.severity), (0, Severity::None));
    // Supplemental metrics never change the score.
    let s =
        score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/U:Red").unwrap();
    assert_eq!(
        (s.base.value(), s.v4.unwrap().nomenclature),
        (9.3, "CVSS-B")
    );
}

#[test]
fn metrics_and_display() {
    let v = Vector::parse("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P").unwrap();
    assert_eq!(v.version(), Version::V3_1);
    assert_eq!(v.get("AV"), Some("N"));
    assert_eq!(v.get("RL"), None);
    assert_eq!(
        v.to_string(),
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P"
    );
    let m = v.metrics();
    assert_eq!(m.len(), 9);
    assert_eq!((m[0].name, m[0].value_name), ("Attack Vector", "Network"));
    assert_eq!(
        (m[8].group, m[8].value_name),
        (Group::Temporal, "Proof-of-Concept")
    );
    let v2 = Vector::parse("AV:N/AC:L/Au:N/C:P/I:P/A:P").unwrap();
    assert_eq!(
        (v2.version(), v2.to_string()),
        (Version::V2, "AV:N/AC:L/Au:N/C:P/I:P/A:P".into())
    );
}

#[test]
fn errors_name_the_metric() {
    let err = |s: &str| Vector::parse(s).unwrap_err();
    assert_eq!(err(""), CvssError::Empty);
    assert!(
        matches!(err("CVSS:2.0/AV:N"), CvssError::UnsupportedVersion { version } if version == "2.0")
    );
    assert!(matches!(
        err("CVSS:3.2/AV:N"),
        CvssError::UnsupportedVersion { .. }
    ));
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"),
        CvssError::EmptyField {
            version: "3.1",
            position: 9
        }
    );
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y"),
        CvssError::UnknownMetric {
            version: "3.1",
            metric: "XX".into()
        }
    );
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L"),
        CvssError::DuplicateMetric {
            version: "3.1",
            metric: "AV"
        }
    );
    assert_eq!(
        err("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        CvssError::InvalidValue {
            version: "3.1",
            metric: "AV",
            value: "Q".into(),
            allowed: "N, A, L, P".into()
        }
    );
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H"),
        CvssError::MissingMetrics {
            version: "3.1",
            metrics: vec!["S", "A"]
        }
    );
    assert_eq!(
        err("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"),
        CvssError::MissingMetrics {
            version: "4.0",
            metrics: vec!["SA"]
        }
    );
    assert!(matches!(err("CVSS:3.1/AV"), CvssError::MalformedField { field, .. } if field == "AV"));
    assert!(matches!(
        err("CVSS:3.1/AV:N:L"),
        CvssError::MalformedField { .. }
    ));
    // v2 values are not v3 values, and v2 writes Not Defined as ND.
    assert!(matches!(
        err("AV:N/AC:L/Au:N/C:H/I:P/A:P"),
        CvssError::InvalidValue { metric: "C", .. }
    ));
    assert!(matches!(
        err("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X"),
        CvssError::InvalidValue { metric: "E", .. }
    ));
    // v4: MSC has no Safety value, MSI has; values are case-sensitive.
    let base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    assert!(matches!(
        err(&format!("{base}/MSC:S")),
        CvssError::InvalidValue { metric: "MSC", .. }
    ));
    assert!(Vector::parse(&format!("{base}/MSI:S")).is_ok());
    assert!(matches!(
        err(&format!("{base}/U:red")),
        CvssError::InvalidValue { metric: "U", .. }
    ));
    assert!(matches!(
        err("cvss:3.1/AV:N"),
        CvssError::UnknownMetric { .. }
    ));
    assert!(matches!(
        err(" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        CvssError::UnknownMetric { .. }
    ));
    // Messages name the metric.
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H").to_string(),
        "missing mandatory base metrics S, A in the CVSS 3.1 vector"
    );
}

/// Fragments vectors are made of, to reach deep into the parser and the equations.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("CVSS:3.1/".to_owned()),
        Just("CVSS:3.0/".to_owned()),
        Just("CVSS:4.0/".to_owned()),
        Just("/".to_owned()),
        Just(":".to_owned()),
        "(AV|AC|AT|PR|UI|S|C|I|A|E|RL|RC|CR|IR|AR|MAV|MAC|MPR|MUI|MS|MC|MI|MA|Au|CDP|TD|VC|VI|VA|SC|SI|SA|MSI|MSA|U|AU|R|V|RE):(N|L|H|P|A|X|S|C|U|R|M|ND|POC|Red|Clear)/",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn never_panics(parts in proptest::collection::vec(fragment(), 0..40)) {
        let text: String = parts.concat();
        if let Ok(v) = Vector::parse(&text) {
            let s = v.scores();
            prop_assert!(s.base.tenths() <= 100);
            // The canonical form parses to the same vector.
            let again = Vector::parse(&v.to_string());
            prop_assert_eq!(again, Ok(v));
        }
        let _ = Vector::parse(text.trim_end_matches('/'));
    }
}
