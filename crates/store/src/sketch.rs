//! Near-duplicate documents by MinHash: copies of one story (the same
//! wire text under another headline, with other boilerplate, or without a
//! date) are found through their content.
//!
//! A document's sketch is [`HASHES`] minimum hashes of its word 3-shingles
//! (lower-cased alphanumeric words). The share of equal minimums estimates
//! the Jaccard similarity of the two shingle sets. For lookup the sketch
//! is cut into [`BANDS`] bands of [`ROWS`] hashes; documents sharing a band
//! are candidates (a pair with Jaccard 0.6 shares one with probability
//! 0.98, a pair of unrelated reports with Jaccard 0.02 with probability
//! 0.0001), then the estimate over all hashes decides.

use std::collections::BTreeSet;

/// Minimum hashes per document.
pub const HASHES: usize = 48;
/// Hashes per lookup band.
pub const ROWS: usize = 3;
pub const BANDS: usize = HASHES / ROWS;
/// Estimated Jaccard similarity from which two documents tell one story.
pub const NEAR_DUPLICATE: f64 = 0.5;
/// Documents shorter than this many shingles get no sketch: a headline
/// alone says too little to tie two reports together.
const MIN_SHINGLES: usize = 8;

/// A document's minimum hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch(pub [u32; HASHES]);

/// FNV-1a, 64 bits: stable across Rust versions and platforms (sketches
/// are stored; the merge evaluation draws its samples with it).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The i-th hash function of a shingle hash (multiply-shift with odd
/// constants derived from i).
fn rehash(h: u64, i: usize) -> u32 {
    let a = (0x9e37_79b9_7f4a_7c15u64).wrapping_mul(2 * i as u64 + 1) | 1;
    let b = (0xc2b2_ae3d_27d4_eb4fu64).wrapping_mul(i as u64 + 7);
    (h.wrapping_mul(a).wrapping_add(b) >> 32) as u32
}

/// The lower-cased alphanumeric words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl Sketch {
    /// The sketch of `text`; None when it is too short to compare.
    pub fn of(text: &str) -> Option<Sketch> {
        let words = words(text);
        if words.len() < MIN_SHINGLES + 2 {
            return None;
        }
        let mut mins = [u32::MAX; HASHES];
        for shingle in words.windows(3) {
            let h = fnv1a(shingle.join(" ").as_bytes());
            for (i, m) in mins.iter_mut().enumerate() {
                *m = (*m).min(rehash(h, i));
            }
        }
        Some(Sketch(mins))
    }

    /// Estimated Jaccard similarity of the two documents' shingles.
    pub fn similarity(&self, other: &Sketch) -> f64 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        equal as f64 / HASHES as f64
    }

    /// The lookup key of each band (band number mixed in, so equal hashes
    /// in different bands do not meet).
    pub fn band_keys(&self) -> [i64; BANDS] {
        let mut keys = [0i64; BANDS];
        for (band, key) in keys.iter_mut().enumerate() {
            let mut bytes = Vec::with_capacity(4 * ROWS + 1);
            bytes.push(band as u8);
            for h in &self.0[band * ROWS..(band + 1) * ROWS] {
                bytes.extend_from_slice(&h.to_le_bytes());
            }
            *key = fnv1a(&bytes) as i64;
        }
        keys
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Sketch> {
        if bytes.len() != 4 * HASHES {
            return None;
        }
        let mut mins = [0u32; HASHES];
        for (m, chunk) in mins.iter_mut().zip(bytes.chunks_exact(4)) {
            *m = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Sketch(mins))
    }
}

/// Capitalised words of a text: its names (words that do not start a
/// sentence or a line, so "On", "Latest" or "Share" at the head of a line
/// are not) and the words that start one (which may or may not be names).
fn capitalised(text: &str) -> (BTreeSet<&str>, BTreeSet<&str>) {
    let (mut names, mut starters) = (BTreeSet::new(), BTreeSet::new());
    let mut sentence_start = true;
    for raw in text.split_inclusive(char::is_whitespace) {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if capitalised && word.chars().count() > 1 {
            if sentence_start {
                starters.insert(word);
            } else {
                names.insert(word);
            }
        }
        let trimmed = raw.trim_end();
        sentence_start = raw.contains('\n')
            || trimmed.ends_with(['.', '!', '?', ':'])
            || (sentence_start && word.is_empty());
    }
    (names, starters)
}

/// The names of a text: capitalised words that do not start a sentence or
/// a line.
pub fn names(text: &str) -> BTreeSet<&str> {
    capitalised(text).0
}

/// Whether two near-identical texts still name different things: each has
/// a name the other lacks ("protest rally in Dhaka - Uttara" against "...
/// in Dhaka - Mirpur"), the mark of one template filled twice rather than
/// one story copied. A copy that only adds names (a headline, a quote)
/// is no contradiction, nor is a word that starts a sentence in either
/// text: "As" or "The" after a sentence that lost its full stop when
/// another outlet reordered the sentences is no name.
pub fn names_differ(a: &str, b: &str) -> bool {
    let ((na, sa), (nb, sb)) = (capitalised(a), capitalised(b));
    let na: BTreeSet<&str> = na.difference(&sb).copied().collect();
    let nb: BTreeSet<&str> = nb.difference(&sa).copied().collect();
    !na.is_subset(&nb) && !nb.is_subset(&na)
}

/// Ordinals that count the days of a running event ("the third day of the
/// sit-in").
const ORDINALS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "twentieth",
    "thirtieth",
];

/// The days of a running event a text counts: "the third day", "11th
/// day", "Day 49" (lower-cased, as "third day", "11th day", "day 49").
pub fn day_counts(text: &str) -> BTreeSet<String> {
    let words = words(text);
    let ordinal = |w: &str| {
        ORDINALS.contains(&w)
            || ["st", "nd", "rd", "th"].iter().any(|s| {
                w.strip_suffix(s)
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
    };
    let number = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    let mut counts = BTreeSet::new();
    for (i, w) in words.iter().enumerate() {
        let (before, after) = (i.checked_sub(1).map(|j| &words[j]), words.get(i + 1));
        match (before, after) {
            (Some(b), _) if w == "day" && ordinal(b) => counts.insert(format!("{b} day")),
            // "Day 49", not the date after "the 11th day (16/01)".
            (_, Some(a)) if w == "day" && number(a) => counts.insert(format!("day {a}")),
            _ => false,
        };
    }
    counts
}

/// Whether two near-identical texts tell different things: they name
/// different things ([`names_differ`]) or count different days of a
/// running event ("protested for the third day" against "... for the
/// fourth day", or against the first report that counts none): a protest
/// reported day after day in the same words is one event a day.
pub fn tell_apart(a: &str, b: &str) -> bool {
    names_differ(a, b) || day_counts(a) != day_counts(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "A suicide bomber blew himself up at a police checkpoint near the \
        bus terminal in Dera Ismail Khan on Thursday, killing at least 11 people including \
        four policemen, officials said. About 30 others were wounded.";

    #[test]
    fn a_copy_under_another_headline_is_a_near_duplicate() {
        let a = Sketch::of(STORY).unwrap();
        let copy = format!("Latest news from Pakistan\n\n{STORY}\n\nShare this article");
        let b = Sketch::of(&copy).unwrap();
        assert!(a.similarity(&b) >= NEAR_DUPLICATE, "{}", a.similarity(&b));
        assert!(a.band_keys().iter().any(|k| b.band_keys().contains(k)));
    }

    #[test]
    fn another_story_is_not() {
        let a = Sketch::of(STORY).unwrap();
        let other = Sketch::of(
            "Gunmen shot dead a polio worker in Kulachi on Friday, police said, the second \
             attack on vaccination teams in the district this month.",
        )
        .unwrap();
        assert!(a.similarity(&other) < 0.2, "{}", a.similarity(&other));
        assert_eq!(Sketch::from_bytes(&a.to_bytes()), Some(a));
    }

    #[test]
    fn one_template_filled_twice_names_different_things() {
        let a = "On 9 November 2023, members of Awami League staged a protest rally in \
                 Dhaka - Uttara (Uttara), against the blockade.";
        let b = "On 9 November 2023, members of Awami League staged a protest rally in \
                 Dhaka - Mirpur (Pallabi), against the blockade.";
        assert!(names_differ(a, b));
        let copy = format!("Latest news from Bangladesh\n\n{a}\n\nShare this article");
        assert!(!names_differ(a, &copy));
        assert_eq!(
            names("Police said. Gunmen attacked Kulachi on Friday"),
            ["Friday", "Kulachi"].into()
        );
    }

    #[test]
    fn a_word_that_starts_a_sentence_in_either_text_is_no_name() {
        // An ACLED note whose remark has no full stop, and another outlet's
        // telling with the sentences reordered: "As" now follows "[size=many]".
        let note = "On 9 October 2020, many students held a demonstration in Palembang city. \
                    As he refused, the students threw rocks at him. The police evacuated him. \
                    [size=many]";
        let para = "On 9 October 2020, many students held a demonstration in Palembang city. \
                    The police evacuated him. [size=many] As he refused, the students threw \
                    rocks at him.";
        let copy = format!("Latest news from Indonesia\n\n{note}\n\nShare this article");
        assert!(names(para).contains("As"));
        assert!(!names_differ(&copy, para));
        assert!(!tell_apart(&copy, para));
    }

    /// Each row: two near-identical reports of a running event, and
    /// whether they count different days of it.
    #[test]
    fn reports_of_different_days_of_a_running_event_tell_apart() {
        let sit_in = |day: &str| {
            format!(
                "Durg Rural Youth Congress activists staged a demonstration{day} at Station \
                 Maroda slums area to demand rehabilitation of 600 slum dwellers."
            )
        };
        let blockade = |n: &str| {
            format!(
                "On the {n} day (16/01) of the countrywide indefinite blockade enforced by the \
                 BNP-led 20-party alliance, a bus was torched in Rampura"
            )
        };
        let table: &[(String, String, bool)] = &[
            (sit_in(""), sit_in(" for the third day"), true),
            (
                sit_in(" for the third day"),
                sit_in(" for the fourth day"),
                true,
            ),
            (
                sit_in(" for the third day"),
                sit_in(" for the third day"),
                false,
            ),
            (blockade("11th"), blockade("12th"), true),
            (
                blockade("11th"),
                format!("Latest news\n\n{}", blockade("11th")),
                false,
            ),
            (
                "Farmers of KRRS begin an indefinite protest over water access. Day 1.".into(),
                "Farmers of KRRS begin an indefinite protest over water access. Day 49.".into(),
                true,
            ),
        ];
        for (a, b, apart) in table {
            assert_eq!(tell_apart(a, b), *apart, "{a} / {b}");
        }
        assert_eq!(
            day_counts(&blockade("11th")),
            ["11th day".to_string()].into()
        );
    }

    #[test]
    fn a_headline_alone_has_no_sketch() {
        assert_eq!(Sketch::of("Bomb kills 11 in Pakistan"), None);
    }
}
