//! Who is asking: HTTP Basic against argon2 password hashes (a successful check is remembered
//! for the process by a SHA-256 of the credentials, so argon2 runs once per partner, not once
//! per request), or a bearer token compared by its SHA-256.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::{PasswordHash, PasswordVerifier};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::config::{Partner, ServerConfig};

/// Credentials already verified: SHA-256 of `name \0 password` to the partner's index.
#[derive(Debug, Default)]
pub struct Verified(Mutex<HashMap<[u8; 32], usize>>);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal, in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The partner an `Authorization` header names, if its credentials hold.
pub fn authenticate<'c>(
    config: &'c ServerConfig,
    verified: &Verified,
    header: Option<&str>,
) -> Option<&'c Partner> {
    let header = header?.trim();
    let (scheme, value) = header.split_once(' ')?;
    let value = value.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        let digest = hex(&Sha256::digest(value.as_bytes()));
        return config.partners.iter().find(|p| {
            p.token_sha256
                .as_deref()
                .is_some_and(|t| same(t.as_bytes(), digest.as_bytes()))
        });
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (name, password) = text.split_once(':')?;
    let (index, partner) = config
        .partners
        .iter()
        .enumerate()
        .find(|(_, p)| p.name == name)?;
    let key: [u8; 32] = Sha256::new()
        .chain_update(name.as_bytes())
        .chain_update([0u8])
        .chain_update(password.as_bytes())
        .finalize()
        .into();
    if let Ok(cache) = verified.0.lock() {
        if cache.get(&key) == Some(&index) {
            return Some(partner);
        }
    }
    let hash = PasswordHash::new(partner.password_hash.as_deref()?).ok()?;
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .ok()?;
    if let Ok(mut cache) = verified.0.lock() {
        cache.insert(key, index);
    }
    Some(partner)
}

/// An argon2id PHC string for a password (what `password_hash` takes).
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// The lower-case hex SHA-256 of a token (what `token_sha256` takes).
pub fn token_digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}
