//! Stage 4: event frames. Triggers of one sentence that belong to one family
//! of acts form a frame; the frame collects the sentence's tolls (each toll
//! goes to its nearest trigger), actors with their roles, places, dates,
//! claims and attributions. Definite references ("that attack", "the blast
//! in Homs") add their sentence to the frame they refer to.

use crate::model::{
    enumerate_sentence, of_sentence, sentence_range, ActorMention, Document, Modality,
};
use crate::recognise::triggers::TriggerEntry;
use crate::recognise::Sentence;
use crate::Resources;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Perpetrator,
    Target,
    Claimant,
    Participant,
}

/// Coarse families of acts: triggers of one family in one sentence report
/// one act; different families are different acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Violence,
    Protest,
    Territory,
    Arrest,
    Agreement,
    Consult,
    Destruction,
    Organisation,
}

pub fn family(class: &str) -> Family {
    match class {
        "protest" | "protest_intervention" | "protest_force" | "riot" | "mob" => Family::Protest,
        "territory_gain" | "territory_loss" | "territory_withdraw" => Family::Territory,
        "arrest" => Family::Arrest,
        "agreement" => Family::Agreement,
        "consult" => Family::Consult,
        "destruction" => Family::Destruction,
        "hq" | "group_change" => Family::Organisation,
        _ => Family::Violence,
    }
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub family: Family,
    /// Trigger mentions, in text order.
    pub triggers: Vec<usize>,
    /// Every trigger is plural ("the blasts"): may summarise several incidents.
    pub plural: bool,
    /// Serial or habitual ("a string of bombings", "regularly targeted").
    pub serial: bool,
    /// From a headline or standfirst.
    pub headline: bool,
    /// Explicitly a new incident ("another bomb attack").
    pub another: bool,
    pub sentences: Vec<usize>,
    pub tolls: Vec<usize>,
    pub actors: Vec<(usize, Role)>,
    pub places: Vec<usize>,
    pub date: Option<usize>,
    /// A "since ..." period in the frame's sentence.
    pub period: Option<usize>,
}

impl Frame {
    /// The trigger that decides the event type: the highest priority.
    pub fn main_trigger<'a>(&self, doc: &Document, res: &'a Resources) -> &'a TriggerEntry {
        let entries = &res.triggers.entries;
        self.triggers
            .iter()
            .map(|&t| &entries[doc.triggers[t].entry])
            .filter(|e| {
                !e.weak
                    || self
                        .triggers
                        .iter()
                        .all(|&t| entries[doc.triggers[t].entry].weak)
            })
            .max_by_key(|e| e.priority)
            .expect("a frame has a trigger")
    }

    pub fn first_trigger_token(&self, doc: &Document) -> usize {
        doc.triggers[self.triggers[0]].tokens.0
    }
}

/// A claim of responsibility and what it points at.
#[derive(Debug, Clone)]
pub struct Claim {
    pub actor: usize,
    pub sentence: usize,
    /// Blamed by others ("attributed the device to al-Shabaab"), not claimed.
    pub accusation: bool,
    /// The frame the claim is about, when it is in the same sentence.
    pub frame: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Assembly {
    pub frames: Vec<Frame>,
    pub claims: Vec<Claim>,
    /// Tolls that no frame took (kept for aggregates with a period).
    pub orphan_tolls: Vec<usize>,
}

/// Build frames for a document.
pub fn assemble(doc: &Document, res: &Resources) -> Assembly {
    let mut asm = Assembly::default();
    // `commas_before[i]`: commas among tokens[..i], so that "is there a
    // comma between these two tokens" costs O(1), not a scan per pair
    // (a long run-on sentence made that cubic).
    let commas_before: Vec<u32> = std::iter::once(0)
        .chain(doc.tokens.iter().scan(0u32, |n, t| {
            *n += u32::from(t.key == ",");
            Some(*n)
        }))
        .collect();
    for si in 0..doc.sentences.len() {
        // "Three more were wounded": with no act and no party of its own, a
        // figure belongs to the incident of the sentences just before.
        let recent = asm.frames.iter().rposition(|f| {
            !f.triggers.is_empty()
                && !f.plural
                && !f.headline
                && f.sentences.iter().any(|&s| s + 3 >= si)
        });
        let trig = reporting_triggers(doc, res, si, recent.is_some());
        let first_new = asm.frames.len();
        group_frames(&mut asm, doc, res, si, &trig);
        let sentence_frames: Vec<usize> = (first_new..asm.frames.len()).collect();
        fold_frames(&mut asm, doc, res, si, &sentence_frames);
        assign_tolls(&mut asm, doc, si, &sentence_frames, recent, &commas_before);
        for &f in &sentence_frames {
            if !asm.frames[f].triggers.is_empty() {
                attach_context(doc, res, &mut asm.frames[f], si);
            }
        }
        asm.claims
            .extend(find_claims(doc, si, &sentence_frames, &asm.frames));
        join_references(&mut asm, doc, res, &sentence_frames, first_new);
    }
    drop_empty_frames(&mut asm);
    asm
}

/// The triggers of sentence `si` that report an act that happened; none
/// when only weak ones are left in a sentence with no armed party that
/// follows an incident (`recent`): its figures belong to that incident.
fn reporting_triggers(doc: &Document, res: &Resources, si: usize, recent: bool) -> Vec<usize> {
    let entries = &res.triggers.entries;
    let trig: Vec<usize> = sentence_range(&doc.triggers, si)
        .filter(|&t| {
            let m = &doc.triggers[t];
            match m.modality {
                Modality::Asserted => true,
                // "an attempted bombing was foiled": the foiling is the act.
                Modality::Foiled => entries[m.entry].class == "disrupted",
                Modality::Ongoing => entries[m.entry].plural,
                _ => false,
            }
        })
        .collect();
    let any_strong = trig.iter().any(|&t| !entries[doc.triggers[t].entry].weak);
    let armed_party = of_sentence(&doc.actors, si)
        .iter()
        .any(|a| matches!(res.actors.entries[a.entry].inter, 1 | 2 | 3 | 4 | 8));
    if !any_strong && !armed_party && recent && !doc.sentences[si].headline {
        return Vec::new();
    }
    trig.into_iter()
        .filter(|&t| !any_strong || !entries[doc.triggers[t].entry].weak)
        .collect()
}

/// Group the sentence's triggers into new frames by family; plural and
/// singular triggers apart.
fn group_frames(asm: &mut Assembly, doc: &Document, res: &Resources, si: usize, trig: &[usize]) {
    let entries = &res.triggers.entries;
    // A protest act in the sentence, not only the crowd's name or a
    // reference back ("Police arrested 20 protesters at the rally" is an
    // arrest; consolidate
    // joins it to the rally as the authorities' intervention).
    let has_protest = trig.iter().any(|&t| {
        family(&entries[doc.triggers[t].entry].class) == Family::Protest
            && !doc.triggers[t].anaphoric
            && !is_crowd_noun(&doc.tokens[doc.triggers[t].tokens.1 - 1].key)
    });
    let first_new = asm.frames.len();
    for &t in trig {
        let m = &doc.triggers[t];
        let e = &entries[m.entry];
        let mut fam = family(&e.class);
        if fam == Family::Arrest && has_protest {
            fam = Family::Protest;
        }
        // "in one of the deadliest attacks this year": this incident, one
        // of a kind, not a summary of several.
        let one_of = (m.tokens.0.saturating_sub(5)..m.tokens.0)
            .any(|i| doc.tokens[i].key == "one" && doc.tokens[i + 1].key == "of");
        let plural = (e.plural && !one_of) || m.modality == Modality::Ongoing;
        // "The ambush comes a week after JNIM fighters attacked ...": an
        // act on the other side of a dated "after"/"before" is another
        // incident, on another day.
        let beyond = |f: usize| {
            let last_end = asm.frames[f]
                .triggers
                .iter()
                .map(|&x| doc.triggers[x].tokens.1)
                .max()
                .unwrap_or(0);
            doc.dates.iter().any(|d| {
                matches!(
                    d.expr,
                    crate::model::DateExpr::AnchorOffset(_) | crate::model::DateExpr::Since(_)
                ) && d.tokens.0 >= last_end
                    && d.tokens.1 <= m.tokens.0
            })
        };
        let slot = (first_new..asm.frames.len())
            .find(|&f| asm.frames[f].family == fam && asm.frames[f].plural == plural && !beyond(f));
        match slot {
            Some(f) => {
                let fr = &mut asm.frames[f];
                fr.triggers.push(t);
                fr.serial |= m.serial;
                fr.another |= m.another;
            }
            None => asm.frames.push(Frame {
                family: fam,
                triggers: vec![t],
                plural,
                serial: m.serial,
                headline: doc.sentences[si].headline,
                another: m.another,
                sentences: vec![si],
                tolls: vec![],
                actors: vec![],
                places: vec![],
                date: None,
                period: None,
            }),
        }
    }
}

/// Frames of one sentence that report another frame's act move their
/// triggers into it: a past-tense verb beside a plural of its family, a
/// shooting at a protest, a raid that makes arrests.
fn fold_frames(
    asm: &mut Assembly,
    doc: &Document,
    res: &Resources,
    si: usize,
    sentence_frames: &[usize],
) {
    // "these attacks ... they all targeted": a past-tense verb beside a
    // plural of its family reports the plural, not a new incident.
    for &f in sentence_frames {
        let fr = &asm.frames[f];
        let verb_only = !fr.plural
            && fr.triggers.iter().all(|&t| {
                res.triggers.entries[doc.triggers[t].entry]
                    .phrase
                    .ends_with("ed")
            });
        let plural = sentence_frames
            .iter()
            .copied()
            .find(|&g| asm.frames[g].plural && asm.frames[g].family == fr.family);
        if let (true, Some(g)) = (verb_only, plural) {
            let moved = std::mem::take(&mut asm.frames[f].triggers);
            asm.frames[g].triggers.extend(moved);
        }
    }
    // Shootings at a protest are the protest's story; a raid that makes
    // arrests is the arrest: fold such frames into the sentence's
    // protest or arrest frame.
    for &f in sentence_frames {
        let fr = &asm.frames[f];
        if !is_fight_only(doc, res, fr) || fr.triggers.is_empty() {
            continue;
        }
        let host = sentence_frames.iter().copied().find(|&g| {
            g != f
                && !asm.frames[g].triggers.is_empty()
                && matches!(
                    asm.frames[g].family,
                    Family::Protest | Family::Arrest | Family::Territory
                )
        });
        if let Some(g) = host {
            let no_tolls = !of_sentence(&doc.tolls, si)
                .iter()
                .any(|t| t.kind == crate::model::TollKind::Killed && t.quantity.low > 0);
            if asm.frames[g].family != Family::Arrest || no_tolls {
                let moved = std::mem::take(&mut asm.frames[f].triggers);
                asm.frames[g].triggers.extend(moved);
            }
        }
    }
}

/// Tolls go to the nearest trigger's frame; a running total to the
/// sentence's serial frame; a figure with no frame of its own to the
/// `recent` incident, else among the orphans.
fn assign_tolls(
    asm: &mut Assembly,
    doc: &Document,
    si: usize,
    sentence_frames: &[usize],
    recent: Option<usize>,
    commas_before: &[u32],
) {
    for (ti, toll) in enumerate_sentence(&doc.tolls, si) {
        let serial_frame = sentence_frames
            .iter()
            .copied()
            .find(|&f| asm.frames[f].plural && !asm.frames[f].triggers.is_empty());
        if toll.cumulative {
            match serial_frame {
                Some(f) => asm.frames[f].tolls.push(ti),
                None => asm.orphan_tolls.push(ti),
            }
            continue;
        }
        // A trigger after the figure but beyond a comma ("..., a day
        // after the group lost ...") belongs to another clause.
        let distance = |t: usize| {
            let tt = doc.triggers[t].tokens;
            let d = token_distance(tt, toll.tokens);
            let other_clause =
                tt.0 >= toll.tokens.1 && commas_before[tt.0] > commas_before[toll.tokens.1];
            if other_clause {
                d + 10
            } else {
                d
            }
        };
        // "1 ELN member was killed and 1 was arrested": the dead belong
        // to the fight, not to the arrest, when the sentence has both.
        let casualty = matches!(
            toll.kind,
            crate::model::TollKind::Killed | crate::model::TollKind::Injured
        );
        let violent =
            |f: usize| !asm.frames[f].triggers.is_empty() && asm.frames[f].family != Family::Arrest;
        let prefer_violent = casualty && sentence_frames.iter().any(|&f| violent(f));
        let nearest = sentence_frames
            .iter()
            .copied()
            .filter(|&f| !prefer_violent || violent(f))
            .min_by_key(|&f| {
                asm.frames[f]
                    .triggers
                    .iter()
                    .map(|&t| distance(t))
                    .min()
                    .unwrap_or(usize::MAX)
            });
        let period = of_sentence(&doc.dates, si)
            .iter()
            .any(|d| matches!(d.expr, crate::model::DateExpr::Since(_)));
        match (nearest, recent) {
            (Some(f), _) => asm.frames[f].tolls.push(ti),
            (None, Some(r)) if !period && !doc.sentences[si].headline => {
                asm.frames[r].tolls.push(ti);
                if !asm.frames[r].sentences.contains(&si) {
                    asm.frames[r].sentences.push(si);
                }
            }
            _ => asm.orphan_tolls.push(ti),
        }
    }
}

/// Definite references join the frame they refer to.
fn join_references(
    asm: &mut Assembly,
    doc: &Document,
    res: &Resources,
    sentence_frames: &[usize],
    first_new: usize,
) {
    for &f in sentence_frames.iter().rev() {
        if asm.frames[f].triggers.is_empty() {
            continue;
        }
        if let Some(target) = antecedent(doc, res, &asm.frames, f, first_new) {
            let fr = asm.frames[f].clone();
            let into = &mut asm.frames[target];
            into.sentences.extend(fr.sentences);
            into.triggers.extend(fr.triggers);
            into.tolls.extend(fr.tolls);
            into.actors.extend(fr.actors);
            // A reference back ("launched the rockets in response to
            // operations in Gaza") adds facts, not the incident's place.
            if into.date.is_none() {
                into.date = fr.date;
            }
            for c in asm.claims.iter_mut().filter(|c| c.frame == Some(f)) {
                c.frame = Some(target);
            }
            asm.frames[f].triggers.clear();
        }
    }
}

/// Frames emptied by anaphora are dropped; claim indices follow.
fn drop_empty_frames(asm: &mut Assembly) {
    let keep: Vec<bool> = asm.frames.iter().map(|f| !f.triggers.is_empty()).collect();
    let mut remap = vec![usize::MAX; keep.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            remap[i] = n;
            n += 1;
        }
    }
    asm.frames.retain(|f| !f.triggers.is_empty());
    for c in &mut asm.claims {
        c.frame = c.frame.map(|f| remap[f]).filter(|&f| f != usize::MAX);
    }
}

/// A frame of gunfire, fighting or killing only (no weapon that makes it an
/// explosion or a strike): it may be the violent part of another act.
pub fn is_fight_only(doc: &Document, res: &Resources, fr: &Frame) -> bool {
    fr.family == Family::Violence
        && fr.triggers.iter().all(|&t| {
            matches!(
                res.triggers.entries[doc.triggers[t].entry].class.as_str(),
                "attack" | "kill" | "clash"
            )
        })
}

fn token_distance(a: (usize, usize), b: (usize, usize)) -> usize {
    if a.1 <= b.0 {
        b.0 - a.1
    } else {
        a.0.saturating_sub(b.1)
    }
}

/// The earlier frame a definite singular reference ("that attack", "the
/// blast in Homs") points to: same family, not plural, and no conflicting
/// place name.
fn antecedent(
    doc: &Document,
    res: &Resources,
    frames: &[Frame],
    f: usize,
    first_new: usize,
) -> Option<usize> {
    let fr = &frames[f];
    if fr.plural || fr.another || fr.headline || fr.period.is_some() {
        return None;
    }
    // "The attackers stormed the village ...": a definite generic
    // perpetrator before the act points back like "the attack" does.
    let first_trigger = fr.first_trigger_token(doc);
    let definite_perpetrator = fr.actors.iter().any(|&(a, r)| {
        let m = &doc.actors[a];
        r == Role::Perpetrator
            && res.actors.entries[m.entry].generic
            && m.tokens.1 <= first_trigger
            && m.tokens.0 > doc.sentences[m.sentence].tokens.0
            && doc.tokens[m.tokens.0 - 1].key == "the"
    });
    if !definite_perpetrator && !fr.triggers.iter().all(|&t| doc.triggers[t].anaphoric) {
        return None;
    }
    let names = |x: &Frame| -> Vec<String> {
        x.places
            .iter()
            .map(|&p| crate::geokey::exact(&doc.places[p].name))
            .collect()
    };
    // "The ambush came a week after militants attacked a base in Bamako":
    // a place with another event word between it and the reference is
    // that event's, no conflict with the antecedent's place.
    let reference_end = doc.triggers[*fr.triggers.last().expect("frame has a trigger")]
        .tokens
        .1;
    let mine: Vec<String> = fr
        .places
        .iter()
        .filter(|&&p| {
            let at = doc.places[p].tokens.0;
            !enumerate_sentence(&doc.triggers, doc.places[p].sentence).any(|(t, tm)| {
                !fr.triggers.contains(&t) && tm.tokens.0 >= reference_end && tm.tokens.1 <= at
            })
        })
        .map(|&p| crate::geokey::exact(&doc.places[p].name))
        .collect();
    (0..first_new).rev().find(|&g| {
        let other = &frames[g];
        if other.plural || other.headline || other.family != fr.family || other.triggers.is_empty()
        {
            return false;
        }
        let theirs = names(other);
        mine.is_empty() || theirs.is_empty() || mine.iter().any(|n| theirs.contains(n))
    })
}

/// The frame's sentence and the span of its triggers, from which every
/// attachment below is measured.
struct Anchor<'d> {
    c: Sentence<'d>,
    res: &'d Resources,
    trig_start: usize,
    trig_end: usize,
    /// The class of the frame's first trigger.
    class: &'d str,
}

/// Actors with roles, places and dates of the frame's sentence.
fn attach_context(doc: &Document, res: &Resources, fr: &mut Frame, si: usize) {
    let at = Anchor {
        c: Sentence::new(doc, si),
        res,
        trig_start: doc.triggers[fr.triggers[0]].tokens.0,
        trig_end: doc.triggers[*fr.triggers.last().expect("frame has a trigger")]
            .tokens
            .1,
        class: res.triggers.entries[doc.triggers[fr.triggers[0]].entry]
            .class
            .as_str(),
    };
    attach_actors(&at, fr);
    attach_places(&at, fr);
    attach_date(&at, fr);
}

/// The sentence's actors that are parties to the act, with their roles.
fn attach_actors(at: &Anchor, fr: &mut Frame) {
    let (doc, si) = (at.c.doc, at.c.index);
    let sources: Vec<(usize, usize)> = of_sentence(&doc.attributions, si)
        .iter()
        .map(|a| a.tokens)
        .collect();
    for (ai, a) in enumerate_sentence(&doc.actors, si) {
        // The speaker of a report is not a party to the act.
        if sources
            .iter()
            .any(|&(s, e)| a.tokens.0 >= s && a.tokens.1 <= e)
        {
            continue;
        }
        // Claims are handled as claims.
        if is_claim_context(doc, a.tokens, at.c.first, at.c.last) || reacts(at, fr, a) {
            continue;
        }
        let Some(role) = actor_role(at, fr, a) else {
            continue;
        };
        if !fr.actors.iter().any(|&(m, _)| m == ai) {
            fr.actors.push((ai, role));
        }
    }
}

/// The start of the frame's first trigger after actor `a`.
fn next_trigger(doc: &Document, fr: &Frame, a: &ActorMention) -> Option<usize> {
    fr.triggers
        .iter()
        .map(|&t| doc.triggers[t].tokens.0)
        .filter(|&t| t >= a.tokens.1)
        .min()
}

/// "Zelenskyy condemned the attack": who reacts to an act is no party to it.
fn reacts(at: &Anchor, fr: &Frame, a: &ActorMention) -> bool {
    let doc = at.c.doc;
    next_trigger(doc, fr, a).is_some_and(|t| {
        (a.tokens.1..t).any(|i| {
            matches!(
                doc.tokens[i].key.as_str(),
                "condemned"
                    | "condemns"
                    | "denounced"
                    | "denounces"
                    | "criticised"
                    | "criticized"
                    | "mourned"
                    | "deplored"
                    | "welcomed"
                    | "praised"
                    | "investigating"
                    | "investigate"
                    | "investigated"
            )
        })
    })
}

/// The role of actor `a` in the frame's act, or None when its place in
/// the sentence makes it no party.
fn actor_role(at: &Anchor, fr: &Frame, a: &ActorMention) -> Option<Role> {
    let (doc, si, first) = (at.c.doc, at.c.index, at.c.first);
    let toks = &doc.tokens;
    let key = |i| at.c.key(i);
    let entry = &at.res.actors.entries[a.entry];
    let before_trigger = a.tokens.1 <= at.trig_start;
    let prev = key(a.tokens.0.wrapping_sub(1));
    let prev2 = key(a.tokens.0.wrapping_sub(2));
    // "An Israeli drone strike": the weapon's owner carried it out.
    let overlaps = fr.triggers.iter().any(|&t| {
        let (x, y) = doc.triggers[t].tokens;
        a.tokens.0 < y && a.tokens.1 > x
    });
    // Positions are measured from the nearest trigger before the actor.
    let trig_end = fr
        .triggers
        .iter()
        .map(|&t| doc.triggers[t].tokens.1)
        .filter(|&e| e <= a.tokens.0)
        .max()
        .unwrap_or(at.trig_end);
    // "Security sources attributed the device to al-Shabaab", "blamed on X".
    let accused = (prev == "to"
        && (first..a.tokens.0).any(|i| toks[i].key.starts_with("attribut")))
        || matches!(prev, "blamed" | "accused")
        || (prev == "on" && prev2 == "blamed");
    if accused && fr.family != Family::Consult {
        return Some(Role::Perpetrator);
    }
    // "Four soldiers ... were killed": counted victims are targets.
    let counted = of_sentence(&doc.tolls, si)
        .iter()
        .any(|t| a.tokens.0 >= t.tokens.0 && a.tokens.1 <= t.tokens.1);
    let between = (trig_end..a.tokens.0).any(|i| toks[i].key == "between");
    let from_loser = fr.family == Family::Territory && key(a.tokens.0.wrapping_sub(1)) == "from";
    let parties = matches!(fr.family, Family::Consult | Family::Agreement);
    if !before_trigger && !overlaps && !counted && !between && !from_loser && !parties {
        let gap = (trig_end..a.tokens.0).any(|i| {
            matches!(
                toks[i].key.as_str(),
                "whose"
                    | "who"
                    | "which"
                    | "where"
                    | "while"
                    | "but"
                    | ";"
                    | "as"
                    | "despite"
                    | "said"
                    | "says"
            )
        });
        // A target is the act's object: close after the trigger.
        let to_whom = key(a.tokens.0.wrapping_sub(1)) == "to";
        if gap || to_whom || a.tokens.0 > trig_end + 5 {
            return None;
        }
    }
    Some(if from_loser {
        Role::Target
    } else if between {
        Role::Participant
    } else if overlaps && fr.family == Family::Violence {
        Role::Perpetrator
    } else if counted && fr.family != Family::Protest {
        Role::Target
    } else if matches!(fr.family, Family::Consult | Family::Agreement) {
        Role::Participant
    } else if fr.family == Family::Protest {
        // Demonstrators, and the forces that intervene; what they protest
        // against is not a party.
        if matches!(entry.inter, 5 | 6)
            || (entry.inter == 1 && !before_trigger)
            || matches!(entry.inter, 1)
        {
            Role::Participant
        } else if counted {
            Role::Target
        } else {
            return None;
        }
    } else if agent_of_passive(doc, a.tokens.0, first) {
        Role::Perpetrator
    } else if at.class == "clash"
        || prev == "between"
        || (prev == "and" && fr.actors.iter().any(|&(_, r)| r == Role::Participant))
    {
        Role::Participant
    } else if fr.family == Family::Territory && at.class == "territory_loss" {
        if before_trigger {
            Role::Target
        } else if prev == "to" {
            Role::Perpetrator
        } else {
            Role::Target
        }
    } else if before_trigger {
        subject_role(at, fr, a)
    } else if a.tokens.0 >= trig_end {
        Role::Target
    } else {
        return None;
    })
}

/// An actor before the act: "officers were shot by a man": the subject of
/// a passive is hit, as are civilians; else it acted.
fn subject_role(at: &Anchor, fr: &Frame, a: &ActorMention) -> Role {
    let doc = at.c.doc;
    let next_trigger = next_trigger(doc, fr, a).unwrap_or(at.trig_start);
    let passive = (next_trigger.saturating_sub(3).max(a.tokens.1)..next_trigger).any(|i| {
        matches!(
            doc.tokens[i].key.as_str(),
            "was" | "were" | "been" | "being"
        )
    });
    if at.res.actors.entries[a.entry].inter == 7 || passive {
        Role::Target
    } else {
        Role::Perpetrator
    }
}

/// Places: every place of the sentence but origins, destinations and
/// borders ("fired from Gaza", "buses for Peshawar and Lahore", "the
/// border with Cameroon"), with the rest of a list they open;
/// consolidate picks the best.
fn attach_places(at: &Anchor, fr: &mut Frame) {
    let doc = at.c.doc;
    let key = |i| at.c.key(i);
    let mut skipped_end: Option<usize> = None;
    for (pi, _) in enumerate_sentence(&doc.places, at.c.index) {
        let (start, end) = doc.places[pi].tokens;
        let before = key(start.wrapping_sub(1));
        let after = key(end);
        let listed_after_skipped = skipped_end
            .is_some_and(|e| e < start && (e..start).all(|i| matches!(key(i), "and" | "," | "or")));
        if matches!(before, "from" | "with" | "for")
            || listed_after_skipped
            || matches!(after, "based" | "backed" | "led" | "allied")
        {
            skipped_end = Some(end);
            continue;
        }
        if !fr.places.contains(&pi) {
            fr.places.push(pi);
        }
    }
}

/// Dates: the nearest date mention; an offset ("a day after") only
/// applies to what follows it; a "since" date opens a period.
fn attach_date(at: &Anchor, fr: &mut Frame) {
    let (doc, res, si) = (at.c.doc, at.res, at.c.index);
    let (trig_start, trig_end) = (at.trig_start, at.trig_end);
    let own: Vec<(usize, usize)> = fr
        .triggers
        .iter()
        .filter(|&&t| family(&res.triggers.entries[doc.triggers[t].entry].class) == fr.family)
        .map(|&t| doc.triggers[t].tokens)
        .collect();
    let mut best: Option<(usize, usize)> = None;
    for di in sentence_range(&doc.dates, si) {
        let d = &doc.dates[di];
        // "the deadliest since April, when a glide bomb hit ...": the act of
        // the "when" clause happened at that date.
        let when_clause = d.tokens.1 <= trig_start
            && (d.tokens.1..trig_start).any(|i| doc.tokens[i].key == "when");
        if matches!(d.expr, crate::model::DateExpr::Since(_)) && !when_clause {
            fr.period = Some(di);
            continue;
        }
        if matches!(d.expr, crate::model::DateExpr::AnchorOffset(_)) && d.tokens.1 > trig_start {
            continue;
        }
        if dates_another_clause(at, d) {
            continue;
        }
        // Distance to the frame's own acts: a shooting folded into a protest
        // ("activists who had been executed in 1972") does not date it.
        let dist = own
            .iter()
            .map(|&t| token_distance(d.tokens, t))
            .min()
            .unwrap_or_else(|| token_distance(d.tokens, (trig_start, trig_end)));
        // An offset right before the trigger binds tighter than any other date.
        let dist = if matches!(d.expr, crate::model::DateExpr::AnchorOffset(_)) {
            dist.min(1)
        } else {
            dist + 1
        };
        if best.is_none_or(|(_, bd)| dist < bd) {
            best = Some((di, dist));
        }
    }
    if fr.date.is_none() {
        fr.date = best.map(|(d, _)| d).or_else(|| paragraph_date(doc, si));
    }
}

/// A date of the sentence that dates something else than the act: a toll
/// update, the other side of "after", what a protest is against, a
/// statement, a report, an actor's founding.
fn dates_another_clause(at: &Anchor, d: &crate::model::DateMention) -> bool {
    let (doc, si) = (at.c.doc, at.c.index);
    let (trig_start, trig_end) = (at.trig_start, at.trig_end);
    let toks = &doc.tokens;
    // "the death toll rose to nine on Monday": the date of the update.
    if of_sentence(&doc.tolls, si)
        .iter()
        .any(|t| t.update && d.tokens.0 >= t.tokens.1 && d.tokens.0 <= t.tokens.1 + 1)
    {
        return true;
    }
    // "Monday's bombings came after advances ... expelled IS": a date on
    // the other side of "after"/"before" dates the other clause.
    let (lo, hi) = if d.tokens.1 <= trig_start {
        (d.tokens.1, trig_start)
    } else {
        (trig_end, d.tokens.0)
    };
    if (lo..hi).any(|i| matches!(toks[i].key.as_str(), "after" | "before" | "following")) {
        return true;
    }
    // "protested against the arrest of a blogger the previous day": the
    // date of what they protest.
    if at.class == "protest"
        && d.tokens.0 >= trig_end
        && (lo..hi).any(|i| matches!(toks[i].key.as_str(), "against" | "over" | "demanding"))
    {
        return true;
    }
    // "police said on Monday": the date of the statement, not the act.
    if (d.tokens.0.saturating_sub(2)..d.tokens.0).any(|i| {
        matches!(
            toks[i].key.as_str(),
            "said"
                | "says"
                | "told"
                | "reported"
                | "announced"
                | "confirmed"
                | "added"
                | "stated"
                | "statement"
        )
    }) {
        return true;
    }
    // "In a communiqué read on Wednesday evening, the army said six
    // soldiers had been killed": the date of the report, told before
    // its reporting verb.
    if of_sentence(&doc.attributions, si)
        .iter()
        .any(|a| d.tokens.1 <= a.tokens.0 && a.tokens.1 <= trig_start)
    {
        return true;
    }
    // "an alliance formed in 2025": the date of the actor's founding.
    (d.tokens.0.saturating_sub(2)..d.tokens.0).any(|i| {
        matches!(
            toks[i].key.as_str(),
            "formed" | "founded" | "established" | "created" | "born"
        )
    })
}

/// A date that opens the paragraph ("16 October — Dera Ismail Khan. A
/// suicide bomber ...", "On 3 March, ...") dates the paragraph's later
/// sentences that give none: chronologies and monitoring briefs write so.
fn paragraph_date(doc: &Document, si: usize) -> Option<usize> {
    let block = doc.sentences[si].block;
    let opening = doc.sentences.iter().position(|s| s.block == block)?;
    if opening == si {
        return None;
    }
    let start = doc.sentences[opening].tokens.0;
    let range = sentence_range(&doc.dates, opening);
    doc.dates[range.clone()]
        .iter()
        .position(|d| {
            !matches!(d.expr, crate::model::DateExpr::Since(_))
                && (d.tokens.0 == start || d.tokens.0 == start + 1 && doc.tokens[start].key == "on")
        })
        .map(|i| range.start + i)
}

/// The crowd's own name, which the trigger lexicon lists because "hundreds of
/// protesters" alone reports a demonstration.
fn is_crowd_noun(key: &str) -> bool {
    matches!(
        key,
        "protesters" | "protestors" | "demonstrators" | "marchers" | "rioters" | "crowd"
    )
}

/// "shot by two armed men", "killed by the suspected militants": the actor
/// is the agent of a passive verb; a few modifiers may stand between "by"
/// and the actor.
fn agent_of_passive(doc: &Document, start: usize, first: usize) -> bool {
    let toks = &doc.tokens;
    for i in (first.max(start.saturating_sub(4))..start).rev() {
        match toks[i].key.as_str() {
            "by" => return true,
            "," | "and" | "or" | "who" | "which" | "." | ";" | "said" | "says" => return false,
            _ if toks[i].kind == crate::model::TokenKind::Punct => return false,
            _ => {}
        }
    }
    false
}

/// "claimed by X", "X claimed responsibility", "claims responsibility".
fn is_claim_context(doc: &Document, tokens: (usize, usize), first: usize, last: usize) -> bool {
    let toks = &doc.tokens;
    let (a, b) = tokens;
    let before =
        (a >= first + 2 && toks[a - 1].key == "by" && toks[a - 2].key.starts_with("claim"))
            || (a >= first + 3
                && toks[a - 1].key == "the"
                && toks[a - 2].key == "by"
                && toks[a - 3].key.starts_with("claim"));
    let after = (b..last.min(b + 4))
        .any(|i| toks[i].key.starts_with("claim") && (i + 1 >= last || toks[i + 1].key != "to"));
    // "al Shabaab said ... its fighters had carried out the attack".
    let says = (b..last.min(b + 3)).any(|i| {
        matches!(
            toks[i].key.as_str(),
            "said" | "says" | "announced" | "stated"
        )
    });
    let admits = (b..last.saturating_sub(1)).any(|i| {
        (toks[i].key == "carried" && toks[i + 1].key == "out")
            || toks[i].key == "responsibility"
            || (toks[i].key == "was" && toks[i + 1].key == "behind")
    });
    before || after || (says && admits)
}

/// Claims of responsibility in sentence `si`, tied to the sentence's frame
/// nearest to the claim.
fn find_claims(
    doc: &Document,
    si: usize,
    sentence_frames: &[usize],
    frames: &[Frame],
) -> Vec<Claim> {
    let (first, last) = doc.sentences[si].tokens;
    let mut out = Vec::new();
    for (ai, a) in enumerate_sentence(&doc.actors, si) {
        if !is_claim_context(doc, a.tokens, first, last) {
            continue;
        }
        let frame = sentence_frames.iter().copied().min_by_key(|&f| {
            frames[f]
                .triggers
                .iter()
                .map(|&t| token_distance(doc.triggers[t].tokens, a.tokens))
                .min()
                .unwrap_or(usize::MAX)
        });
        out.push(Claim {
            actor: ai,
            sentence: si,
            frame,
            accusation: false,
        });
    }
    // Blame in a sentence that reports no act of its own: "Security sources
    // attributed the device to al-Shabaab".
    if sentence_frames
        .iter()
        .all(|&f| frames[f].triggers.is_empty())
    {
        for (ai, a) in enumerate_sentence(&doc.actors, si) {
            let toks = &doc.tokens;
            let prev = if a.tokens.0 > first {
                toks[a.tokens.0 - 1].key.as_str()
            } else {
                ""
            };
            let prev2 = if a.tokens.0 > first + 1 {
                toks[a.tokens.0 - 2].key.as_str()
            } else {
                ""
            };
            let accused = (prev == "to"
                && (first..a.tokens.0).any(|i| toks[i].key.starts_with("attribut")))
                || matches!(prev, "blamed" | "accused")
                || (prev == "on" && prev2 == "blamed");
            if accused {
                let recent = frames
                    .iter()
                    .rposition(|f| !f.triggers.is_empty() && !f.headline && !f.plural);
                out.push(Claim {
                    actor: ai,
                    sentence: si,
                    frame: recent,
                    accusation: true,
                });
            }
        }
    }
    out
}
