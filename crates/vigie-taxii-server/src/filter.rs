//! TAXII query parameters: `match[id|type|version|spec_version]`, `added_after`, `limit`,
//! `next`, which each endpoint allows, and how they select object versions.

use std::collections::HashMap;

use chrono::DateTime;

use crate::store::Stored;

/// Which versions of an object `match[version]` keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
enum VersionSel {
    First,
    Last,
    All,
    Exact(String),
}

/// What a request asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub ids: Vec<String>,
    pub types: Vec<String>,
    versions: Vec<VersionSel>,
    pub spec_versions: Vec<String>,
    /// Microseconds since the epoch.
    pub added_after: Option<i64>,
    pub limit: Option<usize>,
    /// The `seq` after which the page starts.
    pub next: Option<i64>,
}

/// The parameters an endpoint takes (besides `added_after`, `limit`, `next`).
#[derive(Debug, Clone, Copy)]
pub enum Allowed {
    /// objects, manifest: id, type, version, spec_version.
    Objects,
    /// one object: version, spec_version.
    Object,
    /// versions: spec_version.
    Versions,
}

fn list(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `next` tokens: opaque to clients, the sequence number of the last object of a page.
pub fn next_token(seq: i64) -> String {
    format!("v1.{seq}")
}

impl Filter {
    /// Reads a query string; an unknown or disallowed parameter, or a bad value, is an error
    /// message for a 400.
    pub fn parse(query: Option<&str>, allowed: Allowed) -> Result<Filter, String> {
        let pairs: Vec<(String, String)> = match query {
            Some(q) => serde_urlencoded::from_str(q).map_err(|e| format!("bad query: {e}"))?,
            None => Vec::new(),
        };
        let mut f = Filter::default();
        for (key, value) in pairs {
            let ok = matches!(
                (key.as_str(), allowed),
                ("added_after" | "limit" | "next" | "match[spec_version]", _)
                    | ("match[id]" | "match[type]", Allowed::Objects)
                    | ("match[version]", Allowed::Objects | Allowed::Object)
            );
            if !ok {
                return Err(format!("parameter {key:?} is not allowed here"));
            }
            match key.as_str() {
                "added_after" => {
                    let t = DateTime::parse_from_rfc3339(value.trim())
                        .map_err(|_| format!("added_after {value:?} is not a timestamp"))?;
                    f.added_after = Some(t.timestamp_micros());
                }
                "limit" => {
                    let n: usize = value
                        .trim()
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| format!("limit {value:?} is not a positive number"))?;
                    f.limit = Some(n);
                }
                "next" => {
                    let seq = value
                        .trim()
                        .strip_prefix("v1.")
                        .and_then(|s| s.parse::<i64>().ok())
                        .ok_or_else(|| format!("next {value:?} was not given by this server"))?;
                    f.next = Some(seq);
                }
                "match[id]" => f.ids.extend(list(&value)),
                "match[type]" => f.types.extend(list(&value)),
                "match[spec_version]" => f.spec_versions.extend(list(&value)),
                _ => {
                    for v in list(&value) {
                        f.versions.push(match v.as_str() {
                            "first" => VersionSel::First,
                            "last" => VersionSel::Last,
                            "all" => VersionSel::All,
                            t => {
                                DateTime::parse_from_rfc3339(t).map_err(|_| {
                                    format!("match[version] {t:?}: first, last, all or a timestamp")
                                })?;
                                VersionSel::Exact(t.to_owned())
                            }
                        });
                    }
                }
            }
        }
        Ok(f)
    }

    /// Keeps the versions this filter selects, in `date_added` order (pagination aside).
    pub fn apply(&self, rows: Vec<(Stored, String)>) -> Vec<Stored> {
        let rows: Vec<(Stored, String)> = rows
            .into_iter()
            .filter(|(s, kind)| {
                (self.ids.is_empty() || self.ids.contains(&s.id))
                    && (self.types.is_empty() || self.types.contains(kind))
                    && (self.spec_versions.is_empty()
                        || self.spec_versions.contains(&s.spec_version))
            })
            .collect();
        // Per object: its latest spec_version (what is served when none is asked for), then
        // its first and last versions among those served.
        let mut spec: HashMap<&str, &str> = HashMap::new();
        for (s, _) in &rows {
            let e = spec.entry(s.id.as_str()).or_insert(s.spec_version.as_str());
            if s.spec_version.as_str() > *e {
                *e = s.spec_version.as_str();
            }
        }
        let served = |s: &Stored| {
            !self.spec_versions.is_empty()
                || spec.get(s.id.as_str()) == Some(&s.spec_version.as_str())
        };
        let mut span: HashMap<&str, (i64, i64)> = HashMap::new();
        for (s, _) in rows.iter().filter(|(s, _)| served(s)) {
            let k = version_key(&s.version);
            let e = span.entry(s.id.as_str()).or_insert((k, k));
            e.0 = e.0.min(k);
            e.1 = e.1.max(k);
        }
        let sels: &[VersionSel] = if self.versions.is_empty() {
            &[VersionSel::Last]
        } else {
            &self.versions
        };
        let keep: Vec<bool> = rows
            .iter()
            .map(|(s, _)| {
                let Some(&(first, last)) = span.get(s.id.as_str()) else {
                    return false;
                };
                if !served(s) || self.added_after.is_some_and(|after| s.added_us <= after) {
                    return false;
                }
                let k = version_key(&s.version);
                sels.iter().any(|sel| match sel {
                    VersionSel::All => true,
                    VersionSel::First => k == first,
                    VersionSel::Last => k == last,
                    VersionSel::Exact(t) => version_key(t) == k,
                })
            })
            .collect();
        rows.into_iter()
            .zip(keep)
            .filter_map(|((s, _), k)| k.then_some(s))
            .collect()
    }

    /// One page of `rows` (in order) after `next`, at most `limit` (capped by `max`): the
    /// page and whether more follow.
    pub fn page<'a>(&self, rows: &'a [Stored], max: usize) -> (&'a [Stored], bool) {
        let start = match self.next {
            Some(seq) => rows.partition_point(|s| s.seq <= seq),
            None => 0,
        };
        let size = self.limit.unwrap_or(max).min(max);
        let end = (start + size).min(rows.len());
        (&rows[start..end], end < rows.len())
    }
}

/// A version timestamp as microseconds, so that `...00Z` and `...00.000Z` compare equal.
fn version_key(v: &str) -> i64 {
    DateTime::parse_from_rfc3339(v).map_or(i64::MIN, |t| t.timestamp_micros())
}

impl Filter {
    /// Every version (the versions endpoint lists them all).
    pub fn select_all_versions(&mut self) {
        self.versions = vec![VersionSel::All];
    }

    /// Every version unless `match[version]` says otherwise (what DELETE removes).
    pub fn default_to_all_versions(&mut self) {
        if self.versions.is_empty() {
            self.select_all_versions();
        }
    }
}
