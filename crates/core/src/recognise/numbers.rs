//! Numbers as news writes them: digits with separators ("290,000", "1 200"),
//! words ("four", "twenty-five", "a hundred and twelve", "a dozen"), vague
//! quantities converted as ACLED does (tens 10, dozens 12, scores 20,
//! hundreds 100, thousands 1000), qualifiers ("at least", "nearly") and
//! ranges ("between 10 and 15", "10 to 15", "10-15").

use crate::model::{Document, NumberMention, Quantity, Token, TokenKind};

/// The value of a number word, "zero" to "ninety": the one table of number
/// words (the date offsets read it too: "three days ago").
pub(crate) fn number_word(w: &str) -> Option<u64> {
    Some(match w {
        "zero" | "no" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn scale(w: &str) -> Option<u64> {
    Some(match w {
        "hundred" => 100,
        "thousand" => 1000,
        "million" => 1_000_000,
        _ => return None,
    })
}

/// Vague plurals, as ACLED converts them.
fn vague(w: &str) -> Option<u64> {
    Some(match w {
        "tens" => 10,
        "dozens" => 12,
        "scores" => 20,
        "hundreds" => 100,
        "thousands" => 1000,
        _ => return None,
    })
}

/// Qualifier phrases before a number, longest first, with the form we record.
const QUALIFIERS: &[(&[&str], &str)] = &[
    (&["as", "many", "as"], "up to"),
    (&["in", "excess", "of"], "more than"),
    (&["at", "least"], "at least"),
    (&["more", "than"], "more than"),
    (&["upwards", "of"], "more than"),
    (&["up", "to"], "up to"),
    (&["at", "most"], "up to"),
    (&["fewer", "than"], "fewer than"),
    (&["less", "than"], "fewer than"),
    (&["close", "to"], "nearly"),
    (&["an", "estimated"], "about"),
    (&["over"], "more than"),
    (&["nearly"], "nearly"),
    (&["almost"], "nearly"),
    (&["about"], "about"),
    (&["around"], "about"),
    (&["some"], "about"),
    (&["approximately"], "about"),
    (&["roughly"], "about"),
    (&["least"], "at least"),
];

/// Parse a digit token: "48", "290,000", "1.5".
fn digits(t: &Token) -> Option<f64> {
    if t.kind != TokenKind::Number {
        return None;
    }
    let clean: String = t.key.chars().filter(|c| *c != ',').collect();
    clean.parse::<f64>().ok()
}

/// A number starting at token `i` (without qualifier): value and end token.
fn number_at(toks: &[Token], i: usize, text: &str) -> Option<(u64, usize, bool)> {
    let t = &toks[i];
    if let Some(v) = digits(t) {
        let mut value = v;
        let mut end = i + 1;
        // "1 200": a group of three digits separated by a space.
        while let Some(n) = toks.get(end) {
            if n.kind == TokenKind::Number
                && n.key.len() == 3
                && n.key.chars().all(|c| c.is_ascii_digit())
                && value.fract() == 0.0
                && value < 1000.0
                && text[toks[end - 1].span[1]..n.span[0]]
                    .chars()
                    .all(|c| c == ' ' || c == '\u{a0}' || c == '\u{202f}')
                && !text[toks[end - 1].span[1]..n.span[0]].is_empty()
            {
                value = value * 1000.0 + n.key.parse::<f64>().unwrap_or(0.0);
                end += 1;
            } else {
                break;
            }
        }
        if let Some(s) = toks.get(end).and_then(|n| scale(&n.key)) {
            value *= s as f64;
            end += 1;
        }
        return Some((value as u64, end, false));
    }
    if let Some(v) = vague(&t.key) {
        return Some((v, i + 1, true));
    }
    // Word numbers: "a dozen", "two dozen", "a hundred and twelve", "twenty-five".
    let mut j = i;
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut any = false;
    if (t.key == "a" || t.key == "an")
        && toks
            .get(i + 1)
            .is_some_and(|n| scale(&n.key).is_some() || n.key == "dozen")
    {
        current = 1;
        j += 1;
        any = true;
    }
    while let Some(n) = toks.get(j) {
        if let Some(u) = number_word(&n.key).filter(|_| n.key != "no") {
            current += u;
            any = true;
            j += 1;
        } else if n.key == "dozen" && any {
            current = current.max(1) * 12;
            j += 1;
        } else if let Some(s) = scale(&n.key).filter(|_| any) {
            if s >= 1000 {
                total += current.max(1) * s;
                current = 0;
            } else {
                current = current.max(1) * s;
            }
            j += 1;
        } else if n.key == "and"
            && any
            && j > i
            && scale(&toks[j - 1].key).is_some()
            && toks
                .get(j + 1)
                .is_some_and(|m| number_word(&m.key).is_some())
        {
            // "a hundred and twelve", not "five and seven".
            j += 1;
        } else {
            break;
        }
    }
    any.then_some((total + current, j, false))
}

/// Find every number in a sentence, skipping tokens in `skip` (dates).
pub fn find_numbers(
    doc: &Document,
    sentence: usize,
    skip: &[(usize, usize)],
) -> Vec<NumberMention> {
    let (first, last) = doc.sentences[sentence].tokens;
    let toks = &doc.tokens[..last];
    let mut out = Vec::new();
    let mut i = first;
    while i < last {
        if skip.iter().any(|&(a, b)| i >= a && i < b) {
            i += 1;
            continue;
        }
        // "no one was hurt" is a negation, not the number one.
        if toks[i].key == "one" && i > first && toks[i - 1].key == "no" {
            i += 1;
            continue;
        }
        let Some((value, mut end, is_vague)) = number_at(toks, i, &doc.text) else {
            i += 1;
            continue;
        };
        // Years are dates, not counts.
        if !is_vague
            && (1900..=2100).contains(&value)
            && toks[i].kind == TokenKind::Number
            && toks[i].key.len() == 4
        {
            i = end;
            continue;
        }
        let mut q = Quantity {
            low: value,
            high: value,
            vague: is_vague,
            qualifier: None,
        };
        let mut start = i;
        // Ranges: "between 10 and 15", "10 to 15", "10-15", "two or three".
        if let Some(sep) = toks.get(end).filter(|_| end < last) {
            let hyphen = doc.text[toks[end - 1].span[1]..sep.span[0]].contains(['-', '–']);
            let joiner = matches!(sep.key.as_str(), "to" | "or" | "and") || hyphen;
            let next = if hyphen && sep.kind == TokenKind::Number {
                end
            } else {
                end + 1
            };
            if joiner && next < last {
                if let Some((v2, e2, _)) = number_at(toks, next, &doc.text) {
                    let ok_and =
                        sep.key != "and" || (start > first && toks[start - 1].key == "between");
                    if v2 > value && ok_and {
                        q.high = v2;
                        end = e2;
                    }
                }
            }
        }
        if start > first && toks[start - 1].key == "between" && q.high > q.low {
            start -= 1;
        }
        for (words, form) in QUALIFIERS {
            let n = words.len();
            if start >= first + n
                && toks[start - n..start]
                    .iter()
                    .zip(words.iter())
                    .all(|(t, w)| t.key == *w)
            {
                q.qualifier = Some(form);
                start -= n;
                break;
            }
        }
        out.push(NumberMention {
            span: [toks[start].span[0], toks[end - 1].span[1]],
            tokens: (start, end),
            quantity: q,
        });
        i = end;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::model::{Block, BlockKind, Document, InputMeta, SpanBasis};

    /// A one-block document, cleaned and segmented, for recogniser tests.
    pub(crate) fn doc_of(text: &str) -> Document {
        let mut d = Document::new(
            String::new(),
            text.into(),
            SpanBasis::Input,
            InputMeta::default(),
        );
        d.blocks = vec![Block {
            span: [0, text.len()],
            kind: BlockKind::Body,
        }];
        crate::segment::segment(&mut d);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::doc_of;
    use super::*;

    fn q(text: &str) -> Vec<(u64, u64, bool, Option<&'static str>)> {
        let d = doc_of(text);
        find_numbers(&d, 0, &[])
            .into_iter()
            .map(|n| {
                (
                    n.quantity.low,
                    n.quantity.high,
                    n.quantity.vague,
                    n.quantity.qualifier,
                )
            })
            .collect()
    }

    #[test]
    fn number_forms() {
        assert_eq!(q("at least 48 people"), [(48, 48, false, Some("at least"))]);
        assert_eq!(
            q("more than 290,000 people"),
            [(290_000, 290_000, false, Some("more than"))]
        );
        assert_eq!(q("some 1 200 people"), [(1200, 1200, false, Some("about"))]);
        assert_eq!(q("twenty-five soldiers"), [(25, 25, false, None)]);
        assert_eq!(q("a hundred and twelve bodies"), [(112, 112, false, None)]);
        assert_eq!(q("a dozen villagers"), [(12, 12, false, None)]);
        assert_eq!(q("killed dozens"), [(12, 12, true, None)]);
        assert_eq!(q("hundreds fled"), [(100, 100, true, None)]);
        assert_eq!(q("between 10 and 15 dead"), [(10, 15, false, None)]);
        assert_eq!(q("10 to 15 dead"), [(10, 15, false, None)]);
        assert_eq!(q("10-15 dead"), [(10, 15, false, None)]);
        assert_eq!(q("two or three dead"), [(2, 3, false, None)]);
        assert_eq!(q("nearly 50 lives"), [(50, 50, false, Some("nearly"))]);
        assert_eq!(q("in 2016 there"), []);
        assert_eq!(
            q("1.5 million people"),
            [(1_500_000, 1_500_000, false, None)]
        );
    }
}
