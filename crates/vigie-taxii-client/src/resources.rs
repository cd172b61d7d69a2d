//! The TAXII 2.1 resources as typed values: discovery, API root, collection, manifest entry
//! and status (with its per-object details). Unknown properties are ignored, optional ones
//! may be absent; a missing required property makes the response `Unexpected`.

use serde::Deserialize;

/// The header giving the `date_added` of the first object of a page.
pub const DATE_ADDED_FIRST: &str = "X-TAXII-Date-Added-First";
/// The header giving the `date_added` of the last object of a page.
pub const DATE_ADDED_LAST: &str = "X-TAXII-Date-Added-Last";

/// `GET /taxii2/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Discovery {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub api_roots: Vec<String>,
}

/// `GET {api-root}/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiRoot {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub versions: Vec<String>,
    /// Largest request body the root accepts, in bytes.
    pub max_content_length: u64,
}

/// One entry of `GET {api-root}/collections/`, or `GET {api-root}/collections/{id}/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Collection {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub alias: Option<String>,
    pub can_read: bool,
    pub can_write: bool,
    #[serde(default)]
    pub media_types: Vec<String>,
}

/// The collections list (`collections` may be absent when there are none).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Collections {
    #[serde(default)]
    pub collections: Vec<Collection>,
}

/// One entry of a manifest: an object version and when the server added it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ManifestEntry {
    pub id: String,
    pub date_added: String,
    pub version: String,
    #[serde(default)]
    pub media_type: Option<String>,
}

/// The status of a push (`POST .../objects/` answers with it; `GET {api-root}/status/{id}/`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Status {
    pub id: String,
    /// `complete` or `pending`.
    pub status: String,
    #[serde(default)]
    pub request_timestamp: Option<String>,
    pub total_count: u64,
    pub success_count: u64,
    pub failure_count: u64,
    pub pending_count: u64,
    #[serde(default)]
    pub successes: Vec<StatusDetail>,
    #[serde(default)]
    pub failures: Vec<StatusDetail>,
    #[serde(default)]
    pub pendings: Vec<StatusDetail>,
}

impl Status {
    pub fn is_complete(&self) -> bool {
        self.status == "complete"
    }
}

/// What the server did with one pushed object.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StatusDetail {
    pub id: String,
    pub version: String,
    #[serde(default)]
    pub message: Option<String>,
}

/// A page of objects (`objects`), of manifest entries (`objects`) or of versions
/// (`versions`), as the server sends it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Envelope<T> {
    #[serde(default)]
    pub more: bool,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default = "Vec::new", alias = "versions")]
    pub objects: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_envelope_is_an_empty_page() {
        let e: Envelope<serde_json::Value> =
            serde_json::from_str("{}").unwrap_or_else(|e| panic!("{e}"));
        assert!(!e.more && e.next.is_none() && e.objects.is_empty());
        let v: Envelope<String> = serde_json::from_str(r#"{"more":true,"versions":["a","b"]}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.objects, ["a", "b"]);
        assert!(v.more);
    }
}
