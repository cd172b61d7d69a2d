//! Package probes: `dpkginfo` from the root's dpkg status (read by vigie-inventory), and
//! `rpminfo`, for which a root without an RPM database has no packages.

use std::path::Path;

use crate::item::{Collected, Flag, Item, Spec};

/// The dpkginfo items of the packages whose name the spec accepts: name, arch, epoch,
/// release, version, evr (`epoch:version-release`, epoch 0 when absent).
pub fn dpkginfo(packages: &[vigie_inventory::Package], name: &Spec) -> Vec<Item> {
    let mut out = Vec::new();
    for p in packages {
        let (bare, arch) = p.name.split_once(':').unwrap_or((&p.name, ""));
        if !name.matches(bare) {
            continue;
        }
        let (epoch, rest) = p.version.split_once(':').unwrap_or(("0", &p.version));
        let (version, release) = rest.rsplit_once('-').unwrap_or((rest, ""));
        out.push(
            Item::default()
                .with("name", bare)
                .with("arch", arch)
                .with("epoch", epoch)
                .with("release", release)
                .with("version", version)
                .with("evr", format!("{epoch}:{version}-{release}")),
        );
    }
    out
}

/// Reads the dpkg packages installed under `root`.
pub fn dpkg_packages(root: &Path) -> Vec<vigie_inventory::Package> {
    vigie_inventory::scan_root(root)
        .packages
        .into_iter()
        .filter(|p| !p.ecosystem.starts_with("Alpine"))
        .collect()
}

/// rpminfo: no RPM database under the root means no package exists; reading an RPM
/// database is not supported ("not collected": the tests are "not evaluated").
pub fn rpminfo(root: &Path) -> Collected {
    let db = ["var/lib/rpm", "usr/lib/sysimage/rpm"];
    if db
        .iter()
        .any(|d| root.join(d).join("rpmdb.sqlite").exists())
        || db.iter().any(|d| root.join(d).join("Packages").exists())
    {
        Collected::failed(
            Flag::NotCollected,
            "reading an RPM database is not supported",
        )
    } else {
        Collected::items(Vec::new())
    }
}
