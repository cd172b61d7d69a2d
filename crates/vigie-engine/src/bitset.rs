//! Sets of small numbers (test ids, routes) as bits in a slice of words.

/// Whether `id`'s bit is set.
pub(crate) fn bit(bits: &[u64], id: u32) -> bool {
    bits.get((id / 64) as usize)
        .is_some_and(|w| w & (1u64 << (id % 64)) != 0)
}

/// Sets `id`'s bit; true when it was not set.
pub(crate) fn set_bit(bits: &mut [u64], id: u32) -> bool {
    match bits.get_mut((id / 64) as usize) {
        Some(w) if *w & (1u64 << (id % 64)) == 0 => {
            *w |= 1u64 << (id % 64);
            true
        }
        _ => false,
    }
}
