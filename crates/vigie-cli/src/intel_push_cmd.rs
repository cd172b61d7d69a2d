//! `vigie intel push URL --collection C FILE`: a STIX bundle's objects (or an envelope's, or a
//! list of objects) POSTed to the collection as TAXII envelopes no larger than the API root's
//! `max_content_length`, each status polled until complete (up to `--wait` seconds) and
//! printed: counts, then one line per failed or pending object. Exit 0 when every object was
//! accepted, 1 when some failed, 2 on errors.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use clap::Args;
use serde_json::Value;
use vigie_intel::read_limited;
use vigie_taxii_client::{Status, TaxiiError};

use crate::intel_cmd::{count, import_error};
use crate::taxii_args::{taxii_error, TaxiiArgs};

#[derive(Args, Debug)]
pub struct PushArgs {
    #[command(flatten)]
    pub taxii: TaxiiArgs,
    /// A STIX 2.1 bundle, a TAXII envelope or a JSON list of STIX objects.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// How long to poll a status the server still says is pending, in seconds (0: not at all).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub wait: u64,
    /// Largest file read, in MB.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    pub max_size: u64,
}

pub fn run(args: PushArgs) -> Result<ExitCode> {
    let bytes = read_limited(&args.file, args.max_size.saturating_mul(1024 * 1024))
        .map_err(import_error)?;
    let doc: Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not JSON", args.file.display()))?;
    let objects = stix_objects(doc).ok_or_else(|| {
        anyhow!(
            "{} holds no STIX objects (expected a bundle, an envelope or a list of objects)",
            args.file.display()
        )
    })?;
    let conn = args.taxii.connect()?;
    conn.require_write()?;
    let root = conn.client.api_root(&conn.api_root).map_err(taxii_error)?;
    let url = format!(
        "{}collections/{}/objects/",
        conn.api_root, conn.collection.id
    );
    let batches = envelopes(&objects, root.max_content_length).map_err(|(id, size)| {
        taxii_error(TaxiiError::BodyTooLarge {
            url: format!("{url} (object {id})"),
            size,
            limit: root.max_content_length,
        })
    })?;
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for batch in batches {
        let status = conn
            .client
            .add_objects(&conn.api_root, &conn.collection.id, batch)
            .map_err(taxii_error)?;
        let status = if args.wait > 0 {
            conn.client
                .wait_for(
                    &conn.api_root,
                    status,
                    Duration::from_millis(500),
                    Duration::from_secs(args.wait),
                )
                .map_err(taxii_error)?
        } else {
            status
        };
        failed += status.failure_count;
        write_status(&mut out, &url, &status)?;
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The objects of a bundle or envelope (`objects`), of a list, or one object.
fn stix_objects(doc: Value) -> Option<Vec<Value>> {
    match doc {
        Value::Array(items) => Some(items),
        Value::Object(mut map) => match map.remove("objects") {
            Some(Value::Array(items)) => Some(items),
            Some(_) => None,
            None if map.contains_key("type") && map.contains_key("id") => {
                Some(vec![Value::Object(map)])
            }
            None => None,
        },
        _ => None,
    }
    .filter(|items| !items.is_empty())
}

/// The objects cut into runs whose envelope stays within `limit` bytes; `Err((id, size))`
/// names an object too large to send at all.
fn envelopes(objects: &[Value], limit: u64) -> Result<Vec<&[Value]>, (String, u64)> {
    const ENVELOPE: u64 = r#"{"objects":[]}"#.len() as u64;
    let mut runs = Vec::new();
    let (mut start, mut size) = (0, ENVELOPE);
    for (i, o) in objects.iter().enumerate() {
        let own = u64::try_from(o.to_string().len()).unwrap_or(u64::MAX);
        if ENVELOPE + own > limit {
            let id = o.get("id").and_then(Value::as_str).unwrap_or("without id");
            return Err((id.to_owned(), ENVELOPE + own));
        }
        let comma = u64::from(i > start);
        if size + comma + own > limit {
            runs.push(&objects[start..i]);
            (start, size) = (i, ENVELOPE + own);
        } else {
            size += comma + own;
        }
    }
    if start < objects.len() {
        runs.push(&objects[start..]);
    }
    Ok(runs)
}

fn write_status(out: &mut impl Write, url: &str, s: &Status) -> std::io::Result<()> {
    writeln!(
        out,
        "{url}: status {} {}: {}, {} succeeded, {} failed, {} pending",
        s.id,
        s.status,
        count(
            usize::try_from(s.total_count).unwrap_or(usize::MAX),
            "object"
        ),
        s.success_count,
        s.failure_count,
        s.pending_count
    )?;
    for (what, details) in [("failed", &s.failures), ("pending", &s.pendings)] {
        for d in details {
            writeln!(
                out,
                "  {what}: {} (version {}){}",
                d.id,
                d.version,
                d.message
                    .as_deref()
                    .map_or(String::new(), |m| format!(": {m}"))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelopes_stay_under_the_limit() {
        let objects: Vec<Value> = (0..5).map(|i| json!({"id": format!("x--{i}")})).collect();
        let one = objects[0].to_string().len() as u64;
        let envelope = r#"{"objects":[]}"#.len() as u64;
        let runs = envelopes(&objects, envelope + 2 * one + 1).unwrap_or_default();
        assert_eq!(runs.iter().map(|r| r.len()).collect::<Vec<_>>(), [2, 2, 1]);
        for r in &runs {
            assert!(json!({"objects": r}).to_string().len() as u64 <= envelope + 2 * one + 1);
        }
        assert_eq!(envelopes(&objects, 1 << 20).unwrap_or_default().len(), 1);
        assert_eq!(
            envelopes(&objects, envelope + one - 1),
            Err(("x--0".to_owned(), envelope + one))
        );
    }

    #[test]
    fn objects_come_from_bundles_envelopes_lists_and_single_objects() {
        let o = json!({"type": "indicator", "id": "indicator--1"});
        for doc in [
            json!({"type": "bundle", "id": "bundle--1", "objects": [o.clone()]}),
            json!({"objects": [o.clone()]}),
            json!([o.clone()]),
            o.clone(),
        ] {
            assert_eq!(stix_objects(doc), Some(vec![o.clone()]));
        }
        assert_eq!(stix_objects(json!({"objects": []})), None);
        assert_eq!(stix_objects(json!({"a": 1})), None);
        assert_eq!(stix_objects(json!(3)), None);
    }
}
