//! Stage 2: sentences and tokens. Sentences come from `sentencex` over each
//! text block; tokens are our own so that every token keeps its byte span and
//! a folded key. Hyphens between letters do not make tokens ("al-Shabaab" and
//! "al Shabaab" give the same keys), which is what lexicon matching wants.

use crate::model::{BlockKind, Document, Sentence, Token, TokenKind};
use crate::text::{fold, is_apostrophe, is_dash, is_space};

/// Split every kept block into sentences and tokens.
pub fn segment(doc: &mut Document) {
    let mut sentences = Vec::new();
    let mut tokens = Vec::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        let headline = match block.kind {
            BlockKind::Body => false,
            // A dateline names a place (and maybe a date) but reports no act.
            BlockKind::Title | BlockKind::Standfirst | BlockKind::Dateline => true,
            _ => continue,
        };
        let [bs, be] = block.span;
        let block_text = &doc.text[bs..be];
        for b in sentencex::get_sentence_boundaries("en", block_text) {
            let (s, e) = crate::text::trim_span(&doc.text, bs + b.start_byte, bs + b.end_byte);
            if s >= e {
                continue;
            }
            let first = tokens.len();
            tokenize_into(&doc.text, s, e, sentences.len(), &mut tokens);
            if tokens.len() == first {
                continue;
            }
            sentences.push(Sentence {
                span: [s, e],
                block: bi,
                tokens: (first, tokens.len()),
                headline,
            });
        }
    }
    doc.sentences = sentences;
    doc.tokens = tokens;
}

/// Tokenise `text[start..end]`, appending to `out` with absolute spans.
pub fn tokenize_into(text: &str, start: usize, end: usize, sentence: usize, out: &mut Vec<Token>) {
    let slice = &text[start..end];
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        if is_space(c) {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            // A word runs over letters, digits, inner apostrophes and inner
            // number separators ("290,000", "1.5"); possessive 's is split off.
            let mut j = i + 1;
            while j < chars.len() {
                let cj = chars[j].1;
                let next_alnum = chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric());
                let inner_apostrophe = is_apostrophe(cj) && next_alnum && !is_possessive(&chars, j);
                let separator = (cj == ',' || cj == '.')
                    && chars[j - 1].1.is_ascii_digit()
                    && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit());
                if cj.is_alphanumeric() || inner_apostrophe || separator {
                    j += 1;
                } else {
                    break;
                }
            }
            let s = start + off;
            let e = start + chars.get(j).map_or(slice.len(), |x| x.0);
            push_word(text, s, e, sentence, out);
            i = j;
            continue;
        }
        if is_apostrophe(c) && is_possessive(&chars, i) {
            let s = start + off;
            let e = start + chars.get(i + 2).map_or(slice.len(), |x| x.0);
            out.push(Token {
                span: [s, e],
                key: "'s".into(),
                kind: TokenKind::Word,
                capitalised: false,
                all_caps: false,
                sentence,
            });
            i += 2;
            continue;
        }
        if is_dash(c) {
            // A hyphen inside a word ("rebel-held", "twenty-five") is not a token.
            let prev_alnum = i > 0 && chars[i - 1].1.is_alphanumeric();
            let next_alnum = chars.get(i + 1).is_some_and(|n| n.1.is_alphanumeric());
            if prev_alnum && next_alnum {
                i += 1;
                continue;
            }
        }
        let s = start + off;
        let e = start + chars.get(i + 1).map_or(slice.len(), |x| x.0);
        let key = if is_apostrophe(c) {
            "'".to_string()
        } else if is_dash(c) {
            "-".to_string()
        } else if matches!(c, '“' | '”' | '„' | '«' | '»') {
            "\"".to_string()
        } else {
            c.to_string()
        };
        out.push(Token {
            span: [s, e],
            key,
            kind: TokenKind::Punct,
            capitalised: false,
            all_caps: false,
            sentence,
        });
        i += 1;
    }
}

fn is_possessive(chars: &[(usize, char)], i: usize) -> bool {
    is_apostrophe(chars[i].1)
        && i > 0
        && chars[i - 1].1.is_alphanumeric()
        && chars.get(i + 1).is_some_and(|n| n.1 == 's' || n.1 == 'S')
        && chars.get(i + 2).is_none_or(|n| !n.1.is_alphanumeric())
}

fn push_word(text: &str, s: usize, e: usize, sentence: usize, out: &mut Vec<Token>) {
    let w = &text[s..e];
    let first = w.chars().next().unwrap_or(' ');
    let kind = if first.is_ascii_digit() {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    out.push(Token {
        span: [s, e],
        key: fold(w),
        kind,
        capitalised: first.is_uppercase(),
        all_caps: !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()),
        sentence,
    });
}

/// Keys of a phrase as the tokenizer would produce them ("al-Shabaab" ->
/// ["al", "shabaab"]); used to compile lexicon entries.
pub fn phrase_keys(phrase: &str) -> Vec<String> {
    let mut toks = Vec::new();
    tokenize_into(phrase, 0, phrase.len(), 0, &mut toks);
    toks.into_iter().map(|t| t.key).collect()
}

/// Tokens of a phrase, with their case flags (used for case-sensitive aliases).
pub fn phrase_tokens(phrase: &str) -> Vec<Token> {
    let mut toks = Vec::new();
    tokenize_into(phrase, 0, phrase.len(), 0, &mut toks);
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<String> {
        phrase_keys(s)
    }

    #[test]
    fn hyphens_and_apostrophes() {
        assert_eq!(keys("al-Shabaab"), ["al", "shabaab"]);
        assert_eq!(keys("Da’ish claims"), ["da'ish", "claims"]);
        assert_eq!(keys("Assad's government"), ["assad", "'s", "government"]);
        assert_eq!(keys("twenty-five"), ["twenty", "five"]);
        assert_eq!(keys("290,000 people."), ["290,000", "people", "."]);
        assert_eq!(keys("(IS) group"), ["(", "is", ")", "group"]);
    }

    #[test]
    fn spans_point_into_text() {
        let t = "At\u{a0}least 4 — killed";
        let mut toks = Vec::new();
        tokenize_into(t, 0, t.len(), 0, &mut toks);
        let words: Vec<&str> = toks.iter().map(|k| &t[k.span[0]..k.span[1]]).collect();
        assert_eq!(words, ["At", "least", "4", "—", "killed"]);
    }
}
