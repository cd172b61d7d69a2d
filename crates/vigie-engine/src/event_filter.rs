//! Ad-hoc event filters built from Sigma field items, for searches without rules.

use vigie_event::Event;
use vigie_sigma::FieldItem;

use crate::compile::{compile_item, FieldMap, Issues};
use crate::predicate::FieldCond;
use crate::transform::Placeholders;

/// Field items compiled with Sigma's value semantics and AND-ed; an item without a field
/// searches every value of the event (keyword semantics: the value may occur anywhere).
#[derive(Clone, Debug)]
pub struct EventFilter(Vec<FieldCond>);

impl EventFilter {
    pub fn new(items: &[FieldItem]) -> Result<EventFilter, String> {
        let mut issues = Issues::default();
        let conds = items
            .iter()
            .map(|i| compile_item(i, &FieldMap::new(), &Placeholders::new(), &mut issues))
            .collect();
        match issues.errors.into_iter().next() {
            Some((_, message)) => Err(message),
            None => Ok(EventFilter(conds)),
        }
    }

    pub fn matches(&self, event: &Event) -> bool {
        self.0.iter().all(|c| c.matches(event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_event::Value;
    use vigie_sigma::{Modifier, SigmaValue};

    fn item(field: Option<&str>, modifiers: Vec<Modifier>, value: &str) -> FieldItem {
        FieldItem {
            field: field.map(str::to_owned),
            modifiers,
            values: vec![SigmaValue::Str(value.to_owned())],
            line: 0,
        }
    }

    #[test]
    fn keyword_regex_and_field() {
        let mut e = Event::default();
        e.push("CommandLine", Value::str("cmd /c WHOAMI"));
        e.push("EventID", Value::Int(4688));
        let ok = |items: Vec<FieldItem>| EventFilter::new(&items).expect("compiles").matches(&e);
        assert!(ok(vec![item(None, vec![], "whoami")]));
        assert!(!ok(vec![item(None, vec![], "net user")]));
        assert!(ok(vec![item(None, vec![Modifier::Re], r"WHO\w+")]));
        assert!(ok(vec![
            item(Some("EventID"), vec![], "4688"),
            item(Some("CommandLine"), vec![], "cmd*")
        ]));
        assert!(!ok(vec![
            item(Some("EventID"), vec![], "4688"),
            item(Some("CommandLine"), vec![], "x*")
        ]));
        assert!(EventFilter::new(&[item(None, vec![Modifier::Re], "(")]).is_err());
    }
}
