//! The `textfilecontent54` probe: each match of the object's pattern in each file it names is
//! one item (instance numbered from 1), with the matched text and its subexpressions; the
//! `multiline` (default on) and `singleline` behaviors set the pattern's `m` and `s` flags.

use crate::item::{Item, Spec};
use crate::model::Object;
use crate::probes::paths::{host_path, Found};

/// The items of one file for every pattern value; `Err` when a pattern is not a valid
/// expression.
pub fn items(
    root: &std::path::Path,
    obj: &Object,
    f: &Found,
    pattern: &Spec,
    instance: Option<&Spec>,
    out: &mut Vec<Item>,
) -> Result<(), String> {
    let Ok(bytes) = std::fs::read(host_path(root, &f.filepath)) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&bytes);
    let on = |name: &str, default: bool| {
        obj.behaviors
            .get(name)
            .map(|v| v == "true" || v == "1")
            .unwrap_or(default)
    };
    let flags = format!(
        "(?{}{})",
        if on("multiline", true) { "m" } else { "" },
        if on("singleline", false) { "s" } else { "" }
    );
    for p in &pattern.values {
        let full = if flags == "(?)" {
            p.clone()
        } else {
            format!("{flags}{p}")
        };
        let re = crate::compare::regex(&full)
            .ok_or_else(|| format!("pattern \"{p}\" is not a valid regular expression"))?;
        for (n, caps) in re.captures_iter(&text).enumerate() {
            let caps = caps.map_err(|e| format!("pattern \"{p}\": {e}"))?;
            let inst = (n + 1).to_string();
            if let Some(i) = instance {
                if !i.matches(&inst) {
                    continue;
                }
            }
            let mut it = Item::default()
                .with("filepath", f.filepath.clone())
                .with("path", f.path())
                .with("filename", f.filename().unwrap_or_default())
                .with("pattern", p.clone())
                .with("instance", inst)
                .with("text", caps.get(0).map(|m| m.as_str()).unwrap_or(""));
            for g in caps.iter().skip(1) {
                it.push("subexpression", g.map(|m| m.as_str()).unwrap_or(""));
            }
            out.push(it);
        }
    }
    Ok(())
}
