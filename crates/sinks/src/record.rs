//! One event as every export writes it, whether it was just coded from an
//! article (`extract`) or read from the event store (`events`, `serve`):
//! the ACLED CSV, PLOVER and GeoJSON writers read only this, so the two
//! paths cannot drift apart.

use warcoder_core::output::{ActorOut, CountOut, EventOut, Output};

#[derive(Debug, Clone, PartialEq)]
pub struct ExportEvent {
    /// Unique within the export: "<document>-<event>" for an article's
    /// event, the incident number for a stored incident.
    pub id: String,
    /// The number in ACLED's `event_id_cnty` (after the country code).
    pub number: u64,
    pub date: Option<String>,
    /// day | week | month | year
    pub date_precision: Option<String>,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    pub disorder_type: Option<String>,
    pub cameo: String,
    pub plover: String,
    pub plover_mode: Option<String>,
    pub actors: Vec<ExportActor>,
    pub location: Option<ExportPlace>,
    pub fatalities: Option<Counts>,
    pub injured: Option<Counts>,
    pub arrested: Option<Counts>,
    pub claimed_by: Vec<String>,
    /// The sentences the coding rests on.
    pub notes: String,
    pub sources: Vec<ExportSource>,
    /// Background to the story, not news of the day.
    pub background: bool,
    pub confidence: f32,
    /// Fields an analyst corrected ("fatalities; date").
    pub corrected: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportActor {
    pub name: String,
    /// perpetrator | target | claimant | participant
    pub role: String,
    /// ACLED actor type 1-8.
    pub inter: u8,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// A person named after a title: exports name the person's group.
    pub person: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportPlace {
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub admin3: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonames_id: Option<u32>,
    /// ACLED geo_precision 1-3.
    pub precision: u8,
    /// The words of the text that named the place.
    pub mention: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub low: u64,
    pub best: u64,
    pub high: u64,
}

impl<E> From<&CountOut<E>> for Counts {
    fn from(c: &CountOut<E>) -> Counts {
        Counts {
            low: c.low,
            best: c.best,
            high: c.high,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportSource {
    /// The outlet: the URL's host, else the input's file name.
    pub outlet: String,
    pub url: Option<String>,
    /// sha256 of the article.
    pub document: String,
    pub title: Option<String>,
    pub published: Option<String>,
}

impl ExportActor {
    /// Perpetrators, participants and claimants act (ACLED's first side).
    pub fn acts(&self) -> bool {
        matches!(
            self.role.as_str(),
            "perpetrator" | "participant" | "claimant"
        )
    }
}

impl From<&ActorOut> for ExportActor {
    fn from(a: &ActorOut) -> ExportActor {
        ExportActor {
            name: a.name.clone(),
            role: a.role.clone(),
            inter: a.inter,
            country: a.country.clone(),
            person: a.person,
        }
    }
}

impl ExportEvent {
    /// An event of an article just coded; `number` is its place in the
    /// export (1, 2, ...), `text` the text its spans point into.
    pub fn from_output(out: &Output, e: &EventOut, text: &str, number: u64) -> ExportEvent {
        let doc = &out.document;
        let notes: Vec<&str> = e
            .evidence
            .iter()
            .filter_map(|s| text.get(s[0]..s[1]))
            .collect();
        ExportEvent {
            id: format!("{}-{}", doc.id.get(..12).unwrap_or(&doc.id), e.id),
            number,
            date: e.date.clone(),
            date_precision: e.date_precision.clone(),
            event_type: e.acled_event_type.clone(),
            sub_event_type: e.acled_sub_event_type.clone(),
            disorder_type: e.disorder_type.clone(),
            cameo: e.cameo.clone(),
            plover: e.plover.clone(),
            plover_mode: e.plover_mode.clone(),
            actors: e.actors.iter().map(ExportActor::from).collect(),
            location: e.location.as_ref().map(|l| ExportPlace {
                name: l.name.clone(),
                country: l.country.clone(),
                admin1: l.admin1.clone(),
                admin2: l.admin2.clone(),
                admin3: None,
                lat: l.lat,
                lon: l.lon,
                geonames_id: l.geonames_id,
                precision: l.precision,
                mention: l.mention.clone(),
            }),
            fatalities: e.fatalities.as_ref().map(Counts::from),
            injured: e.injured.as_ref().map(Counts::from),
            arrested: e.arrested.as_ref().map(Counts::from),
            claimed_by: e.claimed_by.clone(),
            notes: notes.join(" "),
            sources: vec![ExportSource {
                outlet: outlet(doc.url.as_deref(), &doc.source),
                url: doc.url.clone(),
                document: doc.id.clone(),
                title: doc.title.clone(),
                published: doc.reference_date.clone(),
            }],
            background: e.status == "background",
            confidence: e.confidence,
            corrected: None,
        }
    }

    /// ACLED's two sides: the acting actors first (actor1, then its
    /// associates), the targets and any further participant second (a
    /// clash's other party).
    pub fn sides(&self) -> (Vec<&ExportActor>, Vec<&ExportActor>) {
        let first: Vec<&ExportActor> = self.actors.iter().filter(|a| a.acts()).collect();
        let second: Vec<&ExportActor> = self
            .actors
            .iter()
            .filter(|a| a.role == "target")
            .chain(
                first
                    .iter()
                    .skip(1)
                    .filter(|a| a.role == "participant")
                    .copied(),
            )
            .collect();
        let first = first
            .iter()
            .enumerate()
            .filter(|(k, a)| *k == 0 || a.role != "participant")
            .map(|(_, a)| *a)
            .collect();
        (first, second)
    }

    /// The date as a full day, as ACLED writes a date it knows only
    /// roughly: the middle of the month for a month ("only the month is
    /// known (mid-month is used)"), the middle of the year (1 July) for a
    /// year; `date_precision` keeps how rough it is.
    pub fn full_date(&self) -> Option<String> {
        let d = self.date.as_deref()?;
        Some(match d.len() {
            7 => format!("{d}-15"),
            4 => format!("{d}-07-01"),
            _ => d.to_string(),
        })
    }

    /// The event's country (ISO2): its place's, else its first actor's.
    pub fn country(&self) -> Option<&str> {
        self.location
            .as_ref()
            .map(|l| l.country.as_str())
            .filter(|c| !c.trim().is_empty())
            .or_else(|| self.actors.iter().find_map(|a| a.country.as_deref()))
    }
}

/// The outlet of a document: its URL's host without "www.", else the file
/// name of its source (the path stays in `source`).
pub fn outlet(url: Option<&str>, source: &str) -> String {
    let host = url.and_then(|u| {
        let rest = u.split_once("://").map(|(_, r)| r)?;
        let authority = rest.split(['/', '?', '#']).next()?;
        let host = authority.rsplit('@').next()?.split(':').next()?;
        (!host.is_empty()).then(|| host.trim_start_matches("www.").to_ascii_lowercase())
    });
    host.unwrap_or_else(|| {
        let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
        if name.is_empty() { source } else { name }.to_string()
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn outlets() {
        assert_eq!(
            outlet(Some("https://www.Dawn.com/news/1?x=1"), "x"),
            "dawn.com"
        );
        assert_eq!(outlet(Some("http://user@host:8080/a"), "x"), "host");
        assert_eq!(outlet(None, "examples/a.txt"), "a.txt");
        assert_eq!(outlet(None, "-"), "-");
    }

    fn actor(name: &str, role: &str, inter: u8) -> ExportActor {
        ExportActor {
            name: name.into(),
            role: role.into(),
            inter,
            country: None,
            person: false,
        }
    }

    #[test]
    fn rough_dates_become_acleds_days() {
        let mut e = sample_event();
        assert_eq!(e.full_date().as_deref(), Some("2025-10-16"));
        e.date = Some("2024-02".into());
        assert_eq!(e.full_date().as_deref(), Some("2024-02-15"));
        e.date = Some("2013".into());
        assert_eq!(e.full_date().as_deref(), Some("2013-07-01"));
        e.date = None;
        assert_eq!(e.full_date(), None);
    }

    #[test]
    fn a_clash_puts_its_second_party_on_the_second_side() {
        let mut e = sample_event();
        e.actors = vec![
            actor("Army", "participant", 1),
            actor("Rebels", "participant", 2),
            actor("Allied militia", "perpetrator", 3),
            actor("Civilians", "target", 7),
        ];
        let (first, second) = e.sides();
        let names = |v: Vec<&ExportActor>| v.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(first), ["Army", "Allied militia"]);
        assert_eq!(names(second), ["Civilians", "Rebels"]);
    }

    /// A located, dated event for the writers' tests.
    pub(crate) fn sample_event() -> ExportEvent {
        ExportEvent {
            id: "4".into(),
            number: 4,
            date: Some("2025-10-16".into()),
            date_precision: Some("day".into()),
            event_type: Some("Explosions/Remote violence".into()),
            sub_event_type: Some("Suicide bomb".into()),
            disorder_type: Some("Political violence".into()),
            cameo: "183".into(),
            plover: "ASSAULT".into(),
            plover_mode: Some("suicide-attack".into()),
            actors: vec![
                ExportActor {
                    country: Some("PK".into()),
                    ..actor("Unidentified Armed Group (Pakistan)", "perpetrator", 3)
                },
                ExportActor {
                    country: Some("PK".into()),
                    ..actor("Police Forces of Pakistan", "target", 1)
                },
            ],
            location: Some(ExportPlace {
                name: "Dera Ismail Khan".into(),
                country: "PK".into(),
                admin1: Some("Khyber Pakhtunkhwa".into()),
                admin2: None,
                admin3: None,
                lat: 31.83,
                lon: 70.9,
                geonames_id: Some(1180281),
                precision: 1,
                mention: "Dera Ismail Khan".into(),
            }),
            fatalities: Some(Counts {
                low: 11,
                best: 11,
                high: 13,
            }),
            injured: None,
            arrested: None,
            claimed_by: vec![],
            notes: "A suicide bomber killed 11.".into(),
            sources: vec![ExportSource {
                outlet: "dawn.com".into(),
                url: Some("https://www.dawn.com/x".into()),
                document: "abc".into(),
                title: None,
                published: Some("2025-10-16".into()),
            }],
            background: false,
            confidence: 0.8,
            corrected: None,
        }
    }
}
