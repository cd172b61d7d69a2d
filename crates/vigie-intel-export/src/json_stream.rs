//! Writing large JSON documents without holding them: an object whose fields are small and
//! whose one list is long (a bundle's `objects`, a MISP event's `Attribute`) is written field by
//! field and item by item, laid out as `serde_json`'s pretty printer lays out the whole value.

use std::io::{self, Write};

use serde_json::{Map, Value};

/// Writes `v` pretty-printed; lines after the first are indented by `indent` spaces.
fn write_value(out: &mut dyn Write, v: &Value, indent: usize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(v).map_err(io::Error::other)?;
    let pad = " ".repeat(indent);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            out.write_all(pad.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// Writes `{fields..., "list_key": [items...]}` at `indent` (the opening brace where the
/// cursor is), the items one at a time.
pub fn write_object_with_list(
    out: &mut dyn Write,
    fields: &Map<String, Value>,
    list_key: &str,
    items: impl Iterator<Item = Value>,
    indent: usize,
) -> io::Result<()> {
    let pad = " ".repeat(indent + 2);
    out.write_all(b"{")?;
    for (k, v) in fields {
        write!(out, "\n{pad}{}: ", Value::from(k.as_str()))?;
        write_value(out, v, indent + 2)?;
        out.write_all(b",")?;
    }
    write!(out, "\n{pad}{}: [", Value::from(list_key))?;
    let item_pad = " ".repeat(indent + 4);
    let mut first = true;
    for item in items {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        out.write_all(item_pad.as_bytes())?;
        write_value(out, &item, indent + 4)?;
    }
    if !first {
        write!(out, "\n{pad}")?;
    }
    write!(out, "]\n{}}}", " ".repeat(indent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_as_the_pretty_printer() {
        for items in [
            vec![],
            vec![
                serde_json::json!({"a": [1, {"b": "c"}]}),
                serde_json::json!(2),
            ],
        ] {
            let mut fields = Map::new();
            fields.insert("type".into(), "bundle".into());
            fields.insert("tags".into(), serde_json::json!([{"name": "x"}]));
            let mut whole = fields.clone();
            whole.insert("objects".into(), Value::Array(items.clone()));
            let wrapped = serde_json::json!({ "Event": whole });
            let mut streamed = b"{\n  \"Event\": ".to_vec();
            write_object_with_list(&mut streamed, &fields, "objects", items.into_iter(), 2)
                .expect("write");
            streamed.extend_from_slice(b"\n}");
            let pretty = serde_json::to_string_pretty(&wrapped).expect("pretty");
            assert_eq!(String::from_utf8_lossy(&streamed), pretty);
        }
    }
}
