//! The record files of an import source: a folder (walked in name order, hidden entries
//! skipped, `.zip` archives inside it opened), a zip archive (osv.dev's `all.zip`), or one
//! `.json` / `.yaml` / `.yml` file. Members of an archive are named `archive.zip!member`.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use vigie_osv::Format;

use crate::error::DbError;

/// The largest record file read (osv.dev's largest records are a few MB).
const MAX_RECORD: u64 = 64 << 20;

/// One thing found in a source: a record file's bytes, or why a file could not be read.
pub(crate) enum Item {
    Record {
        name: String,
        bytes: Vec<u8>,
        format: Format,
    },
    Unreadable {
        name: String,
        reason: String,
    },
}

/// What a path is, as a source.
enum Kind {
    Folder,
    Zip,
    Record(Format),
}

fn kind(path: &Path) -> Option<Kind> {
    if path.is_dir() {
        return Some(Kind::Folder);
    }
    let name = path.file_name()?.to_string_lossy();
    if name.to_ascii_lowercase().ends_with(".zip") {
        return Some(Kind::Zip);
    }
    Format::of_name(&name).map(Kind::Record)
}

/// Calls `f` with every record file of the source, in a stable order.
pub(crate) fn for_each(
    source: &Path,
    f: &mut dyn FnMut(Item) -> Result<(), DbError>,
) -> Result<(), DbError> {
    if !source.exists() {
        return Err(DbError::Source {
            path: source.to_owned(),
            reason: "no such file or folder".into(),
        });
    }
    match kind(source) {
        Some(Kind::Folder) => folder(source, f),
        Some(Kind::Zip) => {
            let file = File::open(source).map_err(DbError::io(source))?;
            let archive = zip::ZipArchive::new(file).map_err(|e| DbError::Source {
                path: source.to_owned(),
                reason: format!("not a readable zip archive: {e}"),
            })?;
            members(&source.display().to_string(), archive, f)
        }
        Some(Kind::Record(format)) => f(read_file(source, format)),
        None => Err(DbError::Source {
            path: source.to_owned(),
            reason: "not a folder, a .zip archive or an OSV record file (.json, .yaml, .yml)"
                .into(),
        }),
    }
}

fn folder(root: &Path, f: &mut dyn FnMut(Item) -> Result<(), DbError>) -> Result<(), DbError> {
    let walk = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let name = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                f(Item::Unreadable {
                    name,
                    reason: e.to_string(),
                })?;
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        match kind(path) {
            Some(Kind::Record(format)) => f(read_file(path, format))?,
            Some(Kind::Zip) => {
                let name = path.display().to_string();
                let archive = File::open(path)
                    .map_err(|e| e.to_string())
                    .and_then(|file| zip::ZipArchive::new(file).map_err(|e| e.to_string()));
                match archive {
                    Ok(a) => members(&name, a, f)?,
                    Err(reason) => f(Item::Unreadable {
                        name,
                        reason: format!("not a readable zip archive: {reason}"),
                    })?,
                }
            }
            Some(Kind::Folder) | None => {}
        }
    }
    Ok(())
}

fn read_file(path: &Path, format: Format) -> Item {
    let name = path.display().to_string();
    let read = File::open(path).and_then(|file| {
        let mut bytes = Vec::new();
        file.take(MAX_RECORD + 1).read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    match read {
        Ok(bytes) if bytes.len() as u64 > MAX_RECORD => Item::Unreadable {
            name,
            reason: format!("larger than {} MiB", MAX_RECORD >> 20),
        },
        Ok(bytes) => Item::Record {
            name,
            bytes,
            format,
        },
        Err(e) => Item::Unreadable {
            name,
            reason: e.to_string(),
        },
    }
}

fn members(
    archive_name: &str,
    mut archive: zip::ZipArchive<File>,
    f: &mut dyn FnMut(Item) -> Result<(), DbError>,
) -> Result<(), DbError> {
    for i in 0..archive.len() {
        let item = match archive.by_index(i) {
            Err(e) => Item::Unreadable {
                name: format!("{archive_name}!#{i}"),
                reason: e.to_string(),
            },
            Ok(member) => {
                let name = format!("{archive_name}!{}", member.name());
                let Some(format) = (!member.is_dir())
                    .then(|| Format::of_name(member.name()))
                    .flatten()
                else {
                    continue;
                };
                let mut bytes = Vec::new();
                match member.take(MAX_RECORD + 1).read_to_end(&mut bytes) {
                    Err(e) => Item::Unreadable {
                        name,
                        reason: e.to_string(),
                    },
                    Ok(_) if bytes.len() as u64 > MAX_RECORD => Item::Unreadable {
                        name,
                        reason: format!("larger than {} MiB", MAX_RECORD >> 20),
                    },
                    Ok(_) => Item::Record {
                        name,
                        bytes,
                        format,
                    },
                }
            }
        };
        f(item)?;
    }
    Ok(())
}
