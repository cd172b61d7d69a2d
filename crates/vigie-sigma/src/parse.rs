//! YAML documents to typed Sigma documents, collecting diagnostics as it goes.

use crate::ast::*;
use crate::condition::{parse_condition, pattern_matches, Condition, Target};
use crate::diagnostic::Diagnostic;
use crate::modifier::Modifier;
use crate::yaml::{parse_documents, Node, NodeKind};

/// The result of reading one rule file.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a rule file's text. Each document is read on its own: a broken one is reported
/// and skipped, the others are kept. Legacy `action: global / reset / repeat` documents
/// are merged into the documents that follow them.
pub fn parse_str(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let nodes = match parse_documents(text) {
        Ok(n) => n,
        Err(e) => {
            out.diagnostics.push(Diagnostic::error(
                e.line,
                format!("YAML syntax error: {}", e.message),
            ));
            return out;
        }
    };
    let mut global: Option<Node> = None;
    let mut previous: Option<Node> = None;
    for node in nodes {
        if matches!(node.kind, NodeKind::Null) {
            continue;
        }
        if node.as_map().is_none() {
            out.diagnostics.push(Diagnostic::error(
                node.line,
                format!("a Sigma document must be a map, found {}", node.kind_name()),
            ));
            continue;
        }
        let doc = match node.get("action").and_then(Node::as_str) {
            Some("global") => {
                global = Some(without_key(&node, "action"));
                continue;
            }
            Some("reset") => {
                global = None;
                continue;
            }
            Some("repeat") => match &previous {
                Some(prev) => merge(prev, &without_key(&node, "action")),
                None => {
                    out.diagnostics.push(Diagnostic::error(
                        node.line,
                        "`action: repeat` without a previous document",
                    ));
                    continue;
                }
            },
            Some(other) => {
                out.diagnostics.push(Diagnostic::error(
                    node.line,
                    format!("unknown `action: {other}` (expected global, reset or repeat)"),
                ));
                continue;
            }
            None => node,
        };
        previous = Some(doc.clone());
        let doc = match &global {
            Some(g) => merge(g, &doc),
            None => doc,
        };
        let mut diags = Vec::new();
        let parsed = document(&doc, &mut diags);
        let rule = parsed
            .as_ref()
            .map(|d| {
                d.meta()
                    .id
                    .clone()
                    .unwrap_or_else(|| d.meta().title.clone())
            })
            .or_else(|| doc.get("id").and_then(Node::scalar_text))
            .or_else(|| doc.get("title").and_then(Node::scalar_text));
        let has_error = diags.iter().any(Diagnostic::is_error);
        out.diagnostics
            .extend(diags.into_iter().map(|d| d.with_rule(rule.as_deref())));
        if let (Some(d), false) = (parsed, has_error) {
            out.documents.push(d);
        }
    }
    out
}

fn without_key(node: &Node, key: &str) -> Node {
    match &node.kind {
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .filter(|(k, _)| k.as_str() != Some(key))
                    .cloned()
                    .collect(),
            ),
            line: node.line,
        },
        _ => node.clone(),
    }
}

/// Deep merge: maps merge key by key, anything else in `over` replaces `base`.
fn merge(base: &Node, over: &Node) -> Node {
    match (&base.kind, &over.kind) {
        (NodeKind::Map(b), NodeKind::Map(o)) => {
            let mut entries = b.clone();
            for (k, v) in o {
                match entries.iter_mut().find(|(bk, _)| bk.kind == k.kind) {
                    Some((_, bv)) => *bv = merge(bv, v),
                    None => entries.push((k.clone(), v.clone())),
                }
            }
            Node {
                kind: NodeKind::Map(entries),
                line: over.line,
            }
        }
        _ => over.clone(),
    }
}

fn document(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Document> {
    let meta = meta(node, diags)?;
    if let Some(c) = node.get("correlation") {
        return correlation(meta, c, node, diags).map(Document::Correlation);
    }
    if let Some(f) = node.get("filter") {
        let logsource = logsource(node, diags);
        return filter(meta, logsource, f, diags).map(Document::Filter);
    }
    let Some(det) = node.get("detection") else {
        diags.push(Diagnostic::error(
            node.line,
            "the document has no `detection`, `correlation` or `filter` section",
        ));
        return None;
    };
    let logsource = logsource(node, diags);
    if node.get("logsource").is_none() {
        diags.push(Diagnostic::error(node.line, "the rule has no `logsource`"));
    }
    let detection = detection(det, diags)?;
    Some(Document::Rule(Rule {
        meta,
        logsource,
        detection,
    }))
}

fn text_of(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text)
}

fn string_list(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items.iter().filter_map(Node::scalar_text).collect(),
        Some(_) => node.and_then(Node::scalar_text).into_iter().collect(),
        None => Vec::new(),
    }
}

fn meta(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Meta> {
    let title = match text_of(node.get("title")) {
        Some(t) => t,
        None => {
            diags.push(Diagnostic::error(node.line, "the document has no `title`"));
            return None;
        }
    };
    let level = match node.get("level") {
        None => None,
        Some(l) => match l.scalar_text().as_deref().and_then(Level::parse) {
            Some(level) => Some(level),
            None => {
                diags.push(Diagnostic::warning(
                    l.line,
                    format!(
                        "unknown level {:?}: expected informational, low, medium, high or critical",
                        l.scalar_text().unwrap_or_default()
                    ),
                ));
                None
            }
        },
    };
    Some(Meta {
        title,
        id: text_of(node.get("id")),
        name: text_of(node.get("name")),
        status: text_of(node.get("status")),
        description: text_of(node.get("description")),
        author: text_of(node.get("author")),
        level,
        tags: string_list(node.get("tags")),
        references: string_list(node.get("references")),
        falsepositives: string_list(node.get("falsepositives")),
        date: text_of(node.get("date")),
        modified: text_of(node.get("modified")),
        line: node.line,
    })
}

fn logsource(node: &Node, diags: &mut Vec<Diagnostic>) -> LogSource {
    let Some(ls) = node.get("logsource") else {
        return LogSource::default();
    };
    if ls.as_map().is_none() {
        diags.push(Diagnostic::error(ls.line, "`logsource` must be a map"));
        return LogSource::default();
    }
    let lower = |k: &str| text_of(ls.get(k)).map(|s| s.to_lowercase());
    LogSource {
        category: lower("category"),
        product: lower("product"),
        service: lower("service"),
    }
}

fn detection(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Detection> {
    let Some(entries) = node.as_map() else {
        diags.push(Diagnostic::error(node.line, "`detection` must be a map"));
        return None;
    };
    let mut searches = Vec::new();
    let mut broken_search = false;
    let mut condition_node = None;
    for (key, value) in entries {
        let Some(name) = key.scalar_text() else {
            diags.push(Diagnostic::error(
                key.line,
                "a search identifier must be a string",
            ));
            continue;
        };
        match name.as_str() {
            "condition" => condition_node = Some(value),
            "timeframe" => diags.push(Diagnostic::warning(
                key.line,
                "`timeframe` in a detection is obsolete since Sigma 2.0 and is ignored; \
                 use a correlation rule",
            )),
            _ => match search(value, diags) {
                Some(s) => searches.push((name, s)),
                None => broken_search = true,
            },
        }
    }
    let Some(cond) = condition_node else {
        diags.push(Diagnostic::error(
            node.line,
            "`detection` has no `condition`",
        ));
        return None;
    };
    let texts: Vec<(String, usize)> = match &cond.kind {
        NodeKind::Seq(items) => items
            .iter()
            .filter_map(|i| i.scalar_text().map(|t| (t, i.line)))
            .collect(),
        _ => cond
            .scalar_text()
            .map(|t| (t, cond.line))
            .into_iter()
            .collect(),
    };
    if texts.is_empty() {
        diags.push(Diagnostic::error(cond.line, "the condition is empty"));
        return None;
    }
    let mut parts = Vec::new();
    for (text, line) in texts {
        match parse_condition(&text) {
            Ok(c) => parts.push(c),
            Err(e) => {
                diags.push(Diagnostic::error(
                    line,
                    format!("invalid condition {:?}: {e}", excerpt(&text, 200)),
                ));
                return None;
            }
        }
    }
    let condition = if parts.len() == 1 {
        parts.remove(0)
    } else {
        Condition::Or(parts)
    };
    if broken_search {
        return None;
    }
    let mut refs = Vec::new();
    condition.references(&mut refs);
    let mut ok = true;
    for r in refs {
        match r {
            Target::Pattern(p) if p.contains('*') => {
                if !searches.iter().any(|(n, _)| pattern_matches(&p, n)) {
                    diags.push(Diagnostic::warning(
                        cond.line,
                        format!("the pattern `{p}` in the condition matches no search identifier"),
                    ));
                }
            }
            Target::Pattern(p) => {
                if !searches.iter().any(|(n, _)| *n == p) {
                    diags.push(Diagnostic::error(
                        cond.line,
                        format!("the condition names `{p}`, which is not a search identifier of this detection"),
                    ));
                    ok = false;
                }
            }
            Target::Them => {}
        }
    }
    ok.then_some(Detection {
        searches,
        condition,
        condition_line: cond.line,
    })
}

fn scalar_value(node: &Node) -> Option<SigmaValue> {
    Some(match &node.kind {
        NodeKind::Str(s) => SigmaValue::Str(s.clone()),
        NodeKind::Int(i) => SigmaValue::Int(*i),
        NodeKind::Float(f) => SigmaValue::Float(*f),
        NodeKind::Bool(b) => SigmaValue::Bool(*b),
        NodeKind::Null => SigmaValue::Null,
        NodeKind::Seq(_) | NodeKind::Map(_) => return None,
    })
}

fn search(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Search> {
    match &node.kind {
        NodeKind::Map(_) => Some(Search::Maps(vec![field_map(node, diags)?])),
        NodeKind::Seq(items) if !items.is_empty() && items.iter().all(|i| i.as_map().is_some()) => {
            let mut maps = Vec::new();
            for i in items {
                maps.push(field_map(i, diags)?);
            }
            Some(Search::Maps(maps))
        }
        NodeKind::Seq(items) => {
            let mut values = Vec::new();
            for i in items {
                match scalar_value(i) {
                    Some(v) => values.push(v),
                    None => {
                        diags.push(Diagnostic::error(
                            i.line,
                            "a search list must hold only maps or only plain values (keywords)",
                        ));
                        return None;
                    }
                }
            }
            if values.is_empty() {
                diags.push(Diagnostic::error(node.line, "an empty search list"));
                return None;
            }
            Some(Search::Keywords(values))
        }
        _ => match scalar_value(node) {
            Some(SigmaValue::Null) | None => {
                diags.push(Diagnostic::error(node.line, "an empty search identifier"));
                None
            }
            Some(v) => Some(Search::Keywords(vec![v])),
        },
    }
}

/// Reads one search map (`field|modifiers: values` entries, AND-ed), as used in a
/// detection; other Vigie data files (logsource mappings) reuse it for their conditions.
pub fn search_map(node: &Node) -> Result<Vec<FieldItem>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    if node.as_map().is_none() {
        return Err(vec![Diagnostic::error(
            node.line,
            "expected a map of field conditions",
        )]);
    }
    match field_map(node, &mut diags) {
        Some(items) if !diags.iter().any(Diagnostic::is_error) => Ok(items),
        _ => Err(diags),
    }
}

fn field_map(node: &Node, diags: &mut Vec<Diagnostic>) -> Option<Vec<FieldItem>> {
    let entries = node.as_map().unwrap_or_default();
    let mut items = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        items.push(field_item(key, value, diags)?);
    }
    if items.is_empty() {
        diags.push(Diagnostic::error(node.line, "an empty search map"));
        return None;
    }
    Some(items)
}

fn field_item(key: &Node, value: &Node, diags: &mut Vec<Diagnostic>) -> Option<FieldItem> {
    let Some(key_text) = key.scalar_text() else {
        diags.push(Diagnostic::error(key.line, "a field name must be a string"));
        return None;
    };
    let mut parts = key_text.split('|');
    let field = parts.next().unwrap_or_default().to_owned();
    let mut modifiers = Vec::new();
    let mut after_re = false;
    for m in parts {
        match Modifier::parse(m, after_re) {
            Some(modifier) => {
                after_re |= modifier == Modifier::Re;
                modifiers.push(modifier);
            }
            None => {
                diags.push(Diagnostic::error(
                    key.line,
                    format!("unknown modifier `{m}` in `{key_text}`"),
                ));
                return None;
            }
        }
    }
    let values: Vec<SigmaValue> = match &value.kind {
        NodeKind::Seq(items) => {
            let mut vs = Vec::with_capacity(items.len());
            for i in items {
                match scalar_value(i) {
                    Some(v) => vs.push(v),
                    None => {
                        diags.push(Diagnostic::error(
                            i.line,
                            format!(
                                "the values of `{key_text}` must be plain values, not {}",
                                i.kind_name()
                            ),
                        ));
                        return None;
                    }
                }
            }
            vs
        }
        NodeKind::Map(_) => {
            diags.push(Diagnostic::error(
                value.line,
                format!("the value of `{key_text}` must be a plain value or a list, not a map"),
            ));
            return None;
        }
        _ => vec![scalar_value(value).unwrap_or(SigmaValue::Null)],
    };
    if values.is_empty() {
        diags.push(Diagnostic::error(
            value.line,
            format!("`{key_text}` has an empty list of values"),
        ));
        return None;
    }
    if values.len() > 1 && values.contains(&SigmaValue::Null) {
        diags.push(Diagnostic::warning(
            value.line,
            format!("`{key_text}`: null inside a list of values is not allowed by the specification; it is read as \"field is null or absent\""),
        ));
    }
    if modifiers.contains(&Modifier::All) && values.len() == 1 {
        diags.push(Diagnostic::warning(
            key.line,
            format!("`{key_text}`: the `all` modifier on a single value has no effect"),
        ));
    }
    if modifiers.contains(&Modifier::Exists)
        && !values.iter().all(|v| matches!(v, SigmaValue::Bool(_)))
    {
        diags.push(Diagnostic::error(
            value.line,
            format!("`{key_text}`: `exists` takes true or false"),
        ));
        return None;
    }
    if field.is_empty() && !modifiers.iter().all(|m| *m == Modifier::All) {
        diags.push(Diagnostic::error(
            key.line,
            format!("`{key_text}`: a keyword entry without a field only takes the `all` modifier"),
        ));
        return None;
    }
    Some(FieldItem {
        field: (!field.is_empty()).then_some(field),
        modifiers,
        values,
        line: key.line,
    })
}

fn correlation(
    meta: Meta,
    node: &Node,
    doc: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Correlation> {
    if node.as_map().is_none() {
        diags.push(Diagnostic::error(node.line, "`correlation` must be a map"));
        return None;
    }
    let kind_text = text_of(node.get("type")).unwrap_or_default();
    let Some(kind) = CorrelationType::parse(&kind_text) else {
        diags.push(Diagnostic::error(
            node.get("type").map_or(node.line, |n| n.line),
            format!("unknown correlation type {kind_text:?}: expected event_count, value_count, temporal, temporal_ordered, value_sum, value_avg or value_percentile"),
        ));
        return None;
    };
    let rules = string_list(node.get("rules"));
    if rules.is_empty() {
        diags.push(Diagnostic::error(node.line, "a correlation needs `rules`"));
        return None;
    }
    let group_by = string_list(node.get("group-by"));
    let timespan_node = node.get("timespan").or_else(|| node.get("timeframe"));
    let Some(timespan) = timespan_node
        .and_then(Node::scalar_text)
        .and_then(|t| parse_timespan(&t))
    else {
        diags.push(Diagnostic::error(
            timespan_node.map_or(node.line, |n| n.line),
            "a correlation needs a `timespan` such as 30s, 5m, 1h or 2d",
        ));
        return None;
    };
    let mut condition = Vec::new();
    let mut field = None;
    match node.get("condition") {
        Some(c) if c.as_map().is_some() => {
            for (k, v) in c.as_map().unwrap_or_default() {
                let key = k.scalar_text().unwrap_or_default();
                if key == "field" {
                    field = match &v.kind {
                        NodeKind::Seq(items) => items.first().and_then(Node::scalar_text),
                        _ => v.scalar_text(),
                    };
                    continue;
                }
                let op = CmpOp::parse(&key);
                let n = match v.kind {
                    NodeKind::Int(i) => Some(i as f64),
                    NodeKind::Float(f) => Some(f),
                    _ => None,
                };
                match (op, n) {
                    (Some(op), Some(n)) => condition.push((op, n)),
                    _ => {
                        diags.push(Diagnostic::error(
                            k.line,
                            format!("correlation condition `{key}`: expected gt, gte, lt, lte, eq or neq with a number"),
                        ));
                        return None;
                    }
                }
            }
        }
        Some(c) => {
            diags.push(Diagnostic::error(
                c.line,
                "the correlation `condition` must be a map",
            ));
            return None;
        }
        None => {}
    }
    let needs_condition = !matches!(
        kind,
        CorrelationType::Temporal | CorrelationType::TemporalOrdered
    );
    if needs_condition && condition.is_empty() {
        diags.push(Diagnostic::error(
            node.line,
            "this correlation type needs a `condition`",
        ));
        return None;
    }
    if kind.needs_field() && field.is_none() {
        diags.push(Diagnostic::error(
            node.line,
            format!("a {kind_text} correlation needs `condition.field`"),
        ));
        return None;
    }
    let mut aliases = Vec::new();
    if let Some(a) = node.get("aliases").and_then(Node::as_map) {
        for (alias, map) in a {
            let mut pairs = Vec::new();
            for (rule, f) in map.as_map().unwrap_or_default() {
                if let (Some(r), Some(f)) = (rule.scalar_text(), f.scalar_text()) {
                    pairs.push((r, f));
                }
            }
            aliases.push((alias.scalar_text().unwrap_or_default(), pairs));
        }
    }
    let generate = matches!(
        node.get("generate")
            .or_else(|| doc.get("generate"))
            .map(|n| &n.kind),
        Some(NodeKind::Bool(true))
    );
    Some(Correlation {
        meta,
        kind,
        rules,
        group_by,
        timespan,
        condition,
        field,
        aliases,
        generate,
    })
}

/// `90s`, `5m`, `1h`, `2d` (also `1w`, `1M` month of 30 days, `1y`) in seconds.
pub(crate) fn parse_timespan(t: &str) -> Option<u64> {
    let t = t.trim();
    let unit = t.chars().last()?;
    let n: u64 = t[..t.len() - unit.len_utf8()].trim().parse().ok()?;
    let mult = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 604_800,
        'M' => 2_592_000,
        'y' => 31_536_000,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn filter(
    meta: Meta,
    logsource: LogSource,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Filter> {
    if node.as_map().is_none() {
        diags.push(Diagnostic::error(node.line, "`filter` must be a map"));
        return None;
    }
    let target = match node.get("rules") {
        Some(n) if n.as_str() == Some("any") => FilterTarget::Any,
        Some(n) => FilterTarget::Rules(string_list(Some(n))),
        None => {
            diags.push(Diagnostic::error(
                node.line,
                "a filter needs `rules` (a list of rule ids or names, or `any`)",
            ));
            return None;
        }
    };
    let detection = detection(&without_key(node, "rules"), diags)?;
    Some(Filter {
        meta,
        logsource,
        target,
        detection,
    })
}

/// `text` itself when short, else its first `max` characters and how many more there are:
/// a message quoting a condition stays readable whatever the rule holds.
fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((cut, _)) => format!(
            "{}... ({} more characters)",
            &text[..cut],
            text[cut..].chars().count()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_nested_too_deeply_is_an_error_quoted_short() {
        let text = format!(
            "title: t\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: {}sel\n",
            "not ".repeat(200_000)
        );
        let p = parse_str(&text);
        assert!(p.documents.is_empty());
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        let d = &p.diagnostics[0];
        assert_eq!(d.line, Some(7));
        assert!(d.message.contains("more than 100 deep"), "{}", d.message);
        assert!(
            d.message.contains("(799803 more characters)"),
            "{}",
            d.message
        );
        assert!(d.message.len() < 400, "{}", d.message.len());
    }

    #[test]
    fn rule_with_lists_and_keywords() {
        let p = parse_str(
            "title: t\nid: x\nlogsource:\n  product: Windows\ndetection:\n  sel:\n    Image|endswith:\n      - a.exe\n      - b.exe\n  kw:\n    - evil\n  condition: sel or kw\nlevel: high\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let Document::Rule(r) = &p.documents[0] else {
            panic!("not a rule")
        };
        assert_eq!(r.logsource.product.as_deref(), Some("windows"));
        assert_eq!(r.meta.level, Some(Level::High));
        let Search::Maps(maps) = &r.detection.searches[0].1 else {
            panic!("not maps")
        };
        assert_eq!(maps[0][0].modifiers, vec![Modifier::EndsWith]);
        assert_eq!(maps[0][0].values.len(), 2);
        assert_eq!(maps[0][0].line, 7);
        assert!(matches!(r.detection.searches[1].1, Search::Keywords(_)));
    }

    #[test]
    fn broken_document_does_not_hide_others() {
        let p = parse_str(
            "title: bad\nlogsource: {product: x}\ndetection:\n  sel:\n    a|nosuch: 1\n  condition: sel\n---\ntitle: good\nlogsource: {product: x}\ndetection:\n  sel: {a: 1}\n  condition: sel\n",
        );
        assert_eq!(p.documents.len(), 1);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].line, Some(5));
        assert!(p.diagnostics[0].message.contains("nosuch"));
    }

    #[test]
    fn global_and_repeat() {
        let p = parse_str(
            "action: global\ntitle: g\nlogsource: {product: windows}\ndetection:\n  condition: sel\n---\ndetection:\n  sel: {a: 1}\n---\naction: repeat\ntitle: g2\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[1].meta().title, "g2");
    }

    #[test]
    fn unknown_identifier_is_an_error() {
        let p = parse_str("title: t\nlogsource: {product: x}\ndetection:\n  sel: {a: 1}\n  condition: sel and other\n");
        assert!(p.documents.is_empty());
        assert!(p.diagnostics[0].message.contains("other"));
    }

    #[test]
    fn correlation_parses() {
        let p = parse_str(
            "title: c\ncorrelation:\n  type: event_count\n  rules: [a]\n  group-by: [User]\n  timespan: 15m\n  condition: {gte: 10}\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let Document::Correlation(c) = &p.documents[0] else {
            panic!("not a correlation")
        };
        assert_eq!(c.timespan, 900);
        assert_eq!(c.condition, vec![(CmpOp::Gte, 10.0)]);
    }

    #[test]
    fn timespans() {
        assert_eq!(parse_timespan("90s"), Some(90));
        assert_eq!(parse_timespan("2d"), Some(172_800));
        assert_eq!(parse_timespan("x"), None);
    }
}
