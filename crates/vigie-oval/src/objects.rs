//! Collecting objects (cached per evaluation): entities resolved, the probe of the object's
//! kind run with the object's filters, or a set's union / intersection / complement of other
//! objects with its own filters.

use std::collections::HashMap;
use std::rc::Rc;

use crate::eval::Evaluator;
use crate::item::{Collected, Flag, Item};
use crate::model::{Filter, ObjectSet, SetOperation};
use crate::probes;

impl Evaluator<'_> {
    /// The items of an object (cached).
    pub fn object(&mut self, id: &str) -> Collected {
        if let Some(c) = self.objects.get(id) {
            return c.clone();
        }
        if !self.busy.insert(id.to_owned()) {
            self.problem(id, "object refers to itself (reference cycle)");
            return Collected::failed(Flag::Error, "reference cycle");
        }
        let c = self.object_uncached(id);
        self.busy.remove(id);
        if let Some(m) = &c.message {
            if c.flag == Flag::Error {
                self.problem(id, m.clone());
            }
        }
        self.objects.insert(id.to_owned(), c.clone());
        c
    }

    fn object_uncached(&mut self, id: &str) -> Collected {
        let doc = self.doc;
        let Some(obj) = doc.objects.get(id) else {
            return Collected::failed(
                Flag::Error,
                "object referenced but not defined (or malformed, see above)",
            );
        };
        let c = match &obj.set {
            Some(set) => self.set(set),
            None => {
                let mut specs = HashMap::new();
                for e in &obj.entities {
                    match self.spec(e, true) {
                        Ok(s) => {
                            specs.insert(e.name.as_str(), s);
                        }
                        // As OpenSCAP: an entity whose variable has no usable value names
                        // nothing, so nothing exists.
                        Err(_) => {
                            return Collected::failed(
                                Flag::DoesNotExist,
                                format!("the variable of entity {} has no value", e.name),
                            )
                        }
                    }
                }
                // Filters are applied while collecting, so that what they drop is never
                // held (whole file-system walks).
                let filters = self.filters(&obj.filters);
                return probes::collect(self, obj, &specs, &filters);
            }
        };
        self.filter(c, &obj.filters)
    }

    fn filter(&mut self, c: Collected, filters: &[Filter]) -> Collected {
        if filters.is_empty() || c.items.is_empty() {
            return c;
        }
        let f = self.filters(filters);
        let kept: Vec<Item> = c.items.iter().filter(|i| f.keep(i)).cloned().collect();
        Collected {
            flag: c.flag,
            items: Rc::new(kept),
            message: c.message,
        }
    }

    fn set(&mut self, set: &ObjectSet) -> Collected {
        let mut parts = Vec::new();
        for o in &set.object_refs {
            parts.push(self.object(o));
        }
        for s in &set.sets {
            parts.push(self.set(s));
        }
        if let Some(bad) = parts.iter().find(|p| p.flag == Flag::Error) {
            return bad.clone();
        }
        let mut items: Vec<Item> = Vec::new();
        match set.operation {
            SetOperation::Union => {
                for p in &parts {
                    for i in p.items.iter() {
                        if !items.contains(i) {
                            items.push(i.clone());
                        }
                    }
                }
            }
            SetOperation::Intersection => {
                if let Some((first, rest)) = parts.split_first() {
                    items = first
                        .items
                        .iter()
                        .filter(|i| rest.iter().all(|p| p.items.contains(i)))
                        .cloned()
                        .collect();
                }
            }
            SetOperation::Complement => {
                if let Some((first, rest)) = parts.split_first() {
                    items = first
                        .items
                        .iter()
                        .filter(|i| !rest.iter().any(|p| p.items.contains(i)))
                        .cloned()
                        .collect();
                }
            }
        }
        let c = Collected::items(items);
        self.filter(c, &set.filters)
    }
}
