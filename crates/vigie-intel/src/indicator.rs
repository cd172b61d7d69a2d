//! What an indicator is: its type, and one record of it as an import reads it from a source
//! (the value, where it came from, and what the source says about it).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::tlp::Tlp;

/// The type of an indicator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndicatorType {
    Ipv4,
    Ipv6,
    /// An IPv4 or IPv6 network (`198.51.100.0/24`).
    Cidr,
    Domain,
    Url,
    Md5,
    Sha1,
    Sha256,
    Sha512,
    Email,
    Filename,
    /// A STIX pattern that is not a plain set of equalities; its value is the pattern text.
    StixPattern,
}

impl IndicatorType {
    pub const ALL: [IndicatorType; 12] = [
        IndicatorType::Ipv4,
        IndicatorType::Ipv6,
        IndicatorType::Cidr,
        IndicatorType::Domain,
        IndicatorType::Url,
        IndicatorType::Md5,
        IndicatorType::Sha1,
        IndicatorType::Sha256,
        IndicatorType::Sha512,
        IndicatorType::Email,
        IndicatorType::Filename,
        IndicatorType::StixPattern,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorType::Ipv4 => "ipv4",
            IndicatorType::Ipv6 => "ipv6",
            IndicatorType::Cidr => "cidr",
            IndicatorType::Domain => "domain",
            IndicatorType::Url => "url",
            IndicatorType::Md5 => "md5",
            IndicatorType::Sha1 => "sha1",
            IndicatorType::Sha256 => "sha256",
            IndicatorType::Sha512 => "sha512",
            IndicatorType::Email => "email",
            IndicatorType::Filename => "filename",
            IndicatorType::StixPattern => "stix-pattern",
        }
    }

    /// Reads a type name; STIX and MISP spellings are accepted too (`ipv4-addr`,
    /// `domain-name`, `hostname`, `sha-256`, `email-addr`, `file-name`).
    pub fn parse(text: &str) -> Option<IndicatorType> {
        let t = text.trim().to_ascii_lowercase();
        let found = match t.as_str() {
            "ipv4" | "ipv4-addr" | "ip4" => IndicatorType::Ipv4,
            "ipv6" | "ipv6-addr" | "ip6" => IndicatorType::Ipv6,
            "cidr" | "network" | "subnet" => IndicatorType::Cidr,
            "domain" | "domain-name" | "hostname" | "fqdn" => IndicatorType::Domain,
            "url" | "uri" => IndicatorType::Url,
            "md5" => IndicatorType::Md5,
            "sha1" | "sha-1" => IndicatorType::Sha1,
            "sha256" | "sha-256" => IndicatorType::Sha256,
            "sha512" | "sha-512" => IndicatorType::Sha512,
            "email" | "email-addr" | "e-mail" => IndicatorType::Email,
            "filename" | "file-name" | "file" => IndicatorType::Filename,
            "stix-pattern" | "stix" | "pattern" => IndicatorType::StixPattern,
            _ => return None,
        };
        Some(found)
    }
}

impl fmt::Display for IndicatorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IndicatorType {
    type Err = String;
    fn from_str(s: &str) -> Result<IndicatorType, String> {
        IndicatorType::parse(s).ok_or_else(|| {
            let names: Vec<&str> = IndicatorType::ALL.iter().map(|t| t.as_str()).collect();
            format!("unknown indicator type {s:?} (one of {})", names.join(", "))
        })
    }
}

/// One indicator value as a source gives it, already normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: IndicatorType,
    pub value: String,
    /// Where in the source: a STIX id, `misp:<event>/<attribute>`, or `line N`.
    pub reference: String,
    /// `None`: the source's default.
    pub tlp: Option<Tlp>,
    /// 0..=100; `None`: the source's default.
    pub confidence: Option<u8>,
    /// Whether the source meant it for detection (MISP `to_ids`; true for STIX and lists).
    pub to_ids: bool,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub labels: Vec<String>,
    /// `kill_chain_name:phase_name`.
    pub kill_chain: Vec<String>,
    /// ATT&CK ids (`T1059.001`, `S0061`, ...).
    pub attack: Vec<String>,
}

impl Record {
    /// A record with no metadata, meant for detection.
    pub fn new(kind: IndicatorType, value: String, reference: String) -> Record {
        Record {
            kind,
            value,
            reference,
            tlp: None,
            confidence: None,
            to_ids: true,
            valid_from: None,
            valid_until: None,
            name: None,
            description: None,
            labels: Vec::new(),
            kill_chain: Vec::new(),
            attack: Vec::new(),
        }
    }

    /// Folds another record of the same value from the same import into this one: meant for
    /// detection if either is, the stricter TLP, the higher confidence, the wider validity,
    /// and the union of labels, phases and ATT&CK ids.
    pub fn merge(&mut self, other: &Record) {
        self.to_ids |= other.to_ids;
        self.tlp = match (self.tlp, other.tlp) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.confidence = self.confidence.max(other.confidence);
        self.valid_from = match (self.valid_from, other.valid_from) {
            (Some(a), Some(b)) => Some(a.min(b)),
            _ => None,
        };
        self.valid_until = match (self.valid_until, other.valid_until) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        if self.name.is_none() {
            self.name.clone_from(&other.name);
        }
        if self.description.is_none() {
            self.description.clone_from(&other.description);
        }
        union(&mut self.labels, &other.labels);
        union(&mut self.kill_chain, &other.kill_chain);
        union(&mut self.attack, &other.attack);
    }
}

fn union(into: &mut Vec<String>, from: &[String]) {
    for v in from {
        if !into.contains(v) {
            into.push(v.clone());
        }
    }
}
