//! Talking to the user on stderr: errors with their causes and a hint, colours (off with
//! NO_COLOR or when stderr is not a terminal), progress bars.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use vigie_hunt::Progress;

/// Whether stderr may carry colour.
pub fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

pub fn paint(text: &str, code: &str) -> String {
    if color() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// A hint the binary attaches to an error.
#[derive(Debug)]
pub struct Hint(pub String);

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Hint {}

/// Prints an error, its causes, and its hint (a [`Hint`] anywhere in the chain).
pub fn report_error(e: &anyhow::Error) {
    let hint = e.downcast_ref::<Hint>().map(|h| h.0.clone()).or_else(|| {
        e.chain()
            .find_map(|c| c.downcast_ref::<Hint>().map(|h| h.0.clone()))
    });
    let mut messages = e
        .chain()
        .map(|c| c.to_string())
        .filter(|m| Some(m) != hint.as_ref());
    if let Some(first) = messages.next() {
        eprintln!("{} {first}", paint("error:", "1;31"));
    }
    for cause in messages {
        eprintln!("  caused by: {cause}");
    }
    if let Some(h) = hint {
        eprintln!("{} {h}", paint("hint:", "1;36"));
    }
}

/// A progress bar over input bytes, shown only when stderr is a terminal.
pub struct Bar(Option<ProgressBar>);

impl Bar {
    pub fn new(enabled: bool) -> Bar {
        Bar((enabled && std::io::stderr().is_terminal()).then(|| {
            let pb = ProgressBar::new(0);
            pb.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:40} {bytes}/{total_bytes} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            pb
        }))
    }

    pub fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn total_files(&self, files: usize, bytes: u64) {
        if let Some(pb) = &self.0 {
            pb.set_length(bytes);
            pb.set_message(format!("{files} files"));
        }
    }

    fn file_done(&self, bytes: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(bytes);
        }
    }
}

/// A download bar for `vigie vulndb update`, shown only when stderr is a terminal.
pub struct DownloadBar(Option<ProgressBar>);

impl DownloadBar {
    pub fn new() -> DownloadBar {
        DownloadBar(std::io::stderr().is_terminal().then(|| {
            let pb = ProgressBar::new(0);
            pb.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:40} {bytes}/{total_bytes} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            pb
        }))
    }
}

impl vigie_vulndb::Progress for DownloadBar {
    fn start(&self, url: &str, length: Option<u64>) {
        eprintln!("downloading {url}");
        if let Some(pb) = &self.0 {
            pb.reset();
            pb.set_length(length.unwrap_or(0));
        }
    }

    fn advance(&self, bytes: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(bytes);
        }
    }

    fn done(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}
