//! The data model at the centre of warcoder: a [`Document`] holds the
//! immutable input text and the annotations every stage adds to it. All
//! annotation spans are byte offsets `[start, end)` into `Document::text`.
//!
//! The output contract (schema_version 1, see DESIGN.md) is in [`crate::output`].

use serde::{Deserialize, Serialize};

/// A byte span `[start, end)` into the document text; serialised as `[s, e]`.
pub type Span = [usize; 2];

/// What the spans of a document point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanBasis {
    /// The raw input bytes (plain text, or a JSONL record's `text`).
    Input,
    /// The main text extracted from HTML (given in the output as `document.text`).
    ExtractedText,
    /// The input decoded from another charset, without its byte-order mark,
    /// or with invalid UTF-8 replaced (given in the output as `document.text`).
    DecodedText,
}

/// What the caller told us about a document besides its text.
#[derive(Debug, Clone, Default)]
pub struct InputMeta {
    pub input_id: Option<String>,
    pub source: String,
    pub url: Option<String>,
    /// A publication date or timestamp, as given (JSONL `published`, HTML metadata, WARC date).
    pub published: Option<String>,
    /// A title from metadata (HTML `<title>`, og:title).
    pub title: Option<String>,
    /// `--reference-date` from the command line.
    pub reference_date: Option<GivenDate>,
}

/// A reference date the caller gave (`--reference-date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GivenDate {
    pub date: jiff::civil::Date,
    /// `--force-reference-date`: wins over the document's own date
    /// (metadata, publication line, dateline); otherwise it only fills in
    /// for a document that has none.
    pub force: bool,
}

impl GivenDate {
    /// A date that fills in only where the document has none.
    pub fn fallback(date: jiff::civil::Date) -> Self {
        GivenDate { date, force: false }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Title,
    Standfirst,
    Caption,
    Dateline,
    /// A line giving the page's publication date ("Published October 17,
    /// 2025 | Updated 2 hours ago"): metadata, not story.
    Published,
    Body,
    Removed(RemovedReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovedReason {
    Boilerplate,
    RelatedHeadline,
    CaptionCredit,
    /// "By our correspondent in Bamako".
    Byline,
}

/// A paragraph-level piece of the input, classified by `clean`.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    pub span: Span,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub span: Span,
    /// Folded key (lowercase, no diacritics, unified apostrophes).
    pub key: String,
    pub kind: TokenKind,
    /// First letter is uppercase.
    pub capitalised: bool,
    /// Every letter is uppercase (acronyms: IS, HTS).
    pub all_caps: bool,
    pub sentence: usize,
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub span: Span,
    pub block: usize,
    /// Token index range `[first, last)`.
    pub tokens: (usize, usize),
    /// From the title or standfirst: summarises the body, so it adds claims
    /// and aggregates but no incidents of its own.
    pub headline: bool,
}

/// A count as the text states it: "at least four", "dozens", "between 10 and 15".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub low: u64,
    pub high: u64,
    /// "dozens", "scores", "hundreds": converted as ACLED does.
    pub vague: bool,
    pub qualifier: Option<&'static str>,
}

impl Quantity {
    /// A plain count: "two", "17".
    pub fn exact(n: u64) -> Self {
        Quantity {
            low: n,
            high: n,
            vague: false,
            qualifier: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NumberMention {
    pub span: Span,
    /// Token range covered, qualifier included.
    pub tokens: (usize, usize),
    pub quantity: Quantity,
}

/// What a toll counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TollKind {
    Killed,
    Injured,
    Missing,
    Abducted,
    Arrested,
}

/// A casualty figure: a quantity, what it counts, who says so.
#[derive(Debug, Clone)]
pub struct Toll {
    pub span: Span,
    pub tokens: (usize, usize),
    pub sentence: usize,
    pub kind: TollKind,
    pub quantity: Quantity,
    /// "civilians", "soldiers": who was counted, when stated.
    pub who: Option<String>,
    pub source: Option<String>,
    /// Stated as an update ("the death toll rose to 7"): supersedes earlier figures.
    pub update: bool,
    /// Adds to the figures already given ("6 militants were also killed").
    pub additive: bool,
    /// A running total ("brings to 63 the number killed", "in total"): never one incident's toll.
    pub cumulative: bool,
    /// Stated as an earlier figure ("had initially put the number of dead at seven").
    pub initial: bool,
}

/// A date expression before resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum DateExpr {
    /// Year, month and day as written (year may be missing: "Sept 5").
    Calendar {
        year: Option<i16>,
        month: i8,
        day: Option<i8>,
    },
    Year(i16),
    /// A numeric date ("4/5/2018"): which of the two figures is the day
    /// depends on the outlet's or the document's convention.
    Numeric {
        first: i8,
        second: i8,
        year: i16,
    },
    /// "on Monday": the latest such day on or before the reference date.
    Weekday(jiff::civil::Weekday),
    /// "last Tuesday": the latest such day before the reference date.
    WeekdayBefore(jiff::civil::Weekday),
    /// Days relative to the reference date ("yesterday" = -1, "today" = 0).
    RelativeDays(i32),
    /// A week relative to the reference date ("last week" = -1).
    RelativeWeek(i32),
    /// A month relative to the reference date ("earlier this month" = 0,
    /// "last month" = -1).
    RelativeMonth(i32),
    /// A year relative to the reference date ("last year" = -1).
    RelativeYear(i32),
    /// Days relative to the sentence's other event ("a day after" = +1 for
    /// the clause that follows: that clause happened a day *before*).
    AnchorOffset(i32),
    /// Days relative to the previous sentence's event ("a day later" = +1).
    PreviousOffset(i32),
    /// "since March 2011": a period start, never an event date.
    Since(Box<DateExpr>),
}

#[derive(Debug, Clone)]
pub struct DateMention {
    pub span: Span,
    pub tokens: (usize, usize),
    pub sentence: usize,
    pub expr: DateExpr,
    pub resolved: Option<ResolvedDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedDate {
    pub date: jiff::civil::Date,
    pub precision: DatePrecision,
}

impl ResolvedDate {
    pub fn day(date: jiff::civil::Date) -> Self {
        ResolvedDate {
            date,
            precision: DatePrecision::Day,
        }
    }

    /// "2016-09-05", "2016-02" or "2016" depending on precision.
    pub fn render(&self) -> String {
        match self.precision {
            DatePrecision::Day | DatePrecision::Week => self.date.to_string(),
            DatePrecision::Month => format!("{:04}-{:02}", self.date.year(), self.date.month()),
            DatePrecision::Year => format!("{:04}", self.date.year()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ActorMention {
    pub span: Span,
    pub tokens: (usize, usize),
    pub sentence: usize,
    /// Index into the actor lexicon.
    pub entry: usize,
    /// Country from a demonym before a generic actor ("Syrian forces").
    pub country: Option<String>,
    /// A person's name after a title ("US President Barack Obama").
    pub person: Option<String>,
    /// For anaphora ("the militant group"): the mention it refers to.
    pub antecedent: Option<usize>,
}

/// How a place mention relates to the place it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceCue {
    /// A populated place or an admin area named as such.
    Plain,
    /// "X province", "the province of X": an admin area.
    Admin,
    /// "the X neighbourhood", "the X road": a feature inside a container.
    SubCity,
    /// "west of X", "outside X", "near X": somewhere around X.
    Around,
    /// "Somalia's capital": the capital of the named country.
    Capital,
}

#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub span: Span,
    pub tokens: (usize, usize),
    pub sentence: usize,
    /// The name as written (no cue words).
    pub name: String,
    /// Token range of the name alone.
    pub name_tokens: (usize, usize),
    pub cue: PlaceCue,
    /// A sub-city mention's container mention, when the text gives one.
    pub container: Option<usize>,
    pub resolved: Option<crate::gazetteer::Resolution>,
}

#[derive(Debug, Clone)]
pub struct TriggerMention {
    pub span: Span,
    pub tokens: (usize, usize),
    pub sentence: usize,
    /// Index into the trigger lexicon.
    pub entry: usize,
    pub modality: Modality,
    /// Definite reference back to an incident ("that attack", "the blast").
    pub anaphoric: bool,
    /// "another", "a second": explicitly a new incident.
    pub another: bool,
    /// Habitual or serial ("regularly targeted", "a series of").
    pub serial: bool,
    /// Not the lexicon's match: the learned models proposed this word
    /// where the rules found no event (`learned::propose`).
    pub proposed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Asserted,
    Negated,
    Hypothetical,
    Planned,
    Threatened,
    Foiled,
    Ongoing,
}

/// "state media said", "according to the Observatory".
#[derive(Debug, Clone)]
pub struct Attribution {
    pub span: Span,
    pub tokens: (usize, usize),
    pub sentence: usize,
    pub source: String,
}

/// Document-level facts read by `clean` and `resolve`.
#[derive(Debug, Clone, Default)]
pub struct DocumentFacts {
    pub title: Option<String>,
    pub standfirst: Option<String>,
    pub caption: Option<String>,
    pub dateline: Option<String>,
    pub dateline_span: Option<Span>,
    /// The date part of a publication line ("October 17, 2025").
    pub published: Option<String>,
    pub reference_date: Option<jiff::civil::Date>,
    pub reference_date_from: Option<&'static str>,
}

/// A document flowing through the pipeline.
#[derive(Debug, Clone)]
pub struct Document {
    /// sha256 hex of the raw input bytes.
    pub id: String,
    pub meta: InputMeta,
    /// The text every span points into. Never modified.
    pub text: String,
    pub span_basis: SpanBasis,
    pub warnings: Vec<String>,
    pub facts: DocumentFacts,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub numbers: Vec<NumberMention>,
    pub tolls: Vec<Toll>,
    pub dates: Vec<DateMention>,
    pub actors: Vec<ActorMention>,
    pub places: Vec<PlaceMention>,
    pub triggers: Vec<TriggerMention>,
    pub attributions: Vec<Attribution>,
}

impl Document {
    pub fn new(id: String, text: String, span_basis: SpanBasis, meta: InputMeta) -> Self {
        Document {
            id,
            meta,
            text,
            span_basis,
            warnings: Vec::new(),
            facts: DocumentFacts::default(),
            blocks: Vec::new(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            numbers: Vec::new(),
            tolls: Vec::new(),
            dates: Vec::new(),
            actors: Vec::new(),
            places: Vec::new(),
            triggers: Vec::new(),
            attributions: Vec::new(),
        }
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span[0]..span[1]]
    }

    /// The text of a token range, from the first token's start to the last's end.
    pub fn token_text(&self, tokens: (usize, usize)) -> &str {
        if tokens.0 >= tokens.1 {
            return "";
        }
        self.slice(self.token_span(tokens))
    }

    pub fn token_span(&self, tokens: (usize, usize)) -> Span {
        [
            self.tokens[tokens.0].span[0],
            self.tokens[tokens.1 - 1].span[1],
        ]
    }

    pub fn sentence_tokens(&self, sentence: usize) -> &[Token] {
        let (a, b) = self.sentences[sentence].tokens;
        &self.tokens[a..b]
    }
}

/// An annotation that lies in one sentence.
pub trait InSentence {
    fn sentence(&self) -> usize;
}

macro_rules! in_sentence {
    ($($t:ty),*) => {$(
        impl InSentence for $t {
            fn sentence(&self) -> usize {
                self.sentence
            }
        }
    )*};
}
in_sentence!(
    Toll,
    DateMention,
    ActorMention,
    PlaceMention,
    TriggerMention,
    Attribution
);

/// The positions of sentence `si`'s items in `items`, a list sorted by
/// sentence (as every recogniser writes its list). Found by binary search,
/// so that the per-sentence rules cost the sentence, not the document: a
/// filter over the whole list in each sentence made long pages quadratic.
pub fn sentence_range<T: InSentence>(items: &[T], si: usize) -> std::ops::Range<usize> {
    debug_assert!(items.is_sorted_by_key(|x| x.sentence()));
    let start = items.partition_point(|x| x.sentence() < si);
    let end = start + items[start..].partition_point(|x| x.sentence() <= si);
    start..end
}

/// The items of sentence `si` in a list sorted by sentence.
pub fn of_sentence<T: InSentence>(items: &[T], si: usize) -> &[T] {
    &items[sentence_range(items, si)]
}

/// The items of sentence `si` with their positions in `items`.
pub fn enumerate_sentence<T: InSentence>(
    items: &[T],
    si: usize,
) -> impl Iterator<Item = (usize, &T)> {
    let range = sentence_range(items, si);
    range.clone().zip(&items[range])
}
