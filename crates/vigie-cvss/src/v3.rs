//! CVSS v3.0 and v3.1 (FIRST specification documents, section 7 / 8): the metric table and the
//! base, temporal and environmental equations, evaluated exactly. Each version keeps its own
//! differences: 3.0 rounds with a plain round-up to one decimal and its changed-scope modified
//! impact is `7.52 x (MISS - 0.029) - 3.25 x (MISS - 0.02)^15`; 3.1 rounds with the `Roundup`
//! of its appendix A (the integer trick) and uses `... - 3.25 x (MISS x 0.9731 - 0.02)^13`.

use crate::decimal::{d, Dec};
use crate::vector::{Group, MetricDef, Scores, Vector, Version};
use crate::{Score, Severity};

const X: (&str, &str) = ("X", "Not Defined");
const CIA: &[(&str, &str)] = &[("H", "High"), ("L", "Low"), ("N", "None")];
const MCIA: &[(&str, &str)] = &[X, ("H", "High"), ("L", "Low"), ("N", "None")];
const REQ: &[(&str, &str)] = &[X, ("H", "High"), ("M", "Medium"), ("L", "Low")];

/// The v3.0 / v3.1 metrics in the specification's order (the two versions share them).
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef {
        abbr: "AV",
        name: "Attack Vector",
        group: Group::Base,
        values: &[
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    },
    MetricDef {
        abbr: "AC",
        name: "Attack Complexity",
        group: Group::Base,
        values: &[("L", "Low"), ("H", "High")],
    },
    MetricDef {
        abbr: "PR",
        name: "Privileges Required",
        group: Group::Base,
        values: &[("N", "None"), ("L", "Low"), ("H", "High")],
    },
    MetricDef {
        abbr: "UI",
        name: "User Interaction",
        group: Group::Base,
        values: &[("N", "None"), ("R", "Required")],
    },
    MetricDef {
        abbr: "S",
        name: "Scope",
        group: Group::Base,
        values: &[("U", "Unchanged"), ("C", "Changed")],
    },
    MetricDef {
        abbr: "C",
        name: "Confidentiality",
        group: Group::Base,
        values: CIA,
    },
    MetricDef {
        abbr: "I",
        name: "Integrity",
        group: Group::Base,
        values: CIA,
    },
    MetricDef {
        abbr: "A",
        name: "Availability",
        group: Group::Base,
        values: CIA,
    },
    MetricDef {
        abbr: "E",
        name: "Exploit Code Maturity",
        group: Group::Temporal,
        values: &[
            X,
            ("H", "High"),
            ("F", "Functional"),
            ("P", "Proof-of-Concept"),
            ("U", "Unproven"),
        ],
    },
    MetricDef {
        abbr: "RL",
        name: "Remediation Level",
        group: Group::Temporal,
        values: &[
            X,
            ("U", "Unavailable"),
            ("W", "Workaround"),
            ("T", "Temporary Fix"),
            ("O", "Official Fix"),
        ],
    },
    MetricDef {
        abbr: "RC",
        name: "Report Confidence",
        group: Group::Temporal,
        values: &[X, ("C", "Confirmed"), ("R", "Reasonable"), ("U", "Unknown")],
    },
    MetricDef {
        abbr: "CR",
        name: "Confidentiality Requirement",
        group: Group::Environmental,
        values: REQ,
    },
    MetricDef {
        abbr: "IR",
        name: "Integrity Requirement",
        group: Group::Environmental,
        values: REQ,
    },
    MetricDef {
        abbr: "AR",
        name: "Availability Requirement",
        group: Group::Environmental,
        values: REQ,
    },
    MetricDef {
        abbr: "MAV",
        name: "Modified Attack Vector",
        group: Group::Environmental,
        values: &[
            X,
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    },
    MetricDef {
        abbr: "MAC",
        name: "Modified Attack Complexity",
        group: Group::Environmental,
        values: &[X, ("L", "Low"), ("H", "High")],
    },
    MetricDef {
        abbr: "MPR",
        name: "Modified Privileges Required",
        group: Group::Environmental,
        values: &[X, ("N", "None"), ("L", "Low"), ("H", "High")],
    },
    MetricDef {
        abbr: "MUI",
        name: "Modified User Interaction",
        group: Group::Environmental,
        values: &[X, ("N", "None"), ("R", "Required")],
    },
    MetricDef {
        abbr: "MS",
        name: "Modified Scope",
        group: Group::Environmental,
        values: &[X, ("U", "Unchanged"), ("C", "Changed")],
    },
    MetricDef {
        abbr: "MC",
        name: "Modified Confidentiality",
        group: Group::Environmental,
        values: MCIA,
    },
    MetricDef {
        abbr: "MI",
        name: "Modified Integrity",
        group: Group::Environmental,
        values: MCIA,
    },
    MetricDef {
        abbr: "MA",
        name: "Modified Availability",
        group: Group::Environmental,
        values: MCIA,
    },
];

/// The numeric weight of a metric value (specification section 7.4). `metric` is the base
/// metric name (a modified metric is weighed as its base metric); `changed` is the scope that
/// Privileges Required depends on. Not Defined weighs 1.
fn weight(metric: &str, value: &str, changed: bool) -> Dec {
    let (units, scale) = match (metric, value) {
        ("AV", "N") => (85, 2),
        ("AV", "A") => (62, 2),
        ("AV", "L") => (55, 2),
        ("AV", _) => (2, 1),
        ("AC", "L") => (77, 2),
        ("AC", _) => (44, 2),
        ("PR", "N") => (85, 2),
        ("PR", "L") if changed => (68, 2),
        ("PR", "L") => (62, 2),
        ("PR", _) if changed => (5, 1),
        ("PR", _) => (27, 2),
        ("UI", "N") => (85, 2),
        ("UI", _) => (62, 2),
        ("C" | "I" | "A", "H") => (56, 2),
        ("C" | "I" | "A", "L") => (22, 2),
        ("C" | "I" | "A", _) => (0, 0),
        ("E", "F") => (97, 2),
        ("E", "P") => (94, 2),
        ("E", "U") => (91, 2),
        ("RL", "W") => (97, 2),
        ("RL", "T") => (96, 2),
        ("RL", "O") => (95, 2),
        ("RC", "R") => (96, 2),
        ("RC", "U") => (92, 2),
        ("CR" | "IR" | "AR", "H") => (15, 1),
        ("CR" | "IR" | "AR", "L") => (5, 1),
        _ => (1, 0),
    };
    d(units, scale)
}

/// The v3.0 / v3.1 scores of a parsed vector.
pub(crate) fn scores(v: &Vector) -> Scores {
    let v31 = v.version() == Version::V3_1;
    let roundup = |x: &Dec| -> u32 {
        if v31 {
            x.roundup_31_tenths()
        } else {
            x.ceil_tenths()
        }
    };
    let one = d(1, 0);
    let changed = v.value_or_default("S") == "C";
    let w = |m: &str| weight(m, v.value_or_default(m), changed);

    // Base: ISS = 1 - [(1 - C) x (1 - I) x (1 - A)]
    let iss = one.sub(
        &one.sub(&w("C"))
            .mul(&one.sub(&w("I")))
            .mul(&one.sub(&w("A"))),
    );
    // Impact: 6.42 x ISS (unchanged), 7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15 (changed)
    let impact = if changed {
        d(752, 2)
            .mul(&iss.sub(&d(29, 3)))
            .sub(&d(325, 2).mul(&iss.sub(&d(2, 2)).pow(15)))
    } else {
        d(642, 2).mul(&iss)
    };
    // Exploitability = 8.22 x AV x AC x PR x UI
    let exploitability = d(822, 2)
        .mul(&w("AV"))
        .mul(&w("AC"))
        .mul(&w("PR"))
        .mul(&w("UI"));
    let base = sub_score(&impact, &exploitability, changed, roundup);

    // Temporal = Roundup(BaseScore x E x RL x RC)
    let temporal_factor = w("E").mul(&w("RL")).mul(&w("RC"));
    let temporal = roundup(&d(u64::from(base), 1).mul(&temporal_factor));

    // Environmental: modified metrics Not Defined take the base metric's value, Modified
    // Scope Not Defined takes Scope.
    let modified = |m: &str| -> &'static str {
        match v.value_or_default(&format!("M{m}")) {
            "X" => v.value_or_default(m),
            given => given,
        }
    };
    let m_changed = modified("S") == "C";
    let mw = |m: &str| weight(m, modified(m), m_changed);
    // MISS = min(1 - [(1 - CR x MC) x (1 - IR x MI) x (1 - AR x MA)], 0.915)
    let miss = one
        .sub(
            &one.sub(&w("CR").mul(&mw("C")))
                .mul(&one.sub(&w("IR").mul(&mw("I"))))
                .mul(&one.sub(&w("AR").mul(&mw("A")))),
        )
        .min(d(915, 3));
    let modified_impact = if !m_changed {
        d(642, 2).mul(&miss)
    } else if v31 {
        // 7.52 x (MISS - 0.029) - 3.25 x (MISS x 0.9731 - 0.02)^13
        d(752, 2)
            .mul(&miss.sub(&d(29, 3)))
            .sub(&d(325, 2).mul(&miss.mul(&d(9731, 4)).sub(&d(2, 2)).pow(13)))
    } else {
        // 7.52 x (MISS - 0.029) - 3.25 x (MISS - 0.02)^15
        d(752, 2)
            .mul(&miss.sub(&d(29, 3)))
            .sub(&d(325, 2).mul(&miss.sub(&d(2, 2)).pow(15)))
    };
    let modified_exploitability = d(822, 2)
        .mul(&mw("AV"))
        .mul(&mw("AC"))
        .mul(&mw("PR"))
        .mul(&mw("UI"));
    let environmental = if modified_impact.is_positive() {
        // Roundup(Roundup(min([1.08 x] (M.Impact + M.Exploitability), 10)) x E x RL x RC)
        let inner = sub_score(
            &modified_impact,
            &modified_exploitability,
            m_changed,
            roundup,
        );
        roundup(&d(u64::from(inner), 1).mul(&temporal_factor))
    } else {
        0
    };

    let base = Score::from_tenths(base);
    Scores {
        version: v.version(),
        base,
        temporal: Some(Score::from_tenths(temporal)),
        environmental: Some(Score::from_tenths(environmental)),
        severity: Severity::of(base),
        v4: None,
    }
}

/// `0` if the impact is not positive, else `Roundup(min(Impact + Exploitability, 10))` (scope
/// unchanged) or `Roundup(min(1.08 x (Impact + Exploitability), 10))` (scope changed), in tenths.
fn sub_score(
    impact: &Dec,
    exploitability: &Dec,
    changed: bool,
    roundup: impl Fn(&Dec) -> u32,
) -> u32 {
    if !impact.is_positive() {
        return 0;
    }
    let sum = impact.add(exploitability);
    let sum = if changed { d(108, 2).mul(&sum) } else { sum };
    roundup(&sum.min(d(10, 0)))
}
