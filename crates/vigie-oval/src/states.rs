//! States ready to compare items with: entities with their variables resolved once per
//! evaluation, the comparison of one item with a state (entity_check per entity, the state's
//! operator over entities), and object filters built from them.

use std::sync::Arc;

use crate::eval::Evaluator;
use crate::item::{Flag, Item, Spec};
use crate::model::{Check, Entity, Filter, Operator};
use crate::result::{Counts, OvalResult};

impl Evaluator<'_> {
    /// A state with its variables resolved (cached).
    pub(crate) fn state(&mut self, state_id: &str) -> Arc<ResolvedState> {
        if let Some(s) = self.states.get(state_id) {
            return s.clone();
        }
        let doc = self.doc;
        let resolved = match doc.states.get(state_id) {
            None => {
                self.problem(
                    state_id,
                    "state referenced but not defined (or malformed, see above)",
                );
                ResolvedState {
                    operator: Operator::And,
                    entities: None,
                }
            }
            Some(state) => ResolvedState {
                operator: state.operator,
                entities: Some(
                    state
                        .entities
                        .iter()
                        .map(|e| ResolvedEntity {
                            name: item_name(&state.kind, &e.name).to_owned(),
                            spec: self.spec(e, false).ok(),
                            entity_check: e.entity_check,
                        })
                        .collect(),
                ),
            },
        };
        let r = Arc::new(resolved);
        self.states.insert(state_id.to_owned(), r.clone());
        r
    }

    /// The filters of an object or set, their states resolved.
    pub(crate) fn filters(&mut self, filters: &[Filter]) -> Filters {
        Filters(
            filters
                .iter()
                .map(|f| (f.exclude, self.state(&f.state_ref)))
                .collect(),
        )
    }

    /// An entity with its variable (if any) resolved. `Err` when the variable has no usable
    /// values (error, or none). Object entities take every value (`at least one`).
    pub(crate) fn spec(&mut self, e: &Entity, object: bool) -> Result<Spec, Flag> {
        let values = match &e.var_ref {
            Some(v) => {
                let vals = self.variable(v);
                if vals.error.is_some() {
                    return Err(Flag::Error);
                }
                if vals.values.is_empty() {
                    return Err(Flag::DoesNotExist);
                }
                vals.values.clone()
            }
            None => e.value.iter().cloned().collect(),
        };
        Ok(Spec {
            operation: e.operation,
            datatype: e.datatype,
            var_check: if object && e.var_ref.is_some() {
                Check::AtLeastOne
            } else {
                e.var_check
            },
            nil: e.value.is_none() && e.var_ref.is_none(),
            values,
        })
    }
}

/// A state entity with its value(s) resolved; `spec` is `None` when its variable has no
/// usable value (each comparison is then an error).
pub(crate) struct ResolvedEntity {
    name: String,
    spec: Option<Spec>,
    entity_check: Check,
}

/// A state ready to compare items with; `entities` is `None` for a state that is not defined.
pub(crate) struct ResolvedState {
    operator: Operator,
    entities: Option<Vec<ResolvedEntity>>,
}

impl ResolvedState {
    /// Compares one item with the state: per entity, every item value of that name compared
    /// (combined by entity_check; none is "unknown"), then the entities by the operator.
    pub(crate) fn result(&self, item: &Item) -> OvalResult {
        let Some(entities) = &self.entities else {
            return OvalResult::Error;
        };
        let mut counts = Counts::default();
        for e in entities {
            let Some(spec) = &e.spec else {
                counts.add(OvalResult::Error);
                continue;
            };
            let mut per_value = Counts::default();
            for v in item.values(&e.name) {
                per_value.add(if spec.nil {
                    OvalResult::from_bool(v.is_empty())
                } else {
                    spec.result(v)
                });
            }
            counts.add(per_value.by_check(e.entity_check));
        }
        counts.by_operator(self.operator)
    }
}

/// An object's filters: (exclude, state) in order.
pub(crate) struct Filters(Vec<(bool, Arc<ResolvedState>)>);

impl Filters {
    /// Whether an item survives every filter (an exclude filter drops the items its state
    /// holds for, an include filter keeps only those).
    pub(crate) fn keep(&self, item: &Item) -> bool {
        self.0
            .iter()
            .all(|(exclude, s)| (s.result(item) == OvalResult::True) != *exclude)
    }
}

/// The item entity a state entity is compared with (textfilecontent's `line` is the item's
/// `text`, as OpenSCAP does).
fn item_name<'a>(state_kind: &str, name: &'a str) -> &'a str {
    if state_kind == "textfilecontent" && name == "line" {
        "text"
    } else {
        name
    }
}
