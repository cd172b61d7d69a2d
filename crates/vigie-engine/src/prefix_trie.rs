//! Literal prefixes in a trie walked from the start of a text: every pattern that begins
//! the text is found in as many steps as the longest one that does. Built node by node,
//! then laid out flat in depth-first order, so that a walk reads adjacent memory.

/// A node being built: its children by byte (sorted) and the tests of the pattern ending
/// there.
#[derive(Default)]
struct BuildNode {
    children: Vec<(u8, u32)>,
    tests: Vec<u32>,
}

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
    building: Vec<BuildNode>,
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
        if self.building.is_empty() {
            self.building.push(BuildNode::default());
        }
        let mut node = 0usize;
        for b in pattern {
            let children = &self.building[node].children;
            node = match children.binary_search_by_key(&b, |c| c.0) {
                Ok(i) => children[i].1 as usize,
                Err(i) => {
                    let next = self.building.len();
                    self.building.push(BuildNode::default());
                    self.building[node].children.insert(i, (b, next as u32));
                    next
                }
            };
        }
        self.building[node].tests.push(id);
    }

    /// Lays the nodes out flat, in depth-first order.
    pub(crate) fn finish(&mut self) {
        let building = std::mem::take(&mut self.building);
        if building.is_empty() {
            return;
        }
        // Preorder numbers: a node's first child comes right after it.
        let mut order = vec![0u32; building.len()];
        let mut preorder = Vec::with_capacity(building.len());
        let mut stack = vec![0usize];
        while let Some(n) = stack.pop() {
            order[n] = preorder.len() as u32;
            preorder.push(n);
            stack.extend(building[n].children.iter().rev().map(|c| c.1 as usize));
        }
        self.nodes = Vec::with_capacity(preorder.len());
        for &n in &preorder {
            let b = &building[n];
            self.nodes.push(Node {
                edges: self.edge_bytes.len() as u32,
                edge_count: b.children.len() as u32,
                tests: self.tests.len() as u32,
                test_count: b.tests.len() as u32,
            });
            self.edge_bytes.extend(b.children.iter().map(|c| c.0));
            self.edge_next
                .extend(b.children.iter().map(|c| order[c.1 as usize]));
            self.tests.extend_from_slice(&b.tests);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.building.is_empty()
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
