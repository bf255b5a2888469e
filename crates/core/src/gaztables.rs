//! The compact gazetteer format, written and read: fixed-size entry
//! records, a string table, and FSTs from name keys to entry ids.
//!
//! One module for both sides of the format and both builders: `build.rs`
//! includes this file (`#[path]`) to compile the embedded tables, and the
//! runtime uses it to compile a user's overlay at import time and to decode
//! records. So the embedded tables and a compiled overlay cannot disagree
//! on a byte. Nothing here does I/O.
//!
//! An entry record is [`RECORD`] bytes, little-endian: geonameid u32 (0:
//! none) | lat i32 and lon i32 (degrees x 10^4) | population u32 | offset
//! u32 into the string table of name, admin1 code and admin2 code, one
//! after the other | name length u16 | admin1 length u8 | admin2 length u8 |
//! country 2 bytes | level u8 | feature code u8 (index into the feature
//! code table) | 4 bytes reserved.
//!
//! The name FSTs map a key to `(count << 32) | id` when one entry has the
//! key, `(count << 32) | offset` into the postings (u32 LE entry ids) when
//! several do. The codes FST maps `c`+ISO2 (country), `k`+ISO2 (capital),
//! `1`+`CC.A1`, `2`+`CC.A1.A2`, `g`+geonameid (big-endian u32) and
//! `d`+folded demonym (to the offset of its ISO2 code in the string table).

use std::collections::{BTreeMap, HashMap};

pub const RECORD: usize = 32;

pub const COUNTRY: u8 = 0;
pub const ADMIN1: u8 = 1;
pub const ADMIN2: u8 = 2;
pub const PLACE: u8 = 3;
pub const CONTINENT: u8 = 4;
pub const REGION: u8 = 5;

/// One entry to be compiled.
pub struct Rec {
    pub level: u8,
    pub geonameid: u32,
    pub name: String,
    pub country: [u8; 2],
    pub admin1: String,
    pub admin2: String,
    pub fcode: String,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
}

/// Entries and their indexes, as they are added; [`Builder::compile`]
/// turns them into the compact form.
#[derive(Default)]
pub struct Builder {
    /// The id of the first entry added: 0 for the embedded tables, the
    /// number of embedded entries for an overlay (whose name keys may also
    /// point at embedded entries).
    pub first_id: u32,
    pub recs: Vec<Rec>,
    pub exact: BTreeMap<String, Vec<u32>>,
    pub skeleton: BTreeMap<String, Vec<u32>>,
    pub codes: BTreeMap<Vec<u8>, u64>,
}

fn push_id(map: &mut BTreeMap<String, Vec<u32>>, key: String, id: u32) {
    let ids = map.entry(key).or_default();
    if ids.last() != Some(&id) {
        ids.push(id);
    }
}

impl Builder {
    /// Add an entry; its id.
    pub fn push(&mut self, r: Rec) -> u32 {
        self.recs.push(r);
        self.first_id + (self.recs.len() - 1) as u32
    }

    pub fn index_name(&mut self, name: &str, id: u32) {
        let key = super::geokey::exact(name);
        if key.is_empty() {
            return;
        }
        push_id(&mut self.exact, key, id);
        let sk = super::geokey::skeleton(name);
        if sk.replace(' ', "").len() >= 3 {
            push_id(&mut self.skeleton, sk, id);
        }
    }

    /// A hand-written alias: abbreviations ("CAR", "NSW") under their
    /// case-sensitive key only, other names as usual.
    #[allow(dead_code)] // only the embedded tables have hand-written aliases
    pub fn index_alias(&mut self, name: &str, id: u32) {
        if super::geokey::is_abbreviation(name) {
            push_id(&mut self.exact, super::geokey::abbreviation_key(name), id);
        } else {
            self.index_name(name, id);
        }
    }

    /// An admin area's name and its bare forms ("Kandahar Province" ->
    /// "Kandahar").
    pub fn index_admin_name(&mut self, name: &str, id: u32) {
        self.index_name(name, id);
        for bare in super::geokey::admin_bare_names(name) {
            self.index_name(bare, id);
        }
    }

    pub fn code(&mut self, prefix: u8, code: &[u8], value: u64) {
        let mut k = Vec::with_capacity(code.len() + 1);
        k.push(prefix);
        k.extend_from_slice(code);
        self.codes.insert(k, value);
    }

    /// The compact form; an error names the entry that does not fit it
    /// (a name over 64 KB, an admin code over 255 bytes, more than 256
    /// feature codes).
    pub fn compile(&self) -> Result<Tables, String> {
        let mut t = Tables::default();
        let mut fcode_ix: HashMap<&str, u8> = HashMap::new();
        t.entries.reserve(self.recs.len() * RECORD);
        for r in &self.recs {
            let fc = match fcode_ix.get(r.fcode.as_str()) {
                Some(&i) => i,
                None => {
                    let i = u8::try_from(t.feature_codes.len())
                        .map_err(|_| "more than 256 feature codes".to_string())?;
                    t.feature_codes.push(r.fcode.clone());
                    fcode_ix.insert(&r.fcode, i);
                    i
                }
            };
            let too_long = |what: &str| format!("{} of {:?} is too long", what, r.name);
            let off = u32::try_from(t.strings.len()).map_err(|_| "string table over 4 GB")?;
            let name_len = u16::try_from(r.name.len()).map_err(|_| too_long("the name"))?;
            let a1_len = u8::try_from(r.admin1.len()).map_err(|_| too_long("the admin1 code"))?;
            let a2_len = u8::try_from(r.admin2.len()).map_err(|_| too_long("the admin2 code"))?;
            t.strings.push_str(&r.name);
            t.strings.push_str(&r.admin1);
            t.strings.push_str(&r.admin2);
            let fixed = |x: f64| (x * 1e4).round() as i32;
            let e = &mut t.entries;
            e.extend_from_slice(&r.geonameid.to_le_bytes());
            e.extend_from_slice(&fixed(r.lat).to_le_bytes());
            e.extend_from_slice(&fixed(r.lon).to_le_bytes());
            e.extend_from_slice(&(r.population.min(u32::MAX as u64) as u32).to_le_bytes());
            e.extend_from_slice(&off.to_le_bytes());
            e.extend_from_slice(&name_len.to_le_bytes());
            e.push(a1_len);
            e.push(a2_len);
            e.extend_from_slice(&r.country);
            e.push(r.level);
            e.push(fc);
            e.extend_from_slice(&[0; 4]);
        }
        t.exact = name_fst(&self.exact, &mut t.postings)?;
        t.skeleton = name_fst(&self.skeleton, &mut t.postings)?;
        // Demonyms map to the offset of their ISO2 code in the string
        // table, so that the runtime can hand out a `&'static str`.
        let mut cc_offsets: HashMap<u64, u64> = HashMap::new();
        let mut codes = fst::MapBuilder::memory();
        for (k, v) in &self.codes {
            let v = if k[0] == b'd' {
                *cc_offsets.entry(*v).or_insert_with(|| {
                    let at = t.strings.len() as u64;
                    t.strings.push(char::from((*v >> 8) as u8));
                    t.strings.push(char::from(*v as u8));
                    at
                })
            } else {
                *v
            };
            codes.insert(k, v).map_err(|e| e.to_string())?;
        }
        t.codes = codes.into_inner().map_err(|e| e.to_string())?;
        Ok(t)
    }
}

/// An FST from name keys to postings, appending lists of several ids to
/// `postings`.
fn name_fst(map: &BTreeMap<String, Vec<u32>>, postings: &mut Vec<u8>) -> Result<Vec<u8>, String> {
    let mut fst = fst::MapBuilder::memory();
    for (k, ids) in map {
        let v = if ids.len() == 1 {
            ids[0] as u64
        } else {
            let at = (postings.len() / 4) as u64;
            for id in ids {
                postings.extend_from_slice(&id.to_le_bytes());
            }
            at
        };
        // Keys come sorted from a BTreeMap.
        fst.insert(k, (ids.len() as u64) << 32 | v)
            .map_err(|e| e.to_string())?;
    }
    fst.into_inner().map_err(|e| e.to_string())
}

/// The compiled tables.
#[derive(Default)]
pub struct Tables {
    pub entries: Vec<u8>,
    pub strings: String,
    pub postings: Vec<u8>,
    pub exact: Vec<u8>,
    pub skeleton: Vec<u8>,
    pub codes: Vec<u8>,
    /// The feature codes the records index, in index order.
    pub feature_codes: Vec<String>,
}

impl Tables {
    /// The byte tables in their fixed order: entries, strings, postings,
    /// exact names, skeleton names, codes.
    pub fn byte_tables(&self) -> [&[u8]; 6] {
        [
            &self.entries,
            self.strings.as_bytes(),
            &self.postings,
            &self.exact,
            &self.skeleton,
            &self.codes,
        ]
    }
}

/// FNV-1a over `parts`: what the embedded tables are, so that an overlay
/// compiled against other embedded tables (another build) is recognised.
#[allow(dead_code)] // build.rs computes it; the runtime reads the constant
pub fn fingerprint(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// An entry record's fields, decoded; string fields are ranges into the
/// string table.
pub struct Record {
    pub geonameid: u32,
    pub lat: f64,
    pub lon: f64,
    pub population: u32,
    pub name: std::ops::Range<usize>,
    pub admin1: std::ops::Range<usize>,
    pub admin2: std::ops::Range<usize>,
    pub country: [u8; 2],
    pub level: u8,
    pub feature_code: u8,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Decode one [`RECORD`]-byte record.
pub fn decode(r: &[u8]) -> Record {
    let off = u32_at(r, 16) as usize;
    let name_len = u16::from_le_bytes([r[20], r[21]]) as usize;
    let (a1, a2) = (r[22] as usize, r[23] as usize);
    let a1_at = off + name_len;
    Record {
        geonameid: u32_at(r, 0),
        lat: u32_at(r, 4) as i32 as f64 / 1e4,
        lon: u32_at(r, 8) as i32 as f64 / 1e4,
        population: u32_at(r, 12),
        name: off..a1_at,
        admin1: a1_at..a1_at + a1,
        admin2: a1_at + a1..a1_at + a1 + a2,
        country: [r[24], r[25]],
        level: r[26],
        feature_code: r[27],
    }
}
