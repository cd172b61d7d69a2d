//! What the store remembers of TAXII syncs: per (source, API root, collection) the server's
//! `date_added` of the last object taken, as the server wrote it, and when the sync ran. The
//! store does not talk to servers; whoever syncs reads and writes this.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::error::StoreError;
use crate::store::{SourceInfo, Store};
use crate::timestamp;

/// Where the sync of one collection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiiState {
    pub api_root: String,
    pub collection: String,
    /// The server's `date_added` of the last object taken (its X-TAXII-Date-Added-Last).
    pub last_added: String,
    /// When that sync ran.
    pub synced_at: String,
}

impl Store {
    /// The `date_added` the last sync of this collection reached, if it ever took anything.
    pub fn taxii_last_added(
        &self,
        source: &SourceInfo,
        api_root: &str,
        collection: &str,
    ) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT last_added FROM taxii_state
                 WHERE source_id = ?1 AND api_root = ?2 AND collection = ?3",
                params![source.id, api_root, collection],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Remembers that the sync of this collection reached `last_added` at `now`.
    pub fn set_taxii_last_added(
        &mut self,
        source: &SourceInfo,
        api_root: &str,
        collection: &str,
        last_added: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO taxii_state (source_id, api_root, collection, last_added, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (source_id, api_root, collection) DO UPDATE SET
                    last_added = excluded.last_added, synced_at = excluded.synced_at",
                params![
                    source.id,
                    api_root,
                    collection,
                    last_added,
                    timestamp::format(now)
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Every collection this source syncs, by API root and collection.
    pub fn taxii_states(&self, source: &SourceInfo) -> Result<Vec<TaxiiState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT api_root, collection, last_added, synced_at FROM taxii_state
                 WHERE source_id = ?1 ORDER BY api_root, collection",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([source.id], |r| {
                Ok(TaxiiState {
                    api_root: r.get(0)?,
                    collection: r.get(1)?,
                    last_added: r.get(2)?,
                    synced_at: r.get(3)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e));
        rows
    }
}
