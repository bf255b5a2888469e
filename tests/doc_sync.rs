//! The docs that list vocabulary and fields say what the code does:
//! docs/codes.md has a row for every ACLED type, actor type and PLOVER type
//! of the ontology files and every glossary term, and docs/output.md names
//! every field the output contract has on the bundled examples.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use warcoder_core::glossary::TERMS;
use warcoder_core::ontology::Ontology;

fn doc(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(name),
    )
    .unwrap()
}

fn has_row(page: &str, cells: &[&str]) -> bool {
    let row = format!("| {} |", cells.join(" | "));
    page.lines().any(|l| l.starts_with(&row))
}

#[test]
fn codes_page_lists_the_ontology_and_the_glossary() {
    let page = doc("codes.md");
    let o = Ontology::embedded();
    for t in &o.event_types {
        assert!(
            page.lines().any(|l| l.starts_with(&format!("| {t} | "))),
            "docs/codes.md lacks event type {t}"
        );
    }
    for s in &o.sub_event_types {
        let cells = [
            s.event_type.as_str(),
            s.sub_event_type.as_str(),
            s.disorder_type.as_str(),
            s.cameo.as_str(),
            s.plover.as_str(),
            s.plover_mode.as_deref().unwrap_or(""),
        ];
        assert!(
            has_row(&page, &cells),
            "docs/codes.md lacks the row {cells:?}"
        );
    }
    for (code, label) in &o.inter {
        assert!(
            has_row(&page, &[&code.to_string(), label]),
            "docs/codes.md lacks inter {code} {label}"
        );
    }
    for (plover, quad) in &o.plover_quad {
        assert!(
            has_row(&page, &[plover, &quad.to_string()]),
            "docs/codes.md lacks PLOVER {plover}"
        );
    }
    for (term, meaning) in TERMS {
        assert!(
            has_row(&page, &[term, meaning]),
            "docs/codes.md lacks the glossary line {term}"
        );
    }
}

/// Every key path of `v`: `document.title`, `events.actors.inter` ...
fn key_paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(path.clone());
                key_paths(child, &path, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| key_paths(i, prefix, out)),
        _ => {}
    }
}

#[test]
fn output_page_names_every_field() {
    let page = doc("output.md");
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let (rc, out, err) = common::warcoder(
        &["extract", "--format", "jsonl", examples],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(rc, 0, "{err}");
    let mut paths = BTreeSet::new();
    for line in out.lines() {
        key_paths(&serde_json::from_str(line).unwrap(), "", &mut paths);
    }
    assert!(paths.len() > 40, "{paths:?}");
    for path in &paths {
        // The page names a field by its last part (`inter`) or its path
        // from the document (`document.title`).
        let last = path.rsplit('.').next().unwrap();
        let named = page.contains(&format!("`{path}`")) || page.contains(&format!("`{last}`"));
        assert!(named, "docs/output.md does not describe `{path}`");
    }
}
