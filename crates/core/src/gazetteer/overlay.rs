//! The local overlay: the rows a GeoNames import keeps, compiled once into
//! the same compact form as the embedded tables (`gaztables.rs`), and that
//! form opened over mapped bytes.
//!
//! A compiled overlay is one buffer: a header, then seven sections. Header
//! (little-endian): [`MAGIC`] (8 bytes) | fingerprint of the embedded
//! tables it was compiled against (u64) | their entry count (u32) | the
//! overlay's entry count (u32) | seven (offset u64, length u64) pairs for
//! the entry records, string table, postings, exact-name FST,
//! skeleton-name FST, codes FST and feature codes (one per line). Overlay
//! entries take the ids after the embedded ones, and its name keys may
//! point at embedded entries (a GeoNames admin area or place the embedded
//! tables already have gets the dump's names as extra spellings), which is
//! why the fingerprint must match.

use std::io::{BufRead, Read, Write};
use std::ops::Range;
use std::sync::Arc;

use fst::Map;
use serde::Serialize;

use super::{cc, entry_of, num, Entry, Gazetteer};
use crate::gaztables::{self, Builder, Rec, ADMIN1, ADMIN2, PLACE, RECORD};

/// The overlay's columns (the same as `places.tsv.gz`).
pub const OVERLAY_HEADER: &str = "geonameid\tname\tasciiname\tcountry\tadmin1\tadmin2\tfeature_code\tpopulation\tlat\tlon\talternate_names";

/// The first bytes of a compiled overlay; the last byte is the version.
pub const MAGIC: &[u8; 8] = b"WCGAZOV\x01";

const SECTIONS: usize = 7;
const HEADER_LEN: usize = 8 + 8 + 4 + 4 + SECTIONS * 16;

/// A compiled overlay's bytes, shared by every thread: a mapped file or a
/// buffer.
pub type OverlayBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One section of the overlay's bytes (the FSTs are read through it).
#[derive(Clone)]
pub(super) struct Section {
    bytes: OverlayBytes,
    range: Range<usize>,
}

impl AsRef<[u8]> for Section {
    fn as_ref(&self) -> &[u8] {
        &(*self.bytes).as_ref()[self.range.clone()]
    }
}

/// A compiled overlay, opened.
pub(super) struct Overlay {
    pub(super) len: u32,
    /// Ids below it are embedded entries.
    first_id: u32,
    entries: Section,
    strings: Section,
    postings: Section,
    exact: Map<Section>,
    skeleton: Map<Section>,
    codes: Map<Section>,
    feature_codes: Vec<Box<str>>,
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg)
}

fn u32_le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes"))
}

fn u64_le(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

impl Overlay {
    /// Open compiled bytes: the header and section bounds are checked, the
    /// FSTs' headers read; nothing is parsed. `embedded_len` and
    /// `fingerprint` are the running binary's tables'.
    pub(super) fn open(
        bytes: OverlayBytes,
        embedded_len: u32,
        fingerprint: u64,
    ) -> std::io::Result<Overlay> {
        let b = (*bytes).as_ref();
        if b.len() < HEADER_LEN || &b[..8] != MAGIC {
            return Err(invalid("not a compiled warcoder overlay".into()));
        }
        if u64_le(b, 8) != fingerprint || u32_le(b, 16) != embedded_len {
            return Err(invalid(
                "compiled against another build's embedded gazetteer: compile it again".into(),
            ));
        }
        let len = u32_le(b, 20);
        let mut ranges = Vec::with_capacity(SECTIONS);
        for i in 0..SECTIONS {
            let at = 24 + i * 16;
            let (start, n) = (u64_le(b, at) as usize, u64_le(b, at + 8) as usize);
            match start
                .checked_add(n)
                .filter(|&end| start >= HEADER_LEN && end <= b.len())
            {
                Some(end) => ranges.push(start..end),
                None => {
                    return Err(invalid(format!(
                        "section {i} lies outside the file (truncated?)"
                    )))
                }
            }
        }
        if ranges[0].len() != len as usize * RECORD {
            return Err(invalid("the entry count does not match the records".into()));
        }
        let section = |i: usize| Section {
            bytes: bytes.clone(),
            range: ranges[i].clone(),
        };
        let map = |i: usize| Map::new(section(i)).map_err(|e| invalid(format!("section {i}: {e}")));
        let feature_codes = std::str::from_utf8(&b[ranges[6].clone()])
            .map_err(|_| invalid("feature codes are not UTF-8".into()))?
            .split('\n')
            .map(Into::into)
            .collect();
        Ok(Overlay {
            len,
            first_id: embedded_len,
            entries: section(0),
            strings: section(1),
            postings: section(2),
            exact: map(3)?,
            skeleton: map(4)?,
            codes: map(5)?,
            feature_codes,
        })
    }

    /// Overlay entry `i` (counted from the first overlay entry).
    pub(super) fn entry(&self, i: u32) -> Entry<'_> {
        let at = i as usize * RECORD;
        let r = gaztables::decode(&self.entries.as_ref()[at..at + RECORD]);
        let strings = self.strings.as_ref();
        let feature_code = self
            .feature_codes
            .get(r.feature_code as usize)
            .map_or("", |f| &**f);
        entry_of(
            r,
            |range| {
                strings
                    .get(range)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .unwrap_or("")
            },
            feature_code,
        )
    }

    /// Whether `id` is an entry of the gazetteer: a damaged file must not
    /// hand out ids past its records.
    fn valid(&self, id: u32) -> bool {
        u64::from(id) < u64::from(self.first_id) + u64::from(self.len)
    }

    /// The entries (embedded or overlay) a name key matches, by exact key
    /// or by skeleton.
    pub(super) fn matches(&self, key: &str, fuzzy: bool) -> Vec<u32> {
        let mut ids = Vec::new();
        let map = if fuzzy { &self.skeleton } else { &self.exact };
        super::postings(map, self.postings.as_ref(), key, &mut ids);
        ids.retain(|&id| self.valid(id));
        ids
    }

    /// The entry a code names (`g`+geonameid, `1`+`CC.A1`, `2`+`CC.A1.A2`).
    pub(super) fn code(&self, prefix: u8, code: &[u8]) -> Option<u32> {
        let mut k = Vec::with_capacity(code.len() + 1);
        k.push(prefix);
        k.extend_from_slice(code);
        self.codes
            .get(k)
            .map(|v| v as u32)
            .filter(|&id| self.valid(id))
    }
}

/// Compile an overlay table (gzip or plain UTF-8, [`OVERLAY_HEADER`] first)
/// into the bytes [`Gazetteer::with_compiled_overlay`] opens; an error says
/// why the bytes are no overlay.
pub fn compile_overlay(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut gunzipped = String::new();
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut gunzipped)
            .map_err(|e| invalid(format!("not a gzip UTF-8 table: {e}")))?;
        gunzipped.as_str()
    } else {
        std::str::from_utf8(bytes).map_err(|_| invalid("not UTF-8".into()))?
    };
    if text.lines().next().map(str::trim_end) != Some(OVERLAY_HEADER) {
        return Err(invalid("unexpected header (not a warcoder overlay)".into()));
    }
    let g = Gazetteer::builtin();
    let b = overlay_tables(&g, text);
    let tables = b.compile().map_err(invalid)?;
    Ok(serialise(&tables, b.recs.len(), g.embedded_len))
}

/// The overlay's rows added to a builder whose ids follow the embedded
/// entries of `g`.
fn overlay_tables(g: &Gazetteer, text: &str) -> Builder {
    let mut b = Builder {
        first_id: g.embedded_len,
        ..Builder::default()
    };
    // Its header checked, the overlay reads like any data file.
    for f in crate::lexicon::tsv_rows(text) {
        let get = |i: usize| crate::lexicon::field(&f, i);
        let (gid, fcode) = (num::<u32>(get(0)), get(6));
        let (country, a1, a2) = (cc(get(3)), get(4), get(5));
        // An admin area or place the embedded tables have gets the dump's
        // names as extra spellings; anything else is new.
        let known = match fcode {
            "ADM1" => g.admin1_id(country, a1),
            "ADM2" => g.admin2_id(country, a1, a2),
            _ => g.code(b'g', &gid.to_be_bytes()).map(|v| v as u32),
        };
        let id = known.unwrap_or_else(|| add_entry(&mut b, &f));
        let mut names = vec![get(1), get(2)];
        names.extend(get(10).split('|').filter(|a| !a.is_empty()));
        for n in names {
            if fcode.starts_with("ADM") {
                b.index_admin_name(n, id);
            } else {
                b.index_name(n, id);
            }
        }
    }
    b
}

/// A new entry for an overlay row, with its codes; its id.
fn add_entry(b: &mut Builder, f: &[&str]) -> u32 {
    let get = |i: usize| crate::lexicon::field(f, i);
    let (gid, fcode) = (num::<u32>(get(0)), get(6));
    let (country, a1, a2) = (cc(get(3)), get(4), get(5));
    let level = match fcode {
        "ADM1" => ADMIN1,
        "ADM2" => ADMIN2,
        _ => PLACE,
    };
    let id = b.push(Rec {
        level,
        geonameid: gid,
        name: get(1).into(),
        country,
        admin1: a1.into(),
        admin2: if level == ADMIN1 { "" } else { a2 }.into(),
        fcode: fcode.into(),
        population: num(get(7)),
        lat: num(get(8)),
        lon: num(get(9)),
    });
    if gid != 0 {
        b.code(b'g', &gid.to_be_bytes(), u64::from(id));
    }
    let cs = String::from_utf8_lossy(&country);
    match level {
        ADMIN1 => b.code(b'1', format!("{cs}.{a1}").as_bytes(), u64::from(id)),
        ADMIN2 => b.code(b'2', format!("{cs}.{a1}.{a2}").as_bytes(), u64::from(id)),
        _ => {}
    }
    id
}

/// The compiled overlay's bytes: header, then the sections, each at an
/// offset that is a multiple of 8.
fn serialise(t: &gaztables::Tables, len: usize, embedded_len: u32) -> Vec<u8> {
    let feature_codes = t.feature_codes.join("\n");
    let [entries, strings, postings, exact, skeleton, codes] = t.byte_tables();
    let sections: [&[u8]; SECTIONS] = [
        entries,
        strings,
        postings,
        exact,
        skeleton,
        codes,
        feature_codes.as_bytes(),
    ];
    let total = HEADER_LEN + sections.iter().map(|s| s.len() + 8).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&super::EMBEDDED_FINGERPRINT.to_le_bytes());
    out.extend_from_slice(&embedded_len.to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    let mut at = HEADER_LEN;
    for s in &sections {
        out.extend_from_slice(&(at as u64).to_le_bytes());
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
        at = (at + s.len()).next_multiple_of(8);
    }
    for s in &sections {
        out.extend_from_slice(s);
        out.resize(out.len().next_multiple_of(8), 0);
    }
    out
}

/// What an import did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ImportStats {
    /// Lines of the dump read.
    pub read: usize,
    /// Populated places and admin areas kept from the dump.
    pub kept: usize,
    /// Lines that are not 19-column GeoNames rows, or whose coordinates
    /// are not on the globe.
    pub malformed: usize,
    /// The first malformed lines: (line number, why).
    pub problems: Vec<(usize, String)>,
    /// Rows in the overlay after the import (earlier imports included).
    pub overlay_rows: usize,
}

/// Whether a name is in Latin script and looks like a name (the rules of
/// `scripts/build_gazetteer.py`): letters of the Latin blocks, spaces,
/// apostrophes, hyphens and dots only; not all lower case (machine
/// romanisations); not an all-caps token of up to 4 letters (airport codes).
pub fn latin_name(name: &str) -> bool {
    let latin = |c: char| {
        c.is_alphabetic()
            && matches!(c as u32, 0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF)
            && c != '×'
            && c != '÷'
    };
    let ok_char = |c: char| latin(c) || matches!(c, ' ' | '\'' | '’' | '‘' | 'ʻ' | 'ʼ' | '-' | '.');
    !name.trim().is_empty()
        && name.chars().all(ok_char)
        && name.chars().any(char::is_uppercase)
        && !name
            .split([' ', '-'])
            .any(|w| (2..=4).contains(&w.chars().count()) && w.chars().all(|c| c.is_uppercase()))
}

/// Which GeoNames features an import keeps: populated places (class P, but
/// not abandoned, destroyed or historical ones) and admin areas ADM1 to
/// ADM5 and ADMD.
fn keep_feature(class: &str, code: &str) -> bool {
    match class {
        "P" => !matches!(code, "PPLQ" | "PPLW" | "PPLH" | "PPLCH"),
        "A" => matches!(code, "ADM1" | "ADM2" | "ADM3" | "ADM4" | "ADM5" | "ADMD"),
        _ => false,
    }
}

fn clean_field(s: &str) -> String {
    s.split(['\t', '|', '\n', '\r'])
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// A GeoNames dump as lines: plain text or gzip; a zip archive (GeoNames
/// ships `SY.zip`) is refused with a message saying to unzip it.
pub fn dump_reader(raw: Box<dyn Read>) -> std::io::Result<Box<dyn BufRead>> {
    let mut r = std::io::BufReader::with_capacity(1 << 16, raw);
    let head = r.fill_buf()?;
    if head.starts_with(b"PK") {
        return Err(invalid(
            "a zip archive: unzip it first (GeoNames' SY.zip holds SY.txt)".into(),
        ));
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(Box::new(std::io::BufReader::new(
            flate2::read::MultiGzDecoder::new(r),
        )));
    }
    Ok(Box::new(r))
}

/// How many malformed lines an import names (the rest are counted).
const MAX_PROBLEMS: usize = 10;

/// A GeoNames row's id and coordinates, or why the line is none.
fn geonames_row(f: &[&str]) -> Result<(u32, f64, f64), String> {
    if f.len() < 15 {
        return Err(format!("{} columns, not GeoNames' 19", f.len()));
    }
    let gid = f[0]
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("geonameid {:?} is not a number", f[0]))?;
    let coordinate = |text: &str, what: &str, limit: f64| {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .ok_or_else(|| format!("{what} {text:?} is not a number within ±{limit}"))
    };
    let lat = coordinate(f[4], "latitude", 90.0)?;
    let lon = coordinate(f[5], "longitude", 180.0)?;
    Ok((gid, lat, lon))
}

/// An overlay's rows by geonameid, in the file's order: what an import
/// merges a dump into. The caller reads and writes the file.
#[derive(Debug, Default)]
pub struct OverlayRows(std::collections::BTreeMap<u32, String>);

impl OverlayRows {
    /// The rows of an overlay file's bytes (gzip, the overlay's header
    /// first); the error says why the bytes are no overlay.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| format!("not a gzip table: {e}"))?;
        let mut lines = text.lines();
        if lines.next().map(str::trim_end) != Some(OVERLAY_HEADER) {
            return Err("not a warcoder overlay (unexpected header)".into());
        }
        let mut rows = std::collections::BTreeMap::new();
        for l in lines.filter(|l| !l.trim().is_empty()) {
            let gid = num::<u32>(l.split('\t').next().unwrap_or(""));
            rows.insert(gid, l.to_string());
        }
        Ok(OverlayRows(rows))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The overlay table: the header, one line per row.
    fn to_text(&self) -> String {
        let mut text =
            String::with_capacity(self.0.values().map(|r| r.len() + 1).sum::<usize>() + 200);
        for line in std::iter::once(OVERLAY_HEADER).chain(self.0.values().map(String::as_str)) {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// The overlay file's bytes: gzip, the header, one line per row.
    pub fn to_gzip(&self) -> std::io::Result<Vec<u8>> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(self.to_text().as_bytes())?;
        gz.finish()
    }

    /// The rows compiled into the form [`Gazetteer::with_compiled_overlay`]
    /// maps ([`compile_overlay`]).
    pub fn compile(&self) -> std::io::Result<Vec<u8>> {
        compile_overlay(self.to_text().as_bytes())
    }
}

/// Read a GeoNames dump (`allCountries.txt`, `SY.txt`: 19 tab-separated
/// columns) and merge its populated places and admin areas into `rows`
/// (rows of the same geonameid are replaced). `countries`, when not empty,
/// keeps only those ISO2 codes. The error is the dump's reading error.
pub fn import_geonames(
    dump: impl BufRead,
    rows: &mut OverlayRows,
    countries: &[String],
) -> std::io::Result<ImportStats> {
    let mut stats = ImportStats::default();
    let rows = &mut rows.0;
    // Bytes, not UTF-8 lines: one bad byte costs its line, not the import.
    for (number, line) in dump.split(b'\n').enumerate() {
        let line = line?;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        stats.read += 1;
        let f: Vec<&str> = line.split('\t').collect();
        let (gid, lat, lon) = match geonames_row(&f) {
            Ok(row) => row,
            Err(why) => {
                stats.malformed += 1;
                if stats.problems.len() < MAX_PROBLEMS {
                    stats.problems.push((number + 1, why));
                }
                continue;
            }
        };
        if !keep_feature(f[6].trim(), f[7].trim()) {
            continue;
        }
        let country = f[8].trim();
        if !countries.is_empty() && !countries.iter().any(|c| c.eq_ignore_ascii_case(country)) {
            continue;
        }
        let ascii = clean_field(f[2]);
        let name = if latin_name(f[1]) {
            clean_field(f[1])
        } else {
            ascii.clone()
        };
        if name.is_empty() {
            continue;
        }
        let mut seen: Vec<String> = vec![crate::text::fold(&name), crate::text::fold(&ascii)];
        let mut alts: Vec<String> = Vec::new();
        for a in f[3].split(',').map(clean_field) {
            let k = crate::text::fold(&a);
            if latin_name(&a) && !seen.contains(&k) {
                seen.push(k);
                alts.push(a);
            }
        }
        alts.sort();
        let row = [
            gid.to_string(),
            name,
            ascii,
            country.to_string(),
            clean_field(f[10]),
            clean_field(f[11]),
            f[7].trim().to_string(),
            num::<u64>(f[14]).to_string(),
            format!("{lat:.4}"),
            format!("{lon:.4}"),
            alts.join("|"),
        ]
        .join("\t");
        rows.insert(gid, row);
        stats.kept += 1;
    }
    stats.overlay_rows = rows.len();
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Level;

    /// Three rows: a new village with a spelling, a new sub-district, and
    /// Damascus (embedded: its row adds a name to the embedded entry).
    fn table() -> String {
        [
            OVERLAY_HEADER,
            "99000001\tQaryat al-Wardah\tQaryat al-Wardah\tSY\t04\t\tPPL\t120\t35.9500\t39.0100\tQaryat al Wardah",
            "99000002\tNahiyat Bayt Qurayn\tNahiyat Bayt Qurayn\tSY\t08\t0801\tADM3\t0\t33.6000\t36.3000\tBayt Qurayn Subdistrict",
            "170654\tDamascus\tDamascus\tSY\t13\t\tPPLC\t1569394\t33.5102\t36.2913\tDimashq al-Fayha",
        ]
        .join("\n")
    }

    fn compiled() -> Vec<u8> {
        compile_overlay(table().as_bytes()).expect("compiles")
    }

    #[test]
    fn a_compiled_overlay_adds_entries_after_the_embedded_ones() {
        let g = Gazetteer::with_compiled_overlay(Arc::new(compiled())).expect("opens");
        assert_eq!(g.overlay_len(), 2);
        let (ids, fuzzy) = g.lookup("Qaryat al-Wardah");
        assert!(!fuzzy);
        let e = g.entry(ids[0]);
        assert_eq!(
            (
                e.geonameid,
                e.name,
                e.country_code(),
                e.admin1,
                e.feature_code
            ),
            (Some(99000001), "Qaryat al-Wardah", "SY", "04", "PPL")
        );
        assert_eq!(
            (e.level, e.population, e.lat, e.lon),
            (Level::Place, 120, 35.95, 39.01)
        );
        assert_eq!(g.by_geonameid(99000001), Some(ids[0]));
        assert!(ids[0] as usize >= g.len() - g.overlay_len());
        // An alternate name, and a sub-district under its bare name.
        assert_eq!(g.lookup("Qaryat al Wardah").0, ids);
        let (ids, _) = g.lookup("Bayt Qurayn");
        assert_eq!(g.entry(ids[0]).feature_code, "ADM3");
        assert_eq!(g.entry(ids[0]).admin2, "0801");
        // A known place gains the dump's names; no entry is added for it.
        let (ids, _) = g.lookup("Dimashq al-Fayha");
        assert_eq!(g.entry(ids[0]).geonameid, Some(170654));
        assert!((ids[0] as usize) < g.len() - g.overlay_len());
        // The table and its compiled form load the same gazetteer.
        let from_table = Gazetteer::with_overlay(table().as_bytes()).expect("loads");
        for name in [
            "Qaryat al-Wardah",
            "Bayt Qurayn",
            "Dimashq al-Fayha",
            "Damascus",
        ] {
            assert_eq!(from_table.lookup(name), g.lookup(name), "{name}");
        }
    }

    #[test]
    fn compiling_is_deterministic() {
        assert_eq!(compiled(), compiled());
    }

    #[test]
    fn an_overlay_compiled_by_another_build_is_refused_with_what_to_do() {
        let mut bytes = compiled();
        bytes[8] ^= 1;
        let err = Gazetteer::with_compiled_overlay(Arc::new(bytes))
            .err()
            .expect("refused");
        assert!(err.to_string().contains("compile it again"), "{err}");
    }

    /// A truncated or damaged file is refused or read without a panic.
    #[test]
    fn truncated_and_damaged_files_never_panic() {
        let bytes = compiled();
        for n in 0..bytes.len() {
            assert!(
                Gazetteer::with_compiled_overlay(Arc::new(bytes[..n].to_vec())).is_err(),
                "a file cut at {n} bytes opened"
            );
        }
        // Damage each byte of the header and of the first records.
        for at in (0..HEADER_LEN + 2 * RECORD).step_by(3) {
            let mut damaged = bytes.clone();
            damaged[at] = damaged[at].wrapping_add(97);
            if let Ok(g) = Gazetteer::with_compiled_overlay(Arc::new(damaged)) {
                for name in ["Qaryat al-Wardah", "Bayt Qurayn", "Dimashq al-Fayha"] {
                    for id in g.lookup(name).0 {
                        let e = g.entry(id);
                        let _ = (g.admin1_of(e), g.admin2_of(e));
                    }
                }
                let _ = g.by_geonameid(99000001);
            }
        }
    }

    #[test]
    fn a_table_that_is_no_overlay_is_refused() {
        for bad in [
            &b"not an overlay\n"[..],
            &[0x1f, 0x8b, 0, 1][..],
            &[0xff, 0xfe][..],
        ] {
            assert!(compile_overlay(bad).is_err());
        }
        assert!(Gazetteer::with_compiled_overlay(Arc::new(b"WCGAZOV".to_vec())).is_err());
    }
}
