//! Variable values: constant values, external variables (no values are supplied, so they
//! are in error, as oscap without `--variables`), and local variables computed from their
//! components and functions (concat, arithmetic, count, unique, split, substring,
//! regex_capture, escape_regex, glob_to_regex, begin, end).

use std::rc::Rc;

use crate::eval::Evaluator;
use crate::item::Flag;
use crate::model::{Component, Datatype, VariableKind};

/// A variable's values, or why it has none that can be used.
#[derive(Debug, Default)]
pub struct Values {
    pub values: Vec<String>,
    pub error: Option<String>,
}

impl Evaluator<'_> {
    /// A variable's values (cached).
    pub(crate) fn variable(&mut self, id: &str) -> Rc<Values> {
        if let Some(v) = self.variables.get(id) {
            return v.clone();
        }
        let v = Rc::new(self.variable_uncached(id));
        if let Some(e) = &v.error {
            self.problem(id, e.clone());
        }
        self.variables.insert(id.to_owned(), v.clone());
        v
    }

    fn variable_uncached(&mut self, id: &str) -> Values {
        let doc = self.doc;
        let Some(var) = doc.variables.get(id) else {
            return Values {
                values: Vec::new(),
                error: Some("variable referenced but not defined (or malformed, see above)".into()),
            };
        };
        if !self.busy.insert(id.to_owned()) {
            return Values {
                values: Vec::new(),
                error: Some("variable refers to itself (reference cycle)".into()),
            };
        }
        let r = match &var.kind {
            VariableKind::External => match self.externals.get(id) {
                Some(values) => Ok(values.clone()),
                None => Err("external variable: no value was supplied".to_owned()),
            },
            VariableKind::Constant(v) => Ok(v.clone()),
            VariableKind::Local(c) => self.component(c, var.datatype),
        };
        self.busy.remove(id);
        match r {
            Ok(values) => Values {
                values,
                error: None,
            },
            Err(e) => Values {
                values: Vec::new(),
                error: Some(e),
            },
        }
    }

    fn component(&mut self, c: &Component, dt: Datatype) -> Result<Vec<String>, String> {
        Ok(match c {
            Component::Literal(s) => vec![s.clone()],
            Component::Object {
                object_ref,
                item_field,
            } => {
                let col = self.object(object_ref);
                if col.flag == Flag::Error {
                    return Err(format!("object {object_ref} could not be collected"));
                }
                col.items
                    .iter()
                    .flat_map(|i| i.values(item_field).map(str::to_owned).collect::<Vec<_>>())
                    .collect()
            }
            Component::Variable(v) => {
                let vals = self.variable(v);
                if let Some(e) = &vals.error {
                    return Err(format!("variable {v}: {e}"));
                }
                vals.values.clone()
            }
            Component::Concat(parts) => {
                let mut acc = vec![String::new()];
                for p in parts {
                    let vals = self.component(p, dt)?;
                    acc = acc
                        .iter()
                        .flat_map(|a| vals.iter().map(move |v| format!("{a}{v}")))
                        .collect();
                }
                acc
            }
            Component::Arithmetic { add, parts } => {
                let mut acc: Option<Vec<f64>> = None;
                for p in parts {
                    let mut nums = Vec::new();
                    for v in self.component(p, dt)? {
                        nums.push(
                            v.trim()
                                .parse::<f64>()
                                .map_err(|_| format!("arithmetic on \"{v}\", not a number"))?,
                        );
                    }
                    acc = Some(match acc {
                        None => nums,
                        Some(a) => a
                            .iter()
                            .flat_map(|x| {
                                nums.iter().map(move |y| if *add { x + y } else { x * y })
                            })
                            .collect(),
                    });
                }
                acc.unwrap_or_default()
                    .into_iter()
                    .map(|x| {
                        if dt == Datatype::Float {
                            x.to_string()
                        } else {
                            format!("{}", x as i64)
                        }
                    })
                    .collect()
            }
            Component::Count(parts) => {
                let mut n = 0;
                for p in parts {
                    n += self.component(p, dt)?.len();
                }
                vec![n.to_string()]
            }
            Component::Unique(parts) => {
                let mut out: Vec<String> = Vec::new();
                for p in parts {
                    for v in self.component(p, dt)? {
                        if !out.contains(&v) {
                            out.push(v);
                        }
                    }
                }
                out
            }
            Component::Split { delimiter, part } => self
                .component(part, dt)?
                .iter()
                .flat_map(|v| {
                    if delimiter.is_empty() {
                        vec![v.clone()]
                    } else {
                        v.split(delimiter.as_str()).map(str::to_owned).collect()
                    }
                })
                .collect(),
            Component::Substring {
                start,
                length,
                part,
            } => {
                let skip = usize::try_from((*start).max(1) - 1).unwrap_or(0);
                self.component(part, dt)?
                    .iter()
                    .map(|v| {
                        let rest = v.chars().skip(skip);
                        match usize::try_from(*length) {
                            Ok(n) => rest.take(n).collect(),
                            Err(_) => rest.collect(),
                        }
                    })
                    .collect()
            }
            Component::RegexCapture { pattern, part } => {
                let re = crate::compare::regex(pattern)
                    .ok_or_else(|| format!("regex_capture pattern \"{pattern}\" is not valid"))?;
                let mut out = Vec::new();
                for v in self.component(part, dt)? {
                    if let Ok(Some(caps)) = re.captures(&v) {
                        out.push(
                            caps.get(1)
                                .map(|m| m.as_str().to_owned())
                                .unwrap_or_default(),
                        );
                    }
                }
                out
            }
            Component::EscapeRegex(part) => self
                .component(part, dt)?
                .iter()
                .map(|v| escape_regex(v))
                .collect(),
            Component::GlobToRegex(part) => self
                .component(part, dt)?
                .iter()
                .map(|v| glob_to_regex(v))
                .collect(),
            Component::Begin { character, part } => self
                .component(part, dt)?
                .into_iter()
                .map(|v| {
                    if v.starts_with(character.as_str()) {
                        v
                    } else {
                        format!("{character}{v}")
                    }
                })
                .collect(),
            Component::End { character, part } => self
                .component(part, dt)?
                .into_iter()
                .map(|v| {
                    if v.ends_with(character.as_str()) {
                        v
                    } else {
                        format!("{v}{character}")
                    }
                })
                .collect(),
            Component::Unsupported(name) => {
                return Err(format!("the <{name}> function is not supported"))
            }
        })
    }
}

/// Escapes the characters that have a meaning in a Perl-compatible regular expression.
pub fn escape_regex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if "\\^$.[]|()?*+{}".contains(ch) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A shell glob as an anchored regular expression (`*` and `?` never match `/` or a leading
/// dot, as OVAL's glob_to_regex asks).
pub fn glob_to_regex(glob: &str) -> String {
    let mut out = String::from("^");
    let mut chars = glob.chars().peekable();
    let mut at_start = true;
    while let Some(ch) = chars.next() {
        match ch {
            '*' => out.push_str(if at_start { "(?=[^.])[^/]*" } else { "[^/]*" }),
            '?' => out.push_str(if at_start { "[^./]" } else { "[^/]" }),
            '[' => out.push('['),
            ']' => out.push(']'),
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push_str(&escape_regex(&n.to_string()));
                }
            }
            c => out.push_str(&escape_regex(&c.to_string())),
        }
        at_start = ch == '/';
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_regex("/etc/a.b"), "/etc/a\\.b");
        assert_eq!(glob_to_regex("/etc/*.conf"), "^/etc/(?=[^.])[^/]*\\.conf$");
        assert_eq!(glob_to_regex("a?b"), "^a[^/]b$");
    }
}
