//! An SCA policy as written: the policy header, requirements, variables and checks, read from
//! YAML; rules are parsed (`rule.rs`) with variables substituted. A malformed check is a
//! problem naming its id; the others are kept.

use yaml_rust2::{Yaml, YamlLoader};

use crate::rule::{parse_rule, Rule};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    #[error("{file}: not YAML: {reason}")]
    Yaml { file: String, reason: String },
    #[error("{file}: not an SCA policy: {reason}")]
    Shape { file: String, reason: String },
}

/// How a check's rule results combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    All,
    Any,
    None,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub rationale: String,
    pub remediation: String,
    pub condition: Condition,
    pub rules: Vec<Rule>,
    /// Compliance references, `framework:id` (`cis:1.1.1`, `pci_dss:2.2.4`).
    pub compliance: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Requirements {
    pub condition: Condition,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub requirements: Option<Requirements>,
    pub checks: Vec<Check>,
    /// Checks that could not be read: (check id or position, reason).
    pub problems: Vec<(String, String)>,
}

fn text(y: &Yaml, key: &str) -> String {
    match &y[key] {
        Yaml::String(s) => s.trim().to_owned(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Real(r) => r.clone(),
        _ => String::new(),
    }
}

fn condition(y: &Yaml) -> Result<Condition, String> {
    match y["condition"].as_str().map(str::trim) {
        Some("all") => Ok(Condition::All),
        Some("any") => Ok(Condition::Any),
        Some("none") => Ok(Condition::None),
        Some(other) => Err(format!("unknown condition {other:?} (all, any, none)")),
        None => Err("no condition".into()),
    }
}

fn rules(y: &Yaml, vars: &[(String, String)]) -> Result<Vec<Rule>, String> {
    let list = y["rules"].as_vec().ok_or("no rules list")?;
    list.iter()
        .map(|r| {
            let s = r.as_str().ok_or("a rule that is not a string")?;
            parse_rule(&substitute(s, vars))
        })
        .collect()
}

/// Replaces `$name` variables, longest names first.
fn substitute(rule: &str, vars: &[(String, String)]) -> String {
    let mut out = rule.to_owned();
    for (name, value) in vars {
        out = out.replace(name.as_str(), value);
    }
    out
}

impl Policy {
    /// Reads a policy's YAML; `file` names it in messages.
    pub fn parse(text_in: &str, file: &str) -> Result<Policy, PolicyError> {
        let docs = YamlLoader::load_from_str(text_in).map_err(|e| PolicyError::Yaml {
            file: file.to_owned(),
            reason: e.to_string(),
        })?;
        let shape = |reason: &str| PolicyError::Shape {
            file: file.to_owned(),
            reason: reason.to_owned(),
        };
        let doc = docs.first().ok_or_else(|| shape("empty document"))?;
        let head = &doc["policy"];
        if head.is_badvalue() {
            return Err(shape("no `policy` section"));
        }
        let mut vars: Vec<(String, String)> = doc["variables"]
            .as_hash()
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| {
                        let value = match v {
                            Yaml::String(s) => s.clone(),
                            Yaml::Array(a) => a
                                .iter()
                                .filter_map(Yaml::as_str)
                                .collect::<Vec<_>>()
                                .join(","),
                            _ => return None,
                        };
                        Some((k.as_str()?.to_owned(), value))
                    })
                    .collect()
            })
            .unwrap_or_default();
        vars.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        let requirements = if doc["requirements"].is_badvalue() {
            None
        } else {
            let r = &doc["requirements"];
            Some(Requirements {
                condition: condition(r).map_err(|e| shape(&format!("requirements: {e}")))?,
                rules: rules(r, &vars).map_err(|e| shape(&format!("requirements: {e}")))?,
            })
        };
        let mut checks = Vec::new();
        let mut problems = Vec::new();
        let list = doc["checks"]
            .as_vec()
            .ok_or_else(|| shape("no `checks` list"))?;
        for (n, c) in list.iter().enumerate() {
            let id = c["id"].as_i64();
            let name = id.map_or_else(|| format!("check #{}", n + 1), |i| format!("check {i}"));
            let read = || -> Result<Check, String> {
                let compliance = c["compliance"]
                    .as_vec()
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(Yaml::as_hash)
                            .flat_map(|h| h.iter())
                            .flat_map(|(k, v)| {
                                let k = k.as_str().unwrap_or("").to_owned();
                                v.as_vec()
                                    .map(|ids| {
                                        ids.iter()
                                            .map(|i| match i {
                                                Yaml::String(s) => format!("{k}:{s}"),
                                                Yaml::Real(s) => format!("{k}:{s}"),
                                                Yaml::Integer(x) => format!("{k}:{x}"),
                                                _ => format!("{k}:?"),
                                            })
                                            .collect::<Vec<_>>()
                                    })
                                    .unwrap_or_default()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Ok(Check {
                    id: id.ok_or("no numeric id")?,
                    title: Some(text(c, "title"))
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| text(c, "name")),
                    description: text(c, "description"),
                    rationale: text(c, "rationale"),
                    remediation: text(c, "remediation"),
                    condition: condition(c)?,
                    rules: rules(c, &vars)?,
                    compliance,
                })
            };
            match read() {
                Ok(check) => checks.push(check),
                Err(reason) => problems.push((name, reason)),
            }
        }
        Ok(Policy {
            id: text(head, "id"),
            name: text(head, "name"),
            requirements,
            checks,
            problems,
        })
    }
}
