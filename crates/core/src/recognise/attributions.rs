//! Who says so: "state media said", "according to the Observatory", "police
//! said", "X told AFP", "said a medical source", or a named person or group
//! before a reporting verb.

use crate::lexicon::{field, tsv_rows, KeyStream, PhraseMatcher};
use crate::model::{Attribution, Document, TokenKind};
use crate::Resources;

pub struct AttributionLexicon {
    /// For each entry: Some(printed source name) for sources, None for verbs.
    pub entries: Vec<Option<String>>,
    matcher: PhraseMatcher,
    phrases: Vec<String>,
}

impl AttributionLexicon {
    pub fn from_tsv(content: &str) -> Self {
        let mut entries = Vec::new();
        let mut phrases = Vec::new();
        for r in tsv_rows(content) {
            phrases.push(field(&r, 0).to_string());
            entries.push((field(&r, 1) == "source").then(|| field(&r, 2).to_string()));
        }
        let matcher = PhraseMatcher::new(phrases.iter().enumerate().map(|(i, p)| (p.as_str(), i)));
        AttributionLexicon {
            entries,
            matcher,
            phrases,
        }
    }

    pub fn phrase(&self, entry: usize) -> &str {
        &self.phrases[entry]
    }
}

/// News agencies that relay a statement rather than make it ("told AFP").
fn is_channel(name: &str) -> bool {
    matches!(name, "Reuters" | "AFP" | "AP" | "Al Jazeera" | "BBC")
}

pub fn find_attributions(doc: &Document, res: &Resources, stream: &KeyStream) -> Vec<Attribution> {
    let lex = &res.attributions;
    let toks = &doc.tokens;
    let matches = lex.matcher.find(stream, toks);
    let mut out = Vec::new();
    for (mi, m) in matches.iter().enumerate() {
        if lex.entries[m.entry].is_some() {
            continue;
        }
        let verb = m.tokens;
        let s = toks[verb.0].sentence;
        let first = doc.sentences[s].tokens.0;
        let last = doc.sentences[s].tokens.1;
        // A source just before the verb ("state media said", "police say").
        // Commas and sentence adverbs between them do not count ("The
        // district police officer, however, put the number of dead at 12").
        let gap = |from: usize| {
            (from..verb.0)
                .filter(|&i| {
                    !matches!(
                        toks[i].key.as_str(),
                        "," | "however" | "though" | "also" | "later" | "separately"
                    )
                })
                .count()
        };
        let before = matches[..mi].iter().rev().find(|p| {
            lex.entries[p.entry].is_some()
                && p.tokens.1 <= verb.0
                && gap(p.tokens.1) <= 2
                && verb.0 - p.tokens.1 <= 5
                && toks[p.tokens.0].sentence == s
        });
        // "an official at a city hospital, who spoke on condition of anonymity, said":
        // the subject before a relative clause.
        let before = before.or_else(|| {
            matches[..mi].iter().rev().find(|p| {
                lex.entries[p.entry].is_some()
                    && p.tokens.1 <= verb.0
                    && toks[p.tokens.0].sentence == s
                    && (p.tokens.1..verb.0).any(|i| toks[i].key == "who")
                    && !(p.tokens.1..verb.0).any(|i| matches!(toks[i].key.as_str(), "." | ";"))
            })
        });
        // ... or just after ("said state media", "told AFP" is a channel).
        let after = matches[mi + 1..].iter().find(|p| {
            lex.entries[p.entry].is_some()
                && p.tokens.0 >= verb.1
                && p.tokens.0 - verb.1 <= 1
                && toks[p.tokens.0].sentence == s
        });
        let pick =
            |p: &crate::lexicon::PhraseMatch| lex.entries[p.entry].clone().unwrap_or_default();
        let mut found: Option<(usize, String)> = None;
        if let Some(p) = before {
            found = Some((p.tokens.0, pick(p)));
        } else if let Some(a) = doc.actors.iter().find(|a| {
            a.sentence == s
                && a.tokens.1 <= verb.0
                && (verb.0 - a.tokens.1 <= 1
                    // "A health worker at a clinic in Dabat said": the
                    // speaker, then where they are.
                    || (verb.0 - a.tokens.1 <= 7
                        && matches!(toks[a.tokens.1].key.as_str(), "at" | "in" | "from" | "of")
                        && (a.tokens.1..verb.0).all(|i| {
                            toks[i].kind == TokenKind::Word
                                && !doc.actors.iter().any(|o| o.tokens.0 == i)
                        })))
        }) {
            found = Some((a.tokens.0, res.actors.display_name(a, doc, res)));
        } else if let Some(p) = after.filter(|p| !is_channel(&pick(p))) {
            found = Some((verb.0, pick(p)));
        } else if verb.0 > first {
            // A capitalised name before the verb ("Rami Abdel Rahman said").
            let mut j = verb.0;
            while j > first
                && toks[j - 1].capitalised
                && toks[j - 1].kind == TokenKind::Word
                && verb.0 - j < 4
            {
                j -= 1;
            }
            if verb.0 - j >= 2 {
                found = Some((j, doc.token_text((j, verb.0)).to_string()));
            }
        }
        if let Some((start, source)) = found {
            let end = after
                .filter(|p| !is_channel(&pick(p)))
                .map_or(verb.1, |p| p.tokens.1)
                .min(last);
            out.push(Attribution {
                span: doc.token_span((start.min(verb.0), end.max(verb.1))),
                tokens: (start.min(verb.0), end.max(verb.1)),
                sentence: s,
                source,
            });
        }
    }
    // "according to the Observatory"
    for (si, sent) in doc.sentences.iter().enumerate() {
        let (first, last) = sent.tokens;
        for i in first..last.saturating_sub(1) {
            if toks[i].key != "according" || toks[i + 1].key != "to" {
                continue;
            }
            let src = matches.iter().find(|p| {
                lex.entries[p.entry].is_some() && p.tokens.0 >= i + 2 && p.tokens.0 <= i + 3
            });
            let source = match src {
                Some(p) => Some((p.tokens.1, lex.entries[p.entry].clone().unwrap_or_default())),
                None => doc
                    .actors
                    .iter()
                    .find(|a| a.tokens.0 >= i + 2 && a.tokens.0 <= i + 3)
                    .map(|a| (a.tokens.1, res.actors.display_name(a, doc, res))),
            };
            if let Some((end, source)) = source {
                out.push(Attribution {
                    span: doc.token_span((i, end)),
                    tokens: (i, end),
                    sentence: si,
                    source,
                });
            }
        }
    }
    out.sort_by_key(|a| a.tokens);
    out
}
