//! Account probes over the root's files: `password` (`etc/passwd`) and `shadow`
//! (`etc/shadow`, with the hash method named from the hash's `$id$` prefix).

use std::path::Path;

use crate::item::{Item, Spec};
use crate::probes::paths::host_path;

/// Accounts of the root's `etc/passwd`.
pub fn password(root: &Path, username: &Spec) -> Vec<Item> {
    let text = std::fs::read_to_string(host_path(root, "/etc/passwd")).unwrap_or_default();
    let mut out = Vec::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split(':').collect();
        let [user, pw, uid, gid, gcos, home, shell] = f[..] else {
            continue;
        };
        if !username.matches(user) {
            continue;
        }
        out.push(
            Item::default()
                .with("username", user)
                .with("password", pw)
                .with("user_id", uid)
                .with("group_id", gid)
                .with("gcos", gcos)
                .with("home_dir", home)
                .with("login_shell", shell),
        );
    }
    out
}

/// The hash method of a crypt(3) string, as OVAL's shadow item names it.
fn encrypt_method(hash: &str) -> &'static str {
    let id = hash
        .strip_prefix('$')
        .and_then(|h| h.split('$').next())
        .unwrap_or("");
    match id {
        "1" => "MD5",
        "2" | "2a" | "2b" | "2x" | "2y" => "Blowfish",
        "md5" => "Sun MD5",
        "5" => "SHA-256",
        "6" => "SHA-512",
        "y" => "yescrypt",
        _ if hash.len() == 13 && !hash.starts_with(['!', '*']) => "DES",
        _ if hash.starts_with('_') => "BSDi",
        _ => "",
    }
}

/// Accounts of the root's `etc/shadow`: every field, empty ones left out.
pub fn shadow(root: &Path, username: &Spec) -> Vec<Item> {
    let text = std::fs::read_to_string(host_path(root, "/etc/shadow")).unwrap_or_default();
    let names = [
        "chg_lst",
        "chg_allow",
        "chg_req",
        "exp_warn",
        "exp_inact",
        "exp_date",
        "flag",
    ];
    let mut out = Vec::new();
    for l in text.lines() {
        let f: Vec<&str> = l.split(':').collect();
        if f.len() < 2 || !username.matches(f[0]) {
            continue;
        }
        let mut it = Item::default()
            .with("username", f[0])
            .with("password", f[1]);
        for (name, v) in names.iter().zip(f.iter().skip(2)) {
            if !v.is_empty() {
                it.push(name, *v);
            }
        }
        it.push("encrypt_method", encrypt_method(f[1]));
        out.push(it);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encrypt_method;

    #[test]
    fn hash_methods() {
        assert_eq!(encrypt_method("$6$salt$hash"), "SHA-512");
        assert_eq!(encrypt_method("$y$j9T$salt$hash"), "yescrypt");
        assert_eq!(encrypt_method("!"), "");
        assert_eq!(encrypt_method("abcdefghijklm"), "DES");
    }
}
