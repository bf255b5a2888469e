//! One batch's writing, written once for every database: the rows a coded
//! document becomes, the incident each new event joins or starts (the rule
//! is [`crate::merge`]'s), the near-duplicate sketches, and rebuilding the
//! incidents a batch touched. Each database implements [`WriteTx`], its
//! statements; SQLite's are in `insert.rs` and `merging.rs`, PostgreSQL's
//! in `crate::pg`.

use std::collections::{BTreeSet, HashMap};

use warcoder_core::output::{CountOut, EventOut};

use super::{BatchReport, NewDocument, Result};
use crate::incident::{self, Member};
use crate::merge::{self, Facts};
use crate::sketch::{self, Sketch, NEAR_DUPLICATE};

/// The statements of one write transaction.
pub(crate) trait WriteTx {
    /// Insert the document's row and its text; None when its content hash
    /// is already stored.
    fn insert_document(&mut self, row: &DocumentRow) -> Result<Option<i64>>;
    /// Insert an event's row and its estimates (in order); the event's id.
    fn insert_event(&mut self, row: &EventRow, estimates: &[EstimateRow]) -> Result<i64>;
    /// Put an event into an incident, a new one or one it joins; the
    /// incident's id.
    fn assign_incident(&mut self, event: i64, to: Assignment) -> Result<i64>;
    /// Incidents with a member of this type and country whose days
    /// overlap: `merge_from` in `from..=to`, `merge_to >= reach`.
    fn incidents_near(&mut self, window: &Window) -> Result<Vec<i64>>;
    /// Incidents of this type holding an event of document `doc`.
    fn incidents_of_document(&mut self, doc: i64, event_type: &str) -> Result<Vec<i64>>;
    /// The facts of an incident's members, from their columns, in order.
    fn member_facts(&mut self, incident: i64) -> Result<Vec<Facts>>;
    /// The documents sharing a sketch band, `limit` at most.
    fn band_documents(&mut self, band: i64, limit: usize) -> Result<Vec<i64>>;
    /// [`WriteTx::band_documents`] of each band, in order (a database a
    /// round trip away answers them all at once).
    fn bands_documents(&mut self, bands: &[i64], limit: usize) -> Result<Vec<Vec<i64>>> {
        bands
            .iter()
            .map(|&band| self.band_documents(band, limit))
            .collect()
    }
    fn minhash(&mut self, doc: i64) -> Result<Option<Vec<u8>>>;
    /// [`WriteTx::minhash`] of each document, in order.
    fn minhashes(&mut self, docs: &[i64]) -> Result<Vec<Option<Vec<u8>>>> {
        docs.iter().map(|&doc| self.minhash(doc)).collect()
    }
    fn document_text(&mut self, doc: i64) -> Result<Option<String>>;
    /// [`WriteTx::document_text`] of each document, in order.
    fn document_texts(&mut self, docs: &[i64]) -> Result<Vec<Option<String>>> {
        docs.iter().map(|&doc| self.document_text(doc)).collect()
    }
    fn store_sketch(&mut self, doc: i64, sketch: &Sketch) -> Result<()>;
    /// An incident's members with their documents, in the order stored.
    fn members(&mut self, incident: i64) -> Result<Vec<Member>>;
    /// [`WriteTx::members`] of each incident, in order (one round trip on
    /// a database a round trip away).
    fn members_of(&mut self, incidents: &[i64]) -> Result<Vec<Vec<Member>>> {
        incidents.iter().map(|&id| self.members(id)).collect()
    }
    fn update_incident(&mut self, row: &IncidentRow) -> Result<()>;
    /// [`WriteTx::update_incident`] of each row.
    fn update_incidents(&mut self, rows: &[IncidentRow]) -> Result<()> {
        rows.iter().try_for_each(|row| self.update_incident(row))
    }
}

/// Which incident an event goes into.
pub(crate) enum Assignment<'a> {
    /// One it joins, with why (the merge rule's checks, as JSON).
    Join { incident: i64, reason: &'a str },
    /// A new one of this ACLED event type.
    New { event_type: &'a str },
}

/// A `documents` row (with its text).
pub(crate) struct DocumentRow<'a> {
    pub sha256: &'a str,
    pub input_id: Option<&'a str>,
    pub source: &'a str,
    pub url: Option<&'a str>,
    pub outlet: String,
    pub title: Option<&'a str>,
    pub published: Option<&'a str>,
    pub reference_date: Option<&'a str>,
    pub bytes: i64,
    pub ingested_at: String,
    /// JSON arrays, None when empty.
    pub warnings: Option<String>,
    pub aggregates: Option<String>,
    pub text: &'a str,
}

impl<'a> DocumentRow<'a> {
    fn of(doc: &'a NewDocument) -> Result<Self> {
        let d = &doc.output.document;
        let json_or_null = |empty: bool, v: serde_json::Result<String>| -> Result<Option<String>> {
            Ok(if empty { None } else { Some(v?) })
        };
        Ok(DocumentRow {
            sha256: &d.id,
            input_id: d.input_id.as_deref(),
            source: &d.source,
            url: d.url.as_deref(),
            outlet: super::outlet(d.url.as_deref(), &d.source),
            title: d.title.as_deref(),
            published: doc.published.as_deref(),
            reference_date: d.reference_date.as_deref(),
            bytes: doc.bytes as i64,
            ingested_at: jiff::Timestamp::now().to_string(),
            warnings: json_or_null(d.warnings.is_empty(), serde_json::to_string(&d.warnings))?,
            aggregates: json_or_null(
                doc.output.aggregates.is_empty(),
                serde_json::to_string(&doc.output.aggregates),
            )?,
            text: &doc.text,
        })
    }
}

/// An `events` row: the event as coded, and what the merge rule compares.
pub(crate) struct EventRow<'a> {
    pub document: i64,
    pub key: &'a str,
    pub status: &'a str,
    pub event_type: Option<&'a str>,
    pub country: Option<&'a str>,
    pub admin1: Option<&'a str>,
    pub admin2: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<i64>,
    pub perpetrators: String,
    pub merge_from: Option<String>,
    pub merge_to: Option<String>,
    pub notes: &'a str,
    pub json: String,
    pub place: Option<&'a str>,
    pub geonames_id: Option<i64>,
    pub killed_low: Option<i64>,
    pub killed_high: Option<i64>,
}

impl<'a> EventRow<'a> {
    fn of(document: i64, event: &'a EventOut, facts: &'a Facts, notes: &'a str) -> Result<Self> {
        let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
        let place = facts.place.as_ref();
        Ok(EventRow {
            document,
            key: &event.id,
            status: &event.status,
            event_type: event.acled_event_type.as_deref(),
            country: place.map(|p| p.country.as_str()),
            admin1: place.and_then(|p| p.admin1.as_deref()),
            admin2: place.and_then(|p| p.admin2.as_deref()),
            lat: place.map(|p| p.lat),
            lon: place.map(|p| p.lon),
            geo_precision: place.map(|p| i64::from(p.precision)),
            perpetrators: serde_json::to_string(&facts.perpetrators)?,
            merge_from: day(facts.days.map(|d| d.0)),
            merge_to: day(facts.days.map(|d| d.1)),
            notes,
            json: serde_json::to_string(event)?,
            place: place.and_then(|p| p.name.as_deref()),
            geonames_id: place.and_then(|p| p.geonames_id),
            killed_low: facts.killed.map(|k| k.low as i64),
            killed_high: facts.killed.and_then(|k| k.high).map(|h| h as i64),
        })
    }
}

/// An `estimates` row (of the event it is inserted with): one attributed
/// figure.
pub(crate) struct EstimateRow<'a> {
    pub kind: &'a str,
    pub count: i64,
    pub count_high: Option<i64>,
    pub qualifier: Option<&'a str>,
    pub vague: bool,
    pub source: Option<&'a str>,
    pub superseded: bool,
}

/// The candidate query's bounds (see [`WriteTx::incidents_near`]).
pub(crate) struct Window<'a> {
    pub event_type: &'a str,
    pub country: &'a str,
    pub from: String,
    pub to: String,
    pub reach: String,
}

/// An incident's summary columns and record, rebuilt from its members.
pub(crate) struct IncidentRow {
    pub id: i64,
    pub date: Option<String>,
    pub date_precision: Option<String>,
    pub day_first: Option<String>,
    pub day_last: Option<String>,
    pub event_type: String,
    pub sub_event_type: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub location: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<i64>,
    pub actors: String,
    pub fatalities: [Option<i64>; 3],
    pub injured: [Option<i64>; 3],
    pub documents: i64,
    pub json: String,
}

/// Store `docs` through `tx`, counting into `report`; the incidents the
/// batch touched, each rebuilt once.
pub(crate) fn documents(
    tx: &mut impl WriteTx,
    docs: &[NewDocument],
    report: &mut BatchReport,
) -> Result<BTreeSet<i64>> {
    // Incidents are rebuilt once per batch, however many reports joined.
    let mut touched: BTreeSet<i64> = BTreeSet::new();
    let mut cache = MemberCache::default();
    for doc in docs {
        match tx.insert_document(&DocumentRow::of(doc)?)? {
            None => report.duplicates += 1,
            Some(doc_id) => {
                report.stored += 1;
                let similar = sketch_document(tx, doc_id, &doc.text)?;
                for (event, notes) in doc.output.events.iter().zip(&doc.notes) {
                    touched.extend(self::event(
                        tx,
                        doc_id,
                        (event, notes),
                        &similar,
                        &mut cache,
                        report,
                    )?);
                }
            }
        }
    }
    refresh_incidents(tx, &touched)?;
    Ok(touched)
}

/// Store an event; returns the incident it joined or started, if any.
/// `similar`: the stored documents this one nearly duplicates.
fn event(
    tx: &mut impl WriteTx,
    doc_id: i64,
    (event, notes): (&EventOut, &str),
    similar: &HashMap<i64, f64>,
    cache: &mut MemberCache,
    report: &mut BatchReport,
) -> Result<Option<i64>> {
    let mut facts = Facts::of(event, doc_id);
    let event_id = tx.insert_event(
        &EventRow::of(doc_id, event, &facts, notes)?,
        &estimates(event),
    )?;
    facts.event = event_id;
    report.events += 1;
    // Only new events ACLED codes become incidents; background events
    // (past attacks cited for context) are stored, flagged by their status.
    let (true, Some(kind)) = (event.status == "new", &event.acled_event_type) else {
        report.flagged += 1;
        report.background += usize::from(event.status == "background");
        return Ok(None);
    };
    let candidates = candidates(tx, &facts, similar, cache)?;
    let incident_id = match merge::best_incident(&facts, &candidates, similar) {
        Some((id, joined)) => {
            report.merged += 1;
            let reason = serde_json::to_string(&joined)?;
            tx.assign_incident(
                event_id,
                Assignment::Join {
                    incident: id,
                    reason: &reason,
                },
            )?
        }
        None => {
            report.incidents_created += 1;
            tx.assign_incident(event_id, Assignment::New { event_type: kind })?
        }
    };
    cache.joined(incident_id, facts);
    Ok(Some(incident_id))
}

/// The event's attributed figures, as rows.
fn estimates(e: &EventOut) -> Vec<EstimateRow<'_>> {
    let kinds: [(&str, &Option<CountOut>); 5] = [
        ("fatalities", &e.fatalities),
        ("injured", &e.injured),
        ("missing", &e.missing),
        ("abducted", &e.abducted),
        ("arrested", &e.arrested),
    ];
    kinds
        .into_iter()
        .flat_map(|(kind, count)| {
            count
                .iter()
                .flat_map(|c| &c.estimates)
                .map(move |est| EstimateRow {
                    kind,
                    count: est.count as i64,
                    count_high: est.count_high.map(|h| h as i64),
                    qualifier: est.qualifier.as_deref(),
                    vague: est.vague,
                    source: est.source.as_deref(),
                    superseded: est.superseded,
                })
        })
        .collect()
}

/// Members' facts of the incidents one batch has looked at: an incident
/// that takes several reports in a batch is read once.
#[derive(Default)]
struct MemberCache {
    members: HashMap<i64, Vec<Facts>>,
}

impl MemberCache {
    /// Record that `facts` is now a member of incident `id` (an incident
    /// not read yet will be read with it).
    fn joined(&mut self, id: i64, facts: Facts) {
        if let Some(members) = self.members.get_mut(&id) {
            members.push(facts);
        }
    }
}

/// Incidents the event might join, each with the facts of all its members:
/// those with a member of the same type and country whose days overlap
/// (the query is bounded on both sides, so its cost does not grow with the
/// store), and those holding a near-duplicate document's event.
fn candidates(
    tx: &mut impl WriteTx,
    facts: &Facts,
    similar: &HashMap<i64, f64>,
    cache: &mut MemberCache,
) -> Result<Vec<(i64, Vec<Facts>)>> {
    let Some(kind) = &facts.event_type else {
        return Ok(Vec::new());
    };
    let mut ids: BTreeSet<i64> = BTreeSet::new();
    if let (Some((first, last)), Some(place)) = (facts.days, &facts.place) {
        let shift = |d: jiff::civil::Date, by: i64| {
            d.checked_add(jiff::Span::new().days(by))
                .unwrap_or(d)
                .to_string()
        };
        ids.extend(tx.incidents_near(&Window {
            event_type: kind,
            country: &place.country,
            from: shift(first, -merge::MAX_SPAN_DAYS),
            to: shift(last, 1),
            reach: shift(first, -1),
        })?);
    }
    for &doc in similar.keys() {
        ids.extend(tx.incidents_of_document(doc, kind)?);
    }
    ids.into_iter()
        .map(|id| {
            let facts = match cache.members.entry(id) {
                std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(tx.member_facts(id)?).clone()
                }
            };
            Ok((id, facts))
        })
        .collect()
}

/// More documents than this sharing one band: the band says nothing.
const CROWDED_BAND: usize = 32;

/// Store document `doc_id`'s sketch of `text`; returns the stored
/// documents it nearly duplicates, with their similarity.
fn sketch_document(tx: &mut impl WriteTx, doc_id: i64, text: &str) -> Result<HashMap<i64, f64>> {
    let Some(sketch) = Sketch::of(text) else {
        return Ok(HashMap::new());
    };
    let mut sharing: BTreeSet<i64> = BTreeSet::new();
    for docs in tx.bands_documents(&sketch.band_keys(), CROWDED_BAND + 1)? {
        // A band that many documents share is boilerplate or a template
        // ("On 9 November 2023, members of ..."), not the mark of a copy;
        // reading every sharer would grow with the store.
        if docs.len() <= CROWDED_BAND {
            sharing.extend(docs);
        }
    }
    let sharing: Vec<i64> = sharing.into_iter().collect();
    let close: Vec<(i64, f64)> = sharing
        .iter()
        .zip(tx.minhashes(&sharing)?)
        .map(|(&doc, minhash)| {
            let similarity = minhash
                .as_deref()
                .and_then(Sketch::from_bytes)
                .map_or(0.0, |other| sketch.similarity(&other));
            (doc, similarity)
        })
        .filter(|&(_, similarity)| similarity >= NEAR_DUPLICATE)
        .collect();
    let docs: Vec<i64> = close.iter().map(|&(doc, _)| doc).collect();
    let mut similar = HashMap::new();
    for ((doc, similarity), other) in close.into_iter().zip(tx.document_texts(&docs)?) {
        if other.is_some_and(|o| !sketch::tell_apart(text, &o)) {
            similar.insert(doc, similarity);
        }
    }
    tx.store_sketch(doc_id, &sketch)?;
    Ok(similar)
}

/// Rebuild the incidents `ids` from their members and store them with
/// their summary columns.
fn refresh_incidents(tx: &mut impl WriteTx, ids: &BTreeSet<i64>) -> Result<()> {
    let ids: Vec<i64> = ids.iter().copied().collect();
    let members = tx.members_of(&ids)?;
    let rows = ids
        .iter()
        .zip(&members)
        .map(|(&id, members)| incident_row(id, members))
        .collect::<Result<Vec<_>>>()?;
    tx.update_incidents(&rows)
}

/// An incident rebuilt from its members: its record and summary columns.
fn incident_row(id: i64, members: &[Member]) -> Result<IncidentRow> {
    let inc = incident::build(id, members);
    let period = inc
        .date
        .as_deref()
        .and_then(|d| merge::period(d, inc.date_precision.as_deref()));
    let loc = inc.location.as_ref();
    let tally = |c: &Option<incident::Tally>| {
        c.as_ref().map_or([None; 3], |t| {
            [t.low, t.best, t.high].map(|n| Some(n as i64))
        })
    };
    Ok(IncidentRow {
        id,
        date: inc.date.clone(),
        date_precision: inc.date_precision.clone(),
        day_first: period.map(|p| p.0.to_string()),
        day_last: period.map(|p| p.1.to_string()),
        event_type: inc.event_type.clone(),
        sub_event_type: inc.sub_event_type.clone(),
        country: loc.map(|l| l.country.clone()),
        admin1: loc.and_then(|l| l.admin1.clone()),
        admin2: loc.and_then(|l| l.admin2.clone()),
        location: loc.map(|l| l.name.clone()),
        lat: loc.map(|l| l.lat),
        lon: loc.map(|l| l.lon),
        geo_precision: loc.map(|l| i64::from(l.precision)),
        actors: inc
            .actors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        fatalities: tally(&inc.fatalities),
        injured: tally(&inc.injured),
        documents: inc.sources.len() as i64,
        json: serde_json::to_string(&inc)?,
    })
}

/// The columns [`WriteTx::member_facts`] selects, in [`FactColumns`] order.
pub(crate) const FACT_COLUMNS: &str =
    "id, document_id, event_type, country, admin1, admin2, lat, lon, geo_precision,
     perpetrators, merge_from, merge_to, place, geonames_id, killed_low, killed_high";

/// A member's [`FACT_COLUMNS`] as read from its row.
pub(crate) struct FactColumns {
    pub event: i64,
    pub document: i64,
    pub event_type: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geo_precision: Option<i64>,
    pub perpetrators: String,
    pub merge_from: Option<String>,
    pub merge_to: Option<String>,
    pub place: Option<String>,
    pub geonames_id: Option<i64>,
    pub killed_low: Option<i64>,
    pub killed_high: Option<i64>,
}

impl FactColumns {
    /// The facts the merge rule compares (an event is placed when its row
    /// has a country: the insert writes the place's columns together).
    pub(crate) fn facts(self) -> Result<Facts> {
        let days = match (self.merge_from, self.merge_to) {
            (Some(a), Some(b)) => a.parse().ok().zip(b.parse().ok()),
            _ => None,
        };
        let place = match (self.country, self.lat, self.lon, self.geo_precision) {
            (Some(country), Some(lat), Some(lon), Some(precision)) => Some(merge::Place {
                name: self.place,
                geonames_id: self.geonames_id,
                country,
                admin1: self.admin1,
                admin2: self.admin2,
                lat,
                lon,
                precision: precision as u8,
            }),
            _ => None,
        };
        Ok(Facts {
            event: self.event,
            document: self.document,
            event_type: self.event_type,
            days,
            place,
            perpetrators: serde_json::from_str(&self.perpetrators)?,
            killed: self.killed_low.map(|low| merge::Toll {
                low: low as u64,
                high: self.killed_high.map(|h| h as u64),
            }),
        })
    }
}
