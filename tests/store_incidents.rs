//! The event store with hand-written pipeline outputs: the cross-article
//! incident rule (three reports of one attack become one incident with
//! three sources and reconciled tolls; near-misses stay apart), idempotent
//! re-ingest, and the query filters. Outputs are written by hand so that
//! these tests hold whatever the pipeline's coding does.

use std::path::PathBuf;

use serde_json::{json, Value};
use warcoder_core::output::Output;
use warcoder_store::{Filter, NewDocument, Store};

fn temp_db(name: &str) -> PathBuf {
    let path = temp_db_path(name);
    let dir = path.parent().unwrap();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    path
}

/// Where [`temp_db`] puts the store `name`, without clearing it.
fn temp_db_path(name: &str) -> PathBuf {
    std::env::temp_dir()
        .join(format!("warcoder-store-{}-{name}", std::process::id()))
        .join("events.db")
}

/// Where an event happened: name, lat, lon, admin2, geo precision.
type Place = (&'static str, f64, f64, &'static str, u8);
const DIK: Place = ("Dera Ismail Khan", 31.8313, 70.9017, "Dera Ismail Khan", 1);
const DIK_VAGUE: Place = ("Dera Ismail Khan", 31.8313, 70.9017, "Dera Ismail Khan", 2);
const KULACHI: Place = ("Kulachi", 31.9286, 70.4592, "Dera Ismail Khan", 1);
const PESHAWAR: Place = ("Peshawar", 34.008, 71.5785, "Peshawar", 1);

struct Ev {
    date: &'static str,
    kind: &'static str,
    place: Place,
    killed: &'static [(u64, &'static str)],
    perpetrators: &'static [&'static str],
    status: &'static str,
}

const BOMBING: &str = "Explosions/Remote violence";

fn ev(date: &'static str, place: Place, killed: &'static [(u64, &'static str)]) -> Ev {
    Ev {
        date,
        kind: BOMBING,
        place,
        killed,
        perpetrators: &[],
        status: "new",
    }
}

fn event_json(i: usize, e: &Ev) -> Value {
    let estimates: Vec<Value> = e
        .killed
        .iter()
        .map(|(n, src)| json!({"count": n, "qualifier": null, "vague": false, "source": src, "superseded": false, "span": [0, 10]}))
        .collect();
    let fatalities = (!e.killed.is_empty()).then(|| {
        let low = e.killed.iter().map(|k| k.0).min().unwrap();
        let high = e.killed.iter().map(|k| k.0).max().unwrap();
        json!({"low": low, "best": low, "high": high, "estimates": estimates})
    });
    let (name, lat, lon, admin2, precision) = e.place;
    json!({
        "id": format!("e{}", i + 1), "status": e.status, "date": e.date, "date_precision": "day",
        "acled_event_type": e.kind, "acled_sub_event_type": "Suicide bomb",
        "disorder_type": "Political violence", "cameo": "183", "plover": "ASSAULT",
        "actors": e.perpetrators.iter().map(|p| json!({"name": p, "role": "perpetrator", "inter": 2,
            "country": "PK", "mention": p, "span": [0, 1]})).collect::<Vec<_>>(),
        "claimed_by": [],
        "location": {"name": name, "country": "PK", "admin1": "Khyber Pakhtunkhwa", "admin2": admin2,
                     "lat": lat, "lon": lon, "geonames_id": null, "precision": precision,
                     "mention": name, "span": [0, 1]},
        "fatalities": fatalities,
        "trigger": {"text": "blast", "span": [0, 5]},
        "evidence": [[0, 10]], "confidence": 0.9
    })
}

fn doc(outlet: &str, events: &[Ev]) -> NewDocument {
    let text = format!("Report by {outlet}.");
    let output: Output = serde_json::from_value(json!({
        "schema_version": 1,
        "document": {"id": warcoder_core::source::sha256_hex(outlet.as_bytes()),
                     "source": format!("https://{outlet}/story"), "url": format!("https://{outlet}/story"),
                     "span_basis": "input", "removed": []},
        "events": events.iter().enumerate().map(|(i, e)| event_json(i, e)).collect::<Vec<_>>(),
        "aggregates": []
    }))
    .unwrap();
    NewDocument::new(output, &text, Some("2025-10-17".into()), text.len())
}

/// Incidents as (date, location, number of sources), in date order.
fn incidents(store: &Store) -> Vec<(String, String, usize)> {
    store
        .incidents(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|i| {
            (
                i.date.unwrap_or_default(),
                i.location.map(|l| l.name).unwrap_or_default(),
                i.sources.len(),
            )
        })
        .collect()
}

fn three_reports() -> Vec<NewDocument> {
    vec![
        doc(
            "wire.example",
            &[
                ev("2025-10-16", DIK, &[(11, "police")]),
                Ev {
                    status: "background",
                    ..ev("2024-02-05", DIK, &[(10, "police")])
                },
            ],
        ),
        doc(
            "local.example",
            &[
                Ev {
                    perpetrators: &["Ittehad-ul-Mujahideen Pakistan"],
                    ..ev("2025-10-16", DIK_VAGUE, &[(13, "hospital"), (12, "police")])
                },
                // The next day, a shooting in a town of the same district.
                Ev {
                    kind: "Violence against civilians",
                    ..ev("2025-10-17", KULACHI, &[(1, "police")])
                },
            ],
        ),
        doc(
            "monitor.example",
            &[Ev {
                perpetrators: &["Ittehad-ul-Mujahideen Pakistan"],
                ..ev("2025-10-16", DIK, &[(13, "hospital"), (12, "police")])
            }],
        ),
    ]
}

#[test]
fn three_reports_of_one_attack_are_one_incident() {
    let mut store = Store::open(&temp_db("three")).unwrap();
    let report = store.insert(&three_reports()).unwrap();
    assert_eq!(report.stored, 3);
    assert_eq!(report.events, 5);
    assert_eq!(report.flagged, 1, "the background event is kept, flagged");
    assert_eq!(report.merged, 2);
    let all = store.incidents(&Filter::default()).unwrap();
    assert_eq!(all.len(), 2, "{all:#?}");
    let bombing = all.iter().find(|i| i.event_type == BOMBING).unwrap();
    assert_eq!(bombing.sources.len(), 3);
    let outlets: Vec<&str> = bombing.sources.iter().map(|s| s.outlet.as_str()).collect();
    assert_eq!(
        outlets,
        ["wire.example", "local.example", "monitor.example"]
    );
    let f = bombing.fatalities.as_ref().unwrap();
    assert_eq!((f.low, f.best, f.high), (11, 11, 13));
    assert_eq!(f.estimates.len(), 5, "every attributed estimate is kept");
    assert_eq!(bombing.date.as_deref(), Some("2025-10-16"));
    assert_eq!(bombing.location.as_ref().unwrap().precision, 1);
    assert!(bombing
        .actors
        .iter()
        .any(|a| a.name == "Ittehad-ul-Mujahideen Pakistan"));
    assert!(store.check().unwrap().is_empty());
    let stats = store.stats().unwrap();
    assert_eq!(
        (
            stats.documents,
            stats.events,
            stats.incidents,
            stats.merged_incidents
        ),
        (3, 5, 2, 1)
    );
    assert_eq!(stats.background_events, 1);
}

#[test]
fn re_ingest_stores_nothing_twice() {
    let mut store = Store::open(&temp_db("again")).unwrap();
    store.insert(&three_reports()).unwrap();
    let before = store.stats().unwrap();
    let again = store.insert(&three_reports()).unwrap();
    assert_eq!((again.stored, again.duplicates, again.events), (0, 3, 0));
    let after = store.stats().unwrap();
    assert_eq!(
        (after.documents, after.events, after.incidents),
        (before.documents, before.events, before.incidents)
    );
    // Within one batch too.
    let mut twice = three_reports();
    twice.extend(three_reports());
    let mut fresh = Store::open(&temp_db("twice")).unwrap();
    let r = fresh.insert(&twice).unwrap();
    assert_eq!((r.stored, r.duplicates), (3, 3));
}

#[test]
fn near_misses_stay_apart() {
    let mut store = Store::open(&temp_db("near")).unwrap();
    store
        .insert(&[
            doc("a.example", &[ev("2025-10-16", DIK, &[(11, "police")])]),
            // Same town, two days later.
            doc("b.example", &[ev("2025-10-18", DIK, &[(4, "police")])]),
            // Same day, another town of the same district, 42 km away.
            doc("c.example", &[ev("2025-10-16", KULACHI, &[(2, "police")])]),
            // Same day, another district.
            doc("d.example", &[ev("2025-10-16", PESHAWAR, &[(5, "police")])]),
            // Same day and town, a close toll: e names a perpetrator (a
            // names none, so they merge); f names another one than e, and
            // gives no toll (nothing ties it to a either).
            doc(
                "e.example",
                &[Ev {
                    perpetrators: &["TTP"],
                    ..ev("2025-10-16", DIK, &[(12, "hospital")])
                }],
            ),
            // Same day and town, the same toll, but a day later: tolls
            // alone do not tie reports of different days.
            doc("g.example", &[ev("2025-10-17", DIK, &[(11, "police")])]),
            doc(
                "f.example",
                &[Ev {
                    perpetrators: &["Islamic State"],
                    ..ev("2025-10-16", DIK, &[])
                }],
            ),
        ])
        .unwrap();
    let got = incidents(&store);
    assert_eq!(got.len(), 6, "{got:?}");
    assert_eq!(got.iter().filter(|(_, _, n)| *n == 2).count(), 1, "{got:?}");
}

#[test]
fn merging_does_not_depend_on_input_order() {
    let mut forward = Store::open(&temp_db("fwd")).unwrap();
    forward.insert(&three_reports()).unwrap();
    let mut backward = Store::open(&temp_db("bwd")).unwrap();
    let mut docs = three_reports();
    docs.reverse();
    for d in docs {
        backward.insert(&[d]).unwrap();
    }
    let summary = |s: &Store| {
        let mut v: Vec<_> = s
            .incidents(&Filter::default())
            .unwrap()
            .into_iter()
            .map(|i| {
                (
                    i.event_type,
                    i.sources.len(),
                    i.fatalities.map(|f| (f.low, f.high)),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(summary(&forward), summary(&backward));
}

#[test]
fn filters() {
    let mut store = Store::open(&temp_db("filters")).unwrap();
    store.insert(&three_reports()).unwrap();
    let count = |f: Filter| store.incidents(&f).unwrap().len();
    assert_eq!(count(Filter::default()), 2);
    let from = |d: &str| Filter {
        from: Some(d.into()),
        ..Filter::default()
    };
    assert_eq!(count(from("2025-10-17")), 1);
    assert_eq!(
        count(Filter {
            to: Some("2025-10-16".into()),
            ..Filter::default()
        }),
        1
    );
    let country = |c: &str| Filter {
        country: Some(c.into()),
        ..Filter::default()
    };
    assert_eq!(count(country("pk")), 2);
    assert_eq!(count(country("UA")), 0);
    let kind = |t: &str| Filter {
        event_type: Some(t.into()),
        ..Filter::default()
    };
    assert_eq!(count(kind("violence against civilians")), 1);
    assert_eq!(count(kind("Suicide bomb")), 2, "sub-event types match too");
    let actor = |a: &str| Filter {
        actor: Some(a.into()),
        ..Filter::default()
    };
    assert_eq!(count(actor("ittehad")), 1);
    assert_eq!(count(actor("nobody")), 0);
    let bbox = |b: [f64; 4]| Filter {
        bbox: Some(b),
        ..Filter::default()
    };
    // Kulachi lies west of 70.6°E, Dera Ismail Khan east of it.
    assert_eq!(count(bbox([70.0, 31.0, 70.6, 32.5])), 1);
    assert_eq!(count(bbox([60.0, 20.0, 80.0, 40.0])), 2);
    assert_eq!(count(bbox([-10.0, 0.0, 10.0, 10.0])), 0);
}

#[test]
fn bad_store_paths_are_refused_with_advice() {
    let path = temp_db("paths");
    let junk = path.with_file_name("junk.db");
    std::fs::write(
        &junk,
        b"this is not a database, just some text that is long enough",
    )
    .unwrap();
    let err = Store::open(&junk)
        .err()
        .expect("junk is refused")
        .to_string();
    assert!(err.contains("not a warcoder event store"), "{err}");
    let missing = path.with_file_name("missing.db");
    let err = Store::open_existing(&missing).err().unwrap().to_string();
    assert!(err.contains("run `warcoder ingest"), "{err}");
}

#[test]
fn the_search_index_follows_incidents_across_batches() {
    let mut store = Store::open(&temp_db("search")).unwrap();
    // One report per batch: the bombing's incident is rewritten twice.
    for report in three_reports() {
        store.insert(std::slice::from_ref(&report)).unwrap();
    }
    let found = |words: &str| {
        let filter = Filter {
            text: Some(words.into()),
            ..Default::default()
        };
        store.incidents(&filter).unwrap().len()
    };
    assert_eq!(found("Ittehad"), 1, "an actor only a later report names");
    assert_eq!(found("Kulachi"), 1);
    assert_eq!(found("Dera Ismail Khan"), 2, "the district of both");
    assert_eq!(found("Peshawar"), 0);
    // Reopening (migrations are done) changes nothing.
    drop(store);
    let store = Store::open_existing(&temp_db_path("search")).unwrap();
    let filter = Filter {
        text: Some("Ittehad".into()),
        ..Default::default()
    };
    assert_eq!(store.incidents(&filter).unwrap().len(), 1);
}
