//! The CVSS v4.0 MacroVector data of the FIRST specification (section 8): the score of each of
//! the 270 MacroVectors, the highest-severity vectors of each EQ level, and the depth of each
//! EQ level, as the specification's reference calculator defines them.
//!
//! A MacroVector is the six EQ levels `eq1 eq2 eq3 eq4 eq5 eq6`; EQ3 and EQ6 only occur in the
//! pairs 00, 01, 10, 11 and 21.

/// MacroVector scores in tenths. One row per `(eq1, eq2, eq3, eq6)`, nine columns per row for
/// `(eq4, eq5)` = 00 01 02 10 11 12 20 21 22.
#[rustfmt::skip]
const SCORES: [([u8; 4], [u8; 9]); 30] = [
    //  eq1 eq2 eq3 eq6     eq4,eq5:  00   01   02   10   11   12   20   21   22
    ([0, 0, 0, 0], [100,  98,  95, 100,  93,  91,  93,  89,  81]),
    ([0, 0, 0, 1], [ 99,  95,  92,  96,  87,  81,  90,  80,  68]),
    ([0, 0, 1, 0], [ 98,  95,  90,  93,  89,  81,  88,  78,  69]),
    ([0, 0, 1, 1], [ 95,  92,  84,  92,  81,  65,  80,  70,  48]),
    ([0, 0, 2, 1], [ 92,  82,  72,  79,  69,  50,  69,  55,  27]),
    ([0, 1, 0, 0], [ 99,  95,  92,  95,  90,  84,  92,  82,  72]),
    ([0, 1, 0, 1], [ 97,  92,  85,  91,  83,  71,  81,  71,  53]),
    ([0, 1, 1, 0], [ 95,  92,  85,  92,  80,  70,  84,  71,  50]),
    ([0, 1, 1, 1], [ 93,  85,  73,  82,  72,  59,  70,  52,  30]),
    ([0, 1, 2, 1], [ 86,  75,  52,  71,  52,  29,  63,  29,  17]),
    ([1, 0, 0, 0], [ 98,  94,  91,  94,  86,  77,  87,  74,  63]),
    ([1, 0, 0, 1], [ 95,  87,  81,  89,  74,  64,  75,  63,  49]),
    ([1, 0, 1, 0], [ 94,  88,  76,  86,  74,  59,  72,  57,  52]),
    ([1, 0, 1, 1], [ 89,  77,  67,  76,  58,  50,  57,  52,  25]),
    ([1, 0, 2, 1], [ 83,  70,  54,  65,  58,  26,  53,  21,  13]),
    ([1, 1, 0, 0], [ 95,  88,  76,  90,  75,  61,  77,  68,  52]),
    ([1, 1, 0, 1], [ 90,  76,  70,  77,  62,  53,  66,  59,  30]),
    ([1, 1, 1, 0], [ 89,  76,  62,  74,  57,  47,  61,  57,  24]),
    ([1, 1, 1, 1], [ 78,  67,  58,  59,  57,  23,  52,  29,  16]),
    ([1, 1, 2, 1], [ 71,  59,  30,  58,  26,  15,  23,  13,   6]),
    ([2, 0, 0, 0], [ 93,  86,  75,  86,  74,  56,  70,  52,  40]),
    ([2, 0, 0, 1], [ 87,  72,  58,  74,  61,  34,  54,  40,  22]),
    ([2, 0, 1, 0], [ 85,  74,  62,  72,  55,  46,  53,  34,  19]),
    ([2, 0, 1, 1], [ 75,  55,  51,  57,  41,  19,  36,  19,   8]),
    ([2, 0, 2, 1], [ 64,  51,  20,  47,  21,  11,  24,   9,   4]),
    ([2, 1, 0, 0], [ 88,  73,  60,  73,  59,  41,  54,  45,  20]),
    ([2, 1, 0, 1], [ 75,  53,  50,  55,  40,  20,  43,  22,  11]),
    ([2, 1, 1, 0], [ 75,  58,  40,  61,  48,  20,  46,  17,   8]),
    ([2, 1, 1, 1], [ 55,  45,  21,  51,  18,   9,  18,   7,   2]),
    ([2, 1, 2, 1], [ 53,  24,  14,  24,  12,   5,  10,   3,   1]),
];

/// The score of a MacroVector (EQ levels `[eq1, eq2, eq3, eq4, eq5, eq6]`), `None` for level
/// combinations that do not exist (a "next lower" MacroVector past the last level).
pub(crate) fn macrovector_score(eq: [u8; 6]) -> Option<f64> {
    let [eq1, eq2, eq3, eq4, eq5, eq6] = eq;
    if eq4 > 2 || eq5 > 2 {
        return None;
    }
    let (_, row) = SCORES
        .iter()
        .find(|(key, _)| *key == [eq1, eq2, eq3, eq6])?;
    let tenths = row.get(usize::from(eq4 * 3 + eq5))?;
    Some(f64::from(*tenths) / 10.0)
}

/// Highest-severity vectors of each EQ1 level, as `[AV, PR, UI]`.
pub(crate) const EQ1_MAX: [&[[&str; 3]]; 3] = [
    &[["N", "N", "N"]],
    &[["A", "N", "N"], ["N", "L", "N"], ["N", "N", "P"]],
    &[["P", "N", "N"], ["A", "L", "P"]],
];

/// Highest-severity vectors of each EQ2 level, as `[AC, AT]`.
pub(crate) const EQ2_MAX: [&[[&str; 2]]; 2] = [&[["L", "N"]], &[["H", "N"], ["L", "P"]]];

/// Highest-severity vectors of each joint EQ3 / EQ6 level, as `[VC, VI, VA, CR, IR, AR]`.
pub(crate) fn eq3_eq6_max(eq3: u8, eq6: u8) -> &'static [[&'static str; 6]] {
    match (eq3, eq6) {
        (0, 0) => &[["H", "H", "H", "H", "H", "H"]],
        (0, _) => &[
            ["H", "H", "L", "M", "M", "H"],
            ["H", "H", "H", "M", "M", "M"],
        ],
        (1, 0) => &[
            ["L", "H", "H", "H", "H", "H"],
            ["H", "L", "H", "H", "H", "H"],
        ],
        (1, _) => &[
            ["L", "H", "L", "H", "M", "H"],
            ["L", "H", "H", "H", "M", "M"],
            ["H", "L", "H", "M", "H", "M"],
            ["H", "L", "L", "M", "H", "H"],
            ["L", "L", "H", "H", "H", "M"],
        ],
        _ => &[["L", "L", "L", "H", "H", "H"]],
    }
}

/// Highest-severity vectors of each EQ4 level, as `[SC, SI, SA]`.
pub(crate) const EQ4_MAX: [&[[&str; 3]]; 3] =
    [&[["H", "S", "S"]], &[["H", "H", "H"]], &[["L", "L", "L"]]];

/// Highest-severity value of Exploit Maturity for each EQ5 level.
pub(crate) const EQ5_MAX: [&str; 3] = ["A", "P", "U"];

/// Depth of each EQ1 level: its greatest severity distance, plus one, in steps of 0.1.
pub(crate) const EQ1_DEPTH: [u8; 3] = [1, 4, 5];
/// Depth of each EQ2 level.
pub(crate) const EQ2_DEPTH: [u8; 2] = [1, 2];
/// Depth of each EQ4 level.
pub(crate) const EQ4_DEPTH: [u8; 3] = [6, 5, 4];

/// Depth of a joint EQ3 / EQ6 level.
pub(crate) fn eq3_eq6_depth(eq3: u8, eq6: u8) -> u8 {
    match (eq3, eq6) {
        (0, 0) => 7,
        (0, _) => 6,
        (1, _) => 8,
        _ => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_270_distinct_macrovectors() {
        let mut n = 0;
        for (key, row) in SCORES.iter() {
            assert!(matches!(
                (key[2], key[3]),
                (0, 0) | (0, 1) | (1, 0) | (1, 1) | (2, 1)
            ));
            n += row.len();
            assert!(row.iter().all(|&t| (1..=100).contains(&t)));
        }
        assert_eq!(n, 270);
        for (i, (a, _)) in SCORES.iter().enumerate() {
            assert!(SCORES.iter().skip(i + 1).all(|(b, _)| a != b));
        }
        assert_eq!(macrovector_score([0, 0, 0, 0, 0, 0]), Some(10.0));
        assert_eq!(macrovector_score([2, 1, 2, 2, 2, 1]), Some(0.1));
        assert_eq!(macrovector_score([1, 0, 0, 2, 1, 1]), Some(6.3));
        assert_eq!(macrovector_score([3, 0, 0, 0, 0, 0]), None);
        assert_eq!(macrovector_score([0, 0, 2, 0, 0, 0]), None);
        assert_eq!(macrovector_score([0, 0, 3, 0, 0, 2]), None);
    }
}
