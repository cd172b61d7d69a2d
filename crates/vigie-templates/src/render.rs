//! How a template is written out: the raw token template with runs of wildcards that only
//! dots join (`<*>.<*>`, as in a masked IP address the tree generalised) folded into one `<*>`.

use crate::mask::WILDCARD;

/// The benchmark-style text of a raw template.
pub fn render(raw: &str) -> String {
    if !raw.contains("<*>.<*>") && !raw.contains("<*><*>") {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(p) = rest.find(WILDCARD) {
        out.push_str(&rest[..p]);
        out.push_str(WILDCARD);
        rest = &rest[p + WILDCARD.len()..];
        loop {
            if let Some(r) = rest.strip_prefix(WILDCARD) {
                rest = r;
            } else if let Some(r) = rest.strip_prefix(".<*>") {
                rest = r;
            } else {
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn folds_dotted_wildcards() {
        assert_eq!(render("from <*>.<*>.<*> port <*>"), "from <*> port <*>");
        assert_eq!(render("a <*><*>b <*>.x"), "a <*>b <*>.x");
        assert_eq!(render("<*> <*>"), "<*> <*>");
    }
}
