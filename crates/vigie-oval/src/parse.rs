//! Reading OVAL 5.11 XML (a definitions document, or the OVAL component of a SCAP 1.2 / 1.3
//! source data stream) into the `model` types with roxmltree. A malformed element is left out
//! and reported with file, line and id; the rest of the document loads.

use std::collections::HashMap;

use roxmltree::Node;

use crate::error::OvalError;
use crate::model::*;
use crate::parse_variables::parse_component;

const OVAL_DEFS_NS: &str = "http://oval.mitre.org/XMLSchema/oval-definitions-5";

/// What could be loaded, and every element that could not.
pub struct Loaded {
    pub document: Document,
    pub problems: Vec<OvalError>,
}

/// Parses OVAL XML text; `file` names it in messages. Fails only when the text is not XML or
/// holds no OVAL definitions document; malformed elements become `problems`.
pub fn parse(text: &str, file: &str) -> Result<Loaded, OvalError> {
    parse_in_component(text, file, None)
}

/// `parse`, choosing in a SCAP source data stream the OVAL component whose `ds:component` id
/// is `component` (for example the CPE applicability checks); `None` takes the component with
/// the most definitions. A plain OVAL file has no component: `Some` then finds nothing.
pub fn parse_in_component(
    text: &str,
    file: &str,
    component: Option<&str>,
) -> Result<Loaded, OvalError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let xml = roxmltree::Document::parse_with_options(text, opts).map_err(|e| OvalError::Xml {
        file: file.to_owned(),
        line: e.pos().row,
        reason: e.to_string(),
    })?;
    // In a data stream there may be several OVAL components (the checks and the CPE
    // applicability checks): the one with the most definitions is the content's.
    let root = xml
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "oval_definitions")
        .filter(|n| n.tag_name().namespace() == Some(OVAL_DEFS_NS))
        .filter(|n| match component {
            None => true,
            Some(want) => n
                .ancestors()
                .any(|a| a.tag_name().name() == "component" && a.attribute("id") == Some(want)),
        })
        .max_by_key(|n| {
            child(*n, "definitions")
                .map(|d| d.children().filter(Node::is_element).count())
                .unwrap_or(0)
        })
        .ok_or_else(|| OvalError::NotOval {
            file: file.to_owned(),
        })?;
    let mut p = Parser {
        file,
        problems: Vec::new(),
        lines: HashMap::new(),
        newlines: newlines(text),
    };
    let mut doc = Document {
        file: file.to_owned(),
        ..Document::default()
    };
    for section in root.children().filter(Node::is_element) {
        let items = section.children().filter(Node::is_element);
        match section.tag_name().name() {
            "definitions" => doc.definitions = items.filter_map(|n| p.definition(n)).collect(),
            "tests" => doc.tests = keyed(items.filter_map(|n| p.test(n)), |t| &t.id),
            "objects" => doc.objects = keyed(items.filter_map(|n| p.object(n)), |o| &o.id),
            "states" => doc.states = keyed(items.filter_map(|n| p.state(n)), |s| &s.id),
            "variables" => doc.variables = keyed(items.filter_map(|n| p.variable(n)), |v| &v.id),
            _ => {}
        }
    }
    doc.lines = std::mem::take(&mut p.lines);
    Ok(Loaded {
        document: doc,
        problems: p.problems,
    })
}

/// Parses an OVAL variables document (`oval_variables`, as `oscap --variables` reads): the
/// values of each external variable, by id.
pub fn parse_variables(
    content: &str,
    file: &str,
) -> Result<HashMap<String, Vec<String>>, OvalError> {
    let xml = roxmltree::Document::parse(content).map_err(|e| OvalError::Xml {
        file: file.to_owned(),
        line: e.pos().row,
        reason: e.to_string(),
    })?;
    let root = xml.root_element();
    if root.tag_name().name() != "oval_variables" {
        return Err(OvalError::NotOval {
            file: file.to_owned(),
        });
    }
    let mut out = HashMap::new();
    for v in root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "variable")
    {
        let Some(id) = v.attribute("id") else {
            continue;
        };
        let values = v
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "value")
            .map(text)
            .collect();
        out.insert(id.to_owned(), values);
    }
    Ok(out)
}

fn keyed<T>(items: impl Iterator<Item = T>, id: impl Fn(&T) -> &String) -> HashMap<String, T> {
    items.map(|t| (id(&t).clone(), t)).collect()
}

/// The first child element with this local name.
pub(crate) fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// An element's text, trimmed of nothing (OVAL values are exact); empty when it has none.
pub(crate) fn text(n: Node) -> String {
    n.text().unwrap_or("").to_owned()
}

pub(crate) struct Parser<'f> {
    pub file: &'f str,
    pub problems: Vec<OvalError>,
    pub lines: HashMap<String, u32>,
    /// Byte offsets of the text's line feeds, for `line_at`.
    pub newlines: Vec<usize>,
}

/// Byte offsets of the line feeds of `text`.
pub(crate) fn newlines(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'\n').then_some(i))
        .collect()
}

impl Parser<'_> {
    /// The line (from 1) of byte offset `pos`, as roxmltree's `text_pos_at(pos).row` counts it,
    /// by binary search (`text_pos_at` counts from the start of the text on every call, which
    /// made reading a data stream quadratic).
    pub(crate) fn line_at(&self, pos: usize) -> u32 {
        self.newlines.partition_point(|&nl| nl < pos) as u32 + 1
    }

    pub(crate) fn problem(&mut self, n: Node, reason: impl Into<String>) {
        let line = self.line_at(n.range().start);
        let id = n
            .attribute("id")
            .map(str::to_owned)
            .or_else(|| {
                n.ancestors()
                    .find_map(|a| a.attribute("id"))
                    .map(|id| format!("{id} ({})", n.tag_name().name()))
            })
            .unwrap_or_else(|| n.tag_name().name().to_owned());
        self.problems.push(OvalError::Element {
            file: self.file.to_owned(),
            line,
            id,
            reason: reason.into(),
        });
    }

    /// An enumerated attribute: its default when absent, `None` (reported) when invalid.
    pub(crate) fn attr<T: Copy>(
        &mut self,
        n: Node,
        name: &str,
        default: T,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        match n.attribute(name) {
            None => Some(default),
            Some(v) => {
                let got = parse(v);
                if got.is_none() {
                    self.problem(n, format!("invalid {name} \"{v}\""));
                }
                got
            }
        }
    }

    fn id(&mut self, n: Node) -> Option<String> {
        let id = n.attribute("id").map(str::to_owned);
        if let Some(id) = &id {
            let line = self.line_at(n.range().start);
            self.lines.insert(id.clone(), line);
        }
        if id.is_none() {
            self.problem(n, "element without an id attribute; left out");
        }
        id
    }

    fn definition(&mut self, n: Node) -> Option<Definition> {
        let id = self.id(n)?;
        let meta = child(n, "metadata");
        let title = meta
            .and_then(|m| child(m, "title"))
            .map(text)
            .unwrap_or_default();
        // Broken criteria make the definition "error", still listed.
        let criteria =
            child(n, "criteria").map(|c| self.criteria(c).unwrap_or(Criteria::Malformed));
        Some(Definition {
            id,
            class: n.attribute("class").unwrap_or("").to_owned(),
            title,
            criteria,
        })
    }

    fn criteria(&mut self, n: Node) -> Option<Criteria> {
        let negate = self.attr(n, "negate", false, parse_bool)?;
        match n.tag_name().name() {
            "criteria" => {
                let operator = self.attr(n, "operator", Operator::And, parse_operator)?;
                let mut children = Vec::new();
                for c in n.children().filter(Node::is_element) {
                    children.push(self.criteria(c).unwrap_or(Criteria::Malformed));
                }
                Some(Criteria::Group {
                    operator,
                    negate,
                    children,
                })
            }
            "criterion" => match n.attribute("test_ref") {
                Some(t) => Some(Criteria::Test {
                    test_ref: t.to_owned(),
                    negate,
                }),
                None => {
                    self.problem(n, "criterion without test_ref");
                    None
                }
            },
            "extend_definition" => match n.attribute("definition_ref") {
                Some(d) => Some(Criteria::Extend {
                    definition_ref: d.to_owned(),
                    negate,
                }),
                None => {
                    self.problem(n, "extend_definition without definition_ref");
                    None
                }
            },
            other => {
                self.problem(n, format!("unexpected <{other}> in criteria"));
                None
            }
        }
    }

    fn test(&mut self, n: Node) -> Option<Test> {
        let id = self.id(n)?;
        let name = n.tag_name().name();
        let kind = name.strip_suffix("_test").unwrap_or(name).to_owned();
        let check = self.attr(n, "check", Check::All, parse_check)?;
        let check_existence = self.attr(
            n,
            "check_existence",
            Existence::AtLeastOneExists,
            parse_existence,
        )?;
        let state_operator = self.attr(n, "state_operator", Operator::And, parse_operator)?;
        let mut object_ref = None;
        let mut state_refs = Vec::new();
        for c in n.children().filter(Node::is_element) {
            match (
                c.tag_name().name(),
                c.attribute("object_ref"),
                c.attribute("state_ref"),
            ) {
                ("object", Some(o), _) => object_ref = Some(o.to_owned()),
                ("state", _, Some(s)) => state_refs.push(s.to_owned()),
                _ => {}
            }
        }
        Some(Test {
            id,
            kind,
            check,
            check_existence,
            state_operator,
            object_ref,
            state_refs,
        })
    }

    fn entity(&mut self, n: Node) -> Option<Entity> {
        let datatype = self.attr(n, "datatype", Datatype::String, parse_datatype)?;
        let operation = self.attr(n, "operation", Operation::Equals, parse_operation)?;
        let var_check = self.attr(n, "var_check", Check::All, parse_check)?;
        let entity_check = self.attr(n, "entity_check", Check::All, parse_check)?;
        let nil = n
            .attributes()
            .any(|a| a.name() == "nil" && a.value() == "true");
        Some(Entity {
            name: n.tag_name().name().to_owned(),
            value: (!nil).then(|| text(n)),
            var_ref: n.attribute("var_ref").map(str::to_owned),
            operation,
            datatype,
            var_check,
            entity_check,
        })
    }

    fn filters(&mut self, n: Node) -> Vec<Filter> {
        n.children()
            .filter(|c| c.is_element() && c.tag_name().name() == "filter")
            .map(|c| Filter {
                exclude: c.attribute("action") != Some("include"),
                state_ref: text(c).trim().to_owned(),
            })
            .collect()
    }

    fn set(&mut self, n: Node) -> Option<ObjectSet> {
        let operation = self.attr(n, "set_operator", SetOperation::Union, |s| match s {
            "UNION" => Some(SetOperation::Union),
            "INTERSECTION" => Some(SetOperation::Intersection),
            "COMPLEMENT" => Some(SetOperation::Complement),
            _ => None,
        })?;
        let mut set = ObjectSet {
            operation,
            object_refs: Vec::new(),
            sets: Vec::new(),
            filters: self.filters(n),
        };
        for c in n.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "object_reference" => set.object_refs.push(text(c).trim().to_owned()),
                "set" => set.sets.push(self.set(c)?),
                _ => {}
            }
        }
        Some(set)
    }

    fn object(&mut self, n: Node) -> Option<Object> {
        let id = self.id(n)?;
        let name = n.tag_name().name();
        let mut o = Object {
            id,
            kind: name.strip_suffix("_object").unwrap_or(name).to_owned(),
            entities: Vec::new(),
            behaviors: HashMap::new(),
            filters: self.filters(n),
            set: None,
        };
        for c in n.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "behaviors" => {
                    for a in c.attributes() {
                        o.behaviors
                            .insert(a.name().to_owned(), a.value().to_owned());
                    }
                }
                "set" => o.set = Some(self.set(c)?),
                "filter" | "notes" | "Signature" => {}
                _ => o.entities.push(self.entity(c)?),
            }
        }
        Some(o)
    }

    fn state(&mut self, n: Node) -> Option<State> {
        let id = self.id(n)?;
        let name = n.tag_name().name();
        let operator = self.attr(n, "operator", Operator::And, parse_operator)?;
        let mut entities = Vec::new();
        for c in n.children().filter(Node::is_element) {
            if !matches!(c.tag_name().name(), "notes" | "Signature") {
                entities.push(self.entity(c)?);
            }
        }
        Some(State {
            id,
            kind: name.strip_suffix("_state").unwrap_or(name).to_owned(),
            operator,
            entities,
        })
    }

    fn variable(&mut self, n: Node) -> Option<Variable> {
        let id = self.id(n)?;
        let datatype = self.attr(n, "datatype", Datatype::String, parse_datatype)?;
        let kind = match n.tag_name().name() {
            "external_variable" => VariableKind::External,
            "constant_variable" => VariableKind::Constant(
                n.children()
                    .filter(|c| c.is_element() && c.tag_name().name() == "value")
                    .map(text)
                    .collect(),
            ),
            "local_variable" => {
                let Some(c) = n.children().find(|c| c.is_element()) else {
                    self.problem(n, "local_variable without a component");
                    return None;
                };
                VariableKind::Local(parse_component(self, c)?)
            }
            other => {
                self.problem(n, format!("unknown variable kind <{other}>"));
                return None;
            }
        };
        Some(Variable { id, datatype, kind })
    }
}

pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn parse_operator(s: &str) -> Option<Operator> {
    Some(match s {
        "AND" => Operator::And,
        "OR" => Operator::Or,
        "ONE" => Operator::One,
        "XOR" => Operator::Xor,
        _ => return None,
    })
}

fn parse_check(s: &str) -> Option<Check> {
    Some(match s {
        "all" => Check::All,
        "at least one" => Check::AtLeastOne,
        "none satisfy" | "none exist" => Check::NoneSatisfy,
        "only one" => Check::OnlyOne,
        _ => return None,
    })
}

fn parse_existence(s: &str) -> Option<Existence> {
    Some(match s {
        "all_exist" => Existence::AllExist,
        "any_exist" => Existence::AnyExist,
        "at_least_one_exists" => Existence::AtLeastOneExists,
        "none_exist" => Existence::NoneExist,
        "only_one_exists" => Existence::OnlyOneExists,
        _ => return None,
    })
}

pub(crate) fn parse_datatype(s: &str) -> Option<Datatype> {
    Some(match s {
        "string" => Datatype::String,
        "int" => Datatype::Int,
        "float" => Datatype::Float,
        "boolean" => Datatype::Boolean,
        "version" => Datatype::Version,
        "debian_evr_string" => Datatype::DebianEvr,
        "evr_string" => Datatype::RpmEvr,
        "binary" => Datatype::Binary,
        "fileset_revision" | "ios_version" | "ipv4_address" | "ipv6_address" | "record" => {
            Datatype::Other
        }
        _ => return None,
    })
}

fn parse_operation(s: &str) -> Option<Operation> {
    Some(match s {
        "equals" => Operation::Equals,
        "not equal" => Operation::NotEqual,
        "case insensitive equals" => Operation::CaseInsensitiveEquals,
        "case insensitive not equal" => Operation::CaseInsensitiveNotEqual,
        "greater than" => Operation::GreaterThan,
        "less than" => Operation::LessThan,
        "greater than or equal" => Operation::GreaterThanOrEqual,
        "less than or equal" => Operation::LessThanOrEqual,
        "bitwise and" => Operation::BitwiseAnd,
        "bitwise or" => Operation::BitwiseOr,
        "pattern match" => Operation::PatternMatch,
        "subset of" => Operation::SubsetOf,
        "superset of" => Operation::SupersetOf,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_at_counts_as_roxmltree() {
        let text = "<a>\n<b/>\n\n<c x='1'>\r\n<d/></c>\n</a>\n";
        let xml = roxmltree::Document::parse(text).expect("xml");
        let p = Parser {
            file: "t",
            problems: Vec::new(),
            lines: HashMap::new(),
            newlines: newlines(text),
        };
        for pos in 0..=text.len() + 3 {
            assert_eq!(p.line_at(pos), xml.text_pos_at(pos).row, "at {pos}");
        }
    }
}
