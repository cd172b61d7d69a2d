//! How requests authenticate: HTTP Basic (user and password) or a bearer token, as the value
//! of the `Authorization` header. Credentials never appear in `Debug` output or errors.

use base64::Engine;

/// The credentials a client sends with every request.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    Basic {
        user: String,
        password: String,
    },
    Bearer(String),
}

impl Auth {
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Auth {
        Auth::Basic {
            user: user.into(),
            password: password.into(),
        }
    }

    pub fn bearer(token: impl Into<String>) -> Auth {
        Auth::Bearer(token.into())
    }

    /// The `Authorization` header value, if any.
    pub fn header(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::Basic { user, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )),
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
        }
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::Basic { user, .. } => write!(f, "Auth::Basic({user:?}, <password>)"),
            Auth::Bearer(_) => f.write_str("Auth::Bearer(<token>)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_is_base64_of_user_colon_password() {
        assert_eq!(
            Auth::basic("admin", "Password0").header().as_deref(),
            Some("Basic YWRtaW46UGFzc3dvcmQw")
        );
        assert_eq!(Auth::bearer("t0k").header().as_deref(), Some("Bearer t0k"));
        assert_eq!(Auth::None.header(), None);
    }

    #[test]
    fn debug_hides_secrets() {
        let shown = format!(
            "{:?} {:?}",
            Auth::basic("admin", "s3cret"),
            Auth::bearer("t0k")
        );
        assert!(
            !shown.contains("s3cret") && !shown.contains("t0k"),
            "{shown}"
        );
    }
}
