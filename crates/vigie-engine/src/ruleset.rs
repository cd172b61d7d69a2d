//! A rule set: every rule compiled once, routed by logsource, evaluated event by event.

use std::collections::HashMap;

use vigie_event::{Event, Value};
use vigie_sigma::{
    parse_str, Correlation, Diagnostic, Document, Filter, FilterTarget, LogSource, Meta, Parsed,
    Rule, Severity,
};

use crate::compile::{compile_detection, Compiled, FieldMap, Issues};
use crate::field_index::{extra_clauses, required, FieldIndex, IndexBuilder, IndexScratch, Known};
use crate::mapping::Mapping;
use crate::route_table::{Remembered, RouteScratch, RouteTable};
use crate::slot_routes::{Routes, UNCLAIMED};
use crate::slot_table::{SlotSpec, SlotTable};
use crate::transform::Placeholders;
use rayon::prelude::*;

/// A problem found while loading rules, with where it was found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LoadIssue {
    /// The rule file (or other source name) it comes from.
    pub source: String,
    pub line: Option<usize>,
    pub severity: Severity,
    pub message: String,
    /// The rule's id (or title), when known.
    pub rule: Option<String>,
}

impl LoadIssue {
    fn from_diag(source: &str, d: Diagnostic) -> Self {
        LoadIssue {
            source: source.to_owned(),
            line: d.line,
            severity: d.severity,
            message: d.message,
            rule: d.rule,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for LoadIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(r) = &self.rule {
            write!(f, ": rule {r}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What kind of rule a [`RuleInfo`] describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Detection,
    Correlation,
}

/// Descriptive data of a loaded rule, for reports.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub meta: Meta,
    pub logsource: LogSource,
    pub kind: RuleKind,
    /// The file the rule came from.
    pub source: String,
}

impl RuleInfo {
    /// The rule's id, or its title when it has none.
    pub fn id(&self) -> &str {
        self.meta.id.as_deref().unwrap_or(&self.meta.title)
    }
}

/// A rule that fired on an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    /// The fields that made it fire, with their values.
    pub matched: Vec<(Box<str>, Value)>,
}

struct DetectionRule {
    info: usize,
    /// One compiled form per distinct field mapping of the routes it goes through.
    variants: Vec<Compiled>,
    /// The field map of each variant (an index into the distinct maps; `usize::MAX`: none).
    maps: Vec<usize>,
}

/// Reusable per-thread state for [`RuleSet::evaluate`], for one rule set: it remembers what
/// that set's index found (values met, event shapes, routes), so it is not to be shared with
/// another set.
#[derive(Default)]
pub struct Scratch {
    stamp: u32,
    variant_seen: Vec<u32>,
    rule_hit: Vec<u32>,
    routes: Vec<usize>,
    /// The routes that hold for the current event, as bits (see `slot_routes::Routes`).
    route_bits: Vec<u64>,
    /// The per-field index's answers for the current event.
    index: IndexScratch,
    /// Variants to evaluate: (detection, first route that holds, variant).
    candidates: Vec<(usize, u32, usize)>,
    route_conds: RouteScratch,
    /// The routes tried on the current event.
    route_tried: Vec<u32>,
}

/// Builds a [`RuleSet`] from rule texts.
pub struct RuleSetBuilder {
    mapping: Mapping,
    placeholders: Placeholders,
    docs: Vec<(String, Document)>,
    issues: Vec<LoadIssue>,
}

impl RuleSetBuilder {
    pub fn new(mapping: Mapping, placeholders: Placeholders) -> Self {
        RuleSetBuilder {
            mapping,
            placeholders,
            docs: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// Parses one rule file's text; `source` names it in messages.
    pub fn add_text(&mut self, source: &str, text: &str) {
        self.add_parsed(source, parse_str(text));
    }

    /// Adds a rule file parsed beforehand (with [`vigie_sigma::parse_str`]).
    pub fn add_parsed(&mut self, source: &str, parsed: Parsed) {
        self.issues.extend(
            parsed
                .diagnostics
                .into_iter()
                .map(|d| LoadIssue::from_diag(source, d)),
        );
        self.docs
            .extend(parsed.documents.into_iter().map(|d| (source.to_owned(), d)));
    }

    /// Records a problem found outside the text (an unreadable file, say).
    pub fn add_issue(&mut self, issue: LoadIssue) {
        self.issues.push(issue);
    }

    /// Compiles everything added; returns the rule set and every problem found.
    pub fn build(self) -> (RuleSet, Vec<LoadIssue>) {
        let RuleSetBuilder {
            mapping,
            placeholders,
            docs,
            mut issues,
        } = self;
        let mut rules: Vec<(String, Rule)> = Vec::new();
        let mut filters: Vec<(String, Filter)> = Vec::new();
        let mut correlations: Vec<(String, Correlation)> = Vec::new();
        for (src, d) in docs {
            match d {
                Document::Rule(r) => rules.push((src, r)),
                Document::Filter(f) => filters.push((src, f)),
                Document::Correlation(c) => correlations.push((src, c)),
            }
        }

        // Distinct field maps, so that rules sharing one compile once per map.
        let mut maps: Vec<FieldMap> = Vec::new();
        let route_map: Vec<usize> = mapping
            .routes
            .iter()
            .map(|r| match maps.iter().position(|m| *m == r.fields) {
                Some(i) => i,
                None => {
                    maps.push(r.fields.clone());
                    maps.len() - 1
                }
            })
            .collect();

        let mut set = RuleSet {
            rules: Vec::new(),
            detections: Vec::new(),
            mapping,
            route_index: Vec::new(),
            everywhere: Vec::new(),
            variant_base: Vec::new(),
            variant_count: 0,
            product_routes: Vec::new(),
            route_table: RouteTable::default(),
            emit: Vec::new(),
            index: FieldIndex::default(),
            always_by_route: Vec::new(),
            always_unclaimed: Vec::new(),
            slots: SlotTable::default(),
            prefilter: true,
            correlations: Vec::new(),
        };
        // Rule ids and names → rule index, for correlations.
        let mut by_name: HashMap<String, usize> = HashMap::new();
        set.route_index = vec![Vec::new(); set.mapping.routes.len()];
        set.product_routes = set
            .mapping
            .routes
            .iter()
            .map(|r| r.is_product_wide() && r.logsource.product.is_some())
            .collect();

        // Compile every rule (in parallel: each is independent), then register them in order.
        let compiled: Vec<CompiledRule> = rules
            .par_iter()
            .map(|(src, rule)| {
                compile_rule(src, rule, &set.mapping, &route_map, &maps, &placeholders)
            })
            .collect();
        // What the rules' syntax trees leave once compiled, freed off this thread: this
        // stretch is the serial part of the rule load.
        let mut spent = Vec::with_capacity(rules.len());
        for ((src, rule), c) in rules.into_iter().zip(compiled) {
            issues.extend(c.issues);
            let CompiledRule {
                routes,
                everywhere,
                needed,
                variants,
                failed,
                ..
            } = c;
            let Rule {
                meta,
                logsource,
                detection,
            } = rule;
            spent.push(detection);
            if failed {
                continue;
            }
            let info = set.rules.len();
            for key in [meta.id.as_deref(), meta.name.as_deref()]
                .into_iter()
                .flatten()
            {
                by_name.insert(key.to_owned(), info);
            }
            set.rules.push(RuleInfo {
                meta,
                logsource,
                kind: RuleKind::Detection,
                source: src,
            });
            let det = set.detections.len();
            set.variant_base.push(set.variant_count);
            set.variant_count += variants.len();
            for &r in &routes {
                let v = needed
                    .iter()
                    .position(|&m| m == route_map[r])
                    .unwrap_or_default();
                set.route_index[r].push((det, v));
            }
            if everywhere {
                set.everywhere.push((det, variants.len() - 1));
            }
            set.detections.push(DetectionRule {
                info,
                variants,
                maps: needed,
            });
        }
        rayon::spawn(move || drop(spent));

        // Filters: each one's detection must also hold for the rules it names.
        for (src, filter) in &filters {
            let label = filter
                .meta
                .id
                .clone()
                .unwrap_or_else(|| filter.meta.title.clone());
            let mut applied = 0;
            for det in &mut set.detections {
                let info = &set.rules[det.info];
                let targeted = match &filter.target {
                    FilterTarget::Any => covers(&filter.logsource, &info.logsource),
                    FilterTarget::Rules(names) => names.iter().any(|n| {
                        info.meta.id.as_deref() == Some(n.as_str())
                            || info.meta.name.as_deref() == Some(n.as_str())
                    }),
                };
                if !targeted {
                    continue;
                }
                applied += 1;
                // The filter reads the same event fields as the variant it narrows.
                let empty = FieldMap::new();
                for (v, &m) in det.variants.iter_mut().zip(&det.maps) {
                    let fm = maps.get(m).unwrap_or(&empty);
                    let mut fi = Issues::default();
                    v.and_also(&compile_detection(
                        &filter.detection,
                        fm,
                        &placeholders,
                        &mut fi,
                    ));
                }
            }
            if applied == 0 {
                issues.push(LoadIssue {
                    source: src.clone(),
                    line: Some(filter.meta.line),
                    severity: Severity::Warning,
                    message: "this filter applies to no loaded rule".into(),
                    rule: Some(label),
                });
            }
        }

        // Correlations: resolved against rules by id or name.
        let mut corr_infos = Vec::with_capacity(correlations.len());
        for (src, corr) in &correlations {
            let info = set.rules.len();
            corr_infos.push(info);
            set.rules.push(RuleInfo {
                meta: corr.meta.clone(),
                logsource: LogSource::default(),
                kind: RuleKind::Correlation,
                source: src.clone(),
            });
            for key in [corr.meta.id.as_deref(), corr.meta.name.as_deref()]
                .into_iter()
                .flatten()
            {
                by_name.insert(key.to_owned(), info);
            }
        }
        set.emit = vec![true; set.rules.len()];
        for ((src, corr), info) in correlations.iter().zip(corr_infos) {
            let label = corr
                .meta
                .id
                .clone()
                .unwrap_or_else(|| corr.meta.title.clone());
            let mut refs = Vec::new();
            let mut ok = true;
            for r in &corr.rules {
                match by_name.get(r) {
                    Some(&i) => refs.push(i),
                    None => {
                        ok = false;
                        issues.push(LoadIssue {
                            source: src.clone(),
                            line: Some(corr.meta.line),
                            severity: Severity::Error,
                            message: format!(
                                "the correlation refers to rule `{r}`, which is not loaded"
                            ),
                            rule: Some(label.clone()),
                        });
                    }
                }
            }
            if !ok {
                continue;
            }
            if !corr.generate {
                for &r in &refs {
                    set.emit[r] = false;
                }
            }
            set.correlations.push(CorrelationDef {
                info,
                spec: (*corr).clone(),
                refs,
            });
        }
        // The owner and routes of each variant slot.
        let mut slot_owner = Vec::new();
        let mut slot_routes = Vec::new();
        for (d, det) in set.detections.iter().enumerate() {
            for v in 0..det.variants.len() {
                slot_owner.push((d, v));
                slot_routes.push(Vec::new());
            }
        }
        for (r, list) in set.route_index.iter().enumerate() {
            for &(det, v) in list {
                slot_routes[set.variant_base[det] + v].push(r as u32);
            }
        }
        for &(det, v) in &set.everywhere {
            slot_routes[set.variant_base[det] + v].push(UNCLAIMED);
        }
        // The per-field index: every literal string test gets an id; each variant is
        // evaluated only when one of the tests it requires holds (or when it requires none).
        let mut ib = IndexBuilder::with_capacity(slot_owner.len() * 8);
        for route in &mut set.mapping.routes {
            route.when.iter_mut().for_each(|c| ib.index_route_cond(c));
        }
        for (d, det) in set.detections.iter_mut().enumerate() {
            for (vi, v) in det.variants.iter_mut().enumerate() {
                ib.index(v, &slot_routes[set.variant_base[d] + vi]);
            }
        }
        let lens = ib.texts();
        set.route_table = RouteTable::new(&set.mapping.routes, &lens);
        let mut extra = vec![Vec::new(); slot_owner.len()];
        let mut required_by = Vec::new();
        set.always_by_route = vec![Vec::new(); set.mapping.routes.len()];
        // What each variant slot requires (in parallel), then listed in slot order.
        let needs: Vec<_> = slot_owner
            .par_iter()
            .map(|&(d, vi)| {
                let v = &set.detections[d].variants[vi];
                required(v, &lens).map(|ids| {
                    let extra = extra_clauses(v, &lens, &ids);
                    (ids, extra)
                })
            })
            .collect();
        for (slot, need) in needs.into_iter().enumerate() {
            match need {
                Some((ids, clauses)) => {
                    extra[slot] = clauses;
                    required_by.extend(ids.into_iter().map(|id| (id, slot as u32)));
                }
                // Listed by route: an event considers only those of the routes that hold
                // for it.
                None => {
                    for &r in &slot_routes[slot] {
                        match set.always_by_route.get_mut(r as usize) {
                            Some(list) => list.push(slot as u32),
                            None => set.always_unclaimed.push(slot as u32),
                        }
                    }
                }
            }
        }
        let specs = slot_owner.iter().zip(&slot_routes).zip(&extra).map(
            |((&(det, variant), routes), clauses)| SlotSpec {
                det,
                variant,
                routes,
                clauses,
            },
        );
        set.slots = SlotTable::new(specs, lens.len(), &required_by);
        set.index = ib.build(set.mapping.routes.len());
        (set, issues)
    }
}

/// One rule compiled for every field map its routes need, with its problems.
struct CompiledRule {
    routes: Vec<usize>,
    everywhere: bool,
    needed: Vec<usize>,
    variants: Vec<Compiled>,
    issues: Vec<LoadIssue>,
    failed: bool,
}

fn compile_rule(
    src: &str,
    rule: &Rule,
    mapping: &Mapping,
    route_map: &[usize],
    maps: &[FieldMap],
    placeholders: &Placeholders,
) -> CompiledRule {
    let mut issues = Vec::new();
    let rule_label = rule
        .meta
        .id
        .clone()
        .unwrap_or_else(|| rule.meta.title.clone());
    let mut routes: Vec<usize> = mapping
        .routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.covers(&rule.logsource))
        .map(|(i, _)| i)
        .collect();
    let mut everywhere = false;
    if routes.is_empty() {
        let product_wide: Vec<usize> = mapping
            .routes
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.is_product_wide()
                    && r.logsource.product.is_some()
                    && r.logsource.product == rule.logsource.product
            })
            .map(|(i, _)| i)
            .collect();
        let (what, found) = if product_wide.is_empty() {
            everywhere = true;
            ("events that no known product claims", Vec::new())
        } else {
            ("every event of its product", product_wide)
        };
        routes = found;
        issues.push(LoadIssue {
            source: src.to_owned(),
            line: Some(rule.meta.line),
            severity: Severity::Warning,
            message: format!(
                "no route in the logsource mapping for ({}); the rule is evaluated on {what}",
                rule.logsource
            ),
            rule: Some(rule_label.clone()),
        });
    }
    // Field maps this rule needs, in route order.
    let mut needed: Vec<usize> = routes.iter().map(|&r| route_map[r]).collect();
    if everywhere {
        needed.push(usize::MAX);
    }
    needed.sort_unstable();
    needed.dedup();
    let empty = FieldMap::new();
    let mut compiled_issues = Issues::default();
    let variants: Vec<Compiled> = needed
        .iter()
        .map(|&m| {
            let fm = maps.get(m).unwrap_or(&empty);
            compile_detection(&rule.detection, fm, placeholders, &mut compiled_issues)
        })
        .collect();
    // Each variant reports the same problems: keep one of each.
    let failed = !compiled_issues.errors.is_empty();
    let mut seen = std::collections::HashSet::new();
    let found = compiled_issues
        .errors
        .into_iter()
        .map(|e| (Severity::Error, e))
        .chain(
            compiled_issues
                .warnings
                .into_iter()
                .map(|w| (Severity::Warning, w)),
        );
    for (severity, (line, message)) in found {
        if seen.insert((line, message.clone())) {
            issues.push(LoadIssue {
                source: src.to_owned(),
                line: Some(line),
                severity,
                message,
                rule: Some(rule_label.clone()),
            });
        }
    }
    CompiledRule {
        routes,
        everywhere,
        needed,
        variants,
        issues,
        failed,
    }
}

fn covers(filter: &LogSource, rule: &LogSource) -> bool {
    let ok = |f: &Option<String>, r: &Option<String>| f.is_none() || f == r;
    ok(&filter.product, &rule.product)
        && ok(&filter.category, &rule.category)
        && ok(&filter.service, &rule.service)
}

/// A correlation rule with its references resolved.
#[derive(Clone, Debug)]
pub struct CorrelationDef {
    /// Index into [`RuleSet::rules`].
    pub info: usize,
    pub spec: Correlation,
    /// Indexes into [`RuleSet::rules`] of the referenced rules, in the order written.
    pub refs: Vec<usize>,
}

/// Every rule, compiled and routed.
pub struct RuleSet {
    rules: Vec<RuleInfo>,
    detections: Vec<DetectionRule>,
    mapping: Mapping,
    route_index: Vec<Vec<(usize, usize)>>,
    everywhere: Vec<(usize, usize)>,
    variant_base: Vec<usize>,
    variant_count: usize,
    /// Per route: whether it stands for a whole product (an event it holds for is claimed).
    product_routes: Vec<bool>,
    /// The routes' conditions, each evaluated once an event.
    route_table: RouteTable,
    /// Per rule: whether its hits are reported on their own (not for correlation-only base rules).
    emit: Vec<bool>,
    /// Every literal string test of every rule, answered per field by automata.
    index: FieldIndex,
    /// Per route: the variant slots that require no test and run on it (evaluated whenever
    /// the route holds).
    always_by_route: Vec<Vec<u32>>,
    /// The variant slots that require no test and run on unclaimed events.
    always_unclaimed: Vec<u32>,
    /// Per variant slot: its owner, routes and further required clauses; per indexed test,
    /// the variant slots that require it (one of their required tests).
    slots: SlotTable,
    /// Whether the per-field index is used (off only to check it against plain evaluation).
    prefilter: bool,
    correlations: Vec<CorrelationDef>,
}

impl RuleSet {
    /// Every loaded rule (detections, then correlations).
    pub fn rules(&self) -> &[RuleInfo] {
        &self.rules
    }

    /// Number of detection rules that compiled.
    pub fn detection_count(&self) -> usize {
        self.detections.len()
    }

    pub fn correlations(&self) -> &[CorrelationDef] {
        &self.correlations
    }

    /// Whether a rule's hits are reported on their own (not only through a correlation).
    pub fn emits(&self, rule: usize) -> bool {
        self.emit.get(rule).copied().unwrap_or(true)
    }

    /// How many distinct literal string tests the per-field index answers.
    pub fn indexed_tests(&self) -> usize {
        self.index.test_count()
    }

    /// Turns the per-field index on or off (on by default; off evaluates every routed rule
    /// directly, test by test: the reference the index is tested against).
    pub fn set_prefilter(&mut self, on: bool) {
        self.prefilter = on;
    }

    /// Evaluates every rule whose logsource the event satisfies; appends hits in rule order.
    pub fn evaluate(&self, event: &Event, scratch: &mut Scratch, hits: &mut Vec<Hit>) {
        scratch.stamp = scratch.stamp.wrapping_add(1);
        if scratch.stamp == 0 {
            scratch.variant_seen.iter_mut().for_each(|s| *s = 0);
            scratch.rule_hit.iter_mut().for_each(|s| *s = 0);
            scratch.index = IndexScratch::default();
            scratch.route_conds = RouteScratch::default();
            scratch.stamp = 1;
        }
        scratch.variant_seen.resize(self.variant_count, 0);
        scratch.rule_hit.resize(self.detections.len(), 0);
        let stamp = scratch.stamp;
        scratch.routes.clear();
        if self.prefilter {
            self.index.resolve(event, stamp, &mut scratch.index);
            self.index.scan_routing(event, &mut scratch.index);
        }
        let claimed = self.route(event, scratch);
        let start = hits.len();
        if self.prefilter {
            self.evaluate_indexed(event, claimed, scratch, hits);
        } else {
            self.evaluate_plain(event, claimed, scratch, hits);
        }
        hits[start..].sort_by_key(|h| h.rule);
    }

    /// Lists the routes that hold for `event` in `scratch.routes`; true when one of them
    /// claims the event for its product. Through the index, the routes are those that held
    /// before for the same routing tests and the same fields present, when every route tried
    /// then was answered by those alone.
    fn route(&self, event: &Event, scratch: &mut Scratch) -> bool {
        let stamp = scratch.stamp;
        let known = scratch.index.known(stamp);
        let mut remember = false;
        let shape = self
            .prefilter
            .then(|| self.route_table.present(&known, event));
        if let Some(present) = shape {
            match scratch
                .route_conds
                .recall(&scratch.index.marks.found, present)
            {
                Remembered::Routes(routes, claimed) => {
                    scratch.routes.extend_from_slice(routes);
                    return claimed;
                }
                Remembered::Unknown(new) => remember = new,
            }
        }
        let mut tried = std::mem::take(&mut scratch.route_tried);
        if self.prefilter {
            self.route_table
                .candidates(&scratch.index.marks.found, &mut tried);
            remember &= self.route_table.all_pure(&tried);
        } else {
            tried.clear();
            tried.extend(0..self.mapping.routes.len() as u32);
        }
        let mut claimed = false;
        for &i in &tried {
            let i = i as usize;
            let (Some(r), Some(&product_wide)) =
                (self.mapping.routes.get(i), self.product_routes.get(i))
            else {
                continue;
            };
            let wanted = product_wide || self.route_index.get(i).is_some_and(|l| !l.is_empty());
            let holds = wanted
                && if self.prefilter {
                    self.route_table
                        .holds(i, event, &known, &mut scratch.route_conds)
                } else {
                    r.holds(event)
                };
            if holds {
                claimed |= product_wide;
                scratch.routes.push(i);
            }
        }
        scratch.route_tried = tried;
        if shape.is_some() {
            let held = remember.then_some((scratch.routes.as_slice(), claimed));
            scratch.route_conds.remember(held);
        }
        claimed
    }

    /// Through the per-field index: only variants one of whose required tests holds.
    fn evaluate_indexed(
        &self,
        event: &Event,
        claimed: bool,
        scratch: &mut Scratch,
        hits: &mut Vec<Hit>,
    ) {
        let stamp = scratch.stamp;
        let Scratch {
            variant_seen,
            rule_hit,
            route_bits,
            index,
            candidates,
            routes,
            ..
        } = scratch;
        let on = Routes::new(route_bits, routes, claimed, self.mapping.routes.len());
        self.index.scan(event, &on, index);
        candidates.clear();
        let known = index.known(stamp);
        let mut consider = |slot: u32| {
            match variant_seen.get_mut(slot as usize) {
                Some(seen) if *seen != stamp => *seen = stamp,
                _ => return,
            }
            let Some(info) = self.slots.get(slot) else {
                return;
            };
            if !self.slots.clauses_met(info, |id| known.holds(id)) {
                return;
            }
            let first = self
                .slots
                .routes(info)
                .iter()
                .copied()
                .filter(|&r| on.holds(r))
                .min();
            if let Some(r) = first {
                candidates.push((info.det as usize, r, info.variant as usize));
            }
        };
        for &id in &index.marks.found {
            for &slot in self.slots.requiring(id) {
                consider(slot);
            }
        }
        for &r in routes.iter() {
            for &slot in self.always_by_route.get(r).into_iter().flatten() {
                consider(slot);
            }
        }
        if !claimed {
            for &slot in &self.always_unclaimed {
                consider(slot);
            }
        }
        candidates.sort_unstable();
        for &(det, _, variant) in candidates.iter() {
            if rule_hit[det] == stamp {
                continue;
            }
            let compiled = &self.detections[det].variants[variant];
            if compiled.matches_known(event, &known) {
                rule_hit[det] = stamp;
                hits.push(self.hit(det, compiled, event, Some(&known)));
            }
        }
    }

    /// The hit of detection `det`, whose variant `compiled` matched `event` (with the index's
    /// findings `known`, when it was evaluated with them).
    fn hit(&self, det: usize, compiled: &Compiled, event: &Event, known: Option<&Known>) -> Hit {
        Hit {
            rule: self.detections[det].info,
            matched: compiled.matched_fields(event, known),
        }
    }

    /// Every routed variant, evaluated test by test.
    fn evaluate_plain(
        &self,
        event: &Event,
        claimed: bool,
        scratch: &mut Scratch,
        hits: &mut Vec<Hit>,
    ) {
        let stamp = scratch.stamp;
        // Rules of logsources the mapping does not know run on events that no product claims.
        let everywhere: &[(usize, usize)] = if claimed { &[] } else { &self.everywhere };
        let candidates = scratch
            .routes
            .iter()
            .flat_map(|&r| self.route_index[r].iter())
            .chain(everywhere.iter());
        for &(det, variant) in candidates {
            if scratch.rule_hit[det] == stamp {
                continue;
            }
            let slot = self.variant_base[det] + variant;
            if scratch.variant_seen[slot] == stamp {
                continue;
            }
            scratch.variant_seen[slot] = stamp;
            let compiled = &self.detections[det].variants[variant];
            if compiled.matches(event) {
                scratch.rule_hit[det] = stamp;
                hits.push(self.hit(det, compiled, event, None));
            }
        }
    }
}
