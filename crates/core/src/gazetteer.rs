//! The embedded gazetteer: countries, continents, first- and second-level
//! admin areas and populated places derived from GeoNames (CC BY 4.0), plus
//! demonyms written by the team.
//!
//! `build.rs` compiles the tables under `data/gazetteer/` into a compact form
//! that is mapped here with `include_bytes!`: fixed-size entry records, a
//! string table, and FSTs from name keys (`geokey`) to entry ids. Opening the
//! embedded gazetteer therefore costs nothing but a few header checks, and
//! only the pages a document touches are ever read.
//!
//! A local overlay (`warcoder gazetteer import`) adds village-level places
//! from a GeoNames dump on top: the caller finds and reads the file
//! (`warcoder-sources`' `overlay` module) and hands its bytes to
//! [`Gazetteer::with_overlay`]; nothing here looks at the filesystem or the
//! environment.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::io::{BufRead, Read, Write};

use fst::Map;
use serde::Serialize;

use crate::geokey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Country,
    Admin1,
    Admin2,
    Place,
    Continent,
    /// A hand-written region, sea or other named area that is no country or
    /// admin area ("Darfur", "the Middle East", "Pacific"; `regions.tsv`).
    Region,
}

impl Level {
    fn from_u8(b: u8) -> Level {
        match b {
            0 => Level::Country,
            1 => Level::Admin1,
            2 => Level::Admin2,
            4 => Level::Continent,
            5 => Level::Region,
            _ => Level::Place,
        }
    }
}

/// One gazetteer entry, borrowed from the gazetteer (cheap to copy).
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub level: Level,
    pub geonameid: Option<u32>,
    pub name: &'a str,
    pub country: [u8; 2],
    /// GeoNames admin1 code within the country ("11"), empty when unknown.
    pub admin1: &'a str,
    pub admin2: &'a str,
    pub feature_code: &'a str,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
}

impl Entry<'_> {
    pub fn country_code(&self) -> &str {
        std::str::from_utf8(&self.country).unwrap_or("")
    }
}

/// How a place mention was resolved: the chosen entry, its score, the ACLED
/// geo_precision it yields, and the candidates that were weighed.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub entry: u32,
    pub score: f32,
    pub precision: u8,
    /// Resolved through a container ("the X neighbourhood of Homs"): the
    /// entry is the container.
    pub via_container: bool,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub entry: u32,
    pub score: f32,
    pub evidence: Vec<&'static str>,
}

// The compact form written by build.rs. An entry record is 32 bytes,
// little-endian: geonameid u32 (0: none) | lat i32 and lon i32 (degrees x
// 10^4) | population u32 | offset u32 into STRINGS of name, admin1 code and
// admin2 code, one after the other | name length u16 | admin1 length u8 |
// admin2 length u8 | country 2 bytes | level u8 | feature code u8 (index
// into FEATURE_CODES) | 4 bytes reserved.
const RECORD: usize = 32;
static ENTRIES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gaz_entries.bin"));
static STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/gaz_strings.txt"));
static POSTINGS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gaz_postings.bin"));
static EXACT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gaz_exact.fst"));
static SKELETON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gaz_skeleton.fst"));
static CODES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gaz_codes.fst"));
include!(concat!(env!("OUT_DIR"), "/gaz_fcodes.rs"));

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
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
    s.trim().parse().unwrap_or_default()
}

pub struct Gazetteer {
    exact: Map<&'static [u8]>,
    skeleton: Map<&'static [u8]>,
    codes: Map<&'static [u8]>,
    /// Entries compiled into the binary; overlay entries follow them.
    embedded_len: u32,
    overlay: Option<Overlay>,
    /// ACLED's names of first-level areas by code ("BD.81" -> "Dhaka"),
    /// from `data/gazetteer/acled_admin1.tsv`.
    acled_admin1: HashMap<String, String>,
}

impl Gazetteer {
    /// Only the gazetteer compiled into the binary, no overlay.
    pub fn builtin() -> Self {
        let map = |b: &'static [u8]| Map::new(b).expect("build.rs writes valid FSTs");
        Gazetteer {
            exact: map(EXACT),
            skeleton: map(SKELETON),
            codes: map(CODES),
            embedded_len: (ENTRIES.len() / RECORD) as u32,
            overlay: None,
            acled_admin1: crate::lexicon::tsv_rows(include_str!(
                "../../../data/gazetteer/acled_admin1.tsv"
            ))
            .map(|r| {
                let field = |i| crate::lexicon::field(&r, i).to_string();
                (field(0), field(1))
            })
            .collect(),
        }
    }

    /// The name of the first-level area an entry lies in (or is), as ACLED
    /// writes it where the training corpus says ("Dhaka", "Nord-Kivu"),
    /// else as GeoNames does ("Dhaka Division"); none for a country.
    pub fn admin1_name<'e>(&self, e: impl Borrow<Entry<'e>>) -> Option<String> {
        let e = e.borrow();
        let area = match e.level {
            Level::Admin1 => *e,
            _ => self.admin1_of(e)?,
        };
        let code = format!("{}.{}", area.country_code().trim(), area.admin1);
        Some(
            self.acled_admin1
                .get(&code)
                .cloned()
                .unwrap_or_else(|| area.name.to_string()),
        )
    }

    /// The built-in gazetteer with an overlay on top: `bytes` are the
    /// overlay file's (gzip or plain UTF-8); an error says why they are no
    /// overlay.
    pub fn with_overlay(bytes: &[u8]) -> std::io::Result<Self> {
        let mut g = Self::builtin();
        g.overlay = Some(Overlay::load(&g, bytes)?);
        Ok(g)
    }

    /// Number of entries that came from the overlay.
    pub fn overlay_len(&self) -> usize {
        self.overlay.as_ref().map_or(0, |o| o.entries.len())
    }

    fn postings(&self, map: &Map<&'static [u8]>, key: &str, out: &mut Vec<u32>) {
        if let Some(v) = map.get(key) {
            let n = (v >> 32) as usize;
            let x = v as u32;
            if n == 1 {
                out.push(x);
            } else {
                let at = x as usize * 4;
                out.extend((0..n).map(|i| u32_at(POSTINGS, at + 4 * i)));
            }
        }
    }

    fn matches(&self, key: &str, fuzzy: bool) -> Vec<u32> {
        let mut ids = Vec::new();
        self.postings(
            if fuzzy { &self.skeleton } else { &self.exact },
            key,
            &mut ids,
        );
        if let Some(o) = &self.overlay {
            let m = if fuzzy { &o.skeleton } else { &o.exact };
            if let Some(more) = m.get(key) {
                for &id in more {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
        }
        ids
    }

    /// Entries whose names match `name`: by exact key, else (for names long
    /// enough to be distinctive) by skeleton. The flag says the match was fuzzy.
    pub fn lookup(&self, name: &str) -> (Vec<u32>, bool) {
        let key = geokey::exact(name);
        if key.is_empty() {
            return (Vec::new(), false);
        }
        let mut ids = self.matches(&key, false);
        // "US", "CAR", "NSW": abbreviations match only in capitals.
        if geokey::is_abbreviation(name.trim()) {
            for id in self.matches(&geokey::abbreviation_key(name.trim()), false) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        if !ids.is_empty() {
            return (ids, false);
        }
        if key.replace(' ', "").chars().count() >= 5 {
            let ids = self.matches(&geokey::skeleton(name), true);
            if !ids.is_empty() {
                return (ids, true);
            }
        }
        (Vec::new(), false)
    }

    /// Every exact name key of the compiled gazetteer (names and
    /// alternate names, folded), in key order.
    pub fn name_keys(&self) -> Vec<String> {
        use fst::Streamer;
        let mut keys = Vec::new();
        let mut stream = self.exact.stream();
        while let Some((k, _)) = stream.next() {
            keys.push(String::from_utf8_lossy(k).into_owned());
        }
        keys
    }

    pub fn entry(&self, id: u32) -> Entry<'_> {
        if id >= self.embedded_len {
            let o = self
                .overlay
                .as_ref()
                .expect("an id past the embedded entries is an overlay entry");
            return o.entries[(id - self.embedded_len) as usize].borrow_entry();
        }
        let r = &ENTRIES[id as usize * RECORD..(id as usize + 1) * RECORD];
        let off = u32_at(r, 16) as usize;
        let name_len = u16::from_le_bytes([r[20], r[21]]) as usize;
        let (a1, a2) = (r[22] as usize, r[23] as usize);
        let gid = u32_at(r, 0);
        Entry {
            level: Level::from_u8(r[26]),
            geonameid: (gid != 0).then_some(gid),
            name: &STRINGS[off..off + name_len],
            country: [r[24], r[25]],
            admin1: &STRINGS[off + name_len..off + name_len + a1],
            admin2: &STRINGS[off + name_len + a1..off + name_len + a1 + a2],
            feature_code: FEATURE_CODES.get(r[27] as usize).copied().unwrap_or(""),
            population: u64::from(u32_at(r, 12)),
            lat: u32_at(r, 4) as i32 as f64 / 1e4,
            lon: u32_at(r, 8) as i32 as f64 / 1e4,
        }
    }

    fn code(&self, prefix: u8, code: &[u8]) -> Option<u64> {
        let mut k = Vec::with_capacity(code.len() + 1);
        k.push(prefix);
        k.extend_from_slice(code);
        self.codes.get(k)
    }

    pub fn country(&self, iso2: &str) -> Option<u32> {
        self.code(b'c', &cc(iso2)).map(|v| v as u32)
    }

    /// The capital city of a country entry's country.
    pub fn capital_of<'e>(&self, e: impl Borrow<Entry<'e>>) -> Option<u32> {
        self.code(b'k', &e.borrow().country).map(|v| v as u32)
    }

    /// The embedded place (or overlay entry) with this GeoNames id.
    pub fn by_geonameid(&self, gid: u32) -> Option<u32> {
        self.code(b'g', &gid.to_be_bytes())
            .map(|v| v as u32)
            .or_else(|| self.overlay.as_ref()?.by_geonameid.get(&gid).copied())
    }

    fn admin1_id(&self, country: [u8; 2], a1: &str) -> Option<u32> {
        let key = format!("{}.{a1}", String::from_utf8_lossy(&country));
        self.code(b'1', key.as_bytes())
            .map(|v| v as u32)
            .or_else(|| self.overlay.as_ref()?.admin_codes.get(&key).copied())
    }

    fn admin2_id(&self, country: [u8; 2], a1: &str, a2: &str) -> Option<u32> {
        let key = format!("{}.{a1}.{a2}", String::from_utf8_lossy(&country));
        self.code(b'2', key.as_bytes())
            .map(|v| v as u32)
            .or_else(|| self.overlay.as_ref()?.admin_codes.get(&key).copied())
    }

    pub fn admin1_of<'e>(&self, e: impl Borrow<Entry<'e>>) -> Option<Entry<'_>> {
        let e = e.borrow();
        if matches!(e.level, Level::Country | Level::Continent | Level::Region) {
            return None;
        }
        self.admin1_id(e.country, e.admin1).map(|i| self.entry(i))
    }

    pub fn admin2_of<'e>(&self, e: impl Borrow<Entry<'e>>) -> Option<Entry<'_>> {
        let e = e.borrow();
        if e.admin2.is_empty() {
            return None;
        }
        self.admin2_id(e.country, e.admin1, e.admin2)
            .map(|i| self.entry(i))
    }

    /// The country a demonym or country alias names ("Syrian" -> "SY").
    pub fn demonym(&self, word: &str) -> Option<&'static str> {
        let at = self.code(b'd', crate::text::fold(word).as_bytes())? as usize;
        STRINGS.get(at..at + 2)
    }

    /// Every entry, embedded then overlay.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> + '_ {
        (0..self.len() as u32).map(|i| self.entry(i))
    }

    /// Number of entries (all levels, overlay included).
    pub fn len(&self) -> usize {
        self.embedded_len as usize + self.overlay_len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Great-circle distance in km (haversine, mean Earth radius 6,371 km): the
/// one distance of the workspace (evaluation, the store's merge rule).
pub fn km(a_lat: f64, a_lon: f64, b_lat: f64, b_lon: f64) -> f64 {
    let p = std::f64::consts::PI / 180.0;
    let h = ((b_lat - a_lat) * p / 2.0).sin().powi(2)
        + (a_lat * p).cos() * (b_lat * p).cos() * ((b_lon - a_lon) * p / 2.0).sin().powi(2);
    12742.0 * h.sqrt().asin()
}

// ---------------------------------------------------------------------------
// The local overlay.

/// The overlay's columns (the same as `places.tsv.gz`).
pub const OVERLAY_HEADER: &str = "geonameid\tname\tasciiname\tcountry\tadmin1\tadmin2\tfeature_code\tpopulation\tlat\tlon\talternate_names";

struct OwnedEntry {
    level: Level,
    geonameid: Option<u32>,
    name: Box<str>,
    country: [u8; 2],
    admin1: Box<str>,
    admin2: Box<str>,
    feature_code: Box<str>,
    population: u64,
    lat: f64,
    lon: f64,
}

impl OwnedEntry {
    fn borrow_entry(&self) -> Entry<'_> {
        Entry {
            level: self.level,
            geonameid: self.geonameid,
            name: &self.name,
            country: self.country,
            admin1: &self.admin1,
            admin2: &self.admin2,
            feature_code: &self.feature_code,
            population: self.population,
            lat: self.lat,
            lon: self.lon,
        }
    }
}

struct Overlay {
    entries: Vec<OwnedEntry>,
    exact: HashMap<Box<str>, Vec<u32>>,
    skeleton: HashMap<Box<str>, Vec<u32>>,
    by_geonameid: HashMap<u32, u32>,
    /// "CC.A1" and "CC.A1.A2" of admin areas the embedded tables lack.
    admin_codes: HashMap<String, u32>,
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg)
}

impl Overlay {
    fn load(g: &Gazetteer, bytes: &[u8]) -> std::io::Result<Overlay> {
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
        let mut o = Overlay {
            entries: Vec::new(),
            exact: HashMap::new(),
            skeleton: HashMap::new(),
            by_geonameid: HashMap::new(),
            admin_codes: HashMap::new(),
        };
        // Its header checked, the overlay reads like any data file.
        for f in crate::lexicon::tsv_rows(text) {
            let get = |i: usize| crate::lexicon::field(&f, i);
            let (gid, fcode) = (num::<u32>(get(0)), get(6));
            let (country, a1, a2) = (cc(get(3)), get(4), get(5));
            let admin = fcode.starts_with("ADM");
            // An admin area or place the embedded tables have gets the
            // dump's names as extra spellings; anything else is new.
            let known = match fcode {
                "ADM1" => g.admin1_id(country, a1),
                "ADM2" => g.admin2_id(country, a1, a2),
                _ => g.code(b'g', &gid.to_be_bytes()).map(|v| v as u32),
            };
            let id = match known {
                Some(id) => id,
                None => {
                    let id = g.embedded_len + o.entries.len() as u32;
                    let level = match fcode {
                        "ADM1" => Level::Admin1,
                        "ADM2" => Level::Admin2,
                        _ => Level::Place,
                    };
                    o.entries.push(OwnedEntry {
                        level,
                        geonameid: (gid != 0).then_some(gid),
                        name: get(1).into(),
                        country,
                        admin1: a1.into(),
                        admin2: if level == Level::Admin1 { "" } else { a2 }.into(),
                        feature_code: fcode.into(),
                        population: num(get(7)),
                        lat: num(get(8)),
                        lon: num(get(9)),
                    });
                    if gid != 0 {
                        o.by_geonameid.insert(gid, id);
                    }
                    let cs = String::from_utf8_lossy(&country).into_owned();
                    match level {
                        Level::Admin1 => {
                            o.admin_codes.insert(format!("{cs}.{a1}"), id);
                        }
                        Level::Admin2 => {
                            o.admin_codes.insert(format!("{cs}.{a1}.{a2}"), id);
                        }
                        _ => {}
                    }
                    id
                }
            };
            let mut names = vec![get(1), get(2)];
            names.extend(get(10).split('|').filter(|a| !a.is_empty()));
            for n in names {
                o.index_name(n, id);
                if admin {
                    for bare in geokey::admin_bare_names(n) {
                        o.index_name(bare, id);
                    }
                }
            }
        }
        Ok(o)
    }

    fn index_name(&mut self, name: &str, id: u32) {
        let key = geokey::exact(name);
        if key.is_empty() {
            return;
        }
        let ids = self.exact.entry(key.into()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
        let sk = geokey::skeleton(name);
        if sk.replace(' ', "").len() >= 3 {
            let ids = self.skeleton.entry(sk.into()).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
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

    /// The overlay file's bytes: gzip, the header, one line per row.
    pub fn to_gzip(&self) -> std::io::Result<Vec<u8>> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        writeln!(gz, "{OVERLAY_HEADER}")?;
        for r in self.0.values() {
            writeln!(gz, "{r}")?;
        }
        gz.finish()
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

    #[test]
    fn km_between_dera_ismail_khan_and_kulachi() {
        let km = km(31.8313, 70.9017, 31.9286, 70.4592);
        assert!((40.0..45.0).contains(&km), "{km}");
    }

    #[test]
    fn embedded_entries_decode() {
        let g = Gazetteer::builtin();
        assert!(g.len() > 250_000);
        let (ids, fuzzy) = g.lookup("Damascus");
        assert!(!fuzzy);
        let e = ids
            .iter()
            .map(|&i| g.entry(i))
            .filter(|e| e.level == Level::Place)
            .max_by_key(|e| e.population)
            .expect("Damascus");
        assert_eq!(e.country_code(), "SY");
        assert_eq!(e.feature_code, "PPLC");
        assert_eq!(e.geonameid, Some(170654));
        assert!((e.lat - 33.5102).abs() < 0.01 && (e.lon - 36.2913).abs() < 0.01);
        let a1 = g.admin1_of(e).expect("admin1");
        assert_eq!(a1.level, Level::Admin1);
        let sy = g.country("SY").expect("Syria");
        assert_eq!(g.entry(sy).name, "Syria");
        let cap = g.capital_of(g.entry(sy)).expect("capital");
        assert_eq!(g.entry(cap).geonameid, Some(170654));
        assert_eq!(g.by_geonameid(170654), Some(cap));
        // Every country with a capital in the tables has one here.
        for (cc, gid) in [
            ("SO", 53654),
            ("FR", 2988507),
            ("US", 4140963),
            ("YE", 71137),
        ] {
            let c = g.country(cc).expect(cc);
            let cap = g.capital_of(g.entry(c)).map(|i| g.entry(i).geonameid);
            assert_eq!(cap, Some(Some(gid)), "{cc}");
        }
        assert_eq!(g.demonym("Syrian"), Some("SY"));
        assert_eq!(g.demonym("Yemeni"), Some("YE"));
        assert_eq!(g.demonym("table"), None);
    }

    #[test]
    fn spelling_variants_match_by_skeleton() {
        let g = Gazetteer::builtin();
        for n in ["Deir Ezzor", "Tartous", "Edleb"] {
            let (ids, _) = g.lookup(n);
            assert!(
                ids.iter().any(|&i| g.entry(i).country_code() == "SY"),
                "{n}"
            );
        }
    }

    #[test]
    fn abbreviations_match_in_capitals_only() {
        let g = Gazetteer::builtin();
        let countries = |n: &str| -> Vec<String> {
            g.lookup(n)
                .0
                .iter()
                .map(|&i| g.entry(i))
                .filter(|e| e.level == Level::Country)
                .map(|e| e.country_code().to_string())
                .collect()
        };
        assert_eq!(countries("CAR"), ["CF"]);
        assert!(countries("Car").is_empty());
        assert_eq!(countries("US"), ["US"]);
        assert_eq!(countries("U.S."), ["US"]);
        // Hand-written admin1 aliases.
        let nsw = g.lookup("NSW").0;
        assert!(nsw
            .iter()
            .any(|&i| g.entry(i).level == Level::Admin1 && g.entry(i).country_code() == "AU"));
        assert!(g.lookup("Nsw").0.is_empty());
    }

    #[test]
    fn admin1_names_follow_acled_where_the_corpus_says() {
        let g = Gazetteer::builtin();
        let admin1 = |place: &str, country: &str| {
            let ids = g.lookup(place).0;
            let id = ids
                .iter()
                .copied()
                .filter(|&i| {
                    g.entry(i).level == Level::Place && g.entry(i).country_code() == country
                })
                .max_by_key(|&i| g.entry(i).population)
                .unwrap_or_else(|| panic!("{place} in {country}"));
            (
                g.admin1_of(g.entry(id)).map(|a| a.name.to_string()),
                g.admin1_name(g.entry(id)),
            )
        };
        if g.acled_admin1.is_empty() {
            println!("skipped: data/gazetteer/acled_admin1.tsv has no rows");
            return;
        }
        // GeoNames says "Dhaka Division" and "North Kivu"; ACLED does not.
        let (geonames, acled) = admin1("Dhaka", "BD");
        assert_ne!(geonames, acled);
        assert_eq!(acled.as_deref(), Some("Dhaka"));
        assert_eq!(admin1("Goma", "CD").1.as_deref(), Some("Nord-Kivu"));
        // A first-level area names itself the same way.
        let kivu = g.lookup("North Kivu").0;
        assert!(kivu.iter().any(|&i| g.entry(i).level == Level::Admin1
            && g.admin1_name(g.entry(i)).as_deref() == Some("Nord-Kivu")));
        // Without a row, GeoNames' name stays; a country has none.
        let (geonames, acled) = admin1("Oslo", "NO");
        assert_eq!(geonames, acled);
        let norway = g.lookup("Norway").0;
        assert!(norway
            .iter()
            .all(|&i| g.entry(i).level != Level::Country || g.admin1_name(g.entry(i)).is_none()));
    }

    #[test]
    fn admin2_areas_without_a_point_are_never_candidates() {
        let g = Gazetteer::builtin();
        let mut pointless = 0;
        for (id, e) in g.entries().enumerate() {
            if e.level == Level::Admin2 && e.lat == 0.0 && e.lon == 0.0 {
                pointless += 1;
                assert!(!g.lookup(e.name).0.contains(&(id as u32)), "{}", e.name);
            }
        }
        assert!(
            pointless > 0,
            "the tables have admin2 areas without coordinates"
        );
    }

    #[test]
    fn admin1_points_leave_out_misfiled_places() {
        // A few places filed under Jiangsu lie 1,500 km west of it.
        let g = Gazetteer::builtin();
        let (ids, _) = g.lookup("Jiangsu");
        let e = ids
            .iter()
            .map(|&i| g.entry(i))
            .find(|e| e.level == Level::Admin1)
            .expect("Jiangsu");
        assert!(e.lon > 117.0 && e.lon < 122.0, "{}", e.lon);
    }

    #[test]
    fn latin_names() {
        assert!(latin_name("Ţarţūs"));
        assert!(latin_name("Deir ez-Zor"));
        assert!(!latin_name("طرطوس"));
        assert!(!latin_name("swldw"));
        assert!(!latin_name("LTK"));
        assert!(!latin_name("Area 51"));
    }
}
