//! Normalised keys for place names, so that the spellings news uses for one
//! place meet: Deir ez-Zor / Deir Ezzor / Deir el-Zour / Dayr az Zawr,
//! Raqqa / Al-Raqqa / Ar Raqqah, Idlib / Edleb, Tartus / Tartous / Tartos.
//!
//! Two keys: `exact` folds case, diacritics, punctuation and Arabic article
//! prefixes; `skeleton` also merges transliteration variants (ou/u, -ah/-a,
//! dh/z, q/k, aw/o, ay/ei, doubled letters) and drops vowels. The skeleton is
//! a fallback: it is consulted only when the exact key finds nothing.

use crate::text::fold;

/// Article prefixes written before Arabic (and similar) names.
const ARTICLES: &[&str] = &[
    "al", "el", "ul", "as", "ash", "ad", "ar", "an", "at", "az", "ez", "es", "ed", "er", "ech",
    "et", "the",
];

/// Words of a folded name, apostrophes dropped, other punctuation as spaces,
/// article prefixes removed (also when glued: "Ezzor" after "Deir").
fn words(name: &str) -> Vec<String> {
    let folded = fold(name);
    let mut cleaned = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c == '\'' {
            continue;
        }
        cleaned.push(if c.is_alphanumeric() { c } else { ' ' });
    }
    let raw: Vec<&str> = cleaned.split_whitespace().collect();
    let mut out = Vec::with_capacity(raw.len());
    for (i, w) in raw.iter().enumerate() {
        let last = i + 1 == raw.len();
        if !last && ARTICLES.contains(w) {
            continue;
        }
        out.push((*w).to_string());
    }
    out
}

/// The exact key: folded words without articles, joined by one space.
pub fn exact(name: &str) -> String {
    words(name).join(" ")
}

/// The skeleton key: consonants of the exact key after merging
/// transliteration variants.
pub fn skeleton(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).iter().enumerate() {
        // A word of vowels only (the Persian ezafe of "Nahr-e Saraj") leaves
        // no trace: "Nahri Saraj" is the same skeleton.
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        let mut w = w.clone();
        // Glued articles after the first word ("Deir Ezzor", "Deir Ezzour").
        if i > 0 {
            for a in ["ezz", "ezs", "ell", "ass", "arr", "add", "att", "azz"] {
                if w.len() > a.len() + 1 && w.starts_with(a) {
                    w = w[2..].to_string();
                    break;
                }
            }
        }
        if (w.ends_with("ah") || w.ends_with("eh")) && w.len() > 3 {
            w.truncate(w.len() - 1);
        }
        let w = w
            .replace("ou", "u")
            .replace("aw", "o")
            .replace("ay", "ei")
            .replace("dh", "z")
            .replace("ph", "f")
            .replace('q', "k")
            .replace("ck", "k");
        let mut prev = ' ';
        for c in w.chars() {
            if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w') && !(c == 'w' && prev == ' ') {
                prev = c;
                continue;
            }
            if c != prev || c.is_ascii_digit() {
                out.push(c);
            }
            prev = c;
        }
    }
    out.trim().to_string()
}

/// Whether a name is written as an abbreviation: two to five letters, all
/// capitals, maybe with dots ("US", "U.S.", "DRC", "NSW"). Such names
/// ("CAR", "ACT") are words in lower case and match case-sensitively.
pub fn is_abbreviation(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&letters)
        && name
            .chars()
            .all(|c| (c.is_alphabetic() && c.is_uppercase()) || c == '.')
}

/// The key under which an abbreviation is indexed: never met by a name
/// written in lower or mixed case ("Car bombs" is no Central African Republic).
pub fn abbreviation_key(name: &str) -> String {
    format!("={}", exact(name))
}

/// Level words that admin-area names carry, as suffixes ("Damascus
/// Governorate", "Chernihiv Oblast") or prefixes ("Province of Kunar").
const ADMIN_SUFFIXES: &[&str] = &[
    " governorate",
    " province",
    " region",
    " state",
    " district",
    " oblast",
    " county",
    " municipality",
    " prefecture",
    " department",
    " subdistrict",
    " sub-district",
];
const ADMIN_PREFIXES: &[&str] = &["province of ", "governorate of ", "state of ", "region of "];

/// The bare names an admin area is also known by: its name without the
/// level word ("Damascus Governorate" -> "Damascus"). Shared by the build
/// script that compiles the embedded gazetteer and by the overlay loader.
pub fn admin_bare_names(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for suffix in ADMIN_SUFFIXES {
        let cut = name.len().saturating_sub(suffix.len());
        if name.len() > suffix.len()
            && name.is_char_boundary(cut)
            && name[cut..].eq_ignore_ascii_case(suffix)
        {
            out.push(&name[..cut]);
        }
    }
    for prefix in ADMIN_PREFIXES {
        if name.len() > prefix.len()
            && name.is_char_boundary(prefix.len())
            && name[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            out.push(&name[prefix.len()..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_same(key: fn(&str) -> String, names: &[&str]) {
        let first = key(names[0]);
        for n in names {
            assert_eq!(key(n), first, "{n} vs {}", names[0]);
        }
    }

    #[test]
    fn exact_folds_articles_case_diacritics() {
        all_same(exact, &["Raqqa", "Al-Raqqa", "al Raqqa", "AL-RAQQA"]);
        all_same(
            exact,
            &["Deir ez-Zor", "Deir ez Zor", "Deir el-Zor", "DEIR EZ-ZOR"],
        );
        all_same(exact, &["Sanaa", "Sana'a", "Sana’a", "Şanaa"]);
        assert_eq!(exact("Al-Sabura"), "sabura");
        // A name that is only an article stays itself.
        assert_eq!(exact("As"), "as");
    }

    #[test]
    fn skeleton_merges_transliterations_in_many_countries() {
        // Syria
        all_same(
            skeleton,
            &["Deir ez-Zor", "Deir Ezzor", "Deir el-Zour", "Dayr az Zawr"],
        );
        all_same(skeleton, &["Raqqa", "Al-Raqqa", "Ar Raqqah"]);
        all_same(skeleton, &["Idlib", "Edleb"]);
        all_same(skeleton, &["Tartus", "Tartous", "Tartos"]);
        all_same(skeleton, &["Hasakah", "Hasaka", "Al-Hasakeh"]);
        // Iraq, Yemen
        all_same(skeleton, &["Fallujah", "Falluja", "Al Fallujah"]);
        all_same(skeleton, &["Hodeidah", "Hudaydah", "Al Hudaydah"]);
        all_same(skeleton, &["Sanaa", "Sana'a", "Sanaah"]);
        all_same(skeleton, &["Dhamar", "Zamar"]);
        // Afghanistan, Pakistan
        all_same(skeleton, &["Kandahar", "Qandahar"]);
        all_same(skeleton, &["Kunduz", "Qunduz", "Kondoz"]);
        all_same(skeleton, &["Quetta", "Kwetta"]);
        // Somalia, Libya, Ukraine
        all_same(skeleton, &["Kismayo", "Kismaayo"]);
        all_same(skeleton, &["Misrata", "Misurata", "Misratah"]);
        all_same(skeleton, &["Kyiv", "Kiev"]);
        all_same(skeleton, &["Kharkiv", "Kharkov"]);
        // Lebanon, Palestine, Israel
        all_same(skeleton, &["Baalbek", "Baalbeck", "Ba'albek"]);
        all_same(skeleton, &["Khan Younis", "Khan Yunis", "Khan Younes"]);
        all_same(skeleton, &["Nablus", "Nabulus"]);
        // Libya, Egypt, Sudan
        all_same(skeleton, &["Ajdabiya", "Ajdabiyah", "Ajdabiyya"]);
        all_same(skeleton, &["Arish", "El-Arish", "Al Arish"]);
        all_same(skeleton, &["Kassala", "Kasala"]);
        // Afghanistan, Pakistan, Iraq
        all_same(skeleton, &["Jalalabad", "Jalalabaad"]);
        all_same(skeleton, &["Tikrit", "Tekrit"]);
        all_same(skeleton, &["Ramadi", "Al-Ramadi", "Ar Ramadi"]);
        all_same(skeleton, &["Mosul", "Mousul"]);
        // Somalia, Nigeria, Mali
        all_same(skeleton, &["Beledweyne", "Beledweyn"]);

        all_same(skeleton, &["Gao", "Gaou"]);
        // Yemen, Saudi Arabia
        all_same(skeleton, &["Aden", "Adan"]);
        all_same(skeleton, &["Marib", "Ma'rib", "Mareb"]);
        all_same(skeleton, &["Qatif", "Katif", "Al-Qatif"]);
        // The Persian ezafe, written or glued (Afghanistan, Iran).
        all_same(skeleton, &["Nahr-e Saraj", "Nahri Saraj", "Nahr e Saraj"]);
        all_same(skeleton, &["Nawah-ye Barakzai", "Nawa-e Barakzayi"]);
    }

    #[test]
    fn admin_names_lose_their_level_word() {
        assert_eq!(admin_bare_names("Damascus Governorate"), vec!["Damascus"]);
        assert_eq!(admin_bare_names("Province of Kunar"), vec!["Kunar"]);
        assert_eq!(
            admin_bare_names("Bayt Qurayn Subdistrict"),
            vec!["Bayt Qurayn"]
        );
        assert!(admin_bare_names("Homs").is_empty());
        // Never slices inside a character.
        assert!(admin_bare_names("İstanbul").is_empty());
    }

    #[test]
    fn abbreviations_are_all_capitals() {
        for a in ["US", "U.S.", "DRC", "NSW", "U.A.E."] {
            assert!(is_abbreviation(a), "{a}");
        }
        for w in ["Car", "car", "A", "Kabul", "UNICEF", "U"] {
            assert!(!is_abbreviation(w), "{w}");
        }
        assert_ne!(abbreviation_key("CAR"), exact("Car"));
        assert_eq!(abbreviation_key("U.S."), abbreviation_key("U.S"));
    }

    #[test]
    fn skeleton_keeps_distinct_names_apart() {
        assert_ne!(skeleton("Homs"), skeleton("Hama"));
        assert_ne!(skeleton("Aleppo"), skeleton("Idlib"));
    }
}
