//! YAML lockfiles (Berry `yarn.lock`, `pnpm-lock.yaml`) read through yaml-rust2, refusing
//! aliases: lockfiles do not use them, and a loader expands each alias into a copy, so a few
//! nested ones could make a hostile file take all memory.

use std::path::Path;

use yaml_rust2::parser::{Event, EventReceiver, Parser};
use yaml_rust2::{Yaml, YamlLoader};

use crate::InventoryError;

struct Aliases(bool);

impl EventReceiver for Aliases {
    fn on_event(&mut self, ev: Event) {
        if matches!(ev, Event::Alias(_)) {
            self.0 = true;
        }
    }
}

/// The first document of `text`, or Null when there is none.
pub(crate) fn load(text: &str, path: &Path) -> Result<Yaml, InventoryError> {
    let invalid = |e: yaml_rust2::ScanError| {
        InventoryError::line(
            path,
            e.marker().line(),
            format!("invalid YAML: {}", e.info()),
        )
    };
    let mut aliases = Aliases(false);
    Parser::new_from_str(text)
        .load(&mut aliases, true)
        .map_err(invalid)?;
    if aliases.0 {
        return Err(InventoryError::format(
            path,
            "YAML aliases (*name) are not read in lockfiles",
        ));
    }
    let docs = YamlLoader::load_from_str(text).map_err(invalid)?;
    Ok(docs.into_iter().next().unwrap_or(Yaml::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_refused() {
        let p = Path::new("pnpm-lock.yaml");
        let e = load("a: &x [1, 2]\nb: *x\n", p).expect_err("alias");
        assert_eq!(
            e.to_string(),
            "pnpm-lock.yaml: YAML aliases (*name) are not read in lockfiles"
        );
        assert_eq!(load("", p).expect("empty"), Yaml::Null);
        assert!(load("a: [\n", p).is_err());
    }
}
