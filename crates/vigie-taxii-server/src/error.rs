//! Errors of the server's configuration, storage and start-up.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read the server configuration {file}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("server configuration {file}: {reason}")]
    Invalid { file: String, reason: String },
}

#[derive(Debug, Error)]
pub enum ServerError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("TAXII object store {path}")]
    Store {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create the data folder {path}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot listen on {bind}")]
    Bind {
        bind: String,
        #[source]
        source: std::io::Error,
    },
    #[error("TLS certificate or key ({cert}, {key})")]
    Tls {
        cert: String,
        key: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped")]
    Serve(#[source] std::io::Error),
}
