//! The table: findings grouped by package (ecosystem, name, version and file on a heading line,
//! the installed binary packages after it), the most urgent group first; one row an advisory
//! with severity, id, aliases, the smallest upgrade, KEV / EPSS and the summary.

use std::io::Write;

use crate::finding::{Finding, Status};
use crate::format::upgrade;

const HEAD: [&str; 6] = [
    "SEVERITY", "ADVISORY", "ALIASES", "UPGRADE", "PRIORITY", "SUMMARY",
];

fn cells(f: &Finding) -> [String; 6] {
    let severity = match (&f.status, &f.severity) {
        (Status::NotEvaluated, _) => "not evaluated".to_owned(),
        (_, Some(s)) => match s.score {
            Some(score) => format!("{} {score:.1}", s.severity),
            None => s.severity.to_string(),
        },
        (_, None) => "unknown".to_owned(),
    };
    let mut priority = Vec::new();
    if f.kev {
        priority.push("KEV".to_owned());
    }
    if let Some(e) = f.epss {
        priority.push(format!("EPSS {:.2}%", e.score * 100.0));
    }
    let summary = match (&f.status, &f.reason) {
        (Status::NotEvaluated, Some(r)) => r.clone(),
        _ => f.summary.clone().unwrap_or_default(),
    };
    let dash = |s: String| if s.is_empty() { "-".to_owned() } else { s };
    [
        severity,
        f.advisory_id.clone(),
        dash(f.aliases.join(", ")),
        upgrade(f).to_owned(),
        dash(priority.join(" ")),
        dash(summary),
    ]
}

/// Writes the findings (in priority order) as a table grouped by package.
pub fn write_table(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    let mut groups: Vec<(&Finding, Vec<[String; 6]>)> = Vec::new();
    for f in findings {
        let same = |g: &&Finding| {
            (&g.ecosystem, &g.package, &g.version, &g.source)
                == (&f.ecosystem, &f.package, &f.version, &f.source)
        };
        match groups.iter_mut().find(|(g, _)| same(g)) {
            Some((_, rows)) => rows.push(cells(f)),
            None => groups.push((f, vec![cells(f)])),
        }
    }
    let mut width = HEAD.map(str::len);
    for row in groups.iter().flat_map(|(_, rows)| rows) {
        for (w, c) in width.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, row: [&str; 6]| -> std::io::Result<()> {
        let mut s = String::from("  ");
        for (i, c) in row.iter().enumerate() {
            s.push_str(c);
            if i + 1 < row.len() {
                s.push_str(&" ".repeat(width[i] + 2 - c.chars().count()));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, HEAD)?;
    for (g, rows) in &groups {
        let mut heading = format!(
            "{} {} {}  ({})",
            g.ecosystem,
            g.package,
            g.version,
            g.source.display()
        );
        if !g.binaries.is_empty() {
            heading.push_str(&format!("  installed: {}", g.binaries.join(", ")));
        }
        writeln!(out, "{heading}")?;
        for r in rows {
            line(out, [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]])?;
        }
    }
    Ok(())
}
