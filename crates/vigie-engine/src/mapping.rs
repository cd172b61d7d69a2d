//! Logsource routing and field mappings, read from data files (YAML).
//!
//! A route says which events a Sigma `logsource` stands for (a Sigma search map over event
//! fields, `when`) and how rule field names become event field names there (`fields`).

use std::collections::HashMap;

use vigie_event::Event;
use vigie_sigma::yaml::{parse_documents, Node};
use vigie_sigma::{search_map, LogSource};

use crate::compile::{compile_item, FieldMap, Issues};
use crate::predicate::FieldCond;
use crate::transform::Placeholders;

/// The mapping files built into Vigie.
pub const BUILTIN: [(&str, &str); 3] = [
    ("windows.yml", include_str!("../mappings/windows.yml")),
    ("linux.yml", include_str!("../mappings/linux.yml")),
    ("ecs.yml", include_str!("../mappings/ecs.yml")),
];

/// One route.
#[derive(Clone, Debug)]
pub struct Route {
    pub logsource: LogSource,
    pub when: Vec<FieldCond>,
    pub fields: FieldMap,
    /// `file:line`, for messages.
    pub origin: String,
}

impl Route {
    pub fn holds(&self, event: &Event) -> bool {
        self.when.iter().all(|c| c.matches(event))
    }

    /// Whether a rule written for `rule` may be evaluated through this route: each of the
    /// rule's category and service is the route's, and the route's product, if any, is the rule's.
    pub fn covers(&self, rule: &LogSource) -> bool {
        let same = |r: &Option<String>, m: &Option<String>| match r {
            Some(_) => r == m,
            None => true,
        };
        same(&rule.category, &self.logsource.category)
            && same(&rule.service, &self.logsource.service)
            && match (&rule.product, &self.logsource.product) {
                (Some(r), Some(m)) => r == m,
                _ => true,
            }
    }

    /// A route for a whole product (no category, no service).
    pub fn is_product_wide(&self) -> bool {
        self.logsource.category.is_none() && self.logsource.service.is_none()
    }
}

/// A set of routes.
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    pub routes: Vec<Route>,
}

/// A mapping file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct MappingError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Mapping {
    /// The mappings built into Vigie: Windows, Linux and ECS JSON.
    pub fn builtin() -> Mapping {
        let mut m = Mapping::default();
        for (name, text) in BUILTIN {
            match Mapping::from_yaml(name, text) {
                Ok(part) => m.routes.extend(part.routes),
                Err(e) => unreachable!("built-in mapping {name} is invalid: {e}"),
            }
        }
        m
    }

    /// Reads a mapping file: `fields` (applied to every route) and `routes`.
    pub fn from_yaml(file: &str, text: &str) -> Result<Mapping, MappingError> {
        let err = |line: usize, message: String| MappingError {
            file: file.to_owned(),
            line,
            message,
        };
        let docs = parse_documents(text).map_err(|e| err(e.line, e.message))?;
        let mut out = Mapping::default();
        for doc in &docs {
            let common = field_map(doc.get("fields"));
            let Some(routes) = doc.get("routes") else {
                return Err(err(doc.line, "a mapping needs `routes`".into()));
            };
            let vigie_sigma::yaml::NodeKind::Seq(items) = &routes.kind else {
                return Err(err(routes.line, "`routes` must be a list".into()));
            };
            for item in items {
                let ls = item
                    .get("logsource")
                    .ok_or_else(|| err(item.line, "a route needs a `logsource`".into()))?;
                let text = |k: &str| {
                    ls.get(k)
                        .and_then(Node::scalar_text)
                        .map(|s| s.to_lowercase())
                };
                let logsource = LogSource {
                    category: text("category"),
                    product: text("product"),
                    service: text("service"),
                };
                let when_node = item
                    .get("when")
                    .ok_or_else(|| err(item.line, "a route needs `when`".into()))?;
                let items = search_map(when_node).map_err(|d| {
                    let first = d.into_iter().next();
                    err(
                        first
                            .as_ref()
                            .and_then(|d| d.line)
                            .unwrap_or(when_node.line),
                        first.map(|d| d.message).unwrap_or_default(),
                    )
                })?;
                let mut issues = Issues::default();
                let when = items
                    .iter()
                    .map(|i| compile_item(i, &FieldMap::new(), &Placeholders::new(), &mut issues))
                    .collect();
                if let Some((line, msg)) = issues.errors.into_iter().next() {
                    return Err(err(line, msg));
                }
                let mut fields = common.clone();
                fields.extend(field_map(item.get("fields")));
                out.routes.push(Route {
                    logsource,
                    when,
                    fields,
                    origin: format!("{file}:{}", item.line),
                });
            }
        }
        Ok(out)
    }
}

fn field_map(node: Option<&Node>) -> FieldMap {
    let mut out = HashMap::new();
    for (k, v) in node.and_then(Node::as_map).unwrap_or_default() {
        let Some(key) = k.scalar_text() else { continue };
        let values = match &v.kind {
            vigie_sigma::yaml::NodeKind::Seq(items) => {
                items.iter().filter_map(Node::scalar_text).collect()
            }
            _ => v.scalar_text().into_iter().collect(),
        };
        out.insert(key, values);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_event::Value;

    #[test]
    fn builtin_loads_and_routes() {
        let m = Mapping::builtin();
        assert!(m.routes.len() > 50);
        let mut e = Event::default();
        e.push("Channel", Value::str("Security"));
        e.push("EventID", Value::Int(4688));
        let pc = LogSource {
            product: Some("windows".into()),
            category: Some("process_creation".into()),
            service: None,
        };
        let hits: Vec<&Route> = m
            .routes
            .iter()
            .filter(|r| r.covers(&pc) && r.holds(&e))
            .collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].fields.get("Image"),
            Some(&vec!["NewProcessName".to_owned()])
        );
    }
}
