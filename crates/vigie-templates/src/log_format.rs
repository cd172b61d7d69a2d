//! Loghub-style log formats: `<Date> <Time> <Level> <Component>: <Content>` names the fields of
//! a raw line; it becomes one anchored regular expression as the Loghub benchmark builds it
//! (each field a lazy group, the text between fields a regular expression in which each run of
//! spaces matches any run of whitespace: `\[<Pid>\]` for a bracketed field, `(\[<PID>\])?`
//! for an optional one), matched against the line with surrounding whitespace trimmed, and
//! `<Content>` is the message the miner reads.

use regex::Regex;

use crate::error::TemplateError;

/// A compiled log format.
#[derive(Debug, Clone)]
pub struct LogFormat {
    text: String,
    fields: Vec<String>,
    /// Capture group of each field (the text between fields may hold groups of its own).
    groups: Vec<usize>,
    content: usize,
    regex: Regex,
}

impl LogFormat {
    /// Compiles a format; it must name a `<Content>` field, and field names are letters,
    /// digits and `_`, each used once. The text between fields is a regular expression, as in
    /// Loghub's formats (`\[` for a bracket).
    pub fn parse(format: &str) -> Result<LogFormat, TemplateError> {
        let bad = |reason: String| TemplateError::BadLogFormat {
            format: format.to_owned(),
            reason,
        };
        let mut pattern = String::from("^");
        let mut fields: Vec<String> = Vec::new();
        let mut rest = format;
        loop {
            let (literal, field) = match rest.find('<') {
                Some(open) => match rest[open..].find('>') {
                    Some(close) => (&rest[..open], Some(&rest[open + 1..open + close])),
                    None => return Err(bad(format!("`<` at byte {open} is never closed"))),
                },
                None => (rest, None),
            };
            push_literal(&mut pattern, literal);
            let Some(name) = field else { break };
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(bad(format!(
                    "field name {name:?}: use letters, digits and `_` only"
                )));
            }
            if fields.iter().any(|f| f == name) {
                return Err(bad(format!("field <{name}> appears twice")));
            }
            fields.push(name.to_owned());
            pattern.push_str(&format!("(?P<f{}>.*?)", fields.len() - 1));
            rest = &rest[literal.len() + name.len() + 2..];
        }
        pattern.push('$');
        let content = fields
            .iter()
            .position(|f| f == "Content")
            .ok_or_else(|| bad("no <Content> field: name the message part <Content>".into()))?;
        let regex = Regex::new(&pattern).map_err(|e| {
            bad(format!(
                "the text between fields is a regular expression (write \\[ for a bracket): {}",
                e.to_string().lines().last().unwrap_or("invalid")
            ))
        })?;
        let groups = (0..fields.len())
            .map(|k| {
                let name = format!("f{k}");
                regex
                    .capture_names()
                    .position(|n| n == Some(name.as_str()))
                    .ok_or_else(|| {
                        bad(format!(
                            "field <{}> is swallowed by the text around it, which is a regular \
                             expression (write \\[ for a bracket)",
                            fields[k]
                        ))
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(LogFormat {
            text: format.to_owned(),
            fields,
            groups,
            content,
            regex,
        })
    }

    /// The format as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Field names in order.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// Every field of a line, in the format's order; `None` when the line does not match.
    pub fn split<'a>(&self, line: &'a str) -> Option<Vec<&'a str>> {
        let caps = self.regex.captures(line.trim())?;
        Some(
            self.groups
                .iter()
                .map(|&i| caps.get(i).map_or("", |m| m.as_str()))
                .collect(),
        )
    }

    /// The `<Content>` of a line; `line` is its 1-based number, for the error.
    pub fn content<'a>(&self, line: &'a str, number: u64) -> Result<&'a str, TemplateError> {
        self.regex
            .captures(line.trim())
            .and_then(|c| c.get(self.groups[self.content]))
            .map(|m| m.as_str())
            .ok_or_else(|| TemplateError::LineDoesNotMatch {
                line: number,
                format: self.text.clone(),
            })
    }
}

/// Text between fields, Loghub's way: a regular expression whose runs of spaces match any
/// run of whitespace.
fn push_literal(pattern: &mut String, literal: &str) {
    let mut spaces = false;
    for c in literal.chars() {
        if c == ' ' {
            if !spaces {
                pattern.push_str("\\s+");
            }
            spaces = true;
        } else {
            pattern.push(c);
            spaces = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_syslog_style_line() {
        let f = LogFormat::parse("<Date> <Time> <Level> <Component>: <Content>").expect("valid");
        let line = "081109 203615 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38 terminating";
        assert_eq!(
            f.split(line).expect("matches"),
            [
                "081109",
                "203615",
                "INFO",
                "dfs.DataNode$PacketResponder",
                "PacketResponder 1 for block blk_38 terminating"
            ]
        );
        assert_eq!(f.content("no colon here", 7).expect_err("must fail").to_string(),
            "line 7: does not match the log format \"<Date> <Time> <Level> <Component>: <Content>\"");
    }

    #[test]
    fn optional_bracketed_fields_as_in_loghub() {
        let f =
            LogFormat::parse(r"<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>")
                .expect("valid");
        let with = f.split("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown");
        assert_eq!(
            with.expect("matches"),
            [
                "Jun",
                "14",
                "15:16:01",
                "combo",
                "sshd(pam_unix)",
                "19939",
                "check pass; user unknown"
            ]
        );
        let without = f.split("Jun 14 15:16:01 combo kernel: Linux version 2.6.5  ");
        assert_eq!(without.expect("matches")[6], "Linux version 2.6.5");
    }

    #[test]
    fn rejects_bad_formats() {
        assert!(LogFormat::parse("<Date> <Msg>").is_err());
        assert!(LogFormat::parse("<Date> <Content").is_err());
        assert!(LogFormat::parse("<A> <A> <Content>").is_err());
        assert!(LogFormat::parse("\\[<Time>\\] <Content>").is_ok());
        let e = LogFormat::parse("[<Time>] <Content>").expect_err("an unclosed class");
        assert!(e.to_string().contains("write \\[ for a bracket"), "{e}");
    }
}
