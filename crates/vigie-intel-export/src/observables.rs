//! The cyber-observables (STIX 2.1 SCOs) of a detection's matched fields: processes (command
//! line, pid, image), files with their folder and hashes (Sysmon `Hashes` lists), IPv4 / IPv6
//! addresses, domain names, URLs and user accounts. Field names are compared without case;
//! other fields are not observables and are left out. Ids are the deterministic ones STIX
//! gives SCOs.

use std::collections::HashMap;
use std::net::IpAddr;

use serde_json::{json, Map, Value};

use crate::ids::{sco_id, sco_v4_id};

const PROCESS_COMMAND: [&str; 2] = ["commandline", "process.command_line"];
const PROCESS_PID: [&str; 2] = ["processid", "process.pid"];
const PROCESS_IMAGE: [&str; 2] = ["image", "process.executable"];
const FILES: [&str; 5] = [
    "targetfilename",
    "imageloaded",
    "parentimage",
    "file.path",
    "targetobject_file",
];
const IPS: [&str; 9] = [
    "sourceip",
    "destinationip",
    "ipaddress",
    "clientaddress",
    "src_ip",
    "dst_ip",
    "source.ip",
    "destination.ip",
    "id.resp_h",
];
const DOMAINS: [&str; 4] = [
    "queryname",
    "destinationhostname",
    "dns.question.name",
    "query",
];
const URLS: [&str; 3] = ["url", "url.full", "c-uri"];
const USERS: [&str; 5] = [
    "user",
    "targetusername",
    "subjectusername",
    "user.name",
    "accountname",
];
const HASH_FIELDS: [&str; 2] = ["hashes", "hash"];

/// SCOs, without duplicates, in the order found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Observables {
    pub objects: Vec<Value>,
    /// Object id to its place in `objects`.
    index: HashMap<String, usize>,
}

impl Observables {
    fn add(&mut self, object: Value) -> String {
        let id = object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if !self.index.contains_key(&id) {
            self.index.insert(id.clone(), self.objects.len());
            self.objects.push(object);
        }
        id
    }

    /// The object of an id added before.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.index.get(id).and_then(|i| self.objects.get(*i))
    }

    /// A directory, by path.
    fn directory(&mut self, path: &str) -> String {
        let c = json!({"path": path});
        self.add(json!({"type": "directory", "spec_version": "2.1", "id": sco_id("directory", &c), "path": path}))
    }

    /// A file by its full path (name and folder), with hashes if known.
    fn file(&mut self, path: &str, hashes: Option<&Map<String, Value>>) -> String {
        let cut = path.rfind(['\\', '/']);
        let (dir, name) = match cut {
            Some(i) => (path.get(..i), path.get(i + 1..).unwrap_or(path)),
            None => (None, path),
        };
        let mut c = Map::new();
        if !name.is_empty() {
            c.insert("name".into(), json!(name));
        }
        if let Some(h) = hashes.filter(|h| !h.is_empty()) {
            c.insert("hashes".into(), Value::Object(h.clone()));
        }
        if let Some(d) = dir.filter(|d| !d.is_empty()) {
            c.insert("parent_directory_ref".into(), json!(self.directory(d)));
        }
        if c.is_empty() {
            return String::new();
        }
        let id = sco_id("file", &Value::Object(c.clone()));
        let mut o = Map::new();
        o.insert("type".into(), json!("file"));
        o.insert("spec_version".into(), json!("2.1"));
        o.insert("id".into(), json!(id));
        o.extend(c);
        self.add(Value::Object(o))
    }

    fn simple(&mut self, sco_type: &str, key: &str, value: &str) -> String {
        let c = json!({ key: value });
        let id = sco_id(sco_type, &c);
        self.add(json!({"type": sco_type, "spec_version": "2.1", "id": id, key: value}))
    }
}

/// `SHA256=ab..,MD5=cd..` (Sysmon) as STIX hashes (`SHA-256`, `MD5`, `SHA-1`, `SHA-512`).
pub fn parse_hashes(text: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for part in text.split(',') {
        let Some((alg, digest)) = part.split_once('=') else {
            continue;
        };
        let digest = digest.trim();
        let name = match alg.trim().to_ascii_uppercase().as_str() {
            "MD5" => "MD5",
            "SHA1" | "SHA-1" => "SHA-1",
            "SHA256" | "SHA-256" => "SHA-256",
            "SHA512" | "SHA-512" => "SHA-512",
            _ => continue,
        };
        if !digest.is_empty() && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            out.insert(name.into(), json!(digest.to_ascii_lowercase()));
        }
    }
    out
}

fn is(names: &[&str], field: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(field))
}

/// The observables of a detection's matched fields; returns the ids of the detection's own
/// (top-level) objects, adding all objects to `into`.
pub fn observe(matched: &[(String, String)], into: &mut Observables) -> Vec<String> {
    let mut refs: Vec<String> = Vec::new();
    let push = |id: String, refs: &mut Vec<String>| {
        if !id.is_empty() && !refs.contains(&id) {
            refs.push(id);
        }
    };
    let get = |names: &[&str]| {
        matched
            .iter()
            .find(|(k, v)| is(names, k) && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    };
    let hashes = get(&HASH_FIELDS).map(parse_hashes);
    let image = get(&PROCESS_IMAGE).map(|p| into.file(p, hashes.as_ref()));
    if let Some(id) = image.clone() {
        push(id, &mut refs);
    } else if let Some(h) = hashes.as_ref().filter(|h| !h.is_empty()) {
        let c = json!({"hashes": h});
        let id = into.add(
            json!({"type": "file", "spec_version": "2.1", "id": sco_id("file", &c), "hashes": h}),
        );
        push(id, &mut refs);
    }
    let command = get(&PROCESS_COMMAND);
    let pid = get(&PROCESS_PID).and_then(|p| p.trim().parse::<u64>().ok());
    if command.is_some() || pid.is_some() {
        // Processes have no id-contributing properties: their id comes from what was seen.
        let mut o = Map::new();
        o.insert("type".into(), json!("process"));
        o.insert("spec_version".into(), json!("2.1"));
        if let Some(p) = pid {
            o.insert("pid".into(), json!(p));
        }
        if let Some(c) = command {
            o.insert("command_line".into(), json!(c));
        }
        if let Some(i) = image.filter(|i| !i.is_empty()) {
            o.insert("image_ref".into(), json!(i));
        }
        let id = sco_v4_id("process", &Value::Object(o.clone()));
        o.insert("id".into(), json!(id));
        push(into.add(Value::Object(o)), &mut refs);
    }
    for (field, value) in matched {
        let value = value.trim();
        if value.is_empty() || value == "-" {
            continue;
        }
        let id = if is(&FILES, field) {
            into.file(value, None)
        } else if is(&IPS, field) {
            match value.parse::<IpAddr>() {
                Ok(IpAddr::V4(a)) => into.simple("ipv4-addr", "value", &a.to_string()),
                Ok(IpAddr::V6(a)) => into.simple("ipv6-addr", "value", &a.to_string()),
                Err(_) => continue,
            }
        } else if is(&DOMAINS, field) {
            if value.parse::<IpAddr>().is_ok() || value.contains(char::is_whitespace) {
                continue;
            }
            into.simple(
                "domain-name",
                "value",
                &value.trim_end_matches('.').to_ascii_lowercase(),
            )
        } else if is(&URLS, field) {
            into.simple("url", "value", value)
        } else if is(&USERS, field) {
            into.simple("user-account", "account_login", value)
        } else {
            continue;
        };
        push(id, &mut refs);
    }
    // Objects the found ones point to (a file's folder, a process's image) are part of the
    // observation too.
    let mut i = 0;
    while let Some(id) = refs.get(i).cloned() {
        i += 1;
        let Some(o) = into.get(&id) else {
            continue;
        };
        for key in ["parent_directory_ref", "image_ref"] {
            if let Some(r) = o.get(key).and_then(Value::as_str) {
                push(r.to_owned(), &mut refs);
            }
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn sysmon_process_with_hashes_and_network() {
        let mut obs = Observables::default();
        let refs = observe(
            &m(&[
                ("Image", r"C:\Windows\System32\rundll32.exe"),
                ("CommandLine", "rundll32.exe comsvcs.dll MiniDump 624"),
                ("ProcessId", "4242"),
                ("Hashes", "SHA256=AB12,MD5=CD34,IMPHASH=00"),
                ("DestinationIp", "203.0.113.45"),
                ("QueryName", "Evil.Example."),
                ("User", r"AGENCE\jdupont"),
                ("EventID", "1"),
            ]),
            &mut obs,
        );
        let types: Vec<&str> = obs
            .objects
            .iter()
            .filter_map(|o| o["type"].as_str())
            .collect();
        assert_eq!(
            types,
            [
                "directory",
                "file",
                "process",
                "ipv4-addr",
                "domain-name",
                "user-account"
            ]
        );
        assert_eq!(
            refs.len(),
            6,
            "the file's folder is part of the observation"
        );
        assert_eq!(
            obs.objects[1]["hashes"],
            json!({"SHA-256": "ab12", "MD5": "cd34"})
        );
        assert_eq!(obs.objects[1]["name"], "rundll32.exe");
        assert_eq!(obs.objects[2]["image_ref"], obs.objects[1]["id"]);
        assert_eq!(obs.objects[4]["value"], "evil.example");
    }

    #[test]
    fn nothing_observable_gives_nothing() {
        let mut obs = Observables::default();
        let refs = observe(
            &m(&[
                ("EventID", "4625"),
                ("SourceIp", "-"),
                ("QueryName", "10.0.0.1"),
            ]),
            &mut obs,
        );
        assert!(refs.is_empty() && obs.objects.is_empty());
    }
}
