//! The rule that says whether events reported by different articles are one
//! incident: merge on positive evidence of sameness, refuse on any
//! contradiction. Over-merging destroys data silently (two attacks become
//! one row, a toll vanishes), so when in doubt two reports stay two
//! incidents.
//!
//! **Conditions** (each must hold against every member of the incident,
//! complete linkage, so a chain of reports one day apart cannot stretch an
//! incident over a week):
//!
//! 1. **Document**: not from the same document (the pipeline already
//!    decided that two events of one article are distinct).
//! 2. **Type**: the same ACLED event type. Sub-event types may differ (one
//!    outlet's "suicide bomb" is another's "remote explosive").
//! 3. **Date**: both dates are known to the day or the week, and their
//!    periods, each widened by one day, overlap (a day-precision date is
//!    within ±1 day of the other; a week-precision date stands for the
//!    seven days around it). A date known only to the month or the year, or
//!    no date, never merges on dates: only near-duplicate text (below) can
//!    tie such a report to another.
//! 4. **Place**: the same country, and
//!    - two different named places both known precisely (ACLED geo
//!      precision 1; different gazetteer entries, or different names where
//!      either has no entry): refused, however close ("same day, different
//!      villages");
//!    - both precise: within 10 km; otherwise the same admin2, or within
//!      the radius of the vaguer precision (25 km for precision 2, 50 km
//!      for 3). A report without a place merges only on near-duplicate text.
//!
//!    When a date is missing and near-duplicate text stands in for it, the
//!    text stands in for the place too: the two texts name the same things,
//!    so places resolved apart are one text read two ways.
//! 5. **Actors**: no two different named perpetrators (named actors with
//!    role perpetrator or claimant, and the claims; generic ones such as
//!    "gunmen" do not count). An unclaimed report and a claimed one agree.
//! 6. **Tolls**: not incompatible. Each report's current fatality figures
//!    give a range (open above for "at least", "more than" or a vague
//!    figure); a report whose lowest figure exceeds four times the other's
//!    highest plus four ("2 killed" against "40 killed") is another event.
//!
//! **Positive evidence** (against every member, as the conditions): the
//! conditions only say that two reports *could* be one incident; many
//! distinct events share a type, a town and a day (ACLED codes several
//! protests in one city on one day). A report joins only with one of these:
//!
//! - **near-duplicate text**: the two documents' MinHash similarity is at
//!   least [`crate::sketch::NEAR_DUPLICATE`] (a copy, a rewrite of the same
//!   wire story) and they do not each name something the other does not
//!   (one template filled twice) nor count different days of a running
//!   event ("for the third day"; [`crate::sketch::tell_apart`]); it stands
//!   in for a missing date or place, but not for a day between two dates
//!   (near-identical reports of consecutive days are a protest's second
//!   and third day);
//! - **agreeing tolls**, the same day, at one fine place: both give at
//!   least three killed and the figures tell one toll ("at least 11" and
//!   13, 10 and a later 12; not "at least 6" and "at least 14"), and both
//!   name the same place (gazetteer entry or name) known to the town or
//!   near it (precision 1 or 2), not a region and not a town named like
//!   its first-level area ("Kaduna" may be Kaduna State): a toll of three
//!   is common across a state on a busy day.
//!
//! A near duplicate of one member is that member's report told again: the
//! evidence that tied that member to the others ties its copy too, so it
//! joins when it contradicts no other member (an undated copy cannot be
//! compared on dates with a paraphrase of its story, only on actors and
//! tolls); `CopyOfMember` records it.
//!
//! A shared named perpetrator is recorded as a ground but is not enough
//! alone: one group attacks several villages of a district in a day.
//!
//! Among several incidents that would take it, the nearest (date gap, then
//! distance, then the most similar text) wins. The checks that passed, with
//! their values, are kept as the event's [`Joined`] record
//! (`warcoder events --explain-merge ID` prints them).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};
use warcoder_core::output::{CountOut, EventOut};

/// What the rule looks at, taken from one stored event.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The event's row id (0 before it is stored).
    pub event: i64,
    /// The document's row id.
    pub document: i64,
    pub event_type: Option<String>,
    /// First and last day the date can stand for, when known to the day or week.
    pub days: Option<(Date, Date)>,
    pub place: Option<Place>,
    pub perpetrators: BTreeSet<String>,
    pub killed: Option<Toll>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: Option<String>,
    pub geonames_id: Option<i64>,
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// ACLED geo precision: 1 the town, 2 near a town, 3 a region.
    pub precision: u8,
}

/// Words that name an area's level after its name ("Niger State", "Sindh
/// Province"): the area is still the town's namesake.
const AREA_LEVEL_WORDS: &[&str] = &["state", "province", "region", "division", "governorate"];

impl Place {
    fn same_name(&self, other: &Place) -> bool {
        match (&self.name, &other.name) {
            (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
            _ => false,
        }
    }

    /// Whether two places are one named place: the same gazetteer entry,
    /// or the same name (two entries may share one: a town and its
    /// district; a place found without a gazetteer id is known by its name
    /// only).
    fn same_named_place(&self, other: &Place) -> bool {
        self.same_name(other)
            || matches!((self.geonames_id, other.geonames_id), (Some(x), Some(y)) if x == y)
    }

    /// Whether two places are named differently: different gazetteer
    /// entries of different names, or different names where either has no
    /// entry ("Banishanta" and "Amtala", two villages the gazetteer lacks).
    fn named_apart(&self, other: &Place) -> bool {
        let both_named = self.name.is_some() && other.name.is_some();
        let ids_differ =
            matches!((self.geonames_id, other.geonames_id), (Some(x), Some(y)) if x != y);
        (ids_differ || both_named) && !self.same_named_place(other)
    }

    /// A town named like its first-level area ("Kaduna" in Kaduna State,
    /// "Khulna" in Khulna Division): the gazetteer reads a bare "Kaduna"
    /// as the town, but the words may as well name the area ("(Kauru LGA,
    /// Kaduna)"), so the place says no more than the area does.
    fn is_area_namesake(&self) -> bool {
        let (Some(name), Some(area)) = (&self.name, &self.admin1) else {
            return false;
        };
        let area = area.to_lowercase();
        let area = AREA_LEVEL_WORDS
            .iter()
            .find_map(|w| area.strip_suffix(w).map(str::trim_end))
            .unwrap_or(&area);
        name.to_lowercase() == area
    }

    /// Whether the place is known well enough for agreeing tolls to tie two
    /// reports: a town or a spot near one (precision 1 or 2), not a region
    /// and not an area's namesake town.
    fn fine(&self) -> bool {
        self.precision <= 2 && !self.is_area_namesake()
    }
}

/// The one fine place two reports name, if any: what agreeing tolls need
/// before they count. A toll of three or more on one day is common across
/// a state or a big city's districts; at one named village or town it is
/// the mark of one event. One place is one gazetteer entry (a town and
/// its district of the same name are two), or one name where either has
/// no entry; at least one report places the event in the town itself.
fn one_fine_place<'p>(a: Option<&'p Place>, b: Option<&Place>) -> Option<&'p Place> {
    let (a, b) = (a?, b?);
    let one = match (a.geonames_id, b.geonames_id) {
        (Some(x), Some(y)) => x == y,
        _ => a.same_name(b),
    };
    // Two reports "near X" may be on either side of it: one of them must
    // place the event in the town itself.
    let in_town = a.precision.min(b.precision) <= 1;
    (one && in_town && a.fine() && b.fine()).then_some(a)
}

/// A report's fatality range over its current figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toll {
    pub low: u64,
    /// None: open above ("at least 11", "dozens").
    pub high: Option<u64>,
}

/// Why two events are not one incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    SameDocument,
    /// No type, or no usable date or place and no near-duplicate text.
    NotMergeable,
    EventType,
    Date,
    Country,
    DifferentPlaces,
    Distance {
        km: f64,
    },
    Perpetrators,
    Tolls,
}

/// What made a report join: a positive sign that two reports tell one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ground {
    NearDuplicateText {
        similarity: f64,
    },
    SharedPerpetrator {
        name: String,
    },
    /// A near duplicate of another member (`event`): tied to this member
    /// through it.
    CopyOfMember {
        event: i64,
    },
    AgreeingTolls {
        this: Toll,
        other: Toll,
        /// The one fine place both name (None in records kept before
        /// tolls needed one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    },
}

/// The checks one pair of reports passed, with their values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The other report's event row.
    pub with_event: i64,
    pub event_type: String,
    /// Days between the two dates' periods (None: a date is missing and
    /// the text stood in for it).
    pub days: Option<i64>,
    /// Distance between the places, and the radius allowed.
    pub km: Option<f64>,
    pub radius_km: Option<f64>,
    pub same_admin2: bool,
    pub grounds: Vec<Ground>,
}

impl Evidence {
    /// How far apart the two reports are, for choosing the nearest incident.
    fn gap(&self) -> (i64, f64) {
        (self.days.unwrap_or(0), self.km.unwrap_or(0.0))
    }

    /// Whether the grounds are enough to merge on: near-duplicate text or
    /// agreeing tolls. A shared perpetrator is kept as a ground but is not
    /// enough alone (one group attacks several villages of a district in
    /// a day).
    pub fn sufficient(&self) -> bool {
        self.grounds.iter().any(|g| {
            matches!(
                g,
                Ground::NearDuplicateText { .. }
                    | Ground::AgreeingTolls { .. }
                    | Ground::CopyOfMember { .. }
            )
        })
    }

    fn similarity(&self) -> f64 {
        self.grounds
            .iter()
            .find_map(|g| match g {
                Ground::NearDuplicateText { similarity } => Some(*similarity),
                _ => None,
            })
            .unwrap_or(0.0)
    }
}

/// Why an event joined its incident: the checks against every member
/// stored before it (stored with the event; `--explain-merge` prints it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Joined {
    pub members: Vec<Evidence>,
}

impl Facts {
    /// The facts of an event of document `document`.
    pub fn of(event: &EventOut, document: i64) -> Facts {
        let mut perpetrators: BTreeSet<String> = event
            .actors
            .iter()
            .filter(|a| matches!(a.role.as_str(), "perpetrator" | "claimant"))
            .map(|a| a.name.clone())
            .chain(event.claimed_by.iter().cloned())
            .collect();
        perpetrators.retain(|name| !is_generic_actor(name));
        Facts {
            event: 0,
            document,
            event_type: event.acled_event_type.clone(),
            days: event
                .date
                .as_deref()
                .and_then(|d| mergeable_days(d, event.date_precision.as_deref())),
            place: event.location.as_ref().map(|l| Place {
                name: Some(l.name.clone()),
                geonames_id: l.geonames_id.map(i64::from),
                country: l.country.clone(),
                admin1: l.admin1.clone(),
                admin2: l.admin2.clone(),
                lat: l.lat,
                lon: l.lon,
                precision: l.precision,
            }),
            perpetrators,
            killed: event.fatalities.as_ref().and_then(toll),
        }
    }

    /// Whether the event can join another one on dates and places.
    pub fn mergeable(&self) -> bool {
        self.event_type.is_some() && self.days.is_some() && self.place.is_some()
    }
}

/// Qualifiers that leave a figure open above.
const OPEN_QUALIFIERS: &[&str] = &["at least", "more than", "over", "some", "dozens"];

/// The range of a count's current (not superseded) figures.
pub fn toll(count: &CountOut) -> Option<Toll> {
    let current: Vec<_> = count.estimates.iter().filter(|e| !e.superseded).collect();
    if current.is_empty() {
        return None;
    }
    let open = current.iter().any(|e| {
        e.vague
            || e.qualifier
                .as_deref()
                .is_some_and(|q| OPEN_QUALIFIERS.contains(&q.to_lowercase().as_str()))
    });
    Some(Toll {
        low: current.iter().map(|e| e.count).min().unwrap_or(0),
        high: (!open).then(|| {
            current
                .iter()
                .map(|e| e.count_high.unwrap_or(e.count).max(e.count))
                .max()
                .unwrap_or(0)
        }),
    })
}

/// "2 killed" against "40 killed": one report's lowest figure far above
/// the other's highest.
fn tolls_incompatible(a: Toll, b: Toll) -> bool {
    let beyond = |x: Toll, y: Toll| y.high.is_some_and(|h| x.low > 4 * h + 4);
    beyond(a, b) || beyond(b, a)
}

/// Tolls below this are too common to tell events apart: on a busy day a
/// district has several attacks that killed one or two.
const MIN_AGREEING_TOLL: u64 = 3;

/// Both give a toll of at least [`MIN_AGREEING_TOLL`] and the figures tell
/// one toll: closed ranges that are close (the higher low at most a
/// quarter, and at least one, above the lower high: 10 and a later 12, not
/// 3 and 5), or an open one ("at least 11") that a closed one reaches
/// without going far beyond it (13, not 40). Two open figures agree only
/// when they start at the same number: "at least 6" and "at least 14"
/// say nothing about being one event.
fn tolls_agree(a: Toll, b: Toll) -> bool {
    if a.low.max(b.low) < MIN_AGREEING_TOLL {
        return false;
    }
    match (a.high, b.high) {
        // Tolls change between reports ("rose to 12" against an earlier
        // 10): close figures agree.
        (Some(ha), Some(hb)) => {
            let lower = ha.min(hb);
            a.low.max(b.low) <= lower + (lower / 4).max(1)
        }
        (None, Some(h)) => h >= a.low && h <= 2 * a.low + 3,
        (Some(h), None) => h >= b.low && h <= 2 * b.low + 3,
        (None, None) => a.low == b.low,
    }
}

/// Whether `a` and `b` are one incident, with the checks that passed.
/// `similarity` is the two documents' text similarity when they are near
/// duplicates (see [`crate::sketch`]).
pub fn compare(a: &Facts, b: &Facts, similarity: Option<f64>) -> Result<Evidence, Mismatch> {
    if a.document == b.document {
        return Err(Mismatch::SameDocument);
    }
    let (Some(ta), Some(tb)) = (&a.event_type, &b.event_type) else {
        return Err(Mismatch::NotMergeable);
    };
    if ta != tb {
        return Err(Mismatch::EventType);
    }
    let near_duplicate = similarity.is_some_and(|s| s >= crate::sketch::NEAR_DUPLICATE);
    let days = match (a.days, b.days) {
        (Some(da), Some(db)) => Some(day_gap(da, db).ok_or(Mismatch::Date)?),
        _ if near_duplicate => None,
        _ => return Err(Mismatch::NotMergeable),
    };
    let (km, radius_km, same_admin2) = match (&a.place, &b.place) {
        (Some(pa), Some(pb)) => match place_gap(pa, pb) {
            Ok((km, radius, same_admin2)) => (Some(km), Some(radius), same_admin2),
            // Undated near duplicates name the same things (else they would
            // not be near duplicates), so places resolved apart are one
            // text read two ways: without a date or under another headline
            // the extractor may pick another of its names ("Tangra police
            // station in Kolkata"). The text stands in for the place too.
            Err(_) if days.is_none() => (None, None, false),
            Err(refusal) => return Err(refusal),
        },
        _ if near_duplicate => (None, None, false),
        _ => return Err(Mismatch::NotMergeable),
    };
    actors_or_tolls_differ(a, b)?;
    let shared = a.perpetrators.intersection(&b.perpetrators);
    let mut grounds: Vec<Ground> = Vec::new();
    // Near-identical texts a day apart are the same story told again
    // ("protesters gathered for the third day"), not the same event.
    let same_day = days.is_none_or(|d| d == 0);
    if let Some(similarity) = similarity.filter(|_| near_duplicate && same_day) {
        grounds.push(Ground::NearDuplicateText { similarity });
    }
    grounds.extend(
        shared
            .into_iter()
            .map(|name| Ground::SharedPerpetrator { name: name.clone() }),
    );
    if let (Some(ka), Some(kb)) = (a.killed, b.killed) {
        let place = one_fine_place(a.place.as_ref(), b.place.as_ref());
        if let Some(place) = place.filter(|_| same_day && tolls_agree(ka, kb)) {
            grounds.push(Ground::AgreeingTolls {
                this: ka,
                other: kb,
                at: place.name.clone(),
            });
        }
    }
    Ok(Evidence {
        with_event: b.event,
        event_type: ta.clone(),
        days,
        km,
        radius_km,
        same_admin2,
        grounds,
    })
}

/// Conditions 5 and 6: two different named perpetrators, or tolls far
/// apart.
fn actors_or_tolls_differ(a: &Facts, b: &Facts) -> Result<(), Mismatch> {
    let both_named = !a.perpetrators.is_empty() && !b.perpetrators.is_empty();
    if both_named && a.perpetrators.is_disjoint(&b.perpetrators) {
        return Err(Mismatch::Perpetrators);
    }
    match (a.killed, b.killed) {
        (Some(ka), Some(kb)) if tolls_incompatible(ka, kb) => Err(Mismatch::Tolls),
        _ => Ok(()),
    }
}

/// The checks against an incident's `members` when `event` may join it:
/// no refusal, and positive evidence against every member. A near
/// duplicate of one member is that member's report told again (a copy
/// under another headline, maybe without a date): the evidence that tied
/// that member to the others ties its copy too, so against the others it
/// needs only to contradict nothing (the members it cannot be compared
/// with for want of a date are still checked for actors and tolls).
fn joined_checks(
    event: &Facts,
    members: &[Facts],
    similar: &HashMap<i64, f64>,
) -> Option<Vec<Evidence>> {
    let checks: Vec<Result<Evidence, Mismatch>> = members
        .iter()
        .map(|m| compare(event, m, similar.get(&m.document).copied()))
        .collect();
    // A dated report is another's copy only where that one has a date to
    // agree with too: through an undated copy, two dated notes of two days'
    // protests would be tied by text alone.
    let copy_of = checks
        .iter()
        .zip(members)
        .filter(|(_, m)| m.days.is_some() || event.days.is_none())
        .find_map(|(c, _)| c.as_ref().ok().filter(|e| e.similarity() > 0.0))
        .map(|e| e.with_event);
    let through_copy = |mut e: Evidence, of: i64| {
        e.grounds.push(Ground::CopyOfMember { event: of });
        e
    };
    checks
        .into_iter()
        .zip(members)
        .map(|(check, member)| match (check, copy_of) {
            (Ok(e), _) if e.sufficient() => Some(e),
            (Ok(e), Some(of)) => Some(through_copy(e, of)),
            (Err(Mismatch::NotMergeable), Some(of)) => {
                actors_or_tolls_differ(event, member).ok()?;
                let unchecked = Evidence {
                    with_event: member.event,
                    event_type: member.event_type.clone().unwrap_or_default(),
                    days: None,
                    km: None,
                    radius_km: None,
                    same_admin2: false,
                    grounds: Vec::new(),
                };
                Some(through_copy(unchecked, of))
            }
            _ => None,
        })
        .collect()
}

/// The incident (among `candidates`: id and member facts) that `event`
/// joins, if any, with the checks against each member. `similar` maps a
/// document to its text similarity with the event's document, for the
/// near-duplicate documents only.
pub fn best_incident(
    event: &Facts,
    candidates: &[(i64, Vec<Facts>)],
    similar: &HashMap<i64, f64>,
) -> Option<(i64, Joined)> {
    candidates
        .iter()
        .filter_map(|(id, members)| {
            let checks = joined_checks(event, members, similar)?;
            let worst = checks
                .iter()
                .map(Evidence::gap)
                .fold((0i64, 0.0f64), |x, y| (x.0.max(y.0), x.1.max(y.1)));
            let likeness = checks.iter().map(Evidence::similarity).fold(0.0, f64::max);
            Some(((worst, -likeness), *id, Joined { members: checks }))
        })
        .min_by(|(ga, ia, _), (gb, ib, _)| {
            ga.partial_cmp(gb)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(ia.cmp(ib))
        })
        .map(|(_, id, joined)| (id, joined))
}

/// Days between two periods once each is widened by one day; None when
/// they still do not meet.
fn day_gap(a: (Date, Date), b: (Date, Date)) -> Option<i64> {
    let latest_start = a.0.max(b.0);
    let earliest_end = a.1.min(b.1);
    let gap = (latest_start.duration_since(earliest_end).as_secs() / 86_400).max(0);
    (gap <= 1).then_some(gap)
}

/// The longest period a mergeable date stands for (a week), plus the day
/// either side: how far back a candidate's first day can lie.
pub const MAX_SPAN_DAYS: i64 = 8;

/// Distance, radius allowed and whether both are in one admin2; or why
/// the places differ.
fn place_gap(a: &Place, b: &Place) -> Result<(f64, f64, bool), Mismatch> {
    if a.country != b.country {
        return Err(Mismatch::Country);
    }
    let both_precise = a.precision <= 1 && b.precision <= 1;
    if both_precise && a.named_apart(b) {
        return Err(Mismatch::DifferentPlaces);
    }
    let km = warcoder_core::gazetteer::km(a.lat, a.lon, b.lat, b.lon);
    let radius = match a.precision.max(b.precision) {
        0 | 1 => 10.0,
        2 => 25.0,
        _ => 50.0,
    };
    let same_admin2 = a.admin2.is_some() && a.admin2 == b.admin2 && a.admin1 == b.admin1;
    if km <= radius || (same_admin2 && !both_precise) {
        Ok((km, radius, same_admin2))
    } else {
        Err(Mismatch::Distance { km })
    }
}

/// The days a rendered date can stand for: "2025-10-16" (day or week),
/// "2025-10" (month), "2025" (year).
pub fn period(date: &str, precision: Option<&str>) -> Option<(Date, Date)> {
    let mut parts = date.splitn(3, '-');
    let year: i16 = parts.next()?.parse().ok()?;
    let month: Option<i8> = parts.next().map(|m| m.parse().ok()).unwrap_or(None);
    let day: Option<i8> = parts.next().map(|d| d.parse().ok()).unwrap_or(None);
    match (month, day) {
        (Some(m), Some(d)) => {
            let date = Date::new(year, m, d).ok()?;
            if precision == Some("week") {
                Some((
                    date.checked_sub(3.days()).ok()?,
                    date.checked_add(3.days()).ok()?,
                ))
            } else {
                Some((date, date))
            }
        }
        (Some(m), None) => {
            let first = Date::new(year, m, 1).ok()?;
            Some((first, first.last_of_month()))
        }
        _ => Some((Date::new(year, 1, 1).ok()?, Date::new(year, 12, 31).ok()?)),
    }
}

/// `period`, but only for dates precise enough to merge on.
fn mergeable_days(date: &str, precision: Option<&str>) -> Option<(Date, Date)> {
    matches!(precision, Some("day" | "week") | None)
        .then(|| period(date, precision))
        .flatten()
}

/// Whether an actor name is a generic actor ("Gunmen", "Police
/// (Pakistan)") rather than a named group or person.
pub fn is_generic_actor(name: &str) -> bool {
    use warcoder_core::recognise::actors::{without_country, ActorLexicon};
    static GENERIC: OnceLock<HashSet<String>> = OnceLock::new();
    let generic = GENERIC.get_or_init(|| {
        ActorLexicon::embedded()
            .entries
            .into_iter()
            .filter(|e| e.generic)
            .map(|e| e.canonical)
            .collect()
    });
    generic.contains(without_country(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<(Date, Date)> {
        period(s, Some("day"))
    }

    fn town(name: &str, id: i64, (lat, lon): (f64, f64), admin2: &str) -> Option<Place> {
        Some(Place {
            name: Some(name.into()),
            geonames_id: Some(id),
            country: "PK".into(),
            admin1: Some("Khyber Pakhtunkhwa".into()),
            admin2: Some(admin2.into()),
            lat,
            lon,
            precision: 1,
        })
    }

    fn killed(low: u64, high: Option<u64>) -> Option<Toll> {
        Some(Toll { low, high })
    }

    /// A report of a bombing in `place` on `date` with 11 to 13 killed.
    fn facts(document: i64, date: &str, place: Option<Place>, perps: &[&str]) -> Facts {
        Facts {
            event: document * 10,
            document,
            event_type: Some("Explosions/Remote violence".into()),
            days: day(date),
            place,
            perpetrators: perps.iter().map(|s| s.to_string()).collect(),
            killed: killed(11, Some(13)),
        }
    }

    const DIK: (f64, f64) = (31.8313, 70.9017);
    // Kulachi, in the same district, ~40 km west of Dera Ismail Khan.
    const KULACHI: (f64, f64) = (31.9286, 70.4592);

    fn dik() -> Option<Place> {
        town("Dera Ismail Khan", 1, DIK, "Dera Ismail Khan")
    }

    fn kulachi() -> Option<Place> {
        town("Kulachi", 2, KULACHI, "Dera Ismail Khan")
    }

    #[test]
    fn reports_a_day_apart_in_one_town_with_one_toll_merge() {
        let a = facts(1, "2025-10-16", dik(), &[]);
        let b = facts(2, "2025-10-17", dik(), &["Ittehad-ul-Mujahideen Pakistan"]);
        let e = compare(&a, &b, None).unwrap();
        assert_eq!((e.days, e.km, e.with_event), (Some(1), Some(0.0), 20));
        assert!(!e.sufficient(), "a day apart, tolls alone do not tie them");
        let c = facts(3, "2025-10-16", dik(), &[]);
        let e = compare(&a, &c, None).unwrap();
        assert!(e.sufficient());
        assert!(matches!(e.grounds[0], Ground::AgreeingTolls { .. }));
    }

    /// Each row: what differs between two otherwise identical reports, and
    /// the refusal it must cause.
    #[test]
    fn contradictions_refuse() {
        let base = facts(1, "2025-10-16", dik(), &["TTP"]);
        type Change = fn(&mut Facts);
        let table: &[(&str, Change, Mismatch)] = &[
            ("same document", |f| f.document = 1, Mismatch::SameDocument),
            (
                "another event type",
                |f| f.event_type = Some("Battles".into()),
                Mismatch::EventType,
            ),
            (
                "two days later",
                |f| f.days = day("2025-10-18"),
                Mismatch::Date,
            ),
            (
                "another country",
                |f| f.place.as_mut().unwrap().country = "AF".into(),
                Mismatch::Country,
            ),
            (
                "another named village 3 km away",
                |f| {
                    f.place = town("Paharpur", 3, (31.85, 70.92), "Dera Ismail Khan");
                },
                Mismatch::DifferentPlaces,
            ),
            (
                "another named perpetrator",
                |f| f.perpetrators = ["Islamic State".to_string()].into(),
                Mismatch::Perpetrators,
            ),
            (
                "70 killed against 11 to 13",
                |f| f.killed = killed(70, Some(70)),
                Mismatch::Tolls,
            ),
            (
                "no date and no near-duplicate text",
                |f| f.days = None,
                Mismatch::NotMergeable,
            ),
            (
                "no place and no near-duplicate text",
                |f| f.place = None,
                Mismatch::NotMergeable,
            ),
        ];
        for (what, change, refusal) in table {
            let mut other = facts(2, "2025-10-16", dik(), &["TTP"]);
            change(&mut other);
            assert_eq!(
                compare(&base, &other, None).as_ref().err(),
                Some(refusal),
                "{what}"
            );
        }
        // Without the change the two merge.
        let same = facts(2, "2025-10-16", dik(), &["TTP"]);
        assert!(compare(&base, &same, None).unwrap().sufficient());
    }

    #[test]
    fn two_towns_of_one_district_stay_apart_and_a_vague_place_merges_within_it() {
        let a = facts(1, "2025-10-16", dik(), &[]);
        let mut unnamed = kulachi().unwrap();
        unnamed.geonames_id = None;
        let b = facts(2, "2025-10-16", Some(unnamed.clone()), &[]);
        assert_eq!(compare(&a, &b, None).err(), Some(Mismatch::DifferentPlaces));
        unnamed.name = None;
        let b = facts(2, "2025-10-16", Some(unnamed.clone()), &[]);
        assert!(matches!(compare(&a, &b, None), Err(Mismatch::Distance { km }) if km > 30.0));
        unnamed.precision = 2;
        let c = facts(3, "2025-10-16", Some(unnamed.clone()), &[]);
        assert!(compare(&a, &c, None).unwrap().same_admin2);
        unnamed.admin2 = Some("Tank".into());
        let d = facts(4, "2025-10-16", Some(unnamed), &[]);
        assert!(matches!(
            compare(&a, &d, None),
            Err(Mismatch::Distance { .. })
        ));
    }

    /// Each row: the places of two reports of the same day with agreeing
    /// tolls (11 to 13 killed), from ACLED's phrasings, and whether the
    /// tolls tie them.
    #[test]
    fn agreeing_tolls_need_one_fine_place() {
        let place = |name: &str, id: Option<i64>, admin1: &str, precision: u8| Place {
            name: Some(name.into()),
            geonames_id: id,
            country: "NG".into(),
            admin1: Some(admin1.into()),
            admin2: None,
            lat: 10.5,
            lon: 7.4,
            precision,
        };
        let gujba_town = place("Gujba", Some(2340170), "Yobe", 1);
        let table: &[(&str, Place, Place, bool)] = &[
            (
                "one town, each report precise",
                gujba_town.clone(),
                gujba_town.clone(),
                true,
            ),
            (
                "the town and a spot near it (\"near Gujba\")",
                gujba_town.clone(),
                Place {
                    precision: 2,
                    ..gujba_town.clone()
                },
                true,
            ),
            (
                "\"(Kauru LGA, Kaduna)\" and \"(Zangon Kataf LGA, Kaduna)\": the state's namesake town",
                place("Kaduna", Some(2335727), "Kaduna", 1),
                place("Kaduna", Some(2335727), "Kaduna", 1),
                false,
            ),
            (
                "\"(Gubio LGA, Borno)\" twice: only the state is known",
                place("Borno State", Some(2346795), "Borno State", 3),
                place("Borno State", Some(2346795), "Borno State", 3),
                false,
            ),
            (
                "\"along Wetheral Road in Owerri\" and \"along the Onitsha-Owerri road\": both only near the town",
                Place {
                    precision: 2,
                    ..gujba_town.clone()
                },
                Place {
                    precision: 2,
                    ..gujba_town.clone()
                },
                false,
            ),
            (
                "\"Gonan Kaji village along Damaturu-Buni Yadi Road (Gujba LGA)\" and Gujba town",
                place("Gujba", Some(2596833), "Yobe", 2),
                gujba_town.clone(),
                false,
            ),
        ];
        for (what, pa, pb, ties) in table {
            let mut a = facts(1, "2025-10-16", Some(pa.clone()), &[]);
            let mut b = facts(2, "2025-10-16", Some(pb.clone()), &[]);
            for f in [&mut a, &mut b] {
                if let Some(p) = f.place.as_mut() {
                    p.country = "NG".into();
                }
            }
            let e = compare(&a, &b, None).unwrap();
            assert_eq!(e.sufficient(), *ties, "{what}");
            if *ties {
                assert!(
                    matches!(&e.grounds[0], Ground::AgreeingTolls { at: Some(at), .. } if at == "Gujba")
                );
            }
        }
    }

    #[test]
    fn two_precise_places_the_gazetteer_lacks_differ_by_name() {
        // "Banishanta village" and "Amtala village, Dacope upazila": two
        // villages of one district, neither in the gazetteer.
        let village = |name: &str| {
            let mut p = town(name, 0, DIK, "Dacope").unwrap();
            p.geonames_id = None;
            Some(p)
        };
        let a = facts(1, "2025-10-16", village("Banishanta"), &[]);
        let b = facts(2, "2025-10-16", village("Amtala"), &[]);
        assert_eq!(compare(&a, &b, None).err(), Some(Mismatch::DifferentPlaces));
        let c = facts(3, "2025-10-16", village("banishanta"), &[]);
        assert!(compare(&a, &c, None).unwrap().sufficient());
    }

    #[test]
    fn tolls_agree_only_when_they_tell_one_toll() {
        let t = |low, high| Toll { low, high };
        // "at least 11" and 12-13; 7 and 9.
        assert!(tolls_agree(t(11, None), t(12, Some(13))));
        assert!(tolls_agree(t(7, Some(7)), t(7, Some(9))));
        assert!(tolls_agree(t(12, Some(12)), t(10, Some(10))));
        assert!(!tolls_agree(t(5, Some(5)), t(12, Some(12))));
        // "at least 6" and "at least 14" say nothing.
        assert!(!tolls_agree(t(6, None), t(14, None)));
        // "at least 3" is not reached by 40.
        assert!(!tolls_agree(t(3, None), t(40, Some(40))));
        // One killed twice in a district is too common to tell.
        assert!(!tolls_agree(t(1, Some(1)), t(1, Some(1))));
        assert!(tolls_incompatible(t(2, Some(2)), t(40, Some(40))));
        assert!(!tolls_incompatible(t(2, None), t(40, Some(40))));
        assert!(!tolls_incompatible(t(7, Some(7)), t(9, Some(9))));
    }

    #[test]
    fn near_duplicate_text_stands_in_for_a_missing_date_or_place_not_for_a_day_apart() {
        let dated = facts(1, "2025-10-16", dik(), &[]);
        let mut undated = facts(2, "2025-10-16", None, &[]);
        undated.days = None;
        undated.killed = None;
        assert_eq!(
            compare(&dated, &undated, None).err(),
            Some(Mismatch::NotMergeable)
        );
        let e = compare(&dated, &undated, Some(0.8)).unwrap();
        assert_eq!((e.days, e.km), (None, None));
        assert!(e.sufficient());
        // "... in front of Tangra police station in Kolkata": the undated
        // copy's place read as another town 1,000 km away. The text stands
        // in for the place too; for a dated near duplicate it does not.
        let itanagar = town("Itanagar", 9, (27.1, 93.6), "Papum Pare");
        undated.place = itanagar.clone();
        assert!(compare(&dated, &undated, Some(0.8)).unwrap().sufficient());
        let elsewhere = facts(4, "2025-10-16", itanagar, &[]);
        assert_eq!(
            compare(&dated, &elsewhere, Some(0.8)).err(),
            Some(Mismatch::DifferentPlaces)
        );
        // Near-identical notes of consecutive days are two events.
        let mut next_day = facts(3, "2025-10-17", dik(), &[]);
        next_day.killed = None;
        assert!(!compare(&dated, &next_day, Some(0.9)).unwrap().sufficient());
    }

    #[test]
    fn generic_actors_are_not_named_perpetrators() {
        assert!(is_generic_actor("Gunmen"));
        assert!(is_generic_actor("Police (Pakistan)"));
        assert!(!is_generic_actor("Islamic State"));
        assert!(!is_generic_actor("Shehbaz Sharif"));
    }

    #[test]
    fn coarse_dates_never_merge_on_dates() {
        assert!(mergeable_days("2025-10", Some("month")).is_none());
        assert!(mergeable_days("2025", Some("year")).is_none());
        let week = mergeable_days("2025-10-16", Some("week")).unwrap();
        assert_eq!(week.0.to_string(), "2025-10-13");
        assert_eq!(week.1.to_string(), "2025-10-19");
    }

    #[test]
    fn complete_linkage_and_nearest_incident() {
        let event = facts(9, "2025-10-17", dik(), &[]);
        // Incident 1 spans the 15th and 16th: the 15th is two days off.
        let one = vec![
            facts(1, "2025-10-15", dik(), &[]),
            facts(2, "2025-10-16", dik(), &[]),
        ];
        // Incident 2 on the 17th, 3 km away in the vaguer "near DIK";
        // incident 3 on the 17th, in place.
        let mut near = dik().unwrap();
        near.precision = 2;
        near.lat += 0.02;
        let two = vec![facts(3, "2025-10-17", Some(near), &[])];
        let three = vec![facts(4, "2025-10-17", dik(), &[])];
        let candidates = vec![(1, one), (2, two), (3, three.clone())];
        let (id, joined) = best_incident(&event, &candidates, &HashMap::new()).unwrap();
        assert_eq!(id, 3);
        assert_eq!(joined.members.len(), 1);
        assert_eq!(joined.members[0].with_event, 40);
        // Not twice from one document.
        let own = facts(4, "2025-10-17", dik(), &[]);
        assert!(best_incident(&own, &[(3, three)], &HashMap::new()).is_none());
    }

    #[test]
    fn a_copy_of_one_member_is_tied_to_the_others_through_it() {
        // The note and another outlet's paraphrase (sentences reordered,
        // too unlike the copy's text to be a near duplicate of it) are one
        // incident; an undated copy of the note joins it, unless it
        // contradicts the paraphrase.
        let note = facts(1, "2025-10-16", dik(), &[]);
        let para = facts(2, "2025-10-16", dik(), &["TTP"]);
        let mut copy = facts(3, "2025-10-16", None, &[]);
        copy.days = None;
        let similar = HashMap::from([(1, 0.8)]);
        let (id, joined) =
            best_incident(&copy, &[(7, vec![note.clone(), para.clone()])], &similar).unwrap();
        assert_eq!(id, 7);
        assert_eq!(
            joined.members[1].grounds,
            [Ground::CopyOfMember { event: 10 }]
        );
        // A dated report is not tied through an undated copy.
        let mut undated_note = note.clone();
        undated_note.days = None;
        let mut dated = facts(4, "2025-10-16", dik(), &[]);
        dated.killed = None;
        let incident = vec![undated_note, para.clone()];
        assert!(best_incident(&dated, &[(7, incident.clone())], &similar).is_none());
        assert!(best_incident(&copy, &[(7, incident)], &similar).is_some());
        // Without the near duplicate nothing ties it.
        assert!(best_incident(
            &copy,
            &[(7, vec![note.clone(), para.clone()])],
            &HashMap::new()
        )
        .is_none());
        // Another perpetrator than the paraphrase's is still a contradiction.
        copy.perpetrators = ["Islamic State".to_string()].into();
        assert!(best_incident(&copy, &[(7, vec![note, para])], &similar).is_none());
    }

    #[test]
    fn every_member_needs_positive_evidence() {
        let event = facts(9, "2025-10-16", dik(), &[]);
        let mut quiet = facts(2, "2025-10-16", dik(), &[]);
        quiet.killed = None;
        let incident = vec![facts(1, "2025-10-16", dik(), &[]), quiet];
        assert!(best_incident(&event, &[(1, incident.clone())], &HashMap::new()).is_none());
        // Near-duplicate text with the silent report supplies it.
        let similar = HashMap::from([(2, 0.9)]);
        assert!(best_incident(&event, &[(1, incident)], &similar).is_some());
    }
}
