//! Typed errors, each carrying the URL it concerns: the HTTP statuses TAXII names (401, 403,
//! 404, 406, 413, 415) as their own variants with the server's error body, other statuses,
//! transport failures, responses over the size limit, and responses that are not the TAXII
//! resource they should be.

use serde::Deserialize;

/// A TAXII error message as the server sent it (all fields optional: servers differ).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub error_id: Option<String>,
    #[serde(default)]
    pub error_code: Option<String>,
}

impl std::fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<&str> = [self.title.as_deref(), self.description.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            f.write_str("(no error message)")
        } else {
            f.write_str(&parts.join(": "))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TaxiiError {
    #[error("{url}: 401 Unauthorized: {body}")]
    Unauthorized { url: String, body: ErrorBody },
    #[error("{url}: 403 Forbidden: {body}")]
    Forbidden { url: String, body: ErrorBody },
    #[error("{url}: 404 Not Found: {body}")]
    NotFound { url: String, body: ErrorBody },
    #[error("{url}: 406 Not Acceptable: {body}")]
    NotAcceptable { url: String, body: ErrorBody },
    #[error("{url}: 413 Content Too Large: {body}")]
    RequestTooLarge { url: String, body: ErrorBody },
    #[error("{url}: 415 Unsupported Media Type: {body}")]
    UnsupportedMediaType { url: String, body: ErrorBody },
    #[error("{url}: HTTP {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: ErrorBody,
    },
    #[error("{url}: redirected to {location:?}; give that address instead")]
    Redirect { url: String, location: String },
    #[error("{url}: {reason}")]
    Transport { url: String, reason: String },
    #[error("{url}: the response is larger than the limit of {limit} bytes")]
    ResponseTooLarge { url: String, limit: u64 },
    #[error("{url}: the request body is {size} bytes, more than the API root accepts ({limit})")]
    BodyTooLarge { url: String, size: u64, limit: u64 },
    #[error("{url}: the response is not JSON: {reason}")]
    NotJson { url: String, reason: String },
    #[error("{url}: not a TAXII {resource}: {reason}")]
    Unexpected {
        url: String,
        resource: &'static str,
        reason: String,
    },
    #[error("{url}: pagination: {reason}")]
    Pagination { url: String, reason: String },
    #[error("{url:?} is not a usable address: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("{url}: status {id} still pending after {waited_secs} s")]
    StillPending {
        url: String,
        id: String,
        waited_secs: u64,
    },
}

impl TaxiiError {
    /// The error for a non-success HTTP status, by the status TAXII gives it.
    pub(crate) fn from_status(url: &str, status: u16, body: ErrorBody) -> TaxiiError {
        let url = url.to_owned();
        match status {
            401 => TaxiiError::Unauthorized { url, body },
            403 => TaxiiError::Forbidden { url, body },
            404 => TaxiiError::NotFound { url, body },
            406 => TaxiiError::NotAcceptable { url, body },
            413 => TaxiiError::RequestTooLarge { url, body },
            415 => TaxiiError::UnsupportedMediaType { url, body },
            _ => TaxiiError::Status { url, status, body },
        }
    }

    /// The HTTP status the server answered, when the error is one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            TaxiiError::Unauthorized { .. } => Some(401),
            TaxiiError::Forbidden { .. } => Some(403),
            TaxiiError::NotFound { .. } => Some(404),
            TaxiiError::NotAcceptable { .. } => Some(406),
            TaxiiError::RequestTooLarge { .. } => Some(413),
            TaxiiError::UnsupportedMediaType { .. } => Some(415),
            TaxiiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_taxii_names_have_their_variant() {
        for (status, name) in [
            (401, "401 Unauthorized"),
            (403, "403 Forbidden"),
            (404, "404 Not Found"),
            (406, "406 Not Acceptable"),
            (413, "413 Content Too Large"),
            (415, "415 Unsupported Media Type"),
            (500, "HTTP 500"),
        ] {
            let body = ErrorBody {
                title: Some("T".into()),
                description: Some("D".into()),
                ..ErrorBody::default()
            };
            let e = TaxiiError::from_status("http://h/x/", status, body);
            assert_eq!(e.http_status(), Some(status));
            assert_eq!(e.to_string(), format!("http://h/x/: {name}: T: D"));
        }
    }

    #[test]
    fn an_empty_body_says_so() {
        let e = TaxiiError::from_status("u", 403, ErrorBody::default());
        assert_eq!(e.to_string(), "u: 403 Forbidden: (no error message)");
    }
}
