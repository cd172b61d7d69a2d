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
    /// The text before, between and after the fields, when it is plain text and spaces (no
    /// regular-expression syntax but `\\` escapes of punctuation) and the format ends with a
    /// field: lines are then cut by a scan, which finds what the regex finds.
    plain: Option<Vec<Vec<Part>>>,
}

/// A piece of plain text between fields.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    /// One run of whitespace, as long as it goes (`\s+`).
    Space,
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
        let mut literals: Vec<Option<Vec<Part>>> = Vec::new();
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
            literals.push(plain_parts(literal));
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
        let ends_with_field = literals
            .last()
            .is_some_and(|l| l.as_ref().is_some_and(Vec::is_empty));
        let plain = ends_with_field
            .then(|| literals.into_iter().collect::<Option<Vec<_>>>())
            .flatten();
        Ok(LogFormat {
            text: format.to_owned(),
            fields,
            groups,
            content,
            regex,
            plain,
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
        if let Some(parts) = &self.plain {
            if let Some(c) = scan(parts, line.trim(), self.content) {
                return Ok(c);
            }
        }
        self.content_by_regex(line, number)
    }

    /// [`LogFormat::content`] through the regular expression alone (the scan's reference).
    #[doc(hidden)]
    pub fn content_by_regex<'a>(
        &self,
        line: &'a str,
        number: u64,
    ) -> Result<&'a str, TemplateError> {
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

/// The parts of a literal when it is plain: text, `\\` escapes of punctuation, runs of spaces.
fn plain_parts(literal: &str) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = literal.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' => {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                if parts.last() != Some(&Part::Space) {
                    parts.push(Part::Space);
                }
            }
            '\\' => match chars.next() {
                Some(e) if e.is_ascii_punctuation() => text.push(e),
                _ => return None,
            },
            '.' | '^' | '$' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' => {
                return None
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Some(parts)
}

/// The length of `parts` matched at the start of `s`, whitespace runs as long as they go.
fn match_at(parts: &[Part], s: &str) -> Option<usize> {
    let mut at = 0;
    for part in parts {
        match part {
            Part::Text(t) => {
                if !s[at..].starts_with(t.as_str()) {
                    return None;
                }
                at += t.len();
            }
            Part::Space => {
                let run: usize = s[at..]
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .map(char::len_utf8)
                    .sum();
                if run == 0 {
                    return None;
                }
                at += run;
            }
        }
    }
    Some(at)
}

/// Field `want` of a line, each field as short as the text after it allows and the last one
/// to the end (the regex's lazy groups); `None` when the scan does not match the whole line.
fn scan<'a>(literals: &[Vec<Part>], line: &'a str, want: usize) -> Option<&'a str> {
    let mut pos = match_at(&literals[0], line)?;
    let last = literals.len() - 2;
    let mut found = None;
    for (k, after) in literals[1..].iter().enumerate() {
        if k == last {
            // `after` is empty: the last field runs to the end of the line.
            let field = &line[pos..];
            return Some(if k == want { field } else { found? });
        }
        let (start, len) = (pos..=line.len())
            .filter(|i| line.is_char_boundary(*i))
            .find_map(|i| match_at(after, &line[i..]).map(|n| (i, n)))?;
        if k == want {
            found = Some(&line[pos..start]);
        }
        pos = start + len;
    }
    None
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
    fn the_scan_cuts_as_the_regex_does() {
        let formats = [
            "<Date> <Time> <Level> <Component>: <Content>",
            r"\[<Time>\] <Program> - <Content>",
            r"<Time>\|<Component>\|<Pid>\|<Content>",
            "<A>: <Content>",
            "<Content> - <Tail>",
            "x<A>y<Content>",
        ];
        let lines = [
            "a b c d: e f",
            "a  b\tc d:  e: f",
            "[12.30 10:00] chrome.exe - x - y",
            "[]  - ",
            "t|c|p|",
            "t|c|p|m|n",
            "a: b: c",
            ": ",
            "xyy",
            "x y yy z",
            "é  ü: ñ",
            "",
            "no match",
        ];
        for f in formats {
            let format = LogFormat::parse(f).expect("valid");
            assert!(format.plain.is_some(), "{f} is plain");
            for l in lines {
                assert_eq!(
                    format.content(l, 1).ok(),
                    format.content_by_regex(l, 1).ok(),
                    "{f} on {l:?}"
                );
            }
        }
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
