//! Stage 3: mentions. Each recogniser reads sentences and tokens and adds one
//! kind of annotation: dates, numbers and tolls, actors, event triggers,
//! attributions and places.

pub mod actors;
pub mod attributions;
pub mod dates;
pub mod numbers;
pub mod persons;
pub mod places;
#[cfg(test)]
mod properties;
pub mod tolls;
pub mod triggers;

use crate::lexicon::KeyStream;
use crate::model::{Document, Token};
use crate::Resources;

/// Run every recogniser over the document.
pub fn recognise(doc: &mut Document, res: &Resources) {
    let stream = KeyStream::new(&doc.tokens);
    let mut dates = Vec::new();
    for s in 0..doc.sentences.len() {
        dates.extend(dates::find_dates(doc, s));
    }
    doc.dates = dates;
    // Actors first: a figure may count them ("7 Taliban militants were killed").
    doc.actors = actors::find_actors(doc, res, &stream);
    let mut numbers = Vec::new();
    let mut tolls = Vec::new();
    for s in 0..doc.sentences.len() {
        // Dates do not cross sentences: the sentence's own are the ones to skip.
        let date_tokens: Vec<(usize, usize)> = crate::model::of_sentence(&doc.dates, s)
            .iter()
            .map(|d| d.tokens)
            .collect();
        let nums = numbers::find_numbers(doc, s, &date_tokens);
        tolls.extend(tolls::find_tolls(doc, s, &nums, &res.toll_words));
        numbers.extend(nums);
    }
    doc.numbers = numbers;
    doc.tolls = tolls;
    doc.triggers = triggers::find_triggers(doc, res, &stream);
    doc.attributions = attributions::find_attributions(doc, res, &stream);
    doc.places = places::find_places(doc, res, &stream);
}

/// True when token `i` lies inside any of `ranges`.
pub(crate) fn covered(ranges: impl IntoIterator<Item = (usize, usize)>, i: usize) -> bool {
    ranges.into_iter().any(|(a, b)| i >= a && i < b)
}

/// The tokens that lie inside any of a fixed set of ranges: built once, then
/// asked per token in constant time (scanning the ranges for every token of
/// a long page made the finders quadratic).
pub(crate) struct TokenMask(Vec<bool>);

impl TokenMask {
    pub(crate) fn new(tokens: usize, ranges: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut mask = vec![false; tokens];
        for (a, b) in ranges {
            for m in mask.iter_mut().take(b).skip(a) {
                *m = true;
            }
        }
        TokenMask(mask)
    }

    pub(crate) fn covers(&self, i: usize) -> bool {
        self.0.get(i).copied().unwrap_or(false)
    }
}

/// One sentence as a finder reads it: its token range and its tokens' folded
/// keys, "" outside the sentence, so that a rule may look a few tokens
/// either way without crossing it. Every finder starts from one of these
/// instead of working out the range and a key function itself.
#[derive(Clone, Copy)]
pub(crate) struct Sentence<'d> {
    pub doc: &'d Document,
    /// The sentence's index in `doc.sentences`.
    pub index: usize,
    /// Its tokens are `first..last`.
    pub first: usize,
    pub last: usize,
}

impl<'d> Sentence<'d> {
    pub(crate) fn new(doc: &'d Document, s: usize) -> Self {
        let (first, last) = doc.sentences[s].tokens;
        Sentence {
            doc,
            index: s,
            first,
            last,
        }
    }

    /// The folded key of token `i`, "" outside the sentence.
    pub(crate) fn key(&self, i: usize) -> &'d str {
        self.tok(i).map_or("", |t| t.key.as_str())
    }

    /// Token `i` when it lies in the sentence.
    pub(crate) fn tok(&self, i: usize) -> Option<&'d Token> {
        (i >= self.first && i < self.last).then(|| &self.doc.tokens[i])
    }

    /// The document's tokens (indices are the document's).
    pub(crate) fn tokens(&self) -> &'d [Token] {
        &self.doc.tokens
    }
}

/// The text of every place mention of `text` (for the recognisers' tests).
#[cfg(test)]
pub(crate) fn place_texts(text: &str) -> Vec<String> {
    let res = Resources::shared();
    let doc = crate::annotate_text(text, None, res);
    doc.places
        .iter()
        .map(|m| doc.slice(m.span).to_string())
        .collect()
}
