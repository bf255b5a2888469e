//! Capitalised runs that name a person or an organisation, found before the
//! place finder sees them: "Gov. Mary Fallin" is not the town of Mary,
//! "Conor McGregor" not McGregor, Texas, "known as Montana" not the state,
//! "Winfield, 34," not Winfield, Kansas, and the "Washington Post" not the
//! capital. The place finder treats these token ranges as taken.

use std::collections::{HashMap, HashSet};

use crate::lexicon::{field, tsv_rows};
use crate::model::{Document, TokenKind};
use crate::Resources;

/// What a cue word says about the capitalised run next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PersonCue {
    /// A person's name follows when the title is capitalised ("Gov.",
    /// "General"; "the general Kabul area" is no person).
    Title,
    /// A person's name follows, in any case ("actress", "rapper").
    PersonNoun,
    /// Ends an outlet's name ("Post", "Times").
    Media,
    /// Ends another organisation's name ("Airlines", "Party").
    Organisation,
    /// A nickname follows ("known as").
    Alias,
    /// A currency named after a country ("US dollar"): no place.
    Currency,
}

/// Surnames this frequent (by census rank) say a person after any
/// capitalised word ("Winfield Smith"); rarer ones only after a given name.
const COMMON_SURNAME_RANK: u32 = 1000;

pub struct PersonLexicon {
    /// Folded given names ("mary", "conor").
    given: HashSet<String>,
    /// Folded surnames with their census rank ("smith" 1, "fallin" 11877).
    surnames: HashMap<String, u32>,
    /// Cue phrases as token keys, with what they say.
    cues: Vec<(Vec<String>, PersonCue)>,
}

impl PersonLexicon {
    pub fn from_tsv(given_names: &str, surnames: &str, person_cues: &str) -> Self {
        let given = tsv_rows(given_names)
            .map(|r| crate::text::fold(field(&r, 0)))
            .collect();
        let surnames = tsv_rows(surnames)
            .filter_map(|r| Some((crate::text::fold(field(&r, 0)), field(&r, 1).parse().ok()?)))
            .collect();
        let cues = tsv_rows(person_cues)
            .filter_map(|r| {
                let cue = match field(&r, 1) {
                    "title" => PersonCue::Title,
                    "person" => PersonCue::PersonNoun,
                    "media" => PersonCue::Media,
                    "organisation" => PersonCue::Organisation,
                    "alias" => PersonCue::Alias,
                    "currency" => PersonCue::Currency,
                    _ => return None,
                };
                Some((crate::segment::phrase_keys(field(&r, 0)), cue))
            })
            .collect();
        PersonLexicon {
            given,
            surnames,
            cues,
        }
    }

    /// The longest cue whose words start at token `i` (within `last`), with its length.
    fn cue_at(&self, doc: &Document, i: usize, last: usize) -> Option<(PersonCue, usize)> {
        self.cues
            .iter()
            .filter(|(words, _)| {
                i + words.len() <= last
                    && words
                        .iter()
                        .enumerate()
                        .all(|(n, w)| doc.tokens[i + n].key == *w)
            })
            .max_by_key(|(words, _)| words.len())
            .map(|(words, cue)| (*cue, words.len()))
    }
}

/// Place nouns before "known as" that make the nickname a place's ("the
/// area known as the Triangle").
const PLACE_NOUNS: [&str; 12] = [
    "area",
    "place",
    "town",
    "village",
    "city",
    "region",
    "district",
    "neighbourhood",
    "neighborhood",
    "locality",
    "camp",
    "zone",
];

/// A capitalised word that may be part of a name ("The", "Police" are not).
fn is_name_word(doc: &Document, t: usize) -> bool {
    let tok = &doc.tokens[t];
    tok.kind == TokenKind::Word && tok.capitalised && !super::places::is_function_word(&tok.key)
}

/// A sentence in title case ("Gunmen Kill Five In Austin Attack"): its
/// capitals say nothing about names.
fn title_case(doc: &Document, si: usize) -> bool {
    let (first, last) = doc.sentences[si].tokens;
    let words: Vec<_> = doc.tokens[first..last]
        .iter()
        .filter(|t| t.kind == TokenKind::Word && t.key.chars().count() > 3)
        .collect();
    words.len() >= 3 && words.iter().filter(|t| t.capitalised).count() * 4 > words.len() * 3
}

/// The end of the run of capitalised words (and single-letter initials with
/// their dot: "John F. Kennedy") from `i`, within `last`.
fn name_run_end(doc: &Document, i: usize, last: usize) -> usize {
    let toks = &doc.tokens;
    let mut j = i;
    while j < last && is_name_word(doc, j) {
        j += 1;
        let initial = toks[j - 1].all_caps && toks[j - 1].key.chars().count() == 1;
        if initial && j + 1 < last && toks[j].key == "." && is_name_word(doc, j + 1) {
            j += 1;
        }
    }
    j
}

/// Whether `name` is exactly a country's, a first-level area's, a
/// region's or a city's of half a million name ("Georgia", "Chad",
/// "Virginia", "Asia", "Houston" are given names too: the place wins;
/// "Tyler Johnson" is a person).
fn names_area(res: &Resources, name: &str) -> bool {
    use crate::gazetteer::Level;
    let (ids, fuzzy) = res.gazetteer.lookup(name);
    !fuzzy
        && ids.iter().any(|&id| {
            let e = res.gazetteer.entry(id);
            matches!(
                e.level,
                Level::Country | Level::Admin1 | Level::Continent | Level::Region
            ) || (e.level == Level::Place && e.population >= 500_000)
        })
}

/// Whether `name` is exactly a second-level area's own name ("Kent",
/// "Essex"; not "King" for King County).
fn names_admin2(res: &Resources, name: &str) -> bool {
    use crate::gazetteer::Level;
    let (ids, fuzzy) = res.gazetteer.lookup(name);
    let key = crate::geokey::exact(name);
    !fuzzy
        && ids.iter().any(|&id| {
            let e = res.gazetteer.entry(id);
            e.level == Level::Admin2 && crate::geokey::exact(e.name) == key
        })
}

/// Whether token `t` opens a place cue ("Hospital", "School", "County"):
/// "Karl Bremer Hospital" is a place named after a person.
fn is_place_word(res: &Resources, t: &crate::model::Token) -> bool {
    res.place_cues.generic.contains(&t.key)
        || res
            .place_cues
            .entries
            .iter()
            .any(|c| c.words.first() == Some(&t.key))
}

/// Whether tokens `[i, k)` for some `k` in `[min_end, end]` are exactly a
/// gazetteer name ("Virginia Beach", "Elizabeth City", "Sheikh Zuweid"):
/// then the given name or title opens a place.
fn opens_known_place(
    doc: &Document,
    res: &Resources,
    i: usize,
    min_end: usize,
    end: usize,
) -> bool {
    (min_end..=end).any(|k| {
        let (ids, fuzzy) = res.gazetteer.lookup(doc.token_text((i, k)));
        !fuzzy && !ids.is_empty()
    })
}

/// "Mary Fallin", "Conor McGregor": a given name, then a capitalised word
/// that is no place word, and no known place made of both.
fn given_name_run(doc: &Document, res: &Resources, i: usize, last: usize) -> Option<usize> {
    let lex = &res.persons;
    let t = &doc.tokens[i];
    // "Al Zahraa", "La Paz": a name particle is no given name.
    if !is_name_word(doc, i)
        || t.all_caps
        || !lex.given.contains(&t.key)
        || super::places::is_particle(&t.key)
    {
        return None;
    }
    let end = name_run_end(doc, i, last);
    let second = i + 1;
    // "Ho Chi Minh City": a given name inside a name opens nothing.
    let inside = i > doc.sentences[doc.tokens[i].sentence].tokens.0 && is_name_word(doc, i - 1);
    if end < i + 2 || doc.tokens[second].all_caps || inside {
        return None;
    }
    let first_name = doc.slice(t.span);
    let second_name = doc.slice(doc.tokens[second].span);
    let place_word = res.gazetteer.demonym(second_name).is_some()
        || (second..(end + 1).min(last)).any(|k| is_place_word(res, &doc.tokens[k]))
        || names_area(res, second_name);
    // "Mary Fallin": a given name that also names an area (Mary,
    // Turkmenistan; "Georgia") opens a person's name only when a surname
    // ends it ("Georgia Governor Brian Kemp" is the state's, and so is the
    // "Kenya Red Cross Society").
    let area_first = names_area(res, first_name)
        && !(end == i + 2 && lex.surnames.contains_key(&doc.tokens[second].key));
    if place_word || area_first || opens_known_place(doc, res, i, i + 2, end) {
        return None;
    }
    Some(end)
}

/// "Winfield Smith": exactly two capitalised words, the second a common
/// surname, no word of them a place word, a demonym or an area's name, and
/// no known place made of both ("Fort Smith", "Lake Charles" stay places).
fn surname_pair(doc: &Document, res: &Resources, i: usize, last: usize) -> Option<usize> {
    let toks = &doc.tokens;
    let first = doc.sentences[toks[i].sentence].tokens.0;
    if !is_name_word(doc, i)
        || toks[i].all_caps
        || super::places::is_particle(&toks[i].key)
        || (i > first && is_name_word(doc, i - 1))
        || name_run_end(doc, i, last) != i + 2
        || toks[i + 1].all_caps
    {
        return None;
    }
    let rank = *res.persons.surnames.get(&toks[i + 1].key)?;
    let place_like = (i..i + 2).any(|k| {
        let word = doc.slice(toks[k].span);
        is_place_word(res, &toks[k])
            || names_area(res, word)
            || res.gazetteer.demonym(word).is_some()
    });
    (rank <= COMMON_SURNAME_RANK && !place_like && !opens_known_place(doc, res, i, i + 2, i + 2))
        .then_some(i + 2)
}

/// "Winfield, 34," or "Tyler, a 19-year-old student,": a single name with
/// an age in apposition.
fn aged_apposition(doc: &Document, i: usize, last: usize) -> bool {
    let toks = &doc.tokens;
    let first = doc.sentences[toks[i].sentence].tokens.0;
    if !is_name_word(doc, i)
        || i + 2 >= last
        || toks[i + 1].key != ","
        || (i > first && is_name_word(doc, i - 1))
    {
        return false;
    }
    let age = &toks[i + 2];
    let bare_age = i + 3 < last
        && age.kind == TokenKind::Number
        && age.key.parse::<u32>().is_ok_and(|a| a <= 110)
        && toks[i + 3].key == ",";
    let article = usize::from(matches!(age.key.as_str(), "a" | "an"));
    let aged_word = toks
        .get(i + 2 + article)
        .is_some_and(|t| t.key.starts_with(|c: char| c.is_ascii_digit()) && t.key.contains("year"));
    bare_age || aged_word
}

/// Token ranges of person and organisation names in sentence `si`.
fn sentence_names(doc: &Document, res: &Resources, si: usize, out: &mut Vec<(usize, usize)>) {
    let toks = &doc.tokens;
    let (first, last) = doc.sentences[si].tokens;
    let title_case = title_case(doc, si);
    let mut i = first;
    while i < last {
        if let Some((cue, n)) = res.persons.cue_at(doc, i, last) {
            let mut s = i + n;
            if s < last && toks[s].key == "." {
                s += 1;
            }
            let end = name_run_end(doc, s, last);
            let after_place_noun = (i.saturating_sub(3).max(first)..i)
                .any(|b| PLACE_NOUNS.contains(&toks[b].key.as_str()));
            let person = end > s
                && !names_area(res, doc.token_text((s, end)))
                && !opens_known_place(doc, res, i, s + 1, end);
            let follows = match cue {
                PersonCue::Title => person && toks[i].capitalised,
                PersonCue::PersonNoun => person,
                PersonCue::Alias => end > s && !after_place_noun,
                PersonCue::Media | PersonCue::Organisation | PersonCue::Currency => false,
            };
            if follows {
                out.push((s, end));
                i = end;
                continue;
            }
            // "Washington Post", "The New York Times": the outlet's name
            // opens with a place.
            // "the US dollar", "Hong Kong dollars": the country's name is
            // the currency's.
            if cue == PersonCue::Currency && i > first && toks[i - 1].capitalised {
                let mut s = i;
                while s > first && toks[s - 1].capitalised && toks[s - 1].kind == TokenKind::Word {
                    s -= 1;
                }
                out.push((s, i + n));
                i += n;
                continue;
            }
            if matches!(cue, PersonCue::Media | PersonCue::Organisation)
                && is_name_word(doc, i)
                && i > first
                && is_name_word(doc, i - 1)
            {
                let mut s = i;
                while s > first && is_name_word(doc, s - 1) {
                    s -= 1;
                }
                out.push((s, i + n));
                i += n;
                continue;
            }
        }
        if let Some(end) = given_name_run(doc, res, i, last).filter(|_| !title_case) {
            out.push((i, end));
            i = end;
            continue;
        }
        if let Some(end) = surname_pair(doc, res, i, last).filter(|_| !title_case) {
            out.push((i, end));
            i = end;
            continue;
        }
        if aged_apposition(doc, i, last) {
            out.push((i, i + 1));
        }
        i += 1;
    }
}

/// Token ranges that name persons or organisations, over the document. A
/// person's surname ("McGregor said", "Fallin's office") is theirs wherever
/// it comes back alone, and so is a bare given name ("Tyler was shot"), unless a
/// locative word precedes it ("in Tyler"), a place word follows ("Tyler
/// County") or a comma and an area follow ("Tyler, Texas").
pub fn find_person_names(doc: &Document, res: &Resources) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for si in 0..doc.sentences.len() {
        sentence_names(doc, res, si, &mut out);
    }
    let toks = &doc.tokens;
    let usable =
        |t: usize| toks[t].key.chars().count() >= 3 && !names_area(res, doc.slice(toks[t].span));
    let surnames: HashSet<&str> = out
        .iter()
        .filter(|&&(s, e)| e > s + 1 || !res.persons.given.contains(&toks[s].key))
        .map(|&(_, e)| e - 1)
        .filter(|&t| usable(t))
        .map(|t| toks[t].key.as_str())
        .collect();
    let mut again = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let own = surnames.contains(t.key.as_str());
        // A given name that is a county's own name ("Kent", "Essex") is
        // the county's when it stands alone.
        let given = res.persons.given.contains(&t.key)
            && usable(i)
            && !names_admin2(res, doc.slice(t.span));
        if !is_name_word(doc, i) || !(own || given) || super::covered(out.iter().copied(), i) {
            continue;
        }
        let first = doc.sentences[t.sentence].tokens.0;
        // "San Jose del Monte": a particle joins the words of a name.
        let alone = (i == first
            || !(is_name_word(doc, i - 1) || super::places::is_particle(&toks[i - 1].key)))
            && (i + 1 >= toks.len() || !is_name_word(doc, i + 1));
        let place_follows = i + 2 < toks.len()
            && toks[i + 1].key == ","
            && names_area(res, doc.slice(toks[i + 2].span));
        // A locative word before a bare given name makes it a place ("in
        // Tyler"); a person's own surname stays theirs ("to Kelly").
        let locative = !own && i > first && super::places::is_locative(&toks[i - 1].key);
        // "Tyler County": a place word after a bare given name makes it
        // the place's; a dateline's capitals ("TYLER, Texas") are no name.
        let place_named =
            given && !own && (t.all_caps || toks.get(i + 1).is_some_and(|n| is_place_word(res, n)));
        if alone && !place_follows && !locative && !place_named && !title_case(doc, t.sentence) {
            again.push((i, i + 1));
        }
    }
    out.extend(again);
    out
}

#[cfg(test)]
mod tests {
    use crate::recognise::place_texts as places;

    #[test]
    fn people_and_outlets_are_no_places() {
        // (text, a place that must not be found, a place that must be)
        let cases = [
            (
                "Gov. Mary Fallin signed the order in Oklahoma City on Monday.",
                "Mary",
                "Oklahoma City",
            ),
            (
                "Conor McGregor was arrested in Dublin. McGregor denied the charge.",
                "McGregor",
                "Dublin",
            ),
            (
                "The shooting in Wichita killed a rapper known as Montana.",
                "Montana",
                "Wichita",
            ),
            (
                "Winfield, 34, was shot dead outside a bar in Wichita.",
                "Winfield",
                "Wichita",
            ),
            (
                "Gunmen raided the headquarters of Al Sham Corps in the town of Saraqib.",
                "Sham",
                "Saraqib",
            ),
            (
                "Protesters marched in Baltimore, the Washington Post reported.",
                "Washington",
                "Baltimore",
            ),
            (
                "Rioters protested the high US dollar exchange rate in Tripoli.",
                "US",
                "Tripoli",
            ),
            (
                "Actress Regina King spoke at a vigil in Atlanta on Sunday.",
                "King",
                "Atlanta",
            ),
            (
                "Police said Tyler Johnson, a teacher, was wounded in Houston.",
                "Tyler",
                "Houston",
            ),
            // A given name that also names an area, before a surname.
            (
                "Mary Fallin's office declined to comment in Tulsa.",
                "Mary",
                "Tulsa",
            ),
            // A given name from outside the US census list.
            (
                "UFC star Conor McGregor was charged in Miami. McGregor's lawyer spoke.",
                "McGregor",
                "Miami",
            ),
            // A common surname after any name; a bare given name later.
            (
                "Police named the victim as Winfield Smith. Winfield was shot in Wichita.",
                "Winfield",
                "Wichita",
            ),
            // An age in words in apposition; the bare given name again.
            (
                "Tyler, a 19-year-old student, was killed in Austin. Tyler's mother spoke.",
                "Tyler",
                "Austin",
            ),
            (
                "According to The Washington Post, three people were shot in Baltimore.",
                "Washington",
                "Baltimore",
            ),
            (
                "Regina King attended the march in Los Angeles. King said she was moved.",
                "King",
                "Los Angeles",
            ),
        ];
        for (text, not_place, place) in cases {
            let ps = places(text);
            assert!(
                !ps.iter().any(|p| p.contains(not_place)),
                "{not_place} in {ps:?} ({text})"
            );
            assert!(
                ps.iter().any(|p| p.contains(place)),
                "{place} not in {ps:?} ({text})"
            );
        }
    }

    #[test]
    fn a_name_particle_is_no_given_name() {
        // "Al" is a given name in the census list, "Al Zahraa" a neighbourhood.
        let ps = places(
            "In Homs city, a bomb hit the Al Zahraa neighbourhood. Al Zahraa has been hit before.",
        );
        assert_eq!(ps, ["Homs city", "Al Zahraa neighbourhood", "Al Zahraa"]);
    }

    #[test]
    fn places_that_look_like_people_stay_places() {
        let cases = [
            ("Clashes were reported in Georgia and Armenia.", "Georgia"),
            ("A storm hit Virginia Beach on Monday.", "Virginia Beach"),
            ("He was born in Tyler, Texas, in 1990.", "Tyler"),
            ("Shelling hit the district known as Sadr City.", "Sadr City"),
            (
                "A fire broke out in Prince George on Monday.",
                "Prince George",
            ),
            (
                "The Austin Police Department said two men were shot.",
                "Austin",
            ),
            ("Troops entered Jordan on Monday.", "Jordan"),
            // A bare given name after a locative word, before a place word,
            // in a dateline, or a county's own name.
            ("Two men were shot in Tyler on Sunday.", "Tyler"),
            ("Tyler County deputies found the car.", "Tyler County"),
            ("TYLER, Texas - Two men were shot on Sunday.", "TYLER"),
            ("Flooding closed roads across Kent on Monday.", "Kent"),
            ("Georgia Governor Brian Kemp spoke in Atlanta.", "Georgia"),
            ("Fort Smith police said two men were shot.", "Fort Smith"),
        ];
        for (text, place) in cases {
            let ps = places(text);
            assert!(
                ps.iter().any(|p| p.contains(place)),
                "{place} not in {ps:?} ({text})"
            );
        }
    }
}
