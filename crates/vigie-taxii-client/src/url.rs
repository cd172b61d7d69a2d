//! Addresses: checking that a URL is http(s), resolving API roots given relative to the
//! discovery URL, building collection, object and status URLs with percent-encoded path
//! segments, and query strings.

use crate::error::TaxiiError;

/// `scheme://authority` and the rest (path and query) of an http(s) URL.
fn split(url: &str) -> Result<(&str, &str), TaxiiError> {
    let bad = |reason: &str| TaxiiError::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let after_scheme = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("TAXII addresses start with https:// or http://"))?;
    let authority_len = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    if authority_len == 0 {
        return Err(bad("no host"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("contains spaces or control characters"));
    }
    let cut = url.len() - after_scheme.len() + authority_len;
    Ok((&url[..cut], &url[cut..]))
}

/// `host[:port]` of an http(s) URL (without user information).
pub fn host_of(url: &str) -> Option<String> {
    let (origin, _) = split(url).ok()?;
    let authority = origin.split_once("://").map_or(origin, |(_, a)| a);
    Some(
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, h)| h)
            .to_owned(),
    )
}

/// The URL with exactly one trailing slash on its path (TAXII endpoints end with `/`).
pub(crate) fn with_slash(url: &str) -> Result<String, TaxiiError> {
    let (origin, rest) = split(url)?;
    if rest.contains(['?', '#']) {
        return Err(TaxiiError::BadUrl {
            url: url.to_owned(),
            reason: "a TAXII endpoint address has no query or fragment".into(),
        });
    }
    let path = rest.trim_end_matches('/');
    Ok(format!("{origin}{path}/"))
}

/// An API root as the discovery resource (at `discovery_url`) or the user names it: absolute,
/// an absolute path on the discovery server, or a path relative to the server's root.
pub fn api_root_url(discovery_url: &str, root: &str) -> Result<String, TaxiiError> {
    if root.starts_with("http://") || root.starts_with("https://") {
        return with_slash(root);
    }
    let (origin, _) = split(discovery_url)?;
    let path = root.trim_start_matches('/');
    with_slash(&format!("{origin}/{path}"))
}

/// `{api_root}collections/{id}/`.
pub fn collection_url(api_root: &str, collection_id: &str) -> Result<String, TaxiiError> {
    Ok(format!(
        "{}collections/{}/",
        with_slash(api_root)?,
        encode(collection_id)
    ))
}

/// `{api_root}collections/{id}/objects/{object_id}/`.
pub(crate) fn object_url(
    api_root: &str,
    collection_id: &str,
    object_id: &str,
) -> Result<String, TaxiiError> {
    Ok(format!(
        "{}objects/{}/",
        collection_url(api_root, collection_id)?,
        encode(object_id)
    ))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `url?k=v&...` with keys and values encoded; `url` itself when there are no pairs.
pub(crate) fn with_query(url: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return url.to_owned();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{url}?{}", query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_roots_resolve_against_the_discovery_server() {
        let d = "https://taxii.example:8443/taxii2/";
        assert_eq!(
            api_root_url(d, "/api1").ok().as_deref(),
            Some("https://taxii.example:8443/api1/")
        );
        assert_eq!(
            api_root_url(d, "api2/").ok().as_deref(),
            Some("https://taxii.example:8443/api2/")
        );
        assert_eq!(
            api_root_url(d, "http://other/root").ok().as_deref(),
            Some("http://other/root/")
        );
        assert!(api_root_url("ftp://x/", "a").is_err());
        assert!(api_root_url(d, "http://x/a?b=c").is_err());
    }

    #[test]
    fn collection_ids_and_queries_are_encoded() {
        assert_eq!(
            collection_url("http://h/r", "a b/c").ok().as_deref(),
            Some("http://h/r/collections/a%20b%2Fc/")
        );
        assert_eq!(
            with_query(
                "http://h/",
                &[("match[type]".into(), "indicator,malware".into()),
                  ("added_after".into(), "2016-11-01T03:04:05.000000+00:00".into())]
            ),
            "http://h/?match%5Btype%5D=indicator%2Cmalware&added_after=2016-11-01T03%3A04%3A05.000000%2B00%3A00"
        );
    }

    #[test]
    fn hosts_leave_out_user_information() {
        assert_eq!(
            host_of("http://u:p@127.0.0.1:5000/taxii2/").as_deref(),
            Some("127.0.0.1:5000")
        );
        assert_eq!(
            host_of("https://taxii.example").as_deref(),
            Some("taxii.example")
        );
        assert_eq!(host_of("taxii.example"), None);
    }
}
