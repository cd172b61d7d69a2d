//! Probes: collecting the items an object names, per object kind, from the root folder (and,
//! for the kernel and environment, from the running system). `supported` lists the kinds
//! evaluated; any other kind is "not evaluated".

pub mod accounts;
pub mod file;
pub mod network;
pub mod packages;
pub mod paths;
pub mod system;
pub mod textfile;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::eval::Evaluator;
use crate::item::{Collected, Flag, Item, Spec};
use crate::model::Object;
use crate::states::Filters;

/// The test / object kinds this crate collects.
pub const SUPPORTED: &[&str] = &[
    "textfilecontent54",
    "file",
    "dpkginfo",
    "variable",
    "family",
    "uname",
    "sysctl",
    "partition",
    "environmentvariable58",
    "password",
    "rpminfo",
    "systemdunitproperty",
    "systemdunitdependency",
    "shadow",
    "symlink",
    "interface",
];

pub fn supported(kind: &str) -> bool {
    SUPPORTED.contains(&kind)
}

/// Data read once per evaluation and shared by objects.
#[derive(Default)]
pub struct HostData {
    dpkg: Option<Vec<vigie_inventory::Package>>,
    walker: Option<paths::Walker>,
}

/// Collects the items of a (non-set) object whose entities are resolved into `specs`.
/// Items the object's `filters` drop are dropped as they are found.
pub fn collect(
    ev: &mut Evaluator,
    obj: &Object,
    specs: &HashMap<&str, Spec>,
    filters: &Filters,
) -> Collected {
    let root = ev.root.clone();
    let live = root == std::path::Path::new("/");
    let need = |name: &str| -> Result<&Spec, Collected> {
        specs.get(name).ok_or_else(|| {
            Collected::failed(Flag::Error, format!("{}_object without <{name}>", obj.kind))
        })
    };
    let r: Result<Vec<Item>, Collected> = (|| match obj.kind.as_str() {
        "family" => Ok(system::family()),
        // The running kernel is not the offline root's (OpenSCAP: "offline mode is not
        // supported by uname probe").
        "uname" if !live => Err(Collected::failed(
            Flag::NotApplicable,
            "the kernel of an offline root is not running",
        )),
        "uname" => Ok(system::uname()),
        "variable" => {
            let spec = need("var_ref")?;
            let mut out = Vec::new();
            for id in &spec.values {
                // As OpenSCAP: a variable in error (an external variable without a value)
                // still gives its item, without values; one without values gives none.
                let vals = ev.variable(id);
                if vals.error.is_none() && vals.values.is_empty() {
                    continue;
                }
                let mut it = Item::default().with("var_ref", id.clone());
                for v in &vals.values {
                    it.push("value", v.clone());
                }
                out.push(it);
            }
            Ok(out)
        }
        // The kernel parameters are the running kernel's: an offline root has none to read
        // (OpenSCAP: "offline mode is not supported by sysctl probe").
        "sysctl" if !live => Err(Collected::failed(
            Flag::NotApplicable,
            "kernel parameters cannot be read from an offline root",
        )),
        "sysctl" => Ok(system::sysctl(&root, need("name")?)),
        "partition" => Ok(system::partition(&root, need("mount_point")?)),
        // No process of an offline root runs, so no environment variable exists (as oscap
        // under OSCAP_PROBE_ROOT finds).
        "environmentvariable58" if !live => Ok(Vec::new()),
        "environmentvariable58" => Ok(system::environment(need("name")?)),
        "password" => Ok(accounts::password(&root, need("username")?)),
        "shadow" => Ok(accounts::shadow(&root, need("username")?)),
        // Network interfaces are the running system's.
        "interface" if !live => Err(Collected::failed(
            Flag::NotApplicable,
            "the network interfaces of an offline root are not up",
        )),
        "interface" => Ok(network::interfaces(need("name")?)),
        "symlink" => {
            let spec = need("filepath")?;
            let walker = ev
                .host
                .walker
                .get_or_insert_with(|| paths::Walker::new(&root));
            let found = paths::find(walker, obj, Some(spec), None, None)
                .map_err(|e| Collected::failed(Flag::Error, e))?;
            let mut out = Vec::new();
            for f in &found {
                match file::symlink(&root, &f.filepath) {
                    Ok(item) => out.extend(item),
                    Err(e) => return Err(Collected::failed(Flag::Error, e)),
                }
            }
            Ok(out)
        }
        "dpkginfo" => {
            let name = need("name")?;
            let pk = ev
                .host
                .dpkg
                .get_or_insert_with(|| packages::dpkg_packages(&root));
            Ok(packages::dpkginfo(pk, name))
        }
        "rpminfo" => Err(packages::rpminfo(&root)),
        "systemdunitproperty" | "systemdunitdependency" => Err(systemd(&root)),
        "file" | "textfilecontent54" => {
            let walker = ev
                .host
                .walker
                .get_or_insert_with(|| paths::Walker::new(&root));
            let found = paths::find(
                walker,
                obj,
                specs.get("filepath"),
                specs.get("path"),
                specs.get("filename"),
            )
            .map_err(|e| Collected::failed(Flag::Error, e))?;
            let mut out = Vec::new();
            if obj.kind == "file" {
                // Whole file-system walks: the files are examined on all cores.
                return Ok(found
                    .par_iter()
                    .filter_map(|f| file::item(&root, f).filter(|i| filters.keep(i)))
                    .collect());
            }
            let pattern = need("pattern")?;
            for f in &found {
                textfile::items(&root, obj, f, pattern, specs.get("instance"), &mut out)
                    .map_err(|e| Collected::failed(Flag::Error, e))?;
            }
            Ok(out)
        }
        other => Err(Collected::failed(
            Flag::NotCollected,
            format!("{other}_object is not supported"),
        )),
    })();
    match r {
        Ok(mut items) => {
            items.retain(|i| filters.keep(i));
            Collected::items(items)
        }
        Err(c) => c,
    }
}

/// systemd units are read over D-Bus, which Vigie does not do: without systemd running under
/// the root (no `run/systemd/system`) the collection is in error, as OpenSCAP's is; with it,
/// the items are not collected (the tests are "not evaluated").
fn systemd(root: &std::path::Path) -> Collected {
    if root.join("run/systemd/system").is_dir() {
        Collected::failed(
            Flag::NotCollected,
            "systemd units are read over D-Bus, which is not supported",
        )
    } else {
        Collected::failed(
            Flag::Error,
            "systemd is not running (no /run/systemd/system)",
        )
    }
}
