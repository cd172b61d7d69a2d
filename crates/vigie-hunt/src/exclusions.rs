//! Exclusions: silence a rule, or a rule on a field value, with a stated reason.
//!
//! ```yaml
//! - rule: 5b4f6c2e-...        # rule id or title
//!   reason: backup job runs 7z nightly
//! - rule: 5b4f6c2e-...
//!   field: Image
//!   value: 'C:\Program Files\Backup\7z.exe'
//!   reason: the backup tool itself
//! ```

use serde::Deserialize;

use crate::detection::Detection;

/// One exclusion.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub rule: String,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    pub reason: String,
}

/// A list of exclusions.
#[derive(Clone, Debug, Default)]
pub struct Exclusions(pub Vec<Exclusion>);

impl Exclusions {
    /// Reads an exclusions file (YAML or JSON list).
    pub fn from_yaml(text: &str) -> Result<Exclusions, String> {
        let docs = vigie_sigma::yaml::parse_documents(text)
            .map_err(|e| format!("line {}: {}", e.line, e.message))?;
        let mut out = Vec::new();
        for doc in docs {
            let vigie_sigma::yaml::NodeKind::Seq(items) = &doc.kind else {
                return Err(format!("line {}: expected a list of exclusions", doc.line));
            };
            for item in items {
                let get = |k: &str| item.get(k).and_then(vigie_sigma::yaml::Node::scalar_text);
                let (Some(rule), Some(reason)) = (get("rule"), get("reason")) else {
                    return Err(format!(
                        "line {}: an exclusion needs `rule` and `reason`",
                        item.line
                    ));
                };
                if let Some((k, _)) = item.as_map().unwrap_or_default().iter().find(|(k, _)| {
                    !matches!(k.as_str(), Some("rule" | "reason" | "field" | "value"))
                }) {
                    return Err(format!(
                        "line {}: unknown key {:?} (expected rule, field, value, reason)",
                        k.line,
                        k.scalar_text().unwrap_or_default()
                    ));
                }
                let (field, value) = (get("field"), get("value"));
                if field.is_some() != value.is_some() {
                    return Err(format!(
                        "line {}: `field` and `value` go together",
                        item.line
                    ));
                }
                out.push(Exclusion {
                    rule,
                    field,
                    value,
                    reason,
                });
            }
        }
        Ok(Exclusions(out))
    }

    /// The exclusion that silences this detection, if any.
    pub fn silences(&self, d: &Detection) -> Option<&Exclusion> {
        self.0.iter().find(|e| {
            (e.rule == d.rule_id || e.rule == d.rule_title)
                && match (&e.field, &e.value) {
                    (Some(f), Some(v)) => d.matched.iter().any(|(k, val)| {
                        k == f && val.to_text().is_some_and(|t| t.eq_ignore_ascii_case(v))
                    }),
                    _ => true,
                }
        })
    }
}
