//! `vigie serve`: the TAXII 2.1 server, and `vigie hash-password` for its configuration.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use vigie_taxii_server::{hash_password, start, token_digest, ServerConfig};

use crate::ui::{paint, Hint};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Server configuration (TOML): data folder, partners, collections, TLS. See README.
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Listen on this address instead of the configuration's (default 127.0.0.1:9500).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
}

#[derive(Args, Debug)]
pub struct HashPasswordArgs {
    /// Read a bearer token instead, and print its SHA-256 (for `token_sha256`).
    #[arg(long)]
    pub token: bool,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let mut config = ServerConfig::load(&args.config).context(Hint(
        "see README (`vigie serve`) for the configuration's keys; passwords are hashed with \
         `vigie hash-password`"
            .into(),
    ))?;
    if let Some(b) = args.bind {
        config.bind = b;
    }
    let loopback = config
        .bind
        .parse::<std::net::SocketAddr>()
        .map(|a| a.ip().is_loopback())
        .unwrap_or(config.bind.starts_with("localhost:"));
    if !loopback && config.tls.is_none() {
        eprintln!(
            "{} listening on {} without TLS: credentials and intel cross the network in clear; \
             give tls_cert and tls_key",
            paint("warning:", "1;33"),
            config.bind
        );
    }
    let (collections, partners) = (config.collections.len(), config.partners.len());
    let running = start(config).context(Hint(
        "check the bind address (in use?), the data folder and the TLS files".into(),
    ))?;
    let scheme = if running.tls { "https" } else { "http" };
    eprintln!(
        "TAXII 2.1 server at {scheme}://{}/taxii2/ ({collections} collections, {partners} \
         partners); Ctrl-C stops it",
        running.addr
    );
    running.wait()?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_hash_password(args: HashPasswordArgs) -> Result<ExitCode> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    let secret = line.trim_end_matches(['\n', '\r']);
    if secret.is_empty() {
        return Err(anyhow::anyhow!("nothing on stdin")).context(Hint(
            "pipe the password (or token) in: `printf %s PASS | vigie hash-password`".into(),
        ));
    }
    if args.token {
        println!("{}", token_digest(secret));
    } else {
        println!("{}", hash_password(secret).map_err(anyhow::Error::msg)?);
    }
    Ok(ExitCode::SUCCESS)
}
