//! Small probes of the running system or the root folder: `family`, `uname`, `variable`,
//! `sysctl` (the root's `proc/sys`), `partition` (the root's `proc/mounts`),
//! `environmentvariable58` (this process's environment).

use std::path::Path;

use crate::item::{Item, Spec};
use crate::probes::paths::host_path;

pub fn family() -> Vec<Item> {
    vec![Item::default().with("family", "unix")]
}

fn read_trim(path: &Path) -> String {
    std::fs::read_to_string(path)
        .map(|s| s.trim_end().to_owned())
        .unwrap_or_default()
}

/// The kernel's identity from `/proc/sys/kernel` (uname(2) of the running kernel).
pub fn uname() -> Vec<Item> {
    let k = |n: &str| read_trim(&Path::new("/proc/sys/kernel").join(n));
    let machine = std::env::consts::ARCH;
    vec![Item::default()
        .with("machine_class", machine)
        .with("node_name", k("hostname"))
        .with("os_name", k("ostype"))
        .with("os_release", k("osrelease"))
        .with("os_version", k("version"))
        .with("processor_type", machine)]
}

/// sysctl values: `kernel.randomize_va_space` from `proc/sys/kernel/randomize_va_space`;
/// several-value files joined with a tab as `sysctl` prints them.
pub fn sysctl(root: &Path, name: &Spec) -> Vec<Item> {
    let mut names: Vec<String> = match name.exact() {
        Some(v) => v.to_vec(),
        None => {
            let base = host_path(root, "/proc/sys");
            walkdir::WalkDir::new(&base)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let rel = e.path().strip_prefix(&base).ok()?;
                    Some(rel.to_string_lossy().replace('/', "."))
                })
                .collect()
        }
    };
    names.sort();
    let mut out = Vec::new();
    for n in names {
        if !name.matches(&n) {
            continue;
        }
        let file = host_path(root, &format!("/proc/sys/{}", n.replace('.', "/")));
        if let Ok(v) = std::fs::read_to_string(file) {
            let v = v.split_whitespace().collect::<Vec<_>>().join("\t");
            out.push(Item::default().with("name", n).with("value", v));
        }
    }
    out
}

/// Mounted file systems from the root's `proc/mounts`.
pub fn partition(root: &Path, mount_point: &Spec) -> Vec<Item> {
    let text = std::fs::read_to_string(host_path(root, "/proc/mounts")).unwrap_or_default();
    let mut out = Vec::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        let [dev, mp, ty, opts, ..] = f[..] else {
            continue;
        };
        let mp = mp.replace("\\040", " ");
        if !mount_point.matches(&mp) {
            continue;
        }
        let mut it = Item::default()
            .with("mount_point", mp)
            .with("device", dev)
            .with("fs_type", ty);
        for o in opts.split(',') {
            it.push("mount_options", o);
        }
        out.push(it);
    }
    out
}

/// Environment variables of this process (a nil pid is the probing process).
pub fn environment(name: &Spec) -> Vec<Item> {
    let pid = std::process::id().to_string();
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    vars.sort();
    vars.into_iter()
        .filter(|(k, _)| name.matches(k))
        .map(|(k, v)| {
            Item::default()
                .with("pid", pid.clone())
                .with("name", k)
                .with("value", v)
        })
        .collect()
}
