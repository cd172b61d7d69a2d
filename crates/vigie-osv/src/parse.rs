//! Reading one record from the bytes of a `.json`, `.yaml` or `.yml` file; the error names the
//! file and the reason.

use serde_json::Value;

use crate::error::{OsvError, Reason};
use crate::record::Record;
use crate::yaml;

/// A record file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// The format a file name says (`.json`, `.yaml`, `.yml`, any case).
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1;
        if ext.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") {
            Some(Format::Yaml)
        } else {
            None
        }
    }
}

/// Reads a record from a file's bytes, in the format its name says.
pub fn parse_file(file: &str, bytes: &[u8]) -> Result<Record, OsvError> {
    match Format::of_name(file) {
        Some(format) => parse(file, bytes, format),
        None => Err(OsvError::new(file, Reason::UnknownFormat)),
    }
}

/// Reads a record from bytes in a given format; `file` names it in errors.
pub fn parse(file: &str, bytes: &[u8], format: Format) -> Result<Record, OsvError> {
    parse_value(file, bytes, format).map(|(record, _)| record)
}

/// Reads a record and the JSON document it was read from (YAML converted).
pub fn parse_value(file: &str, bytes: &[u8], format: Format) -> Result<(Record, Value), OsvError> {
    let fail = |reason| OsvError::new(file, reason);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        fail(Reason::NotUtf8 {
            offset: e.valid_up_to(),
        })
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| {
            fail(Reason::Json {
                line: e.line(),
                column: e.column(),
                message: json_message(&e),
            })
        })?,
        Format::Yaml => yaml::to_json(text).map_err(fail)?,
    };
    let record = record_from_value(&value).map_err(|m| fail(Reason::Shape(m)))?;
    Ok((record, value))
}

/// The record a JSON document describes.
pub fn record_from_value(value: &Value) -> Result<Record, String> {
    if !value.is_object() {
        return Err(format!("expected an object, found {}", kind(value)));
    }
    let record = Record::deserialize_from(value).map_err(|e| e.to_string())?;
    if record.id.trim().is_empty() {
        return Err("the id is empty".into());
    }
    Ok(record)
}

impl Record {
    fn deserialize_from(value: &Value) -> Result<Record, serde_json::Error> {
        serde::Deserialize::deserialize(value)
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// serde_json's message without its " at line L column C" tail (the reason has them).
fn json_message(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m,
    }
}
