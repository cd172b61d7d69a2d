//! Log template mining: an online miner that turns syslog-style messages into templates with
//! `<*>` for their variable parts (the Loghub benchmark's convention), one global configuration
//! for every kind of log.
//!
//! A message is cut into whitespace tokens (borrowed, never copied); numbers, IP addresses, hex
//! ids, paths and the like are masked inside each token (`uid=0` becomes `uid=<*>`); the masked
//! tokens are looked up in a parse tree by token count and first token, and the message joins
//! the most similar group there or founds a new one. A group's template generalises as it
//! grows: positions where its messages differ become `<*>`, except where both hold words: a
//! word keeps its own template (`state Active` / `state Inactive`) until that position has held
//! three different words, and upper-case names (`GET` / `POST`) never merge. A group absorbed
//! that way answers [`Miner::resolve`] with the group that absorbed it. Group ids are stable, and a
//! [`Miner`] can be written to and read back from JSON ([`Miner::to_store_json`],
//! [`Miner::from_store_json`]) so that a later run knows which templates it has seen.
//!
//! This crate knows no files and no terminals: it takes lines and text.
//!
//! ```
//! use vigie_templates::Miner;
//!
//! let mut m = Miner::default();
//! let a = m.feed("Accepted password for alice from 10.0.0.1 port 51432 ssh2");
//! let b = m.feed("Accepted password for alice from 10.0.0.7 port 40022 ssh2");
//! assert!(a.is_new && !b.is_new);
//! assert_eq!(a.id, b.id);
//! assert_eq!(m.template(a.id).as_deref(), Some("Accepted password for alice from <*> port <*> ssh2"));
//!
//! // A word keeps its own template until its position has held three different words.
//! let bob = m.feed("Accepted password for bob from 10.0.0.9 port 40100 ssh2");
//! assert!(bob.is_new);
//! let carol = m.feed("Accepted password for carol from 10.0.0.9 port 40101 ssh2");
//! assert!(!carol.is_new);
//! assert_eq!(m.resolve(bob.id), m.resolve(a.id));
//! assert_eq!(m.template(bob.id).as_deref(), Some("Accepted password for <*> from <*> port <*> ssh2"));
//! ```

mod error;
mod log_format;
mod mask;
mod matching;
mod metrics;
mod miner;
mod render;
mod store;
mod token_class;
mod tree;

pub use error::TemplateError;
pub use log_format::LogFormat;
pub use mask::mask_token;
pub use metrics::{grouping_metrics, new_template_detection, Detection, Metrics};
pub use miner::{Config, Fed, Miner, TemplateId};
