//! warcoder: news text about political violence in, structured, geocoded,
//! source-attributed events out.
//!
//! A [`model::Document`] flows through the stages, each a plain function
//! that adds annotations pointing into the immutable text:
//!
//! ```text
//! source -> clean -> segment -> recognise -> resolve (mentions) -> assemble
//!        -> consolidate (frame dates, merging, coding) -> learned -> sink
//! ```
//!
//! Lexicons and the gazetteer are data under `data/`, compiled once into a
//! [`Resources`] value shared read-only by every thread. How a run is asked
//! for ([`config::Config`]) is an argument: the core reads no environment,
//! no file and no stream.

pub mod assemble;
pub mod budget;
pub mod clean;
pub mod config;
pub mod consolidate;
pub mod gazetteer;
mod gaztables;
pub mod geokey;
pub mod glossary;
pub mod language;
pub mod learned;
pub mod lexicon;
pub mod model;
pub mod ontology;
pub mod output;
pub mod pipeline;
pub mod recognise;
pub mod resolve;
pub mod scaling;
pub mod segment;
pub mod source;
pub mod text;
pub mod trace;

/// The data compiled into the core and their licences: what `warcoder
/// --version` and the Python package's `__credits__` show (a macro so that
/// `concat!` can build the version text at compile time).
#[macro_export]
macro_rules! credits {
    () => {
        concat!(
            "Gazetteer derived from GeoNames (https://www.geonames.org/), licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).\n",
            "Learned models trained on data from the Armed Conflict Location & Event Data Project (ACLED; https://acleddata.com), used under its terms of use.\n",
            "Village places derived from ACLED data (Armed Conflict Location & Event Data Project, https://acleddata.com), used under its terms of use.\n",
            "Given names: US Census 1990 first names via PyPI names 0.3.0 (MIT)."
        )
    };
}

use std::sync::OnceLock;

use model::{BlockKind, Document};
use output::*;
use pipeline::{Pipeline, Products};

/// Everything the pipeline reads besides the text: compiled once.
pub struct Resources {
    pub actors: recognise::actors::ActorLexicon,
    pub triggers: recognise::triggers::TriggerLexicon,
    pub attributions: recognise::attributions::AttributionLexicon,
    pub place_cues: recognise::places::PlaceCues,
    pub persons: recognise::persons::PersonLexicon,
    pub toll_words: recognise::tolls::words::TollWords,
    pub gazetteer: gazetteer::Gazetteer,
    pub ontology: ontology::Ontology,
    pub models: learned::Models,
    /// The learned place-candidate ranker (`resolve::ranker`); None: the
    /// hand score orders the readings.
    pub place_ranker: Option<warcoder_learn::LinearModel>,
    pub date_conventions: resolve::dates::DateConventions,
}

impl Resources {
    /// Build the resources from the data compiled into the binary, with
    /// the built-in gazetteer (no overlay: the same in every process).
    pub fn embedded() -> Self {
        Self::with_gazetteer(gazetteer::Gazetteer::builtin())
    }

    /// The data compiled into the binary with `gazetteer`: the built-in one
    /// with the user's overlay on top, which the caller found and read.
    pub fn with_gazetteer(gazetteer: gazetteer::Gazetteer) -> Self {
        Resources {
            actors: recognise::actors::ActorLexicon::embedded(),
            triggers: recognise::triggers::TriggerLexicon::from_tsv(include_str!(
                "../../../data/lexicon/triggers.tsv"
            )),
            attributions: recognise::attributions::AttributionLexicon::from_tsv(include_str!(
                "../../../data/lexicon/attribution.tsv"
            )),
            place_cues: recognise::places::PlaceCues::from_tsv(include_str!(
                "../../../data/lexicon/place_cues.tsv"
            )),
            persons: recognise::persons::PersonLexicon::from_tsv(
                include_str!("../../../data/lexicon/given_names.tsv"),
                include_str!("../../../data/lexicon/surnames.tsv"),
                include_str!("../../../data/lexicon/person_cues.tsv"),
            ),
            toll_words: recognise::tolls::words::TollWords::from_tsv(include_str!(
                "../../../data/lexicon/toll_words.tsv"
            )),
            gazetteer,
            ontology: ontology::Ontology::embedded(),
            models: learned::Models::embedded(),
            place_ranker: resolve::ranker::embedded(),
            date_conventions: resolve::dates::DateConventions::from_tsv(include_str!(
                "../../../data/lexicon/date_order.tsv"
            )),
        }
    }

    /// The process-wide shared [`Resources::embedded`], built on first use.
    pub fn shared() -> &'static Resources {
        static RES: OnceLock<Resources> = OnceLock::new();
        RES.get_or_init(Resources::embedded)
    }
}

/// Shown by name only: its tables are too large to print.
impl std::fmt::Debug for Resources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resources").finish_non_exhaustive()
    }
}

/// Run the stages up to (and including) mention resolution.
pub fn annotate(doc: &mut Document, res: &Resources) {
    try_annotate(doc, res, &budget::Meter::start(budget::Budget::unlimited()))
        .expect("an unlimited budget is never exceeded");
}

/// [`annotate`] within a budget: caps checked after segmentation (before
/// the rules that cost most per token) and after recognition, time between
/// stages (see [`pipeline`]).
pub fn try_annotate(
    doc: &mut Document,
    res: &Resources,
    meter: &budget::Meter,
) -> Result<(), budget::OverBudget> {
    Pipeline::ANNOTATE.run(doc, &mut Products::default(), res, meter)
}

/// The stages up to the rules' events, before the learned models: what
/// `warcoder train` reads its features from.
pub fn rule_events(
    doc: &mut Document,
    res: &Resources,
    diagnostics: &config::Diagnostics,
) -> (Vec<EventOut>, Vec<AggregateOut>) {
    let mut products = Products::default();
    let unlimited = budget::Meter::start(budget::Budget::unlimited());
    Pipeline::RULES
        .run_timed(
            doc,
            &mut products,
            res,
            &unlimited,
            diagnose(diagnostics, res),
        )
        .expect("an unlimited budget is never exceeded");
    (products.events, products.aggregates)
}

/// What runs after each stage to hand the caller the debugging text it
/// asked for: the mentions once resolved, the frames once assembled.
fn diagnose<'a>(
    diagnostics: &'a config::Diagnostics,
    res: &'a Resources,
) -> impl FnMut(&pipeline::Stage, &Document, &Products, std::time::Duration) + 'a {
    move |stage, doc, products, _| match (stage.name, &products.assembly) {
        ("resolve", _) => {
            if let Some(report) = diagnostics.mentions {
                report(&trace::mentions(doc, res));
            }
        }
        ("assemble", Some(asm)) => {
            if let Some(report) = diagnostics.frames {
                report(&trace::frames(doc, asm));
            }
        }
        _ => {}
    }
}

/// The whole pipeline for one document.
pub fn extract(doc: Document, res: &Resources) -> Output {
    try_extract(doc, res, budget::Budget::unlimited())
        .expect("an unlimited budget is never exceeded")
}

/// The whole pipeline for one document, within a budget: a document over
/// it is an error naming the cap, never a hang. Every document is read as
/// English; [`try_extract_with`] can leave other languages uncoded.
pub fn try_extract(
    doc: Document,
    res: &Resources,
    budget: budget::Budget,
) -> Result<Output, budget::OverBudget> {
    try_extract_with(doc, res, &config::Config::new(budget))
}

/// [`try_extract`], and each learned event type says which words and facts
/// weighed most for it (`type_explanation`: provenance for the learned
/// part as the spans are for the rest).
pub fn try_extract_explained(
    doc: Document,
    res: &Resources,
    budget: budget::Budget,
) -> Result<Output, budget::OverBudget> {
    let config = config::Config {
        explain: true,
        ..config::Config::new(budget)
    };
    try_extract_with(doc, res, &config)
}

/// The whole pipeline for one document as `config` asks: within its
/// budget, for the documents its `languages` admits (a document in another
/// language is not coded: no events, and `document.not_coded_language`
/// says which it is in), explaining the learned types when `explain`,
/// handing over the diagnostics it asks for.
pub fn try_extract_with(
    mut doc: Document,
    res: &Resources,
    config: &config::Config,
) -> Result<Output, budget::OverBudget> {
    if config.languages == language::Languages::EnglishOnly {
        if let Some(other) = language::other_language(&doc.text) {
            let mut document = document_out(&doc);
            document.not_coded_language = Some(other);
            return Ok(Output {
                schema_version: SCHEMA_VERSION,
                document,
                events: Vec::new(),
                aggregates: Vec::new(),
            });
        }
    }
    let meter = budget::Meter::start(config.budget);
    let mut products = Products {
        explain: config.explain,
        propose: config.propose,
        ..Products::default()
    };
    Pipeline::FULL.run_timed(
        &mut doc,
        &mut products,
        res,
        &meter,
        diagnose(&config.diagnostics, res),
    )?;
    Ok(Output {
        schema_version: SCHEMA_VERSION,
        document: document_out(&doc),
        events: products.events,
        aggregates: products.aggregates,
    })
}

/// A document for a piece of plain text with no metadata.
pub fn plain_document(text: &str, reference_date: Option<jiff::civil::Date>) -> Document {
    let meta = model::InputMeta {
        source: "<text>".into(),
        reference_date: reference_date.map(model::GivenDate::fallback),
        ..Default::default()
    };
    Document::new(
        source::sha256_hex(text.as_bytes()),
        text.to_string(),
        model::SpanBasis::Input,
        meta,
    )
}

/// Annotate plain text up to resolved mentions (for tests and inspection).
pub fn annotate_text(
    text: &str,
    reference_date: Option<jiff::civil::Date>,
    res: &Resources,
) -> Document {
    let mut doc = plain_document(text, reference_date);
    annotate(&mut doc, res);
    doc
}

/// Code a piece of plain text (no metadata): the entry point for tests and scripts.
pub fn extract_text(
    text: &str,
    reference_date: Option<jiff::civil::Date>,
    res: &Resources,
) -> Output {
    extract(plain_document(text, reference_date), res)
}

fn document_out(doc: &Document) -> DocumentOut {
    let removed = doc
        .blocks
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::Removed(reason) => Some(RemovedOut {
                span: b.span,
                reason,
            }),
            _ => None,
        })
        .collect();
    let f = &doc.facts;
    DocumentOut {
        id: doc.id.clone(),
        input_id: doc.meta.input_id.clone(),
        source: doc.meta.source.clone(),
        url: doc.meta.url.clone(),
        title: f.title.clone().or_else(|| doc.meta.title.clone()),
        standfirst: f.standfirst.clone(),
        caption: f.caption.clone(),
        dateline: f.dateline.clone(),
        reference_date: f.reference_date.map(|d| d.to_string()),
        reference_date_from: f.reference_date_from.map(String::from),
        span_basis: match doc.span_basis {
            model::SpanBasis::Input => "input".into(),
            model::SpanBasis::ExtractedText => "extracted_text".into(),
            model::SpanBasis::DecodedText => "decoded_text".into(),
        },
        text: (doc.span_basis != model::SpanBasis::Input).then(|| doc.text.clone()),
        removed,
        warnings: doc.warnings.clone(),
        not_coded_language: None,
    }
}

/// Every place mention of a document, resolved or not, with its candidates.
pub fn places(mut doc: Document, res: &Resources, with_candidates: bool) -> PlacesOut {
    annotate(&mut doc, res);
    let g = &res.gazetteer;
    let places = doc
        .places
        .iter()
        .map(|m| {
            let r = m.resolved.as_ref();
            let e = r.map(|r| g.entry(r.entry));
            PlaceOut {
                span: m.span,
                text: doc.slice(m.span).to_string(),
                geonameid: e.and_then(|e| e.geonameid),
                name: e.map(|e| e.name.to_string()),
                country: e.map(|e| e.country_code().to_string()),
                admin1: e.and_then(|e| g.admin1_name(e)),
                admin2: e.and_then(|e| g.admin2_of(e).map(|a| a.name.to_string())),
                lat: e.map(|e| e.lat),
                lon: e.map(|e| e.lon),
                feature_code: e.map(|e| e.feature_code.to_string()),
                score: r.map(|r| r.score),
                precision: r.map(|r| r.precision),
                candidates: if with_candidates {
                    r.map(|r| {
                        r.candidates
                            .iter()
                            .map(|c| {
                                let ce = g.entry(c.entry);
                                CandidateOut {
                                    geonameid: ce.geonameid,
                                    name: ce.name.to_string(),
                                    country: ce.country_code().to_string(),
                                    feature_code: ce.feature_code.to_string(),
                                    score: c.score,
                                    evidence: c.evidence.iter().map(|s| s.to_string()).collect(),
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    PlacesOut {
        input_id: doc.meta.input_id.clone(),
        source: doc.meta.source.clone(),
        places,
    }
}

/// Attribution text for `--version` and the README.
pub const ATTRIBUTION: &str = "Gazetteer derived from GeoNames (https://www.geonames.org/), licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).";

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    /// Words and marks of news about violence, with numbers, dates, places,
    /// brackets, quotes and non-Latin text: the recognisers' inputs.
    const PIECES: &[&str] = &[
        "Gunmen",
        "killed",
        "at least",
        "12",
        "two",
        "people",
        "in",
        "Kabul",
        "on",
        "Monday",
        ",",
        ".",
        "police",
        "said",
        "the Taliban",
        "attacked",
        "a",
        "checkpoint",
        "near",
        "Mogadishu",
        "(",
        ")",
        "\"",
        "wounded",
        "March 3",
        "2023",
        "10/4/2021",
        "—",
        "'s",
        "\n\n",
        "Al-Shabaab",
        "soldiers",
        "were",
        "injured",
        "Borno State",
        "according to",
        "the ministry",
        "é",
        "日本",
        "killed 2 killed 3",
        "dozens",
        "arrested",
        "protesters",
        "Sunday's",
        "1,200",
        "-",
        "said.",
        "on Feb. 18",
    ];

    fn news_like() -> impl Strategy<Value = String> {
        vec((prop::sample::select(PIECES), any::<bool>()), 0..120).prop_map(|parts| {
            let mut text = String::new();
            for (piece, space) in parts {
                text.push_str(piece);
                if space {
                    text.push(' ');
                }
            }
            text
        })
    }

    /// Every `span` and `evidence` range in the output lies inside the text
    /// and on character boundaries.
    fn check_spans(value: &serde_json::Value, text: &str) -> Result<(), TestCaseError> {
        let check = |range: &serde_json::Value| -> Result<(), TestCaseError> {
            let a = range[0].as_u64().unwrap() as usize;
            let b = range[1].as_u64().unwrap() as usize;
            prop_assert!(a <= b && b <= text.len(), "{a}..{b} of {}", text.len());
            prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
            Ok(())
        };
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("span", serde_json::Value::Array(_)) => check(v)?,
                        ("evidence", serde_json::Value::Array(list)) => {
                            for range in list {
                                check(range)?;
                            }
                        }
                        _ => check_spans(v, text)?,
                    }
                }
            }
            serde_json::Value::Array(list) => {
                for v in list {
                    check_spans(v, text)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    proptest! {

        #[test]
        fn news_like_text_codes_with_spans_inside_it(text in news_like()) {
            let out = extract_text(&text, None, Resources::shared());
            check_spans(&serde_json::to_value(&out).unwrap(), &text)?;
        }

        #[test]
        fn any_text_codes_without_a_panic(chars in vec(any::<char>(), 0..300)) {
            let text: String = chars.into_iter().collect();
            let out = extract_text(&text, None, Resources::shared());
            check_spans(&serde_json::to_value(&out).unwrap(), &text)?;
        }
    }
}
