//! CVSS v4.0 (FIRST specification document, sections 2-8): the metric table, the MacroVector
//! (EQ1-EQ6) of a vector's effective values, and its score by the specification's
//! severity-distance interpolation between the MacroVector and the next lower ones. The score is
//! that of the vector as given: CVSS-B, -BT, -BE or -BTE.
//!
//! The interpolation runs in binary floating point, in the order of operations of the reference
//! calculator, and is rounded half up to one decimal after adding 10^-6, so that values such as
//! 8.549999999 (an exact 8.55 in decimal) round to 8.6 (the reference calculator's fix for the
//! 0.1-low scores of its first releases).

use crate::decimal::Dec;
use crate::v4_table::{
    eq3_eq6_depth, eq3_eq6_max, macrovector_score, EQ1_DEPTH, EQ1_MAX, EQ2_DEPTH, EQ2_MAX,
    EQ4_DEPTH, EQ4_MAX, EQ5_MAX,
};
use crate::vector::{Group, MetricDef, Scores, V4Details, Vector, Version};
use crate::{Score, Severity};

const X: (&str, &str) = ("X", "Not Defined");
const IMPACT: &[(&str, &str)] = &[("H", "High"), ("L", "Low"), ("N", "None")];
const M_IMPACT: &[(&str, &str)] = &[X, ("H", "High"), ("L", "Low"), ("N", "None")];
const M_SUBSEQUENT: &[(&str, &str)] = &[
    X,
    ("S", "Safety"),
    ("H", "High"),
    ("L", "Low"),
    ("N", "None"),
];
const REQ: &[(&str, &str)] = &[X, ("H", "High"), ("M", "Medium"), ("L", "Low")];

const fn def(
    abbr: &'static str,
    name: &'static str,
    group: Group,
    values: &'static [(&'static str, &'static str)],
) -> MetricDef {
    MetricDef {
        abbr,
        name,
        group,
        values,
    }
}

/// The v4.0 metrics in the specification's order.
pub(crate) const METRICS: &[MetricDef] = &[
    def(
        "AV",
        "Attack Vector",
        Group::Base,
        &[
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    ),
    def(
        "AC",
        "Attack Complexity",
        Group::Base,
        &[("L", "Low"), ("H", "High")],
    ),
    def(
        "AT",
        "Attack Requirements",
        Group::Base,
        &[("N", "None"), ("P", "Present")],
    ),
    def(
        "PR",
        "Privileges Required",
        Group::Base,
        &[("N", "None"), ("L", "Low"), ("H", "High")],
    ),
    def(
        "UI",
        "User Interaction",
        Group::Base,
        &[("N", "None"), ("P", "Passive"), ("A", "Active")],
    ),
    def(
        "VC",
        "Vulnerable System Confidentiality",
        Group::Base,
        IMPACT,
    ),
    def("VI", "Vulnerable System Integrity", Group::Base, IMPACT),
    def("VA", "Vulnerable System Availability", Group::Base, IMPACT),
    def(
        "SC",
        "Subsequent System Confidentiality",
        Group::Base,
        IMPACT,
    ),
    def("SI", "Subsequent System Integrity", Group::Base, IMPACT),
    def("SA", "Subsequent System Availability", Group::Base, IMPACT),
    def(
        "E",
        "Exploit Maturity",
        Group::Threat,
        &[X, ("A", "Attacked"), ("P", "POC"), ("U", "Unreported")],
    ),
    def(
        "CR",
        "Confidentiality Requirement",
        Group::Environmental,
        REQ,
    ),
    def("IR", "Integrity Requirement", Group::Environmental, REQ),
    def("AR", "Availability Requirement", Group::Environmental, REQ),
    def(
        "MAV",
        "Modified Attack Vector",
        Group::Environmental,
        &[
            X,
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    ),
    def(
        "MAC",
        "Modified Attack Complexity",
        Group::Environmental,
        &[X, ("L", "Low"), ("H", "High")],
    ),
    def(
        "MAT",
        "Modified Attack Requirements",
        Group::Environmental,
        &[X, ("N", "None"), ("P", "Present")],
    ),
    def(
        "MPR",
        "Modified Privileges Required",
        Group::Environmental,
        &[X, ("N", "None"), ("L", "Low"), ("H", "High")],
    ),
    def(
        "MUI",
        "Modified User Interaction",
        Group::Environmental,
        &[X, ("N", "None"), ("P", "Passive"), ("A", "Active")],
    ),
    def(
        "MVC",
        "Modified Vulnerable System Confidentiality",
        Group::Environmental,
        M_IMPACT,
    ),
    def(
        "MVI",
        "Modified Vulnerable System Integrity",
        Group::Environmental,
        M_IMPACT,
    ),
    def(
        "MVA",
        "Modified Vulnerable System Availability",
        Group::Environmental,
        M_IMPACT,
    ),
    def(
        "MSC",
        "Modified Subsequent System Confidentiality",
        Group::Environmental,
        M_IMPACT,
    ),
    def(
        "MSI",
        "Modified Subsequent System Integrity",
        Group::Environmental,
        M_SUBSEQUENT,
    ),
    def(
        "MSA",
        "Modified Subsequent System Availability",
        Group::Environmental,
        M_SUBSEQUENT,
    ),
    def(
        "S",
        "Safety",
        Group::Supplemental,
        &[X, ("N", "Negligible"), ("P", "Present")],
    ),
    def(
        "AU",
        "Automatable",
        Group::Supplemental,
        &[X, ("N", "No"), ("Y", "Yes")],
    ),
    def(
        "R",
        "Recovery",
        Group::Supplemental,
        &[X, ("A", "Automatic"), ("U", "User"), ("I", "Irrecoverable")],
    ),
    def(
        "V",
        "Value Density",
        Group::Supplemental,
        &[X, ("D", "Diffuse"), ("C", "Concentrated")],
    ),
    def(
        "RE",
        "Vulnerability Response Effort",
        Group::Supplemental,
        &[X, ("L", "Low"), ("M", "Moderate"), ("H", "High")],
    ),
    def(
        "U",
        "Provider Urgency",
        Group::Supplemental,
        &[
            X,
            ("Clear", "Clear"),
            ("Green", "Green"),
            ("Amber", "Amber"),
            ("Red", "Red"),
        ],
    ),
];

/// The value a metric takes in the equations: Exploit Maturity Not Defined counts as Attacked
/// and security requirements Not Defined as High (the worst case); a modified metric that is
/// given replaces its base metric.
fn effective(v: &Vector, metric: &str) -> &'static str {
    let given = v.value_or_default(metric);
    if given == "X" {
        match metric {
            "E" => return "A",
            "CR" | "IR" | "AR" => return "H",
            _ => {}
        }
    }
    match v.get(&format!("M{metric}")) {
        Some(modified) if modified != "X" => modified,
        _ => given,
    }
}

/// The severity level of a value within its metric, in steps of 0.1 from the most severe.
fn level(metric: &str, value: &str) -> f64 {
    match (metric, value) {
        ("AV", "A") | ("PR", "L") | ("UI", "P") | ("AC", "H") | ("AT", "P") => 0.1,
        ("AV", "L") | ("PR", "H") | ("UI", "A") => 0.2,
        ("AV", "P") => 0.3,
        ("VC" | "VI" | "VA", "L") => 0.1,
        ("VC" | "VI" | "VA", "N") => 0.2,
        ("SC" | "SI" | "SA", "H") => 0.1,
        ("SC" | "SI" | "SA", "L") => 0.2,
        ("SC" | "SI" | "SA", "N") => 0.3,
        ("CR" | "IR" | "AR", "M") | ("E", "P") => 0.1,
        ("CR" | "IR" | "AR", "L") | ("E", "U") => 0.2,
        _ => 0.0,
    }
}

/// The MacroVector: the six EQ levels of the effective values.
fn macrovector(eff: &impl Fn(&str) -> &'static str, v: &Vector) -> [u8; 6] {
    let (av, pr, ui) = (eff("AV"), eff("PR"), eff("UI"));
    let eq1 = if av == "N" && pr == "N" && ui == "N" {
        0
    } else if (av == "N" || pr == "N" || ui == "N") && av != "P" {
        1
    } else {
        2
    };
    let eq2 = if eff("AC") == "L" && eff("AT") == "N" {
        0
    } else {
        1
    };
    let (vc, vi, va) = (eff("VC"), eff("VI"), eff("VA"));
    let eq3 = if vc == "H" && vi == "H" {
        0
    } else if vc == "H" || vi == "H" || va == "H" {
        1
    } else {
        2
    };
    let eq4 = if v.value_or_default("MSI") == "S" || v.value_or_default("MSA") == "S" {
        0
    } else if eff("SC") == "H" || eff("SI") == "H" || eff("SA") == "H" {
        1
    } else {
        2
    };
    let eq5 = match eff("E") {
        "P" => 1,
        "U" => 2,
        _ => 0,
    };
    let eq6 = if (eff("CR") == "H" && vc == "H")
        || (eff("IR") == "H" && vi == "H")
        || (eff("AR") == "H" && va == "H")
    {
        0
    } else {
        1
    };
    [eq1, eq2, eq3, eq4, eq5, eq6]
}

/// The metrics whose distances to a highest-severity vector are measured, in the order of the
/// reference calculator.
const DISTANCE_METRICS: [&str; 15] = [
    "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR", "E",
];

/// The v4.0 score of a parsed vector.
pub(crate) fn scores(v: &Vector) -> Scores {
    let eff = |m: &str| effective(v, m);
    let eq = macrovector(&eff, v);
    let no_impact = ["VC", "VI", "VA", "SC", "SI", "SA"]
        .iter()
        .all(|m| eff(m) == "N");
    let tenths = if no_impact {
        0
    } else {
        round_score(interpolate(&eff, eq))
    };

    let given = |group: Group| {
        v.metrics()
            .iter()
            .any(|m| m.group == group && m.value != "X")
    };
    let nomenclature = match (given(Group::Threat), given(Group::Environmental)) {
        (false, false) => "CVSS-B",
        (true, false) => "CVSS-BT",
        (false, true) => "CVSS-BE",
        (true, true) => "CVSS-BTE",
    };
    let base = Score::from_tenths(tenths);
    Scores {
        version: Version::V4_0,
        base,
        temporal: None,
        environmental: None,
        severity: Severity::of(base),
        v4: Some(V4Details {
            nomenclature,
            macrovector: eq.iter().map(|l| char::from(b'0' + l)).collect(),
        }),
    }
}

/// The unrounded score: the MacroVector's score minus the mean, over the EQs that have a lower
/// MacroVector, of (score difference to that MacroVector) x (severity distance of the vector
/// from the highest-severity vector of its MacroVector) / (depth of the EQ level).
fn interpolate(eff: &impl Fn(&str) -> &'static str, eq: [u8; 6]) -> f64 {
    let [eq1, eq2, eq3, eq4, eq5, eq6] = eq;
    let Some(value) = macrovector_score(eq) else {
        return 0.0;
    };
    let with = |i: usize, j: Option<usize>| {
        let mut e = eq;
        for k in [Some(i), j].into_iter().flatten() {
            if let Some(slot) = e.get_mut(k) {
                *slot += 1;
            }
        }
        macrovector_score(e)
    };
    let lower_eq1 = with(0, None);
    let lower_eq2 = with(1, None);
    let lower_eq3_eq6 = match (eq3, eq6) {
        (0, 1) | (1, 1) => with(2, None),
        (1, 0) => with(5, None),
        (0, 0) => match (with(5, None), with(2, None)) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        },
        _ => with(2, Some(5)),
    };
    let lower_eq4 = with(3, None);
    let lower_eq5 = with(4, None);

    // The first highest-severity vector of the MacroVector that the vector does not exceed in
    // any metric (the calculator keeps the last candidate's distances if none fits).
    let mut distances = [0.0f64; 15];
    'search: for m1 in EQ1_MAX.get(usize::from(eq1)).copied().unwrap_or_default() {
        for m2 in EQ2_MAX.get(usize::from(eq2)).copied().unwrap_or_default() {
            for m36 in eq3_eq6_max(eq3, eq6) {
                for m4 in EQ4_MAX.get(usize::from(eq4)).copied().unwrap_or_default() {
                    let m5 = EQ5_MAX.get(usize::from(eq5)).copied().unwrap_or("A");
                    let max = [
                        m1[0], m1[1], m1[2], m2[0], m2[1], m36[0], m36[1], m36[2], m4[0], m4[1],
                        m4[2], m36[3], m36[4], m36[5], m5,
                    ];
                    for ((dist, metric), max_value) in
                        distances.iter_mut().zip(DISTANCE_METRICS).zip(max)
                    {
                        *dist = level(metric, eff(metric)) - level(metric, max_value);
                    }
                    if distances.iter().all(|&d| d >= 0.0) {
                        break 'search;
                    }
                }
            }
        }
    }
    let [d_av, d_pr, d_ui, d_ac, d_at, d_vc, d_vi, d_va, d_sc, d_si, d_sa, d_cr, d_ir, d_ar, _] =
        distances;
    let distance_eq1 = d_av + d_pr + d_ui;
    let distance_eq2 = d_ac + d_at;
    let distance_eq3_eq6 = d_vc + d_vi + d_va + d_cr + d_ir + d_ar;
    let distance_eq4 = d_sc + d_si + d_sa;

    const STEP: f64 = 0.1;
    let depth = |levels: &[u8], level: u8| {
        f64::from(levels.get(usize::from(level)).copied().unwrap_or(1)) * STEP
    };
    let mut existing = 0u32;
    let mut part = |lower: Option<f64>, proportion: f64| -> f64 {
        match lower {
            Some(lower) => {
                existing += 1;
                (value - lower) * proportion
            }
            None => 0.0,
        }
    };
    let n1 = part(lower_eq1, distance_eq1 / depth(&EQ1_DEPTH, eq1));
    let n2 = part(lower_eq2, distance_eq2 / depth(&EQ2_DEPTH, eq2));
    let n36 = part(
        lower_eq3_eq6,
        distance_eq3_eq6 / (f64::from(eq3_eq6_depth(eq3, eq6)) * STEP),
    );
    let n4 = part(lower_eq4, distance_eq4 / depth(&EQ4_DEPTH, eq4));
    // EQ5 has one value per level: its proportion is always 0.
    let n5 = part(lower_eq5, 0.0);
    let mean = if existing == 0 {
        0.0
    } else {
        (n1 + n2 + n36 + n4 + n5) / f64::from(existing)
    };
    (value - mean).clamp(0.0, 10.0)
}

/// Rounds half up to one decimal after adding 10^-6, in tenths. The sum is rounded as the exact
/// decimal value of the binary double.
fn round_score(x: f64) -> u32 {
    match Dec::from_f64(x + 1e-6) {
        Some(exact) => exact.round_half_up_tenths(),
        None => 0,
    }
}
