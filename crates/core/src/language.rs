//! The language of a document (whatlang, trigrams over the first few
//! thousand characters). The rules and lexicons read English: a document
//! in another language would give no events and no warning, so it is not
//! coded and says which language it is in. Short or ambiguous text is
//! coded as English: a headline, a list of names, a table of figures.

use serde::{Deserialize, Serialize};

/// Text shorter than this many letters is coded as English whatever it
/// looks like: trigram statistics need more.
pub const MIN_LETTERS: usize = 30;
/// Below this confidence (whatlang's, 0 to 1) the text is coded as English.
pub const MIN_CONFIDENCE: f64 = 0.5;
/// Characters read: the language of a news article shows in its opening.
const SAMPLE_CHARS: usize = 1_000;
/// Words so common in English and absent from the other languages' most
/// common words that a text where they are this share of the words is
/// English without asking whatlang (which costs ~0.4 ms a document).
const ENGLISH_MARKERS: &[&str] = &[
    "the", "of", "and", "to", "was", "were", "said", "with", "by", "for", "that", "from", "has",
    "have",
];
const ENGLISH_MARKER_SHARE: f64 = 0.12;

/// Which documents are coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Languages {
    /// English only; others are reported and not coded.
    #[default]
    EnglishOnly,
    /// Every document, read as English (no detection).
    All,
}

/// Why a document was not coded: its language, as ISO 639-3 and in English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherLanguage {
    /// ISO 639-3 ("fra", "spa", "arb" is written "ara").
    pub code: String,
    /// The language's English name ("French").
    pub name: String,
    /// whatlang's confidence, 0 to 1.
    pub confidence: f64,
}

/// The language of `text` when it is reliably another than English; None
/// for English, short or ambiguous text.
pub fn other_language(text: &str) -> Option<OtherLanguage> {
    let end = text
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS || plainly_english(sample)
    {
        return None;
    }
    let info = whatlang::detect(sample)?;
    let lang = info.lang();
    if lang == whatlang::Lang::Eng || !info.is_reliable() || info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    Some(OtherLanguage {
        code: lang.code().to_string(),
        name: lang.eng_name().to_string(),
        confidence: (info.confidence() * 100.0).round() / 100.0,
    })
}

/// True when English marker words make up a large share of the words.
fn plainly_english(sample: &str) -> bool {
    let (mut words, mut markers) = (0usize, 0usize);
    for word in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if ENGLISH_MARKERS.iter().any(|m| m.eq_ignore_ascii_case(word)) {
            markers += 1;
        }
    }
    words > 0 && markers as f64 >= ENGLISH_MARKER_SHARE * words as f64
}

/// "12 documents in French, 3 in Arabic": the summary of skipped
/// documents by language, most first (ties by name).
pub fn skipped_summary(counts: &std::collections::BTreeMap<String, usize>) -> Option<String> {
    let mut by_count: Vec<(&String, &usize)> = counts.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = by_count
        .iter()
        .enumerate()
        .map(|(i, (name, n))| match (i, **n) {
            (0, 1) => format!("1 document in {name}"),
            (0, n) => format!("{n} documents in {name}"),
            (_, n) => format!("{n} in {name}"),
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "skipped: {} — not yet supported (only English is coded; --all-languages codes them as English)",
            parts.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Sentences written for this test, not taken from any corpus.
    const SPANISH: &str = "Hombres armados atacaron el martes un puesto de policía en las afueras de la ciudad y mataron a tres agentes, según informaron las autoridades locales.";
    const FRENCH: &str = "Des hommes armés ont attaqué mardi un poste de police à la sortie de la ville et tué trois agents, selon les autorités locales.";
    const ARABIC: &str = "هاجم مسلحون يوم الثلاثاء مركزا للشرطة في ضواحي المدينة وقتلوا ثلاثة من عناصره، بحسب ما أفادت السلطات المحلية.";
    const ENGLISH: &str = "Gunmen attacked a police post on the outskirts of the city on Tuesday and killed three officers, local authorities said.";

    #[test]
    fn spanish_french_and_arabic_are_reported() {
        for (text, code, name) in [
            (SPANISH, "spa", "Spanish"),
            (FRENCH, "fra", "French"),
            (ARABIC, "ara", "Arabic"),
        ] {
            let other = other_language(text).unwrap_or_else(|| panic!("{name} not detected"));
            assert_eq!((other.code.as_str(), other.name.as_str()), (code, name));
        }
    }

    #[test]
    fn english_short_and_ambiguous_text_is_coded() {
        assert_eq!(other_language(ENGLISH), None);
        // A French headline too short to tell.
        assert_eq!(other_language("Attaque à Gao"), None);
        // Names and figures only.
        assert_eq!(
            other_language("Kabul 12, Herat 4, Kandahar 7, Kunduz 2."),
            None
        );
    }

    #[test]
    fn the_fast_path_sees_english_only() {
        assert!(plainly_english(ENGLISH));
        for text in [SPANISH, FRENCH, ARABIC] {
            assert!(!plainly_english(text), "{text}");
        }
    }

    #[test]
    fn summary_lists_most_first() {
        let counts = [("Arabic".to_string(), 3), ("French".to_string(), 12)]
            .into_iter()
            .collect();
        let s = skipped_summary(&counts).unwrap();
        assert!(
            s.starts_with("skipped: 12 documents in French, 3 in Arabic — not yet supported"),
            "{s}"
        );
        assert_eq!(skipped_summary(&Default::default()), None);
    }
}
