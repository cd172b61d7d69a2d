//! Decoding problems: where (source, place) and what, with a hint for the user.

use std::fmt;

/// A problem with one input, or one record of it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    /// The file (`archive.zip!member` inside an archive, `-` for stdin).
    pub file: String,
    /// Where in it: `line 12`, `record 4051`, `chunk 3`, when known.
    pub place: Option<String>,
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
}

impl DecodeError {
    pub fn new(source: &str, place: Option<String>, message: impl Into<String>) -> Self {
        DecodeError {
            file: source.to_owned(),
            place,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(p) = &self.place {
            write!(f, " ({p})")?;
        }
        write!(f, ": {}", self.message)
    }
}
