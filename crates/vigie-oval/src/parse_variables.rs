//! Reading a local_variable's component tree (literal, object and variable components and the
//! OVAL functions) into `model::Component`.

use roxmltree::Node;

use crate::model::Component;
use crate::parse::{text, Parser};

/// Parses one component element; `None` (reported) when it is malformed.
pub(crate) fn parse_component(p: &mut Parser, n: Node) -> Option<Component> {
    let parts = |p: &mut Parser| -> Option<Vec<Component>> {
        let mut v = Vec::new();
        for c in n.children().filter(Node::is_element) {
            v.push(parse_component(p, c)?);
        }
        Some(v)
    };
    let one = |p: &mut Parser| -> Option<Box<Component>> {
        match n.children().find(Node::is_element) {
            Some(c) => parse_component(p, c).map(Box::new),
            None => {
                p.problem(n, format!("<{}> without a component", n.tag_name().name()));
                None
            }
        }
    };
    let required = |p: &mut Parser, name: &str| -> Option<String> {
        let v = n.attribute(name).map(str::to_owned);
        if v.is_none() {
            p.problem(n, format!("<{}> without {name}", n.tag_name().name()));
        }
        v
    };
    let int = |p: &mut Parser, name: &str, default: i64| -> Option<i64> {
        match n.attribute(name) {
            None => Some(default),
            Some(v) => match v.trim().parse() {
                Ok(i) => Some(i),
                Err(_) => {
                    p.problem(n, format!("{name} \"{v}\" is not an integer"));
                    None
                }
            },
        }
    };
    Some(match n.tag_name().name() {
        "literal_component" => Component::Literal(text(n)),
        "object_component" => Component::Object {
            object_ref: required(p, "object_ref")?,
            item_field: required(p, "item_field")?,
        },
        "variable_component" => Component::Variable(required(p, "var_ref")?),
        "concat" => Component::Concat(parts(p)?),
        "arithmetic" => {
            let op = required(p, "arithmetic_operation")?;
            let add = match op.as_str() {
                "add" => true,
                "multiply" => false,
                _ => {
                    p.problem(n, format!("unknown arithmetic_operation \"{op}\""));
                    return None;
                }
            };
            Component::Arithmetic {
                add,
                parts: parts(p)?,
            }
        }
        "count" => Component::Count(parts(p)?),
        "unique" => Component::Unique(parts(p)?),
        "split" => Component::Split {
            delimiter: required(p, "delimiter")?,
            part: one(p)?,
        },
        "substring" => Component::Substring {
            start: int(p, "substring_start", 1)?,
            length: int(p, "substring_length", -1)?,
            part: one(p)?,
        },
        "regex_capture" => Component::RegexCapture {
            pattern: required(p, "pattern")?,
            part: one(p)?,
        },
        "escape_regex" => Component::EscapeRegex(one(p)?),
        "glob_to_regex" => Component::GlobToRegex(one(p)?),
        "begin" => Component::Begin {
            character: required(p, "character")?,
            part: one(p)?,
        },
        "end" => Component::End {
            character: required(p, "character")?,
            part: one(p)?,
        },
        other => Component::Unsupported(other.to_owned()),
    })
}
