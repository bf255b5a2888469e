//! Analysts' corrections: stored beside the machine coding (table
//! `corrections`, append-only), applied when an incident is read for the
//! web view or an export, where each corrected field is marked.

use std::collections::HashMap;
use std::sync::OnceLock;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use warcoder_core::ontology::Ontology;

use crate::incident::{Incident, Location};
use crate::store::{Result, Store};

/// One field's new value. The JSON is `{"field": "...", "value": {...}}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum Change {
    /// An ACLED sub-event type; the event type, disorder type, CAMEO and
    /// PLOVER codes follow from it.
    EventType {
        sub_event_type: String,
    },
    /// The ACLED actor type (inter code 1-8) of a named actor.
    ActorType {
        name: String,
        inter: u8,
    },
    Location {
        name: String,
        /// ISO 3166-1 alpha-2.
        country: String,
        lat: f64,
        lon: f64,
        /// ACLED geo_precision 1-3.
        precision: u8,
    },
    /// A day, YYYY-MM-DD.
    Date {
        date: String,
    },
    Fatalities {
        low: u64,
        best: u64,
        high: u64,
    },
}

/// A correction as an analyst sends it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NewCorrection {
    #[serde(flatten)]
    pub change: Change,
    #[serde(default)]
    pub note: String,
}

/// A stored correction.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Correction {
    pub id: i64,
    pub incident_id: i64,
    #[serde(flatten)]
    pub change: Change,
    /// The machine's value of the field when it was corrected.
    pub machine: serde_json::Value,
    pub note: String,
    pub created_at: String,
}

/// Why a correction was refused: said so that an analyst can fix it.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Invalid {
    #[error("no incident {0}")]
    NoIncident(i64),
    #[error("{0:?} is not an ACLED sub-event type (e.g. \"Armed clash\", \"Suicide bomb\")")]
    SubEventType(String),
    #[error("no actor named {0:?} in this incident")]
    Actor(String),
    #[error("actor type {0} is not an ACLED inter code (1-8)")]
    Inter(u8),
    #[error("{0}")]
    Location(String),
    #[error("date {0:?} is not a YYYY-MM-DD day")]
    Date(String),
    #[error("fatalities must satisfy low <= best <= high (got {0}, {1}, {2})")]
    Fatalities(u64, u64, u64),
}

fn ontology() -> &'static Ontology {
    static ONTOLOGY: OnceLock<Ontology> = OnceLock::new();
    ONTOLOGY.get_or_init(Ontology::embedded)
}

impl Change {
    /// The column-like name of the field it changes.
    pub fn field(&self) -> &'static str {
        match self {
            Change::EventType { .. } => "event_type",
            Change::ActorType { .. } => "actor_type",
            Change::Location { .. } => "location",
            Change::Date { .. } => "date",
            Change::Fatalities { .. } => "fatalities",
        }
    }

    /// Which corrections replace one another: the field, and for an actor
    /// type the actor.
    fn slot(&self) -> String {
        match self {
            Change::ActorType { name, .. } => format!("actor_type:{name}"),
            other => other.field().to_string(),
        }
    }

    /// Check the change against `inc`; returns the machine's value of the field.
    fn validate(&self, inc: &Incident) -> std::result::Result<serde_json::Value, Invalid> {
        use serde_json::json;
        Ok(match self {
            Change::EventType { sub_event_type } => {
                if ontology().sub_event(sub_event_type).is_none() {
                    return Err(Invalid::SubEventType(sub_event_type.clone()));
                }
                json!({"event_type": inc.event_type, "sub_event_type": inc.sub_event_type})
            }
            Change::ActorType { name, inter } => {
                if !(1..=8).contains(inter) {
                    return Err(Invalid::Inter(*inter));
                }
                let actor = inc.actors.iter().find(|a| &a.name == name);
                json!(actor.ok_or_else(|| Invalid::Actor(name.clone()))?.inter)
            }
            Change::Location {
                name,
                country,
                lat,
                lon,
                precision,
            } => {
                let problem = if name.trim().is_empty() {
                    Some("a location needs a name")
                } else if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
                    Some("country must be an upper-case ISO 3166-1 alpha-2 code such as PK")
                } else if !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lon) {
                    Some("lat must be in -90..90 and lon in -180..180")
                } else if !(1..=3).contains(precision) {
                    Some("precision must be an ACLED geo_precision, 1 to 3")
                } else {
                    None
                };
                if let Some(p) = problem {
                    return Err(Invalid::Location(p.into()));
                }
                json!(inc.location)
            }
            Change::Date { date } => {
                if date.parse::<jiff::civil::Date>().is_err() || date.len() != 10 {
                    return Err(Invalid::Date(date.clone()));
                }
                json!({"date": inc.date, "date_precision": inc.date_precision})
            }
            Change::Fatalities { low, best, high } => {
                if !(low <= best && best <= high) {
                    return Err(Invalid::Fatalities(*low, *best, *high));
                }
                json!(inc
                    .fatalities
                    .as_ref()
                    .map(|t| json!({"low": t.low, "best": t.best, "high": t.high})))
            }
        })
    }

    /// Put the change into `inc` (the analyst's value over the machine's).
    fn apply(&self, inc: &mut Incident) {
        match self {
            Change::EventType { sub_event_type } => {
                if let Some(s) = ontology().sub_event(sub_event_type) {
                    inc.event_type = s.event_type.clone();
                    inc.sub_event_type = Some(s.sub_event_type.clone());
                    inc.disorder_type = Some(s.disorder_type.clone());
                    inc.cameo = s.cameo.clone();
                    inc.plover = s.plover.clone();
                    inc.plover_mode = s.plover_mode.clone();
                }
            }
            Change::ActorType { name, inter } => {
                for a in inc.actors.iter_mut().filter(|a| &a.name == name) {
                    a.inter = *inter;
                }
            }
            Change::Location {
                name,
                country,
                lat,
                lon,
                precision,
            } => {
                inc.location = Some(Location {
                    name: name.clone(),
                    country: country.clone(),
                    admin1: None,
                    admin2: None,
                    lat: *lat,
                    lon: *lon,
                    geonames_id: None,
                    precision: *precision,
                });
            }
            Change::Date { date } => {
                inc.date = Some(date.clone());
                inc.date_precision = Some("day".into());
            }
            Change::Fatalities { low, best, high } => {
                let mut tally = inc.fatalities.clone().unwrap_or(crate::incident::Tally {
                    low: 0,
                    best: 0,
                    high: 0,
                    estimates: Vec::new(),
                });
                (tally.low, tally.best, tally.high) = (*low, *best, *high);
                inc.fatalities = Some(tally);
            }
        }
    }
}

/// Apply `corrections` (oldest first) to `inc` and mark it: the latest
/// correction of each field wins, and `inc.corrections` lists them.
pub fn apply(inc: &mut Incident, corrections: Vec<Correction>) {
    let mut latest: Vec<Correction> = Vec::new();
    for c in corrections {
        latest.retain(|l| l.change.slot() != c.change.slot());
        latest.push(c);
    }
    latest.sort_by_key(|c| c.id);
    for c in &latest {
        c.change.apply(inc);
    }
    inc.corrections = latest;
}

pub(crate) const CORRECTION_COLUMNS: &str = "id, incident_id, value, machine, note, created_at";

/// The columns of [`CORRECTION_COLUMNS`], parsed.
fn correction_row(r: &rusqlite::Row) -> Result<Correction> {
    Correction::from_columns(
        r.get(0)?,
        r.get(1)?,
        &r.get::<_, String>(2)?,
        r.get::<_, Option<String>>(3)?.as_deref(),
        r.get(4)?,
        r.get(5)?,
    )
}

impl Correction {
    /// A correction from its stored columns (id, incident_id, value,
    /// machine, note, created_at), on any database.
    pub(crate) fn from_columns(
        id: i64,
        incident_id: i64,
        value: &str,
        machine: Option<&str>,
        note: String,
        created_at: String,
    ) -> Result<Correction> {
        Ok(Correction {
            id,
            incident_id,
            change: serde_json::from_str(value)?,
            machine: match machine {
                Some(m) => serde_json::from_str(m)?,
                None => serde_json::Value::Null,
            },
            note,
            created_at,
        })
    }
}

/// Every correction a query selects (its columns [`CORRECTION_COLUMNS`]).
fn corrections(
    st: &mut rusqlite::CachedStatement,
    params: impl rusqlite::Params,
) -> Result<Vec<Correction>> {
    let mut rows = st.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(correction_row(r)?);
    }
    Ok(out)
}

impl Store {
    /// Record a correction of incident `id`: Ok(Err) when the incident is
    /// missing or the change does not fit it.
    pub fn add_correction(
        &mut self,
        id: i64,
        new: &NewCorrection,
    ) -> Result<std::result::Result<Correction, Invalid>> {
        let Some(inc) = self.incident(id)? else {
            return Ok(Err(Invalid::NoIncident(id)));
        };
        let machine = match new.change.validate(&inc) {
            Ok(m) => m,
            Err(e) => return Ok(Err(e)),
        };
        let created_at = jiff::Timestamp::now().to_string();
        self.conn.execute(
            "INSERT INTO corrections (incident_id, field, value, machine, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                new.change.field(),
                serde_json::to_string(&new.change)?,
                serde_json::to_string(&machine)?,
                new.note,
                created_at
            ],
        )?;
        Ok(Ok(Correction {
            id: self.conn.last_insert_rowid(),
            incident_id: id,
            change: new.change.clone(),
            machine,
            note: new.note.clone(),
            created_at,
        }))
    }

    /// Every correction of incident `id`, oldest first.
    pub fn corrections_of(&self, id: i64) -> Result<Vec<Correction>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {CORRECTION_COLUMNS} FROM corrections WHERE incident_id = ?1 ORDER BY id"
        ))?;
        corrections(&mut st, [id])
    }

    /// Every correction, by incident (a small table: analysts write it).
    pub fn all_corrections(&self) -> Result<HashMap<i64, Vec<Correction>>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {CORRECTION_COLUMNS} FROM corrections ORDER BY id"
        ))?;
        let mut out: HashMap<i64, Vec<Correction>> = HashMap::new();
        for c in corrections(&mut st, [])? {
            out.entry(c.incident_id).or_default().push(c);
        }
        Ok(out)
    }

    /// Incident `id` with its corrections applied.
    pub fn corrected_incident(&self, id: i64) -> Result<Option<Incident>> {
        let Some(mut inc) = self.incident(id)? else {
            return Ok(None);
        };
        apply(&mut inc, self.corrections_of(id)?);
        Ok(Some(inc))
    }

    /// Every corrected incident, corrections applied, by id.
    pub fn corrected_incidents(&self) -> Result<Vec<Incident>> {
        let mut all: Vec<(i64, Vec<Correction>)> = self.all_corrections()?.into_iter().collect();
        all.sort_by_key(|(id, _)| *id);
        let mut out = Vec::new();
        for (id, corrections) in all {
            if let Some(mut inc) = self.incident(id)? {
                apply(&mut inc, corrections);
                out.push(inc);
            }
        }
        Ok(out)
    }

    /// Whether incident `id` exists.
    pub fn has_incident(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM incidents WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Incident {
        crate::export::tests::sample()
    }

    fn correction(id: i64, change: Change) -> Correction {
        Correction {
            id,
            incident_id: 4,
            change,
            machine: serde_json::Value::Null,
            note: String::new(),
            created_at: String::new(),
        }
    }

    #[test]
    fn the_latest_correction_of_a_field_wins_and_is_marked() {
        let mut inc = sample();
        let f = |best| Change::Fatalities {
            low: best,
            best,
            high: best + 1,
        };
        apply(
            &mut inc,
            vec![
                correction(1, f(20)),
                correction(
                    2,
                    Change::EventType {
                        sub_event_type: "Armed clash".into(),
                    },
                ),
                correction(3, f(12)),
            ],
        );
        let t = inc.fatalities.as_ref().unwrap();
        assert_eq!((t.low, t.best, t.high), (12, 12, 13));
        assert_eq!(t.estimates.len(), 2, "the sourced estimates stay");
        assert_eq!(inc.event_type, "Battles");
        assert_eq!(inc.sub_event_type.as_deref(), Some("Armed clash"));
        let ids: Vec<i64> = inc.corrections.iter().map(|c| c.id).collect();
        assert_eq!(ids, [2, 3]);
    }

    #[test]
    fn invalid_changes_say_what_is_wrong() {
        let inc = sample();
        let bad = [
            Change::EventType {
                sub_event_type: "Picnic".into(),
            },
            Change::Date {
                date: "2025-13-01".into(),
            },
            Change::Fatalities {
                low: 5,
                best: 3,
                high: 9,
            },
            Change::ActorType {
                name: "Nobody".into(),
                inter: 2,
            },
            Change::Location {
                name: "X".into(),
                country: "pk".into(),
                lat: 0.0,
                lon: 0.0,
                precision: 1,
            },
        ];
        for change in bad {
            assert!(change.validate(&inc).is_err(), "{change:?}");
        }
        let ok = Change::Date {
            date: "2025-10-15".into(),
        };
        assert_eq!(
            ok.validate(&inc).unwrap()["date"],
            serde_json::json!("2025-10-16")
        );
    }

    #[test]
    fn the_wire_format() {
        let c: NewCorrection = serde_json::from_str(
            r#"{"field": "fatalities", "value": {"low": 1, "best": 2, "high": 3}, "note": "x"}"#,
        )
        .unwrap();
        assert_eq!(
            c.change,
            Change::Fatalities {
                low: 1,
                best: 2,
                high: 3
            }
        );
    }
}
