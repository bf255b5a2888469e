//! The rule that says whether events reported by different articles are one
//! incident.
//!
//! Two events are the same incident when all of these hold:
//!
//! 1. **Type**: the same ACLED event type. Sub-event types may differ (one
//!    outlet's "suicide bomb" is another's "remote explosive").
//! 2. **Date**: both dates are known to the day or the week, and their
//!    periods, each widened by one day, overlap: a day-precision date is
//!    within ±1 day of the other; a week-precision date ("last week") stands
//!    for the seven days around it. A date known only to the month or the
//!    year never merges: it cannot tell two attacks in one town apart.
//! 3. **Place**: the same country, and
//!    - when both places are precise (ACLED geo precision 1, the town
//!      itself): within 10 km. Two named towns in one district stay two
//!      incidents ("same day, different towns").
//!    - otherwise: the same admin2, or within the radius of the vaguer
//!      precision: 25 km for precision 2 (near a town), 50 km for 3 (a
//!      region).
//! 4. **Actors**: no two different named perpetrators. The perpetrators are
//!    the named actors (not generic ones such as "gunmen" or "police") with
//!    role perpetrator or claimant, and the claims; when both events name
//!    some, they must share at least one. An unclaimed report and a claimed
//!    one merge (claims often come a day later).
//!
//! An incident takes a new event only when the event agrees with every
//! member (complete linkage, so a chain of reports one day apart cannot
//! stretch an incident over a week) and none of its members comes from the
//! same document (the pipeline already decided that two events of one
//! article are distinct). Among several incidents that would take it, the
//! nearest (date gap, then distance) wins. Events without a type, a
//! day-level date or a place are incidents of their own.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::ToSpan;
use warcoder_core::output::EventOut;

/// What the rule looks at, taken from one stored event.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The document's row id.
    pub document: i64,
    pub event_type: Option<String>,
    /// First and last day the date can stand for, when known to the day or week.
    pub days: Option<(Date, Date)>,
    pub place: Option<Place>,
    pub perpetrators: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// ACLED geo precision: 1 the town, 2 near a town, 3 a region.
    pub precision: u8,
}

/// Why two events are not one incident.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    SameDocument,
    NotMergeable,
    EventType,
    Date,
    Country,
    Distance { km: f64 },
    Perpetrators,
}

/// How far apart two compatible events are; the nearest incident wins.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Gap {
    pub days: i64,
    pub km: f64,
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
            document,
            event_type: event.acled_event_type.clone(),
            days: event
                .date
                .as_deref()
                .and_then(|d| mergeable_days(d, event.date_precision.as_deref())),
            place: event.location.as_ref().map(|l| Place {
                country: l.country.clone(),
                admin1: l.admin1.clone(),
                admin2: l.admin2.clone(),
                lat: l.lat,
                lon: l.lon,
                precision: l.precision,
            }),
            perpetrators,
        }
    }

    /// Whether the event can join another one at all.
    pub fn mergeable(&self) -> bool {
        self.event_type.is_some() && self.days.is_some() && self.place.is_some()
    }
}

/// Whether `a` and `b` are one incident, and how far apart they are.
pub fn compare(a: &Facts, b: &Facts) -> Result<Gap, Mismatch> {
    if a.document == b.document {
        return Err(Mismatch::SameDocument);
    }
    let (Some(ta), Some(tb), Some(da), Some(db), Some(pa), Some(pb)) = (
        &a.event_type,
        &b.event_type,
        a.days,
        b.days,
        &a.place,
        &b.place,
    ) else {
        return Err(Mismatch::NotMergeable);
    };
    if ta != tb {
        return Err(Mismatch::EventType);
    }
    let days = day_gap(da, db).ok_or(Mismatch::Date)?;
    let km = place_gap(pa, pb)?;
    if !a.perpetrators.is_empty()
        && !b.perpetrators.is_empty()
        && a.perpetrators.is_disjoint(&b.perpetrators)
    {
        return Err(Mismatch::Perpetrators);
    }
    Ok(Gap { days, km })
}

/// The incident (among `candidates`: id and member facts) that `event`
/// joins, if any.
pub fn best_incident(event: &Facts, candidates: &[(i64, Vec<Facts>)]) -> Option<i64> {
    candidates
        .iter()
        .filter_map(|(id, members)| {
            let gaps: Vec<Gap> = members
                .iter()
                .map(|m| compare(event, m))
                .collect::<Result<_, _>>()
                .ok()?;
            let worst = gaps.into_iter().reduce(|x, y| Gap {
                days: x.days.max(y.days),
                km: x.km.max(y.km),
            })?;
            Some((worst, *id))
        })
        .min_by(|(ga, ia), (gb, ib)| {
            ga.partial_cmp(gb)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(ia.cmp(ib))
        })
        .map(|(_, id)| id)
}

/// Days between two periods once each is widened by one day; None when
/// they still do not meet.
fn day_gap(a: (Date, Date), b: (Date, Date)) -> Option<i64> {
    let latest_start = a.0.max(b.0);
    let earliest_end = a.1.min(b.1);
    let gap = (latest_start.duration_since(earliest_end).as_secs() / 86_400).max(0);
    (gap <= 1).then_some(gap)
}

fn place_gap(a: &Place, b: &Place) -> Result<f64, Mismatch> {
    if a.country != b.country {
        return Err(Mismatch::Country);
    }
    let km = distance_km(a.lat, a.lon, b.lat, b.lon);
    let radius = match a.precision.max(b.precision) {
        0 | 1 => 10.0,
        2 => 25.0,
        _ => 50.0,
    };
    let both_precise = a.precision <= 1 && b.precision <= 1;
    let same_admin2 = a.admin2.is_some() && a.admin2 == b.admin2 && a.admin1 == b.admin1;
    if km <= radius || (same_admin2 && !both_precise) {
        Ok(km)
    } else {
        Err(Mismatch::Distance { km })
    }
}

/// Great-circle distance (haversine, mean Earth radius).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
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
    static GENERIC: OnceLock<HashSet<String>> = OnceLock::new();
    let generic = GENERIC.get_or_init(|| {
        let lexicon = warcoder_core::recognise::actors::ActorLexicon::from_tsv(include_str!(
            "../../../data/lexicon/actors.tsv"
        ));
        lexicon
            .entries
            .into_iter()
            .filter(|e| e.generic)
            .map(|e| e.canonical)
            .collect()
    });
    // A generic actor is shown with its country: "Police (Pakistan)".
    let base = match name.rsplit_once(" (") {
        Some((base, rest)) if rest.ends_with(')') => base,
        _ => name,
    };
    generic.contains(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<(Date, Date)> {
        period(s, Some("day"))
    }

    fn town(lat: f64, lon: f64, admin2: &str) -> Option<Place> {
        Some(Place {
            country: "PK".into(),
            admin1: Some("Khyber Pakhtunkhwa".into()),
            admin2: Some(admin2.into()),
            lat,
            lon,
            precision: 1,
        })
    }

    fn facts(document: i64, date: &str, place: Option<Place>, perps: &[&str]) -> Facts {
        Facts {
            document,
            event_type: Some("Explosions/Remote violence".into()),
            days: day(date),
            place,
            perpetrators: perps.iter().map(|s| s.to_string()).collect(),
        }
    }

    const DIK: (f64, f64) = (31.8313, 70.9017);
    // Kulachi, in the same district, ~40 km west of Dera Ismail Khan.
    const KULACHI: (f64, f64) = (31.9286, 70.4592);

    fn dik() -> Option<Place> {
        town(DIK.0, DIK.1, "Dera Ismail Khan")
    }

    #[test]
    fn reports_a_day_apart_in_one_town_merge() {
        let a = facts(1, "2025-10-16", dik(), &[]);
        let b = facts(2, "2025-10-17", dik(), &["Ittehad-ul-Mujahideen Pakistan"]);
        assert_eq!(compare(&a, &b), Ok(Gap { days: 1, km: 0.0 }));
    }

    #[test]
    fn same_town_different_day_stays_apart() {
        let a = facts(1, "2025-10-16", dik(), &[]);
        let b = facts(2, "2025-10-18", dik(), &[]);
        assert_eq!(compare(&a, &b), Err(Mismatch::Date));
    }

    #[test]
    fn same_day_different_towns_stay_apart_even_in_one_district() {
        let a = facts(1, "2025-10-16", dik(), &[]);
        let b = facts(
            2,
            "2025-10-16",
            town(KULACHI.0, KULACHI.1, "Dera Ismail Khan"),
            &[],
        );
        assert!(matches!(compare(&a, &b), Err(Mismatch::Distance { km }) if km > 30.0));
        // Peshawar: another district too.
        let c = facts(3, "2025-10-16", town(34.008, 71.5785, "Peshawar"), &[]);
        assert!(matches!(compare(&a, &c), Err(Mismatch::Distance { .. })));
    }

    #[test]
    fn a_vague_place_merges_within_its_district() {
        let a = facts(1, "2025-10-16", dik(), &[]);
        let mut vague = town(KULACHI.0, KULACHI.1, "Dera Ismail Khan").unwrap();
        vague.precision = 2;
        let b = facts(2, "2025-10-16", Some(vague.clone()), &[]);
        assert!(compare(&a, &b).is_ok());
        vague.admin2 = Some("Tank".into());
        let c = facts(3, "2025-10-16", Some(vague), &[]);
        assert!(matches!(compare(&a, &c), Err(Mismatch::Distance { .. })));
    }

    #[test]
    fn radius_follows_precision() {
        // ~20 km apart, different admin2.
        let a = facts(1, "2025-10-16", town(31.83, 70.90, "A"), &[]);
        let mut near = town(32.01, 70.90, "B").unwrap();
        assert!(compare(&a, &facts(2, "2025-10-16", Some(near.clone()), &[])).is_err());
        near.precision = 2;
        assert!(compare(&a, &facts(2, "2025-10-16", Some(near), &[])).is_ok());
    }

    #[test]
    fn two_different_named_perpetrators_stay_apart() {
        let a = facts(1, "2025-10-16", dik(), &["TTP"]);
        let b = facts(2, "2025-10-16", dik(), &["Islamic State"]);
        assert_eq!(compare(&a, &b), Err(Mismatch::Perpetrators));
        let c = facts(3, "2025-10-16", dik(), &["Islamic State", "TTP"]);
        assert!(compare(&a, &c).is_ok());
    }

    #[test]
    fn generic_actors_are_not_named_perpetrators() {
        assert!(is_generic_actor("Gunmen"));
        assert!(is_generic_actor("Police (Pakistan)"));
        assert!(!is_generic_actor("Islamic State"));
        assert!(!is_generic_actor("Shehbaz Sharif"));
    }

    #[test]
    fn other_type_country_or_document_stay_apart() {
        let a = facts(1, "2025-10-16", dik(), &[]);
        let mut b = facts(2, "2025-10-16", dik(), &[]);
        b.event_type = Some("Battles".into());
        assert_eq!(compare(&a, &b), Err(Mismatch::EventType));
        let mut c = facts(2, "2025-10-16", dik(), &[]);
        c.place.as_mut().unwrap().country = "AF".into();
        assert_eq!(compare(&a, &c), Err(Mismatch::Country));
        let d = facts(1, "2025-10-16", dik(), &[]);
        assert_eq!(compare(&a, &d), Err(Mismatch::SameDocument));
    }

    #[test]
    fn coarse_dates_never_merge() {
        assert!(mergeable_days("2025-10", Some("month")).is_none());
        assert!(mergeable_days("2025", Some("year")).is_none());
        let week = mergeable_days("2025-10-16", Some("week")).unwrap();
        assert_eq!(week.0.to_string(), "2025-10-13");
        assert_eq!(week.1.to_string(), "2025-10-19");
        let a = facts(1, "2025-10-16", dik(), &[]);
        let mut b = facts(2, "2025-10-16", dik(), &[]);
        b.days = None;
        assert_eq!(compare(&a, &b), Err(Mismatch::NotMergeable));
    }

    #[test]
    fn complete_linkage_and_nearest_incident() {
        let event = facts(9, "2025-10-17", dik(), &[]);
        // Incident 1 spans the 15th and 16th: the 15th is two days off.
        let one = vec![
            facts(1, "2025-10-15", dik(), &[]),
            facts(2, "2025-10-16", dik(), &[]),
        ];
        // Incident 2 on the 17th, 3 km away; incident 3 on the 17th, in place.
        let two = vec![facts(
            3,
            "2025-10-17",
            town(31.85, 70.92, "Dera Ismail Khan"),
            &[],
        )];
        let three = vec![facts(4, "2025-10-17", dik(), &[])];
        let candidates = vec![(1, one), (2, two), (3, three.clone())];
        assert_eq!(best_incident(&event, &candidates), Some(3));
        // Not twice from one document.
        let own = facts(4, "2025-10-17", dik(), &[]);
        assert_eq!(best_incident(&own, &[(3, three)]), None);
    }

    #[test]
    fn distance() {
        let km = distance_km(DIK.0, DIK.1, KULACHI.0, KULACHI.1);
        assert!((40.0..45.0).contains(&km), "{km}");
    }
}
