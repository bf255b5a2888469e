//! Text helpers shared by every stage: what counts as a space, and the
//! normalised key a word is matched under. Keys never replace the raw text;
//! they are looked up and then mapped back to byte spans.

use unicode_normalization::char::decompose_canonical;

/// Unicode and typographic spaces (NBSP, thin space, ...) count as spaces.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}'
}

/// Apostrophe look-alikes that news sites use interchangeably.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' | 'ʿ' | 'ʾ')
}

pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―')
}

/// Lowercase, strip diacritics and unify apostrophes: the key under which a
/// word is matched against lexicons ("Da’ish" and "Da'ish" meet, "Türkiye"
/// and "Turkiye" meet).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_dash(c) {
            out.push('-');
        } else {
            decompose_canonical(c, |d| {
                if !('\u{300}'..='\u{36f}').contains(&d) {
                    for l in d.to_lowercase() {
                        out.push(l);
                    }
                }
            });
        }
    }
    out
}

/// Trim spaces (Unicode ones included) from both ends of `text[start..end]`
/// and return the narrowed span.
pub fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start_matches(is_space).len();
    let trimmed = slice
        .trim_start_matches(is_space)
        .trim_end_matches(is_space);
    (start + lead, start + lead + trimmed.len())
}

/// Collapse every run of spaces (NBSP included) to one ASCII space.
pub fn squash_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_space(c) {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_apostrophes() {
        assert_eq!(fold("Da’ish"), "da'ish");
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("Deir ez–Zor"), "deir ez-zor");
    }

    #[test]
    fn trims_unicode_spaces() {
        let t = "\u{a0} DAMASCUS:\u{a0}\n";
        let (s, e) = trim_span(t, 0, t.len());
        assert_eq!(&t[s..e], "DAMASCUS:");
    }

    #[test]
    fn squashes_nbsp() {
        assert_eq!(squash_spaces("blasts as\u{a0} US"), "blasts as US");
    }
}
