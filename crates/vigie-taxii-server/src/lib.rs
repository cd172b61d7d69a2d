//! Vigie's TAXII 2.1 server: collections of STIX objects in an embedded SQLite store, served
//! at every TAXII 2.1 endpoint (discovery, API root, status, collections, objects GET / POST,
//! object GET / DELETE, versions, manifest) with TAXII media types, date-added headers,
//! pagination and error bodies. Security by default: it listens on 127.0.0.1 unless
//! configured otherwise, authenticates every request (HTTP Basic against argon2 hashes, or
//! bearer tokens), shows each partner only the collections granted to it or its groups, and
//! never serves an object above the partner's TLP clearance, whatever the query. TLS through
//! rustls when given a certificate.

mod auth;
mod config;
mod error;
mod filter;
mod respond;
mod routes;
mod serve;
mod store;

pub use auth::{hash_password, token_digest};
pub use config::{Collection, Partner, ServerConfig, DEFAULT_BIND, DEFAULT_MAX_CONTENT_LENGTH};
pub use error::{ConfigError, ServerError};
pub use filter::{Allowed, Filter};
pub use respond::{STIX, TAXII};
pub use serve::{start, Running};
pub use store::STORE_FILE;
