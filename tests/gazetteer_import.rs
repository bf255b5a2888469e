//! `warcoder gazetteer import`: a GeoNames dump becomes a local overlay that
//! later runs load on top of the embedded gazetteer.

mod common;

use std::path::PathBuf;
use std::process::Command;

use warcoder_core::gazetteer::Level;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/geonames/SY.txt"
);

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("warcoder-gazetteer-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Never reads or writes the developer's own overlay.
fn warcoder() -> Command {
    common::binary()
}

#[test]
fn import_writes_an_overlay_that_lookups_and_places_use() {
    let dir = scratch("cli");
    let overlay = dir.join("nested/overlay.tsv.gz");
    let out = warcoder()
        .args(["gazetteer", "import", FIXTURE, "--overlay"])
        .arg(&overlay)
        .output()
        .expect("run warcoder");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let msg = String::from_utf8_lossy(&out.stdout);
    assert!(msg.contains("imported 7 of 10 rows"), "{msg}");
    assert!(msg.contains("1 malformed"), "{msg}");
    assert!(overlay.exists());

    // Before the import the village is unknown; with the overlay it is found,
    // by its name and by a spelling variant of it.
    let before = warcoder()
        .args(["gazetteer", "lookup", "Qaryat al-Wardah"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&before.stdout).trim().is_empty());
    for name in ["Qaryat al-Wardah", "Qaryat al Warda", "Tell es-Sindiane"] {
        let after = warcoder()
            .args(["gazetteer", "lookup", name, "--json", "--overlay"])
            .arg(&overlay)
            .output()
            .expect("run");
        let text = String::from_utf8_lossy(&after.stdout);
        let first: serde_json::Value =
            serde_json::from_str(text.lines().next().unwrap_or("null")).expect("json line");
        assert_eq!(first["country"], "SY", "{name}: {text}");
        assert_eq!(first["overlay"], true, "{name}: {text}");
    }

    // `warcoder places` picks the overlay up through WARCODER_OVERLAY.
    let article = dir.join("article.txt");
    std::fs::write(
        &article,
        "Syrian government aircraft struck the village of Qaryat al-Wardah in Raqqa province on Tuesday, a monitoring group said.\n",
    )
    .expect("write article");
    let places = common::binary()
        .env("WARCODER_OVERLAY", &overlay)
        .arg("places")
        .arg(&article)
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&places.stdout).expect("places prints JSON");
    let doc = if v.is_array() { v[0].clone() } else { v };
    let hit = doc["places"]
        .as_array()
        .expect("places")
        .iter()
        .find(|p| p["text"].as_str().is_some_and(|t| t.contains("Wardah")))
        .cloned()
        .unwrap_or_default();
    assert_eq!(hit["geonameid"], 99000001, "{doc}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn overlay_merges_names_into_known_entries_and_skips_other_features() {
    let dir = scratch("api");
    let overlay = dir.join("overlay.tsv.gz");
    let dump = std::io::BufReader::new(std::fs::File::open(FIXTURE).expect("fixture"));
    let stats = warcoder_sources::overlay::import(dump, &overlay, &[]).expect("import");
    assert_eq!((stats.read, stats.kept, stats.malformed), (10, 7, 1));
    let g = warcoder_sources::overlay::open(&overlay).expect("overlay loads");
    // Damascus and its governorate are embedded: the dump's rows add names
    // to them instead of new entries.
    assert_eq!(g.overlay_len(), 5);
    let (ids, fuzzy) = g.lookup("Dimashq al-Fayha");
    assert!(!fuzzy);
    assert_eq!(g.entry(ids[0]).geonameid, Some(170654));
    let (ids, _) = g.lookup("Muhafazat Dimashq");
    assert!(ids.iter().any(|&i| g.entry(i).level == Level::Admin1));
    // A non-Latin preferred name falls back to the ASCII name.
    let (ids, _) = g.lookup("Tall as Sindiyan");
    assert_eq!(g.entry(ids[0]).name, "Tall as Sindiyan");
    // Sub-district (ADM3) under its bare name; admin1 of a new place.
    let (ids, _) = g.lookup("Bayt Qurayn");
    assert_eq!(g.entry(ids[0]).feature_code, "ADM3");
    let (ids, _) = g.lookup("Qaryat al-Wardah");
    let e = g.entry(ids[0]);
    assert_eq!(
        g.admin1_of(e).map(|a| a.country_code().to_string()),
        Some("SY".into())
    );
    // Abandoned places and streams are not imported.
    assert!(g.lookup("Khirbat ar Rummanah").0.is_empty());
    assert!(g
        .lookup("Wadi as Sindiyan")
        .0
        .iter()
        .all(|&i| g.entry(i).geonameid != Some(99000006)));
    // A second import of one country replaces rows, never duplicates them.
    let only_lb = warcoder_sources::overlay::import(
        std::io::BufReader::new(std::fs::File::open(FIXTURE).expect("fixture")),
        &overlay,
        &["LB".to_string()],
    )
    .expect("import");
    assert_eq!((only_lb.kept, only_lb.overlay_rows), (1, 7));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_overlay_costs_nothing_and_a_broken_one_is_refused() {
    let dir = scratch("broken");
    let bad = dir.join("overlay.tsv.gz");
    std::fs::write(&bad, "not an overlay\n").expect("write");
    assert!(warcoder_sources::overlay::open(&bad).is_err());
    assert!(warcoder_sources::overlay::open(&dir.join("absent.tsv.gz")).is_err());
    let out = warcoder()
        .args(["gazetteer", "import", "/nonexistent/SY.txt", "--overlay"])
        .arg(dir.join("o.tsv.gz"))
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/SY.txt"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Coordinates off the globe and a line with a bad byte cost their own
/// lines, named by number; the rest of the dump is imported.
#[test]
fn bad_coordinates_and_bad_bytes_are_skipped_by_line_number() {
    let dir = scratch("bad-rows");
    let overlay = dir.join("overlay.tsv.gz");
    let row = |gid: u32, name: &str, lat: &str, lon: &str| {
        format!(
            "{gid}\t{name}\t{name}\t\t{lat}\t{lon}\tP\tPPL\tSY\t\t13\t\t\t\t1200\t\t400\tAsia/Damascus\t2020-01-01\n"
        )
        .into_bytes()
    };
    let mut dump = Vec::new();
    dump.extend(row(99000101, "Tall Abyad Sharqi", "36.6", "38.9"));
    dump.extend(row(99000102, "Nowhere One", "NaN", "38.9"));
    dump.extend(row(99000103, "Nowhere Two", "36.6", "999"));
    dump.extend(row(99000104, "Nowhere Three", "inf", "38.9"));
    let mut bad_byte = row(99000105, "Kafr Nabudah", "35.4", "36.5");
    bad_byte.insert(12, 0xff);
    dump.extend(bad_byte);
    let stats = warcoder_sources::overlay::import(&dump[..], &overlay, &[]).expect("import");
    assert_eq!(
        (stats.read, stats.kept, stats.malformed),
        (5, 2, 3),
        "{stats:?}"
    );
    let lines: Vec<usize> = stats.problems.iter().map(|(n, _)| *n).collect();
    assert_eq!(lines, [2, 3, 4]);
    assert!(
        stats.problems[1].1.contains("longitude"),
        "{:?}",
        stats.problems
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The import compiles the overlay once; later runs map the compiled file.
/// A compiled file that is damaged, or older than its table, is compiled
/// again from the table and rewritten.
#[test]
fn the_overlay_is_compiled_at_import_and_recompiled_when_stale() {
    let dir = scratch("compiled");
    let overlay = dir.join("overlay.tsv.gz");
    let compiled = warcoder_sources::overlay::compiled_path(&overlay);
    let dump = std::io::BufReader::new(std::fs::File::open(FIXTURE).expect("fixture"));
    warcoder_sources::overlay::import(dump, &overlay, &[]).expect("import");
    let written = std::fs::read(&compiled).expect("import writes the compiled overlay");
    assert_eq!(
        written,
        warcoder_core::gazetteer::compile_overlay(&std::fs::read(&overlay).expect("table"))
            .expect("compiles")
    );
    let found = |g: &warcoder_core::gazetteer::Gazetteer| {
        g.lookup("Qaryat al-Wardah")
            .0
            .iter()
            .map(|&i| g.entry(i).geonameid)
            .collect::<Vec<_>>()
    };
    let g = warcoder_sources::overlay::open(&overlay).expect("maps");
    assert_eq!((g.overlay_len(), found(&g)), (5, vec![Some(99000001)]));

    // Damaged: the table is compiled again and the file repaired.
    std::fs::write(&compiled, b"WCGAZOV\x01 damaged").expect("damage");
    let g = warcoder_sources::overlay::open(&overlay).expect("recompiles");
    assert_eq!(found(&g), vec![Some(99000001)]);
    assert_eq!(std::fs::read(&compiled).expect("rewritten"), written);

    // Older than its table (a table copied in by hand): compiled again.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    // A valid compiled overlay of an empty table: used, it would lose the village.
    let empty = warcoder_core::gazetteer::compile_overlay(
        format!("{}\n", warcoder_core::gazetteer::OVERLAY_HEADER).as_bytes(),
    )
    .expect("compiles");
    std::fs::write(&compiled, empty).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&compiled)
        .and_then(|f| f.set_modified(old))
        .expect("set time");
    let g = warcoder_sources::overlay::open(&overlay).expect("recompiles");
    assert_eq!(found(&g), vec![Some(99000001)]);
    assert_eq!(std::fs::read(&compiled).expect("rewritten"), written);
    let _ = std::fs::remove_dir_all(&dir);
}
