//! What `vigie intel sync` and `push` share: the server address, the API root and the
//! collection (by id or title), credentials read from environment variables, and the
//! resolution of all that into a connected client, with the errors and hints that go with it.

use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use clap::Args;
use vigie_taxii_client::{
    api_root_url, host_of, Auth, Client, ClientOptions, Collection, TaxiiError,
};

use crate::ui::{paint, Hint};

#[derive(Args, Debug)]
pub struct TaxiiArgs {
    /// The TAXII 2.1 server: its discovery address (https://host/taxii2/), or https://host.
    #[arg(value_name = "URL")]
    pub url: String,
    /// The collection, by id or by title.
    #[arg(long, value_name = "ID|TITLE")]
    pub collection: String,
    /// The API root: an address, or a path on the server (default: the server's default root,
    /// or its only one).
    #[arg(long, value_name = "URL")]
    pub api_root: Option<String>,
    /// HTTP Basic user (the password is read from the variable --password-env names).
    #[arg(long, value_name = "USER", requires = "password_env")]
    pub user: Option<String>,
    /// The environment variable holding the HTTP Basic password.
    #[arg(long, value_name = "VAR", requires = "user")]
    pub password_env: Option<String>,
    /// The environment variable holding a bearer token (instead of --user).
    #[arg(long, value_name = "VAR", conflicts_with_all = ["user", "password_env"])]
    pub token_env: Option<String>,
    /// Longest one request may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,
    /// Largest response read, in MB.
    #[arg(long, value_name = "MB", default_value_t = 64)]
    pub max_response: u64,
}

/// A client talking to one collection of one API root.
pub struct Connection {
    pub client: Client,
    pub api_root: String,
    pub collection: Collection,
}

impl Connection {
    /// An error unless the collection may be read with these credentials.
    pub fn require_read(&self) -> Result<()> {
        self.require(self.collection.can_read, "read", "can_read")
    }

    /// An error unless the collection may be written with these credentials.
    pub fn require_write(&self) -> Result<()> {
        self.require(self.collection.can_write, "written", "can_write")
    }

    fn require(&self, allowed: bool, done: &str, flag: &str) -> Result<()> {
        if allowed {
            return Ok(());
        }
        Err(anyhow!(
            "collection {} ({:?}) of {} cannot be {done} with these credentials",
            self.collection.id,
            self.collection.title,
            self.api_root
        ))
        .context(Hint(format!(
            "the server says {flag} is false; ask its operator for access"
        )))
    }
}

fn env_secret(var: &str, what: &str) -> Result<String> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| anyhow!("the environment variable {var} (the {what}) is not set"))
        .context(Hint(format!(
            "export {var}=... before running Vigie; secrets are not taken on the command line"
        )))
}

impl TaxiiArgs {
    fn auth(&self) -> Result<Auth> {
        if let Some(var) = &self.token_env {
            return Ok(Auth::bearer(env_secret(var, "bearer token")?));
        }
        match (&self.user, &self.password_env) {
            (Some(user), Some(var)) => Ok(Auth::basic(user, env_secret(var, "password")?)),
            _ => Ok(Auth::None),
        }
    }

    /// The client, the API root and the collection, as the arguments name them.
    pub fn connect(&self) -> Result<Connection> {
        let auth = self.auth()?;
        if auth != Auth::None && self.url.starts_with("http://") && !loopback(&self.url) {
            eprintln!(
                "{} credentials sent over plain HTTP to {}",
                paint("warning:", "1;33"),
                host_of(&self.url).unwrap_or_default()
            );
        }
        let mut options = ClientOptions::new(auth);
        options.timeout = Duration::from_secs(self.timeout.max(1));
        options.max_response_size = self.max_response.saturating_mul(1024 * 1024);
        let client = Client::new(options);
        let api_root = match &self.api_root {
            Some(root) => api_root_url(&self.url, root).map_err(taxii_error)?,
            None => self.default_root(&client)?,
        };
        let collections = client.collections(&api_root).map_err(taxii_error)?;
        let collection = pick(&collections, &self.collection, &api_root)?;
        Ok(Connection {
            client,
            api_root,
            collection,
        })
    }

    fn default_root(&self, client: &Client) -> Result<String> {
        let discovery = client.discovery(&self.url).map_err(taxii_error)?;
        let root = match (&discovery.default, discovery.api_roots.as_slice()) {
            (Some(d), _) => d.clone(),
            (None, [only]) => only.clone(),
            (None, roots) => {
                return Err(anyhow!(
                    "{} names no default API root and has {} of them",
                    self.url,
                    roots.len()
                ))
                .context(Hint(format!(
                    "choose one with --api-root: {}",
                    roots.join(", ")
                )))
            }
        };
        api_root_url(&self.url, &root).map_err(taxii_error)
    }
}

fn loopback(url: &str) -> bool {
    host_of(url).is_some_and(|h| {
        let host = h.rsplit_once(':').map_or(h.as_str(), |(host, _)| host);
        matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    })
}

/// The collection named by id, else by title (exactly, then ignoring case), if only one has it.
fn pick(collections: &[Collection], wanted: &str, api_root: &str) -> Result<Collection> {
    let by = |f: &dyn Fn(&Collection) -> bool| -> Vec<&Collection> {
        collections.iter().filter(|c| f(c)).collect()
    };
    let mut found = by(&|c| c.id == wanted);
    if found.is_empty() {
        found = by(&|c| c.title == wanted);
    }
    if found.is_empty() {
        found = by(&|c| c.title.to_lowercase() == wanted.to_lowercase());
    }
    let listing = || {
        if collections.is_empty() {
            return "none".to_owned();
        }
        collections
            .iter()
            .map(|c| format!("{} ({:?})", c.id, c.title))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(anyhow!("{api_root} has no collection {wanted:?}"))
            .context(Hint(format!("its collections: {}", listing()))),
        _ => Err(anyhow!(
            "{api_root} has {} collections titled {wanted:?}",
            found.len()
        ))
        .context(Hint(format!("name it by id: {}", listing()))),
    }
}

/// A TAXII error with the hint that fits it.
pub fn taxii_error(e: TaxiiError) -> anyhow::Error {
    let hint = match &e {
        TaxiiError::Unauthorized { .. } => {
            "give credentials: --user USER --password-env VAR, or --token-env VAR"
        }
        TaxiiError::Forbidden { .. } => "this account may not do that on this collection",
        TaxiiError::NotFound { .. } => {
            "check the address, --api-root and --collection (vigie lists the collections when the name is wrong)"
        }
        TaxiiError::NotAcceptable { .. } | TaxiiError::UnsupportedMediaType { .. } => {
            "the server does not speak TAXII 2.1 (application/taxii+json;version=2.1)"
        }
        TaxiiError::RequestTooLarge { .. } | TaxiiError::BodyTooLarge { .. } => {
            "push fewer objects at a time"
        }
        TaxiiError::ResponseTooLarge { .. } => "raise the limit with --max-response MB",
        TaxiiError::Transport { .. } => "check the address and that the server is up",
        TaxiiError::BadUrl { .. } | TaxiiError::Redirect { .. } => {
            "give the server's discovery address, e.g. https://taxii.example/taxii2/"
        }
        _ => "the server's answer is not what TAXII 2.1 says it should be",
    };
    anyhow::Error::new(e).context(Hint(hint.into()))
}
