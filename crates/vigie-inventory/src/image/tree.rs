//! The virtual file map of an image: the regular files the inventory reads and every symbolic
//! link, by normalised path, as the layers left them; lookups resolve links inside the image
//! root only (`..` stops at the root, absolute targets start from it), loops refused.

use std::collections::BTreeMap;

use super::paths::{join, parent, within};

/// A path of the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    File(Vec<u8>),
    Link(String),
}

/// Links followed in one lookup before it is called a loop (as Linux's 40).
const MAX_HOPS: usize = 40;

/// The file map.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub(crate) nodes: BTreeMap<String, Node>,
}

impl Tree {
    /// Removes `path` and everything under it.
    pub(crate) fn remove_all(&mut self, path: &str, keep: impl Fn(&str) -> bool) {
        let gone: Vec<String> = self
            .nodes
            .range(path.to_owned()..)
            .take_while(|(k, _)| k.starts_with(path))
            .filter(|(k, _)| within(k, path) && !keep(k))
            .map(|(k, _)| k.clone())
            .collect();
        for k in gone {
            self.nodes.remove(&k);
        }
    }

    /// Removes everything under the folder `dir` (not `dir` itself).
    pub(crate) fn empty_dir(&mut self, dir: &str, keep: impl Fn(&str) -> bool) {
        self.remove_all(dir, |k| k == dir || keep(k));
    }

    /// The path `path` names once every link in it is followed, or why not (a loop).
    pub(crate) fn resolve(&self, path: &str) -> Result<String, String> {
        let mut todo: Vec<String> = path.rsplit('/').map(str::to_owned).collect();
        let mut at = String::new();
        let mut hops = 0;
        while let Some(c) = todo.pop() {
            match c.as_str() {
                "" | "." => continue,
                ".." => {
                    at = parent(&at).to_owned();
                    continue;
                }
                _ => {}
            }
            let next = join(&at, &c);
            if let Some(Node::Link(target)) = self.nodes.get(&next) {
                hops += 1;
                if hops > MAX_HOPS {
                    return Err("too many symbolic links (a loop)".into());
                }
                if target.starts_with('/') {
                    at.clear();
                }
                todo.extend(target.rsplit('/').map(str::to_owned));
            } else {
                at = next;
            }
        }
        Ok(at)
    }

    /// The content of the regular file `path` names (links followed), if any.
    pub(crate) fn file(&self, path: &str) -> Result<Option<&[u8]>, String> {
        let real = self.resolve(path)?;
        Ok(match self.nodes.get(&real) {
            Some(Node::File(b)) => Some(b),
            _ => None,
        })
    }

    /// The names directly in the folder `dir` names (links followed).
    pub(crate) fn list(&self, dir: &str) -> Result<Vec<String>, String> {
        let real = self.resolve(dir)?;
        let prefix = if real.is_empty() {
            String::new()
        } else {
            format!("{real}/")
        };
        Ok(self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, _)| {
                let rest = &k[prefix.len()..];
                (!rest.contains('/')).then(|| rest.to_owned())
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, Node)]) -> Tree {
        Tree {
            nodes: entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn links_stay_inside_the_root() {
        let t = tree(&[
            ("etc/os-release", Node::Link("../usr/lib/os-release".into())),
            ("usr/lib/os-release", Node::File(b"ID=debian".to_vec())),
            (
                "escape",
                Node::Link("../../../../usr/lib/os-release".into()),
            ),
            ("abs", Node::Link("/usr/lib/os-release".into())),
            ("lib", Node::Link("usr/lib".into())),
        ]);
        for p in ["etc/os-release", "escape", "abs", "lib/os-release"] {
            assert_eq!(t.file(p).expect("resolves"), Some(&b"ID=debian"[..]), "{p}");
        }
    }

    #[test]
    fn loops_are_refused() {
        let t = tree(&[("a", Node::Link("b".into())), ("b", Node::Link("a".into()))]);
        assert!(t.file("a").is_err());
        assert!(t.file("a/x").is_err());
    }

    #[test]
    fn remove_all_is_by_component() {
        let mut t = tree(&[
            ("a/x", Node::File(vec![])),
            ("ab", Node::File(vec![])),
            ("a", Node::Link("q".into())),
        ]);
        t.remove_all("a", |_| false);
        assert_eq!(t.nodes.keys().collect::<Vec<_>>(), ["ab"]);
    }
}
