//! How the cost of coding grows with a document's length: one long page
//! made of real paragraphs, timed at several sizes. `warcoder bench
//! --scaling` reports it and a test asserts its shape (time per KB roughly
//! constant), as ratios inside one run, never against a wall-clock limit.

use std::time::{Duration, Instant};

use crate::Resources;

/// One document of at least `bytes` bytes: the paragraphs in turn, again
/// from the first when they run out, separated by blank lines.
pub fn long_document(paragraphs: &[&str], bytes: usize) -> String {
    let paragraphs: Vec<&str> = paragraphs
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = String::with_capacity(bytes + 4096);
    if paragraphs.is_empty() {
        return out;
    }
    for p in paragraphs.iter().cycle() {
        if out.len() >= bytes {
            break;
        }
        out.push_str(p);
        out.push_str("\n\n");
    }
    out
}

/// The fastest of `repeat` codings of `text` as one document, per KB.
pub fn time_per_kb(text: &str, res: &Resources, repeat: usize) -> Duration {
    let kb = (text.len() as f64 / 1024.0).max(1.0);
    (0..repeat.max(1))
        .map(|_| {
            let start = Instant::now();
            let out = crate::extract_text(text, None, res);
            std::hint::black_box(out);
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
        .div_f64(kb)
}

/// The scan limit: one Aho-Corasick pass of every gazetteer name over the
/// text (case-insensitive, matches counted only on word boundaries). No
/// coder that looks places up in the text can be faster than reading it
/// once for them; the pipeline's speed is reported as a share of this.
pub struct ScanReference {
    automaton: aho_corasick::AhoCorasick,
    pub patterns: usize,
}

impl ScanReference {
    pub fn new(res: &Resources) -> Self {
        let keys: Vec<String> = res
            .gazetteer
            .name_keys()
            .into_iter()
            .filter(|k| k.len() >= 3)
            .collect();
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&keys)
            .expect("the gazetteer's names build one automaton");
        ScanReference {
            automaton,
            patterns: keys.len(),
        }
    }

    /// Word-bounded name matches in `text`.
    pub fn scan(&self, text: &str) -> usize {
        let b = text.as_bytes();
        let word = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
        self.automaton
            .find_iter(text)
            .filter(|m| !word(m.end()) && (m.start() == 0 || !word(m.start() - 1)))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_reference_finds_place_names_on_word_boundaries() {
        let scan = ScanReference::new(Resources::shared());
        assert!(scan.patterns > 100_000, "{}", scan.patterns);
        assert!(scan.scan("Gunmen attacked Maiduguri and Kano.") >= 2);
        assert_eq!(scan.scan("zzqxv qqzzx"), 0);
    }

    #[test]
    fn a_long_document_reaches_its_size_from_the_paragraphs_in_turn() {
        let doc = long_document(&["One.", "", "Two."], 20);
        assert!(doc.len() >= 20);
        assert!(doc.starts_with("One.\n\nTwo.\n\nOne.\n\n"), "{doc:?}");
        assert_eq!(long_document(&["", " "], 10), "");
    }

    /// The paragraphs of the bundled test articles: real news text.
    fn article_paragraphs() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/articles");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("tests/articles is in the repository")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        files
            .iter()
            .flat_map(|f| {
                let text = std::fs::read_to_string(f).unwrap();
                text.split("\n\n").map(String::from).collect::<Vec<_>>()
            })
            .collect()
    }

    /// Linear in the document: a page 16 times longer costs about 16 times
    /// as much. Per-sentence rules that scanned every mention of the whole
    /// document made a 256 KB page cost 13 times more per KB than a 16 KB
    /// one. The bound is loose (3×) because timings on a busy machine are
    /// noisy; the best of three passes is compared.
    #[test]
    fn time_per_kb_is_flat_from_16_to_256_kb() {
        let res = Resources::shared();
        let paragraphs = article_paragraphs();
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let small = long_document(&paragraphs, 16 * 1024);
        let large = long_document(&paragraphs, 256 * 1024);
        let small_per_kb = time_per_kb(&small, res, 3);
        let large_per_kb = time_per_kb(&large, res, 3);
        let ratio = large_per_kb.as_secs_f64() / small_per_kb.as_secs_f64();
        eprintln!("time per KB: 16 KB {small_per_kb:?}, 256 KB {large_per_kb:?}, ratio {ratio:.2}");
        assert!(
            ratio < 3.0,
            "256 KB costs {ratio:.1}x more per KB than 16 KB ({large_per_kb:?} vs {small_per_kb:?} per KB)"
        );
    }
}
