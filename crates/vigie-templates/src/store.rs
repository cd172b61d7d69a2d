//! The miner as JSON, so that a later run knows the templates an earlier one saw and keeps their
//! ids: `{"format": "vigie-templates", "version": 1, "templates": [{"id", "template", "count"}]}`,
//! templates in id order, each as its raw tokens joined by single spaces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::TemplateError;
use crate::miner::{Config, Miner};

const FORMAT: &str = "vigie-templates";
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct StoreFile {
    format: String,
    version: u32,
    templates: Vec<StoredTemplate>,
}

#[derive(Serialize, Deserialize)]
struct StoredTemplate {
    id: u32,
    template: String,
    count: u64,
    /// The id of the group that absorbed this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    merged_into: Option<u32>,
    /// (position, how many different words it has held) where lines were kept apart by a word.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    words: Vec<[u32; 2]>,
}

impl Miner {
    /// The miner's templates as store JSON (pretty-printed, one template per few lines).
    pub fn to_store_json(&self) -> String {
        let mut words: BTreeMap<u32, Vec<[u32; 2]>> = BTreeMap::new();
        for (&(g, p), &n) in &self.word_values {
            words.entry(g).or_default().push([p, n]);
        }
        words.values_mut().for_each(|w| w.sort_unstable());
        let file = StoreFile {
            format: FORMAT.into(),
            version: VERSION,
            templates: self
                .groups
                .iter()
                .enumerate()
                .map(|(k, g)| StoredTemplate {
                    id: k as u32 + 1,
                    template: self.raw_group_template(k),
                    count: g.count,
                    merged_into: g.merged_into.map(|m| m + 1),
                    words: words.remove(&(k as u32)).unwrap_or_default(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// A miner that knows the templates of store JSON; `name` (a file name) is for messages.
    pub fn from_store_json(text: &str, name: &str, config: Config) -> Result<Miner, TemplateError> {
        let bad = |place: String, reason: String| TemplateError::BadStore {
            name: name.to_owned(),
            place,
            reason,
        };
        let file: StoreFile = serde_json::from_str(text).map_err(|e| {
            let reason = e.to_string();
            let reason = reason
                .rfind(" at line ")
                .map_or(&reason[..], |p| &reason[..p]);
            bad(
                format!("line {} column {}", e.line(), e.column()),
                reason.to_owned(),
            )
        })?;
        if file.format != FORMAT || file.version != VERSION {
            return Err(bad(
                "header".into(),
                format!(
                    "format {:?} version {} is not {FORMAT:?} version {VERSION}",
                    file.format, file.version
                ),
            ));
        }
        let mut miner = Miner::new(config);
        for (k, t) in file.templates.iter().enumerate() {
            if t.id as usize != k + 1 {
                return Err(bad(
                    format!("template id {}", t.id),
                    format!("ids must run 1, 2, 3... in order; expected {}", k + 1),
                ));
            }
            if t.merged_into
                .is_some_and(|m| m == 0 || m == t.id || m as usize > file.templates.len())
            {
                return Err(bad(
                    format!("template id {}", t.id),
                    "merged_into must name another template of the store".into(),
                ));
            }
            miner.add_template(&t.template, t.count, t.merged_into.map(|m| m - 1));
            for &[p, n] in &t.words {
                miner.word_values.insert((k as u32, p), n);
            }
        }
        Ok(miner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_ids_and_templates() {
        let mut m = Miner::default();
        let a = m.feed("session opened for user alice by (uid=0)");
        m.feed("session opened for user bob by (uid=0)");
        let b = m.feed("Connection closed by 10.1.2.3 [preauth]");
        let json = m.to_store_json();
        let mut again = Miner::from_store_json(&json, "t.json", Config::default()).expect("reads");
        assert_eq!(again.template(a.id), m.template(a.id));
        let seen = again.feed("Connection closed by 10.9.9.9 [preauth]");
        assert_eq!((seen.id, seen.is_new), (b.id, false));
        let fresh = again.feed("Server listening on :: port 22.");
        assert_eq!((fresh.id as usize, fresh.is_new), (m.len() + 1, true));
    }

    #[test]
    fn round_trip_keeps_absorbed_groups() {
        let mut m = Miner::default();
        let ids: Vec<_> = ["alice", "bob", "carol", "dave"]
            .iter()
            .map(|u| m.feed(&format!("session opened for user {u} by sshd")).id)
            .collect();
        let json = m.to_store_json();
        assert!(json.contains("\"merged_into\""), "{json}");
        let again = Miner::from_store_json(&json, "t.json", Config::default()).expect("reads");
        for id in ids {
            assert_eq!(again.resolve(id), m.resolve(id));
            assert_eq!(
                again.template(id).as_deref(),
                Some("session opened for user <*> by sshd")
            );
        }
    }

    #[test]
    fn bad_store_names_the_place() {
        let e = Miner::from_store_json("{\"format\": 3", "s.json", Config::default())
            .expect_err("must fail");
        assert!(
            e.to_string()
                .starts_with("template store s.json: line 1 column"),
            "{e}"
        );
        let e = Miner::from_store_json(
            r#"{"format":"vigie-templates","version":1,"templates":[{"id":2,"template":"a","count":1}]}"#,
            "s.json",
            Config::default(),
        )
        .expect_err("must fail");
        assert!(e.to_string().contains("template id 2"), "{e}");
    }
}
