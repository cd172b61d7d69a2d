//! Where results go: stdout or `--output FILE`, and `--errors FILE` for input errors.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use vigie_decode::DecodeError;

/// Writes results to the file, or to stdout; a closed pipe (`| head`) is not an error.
pub fn write_results(
    path: &Option<PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let mut out: Box<dyn Write> = match path {
        Some(p) => Box::new(BufWriter::new(File::create(p).with_context(|| {
            format!("cannot create the output file {}", p.display())
        })?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match write(&mut out).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("cannot write the results"),
    }
}

/// Writes input errors as JSON lines, when `--errors FILE` asks for them.
pub fn write_errors(path: &Option<PathBuf>, errors: &[DecodeError]) -> Result<()> {
    let Some(p) = path else { return Ok(()) };
    let mut f =
        BufWriter::new(File::create(p).with_context(|| format!("cannot create {}", p.display()))?);
    for e in errors {
        let line = serde_json::json!({"file": e.file, "place": e.place, "message": e.message, "hint": e.hint});
        writeln!(f, "{line}")?;
    }
    f.flush()?;
    Ok(())
}
