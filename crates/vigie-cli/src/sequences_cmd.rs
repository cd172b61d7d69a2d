//! `vigie sequences train FILE --model OUT` and `vigie sequences detect FILE --model M
//! [--format table|jsonl]`: sequence anomalies (`vigie-sequences`) over sessions read from a
//! CSV file (`sequences_csv.rs`). Training never reads labels; detection prints each anomalous
//! session with the sentence explaining it, and a summary on stderr. Unreadable lines are
//! reported and skipped (exit code 1).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use vigie_sequences::{MiningConfig, Model, Verdict};

use crate::sequences_csv::{read_sessions, Session};
use crate::ui::Hint;

#[derive(Subcommand, Debug)]
pub enum SequencesCommand {
    /// Learn invariants among event counts from the sessions of a CSV file (labels not read).
    Train(TrainArgs),
    /// Flag the sessions of a CSV file that break the model's invariants, with the reason.
    Detect(DetectArgs),
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// CSV with a header line: an id column (block_id, session_id, id) and event_sequence
    /// (space-separated event ids).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where the model is written (JSON).
    #[arg(long, value_name = "OUT")]
    pub model: PathBuf,
}

#[derive(Args, Debug)]
pub struct DetectArgs {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A model written by `vigie sequences train`.
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: SequencesFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SequencesFormat {
    Table,
    Jsonl,
}

pub fn run(command: SequencesCommand) -> Result<ExitCode> {
    match command {
        SequencesCommand::Train(a) => train(a),
        SequencesCommand::Detect(a) => detect(a),
    }
}

fn exit_code(skipped: usize) -> ExitCode {
    if skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn skipped_note(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!(", {skipped} line(s) skipped (reported above)")
    }
}

fn train(args: TrainArgs) -> Result<ExitCode> {
    let (sessions, skipped) = read_sessions(&args.file)?;
    let sequences: Vec<Vec<String>> = sessions.into_iter().map(|s| s.events).collect();
    let model = Model::train(&sequences, MiningConfig::default());
    let tmp = args.model.with_extension("part");
    std::fs::write(&tmp, model.to_json())
        .and_then(|_| std::fs::rename(&tmp, &args.model))
        .with_context(|| format!("cannot write the model {}", args.model.display()))?;
    let single = model
        .invariants
        .iter()
        .filter(|i| i.terms.len() == 1)
        .count();
    eprintln!(
        "trained on {} sessions: {} events, {} invariants ({single} of rare events, {} among \
         several events); model written to {}{}",
        sequences.len(),
        model.vocabulary.len(),
        model.invariants.len(),
        model.invariants.len() - single,
        args.model.display(),
        skipped_note(skipped)
    );
    Ok(exit_code(skipped))
}

fn load_model(path: &Path) -> Result<Model> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the model {}", path.display()))?;
    Model::from_json(&text, &path.display().to_string())
        .map_err(anyhow::Error::new)
        .context(Hint(
            "the file is not a model written by `vigie sequences train`; train one again".into(),
        ))
}

fn detect(args: DetectArgs) -> Result<ExitCode> {
    let model = load_model(&args.model)?;
    let (sessions, skipped) = read_sessions(&args.file)?;
    let flagged: Vec<(&Session, Verdict)> = sessions
        .iter()
        .map(|s| (s, model.score(&s.events)))
        .filter(|(_, v)| v.is_anomalous())
        .collect();
    let written = match args.format {
        SequencesFormat::Table => write_table(&flagged),
        SequencesFormat::Jsonl => write_jsonl(&flagged),
    };
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the results")?,
    }
    eprintln!(
        "{} sessions, {} anomalous{}",
        sessions.len(),
        flagged.len(),
        skipped_note(skipped)
    );
    Ok(exit_code(skipped))
}

fn write_table(flagged: &[(&Session, Verdict)]) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    let id_width = flagged
        .iter()
        .map(|(s, _)| s.id.chars().count())
        .chain([7])
        .max()
        .unwrap_or(7);
    writeln!(out, "{:>6}  {:<id_width$}  WHY", "LINE", "SESSION")?;
    for (s, verdict) in flagged {
        writeln!(
            out,
            "{:>6}  {:<id_width$}  {}",
            s.line,
            s.id,
            verdict.explanation()
        )?;
    }
    out.flush()
}

fn write_jsonl(flagged: &[(&Session, Verdict)]) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for (s, verdict) in flagged {
        let violations: Vec<serde_json::Value> = verdict
            .violations
            .iter()
            .map(|v| {
                let mut value = serde_json::to_value(v).unwrap_or_default();
                if let Some(map) = value.as_object_mut() {
                    map.insert("sentence".into(), v.sentence().into());
                }
                value
            })
            .collect();
        let line = serde_json::json!({
            "line": s.line,
            "id": s.id,
            "explanation": verdict.explanation(),
            "violations": violations,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()
}
