//! The domain-suffix table: lower-case domains in one hash table; a host is looked up once
//! per label boundary (`a.b.evil.com`, `b.evil.com`, `evil.com`, `com`), so an indicator
//! domain matches itself and its subdomains, never a name that merely ends with its text.

use std::collections::HashMap;

use foldhash::fast::RandomState;

#[derive(Debug, Clone, Default)]
pub struct SuffixTable {
    domains: HashMap<Box<str>, u32, RandomState>,
}

impl SuffixTable {
    /// Adds a domain, already lower case without a trailing dot; gives back the value the
    /// same domain had.
    pub fn insert(&mut self, domain: &str, value: u32) -> Option<u32> {
        self.domains.insert(domain.into(), value)
    }

    /// Calls `f(matched domain, value)` for the host and each parent domain in the table,
    /// the longest first. `host` is lower case.
    pub fn each<'a>(&'a self, host: &str, mut f: impl FnMut(&'a str, u32)) {
        let mut rest = host;
        loop {
            if rest.is_empty() {
                return;
            }
            if let Some((k, v)) = self.domains.get_key_value(rest) {
                f(k, *v);
            }
            match rest.find('.') {
                Some(i) => rest = &rest[i + 1..],
                None => return,
            }
        }
    }

    /// Room for `additional` more domains without growing.
    pub fn reserve(&mut self, additional: usize) {
        self.domains.reserve(additional);
    }

    /// The value of the exact domain.
    pub fn exact(&self, domain: &str) -> Option<u32> {
        self.domains.get(domain).copied()
    }

    pub fn len(&self) -> usize {
        self.domains.len()
    }

    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains_match_lookalikes_do_not() {
        let mut t = SuffixTable::default();
        t.insert("evil.com", 1);
        t.insert("b.evil.com", 2);
        let mut seen = Vec::new();
        t.each("a.b.evil.com", |d, v| seen.push((d, v)));
        assert_eq!(seen, vec![("b.evil.com", 2), ("evil.com", 1)]);
        let mut none = Vec::new();
        t.each("notevil.com", |d, v| none.push((d, v)));
        t.each("evil.com.example", |d, v| none.push((d, v)));
        t.each("", |d, v| none.push((d, v)));
        assert!(none.is_empty());
        assert_eq!(t.exact("evil.com"), Some(1));
    }
}
