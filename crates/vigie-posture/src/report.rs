//! The standalone HTML report: one file, no external resources: the host's score and its parts,
//! the trend as an inline SVG chart, what changed since the previous run, and what fails now
//! (rules and vulnerable packages) by severity.

use crate::history::{changes, Failing, Run};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("—".to_owned(), |x| format!("{x:.0}"))
}

/// The score history as an SVG line chart (0-100), one point per run.
fn chart(runs: &[Run]) -> String {
    let (w, h, pad) = (640.0, 200.0, 30.0);
    let n = runs.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            w / 2.0
        } else {
            pad + (w - 2.0 * pad) * i as f64 / (n - 1) as f64
        }
    };
    let y = |s: f64| h - pad - (h - 2.0 * pad) * s.clamp(0.0, 100.0) / 100.0;
    let points: Vec<String> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{:.1},{:.1}", x(i), y(r.scores.score)))
        .collect();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"posture score history\">\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#fafafa\"/>"
    );
    for s in [0.0, 50.0, 100.0] {
        svg.push_str(&format!(
            "<line x1=\"{pad}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"4\" y=\"{:.1}\" font-size=\"10\">{s:.0}</text>",
            w - pad,
            y(s),
            y(s),
            y(s) + 3.0
        ));
    }
    svg.push_str(&format!(
        "<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"{}\"/>",
        points.join(" ")
    ));
    for (i, r) in runs.iter().enumerate() {
        svg.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1f5fa8\"><title>{}: {:.0}</title></circle>",
            x(i),
            y(r.scores.score),
            esc(&r.time),
            r.scores.score
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn rank(severity: &str) -> u8 {
    match severity.to_ascii_lowercase().as_str() {
        "critical" => 0,
        "high" => 1,
        "medium" | "moderate" => 2,
        "low" => 3,
        _ => 4,
    }
}

fn table(title: &str, items: &[&Failing]) -> String {
    let mut sorted: Vec<&&Failing> = items.iter().collect();
    sorted.sort_by_key(|f| (rank(&f.severity), f.key.clone()));
    let mut out = format!("<h2>{} ({})</h2>", esc(title), items.len());
    if items.is_empty() {
        out.push_str("<p>None.</p>");
        return out;
    }
    out.push_str("<table><tr><th>severity</th><th>what</th></tr>");
    for f in sorted {
        out.push_str(&format!(
            "<tr><td class=\"sev-{}\">{}</td><td>{}</td></tr>",
            rank(&f.severity),
            if f.severity.is_empty() {
                "unknown".to_owned()
            } else {
                esc(&f.severity)
            },
            esc(&f.label)
        ));
    }
    out.push_str("</table>");
    out
}

/// The report of a host's history (oldest run first); `None` without runs.
pub fn html(host: &str, runs: &[Run]) -> Option<String> {
    let last = runs.last()?;
    let changed = runs
        .len()
        .checked_sub(2)
        .and_then(|i| runs.get(i))
        .map(|prev| changes(&prev.failing, &last.failing));
    let rules: Vec<&Failing> = last
        .failing
        .iter()
        .filter(|f| f.key.starts_with("rule:"))
        .collect();
    let vulns: Vec<&Failing> = last
        .failing
        .iter()
        .filter(|f| f.key.starts_with("vuln:"))
        .collect();
    let mut body = format!(
        "<h1>Security posture of {}</h1><p class=\"score\">Score <strong id=\"score\">{:.0}</strong> / 100 \
         (compliance {}, vulnerabilities {}) on {}</p>",
        esc(host),
        last.scores.score,
        fmt(last.scores.compliance),
        fmt(last.scores.vulnerabilities),
        esc(&last.time)
    );
    if let Some(first) = runs.first().filter(|_| runs.len() > 1) {
        let delta = last.scores.score - first.scores.score;
        body.push_str(&format!(
            "<p>Since {}: {:+.0} points over {} runs.</p>",
            esc(&first.time),
            delta,
            runs.len()
        ));
    }
    body.push_str(&chart(runs));
    if let Some(c) = &changed {
        body.push_str(&format!(
            "<p id=\"changes\">Since the previous run: {} fixed, {} new, {} still failing.</p>",
            c.fixed.len(),
            c.new.len(),
            c.still.len()
        ));
    }
    body.push_str(&table("Failing rules", &rules));
    body.push_str(&table("Vulnerable packages", &vulns));
    Some(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigie posture: {}</title>\
         <style>body{{font-family:sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left}}.score strong{{font-size:2em}}\
         .sev-0,.sev-1{{color:#a00;font-weight:bold}}.sev-2{{color:#a60}}</style></head><body>{body}\
         <p><small>Vigie posture report; score formula in Vigie's README.</small></p></body></html>\n",
        esc(host)
    ))
}
