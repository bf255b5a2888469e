//! `warcoder eval merge` end to end on invented ACLED-style notes
//! (tests/fixtures/merge/notes.csv): distinct events of one country and a
//! few days, two of them sharing one note (a split event, left out). The
//! real figures come from the training corpus (README, "How reports become
//! one incident"); this checks the measurement itself.

mod common;

use std::path::Path;

use serde_json::Value;

#[test]
fn distinct_notes_stay_apart_and_their_paraphrases_and_copies_join_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let keep = std::env::temp_dir().join(format!("warcoder-eval-merge-{}", std::process::id()));
    let (rc, out, err) = common::warcoder(
        &[
            "eval",
            "merge",
            "--notes",
            "tests/fixtures/merge/notes.csv",
            "--sample",
            "0",
            "--copy-every",
            "1",
            "--keep",
            keep.to_str().unwrap(),
            "--json",
        ],
        root,
    );
    assert_eq!(rc, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    // FX6 and FX7 share their note: one split event, left out.
    assert_eq!(v["notes"], 5, "{v}");
    assert_eq!(v["documents"], 15, "note, paraphrase and copy of each: {v}");
    assert_eq!(v["notes_over_merged"], 0, "{v}");
    assert_eq!(v["pairs"]["precision"], 1.0, "{v}");
    let paraphrase = &v["paraphrase"];
    assert!(paraphrase["expected"].as_u64().unwrap() >= 4, "{v}");
    assert_eq!(paraphrase["found"], paraphrase["expected"], "{v}");
    let copies = &v["undated_copy"];
    assert_eq!(copies["found"], copies["expected"], "{v}");
    assert!(v["demo"]["recall"].as_f64().unwrap() >= 0.75, "{v}");
    let _ = std::fs::remove_dir_all(&keep);
}
