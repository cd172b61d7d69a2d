//! OSV YAML to a JSON value, through yaml-rust2's event parser: plain scalars typed as YAML 1.2's
//! core schema does, except that a number is kept as text whenever a JSON number would not write
//! it back the same (`1.10`, `010`, `0x1f`), so no version string changes on the way; timestamps
//! stay strings; aliases are expanded under a node budget.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::Reason;

/// The most nodes one document may expand to (aliases included).
const MAX_NODES: usize = 1 << 20;

/// The deepest nesting accepted (serde_json's own limit for JSON), so that no later recursion
/// over the value can exhaust the stack.
const MAX_DEPTH: usize = 128;

/// Parses a YAML text holding one document into a JSON value.
pub fn to_json(text: &str) -> Result<Value, Reason> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| Reason::Yaml {
        line: e.marker().line(),
        message: e.info().to_owned(),
    })?;
    if let Some(err) = builder.error {
        return Err(err);
    }
    let mut docs = builder.docs.into_iter();
    match (docs.next(), docs.next()) {
        (Some(doc), None) => Ok(doc),
        (None, _) => Err(Reason::Document("empty YAML document".into())),
        (Some(_), Some(_)) => Err(Reason::Document(
            "several YAML documents in one file (one record per file)".into(),
        )),
    }
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(Map<String, Value>, Option<String>, usize),
}

#[derive(Default)]
struct Builder {
    docs: Vec<Value>,
    stack: Vec<Frame>,
    anchors: Vec<(usize, Value)>,
    nodes: usize,
    error: Option<Reason>,
}

impl Builder {
    fn insert(&mut self, value: Value, anchor: usize, size: usize) {
        if self.error.is_some() {
            return;
        }
        self.nodes += size;
        if self.nodes > MAX_NODES {
            self.error = Some(Reason::Document(format!(
                "the YAML document expands to more than {MAX_NODES} nodes"
            )));
            return;
        }
        if anchor > 0 {
            self.anchors.push((anchor, value.clone()));
        }
        match self.stack.last_mut() {
            None => self.docs.push(value),
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(entries, key, _)) => match key.take() {
                None => *key = Some(key_text(value)),
                Some(k) => {
                    entries.insert(k, value);
                }
            },
        }
    }
}

/// A mapping key as text (OSV keys are strings; other scalars are written as JSON writes them).
fn key_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let value = if style == TScalarStyle::Plain && tag.is_none() {
                    plain_scalar(text)
                } else {
                    Value::String(text)
                };
                self.insert(value, anchor, 1);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.error.get_or_insert(Reason::Document(format!(
                    "the YAML document nests deeper than {MAX_DEPTH} levels"
                )));
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(Vec::new(), anchor)),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map(Map::new(), None, anchor)),
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Seq(items, anchor)) => self.insert(Value::Array(items), anchor, 1),
                Some(Frame::Map(entries, _, anchor)) => {
                    self.insert(Value::Object(entries), anchor, 1)
                }
                None => {}
            },
            Event::Alias(_) if self.error.is_some() => {}
            Event::Alias(id) => match self.anchors.iter().rev().find(|(a, _)| *a == id) {
                Some((_, value)) => {
                    // Counted before it is copied, so a bomb stops before it takes memory.
                    let size = count_nodes(value);
                    if self.nodes + size > MAX_NODES {
                        self.insert(Value::Null, 0, size);
                    } else {
                        let value = value.clone();
                        self.insert(value, 0, size);
                    }
                }
                None => {
                    self.error.get_or_insert(Reason::Yaml {
                        line: mark.line(),
                        message: "alias to an unknown anchor".into(),
                    });
                }
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

fn count_nodes(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Object(m) => 1 + m.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// A plain scalar typed by the core schema, a number only when JSON writes it back identically.
fn plain_scalar(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit());
    if numeric {
        if let Ok(i) = text.parse::<i64>() {
            if i.to_string() == text {
                return Value::Number(Number::from(i));
            }
        } else if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            if n.to_string() == text {
                return Value::Number(n);
            }
        }
    }
    Value::String(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_keep_their_text_unless_json_writes_them_back_the_same() {
        let v = to_json(
            "a: [1.0, 1.10, 010, 2, -3, 0x1f, 1e3, .inf, 2023-11-07T20:24:23Z, null, ~, true, 'x', \"1.0\"]\nb: {c: d}\n",
        )
        .expect("parses");
        assert_eq!(
            v,
            json!({"a": [1.0, "1.10", "010", 2, -3, "0x1f", "1e3", ".inf", "2023-11-07T20:24:23Z",
                         null, null, true, "x", "1.0"], "b": {"c": "d"}})
        );
    }

    #[test]
    fn documents_errors_and_alias_bombs() {
        assert!(matches!(to_json(""), Err(Reason::Document(_))));
        assert!(matches!(
            to_json("a: 1\n---\nb: 2\n"),
            Err(Reason::Document(_))
        ));
        assert!(matches!(to_json("a: [1, 2\n"), Err(Reason::Yaml { .. })));
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(to_json(&bomb), Err(Reason::Document(_))));
        let deep = |n: usize| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert!(to_json(&deep(100)).is_ok());
        assert!(matches!(to_json(&deep(200)), Err(Reason::Document(_))));
        assert!(to_json(&deep(100_000)).is_err());
        assert_eq!(
            to_json("a: &x {b: 1}\nc: *x\n").expect("alias"),
            json!({"a": {"b": 1}, "c": {"b": 1}})
        );
    }
}
