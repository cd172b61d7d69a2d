//! The posture score, as documented in README.md:
//!
//! - compliance = 100 × (weight of passed rules) / (weight of passed and failed rules), a
//!   rule weighing 3 (high severity), 2 (medium or unknown) or 1 (low); results other than
//!   pass and fail (error, unknown, not applicable...) are counted but not scored;
//! - vulnerabilities = 100 × exp(−Σ w / 10), a finding weighing its CVSS base score / 10
//!   (else 0.95, 0.8, 0.55, 0.25 for Critical, High, Medium, Low; 0.5 unknown), doubled when
//!   the KEV catalogue lists it as exploited;
//! - the score is the mean of the parts present.

/// One compliance result.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub id: String,
    pub title: String,
    /// `high`, `medium`, `low`, or empty when unknown.
    pub severity: String,
    /// `pass`, `fail`, or anything else (not scored).
    pub result: String,
}

/// One vulnerability finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub package: String,
    pub version: String,
    pub advisory: String,
    pub score: Option<f64>,
    /// Critical, High, Medium, Low, or empty.
    pub severity: String,
    pub kev: bool,
}

pub fn rule_weight(severity: &str) -> f64 {
    match severity.to_ascii_lowercase().as_str() {
        "high" | "critical" => 3.0,
        "low" | "info" | "informational" => 1.0,
        _ => 2.0,
    }
}

pub fn finding_weight(f: &Finding) -> f64 {
    let base = match f.score {
        Some(s) if (0.0..=10.0).contains(&s) => s / 10.0,
        _ => match f.severity.to_ascii_lowercase().as_str() {
            "critical" => 0.95,
            "high" => 0.8,
            "medium" | "moderate" => 0.55,
            "low" => 0.25,
            _ => 0.5,
        },
    };
    if f.kev {
        base * 2.0
    } else {
        base
    }
}

/// The scores of one run: compliance and vulnerabilities (when there was such input) and
/// their mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub compliance: Option<f64>,
    pub vulnerabilities: Option<f64>,
    pub score: f64,
}

/// Scores results and findings; `None` parts when that input was not given.
pub fn score(rules: Option<&[RuleResult]>, findings: Option<&[Finding]>) -> Scores {
    let compliance = rules.and_then(|rules| {
        let (mut pass, mut total) = (0.0, 0.0);
        for r in rules {
            let w = rule_weight(&r.severity);
            match r.result.as_str() {
                "pass" => {
                    pass += w;
                    total += w;
                }
                "fail" => total += w,
                _ => {}
            }
        }
        (total > 0.0).then(|| 100.0 * pass / total)
    });
    let vulnerabilities =
        findings.map(|f| 100.0 * (-f.iter().map(finding_weight).sum::<f64>() / 10.0).exp());
    let parts: Vec<f64> = [compliance, vulnerabilities]
        .into_iter()
        .flatten()
        .collect();
    let score = if parts.is_empty() {
        100.0
    } else {
        parts.iter().sum::<f64>() / parts.len() as f64
    };
    Scores {
        compliance,
        vulnerabilities,
        score,
    }
}
