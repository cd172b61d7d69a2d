//! `update` against a local HTTP server started here: it serves `{ecosystem}/all.zip` archives
//! built by the test from corpus advisories (or from records the test writes when the corpus
//! is absent), as osv.dev lays its exports out; a missing export fails without touching the
//! index.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use vigie_vulndb::{Progress, VulnDb};

/// Serves `files` (path -> body) on a loopback port for `requests` requests (404 for others);
/// returns the base address and the request lines seen.
fn serve(files: Vec<(String, Vec<u8>)>, requests: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split(' ').nth(1).unwrap_or("").to_owned();
            log.lock().expect("log").push(path.clone());
            let found = files.iter().find(|(p, _)| *p == path);
            let (status, body) = match found {
                Some((_, b)) => ("200 OK", b.as_slice()),
                None => ("404 Not Found", &b"no such export"[..]),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    (format!("http://{addr}"), seen)
}

/// A zip of the first `n` files with extension `ext` under `dir`, flat, as osv.dev's all.zip.
fn zip_dir(dir: &Path, ext: &str, n: usize) -> Vec<u8> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for f in files.into_iter().take(n) {
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        w.write_all(&std::fs::read(&f).expect("read"))
            .expect("write");
    }
    w.finish().expect("finish");
    buf.into_inner()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn zip_members(members: &[(&str, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for (name, text) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("start");
        w.write_all(text.as_bytes()).expect("write");
    }
    w.finish().expect("finish");
    buf.into_inner()
}

/// Archives for crates.io and PyPI: from the corpus when it is there.
fn archives() -> (Vec<u8>, usize, Vec<u8>, usize) {
    let corpus = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    if corpus.join("vuln").is_dir() {
        let rust = zip_dir(
            &corpus.join("vuln/rustsec-advisory-db/osv"),
            "json",
            usize::MAX,
        );
        let pypa = zip_dir(
            &corpus.join("vuln/pypa-advisory-database/vulns"),
            "yaml",
            500,
        );
        (rust, 1206, pypa, 500)
    } else {
        eprintln!(
            "SKIPPED part of update test: corpus not found at {} (set VIGIE_CORPUS); using written records",
            corpus.display()
        );
        let rec = |id: &str, eco: &str| {
            format!(
                r#"{{"id":"{id}","modified":"2024-01-01T00:00:00Z","affected":[{{"package":{{"ecosystem":"{eco}","name":"p"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}}]}}]}}]}}"#
            )
        };
        (
            zip_members(&[("R-1.json", rec("R-1", "crates.io"))]),
            1,
            zip_members(&[
                ("P-1.json", rec("P-1", "PyPI")),
                ("P-2.json", rec("P-2", "PyPI")),
            ]),
            2,
        )
    }
}

#[derive(Default)]
struct Counted(Mutex<(u64, u64, u32)>);

impl Progress for Counted {
    fn start(&self, _url: &str, length: Option<u64>) {
        self.0.lock().expect("lock").0 += length.unwrap_or(0);
    }
    fn advance(&self, bytes: u64) {
        self.0.lock().expect("lock").1 += bytes;
    }
    fn done(&self) {
        self.0.lock().expect("lock").2 += 1;
    }
}

#[test]
fn update_downloads_exports_and_imports_them() {
    let (rust, n_rust, pypa, n_pypa) = archives();
    let total = (rust.len() + pypa.len()) as u64;
    let (base, seen) = serve(
        vec![
            ("/crates.io/all.zip".into(), rust),
            ("/PyPI/all.zip".into(), pypa),
        ],
        5,
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut db = VulnDb::open(tmp.path()).expect("open");
    let progress = Counted::default();
    let ecosystems = ["crates.io".to_owned(), "PyPI".to_owned()];
    let reports = db.update(&base, &ecosystems, &progress).expect("update");
    let got: Vec<(usize, usize)> = reports.iter().map(|r| (r.added, r.errors.len())).collect();
    assert_eq!(got, [(n_rust, 0), (n_pypa, 0)]);
    assert_eq!(reports[0].source, format!("{base}/crates.io/all.zip"));
    assert_eq!(*progress.0.lock().expect("lock"), (total, total, 2));
    assert_eq!(db.updated_ecosystems().expect("log"), ["PyPI", "crates.io"]);
    assert!(
        std::fs::read_dir(tmp.path().join("downloads"))
            .expect("downloads")
            .next()
            .is_none(),
        "downloads are removed once imported"
    );

    // Again: everything unchanged.
    let reports = db.update(&base, &ecosystems[..1], &()).expect("again");
    assert_eq!((reports[0].added, reports[0].unchanged), (0, n_rust));

    // A missing export: an error naming the address; the index keeps what it had.
    let before = db.stats().expect("stats").advisories;
    let err = db
        .update(&base, &["Red Hat".to_owned()], &())
        .expect_err("404")
        .to_string();
    assert!(
        err.starts_with(&format!("cannot download {base}/Red%20Hat/all.zip")),
        "{err}"
    );
    assert!(err.contains("404"), "{err}");
    assert_eq!(db.stats().expect("stats").advisories, before);
    assert_eq!(
        *seen.lock().expect("seen"),
        [
            "/crates.io/all.zip",
            "/PyPI/all.zip",
            "/crates.io/all.zip",
            "/Red%20Hat/all.zip"
        ]
    );
}

#[test]
fn update_reads_file_urls_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mirror = tmp.path().join("mirror/npm");
    std::fs::create_dir_all(&mirror).expect("mkdir");
    let rec = r#"{"id":"N-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"left-pad"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}"#;
    std::fs::write(
        mirror.join("all.zip"),
        zip_members(&[("N-1.json", rec.into())]),
    )
    .expect("write");
    let mut db = VulnDb::open(&tmp.path().join("db")).expect("open");
    let base = format!("file://{}", tmp.path().join("mirror").display());
    let reports = db.update(&base, &["npm".to_owned()], &()).expect("update");
    assert_eq!(reports[0].added, 1);
    assert_eq!(
        db.advisories_for("npm", "left-pad").expect("lookup").len(),
        1
    );
}
