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
use crate::model::Document;
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

/// The folded key of token `i` when it lies in sentence `s`, else "": the
/// finders look a few tokens either way without crossing the sentence.
pub(crate) fn sentence_key<'d>(
    doc: &'d Document,
    s: usize,
) -> impl Fn(usize) -> &'d str + Copy + 'd {
    let (first, last) = doc.sentences[s].tokens;
    move |i: usize| {
        if i >= first && i < last {
            doc.tokens[i].key.as_str()
        } else {
            ""
        }
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
