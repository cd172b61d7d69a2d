//! RPM header blobs as rpmdb stores them (no leading magic): a big-endian index entry count
//! `il`, a data length `dl`, `il` 16-byte entries (tag, type, offset, count) and `dl` bytes of
//! data. Every count and offset is checked against the blob before it is used, so a hostile
//! blob gives a [`HeaderError`], never a panic or an allocation larger than the blob.

/// Tag numbers read from package headers.
pub mod tag {
    pub const NAME: u32 = 1000;
    pub const VERSION: u32 = 1001;
    pub const RELEASE: u32 = 1002;
    pub const EPOCH: u32 = 1003;
    pub const ARCH: u32 = 1022;
    pub const SOURCERPM: u32 = 1044;
}

/// Entry data types used here (rpm's `rpmTagType`).
pub mod kind {
    pub const INT32: u32 = 4;
    pub const STRING: u32 = 6;
    pub const STRING_ARRAY: u32 = 8;
    pub const I18NSTRING: u32 = 9;
    /// The largest type rpm knows.
    pub const MAX: u32 = 9;
}

/// rpm's own limits (`hdrblobVerifyInfo`): at most 0xffff entries and 256 MiB of data.
const MAX_ENTRIES: u32 = 0xffff;
const MAX_DATA: u32 = 0x0fff_ffff;
const ENTRY_SIZE: usize = 16;

/// Why a header blob cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("header blob of {len} bytes is shorter than its 8-byte preamble")]
    TooShort { len: usize },
    #[error("header claims {il} index entries (at most {MAX_ENTRIES})")]
    TooManyEntries { il: u32 },
    #[error("header claims {dl} data bytes (at most {MAX_DATA})")]
    DataTooLarge { dl: u32 },
    #[error("header blob is {len} bytes, its preamble says {expected}")]
    SizeMismatch { len: usize, expected: u64 },
    #[error("entry {index} (tag {tag}) has unknown type {kind}")]
    BadType { index: usize, tag: u32, kind: u32 },
    #[error("entry {index} (tag {tag}) has offset {offset} outside the {dl} data bytes")]
    BadOffset {
        index: usize,
        tag: u32,
        offset: i64,
        dl: usize,
    },
    #[error("tag {tag}: type {kind} where {expected} was expected")]
    WrongType { tag: u32, kind: u32, expected: u32 },
    #[error("tag {tag}: count {count} does not fit the data")]
    BadCount { tag: u32, count: u32 },
    #[error("tag {tag}: string not terminated inside the data")]
    Unterminated { tag: u32 },
    #[error("no tag {tag} ({name})")]
    Missing { tag: u32, name: &'static str },
    #[error("SOURCERPM {value:?} is not NAME-VERSION-RELEASE.src.rpm")]
    BadSourceRpm { value: String },
}

/// One index entry.
#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: u32,
    kind: u32,
    /// Checked to lie within the data.
    offset: usize,
    count: u32,
}

/// A checked header: its entries and data, borrowed from the blob.
#[derive(Debug)]
pub struct Header<'a> {
    entries: Vec<Entry>,
    data: &'a [u8],
}

fn be32(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        w.copy_from_slice(s);
    }
    u32::from_be_bytes(w)
}

impl<'a> Header<'a> {
    /// Checks a blob: the preamble within rpm's limits, the blob exactly `8 + 16 il + dl`
    /// bytes, every entry of a known type with its offset inside the data.
    pub fn parse(blob: &'a [u8]) -> Result<Header<'a>, HeaderError> {
        if blob.len() < 8 {
            return Err(HeaderError::TooShort { len: blob.len() });
        }
        let (il, dl) = (be32(blob, 0), be32(blob, 4));
        if il > MAX_ENTRIES {
            return Err(HeaderError::TooManyEntries { il });
        }
        if dl > MAX_DATA {
            return Err(HeaderError::DataTooLarge { dl });
        }
        let expected = 8 + u64::from(il) * ENTRY_SIZE as u64 + u64::from(dl);
        if blob.len() as u64 != expected {
            return Err(HeaderError::SizeMismatch {
                len: blob.len(),
                expected,
            });
        }
        // Both now fit in the blob, so in usize.
        let (il, dl) = (il as usize, dl as usize);
        let index = &blob[8..8 + il * ENTRY_SIZE];
        let data = &blob[8 + il * ENTRY_SIZE..];
        let mut entries = Vec::with_capacity(il);
        for (i, e) in index.chunks_exact(ENTRY_SIZE).enumerate() {
            let (tag, kind) = (be32(e, 0), be32(e, 4));
            let offset = i64::from(be32(e, 8) as i32);
            if kind > kind::MAX {
                return Err(HeaderError::BadType {
                    index: i,
                    tag,
                    kind,
                });
            }
            if offset < 0 || offset as u64 > dl as u64 {
                return Err(HeaderError::BadOffset {
                    index: i,
                    tag,
                    offset,
                    dl,
                });
            }
            entries.push(Entry {
                tag,
                kind,
                offset: offset as usize,
                count: be32(e, 12),
            });
        }
        Ok(Header { entries, data })
    }

    fn entry(&self, tag: u32) -> Option<&Entry> {
        self.entries.iter().find(|e| e.tag == tag)
    }

    /// The string of `tag` (STRING, or the first of an I18NSTRING or STRING_ARRAY), `None`
    /// when the header has no such tag. Invalid UTF-8 is replaced.
    pub fn string(&self, tag: u32) -> Result<Option<String>, HeaderError> {
        let Some(e) = self.entry(tag) else {
            return Ok(None);
        };
        match e.kind {
            kind::STRING | kind::I18NSTRING | kind::STRING_ARRAY => {}
            kind => {
                return Err(HeaderError::WrongType {
                    tag,
                    kind,
                    expected: kind::STRING,
                })
            }
        }
        if e.count == 0 {
            return Err(HeaderError::BadCount {
                tag,
                count: e.count,
            });
        }
        let rest = &self.data[e.offset..];
        let end = rest
            .iter()
            .position(|b| *b == 0)
            .ok_or(HeaderError::Unterminated { tag })?;
        Ok(Some(String::from_utf8_lossy(&rest[..end]).into_owned()))
    }

    /// The first number of the INT32 `tag`, `None` when the header has no such tag.
    pub fn int32(&self, tag: u32) -> Result<Option<u32>, HeaderError> {
        let Some(e) = self.entry(tag) else {
            return Ok(None);
        };
        if e.kind != kind::INT32 {
            return Err(HeaderError::WrongType {
                tag,
                kind: e.kind,
                expected: kind::INT32,
            });
        }
        let fits = u64::from(e.count) * 4 <= (self.data.len() - e.offset) as u64;
        if e.count == 0 || !fits {
            return Err(HeaderError::BadCount {
                tag,
                count: e.count,
            });
        }
        Ok(Some(be32(self.data, e.offset)))
    }
}

#[cfg(test)]
pub(crate) mod tests;
