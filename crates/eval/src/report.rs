//! The scores of one gold file, as a table for people and as JSON for
//! scripts. JSON keys for scores are METRICS.md's field names.

use std::collections::HashMap;
use std::fmt::Write;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use warcoder_core::model::Span;

/// One score with the number of cases it is computed over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// A share in [0, 1], or a quantity (km) for `median_error_km`; null when n is 0.
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<usize>,
    pub n: usize,
}

impl Score {
    /// correct / n.
    pub fn ratio(correct: usize, n: usize) -> Self {
        Score {
            value: (n > 0).then(|| correct as f64 / n as f64),
            correct: Some(correct),
            n,
        }
    }

    /// A value computed some other way (F1, a median) over n cases.
    pub fn value(value: Option<f64>, n: usize) -> Self {
        Score {
            value: if n > 0 { value } else { None },
            correct: None,
            n,
        }
    }
}

/// Running count for an accuracy field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub correct: usize,
    pub n: usize,
}

impl Tally {
    pub fn add(&mut self, ok: bool) {
        self.n += 1;
        self.correct += ok as usize;
    }

    pub fn score(self) -> Score {
        Score::ratio(self.correct, self.n)
    }
}

/// A record of the gold file that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParseFailure {
    /// 1-based line in the gold file where the record starts, when known.
    pub line: Option<usize>,
    pub id: Option<String>,
    pub message: String,
}

/// Rows are gold labels, columns predicted labels.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Confusion {
    pub gold_labels: Vec<String>,
    pub predicted_labels: Vec<String>,
    pub matrix: Vec<Vec<usize>>,
}

impl Confusion {
    /// Build from (gold, predicted) pairs; labels ordered by `order` then name.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        order: &dyn Fn(&str) -> usize,
    ) -> Self {
        let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        fn sort<'s>(mut v: Vec<&'s str>, order: &dyn Fn(&str) -> usize) -> Vec<&'s str> {
            v.sort_by(|a, b| order(a).cmp(&order(b)).then(a.cmp(b)));
            v.dedup();
            v
        }
        let gold = sort(pairs.iter().map(|p| p.0).collect(), order);
        let pred = sort(pairs.iter().map(|p| p.1).collect(), order);
        let gi: HashMap<&str, usize> = gold.iter().enumerate().map(|(i, l)| (*l, i)).collect();
        let pi: HashMap<&str, usize> = pred.iter().enumerate().map(|(i, l)| (*l, i)).collect();
        let mut matrix = vec![vec![0; pred.len()]; gold.len()];
        for (g, p) in &pairs {
            matrix[gi[g]][pi[p]] += 1;
        }
        Confusion {
            gold_labels: gold.into_iter().map(String::from).collect(),
            predicted_labels: pred.into_iter().map(String::from).collect(),
            matrix,
        }
    }
}

/// Why one field is wrong, row by row (issue 5; decided in `breakdown.rs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Breakdown {
    /// Rows the field is scored over.
    pub n: usize,
    /// Wrong rows: the sum of the category counts.
    pub wrong: usize,
    /// Wrong rows by plain kind, whatever their category (when the field has kinds).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub kinds: Vec<(String, usize)>,
    /// Exclusive categories in precedence order.
    #[serde(serialize_with = "ordered_map")]
    pub categories: Vec<(String, Category)>,
}

/// One category of wrong rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Category {
    pub count: usize,
    /// The first few row ids in file order.
    pub examples: Vec<String>,
    /// Counts inside the category (a day offset, over/under...).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub detail: Vec<(String, usize)>,
}

/// One wrong field of a record, with the output span that caused it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub gold: String,
    pub predicted: String,
    /// Byte span into the record's text (the trigger, actor, toll, place...).
    pub span: Option<Span>,
    pub span_text: Option<String>,
}

/// A record with wrong fields: the worst ones are listed in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorExample {
    pub id: String,
    pub line: Option<usize>,
    /// How bad: the number of wrong fields (ACLED, plus a fraction for the
    /// fatality gap), or the distance error in km (geo). Higher is worse.
    pub weight: f64,
    /// The record's text, or a window of it around the spans for long texts.
    pub text: String,
    pub fields: Vec<FieldError>,
}

/// The scores of one gold file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub format: String,
    pub gold: String,
    /// warcoder's version and the git commit scored (METRICS.md, Reporting).
    pub version: String,
    pub commit: Option<String>,
    /// The command line that produced the report.
    pub command: Option<String>,
    /// Records in the file (well-formed + failed).
    pub records: usize,
    /// Well-formed records scored (after `--limit`).
    pub scored: usize,
    pub parse_failures: usize,
    #[serde(serialize_with = "ordered_map")]
    pub counts: Vec<(String, usize)>,
    /// METRICS.md field names as keys.
    #[serde(flatten, serialize_with = "ordered_map")]
    pub scores: Vec<(String, Score)>,
    /// The sub-event type confusion.
    pub confusion_matrix: Option<Confusion>,
    /// Further confusions by field name (`event_type`, `inter1`, `inter2`).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub confusion_matrices: Vec<(String, Confusion)>,
    /// Wrong rows by category, by field name (`fatalities`, `date`).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ordered_map")]
    pub breakdown: Vec<(String, Breakdown)>,
    pub failures: Vec<ParseFailure>,
    pub errors: Vec<ErrorExample>,
    /// How the METRICS.md rules were read where they leave room.
    pub notes: Vec<String>,
}

fn ordered_map<S: Serializer, V: Serialize>(v: &[(String, V)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, x) in v {
        m.serialize_entry(k, x)?;
    }
    m.end()
}

impl Report {
    /// A report on `parsed` gold records (cut to `limit` when given, the
    /// rest not scored) and the records that failed to parse. The file held
    /// `parsed` and `failures` together: a shape whose failures can be parts
    /// of a record that still parsed (geo's toponyms) corrects `records`.
    pub(crate) fn for_records<T>(
        format: &str,
        source_name: &str,
        parsed: &mut Vec<T>,
        failures: Vec<ParseFailure>,
        limit: Option<usize>,
    ) -> Self {
        let records = parsed.len() + failures.len();
        if let Some(n) = limit {
            parsed.truncate(n);
        }
        let mut report = Report::new(format, source_name);
        report.records = records;
        report.scored = parsed.len();
        report.parse_failures = failures.len();
        report.failures = failures;
        report
    }

    pub(crate) fn new(format: &str, gold: &str) -> Self {
        Report {
            format: format.into(),
            gold: gold.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            commit: None,
            command: None,
            records: 0,
            scored: 0,
            parse_failures: 0,
            counts: Vec::new(),
            scores: Vec::new(),
            confusion_matrix: None,
            confusion_matrices: Vec::new(),
            breakdown: Vec::new(),
            failures: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn score(&self, field: &str) -> Option<&Score> {
        self.scores.iter().find(|(k, _)| k == field).map(|(_, s)| s)
    }

    pub fn count(&self, name: &str) -> Option<usize> {
        self.counts.iter().find(|(k, _)| k == name).map(|(_, c)| *c)
    }

    /// Keep the `n` worst errors, worst first (ties: file order).
    pub(crate) fn keep_worst(&mut self, mut errors: Vec<ErrorExample>, n: usize) {
        errors.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.line.cmp(&b.line)));
        errors.truncate(n);
        self.errors = errors;
    }

    /// The human-readable table.
    pub fn render_text(&self) -> String {
        let mut o = String::new();
        let commit = self
            .commit
            .as_deref()
            .map(|c| format!(", commit {c}"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "warcoder eval  {}  {}  (warcoder {}{commit})",
            self.format, self.gold, self.version
        );
        if let Some(c) = &self.command {
            let _ = writeln!(o, "command: {c}");
        }
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "records {}   scored {}   parse failures {}",
            self.records, self.scored, self.parse_failures
        );
        for (k, v) in &self.counts {
            let _ = writeln!(o, "  {k:<40} {v:>7}");
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "{:<22} {:>9}   {:>15}", "field", "score", "correct / n");
        let _ = writeln!(o, "{}", "-".repeat(50));
        for (k, s) in &self.scores {
            let value = match (s.value, k.ends_with("_km")) {
                (None, _) => "—".to_string(),
                (Some(v), true) => format!("{v:.1} km"),
                (Some(v), false) if s.correct.is_some() => format!("{:.1}%", v * 100.0),
                (Some(v), false) => format!("{v:.3}"),
            };
            let frac = match s.correct {
                Some(c) => format!("{c} / {}", s.n),
                None => format!("n = {}", s.n),
            };
            let _ = writeln!(o, "{k:<22} {value:>9}   {frac:>15}");
        }
        if let Some(c) = &self.confusion_matrix {
            let _ = writeln!(o);
            render_confusion(&mut o, "sub-event type", c);
        }
        for (field, c) in &self.confusion_matrices {
            let _ = writeln!(o);
            render_confusion(&mut o, &field.replace('_', " "), c);
        }
        for (field, b) in &self.breakdown {
            let _ = writeln!(o);
            render_breakdown(&mut o, field, b);
        }
        if !self.failures.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "records that failed to parse ({}):", self.failures.len());
            for f in self.failures.iter().take(20) {
                let line = f
                    .line
                    .map(|l| format!("line {l}"))
                    .unwrap_or_else(|| "-".into());
                let id =
                    f.id.as_deref()
                        .map(|i| format!(" [{i}]"))
                        .unwrap_or_default();
                let _ = writeln!(o, "  {line}{id}: {}", f.message);
            }
            if self.failures.len() > 20 {
                let _ = writeln!(
                    o,
                    "  ... and {} more (--json lists them all)",
                    self.failures.len() - 20
                );
            }
        }
        if !self.errors.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "worst errors ({}):", self.errors.len());
            for (i, e) in self.errors.iter().enumerate() {
                let line = e.line.map(|l| format!(", line {l}")).unwrap_or_default();
                let names: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
                let _ = writeln!(
                    o,
                    "{:>3}. {}{line}: wrong {}",
                    i + 1,
                    e.id,
                    names.join(", ")
                );
                let _ = writeln!(o, "     text: {}", e.text.replace(['\n', '\r', '\t'], " "));
                if e.fields.len() > 1 && e.fields.iter().all(|f| f.predicted == super::NO_EVENT) {
                    let gold: Vec<String> = e
                        .fields
                        .iter()
                        .map(|f| format!("{}={:?}", f.field, f.gold))
                        .collect();
                    let _ = writeln!(
                        o,
                        "     {} (every field wrong); gold: {}",
                        super::NO_EVENT,
                        gold.join(", ")
                    );
                    continue;
                }
                for f in &e.fields {
                    let span = match (&f.span, &f.span_text) {
                        (Some(s), Some(t)) => format!("   span [{}, {}] {:?}", s[0], s[1], t),
                        (Some(s), None) => format!("   span [{}, {}]", s[0], s[1]),
                        _ => String::new(),
                    };
                    let _ = writeln!(
                        o,
                        "     {:<20} gold {:?}  predicted {:?}{span}",
                        f.field, f.gold, f.predicted
                    );
                }
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(o);
            for n in &self.notes {
                let _ = writeln!(o, "note: {n}");
            }
        }
        o
    }
}

fn render_breakdown(o: &mut String, field: &str, b: &Breakdown) {
    let _ = writeln!(
        o,
        "{field} errors by category: {} wrong of {} (first matching category; examples: row ids)",
        b.wrong, b.n
    );
    if !b.kinds.is_empty() {
        let kinds: Vec<String> = b.kinds.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(o, "  by kind: {}", kinds.join(", "));
    }
    for (name, c) in &b.categories {
        let detail: Vec<String> = c.detail.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!("[{}]", detail.join(", "))
        };
        let _ = writeln!(
            o,
            "  {name:<22} {:>6}  {detail:<36} {}",
            c.count,
            c.examples.join(" ")
        );
    }
}

fn render_confusion(o: &mut String, title: &str, c: &Confusion) {
    let _ = writeln!(
        o,
        "{title} confusion (rows: gold, columns: predicted, numbered below)"
    );
    let w = c
        .matrix
        .iter()
        .flatten()
        .max()
        .map(|m| m.to_string().len())
        .unwrap_or(1)
        .max(c.predicted_labels.len().to_string().len())
        .max(2);
    let name_w = c
        .gold_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 36);
    let mut head = format!("{:<name_w$} ", "");
    for j in 0..c.predicted_labels.len() {
        let _ = write!(head, " {:>w$}", j + 1);
    }
    let _ = writeln!(o, "{head}");
    for (i, g) in c.gold_labels.iter().enumerate() {
        let name: String = g.chars().take(name_w).collect();
        let mut row = format!("{name:<name_w$} ");
        for v in &c.matrix[i] {
            if *v == 0 {
                let _ = write!(row, " {:>w$}", ".");
            } else {
                let _ = write!(row, " {v:>w$}");
            }
        }
        let _ = writeln!(o, "{row}");
    }
    let cols: Vec<String> = c
        .predicted_labels
        .iter()
        .enumerate()
        .map(|(j, l)| format!("{}={l}", j + 1))
        .collect();
    let _ = writeln!(o, "columns: {}", cols.join("; "));
}

/// The text to show beside an error: all of it when short, else a window
/// around the spans (on character boundaries, with ellipses).
pub fn snippet(text: &str, spans: &[Span]) -> String {
    const SHORT: usize = 600;
    const AROUND: usize = 160;
    if text.len() <= SHORT {
        return text.to_string();
    }
    let (lo, hi) = match (
        spans.iter().map(|s| s[0]).min(),
        spans.iter().map(|s| s[1]).max(),
    ) {
        (Some(lo), Some(hi)) => (lo.min(text.len()), hi.min(text.len())),
        _ => (0, 0),
    };
    let mut start = lo.saturating_sub(AROUND);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (hi + AROUND).max(start + 2 * AROUND).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        &text[start..end],
        if end < text.len() { "…" } else { "" }
    )
}

/// Text under a span, if the span is valid for `text`.
pub fn span_text(text: &str, span: Span) -> Option<String> {
    text.get(span[0]..span[1]).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_and_empty_scores() {
        assert_eq!(Score::ratio(1, 4).value, Some(0.25));
        assert_eq!(Score::ratio(0, 0).value, None);
        assert_eq!(Score::value(Some(3.0), 0).value, None);
        let mut t = Tally::default();
        t.add(true);
        t.add(false);
        assert_eq!(
            t.score(),
            Score {
                value: Some(0.5),
                correct: Some(1),
                n: 2
            }
        );
    }

    #[test]
    fn confusion_counts_pairs() {
        let c = Confusion::from_pairs(
            [
                ("Attack", "Attack"),
                ("Attack", "Armed clash"),
                ("Grenade", "Attack"),
            ],
            &|l| {
                crate::SUB_EVENT_TYPES
                    .iter()
                    .position(|t| *t == l)
                    .unwrap_or(99)
            },
        );
        assert_eq!(c.gold_labels, vec!["Grenade", "Attack"]);
        assert_eq!(c.predicted_labels, vec!["Armed clash", "Attack"]);
        assert_eq!(c.matrix, vec![vec![0, 1], vec![1, 1]]);
    }

    #[test]
    fn json_has_metric_names_as_top_level_keys() {
        let mut r = Report::new("acled-csv", "x.csv");
        r.scores.push(("event_type".into(), Score::ratio(1, 2)));
        r.counts.push(("rows".into(), 2));
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["event_type"]["n"], 2);
        assert_eq!(v["event_type"]["value"], 0.5);
        assert_eq!(v["counts"]["rows"], 2);
    }

    #[test]
    fn snippet_windows_long_text_on_char_boundaries() {
        let text = "é".repeat(1000);
        let s = snippet(&text, &[[1000, 1010]]);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.len() < text.len());
        assert_eq!(snippet("short", &[[0, 1]]), "short");
    }
}
