//! Evaluating a profile: every selected rule's platforms (CPE names through the dictionary's
//! OVAL checks, `#platform` CPE applicability expressions), then its OVAL check with the
//! profile's values exported to external variables; results spelled as XCCDF spells them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use vigie_oval::{Document, Evaluator, OvalResult};

use crate::error::XccdfError;
use crate::model::{Benchmark, LogicalTest, Rule, OVAL_SYSTEM};
use crate::parse::{Content, OvalSource};
use crate::profile::{resolve, Resolved};
use crate::score::{default_score, Score};

/// How to evaluate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Profile id; `None` takes the benchmark's default selection.
    pub profile: Option<String>,
    /// The folder the audited system is installed in.
    pub root: PathBuf,
    /// Evaluate rules whatever their platforms.
    pub ignore_platform: bool,
}

/// One rule's verdict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleResult {
    pub rule_id: String,
    pub title: String,
    pub severity: String,
    /// pass, fail, error, unknown, notapplicable, notchecked, informational (a rule whose role
    /// is unscored and whose check ran, as OpenSCAP reports it); never fixed (Vigie does not
    /// remediate).
    pub result: String,
    /// The content's fix text, for failures only (shown, never run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// Results of the selected rules in document order, their score (the default model), and
/// notes on what could not be evaluated (OVAL problems, unsupported checks), each naming file
/// and id.
#[derive(Debug, Default)]
pub struct Report {
    pub results: Vec<RuleResult>,
    pub score: Score,
    pub notes: Vec<String>,
}

/// Evaluates `content` (read from `text`, the file `file`; plain XCCDF finds its OVAL files
/// in `dir`).
pub fn evaluate(
    content: &Content,
    text: &str,
    file: &str,
    dir: &Path,
    opts: &Options,
) -> Result<Report, XccdfError> {
    let res = resolve(&content.benchmark, opts.profile.as_deref(), file)?;
    // The profile's refine-rules (roles, severities) applied; a copy only when there are some.
    let refined;
    let b = if res.roles.is_empty() && res.severities.is_empty() {
        &content.benchmark
    } else {
        refined = res.refined(&content.benchmark);
        &refined
    };
    let chosen: Vec<usize> = (0..b.rules.len())
        .filter(|&i| res.rule_selected(b, i))
        .collect();
    let mut notes = Vec::new();
    // Load each OVAL source needed once.
    let needed: BTreeSet<&OvalSource> = content.sources.values().collect();
    let mut docs: HashMap<&OvalSource, Document> = HashMap::new();
    let mut failed: HashMap<&OvalSource, String> = HashMap::new();
    for src in needed {
        match load(src, text, file, dir) {
            Ok(loaded) => {
                for p in &loaded.problems {
                    notes.push(p.to_string());
                }
                docs.insert(src, loaded.document);
            }
            Err(e) => {
                notes.push(e.to_string());
                failed.insert(src, e.to_string());
            }
        }
    }
    let externals = exports(b, &chosen, &res);
    let mut evals: HashMap<&OvalSource, Evaluator> = HashMap::new();
    for (src, doc) in &docs {
        let mut ev = Evaluator::new(doc, &opts.root);
        ev.set_externals(externals.clone());
        evals.insert(*src, ev);
    }
    let defined = docs
        .iter()
        .map(|(src, doc)| {
            let ids = doc.definitions.iter().map(|d| d.id.as_str()).collect();
            (*src, ids)
        })
        .collect();
    let mut ctx = Ctx {
        content,
        evals,
        defined,
        platform_cache: HashMap::new(),
    };
    let mut results = Vec::new();
    for &i in &chosen {
        let rule = &b.rules[i];
        let result = if !opts.ignore_platform && !ctx.applicable(rule) {
            "notapplicable"
        } else {
            match ctx.check(rule, &mut notes) {
                // OpenSCAP: an unscored rule whose OVAL check was run is informational,
                // whatever the check said.
                (_, true) if rule.unscored => "informational",
                (r, _) => r,
            }
        }
        .to_owned();
        let fix = (result == "fail").then(|| rule.fix.clone()).flatten();
        results.push(RuleResult {
            rule_id: rule.id.clone(),
            title: rule.title.clone(),
            severity: rule.severity.clone(),
            result,
            fix,
        });
    }
    for ev in ctx.evals.values_mut() {
        notes.extend(ev.problems.drain(..).map(|p| p.to_string()));
    }
    let score = default_score(b, &results);
    Ok(Report {
        results,
        score,
        notes,
    })
}

fn load(
    src: &OvalSource,
    text: &str,
    file: &str,
    dir: &Path,
) -> Result<vigie_oval::Loaded, XccdfError> {
    let oval = |href: &str, reason: String| XccdfError::Oval {
        file: file.to_owned(),
        href: href.to_owned(),
        reason,
    };
    match src {
        OvalSource::Component(id) => vigie_oval::parse_in_component(text, file, Some(id))
            .map_err(|e| oval(id, e.to_string())),
        OvalSource::File(href) => {
            let path = dir.join(href);
            let t = std::fs::read_to_string(&path)
                .map_err(|e| oval(href, format!("cannot read {}: {e}", path.display())))?;
            vigie_oval::parse(&t, &path.display().to_string())
                .map_err(|e| oval(href, e.to_string()))
        }
    }
}

/// External variable values: each `check-export` of a chosen rule, the profile's value.
fn exports(b: &Benchmark, chosen: &[usize], res: &Resolved) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for &i in chosen {
        for c in &b.rules[i].checks {
            for (value_id, name) in &c.exports {
                if let Some(v) = res.values.get(value_id) {
                    out.insert(name.clone(), vec![v.clone()]);
                }
            }
        }
    }
    out
}

struct Ctx<'c, 'd> {
    content: &'c Content,
    evals: HashMap<&'c OvalSource, Evaluator<'d>>,
    /// The definition ids of each loaded OVAL document.
    defined: HashMap<&'c OvalSource, HashSet<&'d str>>,
    platform_cache: HashMap<String, bool>,
}

impl Ctx<'_, '_> {
    /// The OVAL result of definition `id` in the file `href`; `None` when the file is missing.
    fn oval(&mut self, href: &str, id: &str) -> Option<OvalResult> {
        let src = self.content.sources.get(href)?;
        self.evals.get_mut(src).map(|ev| ev.definition(id))
    }

    /// The benchmark, every enclosing group and the rule each have a matching platform (or
    /// none listed).
    fn applicable(&mut self, rule: &Rule) -> bool {
        let b = &self.content.benchmark;
        let mut lists = vec![b.platforms.clone()];
        lists.extend(
            rule.groups
                .iter()
                .filter_map(|g| b.groups.get(g).map(|g| g.platforms.clone())),
        );
        lists.push(rule.platforms.clone());
        lists
            .iter()
            .all(|l| l.is_empty() || l.iter().any(|p| self.platform(p)))
    }

    fn platform(&mut self, idref: &str) -> bool {
        if let Some(&m) = self.platform_cache.get(idref) {
            return m;
        }
        let m = match idref.strip_prefix('#') {
            Some(id) => match self.content.benchmark.cpe_platforms.get(id) {
                Some(t) => self.logical(&t.clone()),
                None => false,
            },
            None => self.cpe_name(idref),
        };
        self.platform_cache.insert(idref.to_owned(), m);
        m
    }

    fn cpe_name(&mut self, name: &str) -> bool {
        match self.content.dictionary.get(name) {
            Some((href, id)) => self.oval(href, id) == Some(OvalResult::True),
            None => false,
        }
    }

    fn logical(&mut self, t: &LogicalTest) -> bool {
        match t {
            LogicalTest::FactRef(name) => self.cpe_name(name),
            LogicalTest::CheckFactRef { href, id } => self.oval(href, id) == Some(OvalResult::True),
            LogicalTest::Test { and, negate, parts } => {
                let v = if *and {
                    parts.iter().all(|p| self.logical(p))
                } else {
                    parts.iter().any(|p| self.logical(p))
                };
                v != *negate
            }
        }
    }

    /// The rule's first OVAL check, as XCCDF spells its result, and whether the OVAL engine
    /// was asked (a definition of a loaded document named).
    fn check(&mut self, rule: &Rule, notes: &mut Vec<String>) -> (&'static str, bool) {
        if rule.unchecked {
            return ("notchecked", false);
        }
        let Some(check) = rule.checks.iter().find(|c| c.system == OVAL_SYSTEM) else {
            if rule.complex_check || !rule.checks.is_empty() {
                notes.push(format!(
                    "{}: {}: no supported check (OVAL only), notchecked",
                    self.content.benchmark.id, rule.id
                ));
            }
            return ("notchecked", false);
        };
        // The first reference whose OVAL content is at hand (XCCDF: alternatives in order).
        let refs = &check.refs;
        let at_hand = refs
            .iter()
            .find(|(h, _)| {
                self.content
                    .sources
                    .get(h)
                    .is_some_and(|s| self.evals.contains_key(s))
            })
            .or(refs.first());
        let Some((href, Some(name))) = at_hand else {
            notes.push(format!(
                "{}: {}: check-content-ref without a definition name (all definitions of a file) is not supported, notchecked",
                self.content.benchmark.id, rule.id
            ));
            return ("notchecked", false);
        };
        let defined = self
            .content
            .sources
            .get(href)
            .and_then(|s| self.defined.get(s))
            .map(|ids| ids.contains(name.as_str()));
        if defined == Some(false) {
            // OpenSCAP: a definition the OVAL content does not hold leaves the rule notchecked.
            notes.push(format!(
                "{}: {}: OVAL content {href} has no definition {name}, notchecked",
                self.content.benchmark.id, rule.id
            ));
            return ("notchecked", true);
        }
        let Some(r) = self.oval(href, name) else {
            notes.push(format!(
                "{}: {}: OVAL content {href} could not be loaded",
                self.content.benchmark.id, rule.id
            ));
            return ("error", false);
        };
        let res = match r {
            OvalResult::True => "pass",
            OvalResult::False => "fail",
            OvalResult::Error => "error",
            OvalResult::Unknown => "unknown",
            OvalResult::NotEvaluated => "notchecked",
            OvalResult::NotApplicable => "notapplicable",
        };
        let res = match (check.negate, res) {
            (true, "pass") => "fail",
            (true, "fail") => "pass",
            _ => res,
        };
        (res, true)
    }
}
