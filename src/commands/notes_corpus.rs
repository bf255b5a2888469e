//! ACLED notes as a corpus of news documents, for the merge evaluation and
//! the ingest benchmark: each distinct note is one event (a note shared by
//! several rows, or near-identical to another note of the same country
//! within a week, is a split event and left out), its `event_date` the
//! document's publication date. Dev rows (`origin` = dev) are left out too:
//! they are for measuring the extractor only.
//!
//! Also the deterministic rewrites that make a second outlet's report of
//! the same story: sentences reordered, reporting verbs swapped, another
//! headline.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use jiff::civil::Date;
use warcoder_eval::acled;

/// One ACLED event told by its note.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: String,
    pub date: Date,
    pub country: String,
    /// The note without ACLED's coder remarks.
    pub text: String,
}

/// The distinct notes of an ACLED export, in file order.
pub fn read_notes(path: &Path) -> Result<Vec<Note>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let header = rdr.headers()?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (Some(id), Some(date), Some(country), Some(notes)) = (
        col("event_id_cnty"),
        col("event_date"),
        col("country"),
        col("notes"),
    ) else {
        bail!(
            "{}: not an ACLED export (needs event_id_cnty, event_date, country and notes columns)",
            path.display()
        );
    };
    let origin = col("origin");
    let mut rows: Vec<Note> = Vec::new();
    let mut rows_per_text: HashMap<String, usize> = HashMap::new();
    for record in rdr.records() {
        let Ok(r) = record else { continue };
        if origin.and_then(|o| r.get(o)) == Some("dev") {
            continue;
        }
        let text = acled::clean_note(r.get(notes).unwrap_or(""));
        let Some(day) = r.get(date).and_then(acled::parse_date) else {
            continue;
        };
        if text.split_whitespace().count() < 4 {
            continue;
        }
        *rows_per_text.entry(text.clone()).or_default() += 1;
        rows.push(Note {
            id: r.get(id).unwrap_or("").to_string(),
            date: day,
            country: r.get(country).unwrap_or("").to_string(),
            text,
        });
    }
    rows.retain(|n| rows_per_text[&n.text] == 1);
    let split = near_identical(&rows);
    rows = rows
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !split.contains(i))
        .map(|(_, n)| n)
        .collect();
    Ok(rows)
}

/// Notes near-identical to another note of the same country within a
/// week are one report coded as several events, like a shared note: ACLED
/// splits a report of attacks "in Chittagong, Dinajpur and Sylhet" into
/// one event per district with the same note but for a remark.
pub const SPLIT_SIMILARITY: f64 = 0.9;

/// The indices of notes with a near-identical partner ([`SPLIT_SIMILARITY`]).
fn near_identical(notes: &[Note]) -> std::collections::HashSet<usize> {
    use warcoder_store::sketch::Sketch;
    let sketches: Vec<Option<Sketch>> = notes.iter().map(|n| Sketch::of(&n.text)).collect();
    let mut by_band: HashMap<(i64, &str), Vec<usize>> = HashMap::new();
    for (i, s) in sketches.iter().enumerate() {
        for key in s.iter().flat_map(|s| s.band_keys()) {
            by_band
                .entry((key, notes[i].country.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut out = std::collections::HashSet::new();
    for members in by_band.values().filter(|m| m.len() > 1) {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                let days = (notes[i].date - notes[j].date).get_days().abs();
                let similar = match (&sketches[i], &sketches[j]) {
                    (Some(a), Some(b)) => a.similarity(b) >= SPLIT_SIMILARITY,
                    _ => false,
                };
                if days <= 7 && similar {
                    out.insert(i);
                    out.insert(j);
                }
            }
        }
    }
    out
}

/// How alike two notes are word for word: one minus the share of their
/// words (lower-cased, counted with repeats) that only one has. Exact where
/// MinHash estimates: a one-word typo in a 30-word note changes three of
/// its word 3-shingles but two of its 60 words (0.97).
pub fn word_likeness(a: &str, b: &str) -> f64 {
    let bag = |t: &str| {
        let mut m: HashMap<String, i64> = HashMap::new();
        for w in t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            *m.entry(w.to_lowercase()).or_default() += 1;
        }
        m
    };
    let (ba, bb) = (bag(a), bag(b));
    let total: i64 = ba.values().chain(bb.values()).sum();
    let only_one: i64 = ba
        .keys()
        .chain(bb.keys())
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .map(|w| (ba.get(w).unwrap_or(&0) - bb.get(w).unwrap_or(&0)).abs())
        .sum();
    if total == 0 {
        return 1.0;
    }
    1.0 - only_one as f64 / total as f64
}

/// About `n` notes taken whole country-month by country-month, the
/// busiest first, so that many events share a country and a few days (as
/// a news feed's do) and a merger has every chance to confuse them.
/// `seed` 0 takes from all country-months; another seed from about half of
/// them, chosen by a hash of the seed and the country-month (stable across
/// platforms), so that a second sample is as dense but made of other
/// events.
pub fn densest_months(notes: &[Note], n: usize, seed: u64) -> Vec<Note> {
    let mut months: BTreeMap<(String, i16, i8), Vec<&Note>> = BTreeMap::new();
    for note in notes {
        let key = (note.country.clone(), note.date.year(), note.date.month());
        months.entry(key).or_default().push(note);
    }
    let drawn = |(country, year, month): &(String, i16, i8)| {
        let key = format!("{seed} {country} {year} {month}");
        seed == 0 || warcoder_store::sketch::fnv1a(key.as_bytes()).is_multiple_of(2)
    };
    let mut ranked: Vec<_> = months.into_iter().filter(|(k, _)| drawn(k)).collect();
    ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let mut out: Vec<Note> = ranked
        .into_iter()
        .flat_map(|(_, notes)| notes)
        .take(n)
        .cloned()
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    out
}

/// Reporting verbs and their stand-ins in another outlet's wording.
const REPORTING_SYNONYMS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("reported", "said"),
    ("reportedly", "allegedly"),
    ("claimed", "asserted"),
    ("confirmed", "verified"),
    ("stated", "said"),
    ("announced", "declared"),
    ("alleged", "claimed"),
];

/// The sentences of a note: split after `.`, `!` or `?` followed by a
/// space and a capital letter or digit.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 0..bytes.len().saturating_sub(2) {
        if matches!(bytes[i], b'.' | b'!' | b'?')
            && bytes[i + 1] == b' '
            && (bytes[i + 2].is_ascii_uppercase() || bytes[i + 2].is_ascii_digit())
        {
            out.push(text[start..=i].trim());
            start = i + 2;
        }
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// Another outlet's telling of the same note: the lead sentence first, the
/// others in reverse order, and reporting verbs swapped for synonyms.
pub fn paraphrase(text: &str) -> String {
    let mut parts = sentences(text);
    if parts.len() > 2 {
        parts[1..].reverse();
    }
    parts
        .join(" ")
        .split(' ')
        .map(|word| {
            let bare = word.trim_end_matches([',', '.', ';', ':']);
            let tail = &word[bare.len()..];
            match REPORTING_SYNONYMS.iter().find(|(w, _)| *w == bare) {
                Some((_, synonym)) => format!("{synonym}{tail}"),
                None => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A headline for a note: its country and its first words.
pub fn headline(note: &Note) -> String {
    let words: Vec<&str> = note.text.split_whitespace().take(8).collect();
    format!(
        "{}: {}",
        note.country,
        words.join(" ").trim_end_matches([',', '.'])
    )
}

/// How a document of the corpus tells its note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Telling {
    /// The note itself, published on its event date.
    Original,
    /// [`paraphrase`] under a headline, published on the event date.
    Paraphrase,
    /// The note between another headline and a share line, with no
    /// publication date: only its content can tie it to the original.
    UndatedCopy,
}

impl Telling {
    pub fn prefix(self) -> &'static str {
        match self {
            Telling::Original => "note",
            Telling::Paraphrase => "para",
            Telling::UndatedCopy => "copy",
        }
    }

    /// The telling and note id of a document id written by [`write_jsonl`].
    pub fn parse(document: &str) -> Option<(Telling, &str)> {
        let (prefix, id) = document.split_once(':')?;
        let telling = [Telling::Original, Telling::Paraphrase, Telling::UndatedCopy]
            .into_iter()
            .find(|t| t.prefix() == prefix)?;
        Some((telling, id))
    }
}

/// Write one JSONL record of `note` told as `telling`; `round` > 0 makes a
/// distinct document of an already used note (the ingest benchmark).
pub fn write_jsonl(w: &mut impl Write, note: &Note, telling: Telling, round: usize) -> Result<()> {
    let suffix = if round > 0 {
        format!(" (Update {round}.)")
    } else {
        String::new()
    };
    let id = format!("{}:{}", telling.prefix(), note.id);
    let url = format!("https://{}.example/{}", telling.prefix(), note.id);
    let record = match telling {
        Telling::Original => serde_json::json!({
            "id": id, "url": url, "published": note.date.to_string(),
            "text": format!("{}{suffix}", note.text),
        }),
        // The headline goes in the record's title: a headline line in the
        // text makes the extractor read a short note differently. A note
        // with nothing to reorder or swap keeps its wording; a final line
        // break makes it another document (another content hash).
        Telling::Paraphrase => serde_json::json!({
            "id": id, "url": url, "published": note.date.to_string(),
            "title": headline(note), "text": format!("{}{suffix}\n", paraphrase(&note.text)),
        }),
        Telling::UndatedCopy => serde_json::json!({
            "id": id, "url": url,
            "text": format!("Latest news from {}\n\n{}{suffix}\n\nShare this article", note.country, note.text),
        }),
    };
    serde_json::to_writer(&mut *w, &record)?;
    writeln!(w)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paraphrase_keeps_the_lead_reverses_the_rest_and_swaps_verbs() {
        let text = "On 3 May, gunmen killed 2 people in Kaura. Police said 5 were hurt. \
                    Residents reported looting.";
        assert_eq!(
            paraphrase(text),
            "On 3 May, gunmen killed 2 people in Kaura. Residents said looting. \
             Police stated 5 were hurt."
        );
        assert_eq!(paraphrase("One sentence only."), "One sentence only.");
    }

    #[test]
    fn sentences_do_not_split_inside_abbreviations_or_numbers() {
        assert_eq!(
            sentences("Gen. smith said 2.5 km away. 4 died."),
            vec!["Gen. smith said 2.5 km away.", "4 died."]
        );
    }

    #[test]
    fn word_likeness_forgives_a_typo_not_a_sentence() {
        let a = "Hundreds of Congress activists on 4 August staged protests in Jammu and Srinagar.";
        let typo =
            "Hundreds of Congress activists ton 4 August staged protests in Jammu and Srinagar.";
        assert!(word_likeness(a, typo) >= SPLIT_SIMILARITY);
        let more = format!("{a} Police arrested 160 protesters and beat others.");
        assert!(word_likeness(a, &more) < SPLIT_SIMILARITY);
        assert_eq!(word_likeness(a, a), 1.0);
    }

    #[test]
    fn document_ids_round_trip() {
        assert_eq!(
            Telling::parse("para:NIG123"),
            Some((Telling::Paraphrase, "NIG123"))
        );
        assert_eq!(Telling::parse("x:1"), None);
    }

    #[test]
    fn densest_months_come_first_and_split_notes_are_dropped() {
        let dir = std::env::temp_dir().join(format!("warcoder-notes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("n.csv");
        std::fs::write(
            &path,
            "event_id_cnty,event_date,country,notes,origin\n\
             A1,2020-01-02,Mali,Gunmen attacked a village near Mopti.,x\n\
             A2,2020-01-03,Mali,Soldiers clashed with militants in Gao.,x\n\
             A3,2020-01-03,Mali,Soldiers clashed with militants in Gao.,x\n\
             B1,2020-02-01,Niger,Protesters marched in Niamey today.,x\n\
             D1,2020-01-05,Mali,A dev row never used for merging.,dev\n",
        )
        .unwrap();
        let notes = read_notes(&path).unwrap();
        let ids: Vec<&str> = notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["A1", "B1"]);
        let sample = densest_months(&notes, 1, 0);
        assert_eq!(sample.len(), 1);
        assert_eq!(sample[0].id, "A1");
        // Another seed draws whole country-months from about half of them:
        // over a few seeds, each month is left out by some and drawn by others.
        let drawn: Vec<Vec<Note>> = (1..=8)
            .map(|seed| densest_months(&notes, 10, seed))
            .collect();
        for id in ["A1", "B1"] {
            let has = |s: &Vec<Note>| s.iter().any(|n| n.id == id);
            assert!(drawn.iter().any(has) && !drawn.iter().all(has), "{id}");
        }
    }
}
