//! `vigie cvss VECTOR [--format text|json]`: a CVSS v2 / v3.0 / v3.1 / v4.0 vector's scores,
//! severity and metrics (`vigie-cvss`); an invalid vector exits 2 with the reason and a hint.

use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Map, Value};
use vigie_cvss::{CvssError, Scores, Severity, Vector, Version};

use crate::cli::{CheckFormat, CvssArgs};
use crate::ui::Hint;

pub fn run(args: CvssArgs) -> Result<ExitCode> {
    let text = args.vector.trim();
    let vector = Vector::parse(text).map_err(|e| {
        let hint = hint(&e);
        anyhow!("invalid CVSS vector {text:?}: {e}").context(Hint(hint))
    })?;
    let scores = vector.scores();
    let out = match args.format {
        CheckFormat::Text => render_text(text, &vector, &scores),
        CheckFormat::Json => {
            serde_json::to_string_pretty(&render_json(text, &vector, &scores))
                .context("cannot write JSON")?
                + "\n"
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn render_text(text: &str, vector: &Vector, s: &Scores) -> String {
    let rate = |score| match s.version {
        Version::V2 => Severity::of_v2(score),
        _ => Severity::of(score),
    };
    let mut out = format!("{text}\nCVSS {}\n", s.version);
    match &s.v4 {
        Some(v4) => out.push_str(&format!(
            "score                {:>4}  {}  ({}, MacroVector {})\n",
            s.base, s.severity, v4.nomenclature, v4.macrovector
        )),
        None => {
            out.push_str(&format!(
                "base score           {:>4}  {}\n",
                s.base, s.severity
            ));
            for (name, score) in [("temporal", s.temporal), ("environmental", s.environmental)] {
                if let Some(score) = score {
                    out.push_str(&format!(
                        "{:<20} {score:>4}  {}\n",
                        format!("{name} score"),
                        rate(score)
                    ));
                }
            }
        }
    }
    let metrics = vector.metrics();
    let width = metrics.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let abbr_width = metrics.iter().map(|m| m.abbr.len()).max().unwrap_or(0);
    out.push_str("metrics:\n");
    for m in &metrics {
        out.push_str(&format!(
            "  {:<13} {:<abbr_width$}  {:<width$}  {} ({})\n",
            m.group.as_str(),
            m.abbr,
            m.name,
            m.value_name,
            m.value,
        ));
    }
    let defaulted =
        s.version.metrics().iter().any(|d| {
            d.group != vigie_cvss::Group::Base && !metrics.iter().any(|m| m.abbr == d.abbr)
        });
    if s.v4.is_none() && defaulted {
        out.push_str("(temporal and environmental metrics not given count as Not Defined)\n");
    }
    out
}

fn render_json(text: &str, vector: &Vector, s: &Scores) -> Value {
    let metrics: Map<String, Value> = vector
        .metrics()
        .iter()
        .map(|m| (m.abbr.to_owned(), Value::from(m.value)))
        .collect();
    let mut obj = json!({
        "version": s.version.as_str(),
        "vector": text,
        "base_score": s.base.value(),
        "temporal_score": s.temporal.map(|t| t.value()),
        "environmental_score": s.environmental.map(|t| t.value()),
        "severity": s.severity.as_str(),
    });
    if let (Some(v4), Some(map)) = (&s.v4, obj.as_object_mut()) {
        map.insert("nomenclature".into(), v4.nomenclature.into());
        map.insert("macrovector".into(), v4.macrovector.clone().into());
    }
    if let Some(map) = obj.as_object_mut() {
        map.insert("metrics".into(), Value::Object(metrics));
    }
    obj
}

/// What to do about a rejected vector.
fn hint(e: &CvssError) -> String {
    let examples = "e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, \
        CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N, or a v2 vector without \
        prefix such as AV:N/AC:L/Au:N/C:P/I:P/A:P";
    let names = |version: &str, base_only: bool| -> String {
        let v = match version {
            "2.0" => Version::V2,
            "3.0" => Version::V3_0,
            "3.1" => Version::V3_1,
            _ => Version::V4_0,
        };
        v.metrics()
            .iter()
            .filter(|m| !base_only || m.group == vigie_cvss::Group::Base)
            .map(|m| m.abbr)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match e {
        CvssError::Empty | CvssError::UnsupportedVersion { .. } => {
            format!("Vigie scores CVSS 2.0, 3.0, 3.1 and 4.0 vectors, {examples}")
        }
        CvssError::EmptyField { .. } | CvssError::MalformedField { .. } => {
            format!("a vector is METRIC:VALUE fields joined by single slashes, with no slash at the end, {examples}")
        }
        CvssError::UnknownMetric { version, .. } => format!(
            "CVSS {version} metrics are {} (names are case-sensitive)",
            names(version, false)
        ),
        CvssError::DuplicateMetric { .. } => "give each metric once".into(),
        CvssError::InvalidValue { .. } => {
            "values are case-sensitive; Not Defined is written X (v3, v4) or ND (v2)".into()
        }
        CvssError::MissingMetrics { version, .. } => format!(
            "every base metric of CVSS {version} is mandatory: {}",
            names(version, true)
        ),
    }
}
