//! JSON lines: one finding an object, a line each, in priority order.

use std::io::Write;

use crate::finding::Finding;

/// Writes each finding as one JSON object on its own line.
pub fn write_jsonl(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *out, f)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
