//! Per-thread memory of how recent event shapes resolved to field slots: which slot reads
//! which field depends only on the event's field names in order, and events of one kind (one
//! EVTX template, one JSON producer) repeat the same names. An event stamped with a shape id
//! by its decoder (JSON lines, EVTX records its plans take) is found by the id alone;
//! another by its names, compared in full.

use vigie_event::{ByShape, Event, ShapeId, ShapeMemory};

/// One slot's resolution: the slot, and the rank of the field it reads (see
/// `FieldIndex::resolve`).
pub(crate) type Assignment = (u32, (u32, u32, u32));

/// How a shape not kept is to be kept once resolved.
pub(crate) enum Miss {
    Id(ShapeId),
    /// By its names, whose fingerprint this is.
    Names(u64),
}

/// The kept shapes.
#[derive(Default)]
pub(crate) struct ShapeCache {
    by_id: ByShape<Vec<Assignment>>,
    by_names: ShapeMemory<Vec<Assignment>>,
}

impl ShapeCache {
    /// The assignments of `event`'s shape, when kept.
    pub(crate) fn get(&mut self, event: &Event) -> Result<&[Assignment], Miss> {
        match event.shape() {
            Some(id) => self.by_id.get(id).map(|a| &a[..]).ok_or(Miss::Id(id)),
            None => self
                .by_names
                .get(|| event.fields().iter().map(|f| &*f.name))
                .map(|a| &a[..])
                .map_err(Miss::Names),
        }
    }

    /// Keeps the assignments of `event`'s shape, which [`Self::get`] missed.
    pub(crate) fn put(&mut self, miss: Miss, event: &Event, assignments: Vec<Assignment>) {
        match miss {
            Miss::Id(id) => self.by_id.put(id, assignments),
            Miss::Names(print) => {
                let names = event.fields().iter().map(|f| &*f.name);
                self.by_names.put(print, names, assignments);
            }
        }
    }
}
