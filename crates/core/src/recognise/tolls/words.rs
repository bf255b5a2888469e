//! The vocabulary of the casualty-figure rules (`data/lexicon/toll_words.tsv`),
//! loaded once into typed word classes: what a rule asks is "is this word a
//! victim noun", never which strings make one.

use rustc_hash::FxHashMap;

use crate::lexicon::{field, tsv_rows};
use crate::model::TollKind;

/// A class of words one rule reads; the TSV's `class` column. The file
/// describes each class above its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordClass {
    /// After a figure, says what it counts ("four people were killed").
    Counted,
    /// A verb taking the figure as its object ("killed 12").
    ObjectVerb,
    /// Allowed between a figure and what it counts ("people were").
    Filler,
    /// Makes a number something other than a head count ("three days").
    Unit,
    /// Names who was counted ("civilians").
    Victim,
    /// Makes a toll hypothetical ("could have killed").
    Modal,
    /// An auxiliary or adverb before a casualty predicate ("were reportedly").
    Aux,
    /// A casualty verb that, active with an object, names the killer.
    ActiveVerb,
    /// After such a verb, no object ("a man killed in the raid").
    NoObject,
    /// A violent verb that tells a death before "to death" or "and died".
    Assault,
    /// Ends a victim's noun phrase.
    PhraseEnd,
    /// Names a group or a thing, not one person.
    Collective,
    /// Names one person ("wife", "mayor").
    Person,
    /// The ending of an agent noun that names a person ("-er", "-ist").
    AgentSuffix,
    /// Has such an ending but names no person ("center").
    NotPerson,
    /// Tells a death ("died").
    Death,
    /// After "a", one more victim ("a fourth person").
    Ordinal,
    /// A killing verb right before its victim, unless after an auxiliary.
    KillVerb,
    /// A killing verb before "a"/"an" whose victim that person is.
    VictimVerb,
    /// A thing whose remains count no one ("a police post").
    Thing,
    /// A toll grew ("rose to").
    Rising,
    /// Makes a figure a running total ("bringing").
    Cumulative,
    /// After "a", opens a quantity, not a person ("a dozen").
    QuantityNoun,
    /// Ends the words naming one victim ("on", "during").
    VictimPhraseEnd,
    /// A period after "the past" ("decade").
    Period,
}

impl WordClass {
    const ALL: [(WordClass, &'static str); 25] = [
        (WordClass::Counted, "counted"),
        (WordClass::ObjectVerb, "object_verb"),
        (WordClass::Filler, "filler"),
        (WordClass::Unit, "unit"),
        (WordClass::Victim, "victim"),
        (WordClass::Modal, "modal"),
        (WordClass::Aux, "aux"),
        (WordClass::ActiveVerb, "active_verb"),
        (WordClass::NoObject, "no_object"),
        (WordClass::Assault, "assault"),
        (WordClass::PhraseEnd, "phrase_end"),
        (WordClass::Collective, "collective"),
        (WordClass::Person, "person"),
        (WordClass::AgentSuffix, "agent_suffix"),
        (WordClass::NotPerson, "not_person"),
        (WordClass::Death, "death"),
        (WordClass::Ordinal, "ordinal"),
        (WordClass::KillVerb, "kill_verb"),
        (WordClass::VictimVerb, "victim_verb"),
        (WordClass::Thing, "thing"),
        (WordClass::Rising, "rising"),
        (WordClass::Cumulative, "cumulative"),
        (WordClass::QuantityNoun, "quantity_noun"),
        (WordClass::VictimPhraseEnd, "victim_phrase_end"),
        (WordClass::Period, "period"),
    ];

    fn parse(name: &str) -> Option<WordClass> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

fn parse_kind(name: &str) -> Option<TollKind> {
    Some(match name {
        "killed" => TollKind::Killed,
        "injured" => TollKind::Injured,
        "missing" => TollKind::Missing,
        "abducted" => TollKind::Abducted,
        "arrested" => TollKind::Arrested,
        _ => return None,
    })
}

/// What one word is: its classes as bits, and what it counts as a
/// `counted` word and as an `object_verb`.
#[derive(Debug, Default, Clone, Copy)]
struct Entry {
    classes: u32,
    counted: Option<TollKind>,
    object_of: Option<TollKind>,
}

/// The toll vocabulary: one hash lookup answers every class of a word.
/// The rules ask about most tokens of every sentence with a figure or a
/// victim, so the lookup is kept cheap: a fast hash (Fx, not SipHash: the
/// keys are our own words, no attacker's), and none at all for a key
/// shorter or longer than every word (punctuation, "a").
#[derive(Debug, Default)]
pub struct TollWords {
    words: FxHashMap<String, Entry>,
    suffixes: Vec<String>,
    /// The shortest and the longest word's length in bytes.
    lengths: (usize, usize),
}

impl TollWords {
    /// Rows `word, class, kind`. A class or kind the rules do not know is a
    /// mistake in the data file, not something to skip quietly.
    pub fn from_tsv(content: &str) -> Self {
        let mut out = TollWords::default();
        for row in tsv_rows(content) {
            let (word, class) = (field(&row, 0), field(&row, 1));
            let class = WordClass::parse(class)
                .unwrap_or_else(|| panic!("toll_words.tsv: unknown class {class:?} for {word:?}"));
            if class == WordClass::AgentSuffix {
                out.suffixes.push(word.to_string());
                continue;
            }
            out.lengths = if out.words.is_empty() {
                (word.len(), word.len())
            } else {
                (out.lengths.0.min(word.len()), out.lengths.1.max(word.len()))
            };
            let entry = out.words.entry(word.to_string()).or_default();
            entry.classes |= class.bit();
            let kind = || {
                parse_kind(field(&row, 2))
                    .unwrap_or_else(|| panic!("toll_words.tsv: {word:?} {class:?} needs a kind"))
            };
            match class {
                WordClass::Counted => entry.counted = Some(kind()),
                WordClass::ObjectVerb => entry.object_of = Some(kind()),
                _ => {}
            }
        }
        out
    }

    /// Is `w` a word of `class`? (`AgentSuffix` holds endings: ask
    /// [`TollWords::has_agent_suffix`].)
    pub fn is(&self, w: &str, class: WordClass) -> bool {
        self.entry(w).is_some_and(|e| e.classes & class.bit() != 0)
    }

    fn entry(&self, w: &str) -> Option<&Entry> {
        if w.len() < self.lengths.0 || w.len() > self.lengths.1 {
            return None;
        }
        self.words.get(w)
    }

    /// Does `w` end like an agent noun ("driver", "activist")?
    pub fn has_agent_suffix(&self, w: &str) -> bool {
        self.suffixes.iter().any(|s| w.ends_with(s.as_str()))
    }

    /// What a figure counts when `w` follows it ("killed", "wounded").
    pub fn counted(&self, w: &str) -> Option<TollKind> {
        self.entry(w).and_then(|e| e.counted)
    }

    /// What a figure counts when it is the object of `w` ("killing 12").
    pub fn object_of(&self, w: &str) -> Option<TollKind> {
        self.entry(w).and_then(|e| e.object_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_words_load_into_their_classes() {
        let w = &crate::Resources::shared().toll_words;
        assert_eq!(w.counted("martyred"), Some(TollKind::Killed));
        assert_eq!(w.object_of("rounded"), Some(TollKind::Arrested));
        assert_eq!(w.counted("rounded"), None);
        assert!(w.is("civilians", WordClass::Victim));
        assert!(!w.is("civilians", WordClass::Unit));
        assert!(w.has_agent_suffix("activist"));
        assert!(w.is("decade", WordClass::Period));
    }

    #[test]
    #[should_panic(expected = "unknown class")]
    fn an_unknown_class_is_an_error() {
        TollWords::from_tsv("word\tclass\tkind\nkilled\tkiled\n");
    }
}
