//! PLOVER event records as the PLOVER manual's "Data Fields" chapter
//! specifies them (openeventdata/PLOVER@5e0c24f, PLOVER_MANUAL.tex, tables
//! "PLOVER JSON", "Information object for entities / size / citations",
//! "Location object"): `date`, lists for `actor`, `recipient`, `event`,
//! `mode`, `context` and `event_text`, entity objects with a 3-letter
//! country `code` and a `sector`, `event_loc` with `resolution`, `dead`,
//! `injured` and `arrested` (the size object's names, at the top level as
//! the manual names no container), `quad_code` and `cite_info`. Fields
//! beyond the specification (which allows them) carry the ACLED coding.
//! `data/schema/plover-record.schema.json` is the JSON Schema written from
//! those tables; the tests validate every record against it.

use serde_json::{json, Map, Value};

use warcoder_core::ontology::Ontology;

use crate::record::{ExportActor, ExportEvent, ExportSource};
use crate::EventSink;

/// The codebook this coder follows, as `cite_info.codebook` names it.
pub const CODEBOOK: &str = "plover-base-2.0-draft";

/// Writes PLOVER records one per line and counts the events left out for
/// want of a date: the one writer of `extract` and `events`.
pub struct PloverWriter<'a> {
    /// The day of the export (YYYY-MM-DD).
    coded_date: String,
    ontology: &'a Ontology,
    undated: usize,
}

impl<'a> PloverWriter<'a> {
    /// A writer for an export made at `timestamp` (seconds since 1970).
    pub fn new(timestamp: i64, ontology: &'a Ontology) -> Self {
        PloverWriter {
            coded_date: crate::utc_date(timestamp),
            ontology,
            undated: 0,
        }
    }
}

impl EventSink for PloverWriter<'_> {
    fn event(&mut self, w: &mut dyn std::io::Write, ev: &ExportEvent) -> std::io::Result<()> {
        match record(ev, self.ontology, &self.coded_date) {
            Some(r) => {
                serde_json::to_writer(&mut *w, &r)?;
                writeln!(w)
            }
            None => {
                self.undated += 1;
                Ok(())
            }
        }
    }

    /// The stderr line when some events were left out.
    fn summary(&self) -> Option<String> {
        (self.undated > 0).then(|| undated_summary(self.undated))
    }
}

/// The record of `ev`; None when it has no date at all (PLOVER requires
/// one): neither the event's nor a source's publication date.
/// `coded_date`: the day of the export (YYYY-MM-DD).
pub fn record(ev: &ExportEvent, ontology: &Ontology, coded_date: &str) -> Option<Value> {
    let (date, date_basis) = match (ev.full_date(), first_published(ev)) {
        (Some(d), _) => (d, "event"),
        (None, Some(p)) => (p.to_string(), "publication"),
        (None, None) => return None,
    };
    let acting: Vec<&ExportActor> = ev.actors.iter().filter(|a| a.acts()).collect();
    // Two-sided violence puts every party in `actor` (manual, ASSAULT).
    let targets: Vec<&ExportActor> = ev.actors.iter().filter(|a| !a.acts()).collect();
    let entity = |a: &&ExportActor| entity(a, ontology);
    let sub = ev
        .sub_event_type
        .as_deref()
        .and_then(|s| ontology.sub_event(s));
    let mut r = Map::new();
    r.insert("id".into(), json!(format!("warcoder-{}", ev.id)));
    r.insert("has_event".into(), json!(true));
    r.insert("date".into(), json!(date));
    r.insert(
        "actor".into(),
        json!(acting.iter().map(entity).collect::<Vec<_>>()),
    );
    r.insert(
        "recipient".into(),
        json!(targets.iter().map(entity).collect::<Vec<_>>()),
    );
    r.insert("event".into(), json!([ev.plover]));
    r.insert(
        "mode".into(),
        json!(ev.plover_mode.iter().collect::<Vec<_>>()),
    );
    r.insert(
        "context".into(),
        json!(sub.map(|s| s.plover_context.clone()).unwrap_or_default()),
    );
    if let Some(q) = ontology.plover_quad.get(&ev.plover) {
        r.insert("quad_code".into(), json!(q));
    }
    if let Some(loc) = event_loc(ev, ontology) {
        r.insert("event_loc".into(), loc);
    }
    r.insert("event_text".into(), json!([ev.notes]));
    for (name, count) in [
        ("dead", ev.fatalities),
        ("injured", ev.injured),
        ("arrested", ev.arrested),
    ] {
        if let Some(c) = count {
            r.insert(name.into(), json!(c.best));
        }
    }
    r.insert("cite_info".into(), cite_info(ev.sources.first()));
    r.insert("coder".into(), json!(coder()));
    r.insert("coded_date".into(), json!(coded_date));
    // Beyond the specification: what PLOVER has no field for.
    r.insert("date_basis".into(), json!(date_basis));
    for (name, value) in [
        ("date_precision", &ev.date_precision),
        ("acled_event_type", &ev.event_type),
        ("acled_sub_event_type", &ev.sub_event_type),
    ] {
        if let Some(v) = value {
            r.insert(name.into(), json!(v));
        }
    }
    r.insert("cameo".into(), json!(ev.cameo));
    r.insert(
        "sources".into(),
        json!(ev
            .sources
            .iter()
            .map(|s| cite_info(Some(s)))
            .collect::<Vec<_>>()),
    );
    if let Some(fields) = &ev.corrected {
        r.insert("corrected".into(), json!(fields));
    }
    Some(Value::Object(r))
}

/// The stderr line for records left out for want of any date.
pub fn undated_summary(n: usize) -> String {
    format!(
        "plover: {n} event{} left out: PLOVER requires a date, and neither the text nor a publication date gave one (pass --reference-date, or ingest with publication dates)",
        if n == 1 { "" } else { "s" }
    )
}

fn first_published(ev: &ExportEvent) -> Option<&str> {
    ev.sources
        .iter()
        .filter_map(|s| s.published.as_deref())
        .filter_map(|p| p.get(..10))
        .min()
}

fn coder() -> String {
    format!("warcoder {}", env!("CARGO_PKG_VERSION"))
}

/// An entity object: country code (ISO3), sector, the name.
fn entity(a: &ExportActor, ontology: &Ontology) -> Value {
    let mut e = Map::new();
    if let Some(c) = a.country.as_deref().and_then(|c| ontology.country(c)) {
        e.insert("code".into(), json!(c.iso3));
    }
    e.insert("sector".into(), json!(sector(a, ontology)));
    e.insert("entity_text".into(), json!(a.name));
    Value::Object(e)
}

/// PLOVER's sector: GOV for a person speaking for a state or a government,
/// COP for police, UAF for an unidentified armed group, MIL for armed
/// forces of any country, else the actor type's sector
/// (`data/ontology/acled_inter.tsv`).
fn sector(a: &ExportActor, ontology: &Ontology) -> String {
    let name = a.name.to_lowercase();
    let by_name = if a.person || name.starts_with("government") {
        Some("GOV")
    } else if name.starts_with("police") {
        Some("COP")
    } else if name.starts_with("unidentified") && a.inter != 7 {
        Some("UAF")
    } else if ["military", "armed forces", "army", "soldiers", "troops"]
        .iter()
        .any(|w| name.contains(w))
    {
        Some("MIL")
    } else {
        None
    };
    by_name
        .map(String::from)
        .or_else(|| ontology.plover_sector.get(&a.inter).cloned())
        .unwrap_or_else(|| "UNK".into())
}

/// The location object, with PLOVER's resolution from ACLED's precision
/// (1 the town: 4 city; 2 near a town: 3 district; 3 a region: 2
/// province, or 1 when no province is known).
fn event_loc(ev: &ExportEvent, ontology: &Ontology) -> Option<Value> {
    let p = ev.location.as_ref()?;
    let country = ontology.country(&p.country);
    let resolution = match p.precision {
        1 => 4,
        2 => 3,
        _ if p.admin1.is_some() => 2,
        _ => 1,
    };
    Some(without_nulls(json!({
        "extracted_place": p.mention,
        "resolved_place": p.name,
        "geonameid": p.geonames_id,
        "lat": p.lat,
        "lon": p.lon,
        "district": p.admin2,
        "province": p.admin1,
        "country": country.map(|c| c.name.clone()),
        "country_code": country.map(|c| c.iso3.clone()),
        "resolution": resolution,
    })))
}

/// The citation object of a source.
fn cite_info(s: Option<&ExportSource>) -> Value {
    let Some(s) = s else {
        return json!({"coder": coder(), "codebook": CODEBOOK});
    };
    without_nulls(json!({
        "citation": s.document,
        "url": s.url,
        "title": s.title,
        "publication": s.outlet,
        "coder": coder(),
        "codebook": CODEBOOK,
    }))
}

/// An object without its null fields: PLOVER's optional fields are left
/// out when unknown.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::sample_event;
    use crate::schema::validate;

    fn schema() -> Value {
        serde_json::from_str(include_str!(
            "../../../data/schema/plover-record.schema.json"
        ))
        .expect("the PLOVER schema is JSON")
    }

    fn enum_of(schema: &Value, field: &str) -> Vec<String> {
        let items = &schema["properties"][field]["items"]["enum"];
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn records_follow_the_specification() {
        let o = Ontology::embedded();
        let schema = schema();
        let mut clash = sample_event();
        clash
            .actors
            .iter_mut()
            .for_each(|a| a.role = "participant".into());
        let mut official = sample_event();
        official.actors[0].person = true;
        official.actors[0].name = "Shehbaz Sharif".into();
        let mut undated = sample_event();
        undated.date = None;
        undated.location = None;
        let events = [sample_event(), clash, official, undated];
        for ev in &events {
            let r = record(ev, &o, "2026-01-02").expect("a dated record");
            let errors = validate(&schema, &r);
            assert!(errors.is_empty(), "{}\n{r:#}", errors.join("\n"));
        }
        let r = record(&events[0], &o, "2026-01-02").unwrap();
        assert_eq!(r["date"], "2025-10-16");
        assert_eq!(r["event"], json!(["ASSAULT"]));
        assert_eq!(r["mode"], json!(["suicide-attack"]));
        assert_eq!(r["context"], json!(["terrorism"]));
        assert_eq!(r["quad_code"], 4);
        assert_eq!(r["dead"], 11);
        assert_eq!(r["actor"][0]["code"], "PAK");
        assert_eq!(r["recipient"][0]["sector"], "COP");
        assert_eq!(r["event_loc"]["resolution"], 4);
        assert_eq!(r["event_loc"]["country_code"], "PAK");
        assert_eq!(r["cite_info"]["url"], "https://www.dawn.com/x");
        // Two-sided violence: every party is an actor.
        let r = record(&events[1], &o, "2026-01-02").unwrap();
        assert_eq!(r["actor"].as_array().unwrap().len(), 2);
        assert_eq!(r["recipient"], json!([]));
        let r = record(&events[2], &o, "2026-01-02").unwrap();
        assert_eq!(r["actor"][0]["sector"], "GOV");
        // No event date: the publication date, said so.
        let r = record(&events[3], &o, "2026-01-02").unwrap();
        assert_eq!(
            (r["date"].as_str(), r["date_basis"].as_str()),
            (Some("2025-10-16"), Some("publication"))
        );
        assert!(r.get("event_loc").is_none());
        let mut no_date = events[3].clone();
        no_date.sources[0].published = None;
        assert!(record(&no_date, &o, "2026-01-02").is_none());
    }

    #[test]
    fn a_record_off_the_specification_fails_the_schema() {
        let o = Ontology::embedded();
        let mut r = record(&sample_event(), &o, "2026-01-02").unwrap();
        r["event"] = json!("ASSAULT");
        r["event_loc"]["resolution"] = json!(6);
        r["actor"][0]["code"] = json!("PK");
        r.as_object_mut().unwrap().remove("date");
        assert_eq!(
            validate(&schema(), &r).len(),
            4,
            "{:?}",
            validate(&schema(), &r)
        );
    }

    /// The schema's vocabularies are the manual's; data/ontology/ may use
    /// only them, and ONTOLOGIES.md (c6) lists the same contexts.
    #[test]
    fn schema_vocabularies_match_the_ontology() {
        let o = Ontology::embedded();
        let schema = schema();
        let mut types = enum_of(&schema, "event");
        types.sort();
        let mut known: Vec<String> = o.plover.keys().cloned().collect();
        known.sort();
        assert_eq!(types, known);
        let modes = enum_of(&schema, "mode");
        for m in o.plover.values().flatten() {
            assert!(modes.contains(m), "mode {m}");
        }
        let contexts = enum_of(&schema, "context");
        assert_eq!(contexts.len(), 37);
        for s in &o.sub_event_types {
            for c in &s.plover_context {
                assert!(contexts.contains(c), "{}: context {c}", s.sub_event_type);
            }
        }
        let Some(md) = crate::ontologies_md() else {
            println!("SKIPPED: shared/ontology/ONTOLOGIES.md not found");
            return;
        };
        let line = md
            .lines()
            .find(|l| l.starts_with("**Contexts (37)**"))
            .expect("the context list");
        let listed: Vec<String> = line
            .split("**: ")
            .nth(1)
            .unwrap()
            .trim_end_matches('.')
            .split(", ")
            .map(String::from)
            .collect();
        assert_eq!(listed, contexts);
    }
}
