//! The output contract, schema_version 1 (DESIGN.md). Field names are the
//! contract: add fields freely, never rename or drop one without bumping
//! `SCHEMA_VERSION`. The learned fields (`type_confidence`, `relevance`,
//! `inter_confidence`) were added that way: optional, absent without models.

use serde::{Deserialize, Serialize};

use crate::model::Span;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Output {
    pub schema_version: u32,
    pub document: DocumentOut,
    pub events: Vec<EventOut>,
    pub aggregates: Vec<AggregateOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentOut {
    /// sha256 hex of the raw input bytes.
    pub id: String,
    pub input_id: Option<String>,
    pub source: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub standfirst: Option<String>,
    pub caption: Option<String>,
    pub dateline: Option<String>,
    pub reference_date: Option<String>,
    pub reference_date_from: Option<String>,
    /// "input": spans are byte offsets into the raw input (or the JSONL
    /// record's text); "extracted_text": into `text`, the main text
    /// extracted from HTML.
    pub span_basis: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    pub removed: Vec<RemovedOut>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
    /// Set when the document was not coded because it is in another
    /// language than English (the only one the rules read so far).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub not_coded_language: Option<crate::language::OtherLanguage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RemovedOut {
    pub span: Span,
    pub reason: crate::model::RemovedReason,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventOut {
    pub id: String,
    /// "new", or "background" for a past event cited for context.
    pub status: String,
    pub date: Option<String>,
    /// "day", "week", "month", "year"; "unknown" when `date` is null.
    pub date_precision: Option<String>,
    /// Where `date` comes from: "text" (stated for this event), "story"
    /// (the date the article gives its story), "document" (the document's
    /// own date: the event happened on or before it), "unknown" (no date).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_source: Option<String>,
    /// The bound a date the text does not state has:
    /// "on_or_before_publication" (reported, so no later than the document).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_bound: Option<String>,
    /// ACLED event type; null for acts ACLED does not code (talks).
    pub acled_event_type: Option<String>,
    pub acled_sub_event_type: Option<String>,
    pub disorder_type: Option<String>,
    pub cameo: String,
    pub plover: String,
    pub plover_mode: Option<String>,
    pub actors: Vec<ActorOut>,
    pub location: Option<LocationOut>,
    pub fatalities: Option<CountOut>,
    pub injured: Option<CountOut>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub missing: Option<CountOut>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub abducted: Option<CountOut>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arrested: Option<CountOut>,
    pub claimed_by: Vec<String>,
    pub trigger: TriggerOut,
    /// Sentence spans that support the event.
    pub evidence: Vec<Span>,
    pub confidence: f32,
    /// Probability the learned model gives its ACLED sub-event type
    /// (calibrated on held-out countries); absent when the rules coded it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub type_confidence: Option<f32>,
    /// Probability that the event is political violence or a demonstration
    /// at all (the learned relevance model); absent without the model.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub relevance: Option<f32>,
    /// What weighed most for the learned sub-event type, strongest first
    /// (`extract --explain` only; absent otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub type_explanation: Vec<Reason>,
}

/// One reason for a learned decision: words of the text (with their span)
/// or a fact the rules found ("trig=attack"), and how much it added to the
/// log-probability of the chosen value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reason {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Span>,
    pub weight: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriggerOut {
    pub text: String,
    pub span: Span,
    /// The rules found no event in this short text; the learned models
    /// proposed one and this is the word that weighed most for its type
    /// (absent, i.e. false, for the rules' own triggers).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub proposed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActorOut {
    pub name: String,
    /// perpetrator | target | claimant | participant
    pub role: String,
    /// ACLED actor type 1-8.
    pub inter: u8,
    pub country: Option<String>,
    pub mention: String,
    pub span: Span,
    /// Probability the learned model gives `inter`; absent when the
    /// lexicon gave it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub inter_confidence: Option<f32>,
    /// A person named after a title ("President X"): the exports name the
    /// group they act for, as ACLED codes groups, never people.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub person: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocationOut {
    pub name: String,
    pub country: String,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub geonames_id: Option<u32>,
    /// ACLED geo_precision: 1 the town itself, 2 near or part of a town, 3 a region.
    pub precision: u8,
    /// The words around the name that set the precision ("70 km north
    /// of", "province", "neighbourhood"); absent when the name alone does.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub precision_words: Option<WordsOut>,
    pub mention: String,
    pub span: Span,
}

/// Words of the text with their span.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WordsOut {
    pub text: String,
    pub span: Span,
}

/// A count with its estimates. `E` is the estimate: an article's own
/// [`EstimateOut`] here; the event store's incidents use the same count with
/// each estimate tagged with its article (one type, so the store's tolls
/// cannot drift from the contract's).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CountOut<E = EstimateOut> {
    pub low: u64,
    /// ACLED's rule: the most conservative credible estimate (the lowest
    /// current figure; a figure superseded by "the toll rose to" does not count).
    pub best: u64,
    pub high: u64,
    pub estimates: Vec<E>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EstimateOut {
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub count_high: Option<u64>,
    pub qualifier: Option<String>,
    /// "dozens", "hundreds": converted as ACLED does.
    pub vague: bool,
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub who: Option<String>,
    /// Replaced by a later figure ("the death toll rose to 9").
    pub superseded: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AggregateOut {
    pub fatalities: Option<CountOut>,
    pub injured: Option<CountOut>,
    /// What the total covers ("string of bombings", "the war").
    pub scope: String,
    pub date: Option<String>,
    /// Start of the period for totals "since March 2011".
    pub period_start: Option<String>,
    pub span: Span,
}

/// `warcoder places` output for one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlacesOut {
    pub input_id: Option<String>,
    pub source: String,
    pub places: Vec<PlaceOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlaceOut {
    pub span: Span,
    pub text: String,
    pub geonameid: Option<u32>,
    pub name: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub feature_code: Option<String>,
    pub score: Option<f32>,
    pub precision: Option<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub candidates: Vec<CandidateOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CandidateOut {
    pub geonameid: Option<u32>,
    pub name: String,
    pub country: String,
    pub feature_code: String,
    pub score: f32,
    pub evidence: Vec<String>,
}

// The picks METRICS.md scores, kept beside the contract rather than in
// `warcoder-eval` because the learned models (`learned.rs`) train on the
// very event and actors that evaluation scores.

/// METRICS.md, "Choosing the event to score": the event with status "new"
/// and the highest confidence; the first such event on a tie.
pub fn scored_among(events: &[EventOut]) -> Option<&EventOut> {
    let mut best: Option<&EventOut> = None;
    for e in events.iter().filter(|e| e.status == "new") {
        if best.is_none_or(|b| e.confidence > b.confidence) {
            best = Some(e);
        }
    }
    best
}

/// The actor METRICS.md scores as `inter1`.
pub fn actor_inter1(e: &EventOut) -> Option<&ActorOut> {
    e.actors
        .iter()
        .find(|a| matches!(a.role.as_str(), "perpetrator" | "claimant" | "participant"))
}

/// The actor METRICS.md scores as `inter2`.
pub fn actor_inter2(e: &EventOut) -> Option<&ActorOut> {
    e.actors
        .iter()
        .find(|a| a.role == "target")
        .or_else(|| e.actors.iter().filter(|a| a.role == "participant").nth(1))
}
