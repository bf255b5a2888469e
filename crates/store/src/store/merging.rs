//! The incident bookkeeping behind the merger: the candidate incidents an
//! event might join (with their members' facts read from columns, never
//! from JSON), and rebuilding an incident's record and summary columns.

use rusqlite::{params, Transaction};

use super::{doc_ref, Result, DOC_REF_COLUMNS};
use crate::incident::{self, Member};
use crate::merge::{self, Facts};

/// Incidents with a member the event might match (same type and country,
/// overlapping days), each with the facts of all its members.
pub(super) fn candidates(tx: &Transaction, facts: &Facts) -> Result<Vec<(i64, Vec<Facts>)>> {
    let (Some((first, last)), Some(place), Some(kind)) =
        (facts.days, &facts.place, &facts.event_type)
    else {
        return Ok(Vec::new());
    };
    let widen = |d: jiff::civil::Date, by: i64| {
        d.checked_add(jiff::Span::new().days(by))
            .unwrap_or(d)
            .to_string()
    };
    let ids: Vec<i64> = tx
        .prepare_cached(
            "SELECT DISTINCT incident_id FROM events
             WHERE incident_id IS NOT NULL AND merge_from IS NOT NULL
               AND event_type = ?1 AND country = ?2 AND merge_from <= ?3 AND merge_to >= ?4
             ORDER BY incident_id",
        )?
        .query_map(
            params![kind, place.country, widen(last, 1), widen(first, -1)],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut members = tx.prepare_cached(
        "SELECT document_id, event_type, country, admin1, admin2, lat, lon, geo_precision,
                perpetrators, merge_from, merge_to
         FROM events WHERE incident_id = ?1 ORDER BY id",
    )?;
    ids.into_iter()
        .map(|id| {
            let rows: Vec<(Facts, String)> = members
                .query_map([id], |r| {
                    let days = match (
                        r.get::<_, Option<String>>(9)?,
                        r.get::<_, Option<String>>(10)?,
                    ) {
                        (Some(a), Some(b)) => a.parse().ok().zip(b.parse().ok()),
                        _ => None,
                    };
                    let place = match r.get::<_, Option<String>>(2)? {
                        Some(country) => Some(merge::Place {
                            country,
                            admin1: r.get(3)?,
                            admin2: r.get(4)?,
                            lat: r.get(5)?,
                            lon: r.get(6)?,
                            precision: r.get(7)?,
                        }),
                        None => None,
                    };
                    let facts = Facts {
                        document: r.get(0)?,
                        event_type: r.get(1)?,
                        days,
                        place,
                        perpetrators: Default::default(),
                    };
                    Ok((facts, r.get(8)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let facts = rows
                .into_iter()
                .map(|(mut f, perpetrators)| {
                    f.perpetrators = serde_json::from_str(&perpetrators)?;
                    Ok(f)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((id, facts))
        })
        .collect()
}

/// Rebuild an incident from its members and store it with its summary columns.
pub(super) fn refresh_incident(tx: &Transaction, id: i64) -> Result<()> {
    let members: Vec<Member> = tx
        .prepare_cached(&format!(
            "SELECT e.json, e.notes, {DOC_REF_COLUMNS}
             FROM events e JOIN documents d ON d.id = e.document_id
             WHERE e.incident_id = ?1 ORDER BY e.id"
        ))?
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                doc_ref(r, 2)?,
            ))
        })?
        .map(|row| {
            let (json, notes, doc) = row?;
            Ok(Member {
                event: serde_json::from_str(&json)?,
                notes,
                doc,
            })
        })
        .collect::<Result<_>>()?;
    let inc = incident::build(id, &members);
    let period = inc
        .date
        .as_deref()
        .and_then(|d| merge::period(d, inc.date_precision.as_deref()));
    let loc = inc.location.as_ref();
    let count = |c: &Option<incident::Tally>, pick: fn(&incident::Tally) -> u64| {
        c.as_ref().map(|t| pick(t) as i64)
    };
    let actors = inc
        .actors
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    tx.prepare_cached(
        "UPDATE incidents SET date = ?2, date_precision = ?3, day_first = ?4, day_last = ?5,
             event_type = ?6, sub_event_type = ?7, country = ?8, admin1 = ?9, admin2 = ?10,
             location = ?11, lat = ?12, lon = ?13, geo_precision = ?14, actors = ?15,
             fatalities_low = ?16, fatalities_best = ?17, fatalities_high = ?18,
             injured_low = ?19, injured_best = ?20, injured_high = ?21, documents = ?22, json = ?23
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        inc.date,
        inc.date_precision,
        period.map(|p| p.0.to_string()),
        period.map(|p| p.1.to_string()),
        inc.event_type,
        inc.sub_event_type,
        loc.map(|l| &l.country),
        loc.and_then(|l| l.admin1.as_ref()),
        loc.and_then(|l| l.admin2.as_ref()),
        loc.map(|l| &l.name),
        loc.map(|l| l.lat),
        loc.map(|l| l.lon),
        loc.map(|l| l.precision),
        actors,
        count(&inc.fatalities, |t| t.low),
        count(&inc.fatalities, |t| t.best),
        count(&inc.fatalities, |t| t.high),
        count(&inc.injured, |t| t.low),
        count(&inc.injured, |t| t.best),
        count(&inc.injured, |t| t.high),
        inc.sources.len() as i64,
        serde_json::to_string(&inc)?,
    ])?;
    Ok(())
}
