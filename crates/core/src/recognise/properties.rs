//! Property tests (a stable fuzz harness) for the number and date
//! recognisers: on any soup of number- and date-like words mixed with
//! arbitrary characters they never panic, and what they find lies in order,
//! inside its sentence, on character boundaries of the text.

use super::dates::find_dates;
use super::numbers::find_numbers;
use super::numbers::tests_support::doc_of;
use proptest::prelude::*;

/// Words the two recognisers react to, and the punctuation between them.
const WORDS: &[&str] = &[
    "on",
    "the",
    "18th",
    "of",
    "February",
    "May",
    "may",
    "4",
    "/",
    "2018",
    "(",
    ")",
    "Wednesday",
    "last",
    "week",
    "a",
    "day",
    "after",
    "since",
    ",",
    ".",
    "13.05.2020",
    "ago",
    "this",
    "one",
    "no",
    "dozens",
    "at",
    "least",
    "more",
    "than",
    "1,200",
    "3.5",
    "million",
    "hundred",
    "twenty",
    "-",
    "five",
    "two",
    "people",
    "killed",
    "%",
    "10-15",
    "about",
    "nearly",
    "½",
    "٣",
    "Ⅻ",
];

/// A piece of the soup: mostly recogniser words, sometimes any character.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[0-9]{1,7}",
    ]
}

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (piece(), proptest::sample::select(&[" ", "", "\n"][..])),
        0..40,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(w, sep)| [w, sep.to_string()])
            .collect()
    })
}

/// Token ranges found in one sentence are non-empty, ordered, apart, inside it.
fn check_ranges(ranges: &[(usize, usize)], sentence: (usize, usize)) -> Result<(), TestCaseError> {
    let mut end = sentence.0;
    for &(a, b) in ranges {
        prop_assert!(
            a >= end && a < b && b <= sentence.1,
            "{ranges:?} in {sentence:?}"
        );
        end = b;
    }
    Ok(())
}

fn check_span(text: &str, span: [usize; 2]) -> Result<(), TestCaseError> {
    prop_assert!(span[0] <= span[1] && span[1] <= text.len(), "{span:?}");
    prop_assert!(text.is_char_boundary(span[0]) && text.is_char_boundary(span[1]));
    Ok(())
}

proptest! {
    #[test]
    fn number_and_date_soup_gives_ordered_mentions_inside_the_text(text in soup()) {
        let d = doc_of(&text);
        for s in 0..d.sentences.len() {
            let dates = find_dates(&d, s);
            let date_ranges: Vec<_> = dates.iter().map(|m| m.tokens).collect();
            check_ranges(&date_ranges, d.sentences[s].tokens)?;
            for m in &dates {
                check_span(&text, m.span)?;
            }
            let numbers = find_numbers(&d, s, &date_ranges);
            let number_ranges: Vec<_> = numbers.iter().map(|m| m.tokens).collect();
            check_ranges(&number_ranges, d.sentences[s].tokens)?;
            for m in &numbers {
                check_span(&text, m.span)?;
                prop_assert!(m.quantity.low <= m.quantity.high, "{:?}", m.quantity);
                prop_assert!(
                    !date_ranges.iter().any(|&(a, b)| m.tokens.0 >= a && m.tokens.0 < b),
                    "a number starts inside a date"
                );
            }
        }
    }
}
