//! Incidents matching a filter, in date order.

use rusqlite::types::Value;
use warcoder_core::ontology::Ontology;

use crate::incident::{DocRef, Incident};
use crate::store::{doc_ref, Result, Store, DOC_REF_COLUMNS};

/// What `warcoder events` narrows by; every field is optional.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Incidents whose date reaches this day or later (YYYY-MM-DD).
    pub from: Option<String>,
    /// Incidents whose date starts this day or earlier (YYYY-MM-DD).
    pub to: Option<String>,
    /// ISO 3166-1 alpha-2, any case.
    pub country: Option<String>,
    /// An ACLED event type or sub-event type, any case.
    pub event_type: Option<String>,
    /// Part of an actor's name, any case.
    pub actor: Option<String>,
    /// West, south, east, north in degrees; west > east crosses the antimeridian.
    pub bbox: Option<[f64; 4]>,
    /// Words that must all occur in the place, actors, types or evidence
    /// (the last word may be the start of one).
    pub text: Option<String>,
}

/// A filter as a user spells it (the command line's flags, the Python
/// API's keywords), before [`FilterArgs::check`] validates and normalises it.
#[derive(Debug, Default, Clone)]
pub struct FilterArgs {
    pub from: Option<String>,
    pub to: Option<String>,
    pub country: Option<String>,
    pub event_type: Option<String>,
    pub actor: Option<String>,
    /// `W,S,E,N` in degrees.
    pub bbox: Option<String>,
    pub text: Option<String>,
}

impl FilterArgs {
    /// The filter, or a message that names the argument as the caller
    /// spells it (`name("from")` gives "--from" on the command line) and
    /// says what to give instead.
    pub fn check(
        &self,
        ontology: &Ontology,
        name: impl Fn(&str) -> String,
    ) -> std::result::Result<Filter, String> {
        if let Some(c) = &self.country {
            if c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(format!(
                    "{} {c:?}: expected a two-letter ISO 3166-1 code such as PK or UA",
                    name("country")
                ));
            }
        }
        let day = |field: &str, value: &Option<String>| match value {
            None => Ok(None),
            Some(s) => match s.trim().parse::<jiff::civil::Date>() {
                Ok(d) => Ok(Some(d.to_string())),
                Err(_) => Err(format!("{} {s:?} is not a YYYY-MM-DD date", name(field))),
            },
        };
        let (from, to) = (day("from", &self.from)?, day("to", &self.to)?);
        if let (Some(f), Some(t)) = (&from, &to) {
            // ISO dates order as strings.
            if f > t {
                return Err(format!(
                    "{} {f} is after {} {t}: no incident can match; swap them?",
                    name("from"),
                    name("to")
                ));
            }
        }
        let event_type = match &self.event_type {
            Some(t) => Some(event_type_name(ontology, t, &name("type"))?),
            None => None,
        };
        let bbox = match &self.bbox {
            Some(b) => Some(parse_bbox(b).map_err(|e| e.replace("--bbox", &name("bbox")))?),
            None => None,
        };
        Ok(Filter {
            from,
            to,
            country: self.country.clone(),
            event_type,
            actor: self.actor.clone(),
            bbox,
            text: self.text.clone(),
        })
    }
}

/// One way a type may be named: (name, its CAMEO code) -> matches.
type TypeRule<'a> = dyn Fn(&str, Option<&str>) -> bool + 'a;

/// A type filter as the store spells it; `flag` names the argument in
/// errors. Accepted, in any case: an ACLED event type or sub-event type
/// ("battles", "Suicide bomb"), one of them in the singular or plural
/// ("battle"), one part of a sub-event type that names only it
/// ("shelling", "drone strike"), or a sub-event type's CAMEO code
/// ("1831"). A miss lists the vocabulary, with the closest names first.
fn event_type_name(
    ontology: &Ontology,
    given: &str,
    flag: &str,
) -> std::result::Result<String, String> {
    let vocabulary: Vec<(&str, Option<&str>)> = ontology
        .event_types
        .iter()
        .map(|t| (t.as_str(), None))
        .chain(
            ontology
                .sub_event_types
                .iter()
                .map(|s| (s.sub_event_type.as_str(), Some(s.cameo.as_str()))),
        )
        .collect();
    let key = given.trim().to_lowercase();
    let singular = |s: &str| s.strip_suffix('s').unwrap_or(s).to_string();
    let rules: [&TypeRule; 4] = [
        &|name, _| name.to_lowercase() == key,
        &|name, _| singular(&name.to_lowercase()) == singular(&key),
        &|name, _| {
            name.to_lowercase().split('/').any(|part| {
                singular(part) == singular(&key) || part.split(' ').next() == Some(key.as_str())
            })
        },
        &|_, cameo| cameo == Some(key.as_str()),
    ];
    for rule in rules {
        let hits: Vec<&str> = vocabulary
            .iter()
            .filter(|(name, cameo)| rule(name, *cameo))
            .map(|(name, _)| *name)
            .collect();
        match hits.as_slice() {
            [] => continue,
            [one] => return Ok(one.to_string()),
            several => {
                return Err(format!(
                    "{flag} {given:?} names several types: {}; pass one of them",
                    quoted(several)
                ))
            }
        }
    }
    let names: Vec<&str> = vocabulary.iter().map(|(name, _)| *name).collect();
    Err(format!(
        "{flag} {given:?} is no ACLED event type, sub-event type or CAMEO code of one.{}\n\
         Event types: {}\nSub-event types (CAMEO code): {}",
        did_you_mean(&key, &names),
        ontology.event_types.join(", "),
        ontology
            .sub_event_types
            .iter()
            .map(|s| format!("{} ({})", s.sub_event_type, s.cameo))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The names closest to `key` by edit distance (at most three, those
/// within half the key's length), as " Did you mean ...?".
fn did_you_mean(key: &str, names: &[&str]) -> String {
    let mut scored: Vec<(usize, &str)> = names
        .iter()
        .map(|n| {
            let lower = n.to_lowercase();
            // A typo of the start of a long name counts as close.
            let head: String = lower.chars().take(key.chars().count()).collect();
            let distance =
                strsim::levenshtein(key, &lower).min(strsim::levenshtein(key, &head) + 1);
            (distance, *n)
        })
        .filter(|(d, _)| *d <= key.chars().count().div_ceil(2))
        .collect();
    scored.sort();
    let close: Vec<&str> = scored.iter().take(3).map(|(_, n)| *n).collect();
    if close.is_empty() {
        String::new()
    } else {
        format!(" Did you mean {}?", quoted(&close).replace(", ", " or "))
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Free text as an FTS5 query: each word quoted (no operator a user did
/// not mean), all required, the last one a prefix. None when no word.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    let last = words.last()?;
    let prefix = format!("{last}*");
    let mut query = words[..words.len() - 1].to_vec();
    query.push(prefix);
    Some(query.join(" "))
}

/// Which database a filter's SQL is for: the same conditions, spelt in
/// each one's functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// A filter's parameter value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Text(String),
    Real(f64),
}

impl From<Param> for Value {
    fn from(p: Param) -> Value {
        match p {
            Param::Text(t) => t.into(),
            Param::Real(r) => r.into(),
        }
    }
}

/// Free text as a PostgreSQL `tsquery` in the `simple` configuration:
/// the words of [`fts_query`] (letters and digits only, so no operator),
/// all required, the last one a prefix. None when no word.
pub(crate) fn ts_query(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let (last, rest) = words.split_last()?;
    let mut query: Vec<String> = rest.iter().map(|w| w.to_string()).collect();
    query.push(format!("{last}:*"));
    Some(query.join(" & "))
}

impl Filter {
    /// The SQL condition and its parameters.
    pub(crate) fn to_sql(&self) -> (String, Vec<Value>) {
        let (sql, params) = self.conditions(Dialect::Sqlite);
        (sql, params.into_iter().map(Value::from).collect())
    }

    /// The condition in `dialect`, with `?` for each parameter in order.
    pub(crate) fn conditions(&self, dialect: Dialect) -> (String, Vec<Param>) {
        let pg = dialect == Dialect::Postgres;
        let mut clauses: Vec<&str> = Vec::new();
        let mut values: Vec<Param> = Vec::new();
        let text = |s: &String| Param::Text(s.clone());
        if let Some(from) = &self.from {
            clauses.push("day_last >= ?");
            values.push(text(from));
        }
        if let Some(to) = &self.to {
            clauses.push("day_first <= ?");
            values.push(text(to));
        }
        if let Some(c) = &self.country {
            clauses.push("country = upper(?)");
            values.push(text(c));
        }
        if let Some(t) = &self.event_type {
            clauses.push(if pg {
                "(lower(event_type) = lower(?) OR lower(sub_event_type) = lower(?))"
            } else {
                // NOCASE folds ASCII as lower() does, without a call per row
                // (five times faster over a large store).
                "(event_type = ? COLLATE NOCASE OR sub_event_type = ? COLLATE NOCASE)"
            });
            values.push(text(t));
            values.push(text(t));
        }
        if let Some(a) = &self.actor {
            // SQLite's LIKE is case-insensitive for ASCII, as PostgreSQL's
            // ILIKE; escape their wildcards.
            clauses.push(if pg {
                "actors ILIKE ? ESCAPE '\\'"
            } else {
                "actors LIKE ? ESCAPE '\\'"
            });
            let escaped = a
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            values.push(Param::Text(format!("%{escaped}%")));
        }
        if let Some([w, s, e, n]) = self.bbox {
            clauses.push("lat BETWEEN ? AND ?");
            values.push(Param::Real(s));
            values.push(Param::Real(n));
            if w <= e {
                clauses.push("lon BETWEEN ? AND ?");
            } else {
                clauses.push("(lon >= ? OR lon <= ?)");
            }
            values.push(Param::Real(w));
            values.push(Param::Real(e));
        }
        let search = if pg {
            self.text.as_deref().and_then(ts_query)
        } else {
            self.text.as_deref().and_then(fts_query)
        };
        if let Some(query) = search {
            clauses.push(if pg {
                "search @@ to_tsquery('simple', ?)"
            } else {
                // `+id`: check the matches while scanning an index that holds
                // the other columns, rather than look each match's wide row up.
                "+id IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?)"
            });
            values.push(Param::Text(query));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        (sql, values)
    }
}

impl Store {
    /// The incidents matching `filter`, oldest first (undated ones last).
    pub fn incidents(&self, filter: &Filter) -> Result<Vec<Incident>> {
        let (condition, values) = filter.to_sql();
        let sql = format!(
            "SELECT json FROM incidents {condition}
             ORDER BY day_first IS NULL, day_first, id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(values), |r| {
            r.get::<_, String>(0)
        })?;
        rows.map(|json| Ok(serde_json::from_str(&json?)?)).collect()
    }
}

/// A stored document, as listed by [`Store::documents`]: the article
/// reference incidents use, with its size and event count (flattened, so
/// its JSON has the reference's fields at the top level).
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct DocumentInfo {
    #[serde(flatten)]
    pub doc: DocRef,
    pub bytes: i64,
    pub events: i64,
}

impl Store {
    /// Every stored document, in the order they were stored.
    pub fn documents(&self) -> Result<Vec<DocumentInfo>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {DOC_REF_COLUMNS}, d.bytes,
                    (SELECT count(*) FROM events e WHERE e.document_id = d.id)
             FROM documents d ORDER BY d.id"
        ))?;
        let rows = st.query_map([], |r| {
            Ok(DocumentInfo {
                doc: doc_ref(r, 0)?,
                bytes: r.get(6)?,
                events: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Parse `--bbox W,S,E,N`.
pub fn parse_bbox(text: &str) -> std::result::Result<[f64; 4], String> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| format!("--bbox {text:?}: expected four numbers W,S,E,N"))?;
    let [w, s, e, n]: [f64; 4] = parts
        .try_into()
        .map_err(|_| format!("--bbox {text:?}: expected four numbers W,S,E,N"))?;
    if !(-90.0..=90.0).contains(&s) || !(-90.0..=90.0).contains(&n) || s > n {
        return Err(format!(
            "--bbox {text:?}: south and north must be latitudes with south <= north"
        ));
    }
    if !(-180.0..=180.0).contains(&w) || !(-180.0..=180.0).contains(&e) {
        return Err(format!(
            "--bbox {text:?}: west and east must be longitudes in -180..180"
        ));
    }
    Ok([w, s, e, n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(field: &str) -> String {
        format!("--{field}")
    }

    #[test]
    fn types_match_any_case_and_a_miss_suggests() {
        let ontology = Ontology::embedded();
        let kind = |t: &str| {
            FilterArgs {
                event_type: Some(t.into()),
                ..FilterArgs::default()
            }
            .check(&ontology, flag)
            .map(|f| f.event_type.unwrap())
        };
        assert_eq!(kind("battles").unwrap(), "Battles");
        assert_eq!(kind("SUICIDE BOMB").unwrap(), "Suicide bomb");
        assert_eq!(kind("battle").unwrap(), "Battles");
        assert_eq!(
            kind("Shelling").unwrap(),
            "Shelling/artillery/missile attack"
        );
        assert_eq!(kind("drone strike").unwrap(), "Air/drone strike");
        assert_eq!(kind("1831").unwrap(), "Suicide bomb");
        let miss = kind("batle").unwrap_err();
        assert!(miss.starts_with("--type \"batle\" is no ACLED"), "{miss}");
        assert!(miss.contains("Did you mean \"Battles\""), "{miss}");
        assert!(miss.contains("Sub-event types (CAMEO code):"), "{miss}");
        let several = kind("192").unwrap_err();
        assert!(
            several.contains("Government regains territory"),
            "{several}"
        );
    }

    #[test]
    fn filter_arguments_are_checked_and_named_as_the_caller_spells_them() {
        let ontology = Ontology::embedded();
        let check = |args: FilterArgs| args.check(&ontology, |f| format!("{f}_"));
        let dates = check(FilterArgs {
            from: Some(" 2024-03-01".into()),
            to: Some("2024-03-31".into()),
            ..FilterArgs::default()
        })
        .unwrap();
        assert_eq!(dates.from.as_deref(), Some("2024-03-01"));
        let swapped = check(FilterArgs {
            from: Some("2024-04-01".into()),
            to: Some("2024-03-01".into()),
            ..FilterArgs::default()
        });
        assert!(swapped
            .unwrap_err()
            .contains("from_ 2024-04-01 is after to_"));
        let bad_day = check(FilterArgs {
            to: Some("March".into()),
            ..FilterArgs::default()
        });
        assert!(bad_day
            .unwrap_err()
            .starts_with("to_ \"March\" is not a YYYY-MM-DD"));
        let country = check(FilterArgs {
            country: Some("Syria".into()),
            ..FilterArgs::default()
        });
        assert!(country
            .unwrap_err()
            .starts_with("country_ \"Syria\": expected"));
        let bbox = check(FilterArgs {
            bbox: Some("1,2,3".into()),
            ..FilterArgs::default()
        });
        assert!(bbox.unwrap_err().starts_with("bbox_ \"1,2,3\""));
    }

    #[test]
    fn bbox_parsing() {
        assert_eq!(parse_bbox("60,20,80,40"), Ok([60.0, 20.0, 80.0, 40.0]));
        assert!(parse_bbox("60,20,80").is_err());
        assert!(parse_bbox("60,40,80,20").is_err());
        assert!(parse_bbox("a,b,c,d").is_err());
    }

    #[test]
    fn empty_filter_has_no_condition() {
        assert_eq!(Filter::default().to_sql().0, "");
        let f = Filter {
            actor: Some("50%_off".into()),
            ..Filter::default()
        };
        let (sql, values) = f.to_sql();
        assert!(sql.contains("LIKE"));
        assert_eq!(values[0], Value::Text("%50\\%\\_off%".into()));
    }

    #[test]
    fn free_text_becomes_quoted_words() {
        assert_eq!(
            fts_query("Dera \"Ismail* OR").as_deref(),
            Some("\"Dera\" \"Ismail\" \"OR\"*")
        );
        assert_eq!(fts_query(" -- "), None);
        assert_eq!(
            ts_query("Dera \"Ismail* OR").as_deref(),
            Some("Dera & Ismail & OR:*")
        );
        assert_eq!(ts_query(" -- "), None);
    }

    #[test]
    fn postgres_conditions_spell_the_same_filter() {
        let f = Filter {
            event_type: Some("Battles".into()),
            actor: Some("50%_off".into()),
            text: Some("Kabul".into()),
            ..Filter::default()
        };
        let (sqlite, _) = f.conditions(Dialect::Sqlite);
        let (pg, values) = f.conditions(Dialect::Postgres);
        assert_eq!(sqlite.matches('?').count(), pg.matches('?').count());
        assert!(pg.contains("ILIKE") && pg.contains("to_tsquery"), "{pg}");
        assert_eq!(values[2], Param::Text("%50\\%\\_off%".into()));
        assert_eq!(values[3], Param::Text("Kabul:*".into()));
    }
}

/// One coded event's place in an incident, as a merge evaluation reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub incident: i64,
    /// The document's input id (JSONL `id`), else its source.
    pub document: String,
    /// Whether the event had a date and place precise enough to be matched
    /// on dates ([`crate::merge::Facts::mergeable`]).
    pub dated: bool,
}

impl Store {
    /// Every event that belongs to an incident, in storage order.
    pub fn memberships(&self) -> Result<Vec<Membership>> {
        let mut st = self.conn.prepare(
            "SELECT e.incident_id, coalesce(d.input_id, d.source), e.merge_from IS NOT NULL
             FROM events e JOIN documents d ON d.id = e.document_id
             WHERE e.incident_id IS NOT NULL ORDER BY e.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Membership {
                incident: r.get(0)?,
                document: r.get(1)?,
                dated: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// One report of an incident and why it joined.
#[derive(Debug, Clone)]
pub struct JoinedReport {
    /// The event's row id (what [`crate::merge::Evidence::with_event`] names).
    pub event: i64,
    /// The event's id within its document.
    pub key: String,
    pub document: DocRef,
    /// The checks it passed against the members before it; None for the
    /// report that started the incident (or one stored before reasons were
    /// kept).
    pub joined: Option<crate::merge::Joined>,
}

impl Store {
    /// The reports of incident `id` in the order they joined; None when
    /// there is no such incident.
    pub fn merge_explanation(&self, id: i64) -> Result<Option<Vec<JoinedReport>>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT e.id, e.key, e.merge_reason, {DOC_REF_COLUMNS}
             FROM events e JOIN documents d ON d.id = e.document_id
             WHERE e.incident_id = ?1 ORDER BY e.id"
        ))?;
        let rows: Vec<(i64, String, Option<String>, DocRef)> = st
            .query_map([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, doc_ref(r, 3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        joined_reports(rows)
    }
}

/// Reports as [`Store::merge_explanation`] gives them, from their rows
/// (event id, key, merge reason, document); None when there are none.
pub(crate) fn joined_reports(
    rows: Vec<(i64, String, Option<String>, DocRef)>,
) -> Result<Option<Vec<JoinedReport>>> {
    if rows.is_empty() {
        return Ok(None);
    }
    rows.into_iter()
        .map(|(event, key, reason, document)| {
            Ok(JoinedReport {
                event,
                key,
                document,
                joined: reason.as_deref().map(serde_json::from_str).transpose()?,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}
