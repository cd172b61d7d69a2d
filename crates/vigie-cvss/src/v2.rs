//! CVSS v2 (FIRST, "A Complete Guide to the Common Vulnerability Scoring System Version 2.0",
//! section 3.2): the metric table and the base, temporal and environmental equations, evaluated
//! exactly and rounded half up to one decimal; severity as NVD rates v2 scores.

use crate::decimal::{d, Dec};
use crate::vector::{Group, MetricDef, Scores, Vector, Version};
use crate::{Score, Severity};

const ND: (&str, &str) = ("ND", "Not Defined");
const CIA: &[(&str, &str)] = &[("N", "None"), ("P", "Partial"), ("C", "Complete")];
const REQ: &[(&str, &str)] = &[("L", "Low"), ("M", "Medium"), ("H", "High"), ND];

/// The v2 metrics in the specification's order.
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef {
        abbr: "AV",
        name: "Access Vector",
        group: Group::Base,
        values: &[("L", "Local"), ("A", "Adjacent Network"), ("N", "Network")],
    },
    MetricDef {
        abbr: "AC",
        name: "Access Complexity",
        group: Group::Base,
        values: &[("H", "High"), ("M", "Medium"), ("L", "Low")],
    },
    MetricDef {
        abbr: "Au",
        name: "Authentication",
        group: Group::Base,
        values: &[("M", "Multiple"), ("S", "Single"), ("N", "None")],
    },
    MetricDef {
        abbr: "C",
        name: "Confidentiality Impact",
        group: Group::Base,
        values: CIA,
    },
    MetricDef {
        abbr: "I",
        name: "Integrity Impact",
        group: Group::Base,
        values: CIA,
    },
    MetricDef {
        abbr: "A",
        name: "Availability Impact",
        group: Group::Base,
        values: CIA,
    },
    MetricDef {
        abbr: "E",
        name: "Exploitability",
        group: Group::Temporal,
        values: &[
            ("U", "Unproven"),
            ("POC", "Proof-of-Concept"),
            ("F", "Functional"),
            ("H", "High"),
            ND,
        ],
    },
    MetricDef {
        abbr: "RL",
        name: "Remediation Level",
        group: Group::Temporal,
        values: &[
            ("OF", "Official Fix"),
            ("TF", "Temporary Fix"),
            ("W", "Workaround"),
            ("U", "Unavailable"),
            ND,
        ],
    },
    MetricDef {
        abbr: "RC",
        name: "Report Confidence",
        group: Group::Temporal,
        values: &[
            ("UC", "Unconfirmed"),
            ("UR", "Uncorroborated"),
            ("C", "Confirmed"),
            ND,
        ],
    },
    MetricDef {
        abbr: "CDP",
        name: "Collateral Damage Potential",
        group: Group::Environmental,
        values: &[
            ("N", "None"),
            ("L", "Low"),
            ("LM", "Low-Medium"),
            ("MH", "Medium-High"),
            ("H", "High"),
            ND,
        ],
    },
    MetricDef {
        abbr: "TD",
        name: "Target Distribution",
        group: Group::Environmental,
        values: &[
            ("N", "None"),
            ("L", "Low"),
            ("M", "Medium"),
            ("H", "High"),
            ND,
        ],
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
];

/// The numeric weight of a metric value (section 3.2.1-3.2.3); Not Defined counts as the
/// neutral value the specification gives it.
fn weight(metric: &str, value: &str) -> Dec {
    let (units, scale) = match (metric, value) {
        ("AV", "L") => (395, 3),
        ("AV", "A") => (646, 3),
        ("AV", _) => (1, 0),
        ("AC", "H") => (35, 2),
        ("AC", "M") => (61, 2),
        ("AC", _) => (71, 2),
        ("Au", "M") => (45, 2),
        ("Au", "S") => (56, 2),
        ("Au", _) => (704, 3),
        ("C" | "I" | "A", "P") => (275, 3),
        ("C" | "I" | "A", "C") => (660, 3),
        ("C" | "I" | "A", _) => (0, 0),
        ("E", "U") => (85, 2),
        ("E", "POC") => (9, 1),
        ("E", "F") => (95, 2),
        ("RL", "OF") => (87, 2),
        ("RL", "TF") => (9, 1),
        ("RL", "W") => (95, 2),
        ("RC", "UC") => (9, 1),
        ("RC", "UR") => (95, 2),
        ("CDP", "L") => (1, 1),
        ("CDP", "LM") => (3, 1),
        ("CDP", "MH") => (4, 1),
        ("CDP", "H") => (5, 1),
        ("CDP", _) => (0, 0),
        ("TD", "N") => (0, 0),
        ("TD", "L") => (25, 2),
        ("TD", "M") => (75, 2),
        ("CR" | "IR" | "AR", "L") => (5, 1),
        ("CR" | "IR" | "AR", "H") => (151, 2),
        // E / RL / RC / TD high or Not Defined, requirements Medium or Not Defined.
        _ => (1, 0),
    };
    d(units, scale)
}

/// The v2 scores of a parsed vector.
pub(crate) fn scores(v: &Vector) -> Scores {
    let w = |m: &str| weight(m, v.value_or_default(m));
    let one = d(1, 0);
    let (c, i, a) = (w("C"), w("I"), w("A"));

    // Impact = 10.41 * (1 - (1 - C) * (1 - I) * (1 - A))
    let impact = d(1041, 2).mul(&one.sub(&one.sub(&c).mul(&one.sub(&i)).mul(&one.sub(&a))));
    // Exploitability = 20 * AV * AC * Au
    let exploitability = d(20, 0).mul(&w("AV")).mul(&w("AC")).mul(&w("Au"));
    let base_equation = |impact: &Dec| -> u32 {
        // f(Impact) = 0 if Impact = 0, 1.176 otherwise
        let f = if impact.is_zero() {
            Dec::zero()
        } else {
            d(1176, 3)
        };
        // BaseScore = round_to_1_decimal(((0.6 * Impact) + (0.4 * Exploitability) - 1.5) * f)
        d(6, 1)
            .mul(impact)
            .add(&d(4, 1).mul(&exploitability))
            .sub(&d(15, 1))
            .mul(&f)
            .round_half_up_tenths()
    };
    let temporal_equation = |base_tenths: u32| -> u32 {
        // TemporalScore = round_to_1_decimal(BaseScore * E * RL * RC)
        d(u64::from(base_tenths), 1)
            .mul(&w("E"))
            .mul(&w("RL"))
            .mul(&w("RC"))
            .round_half_up_tenths()
    };

    let base = base_equation(&impact);
    let temporal = temporal_equation(base);

    // AdjustedImpact = min(10, 10.41 * (1 - (1 - C * CR) * (1 - I * IR) * (1 - A * AR)))
    let adjusted_impact = d(1041, 2)
        .mul(
            &one.sub(
                &one.sub(&c.mul(&w("CR")))
                    .mul(&one.sub(&i.mul(&w("IR"))))
                    .mul(&one.sub(&a.mul(&w("AR")))),
            ),
        )
        .min(d(10, 0));
    // AdjustedTemporal = TemporalScore with the base score's Impact replaced by AdjustedImpact
    let adjusted_temporal = d(
        u64::from(temporal_equation(base_equation(&adjusted_impact))),
        1,
    );
    // EnvironmentalScore = round_to_1_decimal((AdjustedTemporal
    //     + (10 - AdjustedTemporal) * CollateralDamagePotential) * TargetDistribution)
    let environmental = adjusted_temporal
        .add(&d(10, 0).sub(&adjusted_temporal).mul(&w("CDP")))
        .mul(&w("TD"))
        .round_half_up_tenths();

    let base = Score::from_tenths(base);
    Scores {
        version: Version::V2,
        base,
        temporal: Some(Score::from_tenths(temporal)),
        environmental: Some(Score::from_tenths(environmental)),
        severity: Severity::of_v2(base),
        v4: None,
    }
}
