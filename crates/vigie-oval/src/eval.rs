//! Evaluation with OVAL semantics, as OpenSCAP applies them: definitions through their
//! criteria trees, tests by check_existence then check / state_operator over collected items,
//! objects collected once (cached) through the probes, filters and sets, states compared entity
//! by entity. Unsupported test kinds give "not evaluated", never a pass.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::error::OvalError;
use crate::item::{Collected, Flag, Item, Spec};
use crate::model::*;
use crate::probes;
use crate::result::{Counts, OvalResult};
use crate::variables::Values;

/// One definition's verdict.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DefinitionResult {
    pub definition_id: String,
    pub result: String,
    pub title: String,
    pub class: String,
}

/// Evaluates every definition of `doc` against the system installed under `root`
/// (`/` for this host). Returns the results in document order and the problems met (missing
/// references, failed collections), each naming the file and the id.
pub fn evaluate(doc: &Document, root: &Path) -> (Vec<DefinitionResult>, Vec<OvalError>) {
    let mut ev = Evaluator::new(doc, root);
    let results = doc
        .definitions
        .iter()
        .map(|d| DefinitionResult {
            definition_id: d.id.clone(),
            result: ev.definition(&d.id).as_str().to_owned(),
            title: d.title.clone(),
            class: d.class.clone(),
        })
        .collect();
    (results, ev.problems)
}

/// The evaluation state: caches of collected objects, variable values and results.
pub struct Evaluator<'d> {
    pub(crate) doc: &'d Document,
    pub(crate) root: PathBuf,
    objects: HashMap<String, Collected>,
    pub(crate) variables: HashMap<String, Rc<Values>>,
    tests: HashMap<String, OvalResult>,
    states: HashMap<String, Arc<ResolvedState>>,
    definitions: HashMap<String, OvalResult>,
    /// Ids being evaluated, to stop reference cycles.
    pub(crate) busy: HashSet<String>,
    pub problems: Vec<OvalError>,
    pub(crate) host: probes::HostData,
}

impl<'d> Evaluator<'d> {
    pub fn new(doc: &'d Document, root: &Path) -> Evaluator<'d> {
        Evaluator {
            doc,
            // `/.`, `/tmp/..` are the live root too.
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            objects: HashMap::new(),
            variables: HashMap::new(),
            tests: HashMap::new(),
            states: HashMap::new(),
            definitions: HashMap::new(),
            busy: HashSet::new(),
            problems: Vec::new(),
            host: probes::HostData::default(),
        }
    }

    pub(crate) fn problem(&mut self, id: &str, reason: impl Into<String>) {
        let (file, id, reason) = (self.doc.file.clone(), id.to_owned(), reason.into());
        self.problems.push(match self.doc.lines.get(&id) {
            Some(&line) => OvalError::Element {
                file,
                line,
                id,
                reason,
            },
            None => OvalError::Reference { file, id, reason },
        });
    }

    /// A definition's result (cached).
    pub fn definition(&mut self, id: &str) -> OvalResult {
        if let Some(r) = self.definitions.get(id) {
            return *r;
        }
        let doc = self.doc;
        let Some(def) = doc.definitions.iter().find(|d| d.id == id) else {
            self.problem(id, "definition referenced but not defined");
            return OvalResult::Error;
        };
        if !self.busy.insert(id.to_owned()) {
            self.problem(id, "definition extends itself (reference cycle)");
            return OvalResult::Error;
        }
        let r = match &def.criteria {
            Some(c) => self.criteria(c),
            None => OvalResult::Unknown,
        };
        self.busy.remove(id);
        self.definitions.insert(id.to_owned(), r);
        r
    }

    fn criteria(&mut self, c: &Criteria) -> OvalResult {
        match c {
            Criteria::Group {
                operator,
                negate,
                children,
            } => {
                let mut counts = Counts::default();
                for ch in children {
                    counts.add(self.criteria(ch));
                }
                counts.by_operator(*operator).negate(*negate)
            }
            Criteria::Test { test_ref, negate } => self.test(test_ref).negate(*negate),
            Criteria::Extend {
                definition_ref,
                negate,
            } => self.definition(definition_ref).negate(*negate),
            Criteria::Malformed => OvalResult::Error,
        }
    }

    /// A test's result (cached).
    pub fn test(&mut self, id: &str) -> OvalResult {
        if let Some(r) = self.tests.get(id) {
            return *r;
        }
        let r = self.test_uncached(id);
        self.tests.insert(id.to_owned(), r);
        r
    }

    fn test_uncached(&mut self, id: &str) -> OvalResult {
        let doc = self.doc;
        let Some(test) = doc.tests.get(id) else {
            self.problem(
                id,
                "test referenced but not defined (or malformed, see above)",
            );
            return OvalResult::Error;
        };
        if !probes::supported(&test.kind) {
            self.problem(
                id,
                format!("{}_test is not supported: not evaluated", test.kind),
            );
            return OvalResult::NotEvaluated;
        }
        let Some(object_ref) = &test.object_ref else {
            self.problem(id, "test without an object");
            return OvalResult::Error;
        };
        let collected = self.object(object_ref);
        let has_state = !test.state_refs.is_empty();
        let exists = collected.items.len();
        let any_no_state = test.check_existence == Existence::AnyExist && !has_state;
        match collected.flag {
            Flag::Error if any_no_state => OvalResult::True,
            Flag::Error => OvalResult::Error,
            Flag::NotCollected if any_no_state => OvalResult::True,
            Flag::NotCollected => OvalResult::Unknown,
            Flag::NotApplicable if any_no_state => OvalResult::True,
            Flag::NotApplicable => OvalResult::NotApplicable,
            Flag::DoesNotExist => OvalResult::from_bool(matches!(
                test.check_existence,
                Existence::NoneExist | Existence::AnyExist
            )),
            Flag::Complete => {
                let r = existence(test.check_existence, exists);
                if r == OvalResult::True && has_state {
                    self.check_states(test, &collected.items)
                } else {
                    r
                }
            }
            Flag::Incomplete => {
                let r = match test.check_existence {
                    Existence::AnyExist => OvalResult::True,
                    Existence::AtLeastOneExists if exists > 0 => OvalResult::True,
                    Existence::NoneExist if exists > 0 => OvalResult::False,
                    Existence::OnlyOneExists if exists > 1 => OvalResult::False,
                    _ => OvalResult::Unknown,
                };
                if r == OvalResult::True && has_state {
                    match self.check_states(test, &collected.items) {
                        OvalResult::True if test.check == Check::AtLeastOne => OvalResult::True,
                        OvalResult::False => OvalResult::False,
                        _ => OvalResult::Unknown,
                    }
                } else {
                    r
                }
            }
        }
    }

    fn check_states(&mut self, test: &Test, items: &[Item]) -> OvalResult {
        let states: Vec<Arc<ResolvedState>> =
            test.state_refs.iter().map(|s| self.state(s)).collect();
        let mut per_item = Counts::default();
        for item in items {
            let mut per_state = Counts::default();
            for s in &states {
                per_state.add(s.result(item));
            }
            per_item.add(per_state.by_operator(test.state_operator));
        }
        per_item.by_check(test.check)
    }

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

    /// The items of an object (cached).
    pub fn object(&mut self, id: &str) -> Collected {
        if let Some(c) = self.objects.get(id) {
            return c.clone();
        }
        if !self.busy.insert(id.to_owned()) {
            self.problem(id, "object refers to itself (reference cycle)");
            return Collected::failed(Flag::Error, "reference cycle");
        }
        let c = self.object_uncached(id);
        self.busy.remove(id);
        if let Some(m) = &c.message {
            if c.flag == Flag::Error {
                self.problem(id, m.clone());
            }
        }
        self.objects.insert(id.to_owned(), c.clone());
        c
    }

    fn object_uncached(&mut self, id: &str) -> Collected {
        let doc = self.doc;
        let Some(obj) = doc.objects.get(id) else {
            return Collected::failed(
                Flag::Error,
                "object referenced but not defined (or malformed, see above)",
            );
        };
        let c = match &obj.set {
            Some(set) => self.set(set),
            None => {
                let mut specs = HashMap::new();
                for e in &obj.entities {
                    match self.spec(e, true) {
                        Ok(s) => {
                            specs.insert(e.name.as_str(), s);
                        }
                        // As OpenSCAP: an entity whose variable has no usable value names
                        // nothing, so nothing exists.
                        Err(_) => {
                            return Collected::failed(
                                Flag::DoesNotExist,
                                format!("the variable of entity {} has no value", e.name),
                            )
                        }
                    }
                }
                // Filters are applied while collecting, so that what they drop is never
                // held (whole file-system walks).
                let filters = self.filters(&obj.filters);
                return probes::collect(self, obj, &specs, &filters);
            }
        };
        self.filter(c, &obj.filters)
    }

    fn filter(&mut self, c: Collected, filters: &[Filter]) -> Collected {
        if filters.is_empty() || c.items.is_empty() {
            return c;
        }
        let f = self.filters(filters);
        let kept: Vec<Item> = c.items.iter().filter(|i| f.keep(i)).cloned().collect();
        Collected {
            flag: c.flag,
            items: Rc::new(kept),
            message: c.message,
        }
    }

    fn set(&mut self, set: &ObjectSet) -> Collected {
        let mut parts = Vec::new();
        for o in &set.object_refs {
            parts.push(self.object(o));
        }
        for s in &set.sets {
            parts.push(self.set(s));
        }
        if let Some(bad) = parts.iter().find(|p| p.flag == Flag::Error) {
            return bad.clone();
        }
        let mut items: Vec<Item> = Vec::new();
        match set.operation {
            SetOperation::Union => {
                for p in &parts {
                    for i in p.items.iter() {
                        if !items.contains(i) {
                            items.push(i.clone());
                        }
                    }
                }
            }
            SetOperation::Intersection => {
                if let Some((first, rest)) = parts.split_first() {
                    items = first
                        .items
                        .iter()
                        .filter(|i| rest.iter().all(|p| p.items.contains(i)))
                        .cloned()
                        .collect();
                }
            }
            SetOperation::Complement => {
                if let Some((first, rest)) = parts.split_first() {
                    items = first
                        .items
                        .iter()
                        .filter(|i| !rest.iter().any(|p| p.items.contains(i)))
                        .cloned()
                        .collect();
                }
            }
        }
        let c = Collected::items(items);
        self.filter(c, &set.filters)
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

/// check_existence over a complete collection of `n` items.
fn existence(e: Existence, n: usize) -> OvalResult {
    OvalResult::from_bool(match e {
        Existence::AllExist | Existence::AtLeastOneExists => n >= 1,
        Existence::AnyExist => true,
        Existence::NoneExist => n == 0,
        Existence::OnlyOneExists => n == 1,
    })
}
