//! Logsource routing, read naively from Vigie's mapping files: which field maps a rule is
//! evaluated under for one event.
//!
//! The mapping files (`crates/vigie-engine/mappings/*.yml`) are data: routes with a logsource,
//! a `when` search map over event fields and a `fields` map (file-wide `fields` apply to every
//! route of the file). Routing is Vigie's own design (the specification leaves log sources to
//! the tool), so the rules below restate Vigie's documented behaviour (mapping.rs, ruleset.rs):
//!
//! - a route may run a rule when each of the rule's category and service equals the route's,
//!   and their products are equal when both have one;
//! - a rule no route covers runs through the product-wide routes (no category, no service) of
//!   its product; when there are none either, it runs with no field map on every event that no
//!   product-wide route (with a product) claims;
//! - a rule runs on an event through each of its routes whose `when` holds (evaluated here by
//!   the naive evaluator), once per route; it fires when any of them matches.

use vigie_event::Event;
use vigie_sigma::yaml::{parse_documents, Node, NodeKind};
use vigie_sigma::{search_map, LogSource, Rule};

use super::{FieldMap, NaiveRule};

/// One route.
#[derive(Clone, Debug)]
pub struct NaiveRoute {
    pub logsource: LogSource,
    /// The `when` map as a one-search rule.
    when: NaiveRule,
    pub fields: FieldMap,
}

/// Every route of some mapping files, in file order.
#[derive(Clone, Debug, Default)]
pub struct NaiveMapping {
    pub routes: Vec<NaiveRoute>,
}

/// How a rule reaches events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Through these routes (indexes into [`NaiveMapping::routes`]).
    Routes(Vec<usize>),
    /// With no field map, on events no product-wide route claims.
    Unclaimed,
}

fn lower_text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text).map(|s| s.to_lowercase())
}

fn field_map(node: Option<&Node>) -> FieldMap {
    let mut out = FieldMap::new();
    for (k, v) in node.and_then(Node::as_map).unwrap_or_default() {
        let Some(key) = k.scalar_text() else { continue };
        let names = match &v.kind {
            NodeKind::Seq(items) => items.iter().filter_map(Node::scalar_text).collect(),
            _ => v.scalar_text().into_iter().collect(),
        };
        out.insert(key, names);
    }
    out
}

impl NaiveMapping {
    /// Adds the routes of one mapping file's text.
    pub fn add_yaml(&mut self, text: &str) {
        let docs = parse_documents(text).expect("mapping YAML parses");
        for doc in &docs {
            let common = field_map(doc.get("fields"));
            let Some(NodeKind::Seq(routes)) = doc.get("routes").map(|n| &n.kind) else {
                panic!("a mapping needs a `routes` list");
            };
            for r in routes {
                let ls = r.get("logsource").expect("route logsource");
                let logsource = LogSource {
                    category: lower_text(ls.get("category")),
                    product: lower_text(ls.get("product")),
                    service: lower_text(ls.get("service")),
                };
                let items = search_map(r.get("when").expect("route when")).expect("when parses");
                let when = when_rule(items);
                let mut fields = common.clone();
                fields.extend(field_map(r.get("fields")));
                self.routes.push(NaiveRoute {
                    logsource,
                    when,
                    fields,
                });
            }
        }
    }

    /// The built-in mapping files, read from the source tree.
    pub fn builtin() -> NaiveMapping {
        let mut m = NaiveMapping::default();
        for text in [
            include_str!("../../mappings/windows.yml"),
            include_str!("../../mappings/linux.yml"),
            include_str!("../../mappings/ecs.yml"),
        ] {
            m.add_yaml(text);
        }
        m
    }

    pub fn from_yaml(text: &str) -> NaiveMapping {
        let mut m = NaiveMapping::default();
        m.add_yaml(text);
        m
    }

    fn product_wide(r: &NaiveRoute) -> bool {
        r.logsource.category.is_none() && r.logsource.service.is_none()
    }

    /// How a rule written for `ls` reaches events.
    pub fn reach(&self, ls: &LogSource) -> Reach {
        let covers = |r: &NaiveRoute| {
            let own =
                |rule: &Option<String>, route: &Option<String>| rule.is_none() || rule == route;
            own(&ls.category, &r.logsource.category)
                && own(&ls.service, &r.logsource.service)
                && match (&ls.product, &r.logsource.product) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        };
        let mut routes: Vec<usize> = (0..self.routes.len())
            .filter(|&i| covers(&self.routes[i]))
            .collect();
        if routes.is_empty() {
            routes = (0..self.routes.len())
                .filter(|&i| {
                    let r = &self.routes[i];
                    Self::product_wide(r)
                        && r.logsource.product.is_some()
                        && r.logsource.product == ls.product
                })
                .collect();
        }
        if routes.is_empty() {
            Reach::Unclaimed
        } else {
            Reach::Routes(routes)
        }
    }

    /// Whether route `i`'s `when` holds for the event.
    pub fn holds(&self, i: usize, event: &Event) -> bool {
        self.routes[i].when.matches(event, &FieldMap::new())
    }

    /// The field maps a rule reaching events by `reach` is evaluated under for `event`
    /// (none: the rule does not run on it). `held` caches each route's `when` for the event.
    pub fn maps_for<'m>(
        &'m self,
        reach: &Reach,
        event: &Event,
        held: &mut RouteCache,
        empty: &'m FieldMap,
    ) -> Vec<&'m FieldMap> {
        match reach {
            Reach::Routes(routes) => routes
                .iter()
                .filter(|&&i| held.holds(self, i, event))
                .map(|&i| &self.routes[i].fields)
                .collect(),
            Reach::Unclaimed => {
                if held.claimed(self, event) {
                    Vec::new()
                } else {
                    vec![empty]
                }
            }
        }
    }

    /// Whether a rule fires on an event: evaluated once per field map it runs under.
    pub fn rule_fires(
        &self,
        rule: &NaiveRule,
        reach: &Reach,
        event: &Event,
        held: &mut RouteCache,
    ) -> Option<bool> {
        let empty = FieldMap::new();
        let maps = self.maps_for(reach, event, held, &empty);
        if maps.is_empty() {
            return None;
        }
        Some(maps.iter().any(|m| rule.matches(event, m)))
    }
}

/// Per-event memo of route `when` results.
#[derive(Default)]
pub struct RouteCache {
    held: Vec<Option<bool>>,
    claimed: Option<bool>,
}

impl RouteCache {
    pub fn new() -> Self {
        RouteCache::default()
    }

    fn holds(&mut self, m: &NaiveMapping, i: usize, event: &Event) -> bool {
        if self.held.len() < m.routes.len() {
            self.held.resize(m.routes.len(), None);
        }
        *self.held[i].get_or_insert_with(|| m.holds(i, event))
    }

    /// Whether some product-wide route with a product holds for the event.
    fn claimed(&mut self, m: &NaiveMapping, event: &Event) -> bool {
        if let Some(c) = self.claimed {
            return c;
        }
        let c = (0..m.routes.len()).any(|i| {
            let r = &m.routes[i];
            NaiveMapping::product_wide(r)
                && r.logsource.product.is_some()
                && self.holds(m, i, event)
        });
        self.claimed = Some(c);
        c
    }
}

/// A route's `when` as a rule with one search, so that the naive evaluator reads it.
fn when_rule(items: Vec<vigie_sigma::FieldItem>) -> NaiveRule {
    let rule = Rule {
        meta: Default::default(),
        logsource: LogSource::default(),
        detection: vigie_sigma::Detection {
            searches: vec![("when".to_owned(), vigie_sigma::Search::Maps(vec![items]))],
            condition: vigie_sigma::Condition::Ident("when".to_owned()),
            condition_line: 0,
        },
    };
    NaiveRule::new(&rule).expect("a route's `when` uses supported modifiers")
}
