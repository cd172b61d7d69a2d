//! `vigie intel sync URL --collection C`: the collection's objects added since the last sync
//! (the store remembers the server's last `date_added` per source, API root and collection)
//! fetched page by page and imported as one source. Objects are imported in batches of at
//! most `BATCH_BYTES` of responses, the position saved after each; a failing request stops
//! the sync after importing what came before it. The report goes to stdout, problems to
//! stderr; exit 0, 1 when objects were reported and skipped, 2 on errors.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde_json::Value;
use vigie_intel::{import_stix, ImportReport, SourceInfo, SourceSpec, Store};
use vigie_taxii_client::{host_of, ObjectQuery};

use crate::intel_cmd::{count, import_error, store_error, write_counts, SourceDefaults, StoreArgs};
use crate::taxii_args::{taxii_error, Connection, TaxiiArgs};
use crate::ui::paint;

/// Response bytes gathered before they are imported and the position saved.
const BATCH_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Args, Debug)]
pub struct SyncArgs {
    #[command(flatten)]
    pub taxii: TaxiiArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    /// The source's name in the store (default: the server's host and port).
    #[arg(long, value_name = "NAME")]
    pub source_name: Option<String>,
    #[command(flatten)]
    pub defaults: SourceDefaults,
    /// Objects asked for per request (the server may send fewer).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// Fetch everything again, not only what was added since the last sync.
    #[arg(long)]
    pub full: bool,
}

/// What one sync fetched, over all its batches.
struct Fetched {
    pages: usize,
    objects: usize,
    last_added: Option<String>,
    report: ImportReport,
}

pub fn run(args: SyncArgs) -> Result<ExitCode> {
    let now = args.store.now()?;
    let conn = args.taxii.connect()?;
    conn.require_read()?;
    let mut store = args.store.open()?;
    let spec = args.defaults.spec(
        args.source_name
            .clone()
            .or_else(|| host_of(&args.taxii.url))
            .unwrap_or_else(|| "taxii".into()),
    );
    let source = store.ensure_source(&spec, now).map_err(store_error)?;
    let since = if args.full {
        None
    } else {
        store
            .taxii_last_added(&source, &conn.api_root, &conn.collection.id)
            .map_err(store_error)?
    };
    let query = ObjectQuery {
        added_after: since.clone(),
        limit: Some(args.limit),
        ..ObjectQuery::default()
    };
    let mut fetched = Fetched {
        pages: 0,
        objects: 0,
        last_added: None,
        report: ImportReport::new(&source.name),
    };
    let outcome = fetch(&conn, &query, &mut store, &spec, &source, now, &mut fetched);
    for p in &fetched.report.problems {
        eprintln!("{} {p}", paint("warning:", "1;33"));
    }
    let mut out = std::io::stdout().lock();
    let tlp = store
        .source(&spec.name)
        .map_err(store_error)?
        .map_or(vigie_intel::FALLBACK_TLP, |s| s.default_tlp);
    writeln!(
        out,
        "{}collections/{}/: collection {:?}, source {:?} (default TLP {tlp})",
        conn.api_root, conn.collection.id, conn.collection.title, spec.name
    )?;
    writeln!(
        out,
        "  {} added since {}, in {}{}",
        count(fetched.objects, "object"),
        since.as_deref().unwrap_or("the start (first sync)"),
        count(fetched.pages, "page"),
        fetched
            .last_added
            .as_deref()
            .map_or(String::new(), |t| format!("; the last added at {t}"))
    )?;
    if fetched.objects > 0 {
        write_counts(&mut out, &fetched.report)?;
    }
    outcome?;
    if fetched.objects > 0 && fetched.last_added.is_none() {
        eprintln!(
            "{} the server sent no X-TAXII-Date-Added-Last header: the next sync fetches everything again",
            paint("warning:", "1;33")
        );
    }
    Ok(if fetched.report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Walks the pages, importing each batch and saving the position after it.
fn fetch(
    conn: &Connection,
    query: &ObjectQuery,
    store: &mut Store,
    spec: &SourceSpec,
    source: &SourceInfo,
    now: chrono::DateTime<chrono::Utc>,
    fetched: &mut Fetched,
) -> Result<()> {
    let mut batch: Vec<Value> = Vec::new();
    let mut batch_bytes = 0u64;
    let mut batch_last: Option<String> = None;
    let mut flush =
        |batch: &mut Vec<Value>, last: Option<String>, fetched: &mut Fetched| -> Result<()> {
            if !batch.is_empty() {
                let origin = format!(
                    "{}collections/{}/objects/",
                    conn.api_root, conn.collection.id
                );
                let content = Value::Array(std::mem::take(batch));
                let report =
                    import_stix(store, spec, &content, &origin, now).map_err(import_error)?;
                fetched.report.absorb(report);
            }
            if let Some(last) = last {
                store
                    .set_taxii_last_added(source, &conn.api_root, &conn.collection.id, &last, now)
                    .map_err(store_error)?;
                fetched.last_added = Some(last);
            }
            Ok(())
        };
    for page in conn
        .client
        .object_pages(&conn.api_root, &conn.collection.id, query)
    {
        let page = match page {
            Ok(p) => p,
            Err(e) => {
                flush(&mut batch, batch_last.take(), fetched)?;
                return Err(taxii_error(e));
            }
        };
        fetched.pages += 1;
        fetched.objects += page.items.len();
        batch_bytes += page.size;
        batch.extend(page.items);
        if page.date_added_last.is_some() {
            batch_last = page.date_added_last;
        }
        if batch_bytes >= BATCH_BYTES {
            flush(&mut batch, batch_last.take(), fetched)?;
            batch_bytes = 0;
        }
    }
    flush(&mut batch, batch_last.take(), fetched)
}
