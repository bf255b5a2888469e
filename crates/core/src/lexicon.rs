//! Lexicons are data files under `data/`, embedded in the binary and compiled
//! once into Aho-Corasick automata over token keys. A match must start and
//! end on token boundaries; acronyms in an alias ("IS", "HTS", "IS group")
//! match only when the text has them in capitals too.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::model::Token;
use crate::segment::phrase_tokens;

/// Rows of a tab-separated data file: `#` comments and the header skipped.
pub fn tsv_rows(content: &str) -> impl Iterator<Item = Vec<&str>> {
    content
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// Field `i` of a row, or "" when the row is short.
pub fn field<'a>(row: &[&'a str], i: usize) -> &'a str {
    row.get(i).copied().unwrap_or("")
}

/// The token keys of a sentence (or document) joined by spaces, each key
/// followed by one space, with the offset where each token's key starts.
pub struct KeyStream {
    text: String,
    starts: Vec<usize>,
}

impl KeyStream {
    pub fn new(tokens: &[Token]) -> Self {
        let mut text = String::with_capacity(tokens.len() * 6);
        let mut starts = Vec::with_capacity(tokens.len() + 1);
        for t in tokens {
            starts.push(text.len());
            text.push_str(&t.key);
            text.push(' ');
        }
        starts.push(text.len());
        KeyStream { text, starts }
    }

    /// The token index whose key starts at byte `offset` of the stream.
    fn token_at(&self, offset: usize) -> Option<usize> {
        self.starts.binary_search(&offset).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Token range `[first, last)` relative to the stream's tokens.
    pub tokens: (usize, usize),
    /// The entry the phrase belongs to.
    pub entry: usize,
}

/// Phrases of one lexicon, compiled.
pub struct PhraseMatcher {
    ac: AhoCorasick,
    /// For each distinct key: the entries that share it, each with its
    /// capitals pattern when the surface form is an acronym.
    variants: Vec<Vec<(usize, Option<Vec<bool>>)>>,
}

impl PhraseMatcher {
    /// `phrases`: (surface form, entry index). Words of a surface form
    /// written in capitals (acronyms) match only capitalised text.
    pub fn new<'a>(phrases: impl IntoIterator<Item = (&'a str, usize)>) -> Self {
        let mut keys: Vec<String> = Vec::new();
        let mut by_key: std::collections::HashMap<String, usize> = Default::default();
        let mut variants: Vec<Vec<(usize, Option<Vec<bool>>)>> = Vec::new();
        for (phrase, entry) in phrases {
            let toks = phrase_tokens(phrase);
            if toks.is_empty() {
                continue;
            }
            let mut key = String::new();
            for t in &toks {
                key.push_str(&t.key);
                key.push(' ');
            }
            // Words of the phrase written in capitals (acronyms of two letters
            // or more) must be in capitals in the text too.
            let acronym =
                |t: &Token| t.all_caps && t.key.chars().filter(|c| c.is_alphabetic()).count() >= 2;
            let caps = toks
                .iter()
                .any(acronym)
                .then(|| toks.iter().map(acronym).collect());
            let idx = *by_key.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                variants.push(Vec::new());
                variants.len() - 1
            });
            if !variants[idx].iter().any(|(e, c)| *e == entry && *c == caps) {
                variants[idx].push((entry, caps));
            }
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&keys)
            .expect("lexicon phrases compile");
        PhraseMatcher { ac, variants }
    }

    /// Every match over `tokens` (the tokens `stream` was built from): the
    /// longest phrase at each token wins, matches do not overlap, and entries
    /// sharing one phrase all get a match.
    pub fn find(&self, stream: &KeyStream, tokens: &[Token]) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let mut limit = stream.text.len();
            let mut next = i + 1;
            // The longest phrase may fail its case check; then try shorter ones.
            while limit > stream.starts[i] {
                let input = Input::new(&stream.text)
                    .range(stream.starts[i]..limit)
                    .anchored(Anchored::Yes);
                let Some(m) = self.ac.find(input) else { break };
                let Some(end_tok) = stream.token_at(m.end()) else {
                    break;
                };
                let before = out.len();
                for (entry, caps) in &self.variants[m.pattern().as_usize()] {
                    if case_ok(caps.as_deref(), &tokens[i..end_tok]) {
                        out.push(PhraseMatch {
                            tokens: (i, end_tok),
                            entry: *entry,
                        });
                    }
                }
                if out.len() > before {
                    next = end_tok;
                    break;
                }
                limit = m.end() - 1;
            }
            i = next;
        }
        out
    }
}

fn case_ok(caps: Option<&[bool]>, toks: &[Token]) -> bool {
    match caps {
        None => true,
        Some(caps) => {
            caps.len() == toks.len() && caps.iter().zip(toks).all(|(c, t)| !c || t.all_caps)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::phrase_tokens;

    #[test]
    fn matches_on_token_boundaries_with_acronym_case() {
        let m = PhraseMatcher::new([
            ("Islamic State", 0),
            ("IS", 0),
            ("state media", 1),
            ("this", 2),
        ]);
        let toks = phrase_tokens("The Islamic State (IS) group, this is what state media said.");
        let ks = KeyStream::new(&toks);
        let found: Vec<(usize, usize)> = m
            .find(&ks, &toks)
            .iter()
            .map(|f| (f.tokens.0, f.entry))
            .collect();
        // "is" in lowercase is not the acronym IS.
        assert_eq!(found, [(1, 0), (4, 0), (8, 2), (11, 1)]);
    }

    #[test]
    fn longest_phrase_wins_and_falls_back_when_case_fails() {
        let m = PhraseMatcher::new([("car bomb", 0), ("car", 1), ("IS group", 2), ("is", 3)]);
        let toks = phrase_tokens("a car bomb; is group");
        let ks = KeyStream::new(&toks);
        let found: Vec<usize> = m.find(&ks, &toks).iter().map(|f| f.entry).collect();
        assert_eq!(found, [0, 3]);
    }
}
