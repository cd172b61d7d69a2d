//! Per-thread memory of how recent event shapes resolved: which field slot reads which field
//! depends only on the event's field names in order, and events of one kind (one EVTX
//! template, one JSON producer) repeat the same names. An event whose names equal a kept
//! shape's, compared in full, takes that shape's resolution without looking any name up.

/// Shapes kept, most recently used first.
const MAX_SHAPES: usize = 16;
/// Events with more fields than this are always resolved afresh.
const MAX_FIELDS: usize = 256;

/// One slot's resolution: the slot, and the rank of the field it reads (see
/// `FieldIndex::resolve`).
pub(crate) type Assignment = (u32, (u32, u32, u32));

struct Shape {
    /// A quick summary of the names, compared before the names themselves.
    print: u64,
    /// The names, one after the other, and where each ends.
    text: String,
    ends: Vec<u32>,
    assignments: Vec<Assignment>,
}

impl Shape {
    fn holds<'a>(&self, names: impl ExactSizeIterator<Item = &'a str>) -> bool {
        if names.len() != self.ends.len() {
            return false;
        }
        let mut start = 0usize;
        for (name, &end) in names.zip(&self.ends) {
            let end = end as usize;
            match self.text.as_bytes().get(start..end) {
                Some(kept) if same_bytes(kept, name.as_bytes()) => start = end,
                _ => return false,
            }
        }
        true
    }
}

/// Whether two byte strings are equal: those of 4 to 16 bytes (most field names) compared
/// in two overlapping words each, inline, rather than through a call to `memcmp`.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> Option<[u8; N]> {
        s.get(at..at + N)?.try_into().ok()
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        8..=16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
        4..=7 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
        _ => a == b,
    }
}

/// The kept shapes.
#[derive(Default)]
pub(crate) struct ShapeCache {
    shapes: Vec<Shape>,
}

/// A cheap summary of a list of names: their count, lengths and end bytes.
pub(crate) fn fingerprint<'a>(names: impl Iterator<Item = &'a str>) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for n in names {
        let b = n.as_bytes();
        let word = (b.len() as u64) << 16
            | u64::from(b.first().copied().unwrap_or(0)) << 8
            | u64::from(b.last().copied().unwrap_or(0));
        h = (h ^ word).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl ShapeCache {
    /// The assignments of the kept shape with exactly these names (moved to the front), or
    /// the names' [`fingerprint`] for [`Self::put`]. The front shape is tried first, without
    /// a fingerprint: consecutive events mostly share one (three in four EVTX records).
    pub(crate) fn get<'a, I>(&mut self, names: impl Fn() -> I) -> Result<&[Assignment], u64>
    where
        I: ExactSizeIterator<Item = &'a str>,
    {
        let front = self.shapes.first().is_some_and(|s| s.holds(names()));
        if !front {
            let print = fingerprint(names());
            let at = self
                .shapes
                .iter()
                .skip(1)
                .position(|s| s.print == print && s.holds(names()))
                .ok_or(print)?;
            self.shapes[..at + 2].rotate_right(1);
        }
        Ok(&self.shapes[0].assignments)
    }

    /// Keeps a shape and its assignments, forgetting the least recently used beyond the bound.
    pub(crate) fn put<'a>(
        &mut self,
        print: u64,
        names: impl ExactSizeIterator<Item = &'a str>,
        assignments: Vec<Assignment>,
    ) {
        if names.len() > MAX_FIELDS {
            return;
        }
        let mut shape = match self.shapes.len() {
            MAX_SHAPES => self.shapes.pop().map(|mut s| {
                s.text.clear();
                s.ends.clear();
                s
            }),
            _ => None,
        }
        .unwrap_or(Shape {
            print,
            text: String::new(),
            ends: Vec::new(),
            assignments: Vec::new(),
        });
        shape.print = print;
        for n in names {
            shape.text.push_str(n);
            shape.ends.push(shape.text.len() as u32);
        }
        shape.assignments = assignments;
        self.shapes.insert(0, shape);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_bytes_is_equality(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same_bytes(a.as_bytes(), b.as_bytes()), a == b);
            prop_assert!(same_bytes(a.as_bytes(), a.as_bytes()));
        }
    }

    #[test]
    fn only_the_same_names_in_the_same_order_hit() {
        let mut cache = ShapeCache::default();
        let a = ["EventID", "Image", "CommandLine"];
        cache.put(
            fingerprint(a.iter().copied()),
            a.iter().copied(),
            vec![(3, (0, 0, 1))],
        );
        let hit = |cache: &mut ShapeCache, v: &[&'static str]| {
            cache.get(|| v.iter().copied()).map(<[_]>::to_vec).ok()
        };
        assert_eq!(hit(&mut cache, &a), Some(vec![(3, (0, 0, 1))]));
        // Same count, lengths and end bytes (the fingerprint's view), another name.
        assert_eq!(hit(&mut cache, &["EventID", "Imxge", "CommandLine"]), None);
        assert_eq!(hit(&mut cache, &["Image", "EventID", "CommandLine"]), None);
        assert_eq!(hit(&mut cache, &["EventID", "Image"]), None);
        // A shape behind the front one is found and moved to the front; the others keep
        // their order behind it.
        let b = ["EventID", "Image"];
        let c = ["Channel"];
        cache.put(
            fingerprint(b.iter().copied()),
            b.iter().copied(),
            vec![(4, (0, 0, 1))],
        );
        cache.put(
            fingerprint(c.iter().copied()),
            c.iter().copied(),
            vec![(5, (0, 0, 0))],
        );
        assert_eq!(hit(&mut cache, &a), Some(vec![(3, (0, 0, 1))]));
        assert_eq!(hit(&mut cache, &a), Some(vec![(3, (0, 0, 1))]));
        assert_eq!(hit(&mut cache, &b), Some(vec![(4, (0, 0, 1))]));
        assert_eq!(hit(&mut cache, &c), Some(vec![(5, (0, 0, 0))]));
        assert_eq!(hit(&mut cache, &a), Some(vec![(3, (0, 0, 1))]));
        let order: Vec<u64> = cache.shapes.iter().map(|s| s.print).collect();
        let prints: Vec<u64> = [&a[..], &c, &b]
            .iter()
            .map(|v| fingerprint(v.iter().copied()))
            .collect();
        assert_eq!(order, prints);
        // Bounded: the least recently used shape goes first.
        for i in 0..MAX_SHAPES {
            let name: &'static str = Box::leak(format!("F{i}").into_boxed_str());
            cache.put(
                fingerprint([name].into_iter()),
                [name].into_iter(),
                Vec::new(),
            );
        }
        assert_eq!(hit(&mut cache, &a), None);
        assert_eq!(cache.shapes.len(), MAX_SHAPES);
    }
}
