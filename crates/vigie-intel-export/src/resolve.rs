//! Intel detections that name their indicator by its row id in the store get its type and
//! value from the store, so that their sighting points at the id the STIX export gives it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use vigie_intel::{IndicatorType, ListFilter, Store, StoreError};

use crate::detection::{DetectionRecord, IndicatorRef};

/// Replaces store ids by (type, value); returns how many ids the store does not hold (those
/// detections are then sightings of their rule).
pub fn resolve_store_ids(
    records: &mut [DetectionRecord],
    store: &Store,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    if !records
        .iter()
        .any(|r| matches!(r.indicator, Some(IndicatorRef::StoreId(_))))
    {
        return Ok(0);
    }
    let mut by_id: HashMap<i64, (IndicatorType, String)> = HashMap::new();
    let all = ListFilter {
        kind: None,
        all: true,
    };
    store.list(&all, now, |v| {
        by_id.insert(v.id, (v.kind, v.value));
        Ok::<(), StoreError>(())
    })?;
    let mut unknown = 0;
    for r in records.iter_mut() {
        if let Some(IndicatorRef::StoreId(id)) = r.indicator {
            match by_id.get(&id) {
                Some((kind, value)) => {
                    r.indicator = Some(IndicatorRef::Value(*kind, value.clone()))
                }
                None => unknown += 1,
            }
        }
    }
    Ok(unknown)
}
