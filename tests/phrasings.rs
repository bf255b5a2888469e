//! Table-driven tests of numbers, tolls, dates, attributions, event types,
//! roles and coreference, and incident counts
//! (`tests/phrasings/*.tsv`; formats in each file's header).

use warcoder_core::model::{DateExpr, Document, TollKind};
use warcoder_core::Resources;

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/phrasings/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

fn doc(text: &str, reference: Option<&str>) -> Document {
    warcoder_core::annotate_text(
        text,
        reference.map(|r| r.parse().unwrap()),
        Resources::shared(),
    )
}

/// The whole pipeline on one row's text, dated as the event tables assume.
fn extract(text: &str) -> warcoder_core::output::Output {
    warcoder_core::extract_text(
        text,
        Some("2024-06-03".parse().unwrap()),
        Resources::shared(),
    )
}

/// Run every row; report all mismatches at once.
fn check(name: &str, rows: Vec<Vec<String>>, got: impl Fn(&[String]) -> String) {
    let mut failures = Vec::new();
    let n = rows.len();
    for r in &rows {
        let want = r.last().unwrap().trim();
        let have = got(r);
        if have != want {
            failures.push(format!("  {:?}: expected {want:?}, got {have:?}", r[0]));
        }
    }
    println!(
        "{name}: {} passed, {} failed",
        n - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{name}: {} of {n} rows differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn numbers() {
    check("numbers", rows("numbers.tsv"), |r| {
        let d = doc(&r[0], None);
        let Some(n) = d.numbers.first() else {
            return "none".into();
        };
        let q = &n.quantity;
        let mut s = format!("{}-{}", q.low, q.high);
        if q.vague {
            s.push_str(" vague");
        }
        if let Some(x) = q.qualifier {
            s.push_str(&format!(" q={x}"));
        }
        s
    });
}

#[test]
fn tolls() {
    check("tolls", rows("tolls.tsv"), |r| {
        let d = doc(&r[0], None);
        if d.tolls.is_empty() {
            return "none".into();
        }
        let mut tolls: Vec<_> = d.tolls.iter().collect();
        tolls.sort_by_key(|t| (t.span[0], t.kind as u8));
        tolls
            .iter()
            .map(|t| {
                let kind = match t.kind {
                    TollKind::Killed => "killed",
                    TollKind::Injured => "injured",
                    TollKind::Missing => "missing",
                    TollKind::Abducted => "abducted",
                    TollKind::Arrested => "arrested",
                };
                let q = &t.quantity;
                let range = if q.high > q.low {
                    format!("{}-{}", q.low, q.high)
                } else {
                    q.low.to_string()
                };
                format!("{kind}={range}{}", if t.update { "!" } else { "" })
            })
            .collect::<Vec<_>>()
            .join(";")
    });
}

#[test]
fn dates() {
    check("dates", rows("dates.tsv"), |r| {
        let d = doc(&r[1], Some(&r[0]));
        let Some(m) = d.dates.first() else {
            return "none".into();
        };
        let Some(res) = m.resolved else {
            return "unresolved".into();
        };
        match m.expr {
            DateExpr::Since(_) => format!("since {}", res.render()),
            _ => res.render(),
        }
    });
}

#[test]
fn attributions() {
    check("attributions", rows("attributions.tsv"), |r| {
        let d = doc(&r[0], None);
        d.attributions
            .first()
            .map_or("none".into(), |a| a.source.clone())
    });
}

#[test]
fn events() {
    check("events", rows("events.tsv"), |r| {
        let out = extract(&r[0]);
        let new: Vec<_> = out.events.iter().filter(|e| e.status == "new").collect();
        let Some(e) = new.first() else {
            return "none".into();
        };
        let code = e
            .acled_sub_event_type
            .clone()
            .unwrap_or_else(|| e.plover.clone());
        let want_actor = r.get(1).map(|a| a.trim()).filter(|a| !a.is_empty());
        match want_actor {
            Some(a) => {
                let found = e.actors.iter().any(|x| {
                    x.role != "target" && x.name.to_lowercase().contains(&a.to_lowercase())
                });
                if found {
                    code
                } else {
                    format!(
                        "{code} (no {a} among {:?})",
                        e.actors
                            .iter()
                            .map(|x| (&x.name, &x.role))
                            .collect::<Vec<_>>()
                    )
                }
            }
            None => code,
        }
    });
}

#[test]
fn roles() {
    check("roles", rows("roles.tsv"), |r| {
        let out = extract(&r[0]);
        let Some(e) = out.events.iter().find(|e| e.status == "new") else {
            return "no event".into();
        };
        e.actors
            .iter()
            .map(|a| format!("{}:{}", a.role, a.name))
            .collect::<Vec<_>>()
            .join("; ")
    });
}

#[test]
fn incidents() {
    check("incidents", rows("incidents.tsv"), |r| {
        let out = extract(&r[0]);
        let new: Vec<String> = out
            .events
            .iter()
            .filter(|e| e.status == "new")
            .map(|e| {
                e.acled_sub_event_type
                    .clone()
                    .unwrap_or_else(|| e.plover.clone())
            })
            .collect();
        let background = out.events.len() - new.len();
        format!(
            "new {}: {}; background {background}",
            new.len(),
            new.join(", ")
        )
    });
}
