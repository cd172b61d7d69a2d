//! `os-release` of a root folder, and the OSV ecosystem names derived from it.

use std::path::Path;

/// The fields of `os-release` that name an OSV ecosystem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID` (`debian`, `ubuntu`, `alpine`, `rhel`, ...), lower case.
    pub id: String,
    /// `VERSION_ID` (`12`, `22.04`, `3.19.1`), empty when absent (Debian testing / sid).
    pub version_id: String,
}

impl OsRelease {
    /// Reads `ROOT/etc/os-release`, else `ROOT/usr/lib/os-release`. A symbolic link is not
    /// followed (an absolute target would leave the root); missing files give the default.
    pub fn read(root: &Path) -> OsRelease {
        for rel in ["etc/os-release", "usr/lib/os-release"] {
            let p = root.join(rel);
            let is_file = std::fs::symlink_metadata(&p)
                .map(|m| m.is_file())
                .unwrap_or(false);
            if is_file {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    return OsRelease::parse(&text);
                }
            }
        }
        OsRelease::default()
    }

    /// Parses `KEY=value` lines (values optionally quoted).
    pub fn parse(text: &str) -> OsRelease {
        let mut os = OsRelease::default();
        for line in text.lines() {
            let Some((k, v)) = line.trim().split_once('=') else {
                continue;
            };
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(v);
            match k.trim() {
                "ID" => os.id = v.to_ascii_lowercase(),
                "VERSION_ID" => os.version_id = v.to_owned(),
                _ => {}
            }
        }
        os
    }

    /// The OSV ecosystem of dpkg packages: `Ubuntu:<VERSION_ID>` on Ubuntu, else
    /// `Debian:<major>` (`Debian` alone when the release is unknown).
    pub fn dpkg_ecosystem(&self) -> String {
        let (name, version) = if self.id == "ubuntu" {
            ("Ubuntu", self.version_id.clone())
        } else {
            let major = self.version_id.split('.').next().unwrap_or("").to_owned();
            ("Debian", major)
        };
        if version.is_empty() {
            name.to_owned()
        } else {
            format!("{name}:{version}")
        }
    }

    /// The OSV ecosystem of apk packages: `Alpine:v<major>.<minor>` (`Alpine` when the root
    /// is not Alpine, e.g. Wolfi or postmarketOS, or its release is unknown).
    pub fn apk_ecosystem(&self) -> String {
        if self.id != "alpine" {
            return "Alpine".to_owned();
        }
        let mut parts = self.version_id.split('.');
        match (parts.next(), parts.next()) {
            (Some(major), Some(minor)) if !major.is_empty() && !minor.is_empty() => {
                format!("Alpine:v{major}.{minor}")
            }
            _ => "Alpine".to_owned(),
        }
    }

    /// The OSV ecosystem of rpm packages, by distribution (`Red Hat` when unknown).
    pub fn rpm_ecosystem(&self) -> String {
        match self.id.as_str() {
            "almalinux" => "AlmaLinux",
            "rocky" => "Rocky Linux",
            "opensuse" | "opensuse-leap" | "opensuse-tumbleweed" => "openSUSE",
            "sles" | "sled" => "SUSE",
            "mageia" => "Mageia",
            "openeuler" => "openEuler",
            _ => "Red Hat",
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystems() {
        let deb = OsRelease::parse("ID=debian\nVERSION_ID=\"12\"\n");
        assert_eq!(deb.dpkg_ecosystem(), "Debian:12");
        let sid = OsRelease::parse("ID=debian\n");
        assert_eq!(sid.dpkg_ecosystem(), "Debian");
        let ubu = OsRelease::parse("ID=ubuntu\nVERSION_ID=\"22.04\"\n");
        assert_eq!(ubu.dpkg_ecosystem(), "Ubuntu:22.04");
        let alp = OsRelease::parse("ID=alpine\nVERSION_ID=3.19.1\n");
        assert_eq!(alp.apk_ecosystem(), "Alpine:v3.19");
        assert_eq!(OsRelease::default().apk_ecosystem(), "Alpine");
        let alma = OsRelease::parse("ID='almalinux'\n");
        assert_eq!(alma.rpm_ecosystem(), "AlmaLinux");
    }
}
