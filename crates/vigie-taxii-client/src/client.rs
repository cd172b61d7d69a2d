//! The client: one `ureq` agent (no redirects followed, HTTP statuses read rather than raised,
//! timeouts), the `Authorization`, `Accept` and `Content-Type` headers, responses read under
//! the size limit and decoded into resources, error statuses turned into `TaxiiError`s with
//! the server's error body, and one method per TAXII 2.1 endpoint.

use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;
use ureq::http::{HeaderMap, Response};
use ureq::Body;

use crate::auth::Auth;
use crate::error::{ErrorBody, TaxiiError};
use crate::paging::{Page, Pages};
use crate::query::ObjectQuery;
use crate::resources::{
    ApiRoot, Collection, Collections, Discovery, Envelope, ManifestEntry, Status, DATE_ADDED_FIRST,
    DATE_ADDED_LAST,
};
use crate::url::{collection_url, encode, object_url, with_query, with_slash};

/// The media type of TAXII 2.1 resources (`Accept` of every request, `Content-Type` of a push).
pub const TAXII_MEDIA_TYPE: &str = "application/taxii+json;version=2.1";
/// The media type of STIX 2.1 content.
pub const STIX_MEDIA_TYPE: &str = "application/stix+json;version=2.1";
/// Largest response read, unless told otherwise.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;
/// Largest error body read (the rest is not needed to say what went wrong).
const MAX_ERROR_BODY: u64 = 64 * 1024;

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub auth: Auth,
    /// Largest response body read, in bytes; a larger one is `ResponseTooLarge`.
    pub max_response_size: u64,
    /// Longest a request may take, connection to last byte.
    pub timeout: Duration,
    /// `Accept` sent (TAXII 2.1's media type unless a server needs another spelling).
    pub accept: String,
    /// `Content-Type` of a push.
    pub content_type: String,
}

impl ClientOptions {
    pub fn new(auth: Auth) -> ClientOptions {
        ClientOptions {
            auth,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            timeout: Duration::from_secs(60),
            accept: TAXII_MEDIA_TYPE.to_owned(),
            content_type: TAXII_MEDIA_TYPE.to_owned(),
        }
    }
}

/// A successful response, read.
struct Reply {
    url: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

pub struct Client {
    agent: ureq::Agent,
    authorization: Option<String>,
    options: ClientOptions,
}

impl Client {
    pub fn new(options: ClientOptions) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.timeout.min(Duration::from_secs(15))))
            .user_agent(concat!("vigie/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            authorization: options.auth.header(),
            options,
        }
    }

    /// `GET /taxii2/` (a server address without a path gets `/taxii2/`).
    pub fn discovery(&self, url: &str) -> Result<Discovery, TaxiiError> {
        let mut url = with_slash(url)?;
        if url.matches('/').count() == 3 {
            url.push_str("taxii2/");
        }
        self.get_resource(&url, "discovery resource")
    }

    /// `GET {api_root}/`.
    pub fn api_root(&self, api_root: &str) -> Result<ApiRoot, TaxiiError> {
        self.get_resource(&with_slash(api_root)?, "API root")
    }

    /// `GET {api_root}/collections/`.
    pub fn collections(&self, api_root: &str) -> Result<Vec<Collection>, TaxiiError> {
        let url = format!("{}collections/", with_slash(api_root)?);
        let list: Collections = self.get_resource(&url, "collections resource")?;
        Ok(list.collections)
    }

    /// `GET {api_root}/collections/{id}/`.
    pub fn collection(&self, api_root: &str, id: &str) -> Result<Collection, TaxiiError> {
        self.get_resource(&collection_url(api_root, id)?, "collection")
    }

    /// One page of `GET .../collections/{id}/objects/`.
    pub fn objects(
        &self,
        api_root: &str,
        collection: &str,
        query: &ObjectQuery,
    ) -> Result<Page<Value>, TaxiiError> {
        let url = format!("{}objects/", collection_url(api_root, collection)?);
        self.page(&url, query, "envelope")
    }

    /// Every page of the collection's objects, `next` followed.
    pub fn object_pages<'a>(
        &'a self,
        api_root: &'a str,
        collection: &'a str,
        query: &ObjectQuery,
    ) -> Pages<'a, Value> {
        Pages::new(query, move |q| self.objects(api_root, collection, q))
    }

    /// One page of `GET .../objects/{object_id}/` (its versions as `match[version]` says).
    pub fn object(
        &self,
        api_root: &str,
        collection: &str,
        object_id: &str,
        query: &ObjectQuery,
    ) -> Result<Page<Value>, TaxiiError> {
        let url = object_url(api_root, collection, object_id)?;
        self.page(&url, query, "envelope")
    }

    /// One page of `GET .../objects/{object_id}/versions/`.
    pub fn versions(
        &self,
        api_root: &str,
        collection: &str,
        object_id: &str,
        query: &ObjectQuery,
    ) -> Result<Page<String>, TaxiiError> {
        let url = format!("{}versions/", object_url(api_root, collection, object_id)?);
        self.page(&url, query, "versions resource")
    }

    /// One page of `GET .../collections/{id}/manifest/`.
    pub fn manifest(
        &self,
        api_root: &str,
        collection: &str,
        query: &ObjectQuery,
    ) -> Result<Page<ManifestEntry>, TaxiiError> {
        let url = format!("{}manifest/", collection_url(api_root, collection)?);
        self.page(&url, query, "manifest resource")
    }

    /// Every page of the collection's manifest, `next` followed.
    pub fn manifest_pages<'a>(
        &'a self,
        api_root: &'a str,
        collection: &'a str,
        query: &ObjectQuery,
    ) -> Pages<'a, ManifestEntry> {
        Pages::new(query, move |q| self.manifest(api_root, collection, q))
    }

    /// `POST .../collections/{id}/objects/` with the objects as an envelope; the status the
    /// server answers (it may still be pending: see [`Client::wait_for`]).
    pub fn add_objects(
        &self,
        api_root: &str,
        collection: &str,
        objects: &[Value],
    ) -> Result<Status, TaxiiError> {
        let url = format!("{}objects/", collection_url(api_root, collection)?);
        let body = serde_json::json!({ "objects": objects }).to_string();
        let reply = self.send(&url, Some(body.as_bytes()))?;
        decode(&reply, "status resource")
    }

    /// `GET {api_root}/status/{id}/`.
    pub fn status(&self, api_root: &str, id: &str) -> Result<Status, TaxiiError> {
        let url = format!("{}status/{}/", with_slash(api_root)?, encode(id));
        self.get_resource(&url, "status resource")
    }

    /// Polls the status every `interval` until it is complete, for at most `timeout`.
    pub fn wait_for(
        &self,
        api_root: &str,
        mut status: Status,
        interval: Duration,
        timeout: Duration,
    ) -> Result<Status, TaxiiError> {
        let start = Instant::now();
        while !status.is_complete() {
            if start.elapsed() + interval > timeout {
                return Err(TaxiiError::StillPending {
                    url: format!("{}status/{}/", with_slash(api_root)?, encode(&status.id)),
                    id: status.id,
                    waited_secs: start.elapsed().as_secs(),
                });
            }
            std::thread::sleep(interval);
            status = self.status(api_root, &status.id)?;
        }
        Ok(status)
    }

    fn get_resource<T: DeserializeOwned>(
        &self,
        url: &str,
        resource: &'static str,
    ) -> Result<T, TaxiiError> {
        decode(&self.send(url, None)?, resource)
    }

    fn page<T: DeserializeOwned>(
        &self,
        url: &str,
        query: &ObjectQuery,
        resource: &'static str,
    ) -> Result<Page<T>, TaxiiError> {
        let url = with_query(url, &query.pairs());
        let reply = self.send(&url, None)?;
        let envelope: Envelope<T> = decode(&reply, resource)?;
        Ok(Page {
            date_added_first: date_header(&reply, DATE_ADDED_FIRST)?,
            date_added_last: date_header(&reply, DATE_ADDED_LAST)?,
            size: u64::try_from(reply.body.len()).unwrap_or(u64::MAX),
            url: reply.url,
            items: envelope.objects,
            more: envelope.more,
            next: envelope.next.filter(|n| !n.is_empty()),
        })
    }

    /// GET (no body) or POST (a body), and the response read under the limit.
    fn send(&self, url: &str, body: Option<&[u8]>) -> Result<Reply, TaxiiError> {
        let transport = |e: ureq::Error| TaxiiError::Transport {
            url: url.to_owned(),
            reason: e.to_string(),
        };
        let result = match body {
            None => {
                let mut req = self.agent.get(url).header("Accept", &self.options.accept);
                if let Some(a) = &self.authorization {
                    req = req.header("Authorization", a);
                }
                req.call()
            }
            Some(bytes) => {
                let mut req = self
                    .agent
                    .post(url)
                    .header("Accept", &self.options.accept)
                    .header("Content-Type", &self.options.content_type);
                if let Some(a) = &self.authorization {
                    req = req.header("Authorization", a);
                }
                req.send(bytes)
            }
        };
        let response = result.map_err(transport)?;
        self.read(url, response)
    }

    fn read(&self, url: &str, mut response: Response<Body>) -> Result<Reply, TaxiiError> {
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            let location = header(response.headers(), "location").unwrap_or_default();
            return Err(TaxiiError::Redirect {
                url: url.to_owned(),
                location,
            });
        }
        if !(200..300).contains(&status) {
            let text = response
                .body_mut()
                .with_config()
                .limit(MAX_ERROR_BODY)
                .read_to_vec()
                .unwrap_or_default();
            return Err(TaxiiError::from_status(url, status, error_body(&text)));
        }
        let limit = self.options.max_response_size;
        let too_large = || TaxiiError::ResponseTooLarge {
            url: url.to_owned(),
            limit,
        };
        let declared = header(response.headers(), "content-length").and_then(|v| v.parse().ok());
        if declared.is_some_and(|n: u64| n > limit) {
            return Err(too_large());
        }
        let body = match response.body_mut().with_config().limit(limit).read_to_vec() {
            Ok(b) => b,
            Err(ureq::Error::BodyExceedsLimit(_)) => return Err(too_large()),
            Err(e) => {
                return Err(TaxiiError::Transport {
                    url: url.to_owned(),
                    reason: e.to_string(),
                })
            }
        };
        Ok(Reply {
            url: url.to_owned(),
            headers: response.headers().clone(),
            body,
        })
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
}

/// A date header, which must be an RFC 3339 timestamp when present.
fn date_header(reply: &Reply, name: &'static str) -> Result<Option<String>, TaxiiError> {
    match header(&reply.headers, name) {
        None => Ok(None),
        Some(v) if chrono::DateTime::parse_from_rfc3339(&v).is_ok() => Ok(Some(v)),
        Some(v) => Err(TaxiiError::Unexpected {
            url: reply.url.clone(),
            resource: "page",
            reason: format!("{name} is not an RFC 3339 timestamp: {:?}", shorten(&v)),
        }),
    }
}

fn decode<T: DeserializeOwned>(reply: &Reply, resource: &'static str) -> Result<T, TaxiiError> {
    serde_json::from_slice(&reply.body).map_err(|e| {
        if e.classify() == serde_json::error::Category::Data {
            TaxiiError::Unexpected {
                url: reply.url.clone(),
                resource,
                reason: e.to_string(),
            }
        } else {
            TaxiiError::NotJson {
                url: reply.url.clone(),
                reason: e.to_string(),
            }
        }
    })
}

/// The server's TAXII error message, or the start of whatever it sent instead.
fn error_body(bytes: &[u8]) -> ErrorBody {
    if let Ok(body) = serde_json::from_slice::<ErrorBody>(bytes) {
        return body;
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    ErrorBody {
        description: (!text.is_empty()).then(|| shorten(text)),
        ..ErrorBody::default()
    }
}

/// At most 200 characters, control characters as spaces.
fn shorten(text: &str) -> String {
    let mut s: String = text
        .chars()
        .take(200)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > 200 {
        s.push_str("...");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_taxii_or_not() {
        let b = error_body(
            br#"{"title":"Collection not found","http_status":"404","description":"x"}"#,
        );
        assert_eq!(b.title.as_deref(), Some("Collection not found"));
        assert_eq!(b.to_string(), "Collection not found: x");
        let b = error_body(b"<html>\n<h1>Bad Gateway</h1></html>");
        assert_eq!(b.to_string(), "<html> <h1>Bad Gateway</h1></html>");
        assert_eq!(error_body(b"").to_string(), "(no error message)");
        assert!(shorten(&"x".repeat(500)).ends_with("..."));
    }
}
