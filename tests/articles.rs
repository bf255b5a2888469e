//! The team's test articles (`tests/articles/NN-slug.txt`) against their
//! expected facts (`NN-slug.expected.json`, format in tests/articles/README.md).

use std::path::{Path, PathBuf};

use serde_json::Value;
use warcoder_core::output::{EventOut, Output};
use warcoder_core::Resources;

fn fold(s: &str) -> String {
    warcoder_core::text::fold(s)
}

fn range_ok(got: &Option<warcoder_core::output::CountOut>, want: &Value) -> bool {
    match (got, want) {
        (None, Value::Null) => true,
        (Some(_), Value::Null) => false,
        (None, _) => false,
        (Some(c), w) => Some(c.low) == w["low"].as_u64() && Some(c.high) == w["high"].as_u64(),
    }
}

fn names_match(e: &EventOut, want: &Value, roles: &[&str]) -> bool {
    let wants: Vec<String> = want
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).map(fold).collect())
        .unwrap_or_default();
    let mut have: Vec<String> = e
        .actors
        .iter()
        .filter(|a| roles.is_empty() || roles.contains(&a.role.as_str()))
        .flat_map(|a| [fold(&a.name), fold(&a.mention)])
        .collect();
    if roles.contains(&"claimant") {
        have.extend(e.claimed_by.iter().map(|c| fold(c)));
    }
    wants
        .iter()
        .any(|w| have.iter().any(|h| h.contains(w.as_str())))
}

/// Why an event does not match an expectation, or None when it does.
fn mismatch(e: &EventOut, want: &Value) -> Option<String> {
    let mut why = Vec::new();
    if e.date.as_deref() != want["date"].as_str() {
        why.push(format!("date {:?}", e.date));
    }
    if e.acled_event_type.as_deref() != want["acled_event_type"].as_str() {
        why.push(format!("type {:?}", e.acled_event_type));
    }
    if let Some(s) = want["acled_sub_event_type"].as_str() {
        if e.acled_sub_event_type.as_deref() != Some(s) {
            why.push(format!("sub-type {:?}", e.acled_sub_event_type));
        }
    }
    if let Some(places) = want["location_any_of"].as_array() {
        let loc = e.location.as_ref();
        let names: Vec<String> = loc
            .map(|l| {
                [
                    Some(&l.name),
                    l.admin1.as_ref(),
                    l.admin2.as_ref(),
                    Some(&l.mention),
                ]
                .into_iter()
                .flatten()
                .map(|n| fold(n))
                .collect()
            })
            .unwrap_or_default();
        let ok = places
            .iter()
            .filter_map(|p| p.as_str())
            .any(|p| names.iter().any(|n| n.contains(&fold(p))));
        if !ok {
            why.push(format!("location {:?}", loc.map(|l| (&l.name, &l.mention))));
        }
    }
    if let Some(c) = want["country"].as_str() {
        if e.location.as_ref().map(|l| l.country.as_str()) != Some(c) {
            why.push(format!(
                "country {:?}",
                e.location.as_ref().map(|l| &l.country)
            ));
        }
    }
    if want.get("fatalities").is_some() && !range_ok(&e.fatalities, &want["fatalities"]) {
        why.push(format!(
            "fatalities {:?}",
            e.fatalities.as_ref().map(|f| (f.low, f.high))
        ));
    }
    if want.get("injured").is_some() && !range_ok(&e.injured, &want["injured"]) {
        why.push(format!(
            "injured {:?}",
            e.injured.as_ref().map(|f| (f.low, f.high))
        ));
    }
    if want.get("perpetrator_any_of").is_some()
        && !names_match(
            e,
            &want["perpetrator_any_of"],
            &["perpetrator", "claimant", "participant"],
        )
    {
        why.push(format!(
            "perpetrator {:?}",
            e.actors
                .iter()
                .map(|a| (&a.name, &a.role))
                .collect::<Vec<_>>()
        ));
    }
    if want.get("actors_any_of").is_some() && !names_match(e, &want["actors_any_of"], &[]) {
        why.push("actors_any_of".into());
    }
    if let Some(groups) = want["actors_all_of"].as_array() {
        if !groups.iter().all(|g| names_match(e, g, &[])) {
            why.push(format!(
                "actors_all_of {:?}",
                e.actors.iter().map(|a| &a.name).collect::<Vec<_>>()
            ));
        }
    }
    (!why.is_empty()).then(|| why.join(", "))
}

fn check(res: &Resources, txt: &Path, expected: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(txt).unwrap();
    let reference = expected["reference_date"]
        .as_str()
        .map(|d| d.parse().expect("reference_date"));
    let out: Output = warcoder_core::extract_text(&text, reference, res);
    let mut failures = Vec::new();
    let new: Vec<&EventOut> = out.events.iter().filter(|e| e.status == "new").collect();
    let mut used = vec![false; new.len()];
    for want in expected["events"].as_array().unwrap() {
        let pick = (0..new.len()).find(|&i| !used[i] && mismatch(new[i], want).is_none());
        match pick {
            Some(i) => used[i] = true,
            None => {
                let closest: Vec<String> = new.iter().filter_map(|e| mismatch(e, want)).collect();
                failures.push(format!(
                    "expected {} at {}: got {:?}",
                    want["acled_sub_event_type"], want["location_any_of"], closest
                ));
            }
        }
    }
    for want in expected["background_events"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let ok = out.events.iter().any(|e| {
            e.status == "background"
                && e.date.as_deref() == want["date"].as_str()
                && (want.get("fatalities").is_none()
                    || range_ok(&e.fatalities, &want["fatalities"]))
        });
        if !ok {
            failures.push(format!("background event {want} missing"));
        }
    }
    for want in expected["aggregates"].as_array().into_iter().flatten() {
        let low = want["fatalities_low"].as_u64();
        if !out
            .aggregates
            .iter()
            .any(|a| a.fatalities.as_ref().map(|f| f.low) == low)
        {
            failures.push(format!("aggregate {want} missing"));
        }
        if new
            .iter()
            .any(|e| e.fatalities.as_ref().map(|f| f.low) == low && low.is_some_and(|l| l > 0))
        {
            failures.push(format!("aggregate {want} coded as an event's toll"));
        }
    }
    if let Some(max) = expected["max_new_events"].as_u64() {
        if new.len() as u64 > max {
            failures.push(format!("{} new events, at most {max} expected", new.len()));
        }
    }
    failures
}

/// Every test article (`tests/articles/*.txt`), in name order.
fn articles() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/articles"));
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    cases.sort();
    cases
}

/// The expected facts of article `txt` (`NN-slug.expected.json`).
fn expected(txt: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(txt.with_extension("expected.json")).unwrap())
        .unwrap()
}

#[test]
fn test_articles_are_coded_as_expected() {
    let cases = articles();
    assert!(cases.len() >= 20, "at least 20 test articles");
    let res = Resources::shared();
    let mut failed = Vec::new();
    for txt in &cases {
        let f = check(res, txt, &expected(txt));
        if !f.is_empty() {
            failed.push(format!(
                "{}:\n    {}",
                txt.file_name().unwrap().to_string_lossy(),
                f.join("\n    ")
            ));
        }
    }
    println!(
        "test articles: {} passed, {} failed",
        cases.len() - failed.len(),
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{} of {} articles fail:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

/// A compact view of what each test article codes to, as a snapshot: any
/// change in coding shows up in review (`cargo insta review`).
#[test]
fn test_articles_snapshot() {
    let cases = articles();
    let res = Resources::shared();
    let mut lines = Vec::new();
    for txt in &cases {
        let reference = expected(txt)["reference_date"]
            .as_str()
            .map(|d| d.parse().unwrap());
        let out =
            warcoder_core::extract_text(&std::fs::read_to_string(txt).unwrap(), reference, res);
        let name = txt.file_stem().unwrap().to_string_lossy().to_string();
        for e in &out.events {
            let count = |c: &Option<warcoder_core::output::CountOut>| {
                c.as_ref()
                    .map_or("-".to_string(), |c| format!("{}-{}", c.low, c.high))
            };
            let actors: Vec<String> = e
                .actors
                .iter()
                .map(|a| format!("{}:{}", a.role, a.name))
                .collect();
            lines.push(format!(
                "{name} | {} {} | {} | {} | killed {} injured {} | {}",
                e.status,
                e.date.as_deref().unwrap_or("?"),
                e.acled_sub_event_type.as_deref().unwrap_or(&e.plover),
                e.location.as_ref().map_or("?".to_string(), |l| format!(
                    "{} ({}, p{})",
                    l.name, l.country, l.precision
                )),
                count(&e.fatalities),
                count(&e.injured),
                actors.join("; ")
            ));
        }
        for a in &out.aggregates {
            lines.push(format!(
                "{name} | aggregate {} | {}",
                a.scope,
                a.fatalities
                    .as_ref()
                    .map_or("-".to_string(), |f| f.low.to_string())
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}
