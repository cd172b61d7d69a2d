//! `vigie templates FILE... [--format csv|jsonl] [--store DIR] [--log-format FORMAT]`: log
//! template mining (`vigie-templates`). Per input line on stdout: line number (and file when
//! several are given), template id, the final template of its group, and whether the line
//! created a template the store did not know. Lines the log format does not match and files
//! that cannot be read are reported on stderr (exit code 1); the rest goes on.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use vigie_templates::{Config, LogFormat, Miner, TemplateId};

use crate::ui::{paint, Hint};

/// The store's file inside `--store DIR`.
const STORE_FILE: &str = "templates.json";

#[derive(Args, Debug)]
pub struct TemplatesArgs {
    /// Log files, one message per line (`-` for standard input).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "csv")]
    pub format: TemplatesFormat,
    /// A folder keeping the templates seen (templates.json): ids stay the same from run to
    /// run, and `new` is true only for templates it did not hold.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// How raw lines are cut, as the Loghub benchmark does: `<Date> <Time> <Level>
    /// <Component>: <Content>`; the text between fields is a regular expression (`\[<Pid>\]`),
    /// its spaces any whitespace; only `<Content>` is mined.
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TemplatesFormat {
    Csv,
    Jsonl,
}

/// One output row, kept until the end (the template printed is the group's final one).
struct Row {
    file: u32,
    line: u64,
    id: TemplateId,
    new: bool,
}

pub fn run(args: TemplatesArgs) -> Result<ExitCode> {
    let format = args
        .log_format
        .as_deref()
        .map(LogFormat::parse)
        .transpose()
        .context(Hint(
            "write fields as <Name> with the message as <Content>, e.g. \
             '<Date> <Time> <Level> <Component>: <Content>'"
                .into(),
        ))?;
    let store_path = args.store.as_ref().map(|d| d.join(STORE_FILE));
    let mut miner = match &store_path {
        Some(p) if p.exists() => load_store(p)?,
        _ => Miner::default(),
    };
    let known = miner.len();
    let mut rows = Vec::new();
    let mut problems = 0usize;
    for (k, path) in args.files.iter().enumerate() {
        if let Err(e) = mine_file(
            path,
            k as u32,
            format.as_ref(),
            &mut miner,
            &mut rows,
            &mut problems,
        ) {
            eprintln!("{} {}: {e}", paint("error:", "1;31"), path.display());
            problems += 1;
        }
    }
    // A group absorbed later (a position that had held several words became `<*>`) answers
    // with the id of the group that absorbed it.
    for r in &mut rows {
        r.id = miner.resolve(r.id);
    }
    let templates: Vec<String> = (1..=miner.len() as u32)
        .map(|id| miner.template(id).unwrap_or_default())
        .collect();
    let names: Vec<String> = args.files.iter().map(|p| p.display().to_string()).collect();
    let several = args.files.len() > 1;
    let written = match args.format {
        TemplatesFormat::Csv => write_csv(&rows, &templates, several.then_some(&names[..])),
        TemplatesFormat::Jsonl => write_jsonl(&rows, &templates, several.then_some(&names[..])),
    };
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the results")?,
    }
    if let (Some(dir), Some(path)) = (&args.store, &store_path) {
        save_store(dir, path, &miner)?;
    }
    let live = miner.templates().count();
    eprintln!(
        "{} lines, {live} templates ({} founded in this run{}){}",
        rows.len(),
        miner.len() - known,
        if live < miner.len() {
            format!(", {} absorbed by more general ones", miner.len() - live)
        } else {
            String::new()
        },
        if problems > 0 {
            format!(", {problems} problem(s) reported above")
        } else {
            String::new()
        }
    );
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn load_store(path: &Path) -> Result<Miner> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the template store {}", path.display()))?;
    Miner::from_store_json(&text, &path.display().to_string(), Config::default())
        .map_err(anyhow::Error::new)
        .context(Hint(
            "the file is not a template store written by vigie; move it away to start a new store"
                .into(),
        ))
}

/// Writes the store beside its final name, then renames it, so a failed write leaves the old one.
fn save_store(dir: &Path, path: &Path, miner: &Miner) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the store folder {}", dir.display()))?;
    let tmp = path.with_extension("json.part");
    std::fs::write(&tmp, miner.to_store_json())
        .and_then(|_| std::fs::rename(&tmp, path))
        .with_context(|| format!("cannot write the template store {}", path.display()))
}

/// Feeds every line of one file; lines the format does not match are reported and skipped.
fn mine_file(
    path: &Path,
    file: u32,
    format: Option<&LogFormat>,
    miner: &mut Miner,
    rows: &mut Vec<Row>,
    problems: &mut usize,
) -> io::Result<()> {
    let input: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path)?)
    };
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line += 1;
        let mut bytes = &buf[..];
        bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let text = String::from_utf8_lossy(bytes);
        let message = match format {
            None => &text[..],
            Some(f) => match f.content(&text, line) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!(
                        "{} {}: {e}; the line is skipped\n{} check --log-format against this line",
                        paint("error:", "1;31"),
                        path.display(),
                        paint("hint:", "1;36"),
                    );
                    *problems += 1;
                    continue;
                }
            },
        };
        let fed = miner.feed(message);
        rows.push(Row {
            file,
            line,
            id: fed.id,
            new: fed.is_new,
        });
    }
}

fn write_csv(rows: &[Row], templates: &[String], files: Option<&[String]>) -> io::Result<()> {
    write_csv_records(rows, templates, files).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    })
}

/// The CSV rows, errors as the csv crate gives them (a closed pipe inside).
fn write_csv_records(
    rows: &[Row],
    templates: &[String],
    files: Option<&[String]>,
) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(BufWriter::new(io::stdout().lock()));
    let header: &[&str] = if files.is_some() {
        &["file", "line", "template_id", "template", "new"]
    } else {
        &["line", "template_id", "template", "new"]
    };
    out.write_record(header)?;
    for r in rows {
        if let Some(names) = files {
            out.write_field(&names[r.file as usize])?;
        }
        out.write_field(r.line.to_string())?;
        out.write_field(r.id.to_string())?;
        out.write_field(&templates[r.id as usize - 1])?;
        out.write_record([if r.new { "true" } else { "false" }])?;
    }
    out.flush()?;
    Ok(())
}

fn write_jsonl(rows: &[Row], templates: &[String], files: Option<&[String]>) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for r in rows {
        let mut v = serde_json::Map::new();
        if let Some(names) = files {
            v.insert("file".into(), names[r.file as usize].clone().into());
        }
        v.insert("line".into(), r.line.into());
        v.insert("template_id".into(), r.id.into());
        v.insert(
            "template".into(),
            templates[r.id as usize - 1].clone().into(),
        );
        v.insert("new".into(), r.new.into());
        serde_json::to_writer(&mut out, &v)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
