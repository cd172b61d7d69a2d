//! Test images made with the `tar` crate: layers of members (files, folders, symbolic and hard
//! links, whiteouts, raw hostile paths the `tar` builder itself would refuse), packed as an OCI
//! image layout folder, that layout as a tar, or a `docker save` tarball. Digests are made-up
//! hex (the reader does not verify them).

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

/// One member of a layer.
pub enum M<'a> {
    File(&'a str, &'a str),
    Dir(&'a str),
    Link(&'a str, &'a str),
    Hard(&'a str, &'a str),
    /// A regular file whose header declares `size` bytes (the data written is that size).
    Sized(&'a str, usize),
}

/// A header with the raw name bytes (no validation, so `../x` and `/x` go in as written).
fn header(name: &str, kind: tar::EntryType, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    let bytes = name.as_bytes();
    h.as_gnu_mut().expect("gnu").name[..bytes.len()].copy_from_slice(bytes);
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(if kind.is_dir() { 0o755 } else { 0o644 });
    h
}

fn link_header(name: &str, kind: tar::EntryType, target: &str) -> tar::Header {
    let mut h = header(name, kind, 0);
    let t = target.as_bytes();
    h.as_gnu_mut().expect("gnu").linkname[..t.len()].copy_from_slice(t);
    h
}

/// A layer as an uncompressed tar.
pub fn layer(members: &[M]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for m in members {
        let (mut h, data): (tar::Header, Vec<u8>) = match m {
            M::File(n, text) => (
                header(n, tar::EntryType::Regular, text.len() as u64),
                text.as_bytes().to_vec(),
            ),
            M::Sized(n, size) => (
                header(n, tar::EntryType::Regular, *size as u64),
                vec![b'x'; *size],
            ),
            M::Dir(n) => (header(n, tar::EntryType::Directory, 0), Vec::new()),
            M::Link(n, t) => (link_header(n, tar::EntryType::Symlink, t), Vec::new()),
            M::Hard(n, t) => (link_header(n, tar::EntryType::Link, t), Vec::new()),
        };
        h.set_cksum();
        b.append(&h, data.as_slice()).expect("append");
    }
    b.into_inner().expect("tar")
}

/// `bytes` gzip-compressed.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

fn digest(n: usize) -> String {
    format!("{n:064x}")
}

/// Files of an OCI image layout: an index of two platform manifests (arm64 first, then
/// amd64) whose amd64 manifest lists `layers`; (path, bytes) pairs.
pub fn oci_files(layers: &[Vec<u8>]) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (
            "oci-layout".to_owned(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
        (format!("blobs/sha256/{}", digest(1)), b"{}".to_vec()),
    ];
    let mut descs = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let d = digest(100 + i);
        let gz = l.starts_with(&[0x1f, 0x8b]);
        let media = if gz {
            "application/vnd.oci.image.layer.v1.tar+gzip"
        } else {
            "application/vnd.oci.image.layer.v1.tar"
        };
        descs.push(serde_json::json!({"mediaType": media, "digest": format!("sha256:{d}"), "size": l.len()}));
        files.push((format!("blobs/sha256/{d}"), l.clone()));
    }
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{}", digest(1)), "size": 2},
        "layers": descs,
    });
    files.push((
        format!("blobs/sha256/{}", digest(2)),
        manifest.to_string().into_bytes(),
    ));
    let other = serde_json::json!({"schemaVersion": 2, "layers": []});
    files.push((
        format!("blobs/sha256/{}", digest(3)),
        other.to_string().into_bytes(),
    ));
    let nested = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{}", digest(3)), "size": 1, "platform": {"os": "linux", "architecture": "arm64"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{}", digest(2)), "size": 1, "platform": {"os": "linux", "architecture": "amd64"}},
        ],
    });
    files.push((
        format!("blobs/sha256/{}", digest(4)),
        nested.to_string().into_bytes(),
    ));
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": format!("sha256:{}", digest(4)), "size": 1}],
    });
    files.push(("index.json".to_owned(), index.to_string().into_bytes()));
    files
}

/// Files of a `docker save` tarball: `manifest.json` and `ID/layer.tar` per layer.
pub fn docker_files(layers: &[Vec<u8>]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut names = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let n = format!("{}/layer.tar", digest(200 + i));
        names.push(n.clone());
        files.push((n, l.clone()));
    }
    files.push((format!("{}.json", digest(1)), b"{}".to_vec()));
    let manifest = serde_json::json!([{"Config": format!("{}.json", digest(1)), "RepoTags": ["test:1"], "Layers": names}]);
    files.push((
        "manifest.json".to_owned(),
        manifest.to_string().into_bytes(),
    ));
    files
}

/// The files written under the folder `dir`.
pub fn write_dir(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (n, b) in files {
        let p = dir.join(n);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, b).expect("write");
    }
}

/// The files packed into the tarball `path`.
pub fn write_tar(path: &Path, files: &[(String, Vec<u8>)]) {
    let mut b = tar::Builder::new(std::fs::File::create(path).expect("create"));
    for (n, bytes) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, n, bytes.as_slice()).expect("append");
    }
    b.finish().expect("tar");
}
