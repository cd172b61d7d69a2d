//! The hunt summary, for stderr: files, events, detections by level, top rules, errors.

use std::io::{self, Write};

use vigie_hunt::HuntReport;

/// Writes the summary; `top` limits the rule list.
pub fn write_summary(out: &mut dyn Write, report: &HuntReport, top: usize) -> io::Result<()> {
    let s = &report.summary;
    writeln!(out, "Hunt summary")?;
    writeln!(out, "  files read:     {}", s.files)?;
    writeln!(out, "  events:         {}", s.events)?;
    if s.events_outside_window > 0 {
        writeln!(out, "  outside window: {}", s.events_outside_window)?;
    }
    let levels = ["critical", "high", "medium", "low", "informational"]
        .iter()
        .filter_map(|l| s.by_level.get(*l).map(|n| format!("{l} {n}")))
        .collect::<Vec<_>>()
        .join(", ");
    writeln!(
        out,
        "  detections:     {}{}",
        s.detections,
        if levels.is_empty() {
            String::new()
        } else {
            format!(" ({levels})")
        }
    )?;
    if !s.top_rules.is_empty() {
        writeln!(out, "  top rules:")?;
        for (title, _id, n) in s.top_rules.iter().take(top) {
            writeln!(out, "    {n:>6}  {title}")?;
        }
        if s.top_rules.len() > top {
            writeln!(out, "    ... and {} more rules", s.top_rules.len() - top)?;
        }
    }
    if !s.repeated.is_empty() {
        writeln!(out, "  repeated identical detections:")?;
        for r in s.repeated.iter().take(top) {
            let span = match (r.first, r.last) {
                (Some(f), Some(l)) => {
                    format!(" from {} to {}", crate::rfc3339(&f), crate::rfc3339(&l))
                }
                _ => String::new(),
            };
            // One line per detection: a value's line breaks and tabs as spaces, as the
            // table shows them.
            let matched: String = r
                .matched
                .chars()
                .take(80)
                .map(|c| {
                    if matches!(c, '\n' | '\r' | '\t') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            writeln!(
                out,
                "    {:>6}  {} on {}{span}: {matched}",
                r.count,
                r.rule_title,
                r.computer.as_deref().unwrap_or("-")
            )?;
        }
    }
    if s.repeat_ungrouped > 0 {
        writeln!(
            out,
            "  note: {} detections were not grouped for repeats ({} distinct ones were followed)",
            s.repeat_ungrouped,
            vigie_hunt::MAX_REPEAT_GROUPS
        )?;
    }
    if let Some(e) = &s.spill_error {
        writeln!(out, "  warning: {e}")?;
    }
    for (rule, why, n) in &s.silenced {
        writeln!(out, "  silenced:       {n} of rule {rule} ({why})")?;
    }
    if s.correlation_capped > 0 {
        writeln!(
            out,
            "  warning: correlation state reached its cap; {} hits were dropped (raise --correlation-max-groups)",
            s.correlation_capped
        )?;
    }
    if s.correlation_untimed > 0 {
        writeln!(
            out,
            "  note: {} hits of correlated rules had no time and were not correlated",
            s.correlation_untimed
        )?;
    }
    writeln!(out, "  errors:         {}", s.errors)?;
    for e in report.errors.iter().take(20) {
        writeln!(out, "    {e}")?;
        if let Some(h) = &e.hint {
            writeln!(out, "      hint: {h}")?;
        }
    }
    if report.errors.len() > 20 {
        writeln!(
            out,
            "    ... and {} more (see --errors FILE)",
            report.errors.len() - 20
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_hunt::Repeated;

    #[test]
    fn repeated_detections_stay_on_one_line_each() {
        let mut report = HuntReport::default();
        report.summary.repeated.push(Repeated {
            rule_title: "Password Policy Enumerated".into(),
            computer: Some("dc1".into()),
            matched: "EventID=4661 AccessList=%%1537\r\n\t\t%%1538\n".into(),
            count: 23,
            first: None,
            last: None,
        });
        let mut out = Vec::new();
        write_summary(&mut out, &report, 10).expect("writes to memory");
        insta::assert_snapshot!(String::from_utf8_lossy(&out));
    }
}
