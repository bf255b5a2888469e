//! The embedded gazetteer: countries, first- and second-level admin areas and
//! populated places derived from GeoNames (CC BY 4.0), plus demonyms written
//! by the team. Loaded once from the tables under `data/gazetteer/` that are
//! compiled into the binary, and shared read-only.

use std::collections::HashMap;
use std::io::Read;

use flate2::read::GzDecoder;
use serde::Serialize;

use crate::geokey;
use crate::lexicon::{field, tsv_rows};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Country,
    Admin1,
    Admin2,
    Place,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub level: Level,
    pub geonameid: Option<u32>,
    pub name: Box<str>,
    pub country: [u8; 2],
    /// GeoNames admin1 code within the country ("11"), empty when unknown.
    pub admin1: Box<str>,
    pub admin2: Box<str>,
    pub feature_code: Box<str>,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
}

impl Entry {
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

/// Country, admin1 code, admin2 code.
type Admin2Key = ([u8; 2], Box<str>, Box<str>);

pub struct Gazetteer {
    pub entries: Vec<Entry>,
    exact: HashMap<Box<str>, Vec<u32>>,
    skeleton: HashMap<Box<str>, Vec<u32>>,
    countries: HashMap<[u8; 2], u32>,
    /// Country -> its capital's entry.
    capitals: HashMap<[u8; 2], u32>,
    admin1: HashMap<([u8; 2], Box<str>), u32>,
    admin2: HashMap<Admin2Key, u32>,
    /// Folded demonym or country alias -> ISO2 ("syrian" -> SY).
    demonyms: HashMap<Box<str>, [u8; 2]>,
}

const PLACES_GZ: &[u8] = include_bytes!("../../../data/gazetteer/places.tsv.gz");
const ADMIN2_GZ: &[u8] = include_bytes!("../../../data/gazetteer/admin2.tsv.gz");
const ADMIN1: &str = include_str!("../../../data/gazetteer/admin1.tsv");
const COUNTRIES: &str = include_str!("../../../data/gazetteer/countries.tsv");
const COUNTRY_ALIASES: &str = include_str!("../../../data/gazetteer/country_aliases.tsv");
const DEMONYMS: &str = include_str!("../../../data/gazetteer/demonyms.tsv");

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .expect("embedded gazetteer table is valid gzip UTF-8");
    s
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

impl Gazetteer {
    /// The gazetteer compiled into the binary.
    pub fn embedded() -> Self {
        let mut g = Gazetteer {
            entries: Vec::with_capacity(300_000),
            exact: HashMap::with_capacity(700_000),
            skeleton: HashMap::with_capacity(500_000),
            countries: HashMap::new(),
            capitals: HashMap::new(),
            admin1: HashMap::new(),
            admin2: HashMap::new(),
            demonyms: HashMap::new(),
        };
        let mut capital_ids: Vec<([u8; 2], u32)> = Vec::new();
        for r in tsv_rows(COUNTRIES) {
            if let Ok(cap) = field(&r, 3).parse::<u32>() {
                capital_ids.push((cc(field(&r, 0)), cap));
            }
            let id = g.push(Entry {
                level: Level::Country,
                geonameid: None,
                name: field(&r, 2).into(),
                country: cc(field(&r, 0)),
                admin1: "".into(),
                admin2: "".into(),
                feature_code: "PCLI".into(),
                population: num(field(&r, 6)),
                lat: num(field(&r, 4)),
                lon: num(field(&r, 5)),
            });
            g.countries.insert(cc(field(&r, 0)), id);
            g.index_name(field(&r, 2), id);
            for alt in field(&r, 7).split('|').filter(|a| !a.is_empty()) {
                g.index_name(alt, id);
            }
        }
        for r in tsv_rows(COUNTRY_ALIASES) {
            if let Some(&id) = g.countries.get(&cc(field(&r, 0))) {
                g.index_name(field(&r, 1), id);
            }
        }
        for r in tsv_rows(ADMIN1) {
            let (country, code) = field(&r, 0).split_once('.').unwrap_or(("", ""));
            let id = g.push(Entry {
                level: Level::Admin1,
                geonameid: field(&r, 4).parse().ok(),
                name: field(&r, 2).into(),
                country: cc(country),
                admin1: code.into(),
                admin2: "".into(),
                feature_code: "ADM1".into(),
                population: num(field(&r, 7)),
                lat: num(field(&r, 5)),
                lon: num(field(&r, 6)),
            });
            g.admin1.insert((cc(country), code.into()), id);
            g.index_admin_name(field(&r, 2), id);
            g.index_admin_name(field(&r, 3), id);
        }
        for r in tsv_rows(&gunzip(ADMIN2_GZ)) {
            let mut parts = field(&r, 0).splitn(3, '.');
            let (country, a1, a2) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            let id = g.push(Entry {
                level: Level::Admin2,
                geonameid: field(&r, 5).parse().ok(),
                name: field(&r, 3).into(),
                country: cc(country),
                admin1: a1.into(),
                admin2: a2.into(),
                feature_code: "ADM2".into(),
                population: num(field(&r, 8)),
                lat: num(field(&r, 6)),
                lon: num(field(&r, 7)),
            });
            g.admin2.insert((cc(country), a1.into(), a2.into()), id);
            g.index_admin_name(field(&r, 3), id);
        }
        for r in tsv_rows(&gunzip(PLACES_GZ)) {
            let id = g.push(Entry {
                level: Level::Place,
                geonameid: field(&r, 0).parse().ok(),
                name: field(&r, 1).into(),
                country: cc(field(&r, 3)),
                admin1: field(&r, 4).into(),
                admin2: field(&r, 5).into(),
                feature_code: field(&r, 6).into(),
                population: num(field(&r, 7)),
                lat: num(field(&r, 8)),
                lon: num(field(&r, 9)),
            });
            g.index_name(field(&r, 1), id);
            if field(&r, 2) != field(&r, 1) {
                g.index_name(field(&r, 2), id);
            }
            for alt in field(&r, 10).split('|').filter(|a| !a.is_empty()) {
                g.index_name(alt, id);
            }
        }
        let by_geonameid: HashMap<u32, u32> = g
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.level == Level::Place)
            .filter_map(|(i, e)| Some((e.geonameid?, i as u32)))
            .collect();
        for (c, gid) in capital_ids {
            if let Some(&i) = by_geonameid.get(&gid) {
                g.capitals.insert(c, i);
            }
        }
        for r in tsv_rows(DEMONYMS) {
            g.demonyms
                .insert(crate::text::fold(field(&r, 1)).into(), cc(field(&r, 0)));
        }
        g
    }

    fn push(&mut self, e: Entry) -> u32 {
        self.entries.push(e);
        (self.entries.len() - 1) as u32
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

    /// Admin names often carry their level ("Damascus Governorate",
    /// "Rif-dimashq"): index the bare name too.
    fn index_admin_name(&mut self, name: &str, id: u32) {
        self.index_name(name, id);
        let lower = name.to_lowercase();
        for suffix in [
            " governorate",
            " province",
            " region",
            " state",
            " district",
            " oblast",
            " county",
            " municipality",
            " prefecture",
            " department",
        ] {
            if let Some(bare) = lower.strip_suffix(suffix) {
                self.index_name(&name[..bare.len()], id);
            }
        }
        for prefix in ["province of ", "governorate of ", "state of ", "region of "] {
            if let Some(bare) = lower.strip_prefix(prefix) {
                self.index_name(&name[name.len() - bare.len()..], id);
            }
        }
    }

    /// Entries whose names match `name`: by exact key, else (for names long
    /// enough to be distinctive) by skeleton. The flag says the match was fuzzy.
    pub fn lookup(&self, name: &str) -> (&[u32], bool) {
        let key = geokey::exact(name);
        if let Some(ids) = self.exact.get(key.as_str()) {
            return (ids, false);
        }
        if key.replace(' ', "").chars().count() >= 5 {
            if let Some(ids) = self.skeleton.get(geokey::skeleton(name).as_str()) {
                return (ids, true);
            }
        }
        (&[], false)
    }

    pub fn entry(&self, id: u32) -> &Entry {
        &self.entries[id as usize]
    }

    pub fn country(&self, iso2: &str) -> Option<u32> {
        self.countries.get(&cc(iso2)).copied()
    }

    /// The capital city of a country entry's country.
    pub fn capital_of(&self, e: &Entry) -> Option<u32> {
        self.capitals.get(&e.country).copied()
    }

    pub fn admin1_of(&self, e: &Entry) -> Option<&Entry> {
        self.admin1
            .get(&(e.country, e.admin1.clone()))
            .map(|&i| self.entry(i))
    }

    pub fn admin2_of(&self, e: &Entry) -> Option<&Entry> {
        if e.admin2.is_empty() {
            return None;
        }
        self.admin2
            .get(&(e.country, e.admin1.clone(), e.admin2.clone()))
            .map(|&i| self.entry(i))
    }

    /// The country a demonym or country alias names ("Syrian" -> "SY").
    pub fn demonym(&self, word: &str) -> Option<&str> {
        self.demonyms
            .get(crate::text::fold(word).as_str())
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
    }

    /// Number of entries at each level, for `--version` and benches.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Great-circle distance in km.
pub fn km(a_lat: f64, a_lon: f64, b_lat: f64, b_lon: f64) -> f64 {
    let p = std::f64::consts::PI / 180.0;
    let h = ((b_lat - a_lat) * p / 2.0).sin().powi(2)
        + (a_lat * p).cos() * (b_lat * p).cos() * ((b_lon - a_lon) * p / 2.0).sin().powi(2);
    12742.0 * h.sqrt().asin()
}
