//! ACLED CSV in the layouts ACLED's own files and tools use.
//!
//! - `download` (default): the 31 columns of ACLED's current export (the
//!   Data Export Tool and the API's CSV since 2023; column list as in
//!   ACLED's R client, `dtacled/acledR` tests), `event_date` as YYYY-MM-DD
//!   (ACLED codebook: "Recorded as Year-Month-Day"), `inter1`, `inter2`
//!   and `interaction` as numeric codes.
//! - `api`: the same columns as the API returns them by default
//!   (`inter_num=0`): actor types and interactions as words ("State
//!   Forces", "State Forces-Civilians", "Sole Protesters"), as acledR's
//!   `acled_transform_interaction` writes them.
//! - `classic`: the 31 columns of ACLED's files before 2023 (`data_id`,
//!   `event_id_no_cnty`, `region` before `country`, `iso3` last, no
//!   `disorder_type`, `civilian_targeting` or `tags`), dates as "21 March
//!   2020": what older scripts, and the dev sets warcoder is scored on, read.

use std::io::{self, Write};

use warcoder_core::ontology::{AcledCountry, Ontology};

use crate::record::{ExportActor, ExportEvent};
use crate::{csv_row, CsvCells, EventSink};

/// Columns of ACLED's current export, in its order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// Columns of ACLED's files before 2023, in their order.
pub const CLASSIC_COLUMNS: [&str; 31] = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AcledLayout {
    #[default]
    Download,
    Api,
    Classic,
}

impl AcledLayout {
    pub fn columns(self) -> &'static [&'static str; 31] {
        match self {
            AcledLayout::Download | AcledLayout::Api => &ACLED_COLUMNS,
            AcledLayout::Classic => &CLASSIC_COLUMNS,
        }
    }
}

/// What every row of one export shares.
#[derive(Clone, Copy)]
pub struct AcledContext<'a> {
    pub ontology: &'a Ontology,
    pub layout: AcledLayout,
    /// ACLED's `timestamp` (when the row was last changed): the Unix time
    /// of the export.
    pub timestamp: i64,
}

/// Whether ACLED codes the event at all: acts it does not code (talks, a
/// claim of responsibility) have no ACLED type, a PLOVER and CAMEO one
/// only, and no row in an ACLED file.
pub fn codes(ev: &ExportEvent) -> bool {
    ev.event_type.as_deref().is_some_and(|t| !t.is_empty())
}

/// The stderr line for events left out of an ACLED file.
pub fn uncoded_summary(n: usize) -> String {
    format!(
        "acled: {n} event{} with no ACLED type (acts ACLED does not code) left out; --format plover or jsonl has them",
        if n == 1 { "" } else { "s" }
    )
}

/// ACLED CSV: the layout's header, then one row per event ACLED codes;
/// the others are counted and told in the summary.
pub struct AcledWriter<'a> {
    cx: AcledContext<'a>,
    cells: CsvCells,
    uncoded: usize,
}

impl<'a> AcledWriter<'a> {
    pub fn new(cx: AcledContext<'a>, cells: CsvCells) -> Self {
        AcledWriter {
            cx,
            cells,
            uncoded: 0,
        }
    }
}

impl EventSink for AcledWriter<'_> {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        csv_row(w, self.cx.layout.columns())
    }

    fn event(&mut self, w: &mut dyn Write, ev: &ExportEvent) -> io::Result<()> {
        if !codes(ev) {
            self.uncoded += 1;
            return Ok(());
        }
        csv_row(w, self.cells.record(row(ev, &self.cx)))
    }

    fn summary(&self) -> Option<String> {
        (self.uncoded > 0).then(|| uncoded_summary(self.uncoded))
    }
}

/// The event's row in the context's layout.
pub fn row(ev: &ExportEvent, cx: &AcledContext) -> Vec<String> {
    let cells = Cells::new(ev, cx);
    cx.layout
        .columns()
        .iter()
        .map(|column| cells.get(column))
        .collect()
}

/// One row's values by column name.
struct Cells<'a> {
    ev: &'a ExportEvent,
    cx: &'a AcledContext<'a>,
    country: Option<&'a AcledCountry>,
    first: Vec<&'a ExportActor>,
    second: Vec<&'a ExportActor>,
}

impl<'a> Cells<'a> {
    fn new(ev: &'a ExportEvent, cx: &'a AcledContext<'a>) -> Self {
        let country = ev.country().and_then(|c| cx.ontology.country(c));
        let (first, second) = ev.sides();
        let keep = |side: Vec<&'a ExportActor>| -> Vec<&'a ExportActor> {
            side.into_iter()
                .filter(|a| !a.person || group_of_person(a, cx.ontology, country).is_some())
                .collect()
        };
        Cells {
            ev,
            cx,
            country,
            first: keep(first),
            second: keep(second),
        }
    }

    fn get(&self, column: &str) -> String {
        let ev = self.ev;
        let place = ev.location.as_ref();
        let opt = |v: Option<&String>| v.cloned().unwrap_or_default();
        match column {
            "data_id" | "event_id_no_cnty" => ev.number.to_string(),
            "event_id_cnty" => format!(
                "{}{}",
                self.country.map_or("XXX", |c| c.iso3.as_str()),
                ev.number
            ),
            "event_date" => self.date(),
            "year" => ev
                .date
                .as_deref()
                .and_then(|d| d.get(..4))
                .unwrap_or("")
                .into(),
            "time_precision" => time_precision(ev.date_precision.as_deref()).into(),
            "disorder_type" => opt(ev.disorder_type.as_ref()),
            "event_type" => opt(ev.event_type.as_ref()),
            "sub_event_type" => opt(ev.sub_event_type.as_ref()),
            "actor1" => self.actor_name(self.first.first()),
            "assoc_actor_1" => self.names(self.first.iter().skip(1)),
            "inter1" => self.inter(self.first.first()),
            "actor2" => self.actor_name(self.second.first()),
            "assoc_actor_2" => self.names(self.second.iter().skip(1)),
            "inter2" => self.inter(self.second.first()),
            "interaction" => self.interaction(),
            "civilian_targeting" => {
                let civilians = ev.actors.iter().any(|a| a.role == "target" && a.inter == 7);
                if civilians { "Civilian targeting" } else { "" }.into()
            }
            "iso" => self
                .country
                .map(|c| c.iso_numeric.to_string())
                .unwrap_or_default(),
            "iso3" => self.country.map(|c| c.iso3.clone()).unwrap_or_default(),
            "region" => self.country.map(|c| c.region.clone()).unwrap_or_default(),
            "country" => match (self.country, place) {
                (Some(c), _) => c.name.clone(),
                (None, Some(p)) => p.country.clone(),
                (None, None) => String::new(),
            },
            "admin1" => opt(place.and_then(|p| p.admin1.as_ref())),
            "admin2" => opt(place.and_then(|p| p.admin2.as_ref())),
            "admin3" => opt(place.and_then(|p| p.admin3.as_ref())),
            "location" => place.map(|p| p.name.clone()).unwrap_or_default(),
            "latitude" => place.map(|p| format!("{:.4}", p.lat)).unwrap_or_default(),
            "longitude" => place.map(|p| format!("{:.4}", p.lon)).unwrap_or_default(),
            "geo_precision" => place.map(|p| p.precision.to_string()).unwrap_or_default(),
            "source" => ev
                .sources
                .iter()
                .map(|s| s.outlet.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            "source_scale" => self.source_scale(),
            "notes" => ev.notes.clone(),
            "fatalities" => ev.fatalities.map_or(0, |f| f.best).to_string(),
            "tags" => self.tags(),
            "timestamp" => self.cx.timestamp.to_string(),
            other => unreachable!("no ACLED column {other}"),
        }
    }

    fn date(&self) -> String {
        let Some(date) = self.ev.full_date() else {
            return String::new();
        };
        match self.cx.layout {
            AcledLayout::Classic => date
                .parse::<jiff::civil::Date>()
                .map(|d| d.strftime("%d %B %Y").to_string())
                .unwrap_or(date),
            _ => date,
        }
    }

    /// ACLED's name of an actor: a person is replaced by the government
    /// they speak for ("Government of Pakistan"), as ACLED codes groups.
    fn actor_name(&self, a: Option<&&ExportActor>) -> String {
        match a {
            None => String::new(),
            Some(a) if a.person => {
                group_of_person(a, self.cx.ontology, self.country).unwrap_or_default()
            }
            Some(a) => a.name.clone(),
        }
    }

    fn names<'b>(&self, actors: impl Iterator<Item = &'b &'b ExportActor>) -> String {
        let mut names: Vec<String> = Vec::new();
        for a in actors {
            let name = self.actor_name(Some(a));
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
        names.join("; ")
    }

    fn inter(&self, a: Option<&&ExportActor>) -> String {
        match (a, self.cx.layout) {
            (None, _) => String::new(),
            (Some(a), AcledLayout::Api) => self.inter_label(a.inter),
            (Some(a), _) => a.inter.to_string(),
        }
    }

    fn inter_label(&self, inter: u8) -> String {
        self.cx
            .ontology
            .inter
            .get(&inter)
            .cloned()
            .unwrap_or_else(|| inter.to_string())
    }

    /// The two actor types, lowest first; "X0" when one side acts alone.
    fn interaction(&self) -> String {
        let (Some(a), b) = (self.first.first(), self.second.first()) else {
            return String::new();
        };
        let api = self.cx.layout == AcledLayout::Api;
        match b {
            None if api => format!("Sole {}", sole_label(&self.inter_label(a.inter))),
            None => format!("{}0", a.inter),
            Some(b) => {
                let (lo, hi) = (a.inter.min(b.inter), a.inter.max(b.inter));
                if api {
                    format!("{}-{}", self.inter_label(lo), self.inter_label(hi))
                } else {
                    format!("{lo}{hi}")
                }
            }
        }
    }

    /// ACLED's source scale from where each outlet is based: National (the
    /// event's country), Regional (its ACLED region), International;
    /// several joined as ACLED does ("National-International").
    fn source_scale(&self) -> String {
        const ORDER: [&str; 3] = ["National", "Regional", "International"];
        let mut found = [false; 3];
        for s in &self.ev.sources {
            let home = match self.cx.ontology.outlet_home(&s.outlet) {
                // A country-code domain counts only for a web address,
                // not for a file name such as "report.md".
                Some(h) if h.len() == 2 && s.url.is_none() => continue,
                Some(h) => h,
                None => continue,
            };
            let scale = match (home, self.country) {
                ("INT", _) => 2,
                (h, Some(c)) if h == c.iso2 => 0,
                (h, Some(c)) => {
                    let same_region = self
                        .cx
                        .ontology
                        .country(h)
                        .is_some_and(|o| o.region == c.region);
                    if same_region {
                        1
                    } else {
                        2
                    }
                }
                (_, None) => continue,
            };
            found[scale] = true;
        }
        ORDER
            .iter()
            .zip(found)
            .filter(|(_, f)| *f)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join("-")
    }

    fn tags(&self) -> String {
        let mut tags: Vec<String> = Vec::new();
        if self.ev.background {
            tags.push("background".into());
        }
        if let Some(fields) = &self.ev.corrected {
            tags.push(format!("corrected by an analyst: {fields}"));
        }
        tags.join("; ")
    }
}

/// "Sole External/Other Forces" is "Sole Others" in ACLED's words.
fn sole_label(label: &str) -> &str {
    if label.starts_with("External") {
        "Others"
    } else {
        label
    }
}

/// The government a person acts for, named as ACLED names governments
/// (without the term dates ACLED adds, which the text does not give): the
/// person's country, else the event's.
fn group_of_person(
    a: &ExportActor,
    ontology: &Ontology,
    event_country: Option<&AcledCountry>,
) -> Option<String> {
    let country = a
        .country
        .as_deref()
        .and_then(|c| ontology.country(c))
        .or(event_country)?;
    Some(format!("Government of {}", country.name))
}

/// ACLED time_precision: 1 day, 2 week, 3 month (or coarser).
fn time_precision(p: Option<&str>) -> &'static str {
    match p {
        Some("day") => "1",
        Some("week") => "2",
        Some(_) => "3",
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::sample_event;
    use crate::record::{ExportActor, ExportSource};
    use crate::write_events;

    fn context(ontology: &Ontology, layout: AcledLayout) -> AcledContext<'_> {
        AcledContext {
            ontology,
            layout,
            timestamp: 1_760_000_000,
        }
    }

    /// Events that exercise every column: a one-sided attack, a clash, a
    /// protest with no second side, an official speaking for Nigeria,
    /// an event with no place.
    fn events() -> Vec<ExportEvent> {
        let actor = |name: &str, role: &str, inter: u8, country: &str, person: bool| ExportActor {
            name: name.into(),
            role: role.into(),
            inter,
            country: Some(country.into()).filter(|c: &String| !c.is_empty()),
            person,
        };
        let mut clash = sample_event();
        clash.number = 5;
        clash.event_type = Some("Battles".into());
        clash.sub_event_type = Some("Armed clash".into());
        clash.actors = vec![
            actor("Military Forces of Pakistan", "participant", 1, "PK", false),
            actor("Tehreek-e-Taliban Pakistan", "participant", 2, "", false),
        ];
        let mut protest = sample_event();
        protest.number = 6;
        protest.event_type = Some("Protests".into());
        protest.sub_event_type = Some("Peaceful protest".into());
        protest.actors = vec![actor(
            "Protesters (Pakistan)",
            "participant",
            6,
            "PK",
            false,
        )];
        protest.sources.push(ExportSource {
            outlet: "reuters.com".into(),
            url: Some("https://www.reuters.com/x".into()),
            ..protest.sources[0].clone()
        });
        let mut official = sample_event();
        official.number = 7;
        official.actors = vec![
            actor("Bola Tinubu", "perpetrator", 1, "NG", true),
            actor("Civilians (Pakistan)", "target", 7, "PK", false),
        ];
        let mut unlocated = sample_event();
        unlocated.number = 8;
        unlocated.location = None;
        vec![sample_event(), clash, protest, official, unlocated]
    }

    fn read_back(layout: AcledLayout) -> (Vec<String>, Vec<csv::StringRecord>) {
        let ontology = Ontology::embedded();
        let mut out = Vec::new();
        let mut sink = AcledWriter::new(context(&ontology, layout), CsvCells::Raw);
        write_events(&mut out, &mut sink, &events()).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        let head = r.headers().unwrap().iter().map(String::from).collect();
        (head, r.records().map(Result::unwrap).collect())
    }

    #[test]
    fn every_layout_reads_back_with_acleds_columns_and_vocabularies() {
        let o = Ontology::embedded();
        let labels: Vec<&String> = o.inter.values().collect();
        for layout in [
            AcledLayout::Download,
            AcledLayout::Api,
            AcledLayout::Classic,
        ] {
            let (head, rows) = read_back(layout);
            assert_eq!(head, layout.columns(), "{layout:?}");
            assert_eq!(rows.len(), events().len());
            for row in &rows {
                let col =
                    |name: &str| row[head.iter().position(|h| h == name).unwrap()].to_string();
                let sub = o
                    .sub_event(&col("sub_event_type"))
                    .expect("a known sub-event type");
                assert_eq!(sub.event_type, col("event_type"));
                for inter in ["inter1", "inter2"]
                    .map(col)
                    .iter()
                    .filter(|s| !s.is_empty())
                {
                    match layout {
                        AcledLayout::Api => assert!(labels.contains(&inter), "{inter}"),
                        _ => assert!(matches!(inter.parse::<u8>(), Ok(1..=8)), "{inter}"),
                    }
                }
                let interaction = col("interaction");
                match layout {
                    AcledLayout::Api => assert!(
                        interaction.starts_with("Sole ")
                            || labels.iter().any(|l| interaction.starts_with(l.as_str())),
                        "{interaction}"
                    ),
                    _ => {
                        let digits: Vec<u32> =
                            interaction.chars().filter_map(|c| c.to_digit(10)).collect();
                        assert!(digits.len() == 2 && (digits[1] == 0 || digits[0] <= digits[1]));
                    }
                }
                if !col("country").is_empty() {
                    let c = o.country("PK").unwrap();
                    assert_eq!(col("iso"), c.iso_numeric.to_string());
                    assert!(o.regions().contains(&col("region").as_str()));
                    assert_eq!(col("region"), c.region);
                    assert!(col("event_id_cnty").starts_with(&c.iso3));
                }
                let date = col("event_date");
                match layout {
                    AcledLayout::Classic => assert_eq!(date, "16 October 2025"),
                    _ => assert_eq!(date, "2025-10-16"),
                }
                assert_eq!(col("timestamp"), "1760000000");
            }
        }
    }

    #[test]
    fn acled_names_and_scales() {
        let (head, rows) = read_back(AcledLayout::Api);
        let col = |k: usize, name: &str| {
            rows[k][head.iter().position(|h| h == name).unwrap()].to_string()
        };
        assert_eq!(col(1, "interaction"), "State Forces-Rebel Groups");
        assert_eq!(col(1, "actor2"), "Tehreek-e-Taliban Pakistan");
        assert_eq!(col(2, "interaction"), "Sole Protesters");
        assert_eq!(col(2, "source_scale"), "National-International");
        assert_eq!(col(0, "source_scale"), "National");
        // A person is never an actor: the government they speak for is.
        assert_eq!(col(3, "actor1"), "Government of Nigeria");
        assert_eq!(col(3, "civilian_targeting"), "Civilian targeting");
        assert_eq!(col(4, "event_id_cnty"), "PAK8");
        assert_eq!(col(4, "location"), "");
        let (head, rows) = read_back(AcledLayout::Download);
        let col = |k: usize, name: &str| {
            rows[k][head.iter().position(|h| h == name).unwrap()].to_string()
        };
        assert_eq!(
            (col(1, "inter1"), col(1, "interaction")),
            ("1".into(), "12".into())
        );
        assert_eq!(col(2, "interaction"), "60");
    }

    /// `ONTOLOGIES.md` (shared/ontology/) lists ACLED's export columns (c7),
    /// its event and sub-event types (c3) and actor types (c4): the layouts
    /// and data/ontology/ must say the same.
    #[test]
    fn columns_and_vocabularies_match_ontologies_md() {
        let Some(md) = crate::ontologies_md() else {
            println!("SKIPPED: shared/ontology/ONTOLOGIES.md not found");
            return;
        };
        let line = md
            .lines()
            .find(|l| l.contains("**ACLED (31, in export order)**"))
            .expect("the ACLED column list");
        let list = line
            .split("**: ")
            .nth(1)
            .unwrap()
            .split(" (")
            .next()
            .unwrap();
        let columns: Vec<&str> = list.split(", ").collect();
        assert_eq!(columns, ACLED_COLUMNS);
        let o = Ontology::embedded();
        let cells = |l: &str| -> Vec<String> {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        };
        let mut pairs = 0;
        for l in md.lines().filter(|l| l.starts_with("| ")) {
            let c = cells(l);
            if o.event_types.contains(&c[0]) && c.len() > 2 {
                let sub = o
                    .sub_event(&c[1])
                    .unwrap_or_else(|| panic!("{} unknown", c[1]));
                assert_eq!(sub.event_type, c[0]);
                pairs += 1;
            }
            if let (Ok(code @ 1..=8), true) = (c[0].parse::<u8>(), c.len() == 3) {
                assert_eq!(o.inter[&code], c[1], "inter {code}");
            }
        }
        assert_eq!(pairs, 25);
    }
}
