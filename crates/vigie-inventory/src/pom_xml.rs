//! `pom.xml` (Maven): the versions a project declares for its dependencies, in
//! `<dependencies>` and `<dependencyManagement>` (and those of its profiles), as
//! `groupId:artifactId`; `${property}` versions resolved from the file's own `<properties>`
//! (and `${project.version}`). Versions that stay unresolved (a parent's property) or are
//! ranges (`[1.0,2.0)`) are not packages of a known version and are left out; nothing is
//! downloaded, no parent POM read.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::{Document, Node};

use crate::{InventoryError, Package};

fn child<'a>(node: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text<'a>(node: Node<'a, 'a>, name: &str) -> Option<&'a str> {
    child(node, name)?.text().map(str::trim)
}

/// `${name}` replaced from `props`, repeatedly (a few levels); None when one stays.
fn resolve(value: &str, props: &HashMap<String, String>) -> Option<String> {
    let mut v = value.to_owned();
    for _ in 0..8 {
        let Some(start) = v.find("${") else {
            return Some(v);
        };
        let end = start + v[start..].find('}')?;
        let key = &v[start + 2..end];
        let with = props.get(key)?;
        v = format!("{}{with}{}", &v[..start], &v[end + 1..]);
    }
    (!v.contains("${")).then_some(v)
}

pub fn parse(text_: &str, path: &Path) -> Result<Vec<Package>, InventoryError> {
    let doc = Document::parse(text_).map_err(|e| {
        InventoryError::line(path, e.pos().row as usize, format!("invalid XML: {e}"))
    })?;
    let project = doc.root_element();
    if project.tag_name().name() != "project" {
        return Err(InventoryError::format(
            path,
            "not a Maven POM: the root element must be <project>",
        ));
    }
    let mut props: HashMap<String, String> = HashMap::new();
    if let Some(p) = child(project, "properties") {
        for e in p.children().filter(|c| c.is_element()) {
            if let Some(t) = e.text() {
                props.insert(e.tag_name().name().to_owned(), t.trim().to_owned());
            }
        }
    }
    let parent = child(project, "parent");
    let version = text(project, "version").or_else(|| parent.and_then(|p| text(p, "version")));
    if let Some(v) = version {
        props.insert("project.version".into(), v.to_owned());
        props.insert("version".into(), v.to_owned());
    }
    let mut out = Vec::new();
    let profiles = child(project, "profiles")
        .into_iter()
        .flat_map(|p| p.children().filter(|c| c.is_element()));
    for scope in std::iter::once(project).chain(profiles) {
        let lists = [
            child(scope, "dependencies"),
            child(scope, "dependencyManagement").and_then(|m| child(m, "dependencies")),
        ];
        for dep in lists
            .into_iter()
            .flatten()
            .flat_map(|l| l.children().filter(|c| c.tag_name().name() == "dependency"))
        {
            let (Some(g), Some(a), Some(v)) = (
                text(dep, "groupId"),
                text(dep, "artifactId"),
                text(dep, "version"),
            ) else {
                continue;
            };
            let resolved = [g, a, v].map(|t| resolve(t, &props));
            let [Some(g), Some(a), Some(v)] = resolved else {
                continue;
            };
            if v.is_empty() || v.starts_with(['[', '(']) {
                continue;
            }
            out.push(Package::new("Maven", &format!("{g}:{a}"), &v, path));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_versions() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>fr.example</groupId>
  <artifactId>app</artifactId>
  <version>1.0.0</version>
  <properties>
    <log4j.version>2.14.1</log4j.version>
    <jackson.major>2.9</jackson.major>
    <jackson.version>${jackson.major}.8</jackson.version>
  </properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.version}</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>${log4j.version}</version></dependency>
    <dependency><groupId>fr.example</groupId><artifactId>lib</artifactId><version>${project.version}</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId></dependency>
    <dependency><groupId>x</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>x</groupId><artifactId>parent-prop</artifactId><version>${from.parent}</version></dependency>
  </dependencies>
</project>"#;
        let p = parse(text, Path::new("pom.xml")).expect("parse");
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("org.apache.logging.log4j:log4j-core", "2.14.1"),
                ("fr.example:lib", "1.0.0"),
                ("com.fasterxml.jackson.core:jackson-databind", "2.9.8"),
            ]
        );
        let e = parse("<project><dependencies>", Path::new("pom.xml")).expect_err("xml");
        assert!(
            e.to_string().starts_with("pom.xml: line 1: invalid XML"),
            "{e}"
        );
        let e = parse("<html/>", Path::new("pom.xml")).expect_err("not a pom");
        assert!(e.to_string().contains("<project>"), "{e}");
    }
}
