//! Explainable behaviour baselines over security events, for what no rule names: a program
//! no host ever ran or new on a host, a user's first logon to a host or from an address, a
//! logon outside the user's usual times of day, a burst of failed logons, a host sending far
//! more out than on its usual days (median and MAD of its previous days, with an absolute
//! floor). Each anomaly carries a sentence with the baseline's figures. Baselines are kept
//! per host and per user, learnt one observation at a time in time order, and saved as JSON
//! so that the next run knows what was seen. Deterministic; no files, no terminals.

mod anomaly;
mod baselines;
mod config;
mod observation;

pub use anomaly::{Anomaly, Detector};
pub use baselines::{human_bytes, BaselineError, Baselines};
pub use config::Config;
pub use observation::{observe, Observation, Observed};
