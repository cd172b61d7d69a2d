//! Which indicators leave the store: those in force now, of the asked types, whose strictest
//! TLP is not above the ceiling; each with what its sources say about it folded together
//! (names, descriptions, labels, kill-chain phases, ATT&CK ids).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use vigie_intel::{IndicatorType, IndicatorView, ListFilter, Store, StoreError, Tlp};

/// What an export takes from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Nothing marked above this level is exported.
    pub tlp_max: Tlp,
    /// Only these types (empty: all).
    pub types: Vec<IndicatorType>,
    /// Only indicators some source means for detection (MISP `to_ids`).
    pub detection_only: bool,
    /// Validity is judged at this time; it is also the export's timestamp.
    pub now: DateTime<Utc>,
}

/// One indicator to export, with its sources' metadata folded.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportIndicator {
    pub view: IndicatorView,
    pub name: Option<String>,
    pub description: Option<String>,
    pub labels: Vec<String>,
    /// `kill_chain_name:phase_name`.
    pub kill_chain: Vec<String>,
    pub attack: Vec<String>,
}

/// What was chosen, and how many were held back by the TLP ceiling or for not being meant for
/// detection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selected {
    pub indicators: Vec<ExportIndicator>,
    pub withheld_tlp: usize,
    pub withheld_not_for_detection: usize,
}

/// Reads the indicators in force at `sel.now` that the selection lets out, in (type, value)
/// order.
pub fn select(store: &Store, sel: &Selection) -> Result<Selected, StoreError> {
    let mut views = Vec::new();
    let mut out = Selected::default();
    store.list(&ListFilter::default(), sel.now, |v: IndicatorView| {
        if !sel.types.is_empty() && !sel.types.contains(&v.kind) {
            return Ok::<(), StoreError>(());
        }
        if v.tlp > sel.tlp_max {
            out.withheld_tlp += 1;
        } else if sel.detection_only && !v.to_ids {
            out.withheld_not_for_detection += 1;
        } else {
            views.push(v);
        }
        Ok(())
    })?;
    let mut place: HashMap<i64, usize> = HashMap::with_capacity(views.len());
    for view in views {
        place.insert(view.id, out.indicators.len());
        out.indicators.push(ExportIndicator {
            view,
            name: None,
            description: None,
            labels: Vec::new(),
            kill_chain: Vec::new(),
            attack: Vec::new(),
        });
    }
    if !out.indicators.is_empty() {
        store.all_provenance(|id, p| {
            let Some(e) = place.get(&id).and_then(|i| out.indicators.get_mut(*i)) else {
                return Ok::<(), StoreError>(());
            };
            if e.name.is_none() {
                e.name = p.name;
            }
            if e.description.is_none() {
                e.description = p.description;
            }
            union(&mut e.labels, p.labels);
            union(&mut e.kill_chain, p.kill_chain);
            union(&mut e.attack, p.attack);
            Ok(())
        })?;
    }
    Ok(out)
}

fn union(into: &mut Vec<String>, from: Vec<String>) {
    for v in from {
        if !into.contains(&v) {
            into.push(v);
        }
    }
}
