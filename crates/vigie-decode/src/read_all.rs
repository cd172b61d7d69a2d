//! Reading the rest of an input into memory, a failure reported to the sink.

use std::io::Read;

use crate::error::DecodeError;
use crate::Item;

/// Appends everything `reader` still holds to `buf`; on a read error, reports it for
/// `source` and returns `false`.
pub(crate) fn read_all(
    source: &str,
    mut reader: impl Read,
    buf: &mut Vec<u8>,
    sink: &mut dyn FnMut(Item),
) -> bool {
    match reader.read_to_end(buf) {
        Ok(_) => true,
        Err(e) => {
            sink(Item::Error(DecodeError::new(
                source,
                None,
                format!("read error: {e}"),
            )));
            false
        }
    }
}

/// The first bytes of a buffer, enough to recognise a format by its magic number.
pub(crate) fn magic(buf: &[u8]) -> Vec<u8> {
    buf[..buf.len().min(8)].to_vec()
}

/// Fills `buf` as far as the input goes; the number of bytes read.
pub(crate) fn read_up_to(
    input: &mut (impl Read + ?Sized),
    buf: &mut [u8],
) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
