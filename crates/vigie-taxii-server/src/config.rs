//! The server's configuration file (TOML): where it listens, TLS, the API root, partners with
//! their credentials, groups and TLP clearance, and collections with who may read and write.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use vigie_intel::Tlp;

use crate::error::ConfigError;

/// Where the server listens unless told otherwise: this machine only.
pub const DEFAULT_BIND: &str = "127.0.0.1:9500";
/// Largest request body, unless configured (bytes).
pub const DEFAULT_MAX_CONTENT_LENGTH: usize = 10 * 1024 * 1024;
/// Most objects in one page, unless configured.
pub const DEFAULT_PAGE_SIZE: usize = 1000;

fn default_bind() -> String {
    DEFAULT_BIND.to_owned()
}
fn default_title() -> String {
    "Vigie TAXII server".to_owned()
}
fn default_root() -> String {
    "api".to_owned()
}
fn default_max_content_length() -> usize {
    DEFAULT_MAX_CONTENT_LENGTH
}
fn default_page_size() -> usize {
    DEFAULT_PAGE_SIZE
}
fn default_clearance() -> String {
    "green".to_owned()
}
fn default_collection_tlp() -> String {
    "amber".to_owned()
}

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default = "default_bind")]
    bind: String,
    data: PathBuf,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    #[serde(default = "default_title")]
    title: String,
    description: Option<String>,
    contact: Option<String>,
    #[serde(default = "default_root")]
    api_root: String,
    #[serde(default = "default_max_content_length")]
    max_content_length: usize,
    #[serde(default = "default_page_size")]
    page_size: usize,
    #[serde(default)]
    partners: Vec<RawPartner>,
    #[serde(default)]
    collections: Vec<RawCollection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartner {
    name: String,
    password_hash: Option<String>,
    token_sha256: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default = "default_clearance")]
    clearance: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCollection {
    id: String,
    title: String,
    description: Option<String>,
    #[serde(default)]
    read: Vec<String>,
    #[serde(default)]
    write: Vec<String>,
    #[serde(default = "default_collection_tlp")]
    default_tlp: String,
}

/// A partner: someone who logs in.
#[derive(Debug, Clone)]
pub struct Partner {
    pub name: String,
    /// Argon2 PHC string (`vigie hash-password`).
    pub password_hash: Option<String>,
    /// Lower-case hex SHA-256 of the bearer token.
    pub token_sha256: Option<String>,
    pub groups: Vec<String>,
    /// The most restricted TLP this partner may receive.
    pub clearance: Tlp,
}

/// A collection and who may use it: partner names, or `group:NAME`.
#[derive(Debug, Clone)]
pub struct Collection {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub read: Vec<String>,
    pub write: Vec<String>,
    /// The TLP of objects that carry no TLP marking.
    pub default_tlp: Tlp,
}

impl Collection {
    fn grants(list: &[String], partner: &Partner) -> bool {
        list.iter().any(|who| match who.strip_prefix("group:") {
            Some(g) => partner.groups.iter().any(|pg| pg == g),
            None => *who == partner.name,
        })
    }

    pub fn can_read(&self, partner: &Partner) -> bool {
        Collection::grants(&self.read, partner)
    }

    pub fn can_write(&self, partner: &Partner) -> bool {
        Collection::grants(&self.write, partner)
    }
}

/// The configuration, checked.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: String,
    pub data: PathBuf,
    pub tls: Option<(PathBuf, PathBuf)>,
    pub title: String,
    pub description: Option<String>,
    pub contact: Option<String>,
    /// The API root's name: served at `/{api_root}/`.
    pub api_root: String,
    pub max_content_length: usize,
    pub page_size: usize,
    pub partners: Vec<Partner>,
    pub collections: Vec<Collection>,
}

fn tlp(text: &str, what: String, file: &str) -> Result<Tlp, ConfigError> {
    Tlp::parse(text).ok_or_else(|| ConfigError::Invalid {
        file: file.to_owned(),
        reason: format!("{what}: unknown TLP {text:?} (clear, green, amber, amber+strict, red)"),
    })
}

impl ServerConfig {
    /// Reads and checks a configuration file; relative paths in it are taken from its folder.
    pub fn load(path: &Path) -> Result<ServerConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            file: path.display().to_string(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        ServerConfig::parse(&text, &path.display().to_string(), base)
    }

    /// Reads and checks configuration text; `file` names it in errors, `base` resolves
    /// relative paths.
    pub fn parse(text: &str, file: &str, base: &Path) -> Result<ServerConfig, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            file: file.to_owned(),
            reason: e.to_string(),
        })?;
        let invalid = |reason: String| ConfigError::Invalid {
            file: file.to_owned(),
            reason,
        };
        let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        let tls = match (raw.tls_cert, raw.tls_key) {
            (Some(c), Some(k)) => Some((resolve(c), resolve(k))),
            (None, None) => None,
            _ => return Err(invalid("tls_cert and tls_key go together".into())),
        };
        if raw.api_root.is_empty()
            || !raw
                .api_root
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            || raw.api_root == "taxii2"
        {
            return Err(invalid(format!(
                "api_root {:?}: letters, digits, - and _ only (and not taxii2)",
                raw.api_root
            )));
        }
        let mut partners = Vec::new();
        let mut names = HashSet::new();
        for p in raw.partners {
            if !names.insert(p.name.clone()) {
                return Err(invalid(format!("partner {:?} is defined twice", p.name)));
            }
            if p.password_hash.is_none() && p.token_sha256.is_none() {
                return Err(invalid(format!(
                    "partner {:?} has neither password_hash nor token_sha256",
                    p.name
                )));
            }
            if let Some(h) = &p.password_hash {
                argon2::PasswordHash::new(h)
                    .map_err(|e| invalid(format!("partner {:?}: password_hash: {e}", p.name)))?;
            }
            if let Some(t) = &p.token_sha256 {
                if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(invalid(format!(
                        "partner {:?}: token_sha256 must be 64 hex digits",
                        p.name
                    )));
                }
            }
            partners.push(Partner {
                clearance: tlp(&p.clearance, format!("partner {:?}", p.name), file)?,
                name: p.name,
                password_hash: p.password_hash,
                token_sha256: p.token_sha256.map(|t| t.to_ascii_lowercase()),
                groups: p.groups,
            });
        }
        let groups: HashSet<&str> = partners
            .iter()
            .flat_map(|p| p.groups.iter().map(String::as_str))
            .collect();
        let mut collections = Vec::new();
        let mut ids = HashSet::new();
        for c in raw.collections {
            if !ids.insert(c.id.clone()) {
                return Err(invalid(format!("collection {:?} is defined twice", c.id)));
            }
            if c.id.is_empty()
                || !c
                    .id
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
            {
                return Err(invalid(format!(
                    "collection id {:?}: letters, digits and - only (a UUID)",
                    c.id
                )));
            }
            for who in c.read.iter().chain(&c.write) {
                let known = match who.strip_prefix("group:") {
                    Some(g) => groups.contains(g),
                    None => names.contains(who),
                };
                if !known {
                    return Err(invalid(format!(
                        "collection {:?} grants {who:?}, which no partner is (or is in)",
                        c.id
                    )));
                }
            }
            collections.push(Collection {
                default_tlp: tlp(&c.default_tlp, format!("collection {:?}", c.id), file)?,
                id: c.id,
                title: c.title,
                description: c.description,
                read: c.read,
                write: c.write,
            });
        }
        Ok(ServerConfig {
            bind: raw.bind,
            data: resolve(raw.data),
            tls,
            title: raw.title,
            description: raw.description,
            contact: raw.contact,
            api_root: raw.api_root,
            max_content_length: raw.max_content_length,
            page_size: raw.page_size.max(1),
            partners,
            collections,
        })
    }

    pub fn collection(&self, id: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.id == id)
    }
}
