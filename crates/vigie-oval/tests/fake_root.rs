//! The fake root folder the oscap comparison evaluates `tests/fixtures/oval/checks.xml` on:
//! configuration files, permissions, a link, a dpkg status, built fresh in a temporary folder.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str, mode: u32) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("a file has a parent")).expect("mkdir");
    fs::write(&p, text).expect("write");
    fs::set_permissions(&p, fs::Permissions::from_mode(mode)).expect("chmod");
}

fn dir(root: &Path, rel: &str, mode: u32) {
    let p = root.join(rel);
    fs::create_dir_all(&p).expect("mkdir");
    fs::set_permissions(&p, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Builds the fake root under `root`.
pub fn build(root: &Path) {
    write(
        root,
        "etc/ssh/sshd_config",
        "# sshd settings\nPermitRootLogin no\n#X11Forwarding yes\nMaxAuthTries 6\n  PermitRootLogin No\n",
        0o600,
    );
    write(
        root,
        "etc/login.defs",
        "PASS_MAX_DAYS 90\nPASS_MIN_LEN 8\nUMASK 027\n",
        0o644,
    );
    write(
        root,
        "etc/audit/rules.d/identity.rules",
        "-w /etc/passwd -p wa -k identity\n-w /etc/group -p wa -k identity\n",
        0o640,
    );
    write(
        root,
        "etc/audit/rules.d/logins.rules",
        "-w /var/log/lastlog -p wa -k logins\n",
        0o640,
    );
    write(
        root,
        "etc/audit/rules.d/README",
        "not a rules file\n",
        0o644,
    );
    write(
        root,
        "etc/sudoers",
        "root ALL=(ALL:ALL) ALL\n%admin ALL=(ALL) NOPASSWD: ALL\n# %wheel ALL=(ALL) NOPASSWD: ALL\n",
        0o440,
    );
    write(
        root,
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
        0o644,
    );
    write(root, "etc/shadow", "root:*:19000:0:99999:7:::\n", 0o640);
    write(root, "etc/group", "root:x:0:\n", 0o644);
    write(
        root,
        "etc/app.ini",
        "[other]\ntimeout = 900\n[main]\nname = x\ntimeout = 30\n",
        0o644,
    );
    write(
        root,
        "etc/os-release",
        "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
        0o644,
    );
    write(root, "usr/bin/su", "#!/bin/sh\n", 0o4755);
    write(root, "usr/bin/ls", "#!/bin/sh\n", 0o755);
    write(root, "usr/sbin/unix_chkpwd", "#!/bin/sh\n", 0o2755);
    write(
        root,
        "usr/local/share/notes.txt",
        "anyone may write\n",
        0o666,
    );
    dir(root, "tmp", 0o1777);
    dir(root, "var/tmp", 0o777);
    write(
        root,
        "var/lib/dpkg/status",
        "Package: vigie-sample\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:9.2p1-2+deb12u3\n\n\
         Package: telnetd\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 0.17+2.4-2\n\n\
         Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22\n",
        0o644,
    );
    let link = root.join("etc/localtime");
    let _ = fs::remove_file(&link);
    std::os::unix::fs::symlink("/usr/share/zoneinfo/Etc/UTC", &link).expect("symlink");
}
