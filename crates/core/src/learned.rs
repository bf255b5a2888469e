//! Stage 7: the learned coding. The rules propose events with their spans,
//! actors and tolls; models trained on ACLED's coded notes (`warcoder
//! train`, crate `warcoder-learn`) then decide what the rules guess worst:
//! whether an event is political violence or a demonstration at all
//! (relevance), its ACLED sub-event type, and each actor's ACLED type.
//! Where the rules propose nothing in a short text the models may propose
//! an event themselves, at the word that weighed most ([`propose`]).
//!
//! Features are read from the rules' own output (the event's sentences,
//! the triggers, tolls and actors found in them, the rules' coding), by the
//! same functions at training and at inference: no train/serve skew.

use warcoder_learn::{Feature, FeatureSet, LinearModel};

use crate::model::{sentence_range, Document, Modality, TokenKind, TriggerMention};
use crate::output::{actor_inter1, actor_inter2, scored_among, ActorOut, EventOut, Reason};
use crate::pipeline::Products;
use crate::Resources;

/// log2 of the hashed feature space `warcoder train` fits in unless told
/// otherwise; at inference the models' own space is used ([`Models::bits`]).
pub const FEATURE_BITS: u32 = 18;

/// Below this probability of being political violence or a demonstration
/// an event is dropped. Low on purpose: a missed event costs more than a
/// spurious one the other stages may still catch.
pub const RELEVANCE_THRESHOLD: f32 = 0.3;

/// The trained models; each is optional so that the pipeline runs on the
/// rules alone where a model file is absent (an empty file).
#[derive(Default)]
pub struct Models {
    pub sub_event: Option<LinearModel>,
    pub actor_type: Option<LinearModel>,
    /// The type of the event's first actor (ACLED inter1, "1"-"8"), from
    /// the event's features: for events whose actor the lexicon missed.
    pub actor1_type: Option<LinearModel>,
    /// The type of its second actor ("0" for none).
    pub actor2_type: Option<LinearModel>,
    pub relevance: Option<LinearModel>,
}

impl Models {
    fn all(&self) -> [&Option<LinearModel>; 5] {
        [
            &self.sub_event,
            &self.actor_type,
            &self.actor1_type,
            &self.actor2_type,
            &self.relevance,
        ]
    }

    /// The hashed feature space the models were trained in (all share it:
    /// the features of an event are computed once for every model).
    pub fn bits(&self) -> u32 {
        self.all()
            .iter()
            .find_map(|m| m.as_ref().map(LinearModel::bits))
            .unwrap_or(FEATURE_BITS)
    }

    /// The models compiled into the binary from `data/model/`.
    pub fn embedded() -> Self {
        let load = |name: &str, bytes: &[u8]| -> Option<LinearModel> {
            if bytes.is_empty() {
                return None;
            }
            match LinearModel::from_bytes(bytes) {
                Ok(m) => Some(m),
                Err(e) => panic!("data/model/{name}.bin: {e}"),
            }
        };
        let models = Models {
            sub_event: load(
                "sub_event",
                include_bytes!("../../../data/model/sub_event.bin"),
            ),
            actor_type: load(
                "actor_type",
                include_bytes!("../../../data/model/actor_type.bin"),
            ),
            actor1_type: load(
                "actor1_type",
                include_bytes!("../../../data/model/actor1_type.bin"),
            ),
            actor2_type: load(
                "actor2_type",
                include_bytes!("../../../data/model/actor2_type.bin"),
            ),
            relevance: load(
                "relevance",
                include_bytes!("../../../data/model/relevance.bin"),
            ),
        };
        let bits = models.bits();
        assert!(
            models.all().into_iter().flatten().all(|m| m.bits() == bits),
            "data/model/*.bin were trained in different feature spaces: retrain them together with `warcoder train`"
        );
        models
    }
}

/// The sentences an event's evidence covers.
pub fn event_sentences(doc: &Document, ev: &EventOut) -> Vec<usize> {
    doc.sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            ev.evidence
                .iter()
                .any(|e| s.span[0] >= e[0] && s.span[1] <= e[1])
        })
        .map(|(i, _)| i)
        .collect()
}

/// Word uni- and bigrams of the given sentences (lowercased, numbers as `#`).
fn add_words(doc: &Document, sentences: &[usize], fs: &mut FeatureSet) {
    for &si in sentences {
        let mut prev: Option<&str> = None;
        for t in doc.sentence_tokens(si) {
            let key = match t.kind {
                TokenKind::Word => t.key.as_str(),
                TokenKind::Number => "#",
                TokenKind::Punct => {
                    prev = None;
                    continue;
                }
            };
            fs.add("w=", key);
            if t.kind == TokenKind::Word {
                add_char_grams(key, fs);
            }
            if let Some(p) = prev {
                fs.add_parts(&["b=", p, "|", key]);
            }
            prev = Some(key);
        }
    }
}

/// Character 4-grams of a word with its boundaries ("<shel", "lled>"):
/// they carry what words share ("shelled", "shelling") to words the
/// training notes never used.
fn add_char_grams(word: &str, fs: &mut FeatureSet) {
    if word.len() < 4 || !word.is_ascii() {
        return;
    }
    // The 4-grams of "<word>": the first and last carry a boundary mark.
    let n = word.len();
    fs.add_parts(&["c=", "<", &word[..3]]);
    for i in 0..=n - 4 {
        // ASCII: every 4-byte window is a str.
        fs.add("c=", &word[i..i + 4]);
    }
    fs.add_parts(&["c=", &word[n - 3..], ">"]);
}

/// What the recognisers found in the sentences: trigger classes with their
/// modality, toll kinds, actor types from the lexicon.
fn add_mentions(doc: &Document, res: &Resources, sentences: &[usize], fs: &mut FeatureSet) {
    // The event's sentences in document order, each once: the mentions
    // come in the order of the document's lists, found per sentence
    // instead of by a scan of every mention for every event.
    let mut sentences = sentences.to_vec();
    sentences.sort_unstable();
    sentences.dedup();
    let each = |list: fn(&Document, usize) -> std::ops::Range<usize>| {
        sentences.iter().flat_map(move |&s| list(doc, s))
    };
    for t in each(|d, s| sentence_range(&d.triggers, s)).map(|i| &doc.triggers[i]) {
        let e = &res.triggers.entries[t.entry];
        fs.add_fact("trig=", &e.class);
        fs.add_fact("trigmod=", &format!("{}:{:?}", e.class, t.modality));
        fs.add_fact("trigsub=", e.sub_event_type.as_deref().unwrap_or("-"));
        if t.anaphoric {
            fs.add_fact("trig_anaphoric", "");
        }
    }
    for t in each(|d, s| sentence_range(&d.tolls, s)).map(|i| &doc.tolls[i]) {
        let some = if t.quantity.low > 0 { "some" } else { "none" };
        fs.add_fact("toll=", &format!("{:?}:{some}", t.kind));
        if let Some(who) = &t.who {
            fs.add_fact("tollwho=", &who.to_lowercase());
        }
    }
    for a in each(|d, s| sentence_range(&d.actors, s)).map(|i| &doc.actors[i]) {
        let e = &res.actors.entries[a.entry];
        fs.add_fact("lexinter=", &e.inter.to_string());
        fs.add_fact("lexactor=", &e.canonical.to_lowercase());
    }
    if each(|d, s| sentence_range(&d.places, s)).next().is_some() {
        fs.add_fact("place", "");
    }
}

/// The features of an event: its sentences' words, the mentions in them
/// and the rules' coding of it. `ev` is None for a text the rules found no
/// event in (training only: the whole text then stands for the event).
pub fn event_features(
    doc: &Document,
    res: &Resources,
    ev: Option<&EventOut>,
    sentences: &[usize],
    bits: u32,
) -> Vec<Feature> {
    let mut fs = FeatureSet::new(bits);
    add_event_features(doc, res, ev, sentences, &mut fs);
    fs.finish()
}

/// The features the relevance model reads for an event: its
/// [`event_features`] and, in a text longer than [`SHORT_TEXT_BYTES`], as
/// context of their own, the words of the whole document. Whether "an
/// attack" is political violence depends on what the text is about: a
/// match report's "attack" sits among strikers and goals. A short text has
/// no more to say than its event's words.
pub fn with_document_context(doc: &Document, mut event: Vec<Feature>, bits: u32) -> Vec<Feature> {
    if is_short(doc) {
        return event;
    }
    let mut fs = FeatureSet::new(bits);
    for t in &doc.tokens {
        if t.kind == TokenKind::Word {
            fs.add_context("d=", &t.key);
        }
    }
    // A group of its own, weighed apart (`FeatureSet::finish`): merged
    // after the event's, in bucket order, as one set would give them.
    event.extend(fs.finish());
    event.sort_by_key(|f| f.0);
    event
}

/// [`event_features`] with the string of each feature (for explanations).
fn named_event_features(
    doc: &Document,
    res: &Resources,
    ev: Option<&EventOut>,
    sentences: &[usize],
    bits: u32,
) -> (Vec<Feature>, Vec<(u32, String)>) {
    let mut fs = FeatureSet::named(bits);
    add_event_features(doc, res, ev, sentences, &mut fs);
    fs.finish_named()
}

fn add_event_features(
    doc: &Document,
    res: &Resources,
    ev: Option<&EventOut>,
    sentences: &[usize],
    fs: &mut FeatureSet,
) {
    fs.add_fact("bias", "");
    add_words(doc, sentences, fs);
    add_mentions(doc, res, sentences, fs);
    match ev {
        None => fs.add_fact("rule=", "none"),
        Some(ev) => {
            fs.add_fact("rule=", ev.acled_sub_event_type.as_deref().unwrap_or("-"));
            for a in &ev.actors {
                fs.add_fact("actor=", &format!("{}:{}", a.role, a.inter));
            }
            if ev.fatalities.as_ref().is_some_and(|f| f.best > 0) {
                fs.add_fact("killed", "");
            }
            for (what, c) in [
                ("injured", &ev.injured),
                ("arrested", &ev.arrested),
                ("abducted", &ev.abducted),
            ] {
                if c.is_some() {
                    fs.add_fact(what, "");
                }
            }
            if !ev.claimed_by.is_empty() {
                fs.add_fact("claimed", "");
            }
        }
    }
}

/// Lowercased words of a name or mention.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
}

/// The features of one actor of an event: the words of its mention and
/// name, the two words either side, its lexicon type, role and the event.
pub fn actor_features(doc: &Document, ev: &EventOut, actor: &ActorOut, bits: u32) -> Vec<Feature> {
    let mut fs = FeatureSet::new(bits);
    fs.add_fact("bias", "");
    for w in words(&actor.mention) {
        fs.add("m=", &w);
    }
    let mut name_words = words(&actor.name).peekable();
    let head = name_words.peek().cloned().unwrap_or_default();
    fs.add_fact("head=", &head);
    for w in name_words {
        fs.add("n=", &w);
    }
    fs.add_fact("lex=", &actor.inter.to_string());
    fs.add_fact("role=", &actor.role);
    fs.add_fact("rolelex=", &format!("{}:{}", actor.role, actor.inter));
    fs.add_fact("sub=", ev.acled_sub_event_type.as_deref().unwrap_or("-"));
    // A country's army fighting abroad is ACLED's type 8, at home type 1.
    let place = ev.location.as_ref().map(|l| l.country.as_str());
    match (actor.country.as_deref(), place) {
        (Some(a), Some(p)) if a == p => fs.add_fact("country=", "home"),
        (Some(_), Some(_)) => fs.add_fact("country=", "abroad"),
        (Some(_), None) => fs.add_fact("country=", "given"),
        (None, _) => {}
    }
    let first = doc.tokens.partition_point(|t| t.span[1] <= actor.span[0]);
    let last = doc.tokens.partition_point(|t| t.span[0] < actor.span[1]);
    for (side, range) in [
        ("l=", first.saturating_sub(2)..first),
        ("r=", last..(last + 2).min(doc.tokens.len())),
    ] {
        for t in &doc.tokens[range] {
            fs.add(side, &t.key);
        }
    }
    fs.finish()
}

/// The rules' sub-event type stands unless the model gives it a
/// probability under this: the model decides where the rules are unsure
/// or wrong, not where their reading is one the model also finds plausible.
/// `warcoder train` reports the cross-validated accuracy on the notes for
/// each value, and there 0.5 scores best; but on news text, which the model
/// never learned from, 0.5 retypes 3 of the 29 test articles wrongly (an
/// army's recapture as a clash, an abduction as an attack, arrests as
/// disrupted weapons use), so the rules' reading weighs more.
pub const KEEP_RULE_TYPE: f32 = 0.1;

/// A text of at most this many bytes of sentences is short: a note, a
/// snippet, a news sentence or two, the kind of text the models learned
/// from. There the models may propose an event the rules did not find
/// ([`propose`]). A longer
/// article without one trigger word the rules know is taken at its word:
/// there the whole text's words say too little about any one sentence to
/// place an event in it.
pub const SHORT_TEXT_BYTES: usize = 600;

/// Bytes of the document's sentences.
fn sentence_bytes(doc: &Document) -> usize {
    doc.sentences.iter().map(|s| s.span[1] - s.span[0]).sum()
}

/// Whether `doc` is a short text ([`SHORT_TEXT_BYTES`]).
fn is_short(doc: &Document) -> bool {
    sentence_bytes(doc) <= SHORT_TEXT_BYTES
}

/// The sub-event type class (index into the model's classes) and its
/// probability, the rules' type kept unless its probability is under
/// [`KEEP_RULE_TYPE`].
pub fn retype(m: &LinearModel, rule: Option<&str>, features: &[Feature]) -> (usize, f32) {
    let p = m.probabilities(features);
    let rule = rule.and_then(|r| m.classes.iter().position(|c| c == r));
    let chosen = keep_or_retype(&p, rule, KEEP_RULE_TYPE);
    (chosen, p[chosen])
}

/// The class chosen from probabilities `p`: the rules' class (`rule`, an
/// index into `p`) unless its probability is under `keep`, else the most
/// probable (the first of equals).
pub fn keep_or_retype(p: &[f32], rule: Option<usize>, keep: f32) -> usize {
    match rule {
        Some(r) if p[r] >= keep => r,
        _ => (0..p.len()).fold(0, |b, i| if p[i] > p[b] { i } else { b }),
    }
}

/// How much an actor's own words count against the event's when its type
/// is chosen: the exponent of the actor model's probabilities in
/// [`weigh_by_slot`]. `warcoder train` sweeps it, held out by country.
pub const OWN_ACTOR_WEIGHT: f32 = 1.0;

/// The actor model's probabilities `own` (per class) raised to
/// `own_weight`, times the event-level model's for the same class
/// (`slot(c)`), renormalised; `own` unchanged when every product is zero.
pub fn weigh_by_slot(own: &mut [f32], slot: impl Fn(usize) -> f32, own_weight: f32) {
    let joint: Vec<f32> = (0..own.len())
        .map(|c| own[c].powf(own_weight) * slot(c))
        .collect();
    let z: f32 = joint.iter().sum();
    if z > 0.0 {
        own.iter_mut().zip(joint).for_each(|(v, j)| *v = j / z);
    }
}

/// An actor's type class (index into `own`'s classes) and its probability:
/// the actor model's probabilities on the actor's own features, times, for
/// the actor in the first or second slot, the event-level model's for that
/// slot on the event's features ([`weigh_by_slot`]). The event's words say
/// what kind of actor ACLED codes there, the actor's words which one this
/// is: held out by country, the product beats either alone (`warcoder
/// train` prints all three).
fn actor_type(
    own: &LinearModel,
    features: &[Feature],
    slot: Option<(&LinearModel, &[Feature])>,
) -> (usize, f32) {
    let mut p = own.probabilities(features);
    if let Some((m, event)) = slot {
        let q = m.probabilities(event);
        let index: Vec<Option<usize>> = own
            .classes
            .iter()
            .map(|name| m.classes.iter().position(|n| n == name))
            .collect();
        weigh_by_slot(&mut p, |c| index[c].map_or(0.0, |i| q[i]), OWN_ACTOR_WEIGHT);
    }
    let best = (0..p.len()).fold(0, |b, i| if p[i] > p[b] { i } else { b });
    (best, p[best])
}

/// Reasons an explanation lists at most.
const REASONS: usize = 6;

/// What an explained feature is about: a word of the text (its word and
/// character features), a pair of adjacent words, or a fact.
#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Subject {
    Words(usize, usize),
    Fact(String),
}

/// Why model `m` gives `class`: each feature's share of the class's
/// log-probability (the feature times the gradient of log p: its weight for
/// the class less its expected weight over all classes), summed per word or
/// fact, the strongest first. Words are found in the event's `sentences`.
fn explain(
    doc: &Document,
    m: &LinearModel,
    class: usize,
    (features, names): (&[Feature], &[(u32, String)]),
    sentences: &[usize],
) -> Vec<Reason> {
    let p = m.probabilities(features);
    let share = |bucket: u32, x: f32| {
        let expected: f32 = (0..p.len()).map(|c| p[c] * m.weight(bucket, c)).sum();
        x * (m.weight(bucket, class) - expected) / m.temperature
    };
    let tokens: Vec<usize> = sentences
        .iter()
        .flat_map(|&s| {
            let (a, b) = doc.sentences[s].tokens;
            a..b
        })
        .collect();
    let key = |i: usize| match doc.tokens[i].kind {
        TokenKind::Number => "#",
        _ => doc.tokens[i].key.as_str(),
    };
    let first = |wanted: &dyn Fn(usize) -> bool| tokens.iter().copied().find(|&i| wanted(i));
    let mut shares: std::collections::BTreeMap<Subject, f32> = Default::default();
    for (bucket, name) in names {
        let Ok(at) = features.binary_search_by_key(bucket, |f| f.0) else {
            continue;
        };
        let subject = match name.split_once('=') {
            Some(("w", word)) => first(&|i| key(i) == word).map(|i| Subject::Words(i, i)),
            Some(("c", gram)) => first(&|i| {
                let k = &doc.tokens[i].key;
                k.len() >= 4 && format!("<{k}>").contains(gram)
            })
            .map(|i| Subject::Words(i, i)),
            Some(("b", pair)) => pair.split_once('|').and_then(|(a, b)| {
                first(&|i| {
                    i > 0
                        && doc.tokens[i].sentence == doc.tokens[i - 1].sentence
                        && doc.tokens[i - 1].kind != TokenKind::Punct
                        && key(i - 1) == a
                        && key(i) == b
                })
                .map(|i| Subject::Words(i - 1, i))
            }),
            _ if name == "bias" => None,
            _ => Some(Subject::Fact(name.clone())),
        };
        if let Some(subject) = subject {
            *shares.entry(subject).or_default() += share(*bucket, features[at].1);
        }
    }
    let mut reasons: Vec<Reason> = shares
        .into_iter()
        .filter(|(_, w)| *w > 0.0)
        .map(|(subject, weight)| match subject {
            Subject::Words(a, b) => {
                let span = [doc.tokens[a].span[0], doc.tokens[b].span[1]];
                Reason {
                    text: doc.slice(span).to_string(),
                    span: Some(span),
                    weight,
                }
            }
            Subject::Fact(text) => Reason {
                text,
                span: None,
                weight,
            },
        })
        .collect();
    reasons.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    reasons.truncate(REASONS);
    reasons
}

/// ACLED's names for an actor of a type whose name the text does not give.
fn unnamed_actor(inter: u8) -> &'static str {
    match inter {
        1 => "Military Forces",
        2 => "Rebel Group",
        3 => "Unidentified Armed Group",
        4 => "Communal Militia",
        5 => "Rioters",
        6 => "Protesters",
        7 => "Civilians",
        _ => "Unidentified Actor",
    }
}

/// ACLED codes a first actor for every event and a second where someone is
/// acted on, named or not ("Unidentified Armed Group (Nigeria)",
/// "Civilians (Mali)"): the event-level models add those the text does not
/// name (the slots METRICS.md scores as inter1 and inter2 are empty; a
/// second actor only when the text names at most one), as the
/// demonstrators of a protest are added, pointing at the trigger.
fn add_unnamed_actors(res: &Resources, models: &Models, features: &[Feature], ev: &mut EventOut) {
    let slots = [
        (&models.actor1_type, actor_inter1(ev).is_some(), true),
        (
            &models.actor2_type,
            actor_inter2(ev).is_some() || ev.actors.len() >= 2,
            false,
        ),
    ];
    let mut added = Vec::new();
    for (model, present, first) in slots {
        let Some(m) = model.as_ref().filter(|_| !present) else {
            continue;
        };
        let (class, p) = m.predict(features);
        let Some(inter) = m.classes[class]
            .parse::<u8>()
            .ok()
            .filter(|i| (1..=8).contains(i))
        else {
            continue;
        };
        let country = ev
            .location
            .as_ref()
            .map(|l| l.country.clone())
            .filter(|c| !c.is_empty());
        let base = unnamed_actor(inter);
        let name = match country.as_deref().and_then(|c| res.gazetteer.country(c)) {
            Some(i) => format!("{base} ({})", res.gazetteer.entry(i).name),
            None => base.to_string(),
        };
        let role = match (first, inter) {
            (true, 5 | 6) => "participant",
            (true, _) => "perpetrator",
            (false, _) => "target",
        };
        added.push((
            first,
            ActorOut {
                name,
                role: role.into(),
                inter,
                country,
                mention: ev.trigger.text.clone(),
                span: ev.trigger.span,
                inter_confidence: Some(p),
                person: false,
            },
        ));
    }
    for (first, a) in added {
        if first {
            ev.actors.insert(0, a);
        } else {
            ev.actors.push(a);
        }
    }
}

/// The relevance the models need to propose an event the rules did not
/// find (the rules' own events need only [`RELEVANCE_THRESHOLD`]): `warcoder
/// train` reports the cross-validated accuracy and the share of short
/// non-event texts given an event for each value.
pub const PROPOSAL_THRESHOLD: f32 = 0.5;

/// Whether the models may propose an event in `doc`: short, and no ACLED
/// event among the rules' (whatever their status: a background event is
/// the rules' reading too).
fn proposable(doc: &Document, events: &[EventOut]) -> bool {
    is_short(doc)
        && events.iter().all(|e| e.acled_sub_event_type.is_none())
        && doc.triggers.iter().all(|t| {
            // The rules read an act and judged that it did not happen ("No
            // one was attacked", "could have killed", "plan to attack"):
            // their judgement stands.
            matches!(t.modality, Modality::Asserted | Modality::Ongoing)
        })
}

fn every_sentence(doc: &Document) -> Vec<usize> {
    (0..doc.sentences.len()).collect()
}

/// The relevance model's probability of "yes".
fn relevance_of(m: &LinearModel, features: &[Feature]) -> f32 {
    let p = m.probabilities(features);
    p[m.classes.iter().position(|c| c == "yes").unwrap_or(1)]
}

/// What training reads from one text: the features of the event the scorer
/// would pick (METRICS.md), or of the whole text when the rules found none,
/// and of the two actors it scores as `inter1` and `inter2`.
pub struct TextFeatures {
    pub event: Vec<Feature>,
    /// The rules found a new event (the scorer's pick).
    pub scored: bool,
    /// The rules' sub-event type of the scored event (None: no event).
    pub rule_sub_event: Option<String>,
    /// Features and lexicon type of the actor scored as `inter1`.
    pub actor1: Option<(Vec<Feature>, u8)>,
    pub actor2: Option<(Vec<Feature>, u8)>,
    /// What the relevance model reads of the scored event (of the whole
    /// text without one): [`with_document_context`].
    pub relevance: Vec<Feature>,
    /// The relevance features of every event the rules found.
    pub events: Vec<Vec<Feature>>,
    /// The whole text's features where the models may propose an event
    /// ([`propose`]): what the relevance and sub-event models then read.
    pub proposable: Option<Vec<Feature>>,
    /// The scored event's fatalities (`best`, 0 without a toll; None: no event).
    pub fatalities: Option<u64>,
}

/// Run the rules on a text and read its training features in the feature
/// space of `bits`.
pub fn text_features(text: &str, res: &Resources, bits: u32) -> TextFeatures {
    let mut doc = crate::plain_document(text, None);
    let (events, _) = crate::rule_events(&mut doc, res, &Default::default());
    let features_of =
        |ev: &EventOut| event_features(&doc, res, Some(ev), &event_sentences(&doc, ev), bits);
    let scored = scored_among(&events);
    let actor = |pick: fn(&EventOut) -> Option<&ActorOut>| {
        scored.and_then(|ev| pick(ev).map(|a| (actor_features(&doc, ev, a, bits), a.inter)))
    };
    let whole = || event_features(&doc, res, None, &every_sentence(&doc), bits);
    let relevance_of = |ev: Option<&EventOut>| {
        let sentences = match ev {
            Some(ev) => event_sentences(&doc, ev),
            None => every_sentence(&doc),
        };
        with_document_context(&doc, event_features(&doc, res, ev, &sentences, bits), bits)
    };
    TextFeatures {
        event: match scored {
            Some(ev) => features_of(ev),
            None => whole(),
        },
        relevance: relevance_of(scored),
        scored: scored.is_some(),
        rule_sub_event: scored.and_then(|ev| ev.acled_sub_event_type.clone()),
        actor1: actor(actor_inter1),
        actor2: actor(actor_inter2),
        events: events.iter().map(|ev| relevance_of(Some(ev))).collect(),
        proposable: proposable(&doc, &events).then(whole),
        fatalities: scored.map(|ev| ev.fatalities.as_ref().map_or(0, |f| f.best)),
    }
}

/// Where the rules found no ACLED event in a short text, the models may
/// propose one: when the relevance model, reading the whole text, gives
/// political violence at least [`PROPOSAL_THRESHOLD`], the word that weighed
/// most for the sub-event type the model reads there (outside the names of
/// actors, places and dates) becomes a trigger of that type, the lexicon's
/// first plain trigger of it, flagged `proposed`. Returns whether one was
/// added; assembly then runs again around it.
pub fn propose(doc: &mut Document, res: &Resources, models: &Models, events: &[EventOut]) -> bool {
    let (Some(relevance), Some(sub)) = (&models.relevance, &models.sub_event) else {
        return false;
    };
    if !proposable(doc, events) {
        return false;
    }
    let sentences = every_sentence(doc);
    let whole = event_features(doc, res, None, &sentences, models.bits());
    let context = with_document_context(doc, whole, models.bits());
    if relevance_of(relevance, &context) < PROPOSAL_THRESHOLD {
        return false;
    }
    // The named features (slower: a string per feature) only for a text
    // the relevance model lets through.
    let (features, names) = named_event_features(doc, res, None, &sentences, models.bits());
    let (class, _) = sub.predict(&features);
    let wanted = sub.classes[class].as_str();
    let Some(entry) =
        res.triggers.entries.iter().position(|e| {
            e.sub_event_type.as_deref() == Some(wanted) && !e.weak && e.needs.is_empty()
        })
    else {
        return false;
    };
    let named = |span: &[usize; 2]| {
        let inside = |s: &[usize; 2]| s[0] <= span[0] && span[1] <= s[1];
        doc.actors.iter().any(|m| inside(&m.span))
            || doc.places.iter().any(|m| inside(&m.span))
            || doc.dates.iter().any(|m| inside(&m.span))
    };
    let reasons = explain(doc, sub, class, (&features, &names), &sentences);
    let Some(token) = reasons.iter().filter_map(|r| r.span).find_map(|span| {
        doc.tokens
            .iter()
            .position(|t| t.span[0] == span[0] && t.kind == TokenKind::Word)
            .filter(|&i| !named(&doc.tokens[i].span))
    }) else {
        return false;
    };
    let (span, sentence) = (doc.tokens[token].span, doc.tokens[token].sentence);
    let at = doc
        .triggers
        .partition_point(|m| (m.sentence, m.tokens.0) <= (sentence, token));
    doc.triggers.insert(
        at,
        TriggerMention {
            span,
            tokens: (token, token + 1),
            sentence,
            entry,
            modality: Modality::Asserted,
            anaphoric: false,
            another: false,
            serial: false,
            proposed: true,
        },
    );
    true
}

/// The learned stage on the rules' products: where asked to
/// (`Products::propose`), propose an event where a short text has none
/// ([`propose`], then assembly again); then apply the models
/// ([`apply_models`]).
pub fn decide(doc: &mut Document, res: &Resources, models: &Models, out: &mut Products) {
    if out.propose && propose(doc, res, models, &out.events) {
        let assembly = crate::assemble::assemble(doc, res);
        (out.events, out.aggregates) = crate::consolidate::consolidate(doc, res, &assembly);
        out.assembly = Some(assembly);
    }
    apply_models(doc, res, models, &mut out.events, out.explain);
}

/// Apply the models to the rules' ACLED events: drop those the relevance
/// model rejects, retype the rest, and type their actors. Every feature is read
/// before anything is changed, as in training.
/// With `explain`, each retyped event says which words and facts weighed
/// most for its type (`type_explanation`).
pub fn apply_models(
    doc: &Document,
    res: &Resources,
    models: &Models,
    events: &mut Vec<EventOut>,
    explain: bool,
) {
    let bits = models.bits();
    let mut keep = vec![true; events.len()];
    for (ev, keep) in events.iter_mut().zip(keep.iter_mut()) {
        // The models know ACLED's events only: acts ACLED does not code
        // (talks) keep the rules' coding.
        if ev.acled_sub_event_type.is_none() {
            continue;
        }
        let sentences = event_sentences(doc, ev);
        let features = event_features(doc, res, Some(ev), &sentences, bits);
        let actor_features: Vec<Vec<Feature>> = ev
            .actors
            .iter()
            .map(|a| actor_features(doc, ev, a, bits))
            .collect();
        if let Some(m) = &models.relevance {
            let relevant = relevance_of(m, &with_document_context(doc, features.clone(), bits));
            *keep = relevant >= RELEVANCE_THRESHOLD;
            ev.relevance = Some(relevant);
        }
        if let Some(m) = &models.sub_event {
            let (class, p) = retype(m, ev.acled_sub_event_type.as_deref(), &features);
            if explain {
                let named = named_event_features(doc, res, Some(ev), &sentences, bits);
                ev.type_explanation =
                    self::explain(doc, m, class, (&named.0, &named.1), &sentences);
            }
            if let Some(o) = res.ontology.sub_event(&m.classes[class]) {
                ev.acled_event_type = Some(o.event_type.clone());
                ev.acled_sub_event_type = Some(o.sub_event_type.clone());
                ev.disorder_type = Some(o.disorder_type.clone());
                ev.type_confidence = Some(p);
            }
        }
        if let Some(m) = &models.actor_type {
            let slot = |pick: fn(&EventOut) -> Option<&ActorOut>| {
                pick(ev).and_then(|x| ev.actors.iter().position(|a| std::ptr::eq(a, x)))
            };
            let slots = [
                (slot(actor_inter1), &models.actor1_type),
                (slot(actor_inter2), &models.actor2_type),
            ];
            for (i, (a, f)) in ev.actors.iter_mut().zip(&actor_features).enumerate() {
                let event_level = slots
                    .iter()
                    .find(|(at, _)| *at == Some(i))
                    .and_then(|(_, m)| m.as_ref());
                let (class, p) = actor_type(m, f, event_level.map(|e| (e, &features[..])));
                if let Ok(inter) = m.classes[class].parse::<u8>() {
                    a.inter = inter;
                    a.inter_confidence = Some(p);
                }
            }
        }
        add_unnamed_actors(res, models, &features, ev);
    }
    let mut keep = keep.into_iter();
    events.retain(|_| keep.next().unwrap_or(true));
    for (i, ev) in events.iter_mut().enumerate() {
        ev.id = format!("e{}", i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warcoder_learn::{hash_feature, train, Example, TrainOptions};

    /// A two-class toy model: feature 1 means "Attack", feature 2 "Armed clash".
    fn toy() -> LinearModel {
        let ex: Vec<Example> = (0..100)
            .map(|i| Example {
                features: vec![(1 + (i % 2), 1.0)],
                label: (i % 2) as u16,
            })
            .collect();
        let refs: Vec<&Example> = ex.iter().collect();
        let opts = TrainOptions {
            bits: 4,
            ..Default::default()
        };
        train(
            &refs,
            vec!["Attack".into(), "Armed clash".into()],
            &opts,
            &mut |_| {},
        )
    }

    #[test]
    fn rule_type_stands_unless_the_model_rejects_it() {
        let m = toy();
        // The model is sure of "Attack": the rules' "Armed clash" falls.
        assert_eq!(retype(&m, Some("Armed clash"), &[(1, 1.0)]).0, 0);
        // No evidence either way: the rules' reading stands.
        assert_eq!(retype(&m, Some("Armed clash"), &[]).0, 1);
        // A type the model does not know: its own best guess.
        assert_eq!(retype(&m, Some("Grenade"), &[(2, 1.0)]).0, 1);
    }

    #[test]
    fn learned_fields_on_a_coded_attack() {
        let res = Resources::shared();
        if res.models.sub_event.is_none() || res.models.relevance.is_none() {
            println!("skipped: no embedded models (data/model/*.bin empty)");
            return;
        }
        let out = crate::extract_text(
            "Gunmen killed five villagers in an attack on Kuka village in Zamfara state on Tuesday, police said.",
            None,
            res,
        );
        let ev = &out.events[0];
        assert_eq!(ev.acled_sub_event_type.as_deref(), Some("Attack"));
        assert!(ev.type_confidence.is_some_and(|p| p > 0.5 && p <= 1.0));
        assert!(ev.relevance.is_some_and(|p| p >= RELEVANCE_THRESHOLD));
        assert!(ev.actors.iter().any(|a| a.inter == 7 && a.role == "target"));
    }

    #[test]
    fn talks_keep_the_rules_coding() {
        let res = Resources::shared();
        let out = crate::extract_text(
            "US President Joe Biden held talks with Chinese President Xi Jinping in Bali.",
            None,
            res,
        );
        assert!(!out.events.is_empty(), "the talks are coded");
        assert!(out.events.iter().all(|e| e.type_confidence.is_none()
            && e.relevance.is_none()
            && e.acled_sub_event_type.is_none()));
    }

    #[test]
    fn an_explained_type_names_the_words_that_weighed_most() {
        let res = Resources::shared();
        if res.models.sub_event.is_none() {
            println!("skipped: no embedded sub-event model (data/model/sub_event.bin empty)");
            return;
        }
        let text = "Militants shelled the village of Kuka in Zamfara state on Tuesday, killing five civilians, police said.";
        let doc = crate::plain_document(text, None);
        let explained = crate::try_extract_explained(doc.clone(), res, Default::default()).unwrap();
        let plain = crate::try_extract(doc, res, Default::default()).unwrap();
        let ev = &explained.events[0];
        let reasons = &ev.type_explanation;
        assert!(
            !reasons.is_empty() && reasons.len() <= REASONS,
            "{reasons:?}"
        );
        assert!(reasons.windows(2).all(|w| w[0].weight >= w[1].weight));
        assert!(reasons.iter().all(|r| r.weight > 0.0));
        for r in reasons {
            if let Some(span) = r.span {
                assert_eq!(&text[span[0]..span[1]], r.text);
            }
        }
        // A word of the text is among the reasons, not only the rules' facts.
        assert!(reasons.iter().any(|r| r.span.is_some()), "{reasons:?}");
        // Explaining changes nothing else.
        assert!(plain.events.iter().all(|e| e.type_explanation.is_empty()));
        let mut without = explained.clone();
        without
            .events
            .iter_mut()
            .for_each(|e| e.type_explanation.clear());
        assert_eq!(
            serde_json::to_string(&without).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
    }

    /// Short texts without a trigger the lexicon knows: the models propose
    /// an event at the word that weighed most, or nothing.
    #[test]
    fn the_models_propose_an_event_in_a_short_text_the_rules_miss() {
        let res = Resources::shared();
        if res.models.sub_event.is_none() || res.models.relevance.is_none() {
            println!("skipped: no embedded models (data/model/*.bin empty)");
            return;
        }
        let text =
            "Armed herders rustled forty cows from farmers near Gwoza in Borno state on Monday.";
        let doc = crate::plain_document(text, None);
        let mut rules = doc.clone();
        let (events, _) = crate::rule_events(&mut rules, res, &Default::default());
        assert!(
            events.iter().all(|e| e.acled_sub_event_type.is_none()),
            "the rules code this text themselves now: pick another phrasing"
        );
        let never = crate::config::Config {
            propose: false,
            ..crate::config::Config::new(Default::default())
        };
        let without = crate::try_extract_with(doc.clone(), res, &never).unwrap();
        assert!(without.events.iter().all(|e| !e.trigger.proposed));
        let config = crate::config::Config::new(Default::default());
        let out = crate::try_extract_with(doc, res, &config).unwrap();
        let ev = out
            .events
            .iter()
            .find(|e| e.trigger.proposed)
            .expect("an event proposed by the models");
        assert_eq!(
            ev.acled_sub_event_type.as_deref(),
            Some("Looting/property destruction")
        );
        assert_eq!(
            &text[ev.trigger.span[0]..ev.trigger.span[1]],
            ev.trigger.text
        );
        let json = serde_json::to_string(ev).unwrap();
        assert!(json.contains("\"proposed\":true"), "{json}");
        // Not every short text: news that is no political violence.
        for quiet in [
            "Arsenal beat Chelsea two goals to nil at the Emirates on Sunday.",
            "Shares in the carmaker fell sharply in Frankfurt.",
            "The central bank raised interest rates by a quarter point on Thursday.",
        ] {
            let doc = crate::plain_document(quiet, None);
            let out = crate::try_extract_with(doc, res, &config).unwrap();
            assert!(
                out.events.iter().all(|e| !e.trigger.proposed),
                "{quiet}: {:?}",
                out.events
            );
        }
    }

    /// The relevance model reads the whole document around an event only
    /// where there is more of it than the event (a long text).
    #[test]
    fn relevance_reads_the_document_around_an_event_in_a_long_text() {
        let res = Resources::shared();
        let sentence = "Gunmen killed five villagers in Kuka village in Zamfara state on Tuesday.";
        let features = |text: &str| {
            let mut doc = crate::plain_document(text, None);
            let (events, _) = crate::rule_events(&mut doc, res, &Default::default());
            let ev = events.first().expect("the rules code the sentence");
            let sentences = event_sentences(&doc, ev);
            let event = event_features(&doc, res, Some(ev), &sentences, FEATURE_BITS);
            (
                event.clone(),
                with_document_context(&doc, event, FEATURE_BITS),
            )
        };
        let (event, relevance) = features(sentence);
        assert_eq!(event, relevance, "a short text is its event");
        let match_report =
            "The striker scored twice as the home side won the league match. ".repeat(12);
        let (event, relevance) = features(&format!("{sentence}\n\n{match_report}"));
        let context = hash_feature("d=striker", FEATURE_BITS);
        assert!(!event.iter().any(|f| f.0 == context));
        assert!(relevance.iter().any(|f| f.0 == context));
    }

    #[test]
    fn a_rule_trigger_is_not_marked_proposed() {
        let res = Resources::shared();
        let out = crate::extract_text(
            "Gunmen killed five villagers in an attack on Kuka village in Zamfara state on Tuesday.",
            None,
            res,
        );
        assert!(!out.events.is_empty());
        assert!(out.events.iter().all(|e| !e.trigger.proposed));
        let json = serde_json::to_string(&out.events[0]).unwrap();
        assert!(!json.contains("proposed"), "absent when false: {json}");
    }
}
