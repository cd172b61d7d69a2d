//! Evaluation with OVAL semantics, as OpenSCAP applies them: definitions through their
//! criteria trees, tests by check_existence then check / state_operator over the items of their
//! object (collected in `objects`, compared with states in `states`), every result cached.
//! Unsupported test kinds give "not evaluated", never a pass.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::error::OvalError;
use crate::item::{Collected, Flag, Item};
use crate::model::*;
use crate::probes;
use crate::result::{Counts, OvalResult};
use crate::states::ResolvedState;
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
    evaluate_with(doc, root, &HashMap::new())
}

/// `evaluate` with values for external variables (id -> values), as an OVAL variables
/// document gives them (`parse_variables`); an external variable without values is in error.
pub fn evaluate_with(
    doc: &Document,
    root: &Path,
    externals: &HashMap<String, Vec<String>>,
) -> (Vec<DefinitionResult>, Vec<OvalError>) {
    let mut ev = Evaluator::new(doc, root);
    ev.externals = externals.clone();
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
    pub(crate) objects: HashMap<String, Collected>,
    pub(crate) variables: HashMap<String, Rc<Values>>,
    pub(crate) tests: HashMap<String, OvalResult>,
    pub(crate) states: HashMap<String, Arc<ResolvedState>>,
    pub(crate) definitions: HashMap<String, OvalResult>,
    /// Ids being evaluated, to stop reference cycles.
    pub(crate) busy: HashSet<String>,
    pub problems: Vec<OvalError>,
    pub(crate) host: probes::HostData,
    /// Values given for external variables.
    pub(crate) externals: HashMap<String, Vec<String>>,
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
            externals: HashMap::new(),
        }
    }

    /// Gives values to external variables (id -> values), as an OVAL variables document or
    /// an XCCDF profile's exported values do; an external variable without values is in error.
    pub fn set_externals(&mut self, externals: HashMap<String, Vec<String>>) {
        self.externals = externals;
        // Results that depended on the former values are stale.
        self.variables.clear();
        self.tests.clear();
        self.states.clear();
        self.definitions.clear();
        self.objects.clear();
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
            // Vigie leaves an object "not collected" only when it cannot look (an RPM
            // database, systemd units over D-Bus, an object kind it does not know): the test is
            // not evaluated, never a pass.
            Flag::NotCollected => OvalResult::NotEvaluated,
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
