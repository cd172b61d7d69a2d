//! Saving a [`Model`] as JSON text and reading it back, checked.

use crate::error::SequenceError;
use crate::model::{Model, MODEL_FORMAT};

impl Model {
    /// The model as pretty-printed JSON (same model, same text).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a model written by [`Model::to_json`]; `name` (a file name) goes into errors.
    pub fn from_json(text: &str, name: &str) -> Result<Model, SequenceError> {
        let bad = |line: usize, column: usize, reason: String| SequenceError::BadModel {
            name: name.to_owned(),
            line,
            column,
            reason,
        };
        let mut model: Model = serde_json::from_str(text).map_err(|e| {
            // serde_json's message ends with the place, which the error already carries.
            let message = e.to_string();
            let reason = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(r, _)| r);
            bad(e.line(), e.column(), reason.to_owned())
        })?;
        if model.format != MODEL_FORMAT {
            return Err(bad(
                0,
                0,
                format!(
                    "model format {} (this version reads {MODEL_FORMAT})",
                    model.format
                ),
            ));
        }
        model.resolve().map_err(|event| {
            bad(
                0,
                0,
                format!("an invariant names event {event:?}, which is not in the vocabulary"),
            )
        })?;
        Ok(model)
    }
}
