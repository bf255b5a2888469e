//! The reference article (DESIGN.md): the facts a correct run must contain,
//! checked through the `warcoder` binary as a user runs it.

mod common;

use std::process::Command;

use serde_json::Value;

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let p = std::f64::consts::PI / 180.0;
    let h = ((b.0 - a.0) * p / 2.0).sin().powi(2)
        + (a.0 * p).cos() * (b.0 * p).cos() * ((b.1 - a.1) * p / 2.0).sin().powi(2);
    12742.0 * h.sqrt().asin()
}

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/seed/article.txt"
);

/// `warcoder extract --format json` on the reference article: its stdout.
fn extract_seed() -> Vec<u8> {
    let out = common::binary()
        .args(["extract", "--format", "json", SEED])
        .output()
        .expect("runs warcoder");
    assert!(
        out.status.success(),
        "warcoder failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn run_seed() -> (Value, Vec<u8>) {
    (
        serde_json::from_slice(&extract_seed()).expect("JSON output"),
        std::fs::read(SEED).expect("fixture"),
    )
}

fn near(e: &Value, lat: f64, lon: f64, radius: f64) -> bool {
    let l = &e["location"];
    match (l["lat"].as_f64(), l["lon"].as_f64()) {
        (Some(a), Some(b)) => km((a, b), (lat, lon)) <= radius,
        _ => false,
    }
}

fn range(v: &Value) -> Option<(u64, u64)> {
    Some((v["low"].as_u64()?, v["high"].as_u64()?))
}

fn claimed_by_is(e: &Value) -> bool {
    let actors = e["actors"].as_array().unwrap();
    actors.iter().any(|a| {
        matches!(a["role"].as_str(), Some("perpetrator" | "claimant"))
            && a["name"].as_str().unwrap().contains("Islamic State")
    })
}

#[test]
fn reference_article_document_facts() {
    let (out, raw) = run_seed();
    let d = &out["document"];
    assert_eq!(out["schema_version"], 1);
    assert_eq!(
        d["title"],
        "Dozens dead in Syria multiple blasts as US, Russia talks stall"
    );
    assert!(d["standfirst"]
        .as_str()
        .unwrap()
        .starts_with("Da'ish claims responsibility"));
    assert_eq!(d["dateline"], "Damascus");
    assert_eq!(d["reference_date"], "2016-09-05");
    assert_eq!(d["reference_date_from"], "caption");
    let removed: Vec<String> = d["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            String::from_utf8_lossy(
                &raw[r["span"][0].as_u64().unwrap() as usize
                    ..r["span"][1].as_u64().unwrap() as usize],
            )
            .to_string()
        })
        .collect();
    let all = removed.join(" | ");
    for s in ["PHOTO: AFP", "Load Next Story", "Syrian forces besiege rebel-held Aleppo as Turkish-backed fighters drive Islamic State from border", "US, Russia fail to reach Syria deal"] {
        assert!(all.contains(s), "{s:?} not removed: {all}");
    }
    assert!(
        !all.contains("A string of bombings claimed"),
        "a body sentence was removed"
    );
    assert!(
        !all.contains("The Observatory said that attack"),
        "a body sentence was removed"
    );
}

#[test]
fn reference_article_three_new_bombings() {
    let (out, _) = run_seed();
    let events = out["events"].as_array().unwrap();
    let bombings: Vec<&Value> = events
        .iter()
        .filter(|e| {
            e["status"] == "new"
                && e["date"] == "2016-09-05"
                && e["acled_event_type"] == "Explosions/Remote violence"
        })
        .collect();
    assert_eq!(bombings.len(), 3, "{bombings:#?}");
    let tartus = bombings
        .iter()
        .find(|e| near(e, 34.889, 35.887, 25.0))
        .expect("Tartus double bombing");
    assert!(
        tartus["fatalities"].is_null(),
        "no per-incident toll is given for Tartus"
    );
    let homs = bombings
        .iter()
        .find(|e| near(e, 34.727, 36.723, 15.0))
        .expect("Homs car bomb");
    assert_eq!(
        homs["acled_sub_event_type"],
        "Remote explosive/landmine/IED"
    );
    assert_eq!(range(&homs["fatalities"]), Some((4, 4)));
    let damascus = bombings
        .iter()
        .find(|e| near(e, 33.51, 36.20, 25.0))
        .expect("bomb west of Damascus");
    assert_eq!(range(&damascus["fatalities"]), Some((1, 3)));
    assert_eq!(damascus["fatalities"]["best"], 1);
    assert_eq!(range(&damascus["injured"]), Some((3, 3)));
    let sources: Vec<&str> = damascus["fatalities"]["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["source"].as_str())
        .collect();
    assert!(
        sources.contains(&"state media") && sources.contains(&"the Observatory"),
        "{sources:?}"
    );
    for e in [tartus, homs, damascus] {
        assert!(claimed_by_is(e), "{e:#}");
        assert!(!e["evidence"].as_array().unwrap().is_empty());
    }
}

#[test]
fn reference_article_aggregates_and_background() {
    let (out, _) = run_seed();
    let aggs = out["aggregates"].as_array().unwrap();
    assert!(
        aggs.iter().any(|a| a["fatalities"]["low"] == 48),
        "{aggs:#?}"
    );
    assert!(aggs
        .iter()
        .any(|a| a["fatalities"]["low"] == 290_000 && a["period_start"] == "2011-03"));
    let events = out["events"].as_array().unwrap();
    let bg = events
        .iter()
        .find(|e| {
            e["status"] == "background" && e["date"] == "2016-02" && near(e, 34.727, 36.723, 15.0)
        })
        .expect("February bombing in Al Zahraa as background");
    assert_eq!(range(&bg["fatalities"]), Some((57, 57)));
    for n in [290_000u64, 48, 50] {
        assert!(
            !events.iter().any(|e| ["low", "best", "high"]
                .iter()
                .any(|k| e["fatalities"][k].as_u64() == Some(n))),
            "an event carries the aggregate toll {n}"
        );
    }
}

#[test]
fn reference_article_territory_change() {
    let (out, _) = run_seed();
    let events = out["events"].as_array().unwrap();
    let t = events
        .iter()
        .find(|e| e["acled_event_type"] == "Battles")
        .expect("the border loss");
    assert_eq!(t["date"], "2016-09-04");
    assert_eq!(
        t["acled_sub_event_type"],
        "Non-state actor overtakes territory"
    );
    let names: Vec<&str> = t["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("Turkish"))
            && names.iter().any(|n| n.contains("Islamic State")),
        "{names:?}"
    );
}

#[test]
fn seed_check_script_passes_when_shared_is_present() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/check-seed");
    if !std::path::Path::new(script).exists() {
        eprintln!("skipped: ../shared/tools/check-seed is not present");
        return;
    }
    let json = extract_seed();
    let mut child = Command::new("python3")
        .arg(script)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&json).unwrap();
    let res = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&res.stdout);
    assert!(res.status.success(), "{text}");
    assert!(text.trim_end().ends_with(" 0 failed"), "{text}");
}

#[test]
fn reference_article_snapshot() {
    let (out, _) = run_seed();
    let events: Vec<String> = out["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let actors: Vec<String> = e["actors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    format!(
                        "{}:{}",
                        a["role"].as_str().unwrap(),
                        a["name"].as_str().unwrap()
                    )
                })
                .collect();
            format!(
                "{} {} {} | {} | {} | killed {} injured {} | {}",
                e["status"].as_str().unwrap(),
                e["date"].as_str().unwrap_or("?"),
                e["acled_sub_event_type"]
                    .as_str()
                    .unwrap_or(e["plover"].as_str().unwrap()),
                e["trigger"]["text"].as_str().unwrap(),
                e["location"]["name"].as_str().unwrap_or("?"),
                e["fatalities"]["low"]
                    .as_u64()
                    .map_or("-".into(), |l| format!("{l}-{}", e["fatalities"]["high"])),
                e["injured"]["low"]
                    .as_u64()
                    .map_or("-".into(), |l| format!("{l}-{}", e["injured"]["high"])),
                actors.join("; ")
            )
        })
        .collect();
    let aggregates: Vec<String> = out["aggregates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "aggregate {} | killed {} | since {}",
                a["scope"].as_str().unwrap(),
                a["fatalities"]["low"],
                a["period_start"]
            )
        })
        .collect();
    insta::assert_snapshot!([events, aggregates].concat().join("\n"));
}
