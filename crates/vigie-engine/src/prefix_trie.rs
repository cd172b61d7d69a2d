//! Literal prefixes in a trie walked from the start of a text: every pattern that begins
//! the text is found in as many steps as the longest one that does. The patterns are kept end
//! to end as they are added, then sorted: in that order the trie's nodes come in depth-first
//! order, which is how they are laid out flat, so that a walk reads adjacent memory.

/// A node once laid out: where its edges and tests start in the flat arrays, and how many.
#[derive(Clone, Copy, Default)]
struct Node {
    edges: u32,
    edge_count: u32,
    tests: u32,
    test_count: u32,
}

/// The trie. [`PrefixTrie::add`] patterns, then [`PrefixTrie::finish`] before scanning.
#[derive(Default)]
pub(crate) struct PrefixTrie {
    /// The patterns added, end to end, and each one's start, length and test id.
    added_bytes: Vec<u8>,
    added: Vec<(u32, u32, u32)>,
    /// The nodes in depth-first order (the root first).
    nodes: Vec<Node>,
    /// Every node's edges, each node's together and sorted: the byte, and the node it leads to.
    edge_bytes: Vec<u8>,
    edge_next: Vec<u32>,
    tests: Vec<u32>,
}

impl PrefixTrie {
    /// Adds the pattern of test `id`.
    pub(crate) fn add(&mut self, id: u32, pattern: impl Iterator<Item = u8>) {
        let start = self.added_bytes.len();
        self.added_bytes.extend(pattern);
        let len = self.added_bytes.len() - start;
        self.added.push((start as u32, len as u32, id));
    }

    /// Lays the nodes out flat, in depth-first order: the patterns sorted (equal ones in the
    /// order they were added), each adds the nodes past what it shares with the one before.
    pub(crate) fn finish(&mut self) {
        let bytes = std::mem::take(&mut self.added_bytes);
        let mut added = std::mem::take(&mut self.added);
        if added.is_empty() {
            return;
        }
        let pattern = |&(start, len, _): &(u32, u32, u32)| {
            bytes
                .get(start as usize..(start + len) as usize)
                .unwrap_or_default()
        };
        added.sort_by(|a, b| pattern(a).cmp(pattern(b)));
        // Each node's parent and the byte leading to it, in the order they are made (depth
        // first, children by byte); the root is node 0.
        let mut parent: Vec<u32> = vec![0];
        let mut byte: Vec<u8> = vec![0];
        // Each pattern's test, at the node where it ends (in node order, as sorted).
        let mut ends: Vec<(u32, u32)> = Vec::with_capacity(added.len());
        // The nodes of the previous pattern, from the root.
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u8] = &[];
        for a in &added {
            let p = pattern(a);
            let shared = previous.iter().zip(p).take_while(|(x, y)| x == y).count();
            path.truncate(shared + 1);
            for &b in p.get(shared..).unwrap_or_default() {
                let node = parent.len() as u32;
                parent.push(path.last().copied().unwrap_or(0));
                byte.push(b);
                path.push(node);
            }
            ends.push((path.last().copied().unwrap_or(0), a.2));
            previous = p;
        }
        // Each node's edges where the nodes before it end theirs; its children come in
        // node order, which is their bytes' order.
        let count = parent.len();
        let mut first_edge = vec![0u32; count + 1];
        for &p in parent.iter().skip(1) {
            first_edge[p as usize + 1] += 1;
        }
        for i in 0..count {
            first_edge[i + 1] += first_edge[i];
        }
        let mut next_edge = first_edge.clone();
        self.edge_bytes = vec![0; count - 1];
        self.edge_next = vec![0; count - 1];
        for (child, (&p, &b)) in parent.iter().zip(&byte).enumerate().skip(1) {
            let at = next_edge[p as usize] as usize;
            next_edge[p as usize] += 1;
            self.edge_bytes[at] = b;
            self.edge_next[at] = child as u32;
        }
        self.tests = ends.iter().map(|e| e.1).collect();
        self.nodes = Vec::with_capacity(count);
        let mut end = 0;
        for node in 0..count {
            let tests = end;
            while ends.get(end).is_some_and(|e| e.0 as usize == node) {
                end += 1;
            }
            self.nodes.push(Node {
                edges: first_edge[node],
                edge_count: first_edge[node + 1] - first_edge[node],
                tests: tests as u32,
                test_count: (end - tests) as u32,
            });
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.added.is_empty()
    }

    /// Marks the tests of every pattern that begins `text`.
    pub(crate) fn scan(&self, text: impl Iterator<Item = u8>, mark: &mut impl FnMut(u32)) {
        let Some(&root) = self.nodes.first() else {
            return;
        };
        let mut node = root;
        for b in text {
            let start = node.edges as usize;
            let Some(bytes) = self.edge_bytes.get(start..start + node.edge_count as usize) else {
                return;
            };
            let Ok(i) = bytes.binary_search(&b) else {
                return;
            };
            let Some(next) = self
                .edge_next
                .get(start + i)
                .and_then(|&n| self.nodes.get(n as usize))
            else {
                return;
            };
            node = *next;
            if node.test_count > 0 {
                let start = node.tests as usize;
                if let Some(ids) = self.tests.get(start..start + node.test_count as usize) {
                    ids.iter().for_each(|&id| mark(id));
                }
            }
        }
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The tests found are those of the patterns that begin the text, as a naive check
        /// of each pattern finds them.
        #[test]
        fn finds_the_patterns_that_begin_the_text(
            patterns in proptest::collection::vec("[ab\\\\]{0,5}", 0..12),
            text in "[ab\\\\]{0,8}",
        ) {
            let mut trie = PrefixTrie::default();
            for (id, p) in patterns.iter().enumerate() {
                trie.add(id as u32, p.bytes());
            }
            trie.finish();
            let mut found = Vec::new();
            trie.scan(text.bytes(), &mut |id| found.push(id));
            found.sort_unstable();
            // The root's own tests (empty patterns) are not reported: an empty prefix is
            // not indexed.
            let expected: Vec<u32> = patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.is_empty() && text.starts_with(p.as_str()))
                .map(|(id, _)| id as u32)
                .collect();
            prop_assert_eq!(found, expected);
        }
    }
}
