//! Scoring warcoder against gold data: `warcoder eval`.
//!
//! The definitions are fixed in `../shared/eval/METRICS.md` so that scores
//! stay comparable from one version to the next; every function here cites
//! the rule it implements. Three gold shapes:
//!
//! - [`acled`]: ACLED export rows (`acled-csv`), the text is the cleaned `notes`;
//! - [`case`]: CASE 2021 task 2 snippets (`case-tsv`: `id \t text \t label`);
//! - [`geo`]: geoparsing corpora in the LGL/TR-News XML shape (`geo-xml`).
//!
//! Each module parses its gold file into records (a record that fails to
//! parse becomes a [`ParseFailure`], never silently dropped), runs the
//! pipeline on every record's text in parallel, and scores the output into a
//! [`Report`], which renders as a table for people or as JSON for scripts.
//! For ACLED rows, [`breakdown`] sorts each wrong fatalities and date value
//! into one category (missing, spurious, aggregate taken for an incident,
//! wrong day...), and the report adds event-type and inter1/inter2
//! confusions beside the sub-event one.

pub mod acled;
pub mod breakdown;
pub mod case;
pub mod geo;
pub mod report;

use std::path::Path;

use rayon::prelude::*;

pub use report::{
    Breakdown, Category, Confusion, ErrorExample, FieldError, ParseFailure, Report, Score,
};

use warcoder_core::output::{scored_among, EventOut, Output};
use warcoder_core::Resources;

/// The gold-file shapes `warcoder eval` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoldFormat {
    AcledCsv,
    CaseTsv,
    GeoXml,
}

impl GoldFormat {
    pub fn name(self) -> &'static str {
        match self {
            GoldFormat::AcledCsv => "acled-csv",
            GoldFormat::CaseTsv => "case-tsv",
            GoldFormat::GeoXml => "geo-xml",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "acled-csv" => Some(GoldFormat::AcledCsv),
            "case-tsv" => Some(GoldFormat::CaseTsv),
            "geo-xml" => Some(GoldFormat::GeoXml),
            _ => None,
        }
    }

    /// Inferred from the file extension: `.csv`, `.tsv`, `.xml`.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(GoldFormat::AcledCsv),
            "tsv" => Some(GoldFormat::CaseTsv),
            "xml" => Some(GoldFormat::GeoXml),
            _ => None,
        }
    }
}

/// A gold file that cannot be scored at all (unreadable, no header, not the
/// announced shape). Single bad records are [`ParseFailure`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{source_name}: {message}")]
    Format {
        source_name: String,
        message: String,
    },
}

impl EvalError {
    /// The gold file `source_name` is not of its announced shape.
    pub(crate) fn format(source_name: &str, message: impl Into<String>) -> Self {
        EvalError::Format {
            source_name: source_name.into(),
            message: message.into(),
        }
    }
}

/// How a run is limited, observed and coded.
pub struct Options<'a> {
    /// Score only the first N well-formed records.
    pub limit: Option<usize>,
    /// How many worst errors the report keeps.
    pub errors: usize,
    /// Called once per coded text (for a progress bar); must be thread-safe.
    pub tick: Option<&'a (dyn Fn() + Sync)>,
    /// How each text is coded (no budget: a gold text is never cut short).
    pub config: warcoder_core::config::Config,
}

impl Default for Options<'_> {
    /// Every record, no errors listed, no progress, coded as `extract` does
    /// by default but with no budget.
    fn default() -> Self {
        Options {
            limit: None,
            errors: 0,
            tick: None,
            config: warcoder_core::config::Config::new(warcoder_core::budget::Budget::unlimited()),
        }
    }
}

impl Options<'_> {
    pub(crate) fn tick(&self) {
        if let Some(t) = self.tick {
            t();
        }
    }

    /// The pipeline's output for `text` as [`Self::config`] codes it.
    pub(crate) fn code_text(
        &self,
        text: &str,
        res: &warcoder_core::Resources,
    ) -> warcoder_core::output::Output {
        let doc = warcoder_core::plain_document(text, None);
        warcoder_core::try_extract_with(doc, res, &self.config)
            .expect("an unlimited budget is never exceeded")
    }

    /// `code` run on every item in parallel, ticking once per item; the
    /// outputs in the items' order.
    pub(crate) fn code_each<T: Sync, O: Send>(
        &self,
        items: &[T],
        code: impl Fn(&T) -> O + Sync + Send,
    ) -> Vec<O> {
        items
            .par_iter()
            .map(|item| {
                let out = code(item);
                self.tick();
                out
            })
            .collect()
    }
}

/// Parse and score one gold file. `source_name` names it in messages.
pub fn evaluate(
    format: GoldFormat,
    source_name: &str,
    data: &[u8],
    res: &Resources,
    opts: &Options,
) -> Result<Report, EvalError> {
    match format {
        GoldFormat::AcledCsv => run(
            format,
            source_name,
            data,
            res,
            opts,
            acled::parse,
            acled::score,
        ),
        GoldFormat::CaseTsv => run(
            format,
            source_name,
            data,
            res,
            opts,
            case::parse,
            case::score,
        ),
        GoldFormat::GeoXml => run(format, source_name, data, res, opts, geo::parse, geo::score),
    }
}

/// A gold shape's parser: its well-formed records and the ones that failed.
type Parser<T> = fn(&str, &[u8]) -> Result<(Vec<T>, Vec<ParseFailure>), EvalError>;
/// A gold shape's scorer: fills the report [`run`] opened on the records.
type Scorer<T> = fn(&[T], &mut Report, &Resources, &Options);

/// The one flow of every gold shape: parse the file, open the report on its
/// well-formed records (cut to `--limit`) beside its parse failures, score.
fn run<T>(
    format: GoldFormat,
    source_name: &str,
    data: &[u8],
    res: &Resources,
    opts: &Options,
    parse: Parser<T>,
    score: Scorer<T>,
) -> Result<Report, EvalError> {
    let (mut records, failures) = parse(source_name, data)?;
    let mut report = Report::for_records(
        format.name(),
        source_name,
        &mut records,
        failures,
        opts.limit,
    );
    score(&records, &mut report, res, opts);
    Ok(report)
}

/// METRICS.md, "Choosing the event to score": the event with status "new"
/// and the highest confidence; the first such event on a tie.
pub fn scored_event(out: &Output) -> Option<&EventOut> {
    scored_among(&out.events)
}

/// The number of new events in an output (`incident_count`).
pub fn new_events(out: &Output) -> usize {
    out.events.iter().filter(|e| e.status == "new").count()
}

/// ACLED's 25 sub-event types, in the codebook's order (used to order
/// confusion matrices and to define the F1 classes of `case-tsv`).
pub const SUB_EVENT_TYPES: [&str; 25] = [
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
];

/// Label shown when the output has no new event to score.
pub const NO_EVENT: &str = "(no new event)";
/// Label shown when the scored event has no value for a field.
pub const NONE: &str = "(none)";

#[cfg(test)]
mod tests {
    use super::*;
    use warcoder_core::output::{DocumentOut, TriggerOut};

    pub(crate) fn event(status: &str, confidence: f32, sub: Option<&str>) -> EventOut {
        EventOut {
            id: format!("e{confidence}"),
            status: status.into(),
            date: None,
            date_precision: None,
            date_source: None,
            date_bound: None,
            acled_event_type: None,
            acled_sub_event_type: sub.map(String::from),
            type_explanation: Vec::new(),
            disorder_type: None,
            cameo: "190".into(),
            plover: "ASSAULT".into(),
            plover_mode: None,
            actors: vec![],
            location: None,
            fatalities: None,
            injured: None,
            missing: None,
            abducted: None,
            arrested: None,
            claimed_by: vec![],
            trigger: TriggerOut {
                text: "killed".into(),
                span: [0, 6],
                proposed: false,
            },
            evidence: vec![],
            confidence,
            type_confidence: None,
            relevance: None,
        }
    }

    pub(crate) fn output(events: Vec<EventOut>) -> Output {
        Output {
            schema_version: 1,
            document: DocumentOut {
                id: String::new(),
                input_id: None,
                source: String::new(),
                url: None,
                title: None,
                standfirst: None,
                caption: None,
                dateline: None,
                reference_date: None,
                reference_date_from: None,
                span_basis: "input".into(),
                text: None,
                removed: vec![],
                warnings: vec![],
                not_coded_language: None,
            },
            events,
            aggregates: vec![],
        }
    }

    #[test]
    fn scored_event_is_the_most_confident_new_one_first_on_tie() {
        let out = output(vec![
            event("background", 0.99, Some("Attack")),
            event("new", 0.7, Some("Armed clash")),
            event("new", 0.9, Some("Grenade")),
            event("new", 0.9, Some("Arrests")),
        ]);
        assert_eq!(
            scored_event(&out).unwrap().acled_sub_event_type.as_deref(),
            Some("Grenade")
        );
        assert_eq!(new_events(&out), 3);
        assert!(scored_event(&output(vec![event("background", 0.9, None)])).is_none());
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            GoldFormat::from_path(Path::new("a/b.CSV")),
            Some(GoldFormat::AcledCsv)
        );
        assert_eq!(
            GoldFormat::from_path(Path::new("x.tsv")),
            Some(GoldFormat::CaseTsv)
        );
        assert_eq!(
            GoldFormat::from_path(Path::new("x.xml")),
            Some(GoldFormat::GeoXml)
        );
        assert_eq!(GoldFormat::from_path(Path::new("x.txt")), None);
    }
}
