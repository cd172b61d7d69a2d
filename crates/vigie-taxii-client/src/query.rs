//! The filters of object, manifest and version requests: `added_after`, `match[id]`,
//! `match[type]`, `match[version]`, `match[spec_version]`, `limit` and `next`, as query
//! parameters (several values of one filter joined by commas, as TAXII 2.1 says).

/// Which versions of each object to return (`match[version]`; the server's default is `last`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionMatch {
    First,
    Last,
    All,
    /// One version, by its `modified` (or `created`) timestamp.
    At(String),
}

impl VersionMatch {
    fn as_str(&self) -> &str {
        match self {
            VersionMatch::First => "first",
            VersionMatch::Last => "last",
            VersionMatch::All => "all",
            VersionMatch::At(t) => t,
        }
    }
}

/// A request's filters; empty lists and `None` send nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectQuery {
    /// Only objects the server added after this time (a timestamp as the server gives them,
    /// e.g. its `X-TAXII-Date-Added-Last` header).
    pub added_after: Option<String>,
    pub ids: Vec<String>,
    pub types: Vec<String>,
    pub versions: Vec<VersionMatch>,
    pub spec_versions: Vec<String>,
    /// Largest page wanted (the server may give fewer).
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub next: Option<String>,
}

impl ObjectQuery {
    /// The query parameters, in a fixed order.
    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let mut add = |key: &str, value: String| pairs.push((key.to_owned(), value));
        if let Some(t) = &self.added_after {
            add("added_after", t.clone());
        }
        if !self.ids.is_empty() {
            add("match[id]", self.ids.join(","));
        }
        if !self.types.is_empty() {
            add("match[type]", self.types.join(","));
        }
        if !self.versions.is_empty() {
            let v: Vec<&str> = self.versions.iter().map(VersionMatch::as_str).collect();
            add("match[version]", v.join(","));
        }
        if !self.spec_versions.is_empty() {
            add("match[spec_version]", self.spec_versions.join(","));
        }
        if let Some(n) = self.limit {
            add("limit", n.to_string());
        }
        if let Some(n) = &self.next {
            add("next", n.clone());
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_parameters_in_order() {
        let q = ObjectQuery {
            added_after: Some("2016-11-01T03:04:05Z".into()),
            ids: vec!["indicator--1".into()],
            types: vec!["indicator".into(), "malware".into()],
            versions: vec![
                VersionMatch::First,
                VersionMatch::At("2016-12-25T12:30:59.444Z".into()),
            ],
            spec_versions: vec!["2.1".into()],
            limit: Some(2),
            next: Some("abc".into()),
        };
        let keys: Vec<String> = q
            .pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            keys,
            [
                "added_after=2016-11-01T03:04:05Z",
                "match[id]=indicator--1",
                "match[type]=indicator,malware",
                "match[version]=first,2016-12-25T12:30:59.444Z",
                "match[spec_version]=2.1",
                "limit=2",
                "next=abc"
            ]
        );
        assert!(ObjectQuery::default().pairs().is_empty());
    }
}
