//! What an import read and did: the records a parser produced from one file or event
//! (`Parsed`), and the counts an import reports (`ImportReport`), with every skipped kind of
//! object counted by reason and every problem listed with its place.

use std::collections::BTreeMap;

use crate::error::Problem;
use crate::indicator::Record;
use crate::store::Ingested;

/// What a parser read from one file or event: no store involved (fuzzable).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub records: Vec<Record>,
    /// Objects, attributes or lines read.
    pub objects: usize,
    /// Objects left out on purpose, counted by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Objects that are malformed, with the place and the reason.
    pub problems: Vec<Problem>,
}

impl Parsed {
    pub(crate) fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }

    pub(crate) fn problem(
        &mut self,
        file: &str,
        place: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.problems.push(Problem::new(file, place, reason));
    }

    /// Objects skipped on purpose, all reasons together.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// What one import (a file, a folder or a feed) did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub source: String,
    /// Files read.
    pub files: usize,
    /// Objects, attributes or lines read.
    pub objects: usize,
    /// Indicator values read (a pattern with an OR of three values gives three).
    pub values: usize,
    pub new_indicators: usize,
    pub new_provenance: usize,
    pub already_known: usize,
    /// Values repeated within one file or event (merged into the first).
    pub duplicates: usize,
    /// Values a MISP feed no longer gives (changed or removed events): this source's
    /// provenance removed.
    pub retired: usize,
    /// MISP feed events gone from the manifest since the last import.
    pub events_removed: usize,
    /// MISP feed events imported, and left alone because the manifest says they have not
    /// changed since the last import.
    pub events_imported: usize,
    pub events_unchanged: usize,
    pub skipped: BTreeMap<String, usize>,
    pub problems: Vec<Problem>,
}

impl ImportReport {
    pub fn new(source: &str) -> ImportReport {
        ImportReport {
            source: source.to_owned(),
            ..ImportReport::default()
        }
    }

    pub(crate) fn add_parsed(&mut self, parsed: &mut Parsed) {
        self.objects += parsed.objects;
        self.values += parsed.records.len();
        for (reason, n) in std::mem::take(&mut parsed.skipped) {
            *self.skipped.entry(reason).or_default() += n;
        }
        self.problems.append(&mut parsed.problems);
    }

    pub(crate) fn add_ingested(&mut self, done: Ingested) {
        self.new_indicators += done.new_indicators;
        self.new_provenance += done.new_provenance;
        self.already_known += done.already_known;
        self.duplicates += done.duplicates;
        self.retired += done.retired;
    }

    /// Objects skipped on purpose, all reasons together.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Adds another report's counts (several paths imported as one source).
    pub fn absorb(&mut self, other: ImportReport) {
        self.files += other.files;
        self.objects += other.objects;
        self.values += other.values;
        self.new_indicators += other.new_indicators;
        self.new_provenance += other.new_provenance;
        self.already_known += other.already_known;
        self.duplicates += other.duplicates;
        self.retired += other.retired;
        self.events_removed += other.events_removed;
        self.events_imported += other.events_imported;
        self.events_unchanged += other.events_unchanged;
        for (reason, n) in other.skipped {
            *self.skipped.entry(reason).or_default() += n;
        }
        self.problems.extend(other.problems);
    }
}
