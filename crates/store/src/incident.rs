//! An incident built from its member events: one per source article, merged
//! by the rule in [`crate::merge`]. It keeps every source document and
//! every attributed estimate; its low/best/high are recomputed over all of
//! them, with ACLED's rule for best: the most conservative (lowest) current
//! estimate, as `warcoder_core::consolidate::counts` does within one article.

use serde::{Deserialize, Serialize};
use warcoder_core::output::{CountOut, EstimateOut, EventOut};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Incident {
    pub id: i64,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub event_type: String,
    pub sub_event_type: Option<String>,
    pub disorder_type: Option<String>,
    pub cameo: String,
    pub plover: String,
    pub plover_mode: Option<String>,
    pub location: Option<Location>,
    pub actors: Vec<Actor>,
    pub claimed_by: Vec<String>,
    pub fatalities: Option<Tally>,
    pub injured: Option<Tally>,
    pub sources: Vec<SourceRef>,
    /// The evidence sentences of the lead report and of the next reports,
    /// up to three (every report's own are in its event).
    pub notes: String,
    pub confidence: f32,
    /// Analysts' corrections applied to this record (never stored in it:
    /// filled when it is read for the web view or an export).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<crate::correction::Correction>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Location {
    pub name: String,
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonames_id: Option<u32>,
    pub precision: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Actor {
    pub name: String,
    pub role: String,
    pub inter: u8,
    pub country: Option<String>,
    /// A person named after a title: the exports name their group.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub person: bool,
}

/// An incident's count: the output contract's count, its estimates tagged
/// with their articles.
pub type Tally = CountOut<SourcedEstimate>;

/// An estimate with the article it comes from (its span points into that
/// article's text).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourcedEstimate {
    #[serde(flatten)]
    pub estimate: EstimateOut,
    /// sha256 of the article.
    pub document: String,
    pub outlet: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceRef {
    /// sha256 of the article.
    pub document: String,
    pub source: String,
    pub url: Option<String>,
    pub outlet: String,
    pub title: Option<String>,
    pub published: Option<String>,
    /// The event's id within the article.
    pub event: String,
}

/// The article an event comes from (also what [`crate::query::DocumentInfo`]
/// lists of a stored document).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocRef {
    pub sha256: String,
    pub source: String,
    pub url: Option<String>,
    pub outlet: String,
    pub title: Option<String>,
    pub published: Option<String>,
}

/// One report of the incident.
#[derive(Debug, Clone)]
pub struct Member {
    pub event: EventOut,
    pub notes: String,
    pub doc: DocRef,
}

/// Build incident `id` from its members, in the order they were stored.
/// Panics on an empty list: an incident has at least one report.
pub fn build(id: i64, members: &[Member]) -> Incident {
    let lead = lead(members);
    let e = &lead.event;
    Incident {
        id,
        date: e.date.clone(),
        date_precision: e.date_precision.clone(),
        event_type: e.acled_event_type.clone().unwrap_or_default(),
        sub_event_type: most_common(members, |m| m.event.acled_sub_event_type.clone())
            .or_else(|| e.acled_sub_event_type.clone()),
        disorder_type: e.disorder_type.clone(),
        cameo: e.cameo.clone(),
        plover: e.plover.clone(),
        plover_mode: e.plover_mode.clone(),
        location: e.location.as_ref().map(|l| Location {
            name: l.name.clone(),
            country: l.country.clone(),
            admin1: l.admin1.clone(),
            admin2: l.admin2.clone(),
            lat: l.lat,
            lon: l.lon,
            geonames_id: l.geonames_id,
            precision: l.precision,
        }),
        actors: actors(members),
        claimed_by: union(
            members
                .iter()
                .flat_map(|m| m.event.claimed_by.iter().cloned()),
        ),
        fatalities: tally(members, |e| e.fatalities.as_ref()),
        injured: tally(members, |e| e.injured.as_ref()),
        sources: members
            .iter()
            .map(|m| SourceRef {
                document: m.doc.sha256.clone(),
                source: m.doc.source.clone(),
                url: m.doc.url.clone(),
                outlet: m.doc.outlet.clone(),
                title: m.doc.title.clone(),
                published: m.doc.published.clone(),
                event: m.event.id.clone(),
            })
            .collect(),
        notes: notes(lead, members),
        confidence: members
            .iter()
            .map(|m| m.event.confidence)
            .fold(0.0, f32::max),
        corrections: Vec::new(),
    }
}

/// The report whose date and place are the most precise (the first stored
/// among equals): the incident takes its date, place and coding.
fn lead(members: &[Member]) -> &Member {
    let date_rank = |m: &Member| match m.event.date_precision.as_deref() {
        _ if m.event.date.is_none() => 4,
        Some("day") => 0,
        Some("week") => 1,
        Some("month") => 2,
        _ => 3,
    };
    let place_rank = |m: &Member| m.event.location.as_ref().map_or(9, |l| l.precision);
    members
        .iter()
        .enumerate()
        .min_by_key(|(i, m)| (date_rank(m), place_rank(m), *i))
        .map(|(_, m)| m)
        .expect("an incident has at least one report")
}

/// The value most reports give (the earliest among ties).
fn most_common<T: PartialEq + Clone>(
    members: &[Member],
    value: impl Fn(&Member) -> Option<T>,
) -> Option<T> {
    let values: Vec<T> = members.iter().filter_map(value).collect();
    let count = |v: &T| values.iter().filter(|x| *x == v).count();
    let mut best: Option<&T> = None;
    for v in &values {
        if best.is_none_or(|b| count(v) > count(b)) {
            best = Some(v);
        }
    }
    best.cloned()
}

fn union(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Every actor any report names, once per name and role.
fn actors(members: &[Member]) -> Vec<Actor> {
    let mut out: Vec<Actor> = Vec::new();
    for a in members.iter().flat_map(|m| &m.event.actors) {
        if !out.iter().any(|x| x.name == a.name && x.role == a.role) {
            out.push(Actor {
                name: a.name.clone(),
                role: a.role.clone(),
                inter: a.inter,
                country: a.country.clone(),
                person: a.person,
            });
        }
    }
    out
}

/// Low, best and high over every report's count: each report's figures are
/// already reduced to its current ones (superseded figures do not count),
/// so the incident's low and best are the lowest of those, its high the
/// highest. Every estimate is kept with its article.
fn tally(members: &[Member], count: impl Fn(&EventOut) -> Option<&CountOut>) -> Option<Tally> {
    let counted: Vec<(&Member, &CountOut)> = members
        .iter()
        .filter_map(|m| count(&m.event).map(|c| (m, c)))
        .collect();
    if counted.is_empty() {
        return None;
    }
    Some(Tally {
        low: counted.iter().map(|(_, c)| c.low).min().unwrap_or(0),
        best: counted.iter().map(|(_, c)| c.best).min().unwrap_or(0),
        high: counted.iter().map(|(_, c)| c.high).max().unwrap_or(0),
        estimates: counted
            .iter()
            .flat_map(|(m, c)| {
                c.estimates.iter().map(|e| SourcedEstimate {
                    estimate: e.clone(),
                    document: m.doc.sha256.clone(),
                    outlet: m.doc.outlet.clone(),
                })
            })
            .collect(),
    })
}

/// Reports whose evidence goes into an incident's notes: enough for a
/// reader to compare outlets without the notes growing with every report.
const NOTED_REPORTS: usize = 3;

fn notes(lead: &Member, members: &[Member]) -> String {
    if let [only] = members {
        return only.notes.clone();
    }
    let others = members.iter().filter(|m| !std::ptr::eq(*m, lead));
    std::iter::once(lead)
        .chain(others)
        .filter(|m| !m.notes.is_empty())
        .take(NOTED_REPORTS)
        .map(|m| format!("{}: {}", m.doc.outlet, m.notes))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An event as the pipeline writes it, for tests.
    pub fn event(date: &str, place: (&str, f64, f64, u8), fatalities: &[(u64, &str)]) -> EventOut {
        let estimates: Vec<serde_json::Value> = fatalities
            .iter()
            .map(|(n, src)| {
                serde_json::json!({"count": n, "qualifier": null, "vague": false,
                                   "source": src, "superseded": false, "span": [0, 1]})
            })
            .collect();
        let count = (!fatalities.is_empty()).then(|| {
            let low = fatalities.iter().map(|f| f.0).min().unwrap();
            let high = fatalities.iter().map(|f| f.0).max().unwrap();
            serde_json::json!({"low": low, "best": low, "high": high, "estimates": estimates})
        });
        serde_json::from_value(serde_json::json!({
            "id": "e1", "status": "new", "date": date, "date_precision": "day",
            "acled_event_type": "Explosions/Remote violence",
            "acled_sub_event_type": "Suicide bomb", "disorder_type": "Political violence",
            "cameo": "183", "plover": "ASSAULT", "plover_mode": null,
            "actors": [], "claimed_by": [],
            "location": {"name": place.0, "country": "PK", "admin1": "Khyber Pakhtunkhwa",
                         "admin2": place.0, "lat": place.1, "lon": place.2,
                         "geonames_id": null, "precision": place.3, "mention": place.0, "span": [0, 1]},
            "fatalities": count, "injured": null,
            "trigger": {"text": "blast", "span": [0, 5]},
            "evidence": [[0, 1]], "confidence": 0.8
        }))
        .unwrap()
    }

    fn member(outlet: &str, event: EventOut) -> Member {
        Member {
            event,
            notes: format!("{outlet} says so."),
            doc: DocRef {
                sha256: format!("sha-{outlet}"),
                source: format!("{outlet}.txt"),
                url: None,
                outlet: outlet.into(),
                title: None,
                published: None,
            },
        }
    }

    #[test]
    fn tolls_are_recomputed_over_every_report() {
        let dik = ("Dera Ismail Khan", 31.83, 70.90, 1);
        let members = vec![
            member("wire", event("2025-10-16", dik, &[(11, "police")])),
            member(
                "local",
                event("2025-10-16", dik, &[(13, "hospital"), (12, "police")]),
            ),
            member("monitor", event("2025-10-16", dik, &[(13, "hospital")])),
        ];
        let inc = build(7, &members);
        let f = inc.fatalities.unwrap();
        assert_eq!((f.low, f.best, f.high), (11, 11, 13));
        assert_eq!(f.estimates.len(), 4);
        assert_eq!(f.estimates[1].outlet, "local");
        assert_eq!(inc.sources.len(), 3);
        assert!(inc.notes.contains("monitor: monitor says so."));
    }

    #[test]
    fn the_most_precise_report_gives_date_and_place() {
        let vague = ("Dera Ismail Khan District", 31.9, 70.8, 2);
        let exact = ("Dera Ismail Khan", 31.83, 70.90, 1);
        let members = vec![
            member("a", event("2025-10-16", vague, &[])),
            member("b", event("2025-10-17", exact, &[])),
        ];
        let inc = build(1, &members);
        assert_eq!(inc.location.unwrap().precision, 1);
        assert_eq!(inc.date.as_deref(), Some("2025-10-17"));
        assert!(inc.fatalities.is_none());
    }
}
