//! Stage 6: from frames to the document's events and aggregates. Frames are
//! dated (offsets resolved against the other events of their sentence),
//! classified (an incident, a total over several incidents or a period, or
//! nothing), merged when they report one incident, and coded to ACLED,
//! CAMEO and PLOVER. Tolls become attributed estimates with low/best/high.

use crate::assemble::{Assembly, Family, Frame, Role};
use crate::gazetteer::Level;
use crate::model::{DateExpr, Document, Modality, PlaceCue, ResolvedDate, TollKind};
use crate::output::*;
use crate::resolve::dates::{is_background, offset};
use crate::Resources;

/// A frame on its way to becoming an event.
#[derive(Clone)]
struct Draft {
    /// Index of the frame it came from.
    origin: usize,
    frame: Frame,
    date: Option<ResolvedDate>,
    explicit_date: bool,
    location: Option<usize>,
    claimants: Vec<usize>,
    /// Demonstrators were arrested at it (an arrest report merged in).
    intervention: bool,
}

pub fn consolidate(
    doc: &Document,
    res: &Resources,
    asm: &Assembly,
) -> (Vec<EventOut>, Vec<AggregateOut>) {
    // 1. Dates: explicit first, then the story date, then offsets.
    let dated = FrameDates::of(doc, asm);
    // 2. Classify frames.
    let mut aggregates = Vec::new();
    let mut drafts = classify(doc, res, asm, &dated, &mut aggregates);
    aggregates.extend(orphan_aggregates(doc, asm));
    // A wire story's dateline names the place when the event's sentences name none.
    let dateline_place = doc.facts.dateline_span.and_then(|span| {
        doc.places
            .iter()
            .position(|p| p.span[0] >= span[0] && p.span[1] <= span[1] && p.resolved.is_some())
    });
    for d in &mut drafts {
        d.location = choose_location(doc, res, &d.frame);
    }
    // 3. Claims: on their frame, or on the series they name.
    let series_claims = attach_claims(asm, &mut drafts);
    // 4. Merge drafts that report one incident.
    let mut merged = merge_drafts(doc, res, drafts);
    locate_unplaced(doc, res, &mut merged, dateline_place);
    // 4b. One event per place listed.
    let mut merged = split_listed(doc, res, merged, &mut aggregates);
    // 5. Series claims go to the violent incidents of the series' day that
    //    name no perpetrator of their own.
    for m in &mut merged {
        let has_own = !m.claimants.is_empty()
            || m.frame.actors.iter().any(|&(a, r)| {
                r == Role::Perpetrator && !res.actors.entries[doc.actors[a].entry].generic
            });
        let current = m
            .date
            .is_none_or(|d| !is_background(d, doc.facts.reference_date));
        if m.frame.family == Family::Violence && !has_own && current {
            m.claimants.extend(series_claims.iter().copied());
        }
    }
    // 6. Output.
    merged.sort_by_key(|m| m.frame.sentences.iter().min().copied().unwrap_or(0));
    let events = merged
        .iter()
        .enumerate()
        .map(|(i, m)| event_out(doc, res, m, i, dated.undated_source))
        .collect();
    (events, aggregates)
}

/// Each frame's date, and the story's date that undated frames take.
struct FrameDates {
    dates: Vec<Option<ResolvedDate>>,
    story: Option<ResolvedDate>,
    undated_source: DateSource,
}

impl FrameDates {
    /// Explicit dates first, then the story date, then offsets ("a day
    /// after": from the other events of the sentence or the story date;
    /// "the day before": from the frame before).
    fn of(doc: &Document, asm: &Assembly) -> FrameDates {
        let mut dates: Vec<Option<ResolvedDate>> = asm
            .frames
            .iter()
            .map(|f| f.date.and_then(|d| doc.dates[d].resolved))
            .collect();
        let stated_story = asm
            .frames
            .iter()
            .zip(&dates)
            .filter(|(f, _)| !f.headline)
            .find_map(|(_, d)| d.filter(|d| !is_background(*d, doc.facts.reference_date)));
        let story = stated_story.or_else(|| doc.facts.reference_date.map(ResolvedDate::day));
        let undated_source = if stated_story.is_some() {
            DateSource::Story
        } else {
            DateSource::Document
        };
        for i in 0..asm.frames.len() {
            let Some(d) = asm.frames[i].date else {
                continue;
            };
            let n = match doc.dates[d].expr {
                DateExpr::AnchorOffset(n) => {
                    let s = asm.frames[i].sentences[0];
                    let anchor = (0..asm.frames.len())
                        .filter(|&j| j != i && asm.frames[j].sentences.contains(&s))
                        .find_map(|j| dates[j])
                        .or(story);
                    dates[i] = anchor.and_then(|a| offset(a, n));
                    continue;
                }
                DateExpr::PreviousOffset(n) => n,
                _ => continue,
            };
            let prev = (0..i).rev().find_map(|j| dates[j]).or(story);
            dates[i] = prev.and_then(|a| offset(a, n));
        }
        FrameDates {
            dates,
            story,
            undated_source,
        }
    }
}

/// Frames that tell an incident become drafts; summaries (headlines,
/// series, periods, plurals beside a single incident) give aggregates of
/// their tolls; frames with nothing of their own to code are dropped.
fn classify(
    doc: &Document,
    res: &Resources,
    asm: &Assembly,
    dated: &FrameDates,
    aggregates: &mut Vec<AggregateOut>,
) -> Vec<Draft> {
    let entries = &res.triggers.entries;
    let (dates, story) = (&dated.dates, dated.story);
    let singular_violence = asm
        .frames
        .iter()
        .any(|f| !f.plural && !f.headline && f.family == Family::Violence);
    let serial_exists = asm.frames.iter().any(|f| f.serial);
    let mut drafts: Vec<Draft> = Vec::new();
    for (i, f) in asm.frames.iter().enumerate() {
        let weak_only = f
            .triggers
            .iter()
            .all(|&t| entries[doc.triggers[t].entry].weak);
        let only_period =
            f.period.is_some() && f.date.is_none_or(|d| doc.dates[d].resolved.is_none());
        let summary = f.headline
            || f.serial
            || only_period
            || (f.plural
                && (f.serial
                    || serial_exists
                    || (f.family == Family::Violence && singular_violence)));
        if summary {
            if !f.tolls.is_empty() {
                aggregates.push(aggregate(
                    doc,
                    res,
                    f,
                    if f.period.is_some() {
                        dates[i]
                    } else {
                        dates[i].or(story)
                    },
                ));
            }
            continue;
        }
        if weak_only && f.tolls.is_empty() && f.actors.is_empty() {
            continue;
        }
        // Talks and agreements are coded between parties the text names.
        let named_party = f.actors.iter().any(|&(a, _)| {
            doc.actors[a].person.is_some() || !res.actors.entries[doc.actors[a].entry].generic
        });
        // Talks are coded between parties the text names; an agreement needs parties at least.
        if (f.family == Family::Consult && !named_party)
            || (f.family == Family::Agreement && f.actors.is_empty())
        {
            continue;
        }
        // "The bomb could have killed dozens": a reference to something the
        // text never reports, with nothing of its own to code.
        let anaphoric_only = f.triggers.iter().all(|&t| doc.triggers[t].anaphoric);
        if anaphoric_only
            && f.tolls.is_empty()
            && f.places.is_empty()
            && f.date.is_none()
            && f.actors.is_empty()
        {
            continue;
        }
        let explicit_date = dates[i].is_some();
        drafts.push(Draft {
            origin: i,
            frame: f.clone(),
            date: dates[i].or(story),
            explicit_date,
            location: None,
            claimants: Vec::new(),
            intervention: false,
        });
    }
    drafts
}

/// Tolls of no frame that count over a period ("since March") or a
/// running total: aggregates.
fn orphan_aggregates(doc: &Document, asm: &Assembly) -> Vec<AggregateOut> {
    let mut aggregates = Vec::new();
    for t in &asm.orphan_tolls {
        let toll = &doc.tolls[*t];
        let period = crate::model::of_sentence(&doc.dates, toll.sentence)
            .iter()
            .find(|d| matches!(d.expr, DateExpr::Since(_)));
        if period.is_some() || toll.cumulative {
            aggregates.push(AggregateOut {
                fatalities: counts(doc, &[*t], TollKind::Killed),
                injured: counts(doc, &[*t], TollKind::Injured),
                scope: doc.slice(toll.span).to_string(),
                date: None,
                period_start: period.and_then(|p| p.resolved).map(|r| r.render()),
                span: toll.span,
            });
        }
    }
    aggregates
}

/// Claims (and accusations) go on the draft of their frame; the actors of
/// claims on a series, a headline or a summary are returned.
fn attach_claims(asm: &Assembly, drafts: &mut [Draft]) -> Vec<usize> {
    let mut series_claims: Vec<usize> = Vec::new();
    for c in &asm.claims {
        match c
            .frame
            .and_then(|f| drafts.iter().position(|d| d.origin == f))
        {
            Some(k) if c.accusation => drafts[k].frame.actors.push((c.actor, Role::Perpetrator)),
            Some(k) => drafts[k].claimants.push(c.actor),
            None if c.accusation => {}
            // A claim on a series, a headline or a summary covers the series.
            None => series_claims.push(c.actor),
        }
    }
    series_claims
}

/// Merge drafts that report one incident. Only reports within a window of
/// sentences are compared: the longest news article of the bundled corpora
/// holds about 300 sentences, and a page far longer (a live blog, a
/// digest, a document of many notes) tells different stories far apart;
/// comparing every pair made such pages quadratic.
fn merge_drafts(doc: &Document, res: &Resources, drafts: Vec<Draft>) -> Vec<Draft> {
    let mut merged: Vec<Draft> = Vec::new();
    for d in drafts {
        let near = |m: &Draft| {
            let last = |x: &Draft| x.frame.sentences.iter().max().copied().unwrap_or(0);
            let first = |x: &Draft| x.frame.sentences.iter().min().copied().unwrap_or(0);
            first(&d).saturating_sub(last(m)) <= MERGE_WINDOW_SENTENCES
                && first(m).saturating_sub(last(&d)) <= MERGE_WINDOW_SENTENCES
        };
        let target = merged
            .iter()
            .position(|m| near(m) && same_incident(doc, res, m, &d));
        match target {
            Some(t) => absorb(&mut merged[t], d),
            None => merged.push(d),
        }
    }
    merged
}

/// Draft `d` joins `m`, an earlier report of the same incident.
fn absorb(m: &mut Draft, d: Draft) {
    // A shooting told beside a protest or a capture is part of
    // it: the host decides the family.
    if m.frame.family == Family::Violence
        && matches!(d.frame.family, Family::Protest | Family::Territory)
    {
        m.frame.family = d.frame.family;
    }
    if m.frame.family == Family::Protest && d.frame.family == Family::Arrest {
        m.intervention = true;
    }
    if m.frame.family == Family::Arrest && d.frame.family == Family::Protest {
        m.frame.family = Family::Protest;
        m.intervention = true;
    }
    m.frame.sentences.extend(d.frame.sentences.iter().copied());
    m.frame.triggers.extend(d.frame.triggers.iter().copied());
    m.frame.tolls.extend(d.frame.tolls.iter().copied());
    m.frame.actors.extend(d.frame.actors.iter().copied());
    m.frame.places.extend(d.frame.places.iter().copied());
    m.claimants.extend(d.claimants);
    if !m.explicit_date && d.explicit_date {
        m.date = d.date;
        m.explicit_date = true;
    }
    if m.location.is_none() {
        m.location = d.location;
    }
}

/// Events without a place of their own take the dateline's place; but a
/// dateline abroad ("BEIRUT (AFP)" on a story from Syria) is where the
/// reporter sits: they then take the place of the story's first current
/// event.
fn locate_unplaced(
    doc: &Document,
    res: &Resources,
    merged: &mut [Draft],
    dateline_place: Option<usize>,
) {
    let country_of = |p: usize| {
        doc.places[p]
            .resolved
            .as_ref()
            .map(|r| res.gazetteer.entry(r.entry).country_code().to_string())
    };
    let story_place = merged
        .iter()
        .filter(|m| {
            m.date
                .is_none_or(|d| !is_background(d, doc.facts.reference_date))
        })
        .min_by_key(|m| m.frame.sentences.iter().min().copied())
        .and_then(|m| m.location);
    let fallback = match (dateline_place, story_place) {
        (Some(d), Some(s)) if country_of(d) != country_of(s) => Some(s),
        (d, _) => d,
    };
    for m in merged {
        if m.location.is_none() {
            m.location = fallback;
        }
    }
}

/// "attacked Manini and Komo", "in Kabul, Ghor, Laghman and Balkh
/// provinces": one event per place listed; a toll told for all of them
/// together becomes an aggregate, never copied or divided.
fn split_listed(
    doc: &Document,
    res: &Resources,
    merged: Vec<Draft>,
    aggregates: &mut Vec<AggregateOut>,
) -> Vec<Draft> {
    let mut split: Vec<Draft> = Vec::new();
    for m in merged {
        let places = listed_places(doc, res, &m.frame);
        if places.len() < 2 {
            split.push(m);
            continue;
        }
        if m.frame
            .tolls
            .iter()
            .any(|&t| matches!(doc.tolls[t].kind, TollKind::Killed | TollKind::Injured))
        {
            let mut whole = aggregate(doc, res, &m.frame, m.date);
            whole.scope = format!("{} ({} places)", whole.scope, places.len());
            aggregates.push(whole);
        }
        for p in places {
            let mut one = m.clone();
            one.frame
                .tolls
                .retain(|&t| !matches!(doc.tolls[t].kind, TollKind::Killed | TollKind::Injured));
            one.location = Some(p);
            split.push(one);
        }
    }
    split
}

/// How far apart, in sentences, two reports of one document may be and
/// still be compared as one incident.
const MERGE_WINDOW_SENTENCES: usize = 300;

fn same_incident(doc: &Document, res: &Resources, a: &Draft, b: &Draft) -> bool {
    // Talks in two sentences are two meetings unless the text links them.
    // A shooting or beating told beside a mob or riot is part of it.
    let gun_only = |d: &Draft| crate::assemble::is_fight_only(doc, res, &d.frame);
    let hosts = |f: Family| matches!(f, Family::Protest | Family::Territory);
    let damage = |x: &Draft, y: &Draft| {
        x.frame.family == Family::Destruction && y.frame.family == Family::Violence
    };
    // Arrests at a demonstration are the authorities' intervention in it.
    // Only arrests of the crowd count: demonstrators named as such, or a
    // number of people ("20 people were arrested"), not the person whose
    // arrest is protested ("He was arrested ...").
    let detained_protesters = |x: &Draft, y: &Draft| {
        x.frame.family == Family::Protest
            && y.frame.family == Family::Arrest
            && (y.frame.actors.iter().any(|&(m, r)| {
                r == Role::Target && matches!(res.actors.entries[doc.actors[m].entry].inter, 5 | 6)
            }) || y.frame.tolls.iter().any(|&t| {
                doc.tolls[t].kind == TollKind::Arrested && doc.tolls[t].quantity.low >= 2
            }))
    };
    // "some protesters had looted shops": damage done by the crowd is part
    // of its demonstration.
    let crowd_damage = |x: &Draft, y: &Draft| {
        x.frame.family == Family::Protest
            && y.frame.family == Family::Destruction
            && y.frame.actors.iter().any(|&(m, r)| {
                r != Role::Target && matches!(res.actors.entries[doc.actors[m].entry].inter, 5 | 6)
            })
    };
    let families_ok = a.frame.family == b.frame.family
        || crowd_damage(a, b)
        || crowd_damage(b, a)
        || detained_protesters(a, b)
        || detained_protesters(b, a)
        || damage(a, b)
        || damage(b, a)
        || (hosts(a.frame.family) && gun_only(b))
        || (hosts(b.frame.family) && gun_only(a));
    if !families_ok || b.frame.another || a.frame.family == Family::Consult {
        return false;
    }
    let dates_ok = match (a.date, b.date) {
        (Some(x), Some(y)) => {
            // An inherited (story) date may be a day off: "a day after" on one
            // side; so may a fight told across midnight in the next sentence
            // ("laid an ambush late on Saturday ... a gunfight till Sunday").
            let adjacent = a
                .frame
                .sentences
                .iter()
                .any(|&x| b.frame.sentences.iter().any(|&y| x.abs_diff(y) <= 1));
            let tolerance = if a.explicit_date && b.explicit_date && !adjacent {
                0
            } else {
                1
            };
            dates_compatible(x, y, tolerance)
                && is_background(x, doc.facts.reference_date)
                    == is_background(y, doc.facts.reference_date)
        }
        _ => true,
    };
    if !dates_ok {
        return false;
    }
    // "Russia fired two missiles": a country named as the actor, not as
    // where it happened ("in Russia"), says nothing about the place.
    let loc = |d: &Draft| {
        d.location.and_then(|p| {
            let m = &doc.places[p];
            let r = m.resolved.as_ref()?;
            let level = res.gazetteer.entry(r.entry).level;
            if level == Level::Country && !crate::recognise::places::has_locative_before(doc, m) {
                return None;
            }
            // A region or front line ("near the Line of Control") holds
            // the town another sentence names.
            if level == Level::Region {
                return None;
            }
            Some(r.entry)
        })
    };
    let places_ok = match (loc(a), loc(b)) {
        (Some(x), Some(y)) => x == y || covers(res, x, y) || covers(res, y, x),
        _ => true,
    };
    if !places_ok {
        return false;
    }
    let named = |d: &Draft| -> Vec<String> {
        d.frame
            .actors
            .iter()
            .filter(|&&(_, r)| r == Role::Perpetrator)
            .map(|&(m, _)| &res.actors.entries[doc.actors[m].entry])
            .filter(|e| !e.generic)
            .map(|e| e.canonical.clone())
            .collect()
    };
    let (pa, pb) = (named(a), named(b));
    let actors_ok = pa.is_empty() || pb.is_empty() || pa.iter().any(|x| pb.contains(x));
    // Two incidents in one text that each name their own place are two.
    let distinct_sentences_with_places = loc(a).is_some() && loc(b).is_some() && loc(a) != loc(b);
    actors_ok && !distinct_sentences_with_places
}

/// Whether two dates can be the same day, given their precision.
fn dates_compatible(x: ResolvedDate, y: ResolvedDate, tolerance_days: i64) -> bool {
    use crate::model::DatePrecision::*;
    match (x.precision, y.precision) {
        (Year, _) | (_, Year) => x.date.year() == y.date.year(),
        (Month, _) | (_, Month) => {
            (x.date.year(), x.date.month()) == (y.date.year(), y.date.month())
        }
        _ => {
            let days = (x.date - y.date).get_days().abs() as i64;
            let weeks_ok = matches!(x.precision, Week) || matches!(y.precision, Week);
            days <= tolerance_days || (weeks_ok && days <= 7)
        }
    }
}

/// Whether entry `outer` covers entry `inner`: a country everything of the
/// country, itself included; an admin1 everything of the admin1, itself
/// included, but no country. Looser than `resolve::places::is_container_of`
/// (an address's container): two reports of one incident may name a town
/// and its province, or the province twice.
fn covers(res: &Resources, outer: u32, inner: u32) -> bool {
    let g = &res.gazetteer;
    let (o, i) = (g.entry(outer), g.entry(inner));
    o.country == i.country
        && match o.level {
            Level::Country => true,
            Level::Admin1 => o.admin1 == i.admin1 && i.level != Level::Country,
            _ => false,
        }
}

/// Places listed side by side in the frame's first sentence ("Manini and
/// Komo", "Kabul, Ghor, Laghman, and Balkh provinces"): two or more
/// different towns or areas joined only by commas and "and"/"or", none a
/// country, none inside brackets (a bracket names a container), and the
/// list not opened by "between", "from", "for" or "to" (a route, a front
/// line, destinations).
fn listed_places(doc: &Document, res: &Resources, f: &Frame) -> Vec<usize> {
    let sentence = f.sentences[0];
    let toks = &doc.tokens;
    let in_brackets = |i: usize| {
        let first = doc.sentences[sentence].tokens.0;
        let open = (first..i)
            .rev()
            .find(|&k| matches!(toks[k].key.as_str(), "(" | ")"));
        open.is_some_and(|k| toks[k].key == "(")
    };
    let mut mentions: Vec<usize> = f
        .places
        .iter()
        .copied()
        .filter(|&p| {
            let m = &doc.places[p];
            m.sentence == sentence
                && m.cue != PlaceCue::SubCity
                && !in_brackets(m.tokens.0)
                && m.resolved
                    .as_ref()
                    .is_some_and(|r| res.gazetteer.entry(r.entry).level != Level::Country)
        })
        .collect();
    mentions.sort_by_key(|&p| doc.places[p].tokens.0);
    mentions.dedup();
    let joined = |a: usize, b: usize| {
        let (x, y) = (doc.places[a].tokens.1, doc.places[b].tokens.0);
        y > x && (x..y).all(|i| matches!(toks[i].key.as_str(), "," | "and" | "or" | "as" | "well"))
    };
    // The longest run of joined mentions.
    let mut best: Vec<usize> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for &p in &mentions {
        if run.last().is_some_and(|&q| !joined(q, p)) {
            run.clear();
        }
        run.push(p);
        if run.len() > best.len() {
            best = run.clone();
        }
    }
    // "Pipri, Kaushambi": commas alone join a place to its container; a list
    // ends with "and"/"or" ("Kabul, Ghor and Balkh").
    let ends_as_list = best.len() >= 2 && {
        let (x, y) = (
            doc.places[best[best.len() - 2]].tokens.1,
            doc.places[best[best.len() - 1]].tokens.0,
        );
        (x..y).any(|i| matches!(toks[i].key.as_str(), "and" | "or"))
    };
    if !ends_as_list {
        return Vec::new();
    }
    let opener = best.first().map(|&p| doc.places[p].tokens.0).unwrap_or(0);
    let first = doc.sentences[sentence].tokens.0;
    // "between Aleppo and Idlib", "buses for Peshawar and Lahore": a route
    // or destinations, not where it happened.
    if opener > first
        && matches!(
            toks[opener - 1].key.as_str(),
            "between" | "from" | "for" | "to" | "towards" | "toward" | "into" | "via"
        )
    {
        return Vec::new();
    }
    let mut entries: Vec<u32> = Vec::new();
    best.retain(|&p| {
        let e = doc.places[p].resolved.as_ref().expect("filtered").entry;
        let new = !entries.contains(&e);
        entries.push(e);
        new
    });
    // One area inside another ("Donga, Taraba") is a place and its container.
    let nested = entries
        .iter()
        .any(|&a| entries.iter().any(|&b| a != b && covers(res, a, b)));
    if best.len() < 2 || nested {
        return Vec::new();
    }
    best
}

/// The frame's best place: a sub-city feature or a place "around" a town
/// (resolved through its container), then a town, then an admin area, then a country.
fn choose_location(doc: &Document, res: &Resources, f: &Frame) -> Option<usize> {
    let trig = f.first_trigger_token(doc);
    f.places
        .iter()
        .copied()
        .filter(|&p| doc.places[p].resolved.is_some())
        .filter(|&p| f.sentences.contains(&doc.places[p].sentence))
        .min_by_key(|&p| {
            let m = &doc.places[p];
            let r = m.resolved.as_ref().expect("filtered");
            let country = res.gazetteer.entry(r.entry).level == Level::Country;
            let rank = match (m.cue, r.precision) {
                _ if country => 4,
                (PlaceCue::SubCity, _) => 0,
                (PlaceCue::Around, _) => 1,
                (_, 1) => 1,
                (_, 2) => 2,
                _ => 3,
            };
            let same_sentence = if m.sentence == f.sentences[0] { 0 } else { 1 };
            (
                same_sentence,
                rank,
                (m.tokens.0 as isize - trig as isize).unsigned_abs(),
            )
        })
}

fn aggregate(
    doc: &Document,
    _res: &Resources,
    f: &Frame,
    date: Option<ResolvedDate>,
) -> AggregateOut {
    let span = doc.triggers[f.triggers[0]].span;
    let sentence = doc.sentences[f.sentences[0]].span;
    // The scope: from the start of the trigger's noun phrase ("string of bombings").
    let toks = &doc.tokens;
    let t0 = doc.triggers[f.triggers[0]].tokens.0;
    let first = doc.sentences[f.sentences[0]].tokens.0;
    let mut s = t0;
    while s > first
        && s + 4 > t0
        && matches!(
            toks[s - 1].key.as_str(),
            "of" | "string"
                | "series"
                | "wave"
                | "spate"
                | "the"
                | "these"
                | "bomb"
                | "coordinated"
        )
    {
        s -= 1;
    }
    let scope_start = if toks[s].key == "the" { s + 1 } else { s };
    let scope = doc.slice([toks[scope_start].span[0], span[1]]).to_string();
    AggregateOut {
        fatalities: counts(doc, &f.tolls, TollKind::Killed),
        injured: counts(doc, &f.tolls, TollKind::Injured),
        scope,
        date: date.map(|d| d.render()),
        period_start: f
            .period
            .and_then(|p| doc.dates[p].resolved)
            .map(|r| r.render()),
        span: [sentence[0].min(span[0]), sentence[1]],
    }
}

/// Estimates of one kind with their sources; low/best/high over the
/// current (not superseded) ones.
pub fn counts(doc: &Document, tolls: &[usize], kind: TollKind) -> Option<CountOut> {
    let mut picked: Vec<usize> = tolls
        .iter()
        .copied()
        .filter(|&t| doc.tolls[t].kind == kind)
        .collect();
    picked.sort_by_key(|&t| doc.tolls[t].span[0]);
    picked.dedup();
    if picked.is_empty() {
        return None;
    }
    let last_update = picked.iter().rposition(|&t| doc.tolls[t].update);
    let update_sentences: Vec<usize> = picked
        .iter()
        .filter(|&&t| doc.tolls[t].update)
        .map(|&t| doc.tolls[t].sentence)
        .collect();
    let mut estimates: Vec<EstimateOut> = Vec::new();
    for (k, &t) in picked.iter().enumerate() {
        let toll = &doc.tolls[t];
        let source = toll
            .source
            .clone()
            .or_else(|| source_of(doc, toll.sentence, toll.tokens));
        let e = EstimateOut {
            count: toll.quantity.low,
            count_high: (toll.quantity.high > toll.quantity.low).then_some(toll.quantity.high),
            qualifier: toll.quantity.qualifier.map(String::from),
            vague: toll.quantity.vague,
            source,
            who: toll.who.clone(),
            // Earlier figures, figures called initial, and the increments told
            // beside an update ("rose to nine after two of the wounded died").
            superseded: last_update.is_some_and(|u| k < u || (toll.initial && !toll.update))
                || (!toll.update && update_sentences.contains(&toll.sentence)),
            span: toll.span,
        };
        if !estimates
            .iter()
            .any(|x| x.count == e.count && x.source == e.source && x.count_high == e.count_high)
        {
            estimates.push(e);
        }
    }
    // Figures that add to the others ("6 militants were also killed") are
    // summed onto every other estimate, not weighed against them.
    let additive: Vec<[usize; 2]> = picked
        .iter()
        .filter(|&&t| doc.tolls[t].additive)
        .map(|&t| doc.tolls[t].span)
        .collect();
    let live = |e: &&EstimateOut| !e.superseded;
    let extra_low: u64 = estimates
        .iter()
        .filter(live)
        .filter(|e| additive.contains(&e.span))
        .map(|e| e.count)
        .sum();
    let extra_high: u64 = estimates
        .iter()
        .filter(live)
        .filter(|e| additive.contains(&e.span))
        .map(|e| e.count_high.unwrap_or(e.count))
        .sum();
    let current: Vec<&EstimateOut> = estimates
        .iter()
        .filter(live)
        .filter(|e| !additive.contains(&e.span))
        .collect();
    if current.is_empty() && !estimates.iter().any(|e| !e.superseded) {
        return None;
    }
    let low = current.iter().map(|e| e.count).min().unwrap_or(0) + extra_low;
    let high = current
        .iter()
        .map(|e| e.count_high.unwrap_or(e.count))
        .max()
        .unwrap_or(0)
        + extra_high;
    Some(CountOut {
        low,
        best: low,
        high,
        estimates,
    })
}

/// The source of a figure: the attribution of its sentence nearest to it.
fn source_of(doc: &Document, sentence: usize, tokens: (usize, usize)) -> Option<String> {
    crate::model::of_sentence(&doc.attributions, sentence)
        .iter()
        .min_by_key(|a| (a.tokens.0 as isize - tokens.0 as isize).unsigned_abs())
        .map(|a| a.source.clone())
}

fn is_armed(inter: u8) -> bool {
    matches!(inter, 1 | 2 | 3 | 4 | 8)
}

/// The ACLED sub-event type of a merged incident.
fn sub_event_type(doc: &Document, res: &Resources, m: &Draft) -> Option<String> {
    let main = m.frame.main_trigger(doc, res);
    let base = main.sub_event_type.clone();
    let actor = |r: Role| -> Vec<&crate::recognise::actors::ActorEntry> {
        m.frame
            .actors
            .iter()
            .filter(|&&(_, rr)| rr == r)
            .map(|&(a, _)| &res.actors.entries[doc.actors[a].entry])
            .collect()
    };
    let killed = m
        .frame
        .tolls
        .iter()
        .any(|&t| doc.tolls[t].kind == TollKind::Killed && doc.tolls[t].quantity.low > 0);
    // "clashes ... amid regime shelling", "fired mortars, grenade launchers
    // and small arms at the positions": remote weapons used in a two-sided
    // fight make the fight an armed clash (ACLED codes the battle).
    let explicit_fight = m.frame.triggers.iter().any(|&t| {
        let e = &res.triggers.entries[doc.triggers[t].entry];
        e.class == "clash" && e.priority >= 50 && doc.triggers[t].modality == Modality::Asserted
    });
    if explicit_fight && matches!(main.class.as_str(), "shelling" | "grenade") {
        return Some("Armed clash".into());
    }
    if main.class == "protest" && m.intervention && !killed {
        return Some("Protest with intervention".into());
    }
    match main.class.as_str() {
        "attack" | "kill" => {
            let targets = actor(Role::Target);
            let armed_victims = m
                .frame
                .tolls
                .iter()
                .filter_map(|&t| doc.tolls[t].who.as_deref())
                .any(|w| {
                    matches!(
                        w.to_lowercase().as_str(),
                        "soldiers"
                            | "soldier"
                            | "troops"
                            | "policemen"
                            | "policeman"
                            | "police"
                            | "militants"
                            | "fighters"
                            | "insurgents"
                            | "rebels"
                            | "officers"
                            | "personnel"
                            | "guards"
                            | "gunmen"
                            | "militiamen"
                            | "servicemen"
                    )
                });
            let armed_target = targets.iter().any(|e| is_armed(e.inter));
            let two_sided = actor(Role::Participant).len() >= 2;
            if armed_target || armed_victims || two_sided {
                Some("Armed clash".into())
            } else {
                Some("Attack".into())
            }
        }
        "clash" => {
            // "a clash between two farmer groups", "party youths clashed":
            // a fight with no armed, organised side is mob violence.
            let sides: Vec<_> = m
                .frame
                .actors
                .iter()
                .map(|&(a, _)| &res.actors.entries[doc.actors[a].entry])
                .collect();
            let armed = sides.iter().any(|e| is_armed(e.inter));
            let crowd = sides.iter().any(|e| (5..=7).contains(&e.inter));
            if crowd && !armed {
                Some("Mob violence".into())
            } else {
                base
            }
        }
        "protest" | "protest_intervention" if killed => {
            Some("Excessive force against protesters".into())
        }
        "territory_gain" | "territory_loss" => {
            let gainers = actor(Role::Perpetrator);
            let place_country = m
                .location
                .and_then(|p| doc.places[p].resolved.as_ref())
                .map(|r| res.gazetteer.entry(r.entry).country_code().to_string());
            let gainer_is_government = gainers.iter().any(|e| {
                e.inter == 1
                    && (place_country.is_none()
                        || e.country.is_none()
                        || e.country == place_country)
            });
            if main.class == "territory_gain" && gainer_is_government {
                Some("Government regains territory".into())
            } else {
                Some("Non-state actor overtakes territory".into())
            }
        }
        _ => base,
    }
}

/// ACLED always names the crowd of a demonstration as its first actor
/// ("Protesters (Kenya)", "Rioters (Iraq)"), whether or not the text uses
/// the word: add it when the text names no protesters or rioters.
fn demonstrators(
    res: &Resources,
    rioting: bool,
    country: &Option<String>,
    trig: &crate::model::TriggerMention,
    doc: &Document,
    actors: &mut Vec<ActorOut>,
) {
    if actors.iter().any(|a| matches!(a.inter, 5 | 6)) {
        return;
    }
    let (base, inter) = if rioting {
        ("Rioters", 5)
    } else {
        ("Protesters", 6)
    };
    let name = match country.as_deref().and_then(|c| res.gazetteer.country(c)) {
        Some(i) => format!("{base} ({})", res.gazetteer.entry(i).name),
        None => base.to_string(),
    };
    actors.insert(
        0,
        ActorOut {
            name,
            role: "participant".into(),
            inter,
            country: country.clone(),
            mention: doc.slice(trig.span).to_string(),
            span: trig.span,
            inter_confidence: None,
            person: false,
        },
    );
}

/// Where an event's date comes from (`EventOut::date_source`).
#[derive(Clone, Copy)]
enum DateSource {
    /// The date the article gives its story, inherited.
    Story,
    /// The document's reference date, inherited.
    Document,
}

/// The `date_precision`, `date_source` and `date_bound` of an event dated
/// `date`; `inherited` says where a date not stated for it comes from.
fn date_fields(
    date: Option<ResolvedDate>,
    explicit: bool,
    inherited: DateSource,
) -> (String, &'static str, Option<&'static str>) {
    let Some(d) = date else {
        return (
            "unknown".into(),
            "unknown",
            Some("on_or_before_publication"),
        );
    };
    let precision = format!("{:?}", d.precision).to_lowercase();
    match (explicit, inherited) {
        (true, _) => (precision, "text", None),
        (false, DateSource::Story) => (precision, "story", None),
        (false, DateSource::Document) => (precision, "document", Some("on_or_before_publication")),
    }
}

fn event_out(
    doc: &Document,
    res: &Resources,
    m: &Draft,
    i: usize,
    undated_source: DateSource,
) -> EventOut {
    let main = m.frame.main_trigger(doc, res);
    let sub = sub_event_type(doc, res, m);
    let onto = sub.as_deref().and_then(|s| res.ontology.sub_event(s));
    let location = location_out(doc, res, m);
    let trig = &doc.triggers[m
        .frame
        .triggers
        .iter()
        .copied()
        .max_by_key(|&t| res.triggers.entries[doc.triggers[t].entry].priority)
        .unwrap_or(m.frame.triggers[0])];
    let actors = actors_out(doc, res, m, sub.as_deref(), location.as_ref(), trig);
    let claimed_by: Vec<String> = {
        let mut v: Vec<String> = actors
            .iter()
            .filter(|a| a.role == "claimant")
            .map(|a| a.name.clone())
            .collect();
        v.dedup();
        v
    };
    let (date_precision, date_source, date_bound) =
        date_fields(m.date, m.explicit_date, undated_source);
    let status = match m.date {
        Some(d) if is_background(d, doc.facts.reference_date) => "background",
        _ => "new",
    };
    let mut evidence: Vec<[usize; 2]> = m
        .frame
        .sentences
        .iter()
        .map(|&s| doc.sentences[s].span)
        .collect();
    evidence.sort();
    evidence.dedup();
    let fatalities = counts(doc, &m.frame.tolls, TollKind::Killed);
    let confidence = (0.4
        + if location.is_some() { 0.15 } else { 0.0 }
        + if m.explicit_date { 0.1 } else { 0.0 }
        + if actors.is_empty() { 0.0 } else { 0.15 }
        + if fatalities.is_some() { 0.1 } else { 0.0 }
        + if main.weak { 0.0 } else { 0.1 }) as f32;
    EventOut {
        id: format!("e{}", i + 1),
        status: status.into(),
        date: m.date.map(|d| d.render()),
        date_precision: Some(date_precision),
        date_source: Some(date_source.into()),
        date_bound: date_bound.map(String::from),
        acled_event_type: onto.map(|o| o.event_type.clone()),
        acled_sub_event_type: onto.map(|o| o.sub_event_type.clone()),
        disorder_type: onto.map(|o| o.disorder_type.clone()),
        cameo: main
            .cameo
            .clone()
            .or_else(|| onto.map(|o| o.cameo.clone()))
            .unwrap_or_default(),
        plover: main
            .plover
            .clone()
            .or_else(|| onto.map(|o| o.plover.clone()))
            .unwrap_or_default(),
        plover_mode: main
            .plover_mode
            .clone()
            .or_else(|| onto.and_then(|o| o.plover_mode.clone())),
        actors,
        location,
        fatalities,
        injured: counts(doc, &m.frame.tolls, TollKind::Injured),
        missing: counts(doc, &m.frame.tolls, TollKind::Missing),
        abducted: counts(doc, &m.frame.tolls, TollKind::Abducted),
        arrested: counts(doc, &m.frame.tolls, TollKind::Arrested),
        claimed_by,
        trigger: TriggerOut {
            text: doc.slice(trig.span).to_string(),
            span: trig.span,
            proposed: trig.proposed,
        },
        evidence,
        confidence: confidence.min(0.99),
        type_confidence: None,
        relevance: None,
        type_explanation: Vec::new(),
    }
}

/// The event's chosen place with its gazetteer entry's names and codes.
fn location_out(doc: &Document, res: &Resources, m: &Draft) -> Option<LocationOut> {
    let g = &res.gazetteer;
    m.location.map(|p| {
        let pm = &doc.places[p];
        let r = pm.resolved.as_ref().expect("chosen locations are resolved");
        let e = g.entry(r.entry);
        LocationOut {
            name: e.name.to_string(),
            country: e.country_code().trim().to_string(),
            admin1: g.admin1_name(e),
            admin2: match e.level {
                Level::Place => g.admin2_of(e).map(|a| a.name.to_string()),
                Level::Admin2 => Some(e.name.to_string()),
                _ => None,
            },
            lat: e.lat,
            lon: e.lon,
            geonames_id: e.geonameid,
            precision: r.precision,
            precision_words: crate::resolve::places::precision_words(doc, pm).map(|span| {
                WordsOut {
                    text: doc.slice(span).to_string(),
                    span,
                }
            }),
            mention: doc.slice(pm.span).to_string(),
            span: pm.span,
        }
    })
}

/// The event's actors in ACLED's order: perpetrators and participants
/// first (ACLED actor1, with a protest's or a riot's crowd), then
/// claimants, then targets.
fn actors_out(
    doc: &Document,
    res: &Resources,
    m: &Draft,
    sub: Option<&str>,
    location: Option<&LocationOut>,
    trig: &crate::model::TriggerMention,
) -> Vec<ActorOut> {
    let main = m.frame.main_trigger(doc, res);
    // A region or sea across borders ("the Line of Control") has no country.
    let loc_country = location
        .map(|l| l.country.clone())
        .filter(|c| !c.trim().is_empty());
    let mut actors: Vec<ActorOut> = Vec::new();
    for want in [
        Role::Perpetrator,
        Role::Participant,
        Role::Claimant,
        Role::Target,
    ] {
        for &(a, r) in &m.frame.actors {
            if r == want {
                push_actor(doc, res, a, r, &loc_country, &mut actors);
            }
        }
        if want == Role::Claimant {
            for &a in &m.claimants {
                push_actor(doc, res, a, Role::Claimant, &loc_country, &mut actors);
            }
        }
        let crowd_event = matches!(sub, Some("Mob violence" | "Violent demonstration"));
        if want == Role::Participant && (m.frame.family == Family::Protest || crowd_event) {
            let rioting = crowd_event || matches!(main.class.as_str(), "riot" | "mob");
            demonstrators(res, rioting, &loc_country, trig, doc, &mut actors);
        }
    }
    // A demonstration's crowd is ACLED's first actor, the forces that
    // intervene come after it.
    if m.frame.family == Family::Protest {
        actors.sort_by_key(|a| !matches!(a.inter, 5 | 6));
    }
    actors
}

/// Add actor mention `a` in `role`, named as the text's antecedent names
/// it; a generic actor takes the event's country (`loc_country`) when the
/// text gives none.
fn push_actor(
    doc: &Document,
    res: &Resources,
    a: usize,
    role: Role,
    loc_country: &Option<String>,
    actors: &mut Vec<ActorOut>,
) {
    let g = &res.gazetteer;
    let am = &doc.actors[a];
    let named = am.antecedent.map(|x| &doc.actors[x]).unwrap_or(am);
    let e = &res.actors.entries[named.entry];
    let country = named
        .country
        .clone()
        .or_else(|| e.country.clone())
        .or_else(|| if e.generic { loc_country.clone() } else { None });
    let mut name = res.actors.display_name(named, doc, res);
    if e.generic && named.country.is_none() && named.person.is_none() {
        if let Some(c) = &country {
            let cname = g
                .country(c)
                .map(|i| g.entry(i).name.to_string())
                .unwrap_or_else(|| c.clone());
            name = crate::recognise::actors::with_country(&e.canonical, &cname);
        }
    }
    let role_s = match role {
        Role::Perpetrator => "perpetrator",
        Role::Target => "target",
        Role::Claimant => "claimant",
        Role::Participant => "participant",
    };
    // One actor, one acting role: the first found (perpetrators come
    // first). An actor on both sides ("militia groups clashed, 2
    // militiamen killed") keeps its target entry.
    let acting = |r: &str| r != "target";
    if !actors
        .iter()
        .any(|x| x.name == name && (x.role == role_s || acting(&x.role) && acting(role_s)))
    {
        actors.push(ActorOut {
            name,
            role: role_s.into(),
            inter: e.inter,
            country,
            mention: doc.slice(am.span).to_string(),
            span: am.span,
            inter_confidence: None,
            person: named.person.is_some(),
        });
    }
}
