//! Reading an XCCDF 1.2 Benchmark (plain, or the XCCDF component of a SCAP source data
//! stream) with its CPE dictionary, and where each referenced OVAL file lives.

use std::collections::HashMap;

use roxmltree::Node;

use crate::error::XccdfError;
use crate::model::*;

/// Where an OVAL `href` of the content is found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OvalSource {
    /// A component of the same data stream, by `ds:component` id.
    Component(String),
    /// A file, relative to the content's folder.
    File(String),
}

/// What `parse` reads.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub benchmark: Benchmark,
    /// CPE dictionary: CPE name -> (href, OVAL definition id).
    pub dictionary: HashMap<String, (String, String)>,
    /// Each OVAL href met -> where it is.
    pub sources: HashMap<String, OvalSource>,
    /// True when the content is a data stream.
    pub data_stream: bool,
}

const XCCDF_NS: &str = "http://checklists.nist.gov/xccdf/1.2";

/// Parses XCCDF 1.2 content; `file` names it in messages.
pub fn parse(text: &str, file: &str) -> Result<Content, XccdfError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let xml = roxmltree::Document::parse_with_options(text, opts).map_err(|e| XccdfError::Xml {
        file: file.to_owned(),
        line: e.pos().row,
        reason: e.to_string(),
    })?;
    let bench = xml
        .descendants()
        .find(|n| is(*n, "Benchmark") && n.tag_name().namespace() == Some(XCCDF_NS))
        .ok_or_else(|| XccdfError::NotXccdf {
            file: file.to_owned(),
        })?;
    let data_stream = xml.root_element().tag_name().name() == "data-stream-collection";
    let mut b = Benchmark {
        id: bench.attribute("id").unwrap_or_default().to_owned(),
        title: child_text(bench, "title"),
        platforms: platforms(bench),
        ..Benchmark::default()
    };
    for n in xml
        .descendants()
        .filter(|n| is(*n, "platform-specification"))
    {
        for p in n.children().filter(|c| is(*c, "platform")) {
            let test = p.children().find(|c| is(*c, "logical-test"));
            if let (Some(id), Some(t)) = (p.attribute("id"), test) {
                b.cpe_platforms.insert(id.to_owned(), logical_test(t));
            }
        }
    }
    items(&mut b, bench, &[]);
    let mut dictionary = HashMap::new();
    for item in xml.descendants().filter(|n| is(*n, "cpe-item")) {
        let check = item.children().find(|c| is(*c, "check"));
        if let (Some(name), Some(c)) = (item.attribute("name"), check) {
            let href = c.attribute("href").unwrap_or_default().to_owned();
            dictionary.insert(name.to_owned(), (href, text_of(c)));
        }
    }
    let mut hrefs: Vec<String> = dictionary.values().map(|(h, _)| h.clone()).collect();
    for r in &b.rules {
        hrefs.extend(
            r.checks
                .iter()
                .filter(|c| c.system == OVAL_SYSTEM)
                .flat_map(|c| c.refs.iter().map(|(h, _)| h.clone())),
        );
    }
    hrefs.extend(b.cpe_platforms.values().flat_map(check_hrefs));
    let mut sources = HashMap::new();
    for h in hrefs {
        if sources.contains_key(&h) {
            continue;
        }
        let src = if data_stream {
            resolve(&xml, &h)
        } else {
            OvalSource::File(h.clone())
        };
        sources.insert(h, src);
    }
    Ok(Content {
        benchmark: b,
        dictionary,
        sources,
        data_stream,
    })
}

fn check_hrefs(t: &LogicalTest) -> Vec<String> {
    match t {
        LogicalTest::Test { parts, .. } => parts.iter().flat_map(check_hrefs).collect(),
        LogicalTest::FactRef(_) => Vec::new(),
        LogicalTest::CheckFactRef { href, .. } => vec![href.clone()],
    }
}

/// A data stream href (`ssg-debian11-oval.xml`, or `#component-ref-id`) through the
/// catalogs and component-refs to a component id; unresolved hrefs stay files.
fn resolve(xml: &roxmltree::Document, href: &str) -> OvalSource {
    let uri = xml
        .descendants()
        .find(|n| is(*n, "uri") && n.attribute("name") == Some(href))
        .and_then(|n| n.attribute("uri"))
        .unwrap_or(href);
    let Some(cref) = uri.strip_prefix('#') else {
        return OvalSource::File(href.to_owned());
    };
    let target = xml
        .descendants()
        .find(|n| is(*n, "component-ref") && n.attribute("id") == Some(cref))
        .and_then(|n| {
            n.attributes()
                .find(|a| a.name() == "href")
                .map(|a| a.value().to_owned())
        });
    match target.as_deref().and_then(|t| t.strip_prefix('#')) {
        Some(comp) => OvalSource::Component(comp.to_owned()),
        None => OvalSource::Component(cref.to_owned()),
    }
}

/// Groups and Rules under `n`, depth first, in document order.
fn items(b: &mut Benchmark, n: Node, groups: &[String]) {
    for c in n.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "Group" => {
                let id = c.attribute("id").unwrap_or_default().to_owned();
                b.groups.insert(
                    id.clone(),
                    Group {
                        selected: selected(c),
                        platforms: platforms(c),
                        weight: weight(c),
                    },
                );
                let mut inner = groups.to_vec();
                inner.push(id);
                items(b, c, &inner);
            }
            "Rule" => b.rules.push(rule(c, groups)),
            "Value" => {
                let v = value(c);
                b.values.insert(v.id.clone(), v);
            }
            "Profile" => b.profiles.push(profile(c)),
            _ => {}
        }
    }
}

fn rule(n: Node, groups: &[String]) -> Rule {
    let fix = n
        .children()
        .find(|c| is(*c, "fixtext"))
        .or_else(|| n.children().find(|c| is(*c, "fix")))
        .map(text_of)
        .filter(|t| !t.is_empty());
    let mut checks = Vec::new();
    let mut complex_check = false;
    for c in n.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "check" => checks.push(check(c)),
            "complex-check" => complex_check = true,
            _ => {}
        }
    }
    Rule {
        id: n.attribute("id").unwrap_or_default().to_owned(),
        title: child_text(n, "title"),
        severity: n.attribute("severity").unwrap_or("unknown").to_owned(),
        selected: selected(n),
        description: child_text(n, "description"),
        rationale: child_text(n, "rationale"),
        fix,
        platforms: platforms(n),
        groups: groups.to_vec(),
        checks,
        complex_check,
        unchecked: n.attribute("role") == Some("unchecked"),
        unscored: n.attribute("role") == Some("unscored"),
        weight: weight(n),
    }
}

fn check(n: Node) -> Check {
    let mut c = Check {
        system: n.attribute("system").unwrap_or_default().to_owned(),
        negate: n.attribute("negate") == Some("true") || n.attribute("negate") == Some("1"),
        multi_check: n.attribute("multi-check") == Some("true"),
        ..Check::default()
    };
    for e in n.children().filter(Node::is_element) {
        match e.tag_name().name() {
            "check-content-ref" => c.refs.push((
                e.attribute("href").unwrap_or_default().to_owned(),
                e.attribute("name").map(str::to_owned),
            )),
            "check-export" => {
                if let (Some(v), Some(x)) = (e.attribute("value-id"), e.attribute("export-name")) {
                    c.exports.push((v.to_owned(), x.to_owned()));
                }
            }
            _ => {}
        }
    }
    c
}

fn value(n: Node) -> Value {
    let mut v = Value {
        id: n.attribute("id").unwrap_or_default().to_owned(),
        ..Value::default()
    };
    for e in n.children().filter(|c| is(*c, "value")) {
        match e.attribute("selector") {
            Some(s) if !s.is_empty() => {
                v.selectors.insert(s.to_owned(), text_raw(e));
            }
            _ => v.default = text_raw(e),
        }
    }
    v
}

fn profile(n: Node) -> Profile {
    let mut p = Profile {
        id: n.attribute("id").unwrap_or_default().to_owned(),
        title: child_text(n, "title"),
        extends: n.attribute("extends").map(str::to_owned),
        ..Profile::default()
    };
    for e in n.children().filter(Node::is_element) {
        let Some(idref) = e.attribute("idref").map(str::to_owned) else {
            continue;
        };
        match e.tag_name().name() {
            "select" => p
                .selects
                .push((idref, e.attribute("selected") != Some("false"))),
            "refine-value" => {
                if let Some(s) = e.attribute("selector") {
                    p.refine_values.push((idref, s.to_owned()));
                }
            }
            "set-value" => p.set_values.push((idref, text_raw(e))),
            "refine-rule" => p.refine_rules.push(RefineRule {
                idref,
                role: e.attribute("role").map(str::to_owned),
                severity: e.attribute("severity").map(str::to_owned),
                weight: e.attribute("weight").and_then(|w| w.trim().parse().ok()),
            }),
            _ => {}
        }
    }
    p
}

fn logical_test(n: Node) -> LogicalTest {
    let mut parts = Vec::new();
    for c in n.children().filter(Node::is_element) {
        match c.tag_name().name() {
            "logical-test" => parts.push(logical_test(c)),
            "fact-ref" => parts.push(LogicalTest::FactRef(
                c.attribute("name").unwrap_or_default().to_owned(),
            )),
            "check-fact-ref" => parts.push(LogicalTest::CheckFactRef {
                href: c.attribute("href").unwrap_or_default().to_owned(),
                id: c.attribute("id-ref").unwrap_or_default().to_owned(),
            }),
            _ => {}
        }
    }
    LogicalTest::Test {
        and: !n
            .attribute("operator")
            .is_some_and(|o| o.eq_ignore_ascii_case("OR")),
        negate: n.attribute("negate") == Some("true"),
        parts,
    }
}

fn is(n: Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name
}

fn selected(n: Node) -> bool {
    !matches!(n.attribute("selected"), Some("false") | Some("0"))
}

/// `weight`: a non-negative decimal, 1 when absent or unreadable (as OpenSCAP reads it).
fn weight(n: Node) -> f32 {
    n.attribute("weight")
        .and_then(|w| w.trim().parse::<f32>().ok())
        .filter(|w| w.is_finite() && *w >= 0.0)
        .unwrap_or(1.0)
}

fn platforms(n: Node) -> Vec<String> {
    n.children()
        .filter(|c| is(*c, "platform"))
        .filter_map(|c| c.attribute("idref").map(str::to_owned))
        .collect()
}

fn child_text(n: Node, name: &str) -> String {
    n.children()
        .find(|c| is(*c, name))
        .map(text_of)
        .unwrap_or_default()
}

/// All text below `n`, whitespace collapsed (descriptions hold XHTML).
fn text_of(n: Node) -> String {
    let all: String = n
        .descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect();
    all.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An element's own text, exact (values).
fn text_raw(n: Node) -> String {
    n.text().unwrap_or_default().to_owned()
}
