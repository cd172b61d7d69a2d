//! A profile resolved: its `extends` chain applied parent first, giving which rules and groups
//! are selected, the value of every Value and the rules' refined roles and severities.

use std::collections::{HashMap, HashSet};

use crate::error::XccdfError;
use crate::model::{Benchmark, Profile};

/// Selections and values in force.
#[derive(Debug, Default, Clone)]
pub struct Resolved {
    pub selected: HashMap<String, bool>,
    pub values: HashMap<String, String>,
    /// `refine-rule` role and severity by rule id (the last refinement of each wins).
    pub roles: HashMap<String, String>,
    pub severities: HashMap<String, String>,
}

impl Resolved {
    /// `b` with the profile's rule refinements applied: roles (`unscored` checked and
    /// informational, `unchecked` notchecked, `full` scored) and severities. Refined weights are
    /// not applied: OpenSCAP 1.3.7 scores with the benchmark's weights.
    pub fn refined(&self, b: &Benchmark) -> Benchmark {
        let mut out = b.clone();
        for r in &mut out.rules {
            if let Some(role) = self.roles.get(&r.id) {
                r.unchecked = role == "unchecked";
                r.unscored = role == "unscored";
            }
            if let Some(sev) = self.severities.get(&r.id) {
                r.severity = sev.clone();
            }
        }
        out
    }
}

impl Resolved {
    /// Whether a rule is selected: itself and every enclosing group.
    pub fn rule_selected(&self, b: &Benchmark, rule: usize) -> bool {
        let r = &b.rules[rule];
        r.groups
            .iter()
            .chain(std::iter::once(&r.id))
            .all(|id| self.selected.get(id).copied().unwrap_or(true))
    }
}

/// Resolves `profile` (or the benchmark's defaults when `None`).
pub fn resolve(b: &Benchmark, profile: Option<&str>, file: &str) -> Result<Resolved, XccdfError> {
    let mut out = Resolved::default();
    for (id, g) in &b.groups {
        out.selected.insert(id.clone(), g.selected);
    }
    for r in &b.rules {
        out.selected.insert(r.id.clone(), r.selected);
    }
    for v in b.values.values() {
        out.values.insert(v.id.clone(), v.default.clone());
    }
    let Some(want) = profile else {
        return Ok(out);
    };
    let find = |id: &str| b.profiles.iter().find(|p| p.id == id);
    let mut chain: Vec<&Profile> = Vec::new();
    let mut seen = HashSet::new();
    let mut next = Some(want.to_owned());
    while let Some(id) = next {
        if !seen.insert(id.clone()) {
            return Err(XccdfError::Element {
                file: file.to_owned(),
                id,
                reason: "profile extends itself (reference cycle)".into(),
            });
        }
        let p = find(&id).ok_or_else(|| {
            if chain.is_empty() {
                XccdfError::NoProfile {
                    file: file.to_owned(),
                    id: id.clone(),
                    known: b
                        .profiles
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            } else {
                XccdfError::Element {
                    file: file.to_owned(),
                    id: id.clone(),
                    reason: "extended profile is not defined".into(),
                }
            }
        })?;
        chain.push(p);
        next = p.extends.clone();
    }
    for p in chain.iter().rev() {
        for (id, sel) in &p.selects {
            out.selected.insert(id.clone(), *sel);
        }
        for (id, selector) in &p.refine_values {
            if let Some(v) = b.values.get(id).and_then(|v| v.selectors.get(selector)) {
                out.values.insert(id.clone(), v.clone());
            }
        }
        for (id, v) in &p.set_values {
            out.values.insert(id.clone(), v.clone());
        }
        for r in &p.refine_rules {
            if let Some(role) = &r.role {
                out.roles.insert(r.idref.clone(), role.clone());
            }
            if let Some(sev) = &r.severity {
                out.severities.insert(r.idref.clone(), sev.clone());
            }
        }
    }
    Ok(out)
}
