//! Member paths of archives made safe: relative, `.` dropped, never a `..` nor an absolute path.

/// The normalised relative form of an archive member path (`./a//b/` → `a/b`), or why it is
/// refused: an absolute path or a `..` component would leave the root.
pub(crate) fn normalise(raw: &str) -> Result<String, &'static str> {
    if raw.starts_with('/') {
        return Err("absolute path refused");
    }
    let mut parts = Vec::new();
    for c in raw.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err("path with `..` refused"),
            c => parts.push(c),
        }
    }
    Ok(parts.join("/"))
}

/// The parent folder of a normalised path (`""` for the root).
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The last component of a normalised path.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, n)| n)
}

/// `dir/name`, or `name` at the root.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether `path` is `dir` itself or under it.
pub(crate) fn within(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path == dir
        || (path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_refuses_escapes() {
        assert_eq!(normalise("./a//b/"), Ok("a/b".to_owned()));
        assert!(normalise("/etc/passwd").is_err());
        assert!(normalise("a/../../x").is_err());
        assert_eq!(normalise("."), Ok(String::new()));
    }

    #[test]
    fn within_is_by_component() {
        assert!(within("a/b", "a"));
        assert!(!within("ab", "a"));
        assert!(within("a", "a"));
        assert!(within("x", ""));
    }
}
