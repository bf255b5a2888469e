//! Casualty figures: a number joined to what it counts ("at least four
//! people were killed", "killed at least 48", "left five dead", "a toll of
//! three dead", "the death toll rose to 7", "no one was hurt"). Hypothetical
//! figures ("could have killed dozens") are not tolls.

use crate::model::{Document, NumberMention, Quantity, Toll, TollKind};

/// Words that say what a figure counts, when they follow it.
fn kind_after(w: &str) -> Option<TollKind> {
    Some(match w {
        "killed" | "dead" | "died" | "deaths" | "fatalities" | "perished" | "slain" | "bodies"
        | "corpses" | "executed" | "murdered" | "massacred" | "beheaded" | "lives" | "martyred" => {
            TollKind::Killed
        }
        "wounded" | "injured" | "hurt" | "injuries" | "maimed" | "hospitalised"
        | "hospitalized" => TollKind::Injured,
        "missing" | "unaccounted" => TollKind::Missing,
        "abducted" | "kidnapped" | "hostages" | "hostage" => TollKind::Abducted,
        "arrested" | "detained" | "apprehended" => TollKind::Arrested,
        _ => return None,
    })
}

/// Verbs that take the figure as their object ("killed 12", "wounding dozens").
fn kind_before(w: &str) -> Option<TollKind> {
    Some(match w {
        "killed" | "killing" | "kills" | "kill" | "massacred" | "executed" | "slaughtered"
        | "martyred" => TollKind::Killed,
        "wounded" | "wounding" | "injured" | "injuring" | "injures" | "wounds" | "maiming" => {
            TollKind::Injured
        }
        "abducted" | "abducting" | "kidnapped" | "kidnapping" | "seized" => TollKind::Abducted,
        "arrested" | "arresting" | "detained" | "detaining" | "rounded" => TollKind::Arrested,
        _ => return None,
    })
}

/// Words allowed between a figure and what it counts ("four people were
/// killed", "three policemen have been wounded").
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "persons"
            | "person"
            | "others"
            | "other"
            | "more"
            | "were"
            | "was"
            | "have"
            | "has"
            | "had"
            | "been"
            | "are"
            | "is"
            | "being"
            | "reportedly"
            | "also"
            | "later"
            | "of"
            | "them"
            | "those"
            | "confirmed"
            | "believed"
            | "to"
            | "be"
            | "feared"
            | "left"
            | "now"
            | "in"
            | "total"
            | "all"
            | "seriously"
            | "critically"
            | "severely"
            | "lightly"
            | "slightly"
            | "badly"
            | "fatally"
            | "mortally"
            | "who"
            | "so"
            | "far"
            | "at"
            | "least"
            | "either"
            | "dead"
            | "civilian"
            | "security"
            | "and"
            | "or"
            | "by"
            | "sustained"
            | "remain"
            | "remained"
            | "remains"
            | "still"
            | "suffered"
            | "received"
            | "the"
            | "number"
    )
}

/// Units that make a number something other than a head count.
fn is_unit(w: &str) -> bool {
    matches!(
        w,
        "day"
            | "days"
            | "week"
            | "weeks"
            | "month"
            | "months"
            | "year"
            | "years"
            | "hour"
            | "hours"
            | "minute"
            | "minutes"
            | "km"
            | "kilometres"
            | "kilometers"
            | "metres"
            | "meters"
            | "miles"
            | "percent"
            | "per"
            | "times"
            | "vehicles"
            | "houses"
            | "homes"
            | "buildings"
            | "shops"
            | "rockets"
            | "shells"
            | "drones"
            | "missiles"
            | "bombs"
            | "tonnes"
            | "tons"
            | "dollars"
            | "million"
            | "billion"
    )
}

/// Nouns naming who was counted.
pub fn is_victim_noun(w: &str) -> bool {
    matches!(
        w,
        "civilians"
            | "civilian"
            | "soldiers"
            | "soldier"
            | "troops"
            | "children"
            | "child"
            | "women"
            | "woman"
            | "men"
            | "man"
            | "militants"
            | "militant"
            | "fighters"
            | "fighter"
            | "policemen"
            | "policeman"
            | "police"
            | "officers"
            | "officer"
            | "members"
            | "member"
            | "worshippers"
            | "villagers"
            | "farmers"
            | "students"
            | "pupils"
            | "passengers"
            | "protesters"
            | "demonstrators"
            | "insurgents"
            | "rebels"
            | "gunmen"
            | "attackers"
            | "assailants"
            | "personnel"
            | "guards"
            | "pilgrims"
            | "shoppers"
            | "residents"
            | "workers"
            | "journalists"
            | "teachers"
            | "doctors"
            | "miners"
            | "herders"
            | "traders"
            | "boys"
            | "girls"
            | "jihadists"
            | "terrorists"
            | "bandits"
            | "militiamen"
            | "servicemen"
            | "recruits"
            | "commanders"
            | "commander"
            | "family"
            | "relatives"
            | "infants"
            | "babies"
            | "elders"
            | "peacekeepers"
            | "staff"
            | "patients"
            | "prisoners"
            | "detainees"
            | "migrants"
            | "refugees"
            | "displaced"
            | "bombers"
            | "bomber"
            | "individuals"
            | "citizens"
            | "nationals"
            | "locals"
            | "inmates"
            | "guardsmen"
            | "sailors"
            | "pilots"
            | "marines"
            | "cadets"
    )
}

const MODALS: &[&str] = &[
    "could",
    "would",
    "might",
    "may",
    "threatened",
    "vowed",
    "planned",
    "intended",
    "tried",
    "attempted",
];

/// Figures in sentence `s` that count casualties.
pub fn find_tolls(doc: &Document, s: usize, numbers: &[NumberMention]) -> Vec<Toll> {
    let (first, last) = doc.sentences[s].tokens;
    let toks = &doc.tokens;
    let key = |i: usize| -> &str {
        if i >= first && i < last {
            toks[i].key.as_str()
        } else {
            ""
        }
    };
    let mut out = Vec::new();
    // Figures joined into one list ("4 militia members and 3 militants were
    // killed") count together; the later ones are consumed by the first.
    let mut consumed = vec![false; numbers.len()];
    for (ni, n) in numbers.iter().enumerate() {
        if consumed[ni] {
            continue;
        }
        let (a, b) = n.tokens;
        // "12 militants including 2 commanders were killed": a subset, already counted.
        if a > first && matches!(key(a - 1), "including" | "whom" | "among") {
            continue;
        }
        // "one of the bodies was that of the bomber", "three of the dead were
        // children": a part of a toll already counted. ("Two of the wounded
        // died" is not: the wounded were not counted as dead.)
        if key(b) == "of"
            && matches!(key(b + 1), "the" | "these" | "those")
            && matches!(
                key(b + 2),
                "dead" | "bodies" | "deceased" | "victims" | "fatalities"
            )
        {
            continue;
        }
        let mut quantity = n.quantity.clone();
        let mut unknown_words = 0;
        let mut additive = false;
        // Forward: "N [people] [were] killed".
        let mut who = None;
        let mut kind = None;
        let mut end = b;
        let mut j = b;
        let mut skipped_aside = false;
        let mut subset = false;
        // The span covers who was counted ("killing five civilians").
        let mut who_end = b;
        let mut limit = b + 7;
        while j < last && j < limit {
            let w = key(j);
            if w == "lost" && key(j + 1) == "their" && key(j + 2) == "lives" {
                kind = Some(TollKind::Killed);
                end = j + 3;
                break;
            }
            if let Some(k) = kind_after(w) {
                // "two of the wounded died": the wounded are who, "died" what.
                if key(j.wrapping_sub(1)) == "the" && matches!(k, TollKind::Injured) {
                    who.get_or_insert_with(|| doc.slice(toks[j].span).to_string());
                    j += 1;
                    continue;
                }
                // "48 killed and dozens wounded": the figure counts the first.
                kind = Some(k);
                end = j + 1;
                break;
            }
            if w == "," {
                // Skip one parenthetical (", nine of them children,").
                match (j + 1..last.min(j + 7)).find(|&k| key(k) == ",") {
                    Some(k) if !skipped_aside => {
                        skipped_aside = true;
                        j = k + 1;
                        limit = j + 5;
                        continue;
                    }
                    _ => break,
                }
            }
            // "Five policemen ... were among the martyred": part of a toll
            // given elsewhere, not a toll of its own.
            if w == "among" && key(j + 1) == "the" && kind_after(key(j + 2)).is_some() {
                subset = true;
                break;
            }
            if w == "including" || (w == "among" && key(j + 1) == "them") {
                // "12 militants including 2 commanders were killed": skip the subset.
                let mut k = j + 1;
                while k < last
                    && k < j + 6
                    && kind_after(key(k)).is_none()
                    && !matches!(key(k), "were" | "was" | "had" | "have" | "," | "lost")
                {
                    k += 1;
                }
                j = k;
                limit = limit.max(j + 4);
                continue;
            }
            if w == "and" {
                // A list of figures: "4 militia members and 3 militants were killed".
                if let Some(mi) = numbers.iter().position(|m| m.tokens.0 == j + 1) {
                    let m = &numbers[mi];
                    quantity.low += m.quantity.low;
                    quantity.high += m.quantity.high;
                    quantity.qualifier = quantity.qualifier.or(m.quantity.qualifier);
                    consumed[mi] = true;
                    j = m.tokens.1;
                    limit = limit.max(j + 6);
                    continue;
                }
            }
            if w == "also" {
                additive = true;
            }
            // "1 'Arbaki' was killed": quotation marks around a term.
            if matches!(w, "'" | "\"" | "‘" | "’" | "“" | "”") {
                j += 1;
                continue;
            }
            if let Some(actor) = doc
                .actors
                .iter()
                .find(|a| j >= a.tokens.0 && j < a.tokens.1)
            {
                // "7 Taliban militants were killed": the actor is who was counted.
                who.get_or_insert_with(|| doc.slice(actor.span).to_string());
                if !skipped_aside {
                    who_end = who_end.max(actor.tokens.1);
                }
                j = actor.tokens.1;
                continue;
            }
            if is_victim_noun(w) {
                who.get_or_insert_with(|| doc.slice(toks[j].span).to_string());
                if !skipped_aside {
                    who_end = who_end.max(j + 1);
                }
            } else if !is_filler(w) {
                // "1 religious scholar and teacher was killed": a few plain
                // words may describe who was counted; units and names may not.
                let t = &toks[j];
                let plain =
                    t.kind == crate::model::TokenKind::Word && !t.capitalised && !is_unit(w);
                unknown_words += 1;
                if !plain || unknown_words > 3 {
                    break;
                }
            }
            j += 1;
        }
        if subset {
            continue;
        }
        // Backward: "killed [at least] N", "left N dead", "claim N lives", "toll rose to N".
        let mut update = false;
        let mut start = a;
        if a > first {
            let p = key(a - 1);
            let pp = if a >= first + 2 { key(a - 2) } else { "" };
            // "killed 6 and abducted 10": the word after "and" counts the next figure.
            let crossed_and = (b..j.min(last)).any(|i| key(i) == "and");
            if kind.is_none()
                || crossed_and
                || matches!(kind, Some(TollKind::Killed | TollKind::Injured))
            {
                let verb = if (p == "dead" && pp == "shot")
                    || (p == "down" && matches!(pp, "gunned" | "cut" | "mowed"))
                {
                    Some(TollKind::Killed)
                } else {
                    kind_before(p)
                };
                if let Some(k) = verb {
                    // Backward verbs win unless the forward word is the verb's own
                    // complement ("killed 5 and wounded 7" is handled per figure).
                    if kind.is_none() || j >= b + 2 || crossed_and {
                        kind = Some(k);
                        end = b;
                    }
                    start = a - 1;
                } else if (matches!(p, "left" | "leaving" | "leaves") && kind.is_some())
                    || (matches!(p, "claimed" | "claim" | "claims" | "claiming")
                        && key(end - 1) == "lives")
                {
                    // "left five dead", "claim nearly 50 lives".
                    start = a - 1;
                } else if p == "of" && matches!(pp, "bodies" | "corpses" | "remains") {
                    kind = Some(TollKind::Killed);
                    start = a - 2;
                } else if (p == "of" && matches!(pp, "lives")) && matches!(key(a - 3), "the") {
                    // "claimed the lives of N"
                    kind = Some(TollKind::Killed);
                    start = a - 4;
                } else if matches!(p, "to" | "at" | "of" | "reached" | "hit") || p == "toll" {
                    // "death toll rose to 7", "toll stood at 7", "a toll of three (dead)",
                    // "the number of dead at seven".
                    let rising = matches!(
                        pp,
                        "rose"
                            | "risen"
                            | "climbed"
                            | "increased"
                            | "rises"
                            | "climbs"
                            | "jumped"
                            | "grew"
                            | "mounted"
                            | "reached"
                    );
                    let reach = if rising { 25 } else { 6 };
                    let window: Vec<&str> =
                        (a.saturating_sub(reach).max(first)..a).map(key).collect();
                    let counted_dead = window.contains(&"number")
                        && window
                            .iter()
                            .any(|w| matches!(*w, "dead" | "deaths" | "killed" | "fatalities"));
                    if window.contains(&"toll") || counted_dead {
                        let wounded = window.contains(&"injury") || window.contains(&"injured");
                        kind = Some(kind.unwrap_or(if wounded {
                            TollKind::Injured
                        } else {
                            TollKind::Killed
                        }));
                        update = window.iter().any(|w| {
                            matches!(
                                *w,
                                "rose"
                                    | "risen"
                                    | "climbed"
                                    | "increased"
                                    | "reached"
                                    | "rises"
                                    | "climbs"
                                    | "jumped"
                                    | "grew"
                                    | "mounted"
                            )
                        });
                        start = (a.saturating_sub(reach).max(first)..a)
                            .find(|&i| matches!(key(i), "toll" | "number"))
                            .unwrap_or(a);
                    }
                }
            }
            // Hypothetical: "could have killed dozens".
            // The month in "On 2 May 2020 4 policemen were killed" is no modal.
            let lookback: Vec<&str> = (start.saturating_sub(3).max(first)..start)
                .filter(|&i| !doc.dates.iter().any(|d| i >= d.tokens.0 && i < d.tokens.1))
                .map(key)
                .collect();
            if lookback.iter().any(|w| MODALS.contains(w)) {
                continue;
            }
        }
        let Some(kind) = kind else { continue };
        let end = end.max(b).max(who_end);
        out.push(Toll {
            span: [toks[start].span[0], toks[end - 1].span[1]],
            tokens: (start, end),
            sentence: s,
            kind,
            quantity,
            who,
            source: None,
            update,
            initial: (first..last)
                .any(|i| matches!(key(i), "initially" | "earlier" | "previously" | "first")),
            additive: additive
                || (a.saturating_sub(2).max(first)..a)
                    .any(|i| matches!(key(i), "also" | "another")),
            cumulative: (a.saturating_sub(4).max(first)..a).any(|i| {
                matches!(
                    key(i),
                    "brings"
                        | "bringing"
                        | "brought"
                        | "raising"
                        | "raises"
                        | "total"
                        | "cumulative"
                        | "overall"
                )
            }) || (b..end.max(b)).any(|i| matches!(key(i), "total"))
                || running_total_sentence(doc, s),
        });
    }
    out.extend(negated_tolls(doc, s));
    out.extend(single_victim_tolls(doc, s, &out));
    out
}

/// "Since then, fighting has killed more than 400", "has killed thousands
/// over the past decade": the sentence counts over a period, not one
/// incident. ("So far" and "to date" also open
/// per-incident updates: "the toll so far stands at 12".)
fn running_total_sentence(doc: &Document, s: usize) -> bool {
    let (first, last) = doc.sentences[s].tokens;
    let k = |i: usize| doc.tokens.get(i).map_or("", |t| t.key.as_str());
    (first..last).any(|i| {
        i + 1 < last
            && (matches!((k(i), k(i + 1)), ("since", "then") | ("ever", "since"))
                // "over the past decade", "in the last two years"
                || matches!(k(i), "past" | "last")
                    && k(i.wrapping_sub(1)) == "the"
                    && (i + 1..last.min(i + 3)).any(|j| {
                        matches!(
                            k(j),
                            "decade" | "decades" | "years" | "months" | "weeks" | "century"
                        )
                    }))
    })
}

/// "killing a fruit vendor", "beat a man to death", "lynched a teacher": one victim.
fn single_victim_tolls(doc: &Document, s: usize, found: &[Toll]) -> Vec<Toll> {
    let (first, last) = doc.sentences[s].tokens;
    let toks = &doc.tokens;
    let key = |i: usize| -> &str {
        if i >= first && i < last {
            toks[i].key.as_str()
        } else {
            ""
        }
    };
    let mut out = Vec::new();
    for i in first..last {
        if !matches!(key(i), "a" | "an") || found.iter().any(|t| i >= t.tokens.0 && i < t.tokens.1)
        {
            continue;
        }
        // The article must open a person, not a quantity ("a dozen", "a number of").
        if matches!(
            key(i + 1),
            "dozen"
                | "number"
                | "few"
                | "handful"
                | "hundred"
                | "thousand"
                | "total"
                | "group"
                | "series"
                | "string"
        ) {
            continue;
        }
        let p = key(i.wrapping_sub(1));
        let pp = key(i.wrapping_sub(2));
        let killed_before = matches!(
            p,
            "killed"
                | "killing"
                | "kills"
                | "lynched"
                | "lynching"
                | "beheaded"
                | "murdered"
                | "murdering"
                | "assassinated"
        ) || (p == "dead" && pp == "shot")
            || (p == "down" && pp == "gunned");
        // "the body of a man was found", "a dead body", "a human head".
        let remains = (p == "of" && matches!(pp, "body" | "corpse" | "remains"))
            || (key(i + 1) == "dead" && matches!(key(i + 2), "body" | "man" | "woman" | "child"))
            || (matches!(key(i + 1), "human" | "severed") && key(i + 2) == "head");
        let wounded_before = matches!(p, "wounded" | "wounding" | "injured" | "injuring");
        let to_death = (i + 1..last.min(i + 5)).find(|&j| key(j) == "to" && key(j + 1) == "death");
        // "a man was shot dead", "a laborer was killed": the passive.
        let passive = (i + 2..last.min(i + 5))
            .take_while(|&j| toks[j - 1].kind == crate::model::TokenKind::Word)
            .find(|&j| matches!(key(j), "was" | "is"))
            .and_then(|j| {
                let (v, w) = (key(j + 1), key(j + 2));
                let killed = matches!(
                    v,
                    "killed" | "murdered" | "lynched" | "beheaded" | "assassinated" | "executed"
                ) || (v, w) == ("shot", "dead")
                    || (v, w) == ("gunned", "down")
                    || (v, w) == ("hacked", "to");
                let hurt = matches!(v, "wounded" | "injured" | "shot" | "stabbed" | "hurt");
                let end = if w == "dead" || w == "down" {
                    j + 3
                } else {
                    j + 2
                };
                if killed {
                    Some((TollKind::Killed, end))
                } else if hurt {
                    Some((TollKind::Injured, end))
                } else {
                    None
                }
            });
        let kind = if killed_before || remains || to_death.is_some() {
            TollKind::Killed
        } else if wounded_before {
            TollKind::Injured
        } else if let Some((k, _)) = passive {
            if to_death.is_some() {
                TollKind::Killed
            } else {
                k
            }
        } else {
            continue;
        };
        let start = if killed_before || wounded_before {
            i - 1
        } else {
            i
        };
        let end = to_death.map_or_else(
            || passive.map_or((i + 3).min(last), |(_, e)| e.min(last)),
            |j| j + 2,
        );
        out.push(Toll {
            span: [toks[start].span[0], toks[end - 1].span[1]],
            tokens: (start, end),
            sentence: s,
            kind,
            quantity: Quantity {
                low: 1,
                high: 1,
                vague: false,
                qualifier: None,
            },
            who: victim_phrase(doc, i + 1, last),
            source: None,
            update: false,
            initial: false,
            cumulative: false,
            additive: false,
        });
    }
    out
}

/// The words naming one victim after its article: "a polio worker on
/// Friday" → "polio worker"; at most three words, ending before a
/// preposition, conjunction or punctuation.
fn victim_phrase(doc: &Document, from: usize, last: usize) -> Option<String> {
    let toks = &doc.tokens;
    let end = (from..last.min(from + 3))
        .find(|&j| {
            toks[j].kind != crate::model::TokenKind::Word
                || matches!(
                    toks[j].key.as_str(),
                    "on" | "in"
                        | "at"
                        | "near"
                        | "and"
                        | "with"
                        | "who"
                        | "while"
                        | "as"
                        | "during"
                        | "after"
                        | "from"
                        | "to"
                        | "by"
                        | "outside"
                        | "inside"
                        | "late"
                        | "early"
                        | "last"
                        | "this"
                        | "when"
                        | "before"
                )
        })
        .unwrap_or(last.min(from + 3));
    (end > from).then(|| {
        doc.slice([toks[from].span[0], toks[end - 1].span[1]])
            .to_string()
    })
}

/// "no one was killed", "nobody was hurt", "no casualties": stated as none.
fn negated_tolls(doc: &Document, s: usize) -> Vec<Toll> {
    let (first, last) = doc.sentences[s].tokens;
    let toks = &doc.tokens;
    let mut out = Vec::new();
    let zero = Quantity {
        low: 0,
        high: 0,
        vague: false,
        qualifier: None,
    };
    let mut i = first;
    while i < last {
        let k = toks[i].key.as_str();
        let next = toks
            .get(i + 1)
            .filter(|_| i + 1 < last)
            .map_or("", |t| t.key.as_str());
        let (subject_len, is_subject) = match (k, next) {
            ("no", "one") => (2, true),
            ("nobody" | "none", _) => (1, true),
            ("no", "casualties" | "deaths" | "fatalities" | "injuries") => (1, false),
            ("without", "casualties") => (1, false),
            _ => (0, false),
        };
        if subject_len == 0 {
            i += 1;
            continue;
        }
        let mut kinds = Vec::new();
        let mut end = i + subject_len;
        if is_subject {
            let mut j = i + subject_len;
            while j < last && j < i + subject_len + 4 {
                let w = toks[j].key.as_str();
                if matches!(w, "hurt" | "harmed") {
                    kinds = vec![TollKind::Killed, TollKind::Injured];
                } else if let Some(k) = kind_after(w) {
                    kinds = vec![k];
                }
                if !kinds.is_empty() {
                    end = j + 1;
                    break;
                }
                j += 1;
            }
        } else {
            let w = toks[i + 1].key.as_str();
            end = i + 2;
            kinds = match w {
                "casualties" => vec![TollKind::Killed, TollKind::Injured],
                "injuries" => vec![TollKind::Injured],
                _ => vec![TollKind::Killed],
            };
        }
        for kind in kinds {
            out.push(Toll {
                span: [toks[i].span[0], toks[end - 1].span[1]],
                tokens: (i, end),
                sentence: s,
                kind,
                quantity: zero.clone(),
                who: None,
                source: None,
                update: false,
                initial: false,
                cumulative: false,
                additive: false,
            });
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognise::numbers::find_numbers;

    fn tolls(text: &str) -> Vec<(TollKind, u64, u64, bool)> {
        let d = crate::recognise::numbers::tests_support::doc_of(text);
        let nums = find_numbers(&d, 0, &[]);
        find_tolls(&d, 0, &nums)
            .into_iter()
            .map(|t| (t.kind, t.quantity.low, t.quantity.high, t.update))
            .collect()
    }

    use TollKind::*;

    #[test]
    fn toll_phrasings() {
        assert_eq!(
            tolls("at least four people were killed in a car bomb"),
            [(Killed, 4, 4, false)]
        );
        assert_eq!(
            tolls("The blasts killed at least 48 people and wounded dozens more."),
            [(Killed, 48, 48, false), (Injured, 12, 12, false)]
        );
        assert_eq!(
            tolls("one person had been killed and three injured"),
            [(Killed, 1, 1, false), (Injured, 3, 3, false)]
        );
        assert_eq!(tolls("gave a toll of three dead."), [(Killed, 3, 3, false)]);
        assert_eq!(
            tolls("The death toll rose to 7 on Tuesday."),
            [(Killed, 7, 7, true)]
        );
        assert_eq!(
            tolls("The explosion left five dead and 12 wounded."),
            [(Killed, 5, 5, false), (Injured, 12, 12, false)]
        );
        assert_eq!(
            tolls("attacks which claim nearly 50 lives"),
            [(Killed, 50, 50, false)]
        );
        assert_eq!(
            tolls("Twenty-five soldiers lost their lives."),
            [(Killed, 25, 25, false)]
        );
        assert_eq!(
            tolls("Gunmen abducted 30 students."),
            [(Abducted, 30, 30, false)]
        );
        assert_eq!(
            tolls("Police arrested 14 suspects."),
            [(Arrested, 14, 14, false)]
        );
        assert_eq!(
            tolls("No one was killed in the blast."),
            [(Killed, 0, 0, false)]
        );
        assert_eq!(
            tolls("Nobody was hurt."),
            [(Killed, 0, 0, false), (Injured, 0, 0, false)]
        );
        assert_eq!(tolls("The bomb could have killed dozens."), []);
        assert_eq!(
            tolls("More than 290,000 people have been killed in Syria since March 2011."),
            [(Killed, 290_000, 290_000, false)]
        );
        assert_eq!(
            tolls("the bodies of 12 civilians were found"),
            [(Killed, 12, 12, false)]
        );
        assert_eq!(
            tolls("Kenyan police shot dead two protesters."),
            [(Killed, 2, 2, false)]
        );
        assert_eq!(
            tolls("killing a fruit vendor and injuring eleven people"),
            [(Injured, 11, 11, false), (Killed, 1, 1, false)]
        );
        assert_eq!(
            tolls("A mob beat a man to death in the town."),
            [(Killed, 1, 1, false)]
        );
        assert_eq!(
            tolls("It killed a dozen soldiers."),
            [(Killed, 12, 12, false)]
        );
        assert_eq!(tolls("At least twenty-five people, nine of them children, were killed when a jet bombed it."), [(Killed, 25, 25, false)]);
        assert_eq!(
            tolls("Four soldiers, including a captain, were martyred when a device went off."),
            [(Killed, 4, 4, false)]
        );
    }
}
