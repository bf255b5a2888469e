//! Compiles the gazetteer tables under `data/gazetteer/` into the compact form
//! that `src/gazetteer.rs` maps with `include_bytes!` at no start-up cost:
//!
//! - `gaz_entries.bin`: one fixed 32-byte record per entry (countries,
//!   continents, regions, admin1, admin2, places, in that order; the layout is
//!   documented in `src/gaztables.rs`), little-endian;
//! - `gaz_strings.txt`: the names and admin codes the records point into;
//! - `gaz_exact.fst`, `gaz_skeleton.fst`: name keys (`geokey::exact`,
//!   `geokey::skeleton`) to postings: `(count << 32) | id` when one entry
//!   has the key, `(count << 32) | offset` into `gaz_postings.bin` (u32 LE
//!   entry ids, ascending) otherwise;
//! - `gaz_codes.fst`: codes to entries: `c`+ISO2 (country), `k`+ISO2
//!   (capital), `1`+`CC.A1`, `2`+`CC.A1.A2`, `g`+geonameid (big-endian u32,
//!   places only), and `d`+folded demonym to the offset of its ISO2 code in
//!   the string table;
//! - `gaz_fcodes.rs`: the table of feature codes the records index, and the
//!   fingerprint of the tables that a compiled overlay records.
//!
//! The format itself is written by `src/gaztables.rs` and name keys come
//! from `src/geokey.rs`, both included below, so the build, the runtime and
//! an overlay compiled at import cannot disagree on them.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/text.rs"]
mod text;

#[allow(dead_code)]
#[path = "src/geokey.rs"]
mod geokey;

#[allow(dead_code)]
#[path = "src/gaztables.rs"]
mod gaztables;

use gaztables::{Builder, Rec, ADMIN1, ADMIN2, CONTINENT, COUNTRY, PLACE, REGION};

/// Rows of a TSV table as `lexicon::tsv_rows` reads them: blank and `#`
/// lines skipped, then the header, fields trimmed.
fn rows(content: &str) -> impl Iterator<Item = Vec<&str>> {
    content
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn field<'a>(row: &[&'a str], i: usize) -> &'a str {
    row.get(i).copied().unwrap_or("")
}

fn cc(s: &str) -> [u8; 2] {
    let b = s.as_bytes();
    if b.len() == 2 {
        [b[0], b[1]]
    } else {
        *b"  "
    }
}

fn num<T: std::str::FromStr + Default>(s: &str) -> T {
    s.parse().unwrap_or_default()
}

fn read(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|x| x == "gz") {
        let mut s = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        s
    } else {
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let data = manifest.join("../../data/gazetteer");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/geokey.rs");
    println!("cargo:rerun-if-changed=src/text.rs");
    println!("cargo:rerun-if-changed=src/gaztables.rs");

    let mut b = Builder::default();
    let mut capitals: Vec<([u8; 2], u32)> = Vec::new();

    let centres: HashMap<[u8; 2], (f64, f64)> = rows(&read(&data.join("country_centres.tsv")))
        .filter_map(|r| {
            Some((
                cc(field(&r, 0)),
                (field(&r, 1).parse().ok()?, field(&r, 2).parse().ok()?),
            ))
        })
        .collect();
    let places_tsv = read(&data.join("places.tsv.gz"));
    let admin1_points = admin1_centres(&places_tsv);
    for r in rows(&read(&data.join("countries.tsv"))) {
        let c = cc(field(&r, 0));
        if let Ok(cap) = field(&r, 3).parse::<u32>() {
            capitals.push((c, cap));
        }
        // A country's point is its geographic centre where the hand-written
        // table has one, else its capital's.
        let (lat, lon) = centres
            .get(&c)
            .copied()
            .unwrap_or((num(field(&r, 4)), num(field(&r, 5))));
        let id = b.push(Rec {
            level: COUNTRY,
            geonameid: 0,
            name: field(&r, 2).into(),
            country: c,
            admin1: String::new(),
            admin2: String::new(),
            fcode: "PCLI".into(),
            population: num(field(&r, 6)),
            lat,
            lon,
        });
        b.code(b'c', &c, id as u64);
        b.index_name(field(&r, 2), id);
        for alt in field(&r, 7).split('|').filter(|a| !a.is_empty()) {
            b.index_alias(alt, id);
        }
    }
    for r in rows(&read(&data.join("country_aliases.tsv"))) {
        let key = [&[b'c'][..], &cc(field(&r, 0))].concat();
        if let Some(&id) = b.codes.get(&key) {
            b.index_alias(field(&r, 1), id as u32);
        }
    }
    let continents = data.join("continents.tsv");
    if continents.exists() {
        // code  geonameid  name  lat  lon  population  alternate_names
        for r in rows(&read(&continents)) {
            let id = b.push(Rec {
                level: CONTINENT,
                geonameid: num(field(&r, 1)),
                name: field(&r, 2).into(),
                country: *b"  ",
                admin1: String::new(),
                admin2: String::new(),
                fcode: "CONT".into(),
                population: num(field(&r, 5)),
                lat: num(field(&r, 3)),
                lon: num(field(&r, 4)),
            });
            b.index_name(field(&r, 2), id);
            for alt in field(&r, 6).split('|').filter(|a| !a.is_empty()) {
                b.index_name(alt, id);
            }
        }
    }
    // Hand-written regions, seas and other named areas ("Darfur", "the
    // Middle East", "Pacific"): no admin codes, a country only where the
    // area lies in one.
    // name  country  feature_code  lat  lon  population  alternate_names
    for r in rows(&read(&data.join("regions.tsv"))) {
        let id = b.push(Rec {
            level: REGION,
            geonameid: 0,
            name: field(&r, 0).into(),
            country: cc(field(&r, 1)),
            admin1: String::new(),
            admin2: String::new(),
            fcode: field(&r, 2).into(),
            population: num(field(&r, 5)),
            lat: num(field(&r, 3)),
            lon: num(field(&r, 4)),
        });
        b.index_name(field(&r, 0), id);
        for alt in field(&r, 6).split('|').filter(|a| !a.is_empty()) {
            b.index_alias(alt, id);
        }
    }
    for r in rows(&read(&data.join("admin1.tsv"))) {
        let (country, code) = field(&r, 0).split_once('.').unwrap_or(("", ""));
        // The area's point: the centre of its places where it has enough of
        // them, else its seat (or centroid) from the table.
        let (lat, lon) = admin1_points
            .get(field(&r, 0))
            .copied()
            .unwrap_or((num(field(&r, 5)), num(field(&r, 6))));
        let id = b.push(Rec {
            level: ADMIN1,
            geonameid: num(field(&r, 4)),
            name: field(&r, 2).into(),
            country: cc(country),
            admin1: code.into(),
            admin2: String::new(),
            fcode: "ADM1".into(),
            population: num(field(&r, 7)),
            lat,
            lon,
        });
        b.code(b'1', field(&r, 0).as_bytes(), id as u64);
        b.index_admin_name(field(&r, 2), id);
        b.index_admin_name(field(&r, 3), id);
    }
    // Hand-written names of first-level areas ("NSW", "D.C.").
    for r in rows(&read(&data.join("admin1_aliases.tsv"))) {
        let key = [&[b'1'][..], field(&r, 0).as_bytes()].concat();
        if let Some(&id) = b.codes.get(&key) {
            b.index_alias(field(&r, 1), id as u32);
        }
    }
    let admin2_seats = admin2_seats_by_name(&places_tsv);
    for r in rows(&read(&data.join("admin2.tsv.gz"))) {
        let mut parts = field(&r, 0).splitn(3, '.');
        let (country, a1, a2) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        // An area the table has no point for takes the biggest place of
        // its admin1 that bears its name (the municipality's seat); with
        // none it keeps its codes but is never a candidate: a point at 0,0
        // would be a fake location.
        let point = match (field(&r, 6).parse::<f64>(), field(&r, 7).parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Some((lat, lon)),
            _ => std::iter::once(field(&r, 3))
                .chain(geokey::admin_bare_names(field(&r, 3)))
                .find_map(|n| {
                    admin2_seats
                        .get(&(country.to_string(), a1.to_string(), geokey::exact(n)))
                        .copied()
                }),
        };
        let id = b.push(Rec {
            level: ADMIN2,
            geonameid: num(field(&r, 5)),
            name: field(&r, 3).into(),
            country: cc(country),
            admin1: a1.into(),
            admin2: a2.into(),
            fcode: "ADM2".into(),
            population: num(field(&r, 8)),
            lat: point.map_or(0.0, |p| p.0),
            lon: point.map_or(0.0, |p| p.1),
        });
        b.code(b'2', field(&r, 0).as_bytes(), id as u64);
        if point.is_some() {
            b.index_admin_name(field(&r, 3), id);
        }
    }
    let mut by_geonameid: HashMap<u32, u32> = HashMap::new();
    add_places(&mut b, &places_tsv, &mut by_geonameid);
    // Villages ACLED coded that GeoNames' cities500 lacks
    // (scripts/build_acled_places.py): the same columns, no geonameid.
    add_places(
        &mut b,
        &read(&data.join("acled_places.tsv.gz")),
        &mut by_geonameid,
    );
    for (c, gid) in capitals {
        if let Some(&i) = by_geonameid.get(&gid) {
            b.code(b'k', &c, i as u64);
        }
    }
    for r in rows(&read(&data.join("demonyms.tsv"))) {
        let c = cc(field(&r, 0));
        let key = text::fold(field(&r, 1));
        b.code(b'd', key.as_bytes(), u64::from(c[0]) << 8 | u64::from(c[1]));
    }

    write_outputs(&b, &out);
}

/// Populated places in the columns of `places.tsv.gz`, indexed by every
/// name; GeoNames ids are recorded for the capitals.
fn add_places(b: &mut Builder, places_tsv: &str, by_geonameid: &mut HashMap<u32, u32>) {
    for r in rows(places_tsv) {
        let geonameid: u32 = num(field(&r, 0));
        let id = b.push(Rec {
            level: PLACE,
            geonameid,
            name: field(&r, 1).into(),
            country: cc(field(&r, 3)),
            admin1: field(&r, 4).into(),
            admin2: field(&r, 5).into(),
            fcode: field(&r, 6).into(),
            population: num(field(&r, 7)),
            lat: num(field(&r, 8)),
            lon: num(field(&r, 9)),
        });
        if geonameid != 0 {
            by_geonameid.insert(geonameid, id);
            b.code(b'g', &geonameid.to_be_bytes(), id as u64);
        }
        b.index_name(field(&r, 1), id);
        if field(&r, 2) != field(&r, 1) {
            b.index_name(field(&r, 2), id);
        }
        for alt in field(&r, 10).split('|').filter(|a| !a.is_empty()) {
            b.index_name(alt, id);
        }
    }
}

/// The point of the biggest place of each (country, admin1, name key), for
/// admin2 areas that the table gives no point: their seat usually bears
/// their name.
fn admin2_seats_by_name(places_tsv: &str) -> HashMap<(String, String, String), (f64, f64)> {
    let mut best: HashMap<(String, String, String), (u64, f64, f64)> = HashMap::new();
    for r in rows(places_tsv) {
        if matches!(field(&r, 6), "PPLX" | "PPLH" | "PPLQ" | "PPLW" | "PPLCH") {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (field(&r, 8).parse::<f64>(), field(&r, 9).parse::<f64>()) else {
            continue;
        };
        let pop: u64 = num(field(&r, 7));
        for n in [field(&r, 1), field(&r, 2)] {
            let k = (
                field(&r, 3).to_string(),
                field(&r, 4).to_string(),
                geokey::exact(n),
            );
            let e = best.entry(k).or_insert((pop, lat, lon));
            if pop > e.0 {
                *e = (pop, lat, lon);
            }
        }
    }
    best.into_iter()
        .map(|(k, (_, lat, lon))| (k, (lat, lon)))
        .collect()
}

/// The point that stands for a first-level area: the middle of the range
/// its places span in latitude and in longitude, less outliers cut off by
/// a wide gap within the outer 5% (islands, places filed under the wrong
/// area). Trimming a fixed 5% instead cut off the thinly settled interior
/// of coast-heavy areas and pulled the point to the coast. For areas of at least 5 places
/// that do not straddle the antimeridian. Places' own seats stay in the
/// table (`geonameid`); this point is for the area as a whole.
fn admin1_centres(places_tsv: &str) -> HashMap<String, (f64, f64)> {
    let mut pts: HashMap<String, (Vec<f64>, Vec<f64>)> = HashMap::new();
    for r in rows(places_tsv) {
        let (a1, fc) = (field(&r, 4), field(&r, 6));
        if a1.is_empty() || a1 == "00" || matches!(fc, "PPLH" | "PPLQ" | "PPLW" | "PPLCH") {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (field(&r, 8).parse::<f64>(), field(&r, 9).parse::<f64>()) else {
            continue;
        };
        let e = pts.entry(format!("{}.{a1}", field(&r, 3))).or_default();
        e.0.push(lat);
        e.1.push(lon);
    }
    let mid = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let most = n * 5 / 100;
        let range = v[n - 1] - v[0];
        // The widest gap among the outer 5% at each end, if wider than a
        // tenth of the whole range, cuts off islands and places filed
        // under the wrong area; inside it the whole range counts, so that
        // a thinly settled interior still pulls the point.
        let low = (0..most)
            .max_by(|&i, &j| (v[i + 1] - v[i]).total_cmp(&(v[j + 1] - v[j])))
            .filter(|&i| v[i + 1] - v[i] > 0.1 * range)
            .map_or(0, |i| i + 1);
        let high = (n - most..n)
            .max_by(|&i, &j| (v[i] - v[i - 1]).total_cmp(&(v[j] - v[j - 1])))
            .filter(|&i| v[i] - v[i - 1] > 0.1 * range)
            .map_or(n - 1, |i| i - 1);
        (v[low], v[high])
    };
    pts.into_iter()
        .filter(|(_, (la, _))| la.len() >= 5)
        .filter_map(|(k, (mut la, mut lo))| {
            let (a, b) = mid(&mut la);
            let (c, d) = mid(&mut lo);
            (d - c <= 180.0).then(|| {
                let r = |x: f64| (x * 1e4).round() / 1e4;
                (k, (r((a + b) / 2.0), r((c + d) / 2.0)))
            })
        })
        .collect()
}

fn write_outputs(b: &Builder, out: &Path) {
    let t = b
        .compile()
        .expect("the embedded tables fit the compact form");
    write(out, "gaz_entries.bin", &t.entries);
    write(out, "gaz_postings.bin", &t.postings);
    write(out, "gaz_exact.fst", &t.exact);
    write(out, "gaz_skeleton.fst", &t.skeleton);
    write(out, "gaz_codes.fst", &t.codes);
    write(out, "gaz_strings.txt", t.strings.as_bytes());
    let list: Vec<String> = t.feature_codes.iter().map(|f| format!("{f:?}")).collect();
    let fingerprint = gaztables::fingerprint(&t.byte_tables());
    let src = format!(
        "/// Feature codes the entry records index (generated by build.rs).\nconst FEATURE_CODES: &[&str] = &[{}];\n/// What the embedded tables are: a compiled overlay records it.\nconst EMBEDDED_FINGERPRINT: u64 = {fingerprint:#x};\n",
        list.join(", ")
    );
    write(out, "gaz_fcodes.rs", src.as_bytes());
}

/// Write only when the bytes changed, so that dependants are not rebuilt.
fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
