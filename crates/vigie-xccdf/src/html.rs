//! The standalone HTML report of a profile's results: one file, no external resources; the
//! score and counts per result, then the failing rules by severity with the content's fix text (shown, never
//! run), then every other result.

use crate::eval::RuleResult;
use crate::score::Score;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rank(severity: &str) -> u8 {
    match severity {
        "high" => 0,
        "medium" => 1,
        "low" => 2,
        _ => 3,
    }
}

/// The report of `results` and their `score`; `what` names the content and profile in the
/// title.
pub fn html(results: &[RuleResult], score: &Score, what: &str) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in results {
        *counts.entry(r.result.as_str()).or_default() += 1;
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(k, v)| format!("<li><span class=\"r-{k}\">{k}</span>: {v}</li>"))
        .collect();
    let mut failing: Vec<&RuleResult> = results.iter().filter(|r| r.result == "fail").collect();
    failing.sort_by_key(|r| (rank(&r.severity), r.rule_id.clone()));
    let mut body = format!(
        "<h1>Configuration audit</h1><p>{}</p><p id=\"score\">Score: <b>{:.2}</b> of {:.0} <small>({})</small></p><ul id=\"counts\">{}</ul><h2>Failing rules ({})</h2>",
        esc(what),
        score.score,
        score.maximum,
        esc(score.system),
        summary.join(""),
        failing.len()
    );
    for r in &failing {
        body.push_str(&format!(
            "<section class=\"fail\"><h3><span class=\"sev-{}\">{}</span> {}</h3><p><code>{}</code></p>{}</section>",
            rank(&r.severity),
            esc(if r.severity.is_empty() { "unknown" } else { &r.severity }),
            esc(&r.title),
            esc(&r.rule_id),
            r.fix
                .as_deref()
                .map_or(String::new(), |f| format!("<pre class=\"fix\">{}</pre>", esc(f)))
        ));
    }
    body.push_str(
        "<h2>All results</h2><table><tr><th>result</th><th>severity</th><th>rule</th></tr>",
    );
    for r in results {
        body.push_str(&format!(
            "<tr><td class=\"r-{}\">{}</td><td>{}</td><td>{} <small>{}</small></td></tr>",
            esc(&r.result),
            esc(&r.result),
            esc(&r.severity),
            esc(&r.title),
            esc(&r.rule_id)
        ));
    }
    body.push_str("</table>");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigie configuration audit</title>\
         <style>body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left}}.r-fail,.sev-0{{color:#a00;font-weight:bold}}\
         .r-pass{{color:#060}}.sev-1{{color:#a60}}pre.fix{{background:#f4f4f4;padding:.5em;white-space:pre-wrap}}</style>\
         </head><body>{body}<p><small>Fix texts come from the content and are shown, never run.</small></p></body></html>\n"
    )
}
