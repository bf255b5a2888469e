//! Hostile and unlucky input end to end: bounded time per document, a
//! closed pipe is no panic, spreadsheet-safe CSV, refused nonsense flags.
//! Timing cases assert the shape of the answer (refused with its reason),
//! never wall time.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

use common::warcoder;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_run_on_page_of_figures_is_refused_with_its_reason_and_the_rest_coded() {
    let dir = temp_dir("budget");
    // Once cubic in the toll-to-trigger linking: minutes for 360 KB.
    std::fs::write(
        dir.join("a.txt"),
        "killed 2 killed 3 killed 4 ".repeat(13_000),
    )
    .unwrap();
    std::fs::write(
        dir.join("b.txt"),
        "Gunmen killed five villagers in Borno State on Monday, police said.",
    )
    .unwrap();
    let (rc, out, err) = warcoder(&["extract", "--format", "jsonl", "."], &dir);
    assert_eq!(rc, 1, "one document failed: {err}");
    assert!(
        err.contains("a.txt: not coded:") && err.contains("cap of"),
        "{err}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut child = common::binary()
        .args(["extract", "--format", "jsonl", examples])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing: the first write fills no one's buffer and then fails.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let dir = temp_dir("csv");
    let mut f = std::fs::File::create(dir.join("x.jsonl")).unwrap();
    writeln!(
        f,
        "{}",
        serde_json::json!({
            "id": "=HYPERLINK(\"http://evil\")",
            "text": "Gunmen killed five villagers in Borno State, Nigeria on Monday, police said.",
            "url": "@SUM(1+1)"
        })
    )
    .unwrap();
    let (rc, safe, err) = warcoder(&["extract", "--format", "csv", "x.jsonl"], &dir);
    assert_eq!(rc, 0, "{err}");
    let (_, raw, _) = warcoder(
        &["extract", "--format", "csv", "--raw-csv", "x.jsonl"],
        &dir,
    );
    let risky = |csv: &str| {
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        r.records()
            .flat_map(|rec| rec.unwrap().iter().map(String::from).collect::<Vec<_>>())
            .filter(|c| c.starts_with(['=', '@', '+']))
            .count()
    };
    assert!(risky(&raw) > 0, "the fixture must carry a formula: {raw}");
    assert_eq!(risky(&safe), 0, "{safe}");
}

#[test]
fn nonsense_flags_are_refused_with_what_to_do() {
    let dir = temp_dir("flags");
    let (rc, _, err) = warcoder(&["extract", "--threads", "100000", "-"], &dir);
    assert_eq!(rc, 2);
    assert!(err.contains("use at most"), "{err}");
    let (rc, _, err) = warcoder(
        &[
            "events",
            "--db",
            "none.db",
            "--from",
            "2024-05-01",
            "--to",
            "2024-04-01",
        ],
        &dir,
    );
    assert_eq!(rc, 2);
    assert!(err.contains("is after --to"), "{err}");
}
