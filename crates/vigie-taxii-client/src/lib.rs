//! A blocking TAXII 2.1 client: server discovery, API root information, collections, objects
//! (filters `added_after` and `match[id|type|version|spec_version]`, `limit`, and `next`
//! pagination followed page by page), single objects, object versions, manifests, and push
//! (an envelope POSTed, the status resource read and polled). Requests carry HTTP Basic
//! credentials or a bearer token and the TAXII media type; responses are read under a size
//! limit; the server's error bodies become typed errors. It knows HTTP and JSON; no
//! terminals, no arguments, no intel store.
//!
//! ```no_run
//! use vigie_taxii_client::{Auth, Client, ClientOptions, ObjectQuery};
//!
//! let client = Client::new(ClientOptions::new(Auth::basic("admin", "Password0")));
//! let discovery = client.discovery("http://127.0.0.1:5000/taxii2/")?;
//! let root = discovery.default.as_deref().unwrap_or("http://127.0.0.1:5000/api1/");
//! for collection in client.collections(root)? {
//!     let query = ObjectQuery { limit: Some(100), ..ObjectQuery::default() };
//!     for page in client.object_pages(root, &collection.id, &query) {
//!         println!("{}: {} objects", collection.title, page?.items.len());
//!     }
//! }
//! # Ok::<(), vigie_taxii_client::TaxiiError>(())
//! ```

mod auth;
mod client;
mod error;
mod paging;
mod query;
mod resources;
mod url;

pub use auth::Auth;
pub use client::{
    Client, ClientOptions, DEFAULT_MAX_RESPONSE_SIZE, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE,
};
pub use error::{ErrorBody, TaxiiError};
pub use paging::{Page, Pages};
pub use query::{ObjectQuery, VersionMatch};
pub use resources::{
    ApiRoot, Collection, Discovery, ManifestEntry, Status, StatusDetail, DATE_ADDED_FIRST,
    DATE_ADDED_LAST,
};
pub use url::{api_root_url, collection_url, host_of};
