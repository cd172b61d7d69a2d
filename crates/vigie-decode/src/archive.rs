//! Opening inputs: format detection by magic bytes and name, transparent decompression of
//! `.gz` / `.zst`, and `.zip` members named `archive.zip!member`.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::DecodeError;
use crate::evtx_reader::{read_evtx, read_evtx_bytes};
use crate::json::read_json;
use crate::read_all::{magic, read_all, read_up_to};
use crate::Item;

/// Options for reading inputs.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Largest decompressed size read from one compressed input or archive member.
    pub max_decompressed: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_decompressed: 8 << 30,
        }
    }
}

const EVTX_MAGIC: &[u8] = b"ElfFile\0";
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads one file (any supported format); `sink` gets each event or problem.
pub fn read_path(path: &Path, opts: &ReadOptions, sink: &mut dyn FnMut(Item)) {
    let source = path.display().to_string();
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            sink(Item::Error(
                DecodeError::new(&source, None, format!("cannot open: {e}"))
                    .with_hint("check the path and its permissions"),
            ));
            return;
        }
    };
    // The format from the first bytes alone (an EVTX file is then read by chunks, not
    // through a buffer), then back to the start.
    let mut head = [0u8; 8];
    let sniffed = read_up_to(&mut file, &mut head).and_then(|n| {
        file.seek(SeekFrom::Start(0))?;
        Ok(n)
    });
    let head = match sniffed {
        Ok(n) => &head[..n],
        Err(e) => {
            sink(Item::Error(DecodeError::new(
                &source,
                None,
                format!("read error: {e}"),
            )));
            return;
        }
    };
    if head.starts_with(EVTX_MAGIC) {
        return read_evtx(&source, file, sink);
    }
    let reader = BufReader::with_capacity(1 << 16, file);
    read_stream(&source, head, Box::new(reader), opts, sink);
}

/// Reads an input held in memory (any supported format), named `source`.
pub fn read_bytes(source: &str, bytes: Vec<u8>, opts: &ReadOptions, sink: &mut dyn FnMut(Item)) {
    let head = magic(&bytes);
    read_stream(source, &head, Box::new(Cursor::new(bytes)), opts, sink);
}

/// Reads standard input (any supported format), named `-`.
pub fn read_stdin(opts: &ReadOptions, sink: &mut dyn FnMut(Item)) {
    let stdin = std::io::stdin();
    let mut reader = BufReader::with_capacity(1 << 16, stdin.lock());
    let head = match reader.fill_buf() {
        Ok(h) => magic(h),
        Err(e) => {
            sink(Item::Error(DecodeError::new(
                "-",
                None,
                format!("read error: {e}"),
            )));
            return;
        }
    };
    read_stream("-", &head, Box::new(reader), opts, sink);
}

fn read_stream(
    source: &str,
    head: &[u8],
    reader: Box<dyn BufRead + '_>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item),
) {
    if head.starts_with(GZIP_MAGIC) {
        let dec = flate2::bufread::MultiGzDecoder::new(reader);
        return read_decompressed(source, Box::new(dec), opts, sink);
    }
    if head.starts_with(ZSTD_MAGIC) {
        match zstd::stream::read::Decoder::with_buffer(reader) {
            Ok(dec) => return read_decompressed(source, Box::new(dec), opts, sink),
            Err(e) => {
                sink(Item::Error(DecodeError::new(
                    source,
                    None,
                    format!("bad zstd stream: {e}"),
                )));
                return;
            }
        }
    }
    if head.starts_with(ZIP_MAGIC) {
        let mut all = Vec::new();
        if read_all(source, reader.take(opts.max_decompressed), &mut all, sink) {
            read_zip(source, all, opts, sink);
        }
        return;
    }
    if head.starts_with(EVTX_MAGIC) {
        let mut all = Vec::new();
        if read_all(source, reader.take(opts.max_decompressed), &mut all, sink) {
            read_evtx_bytes(source, all, sink);
        }
        return;
    }
    read_json(source, reader, sink);
}

fn read_decompressed(
    source: &str,
    dec: Box<dyn Read + '_>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item),
) {
    let mut reader = BufReader::with_capacity(1 << 16, dec.take(opts.max_decompressed));
    let head = match reader.fill_buf() {
        Ok(h) => magic(h),
        Err(e) => {
            sink(Item::Error(
                DecodeError::new(source, None, format!("cannot decompress: {e}"))
                    .with_hint("the archive is damaged or truncated"),
            ));
            return;
        }
    };
    read_stream(source, &head, Box::new(reader), opts, sink);
}

fn read_zip(source: &str, bytes: Vec<u8>, opts: &ReadOptions, sink: &mut dyn FnMut(Item)) {
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            sink(Item::Error(
                DecodeError::new(source, None, format!("not a readable zip archive: {e}"))
                    .with_hint("the archive is damaged or truncated"),
            ));
            return;
        }
    };
    for i in 0..archive.len() {
        let mut member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                sink(Item::Error(DecodeError::new(
                    source,
                    Some(format!("member {}", i + 1)),
                    format!("cannot read this member: {e}"),
                )));
                continue;
            }
        };
        // macOS archive metadata (`__MACOSX/._name`) is never a log.
        if member.is_dir() || member.name().starts_with("__MACOSX/") {
            continue;
        }
        let name = format!("{source}!{}", member.name());
        if member.encrypted() {
            sink(Item::Error(
                DecodeError::new(&name, None, "encrypted member; skipped")
                    .with_hint("extract it with its password and hunt the extracted file"),
            ));
            continue;
        }
        let mut data = Vec::new();
        if let Err(e) = (&mut member)
            .take(opts.max_decompressed)
            .read_to_end(&mut data)
        {
            sink(Item::Error(DecodeError::new(
                &name,
                None,
                format!("cannot decompress: {e}"),
            )));
            continue;
        }
        let head = magic(&data);
        read_stream(&name, &head, Box::new(Cursor::new(data)), opts, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_and_zip_are_transparent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let gz = dir.path().join("a.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(
            File::create(&gz).expect("create"),
            flate2::Compression::fast(),
        );
        enc.write_all(b"{\"a\":1}\n{\"a\":2}\n").expect("write");
        enc.finish().expect("finish");
        let zp = dir.path().join("b.zip");
        let mut zw = zip::ZipWriter::new(File::create(&zp).expect("create"));
        zw.start_file("inner.json", zip::write::SimpleFileOptions::default())
            .expect("start");
        zw.write_all(b"{\"b\":1}\n").expect("write");
        zw.start_file(
            "__MACOSX/._inner.json",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("start");
        zw.write_all(b"\x00\x05\x16\x07 Mac OS X metadata")
            .expect("write");
        zw.finish().expect("finish");
        let mut sources = Vec::new();
        for p in [&gz, &zp] {
            read_path(p, &ReadOptions::default(), &mut |i| match i {
                Item::Event(s, _) => sources.push(s.to_owned()),
                Item::Error(e) => panic!("{e}"),
            });
        }
        assert_eq!(sources.len(), 3);
        assert!(sources[2].ends_with("b.zip!inner.json"), "{sources:?}");
    }
}
