//! `acled-csv`: ACLED export rows scored field by field (METRICS.md, "ACLED rows").

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::civil::Date;
use regex::Regex;

use super::breakdown::{self, classify_date, classify_fatalities, Tallies};
use super::report::{snippet, span_text, Tally};
use super::{
    new_events, scored_event, Confusion, ErrorExample, EvalError, FieldError, Options,
    ParseFailure, Report, NONE, NO_EVENT, SUB_EVENT_TYPES,
};
use warcoder_core::model::Span;
use warcoder_core::output::{actor_inter1, actor_inter2, Output};
use warcoder_core::Resources;

/// One well-formed gold row.
#[derive(Debug, Clone, PartialEq)]
pub struct AcledRow {
    /// 1-based line where the row starts.
    pub line: usize,
    pub id: String,
    /// `notes` with the coder remarks removed ([`clean_note`]).
    pub note: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub inter1: u8,
    /// None when empty or 0 (no second actor).
    pub inter2: Option<u8>,
    pub fatalities: u64,
    pub date: Date,
    pub geo_precision: u8,
    pub lat: f64,
    pub lon: f64,
    pub admin1: String,
}

const REQUIRED: [&str; 11] = [
    "notes",
    "event_type",
    "sub_event_type",
    "inter1",
    "inter2",
    "fatalities",
    "event_date",
    "geo_precision",
    "latitude",
    "longitude",
    "admin1",
];

/// Read every row; bad rows become failures (with their line), the file
/// itself fails only when it has no usable header.
pub fn parse(
    source_name: &str,
    data: &[u8],
) -> Result<(Vec<AcledRow>, Vec<ParseFailure>), EvalError> {
    let fail = |message: String| EvalError::format(source_name, message);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let headers = rdr
        .byte_headers()
        .map_err(|e| fail(format!("cannot read the CSV header: {e}")))?
        .clone();
    let header: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(fail(format!(
            "not an ACLED export: missing column(s) {}",
            missing.join(", ")
        )));
    }
    let idx: Vec<usize> = REQUIRED.iter().map(|c| col(c).unwrap_or(0)).collect();
    let id_col = col("event_id_cnty").or_else(|| col("data_id"));

    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut rec = csv::ByteRecord::new();
    let mut lines = LineCounter {
        data,
        at: 0,
        line: 1,
    };
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec
                    .position()
                    .map(|p| lines.line_at(p.byte() as usize))
                    .unwrap_or(0);
                let id = id_col
                    .and_then(|c| rec.get(c))
                    .map(|b| String::from_utf8_lossy(b).trim().to_string())
                    .filter(|s| !s.is_empty());
                let failure = |message: String| ParseFailure {
                    line: Some(line),
                    id: id.clone(),
                    message,
                };
                if rec.len() != header.len() {
                    failures.push(failure(format!(
                        "{} fields where the header has {}",
                        rec.len(),
                        header.len()
                    )));
                    continue;
                }
                let mut fields = Vec::with_capacity(idx.len());
                let mut bad_utf8 = None;
                for (name, &i) in REQUIRED.iter().zip(&idx) {
                    match std::str::from_utf8(&rec[i]) {
                        Ok(s) => fields.push(s.trim()),
                        Err(_) => {
                            bad_utf8 = Some(*name);
                            break;
                        }
                    }
                }
                if let Some(name) = bad_utf8 {
                    failures.push(failure(format!("{name}: invalid UTF-8")));
                    continue;
                }
                match row(
                    line,
                    id.clone().unwrap_or_else(|| format!("line {line}")),
                    &fields,
                ) {
                    Ok(r) => rows.push(r),
                    Err(m) => failures.push(failure(m)),
                }
            }
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte() as usize));
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                failures.push(ParseFailure {
                    line,
                    id: None,
                    message: format!("unreadable CSV record: {e}"),
                });
                if io {
                    break;
                }
            }
        }
    }
    Ok((rows, failures))
}

/// 1-based line of a byte offset, counted forward (offsets only grow).
/// The csv crate's own line numbers are off by one on CRLF files.
struct LineCounter<'a> {
    data: &'a [u8],
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_at(&mut self, byte: usize) -> usize {
        // On CRLF files a record's position is the `\n` ending the previous line.
        let byte = if self.data.get(byte) == Some(&b'\n') {
            byte + 1
        } else {
            byte.min(self.data.len())
        };
        if byte >= self.at {
            self.line += self.data[self.at..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.at = byte;
        }
        self.line
    }
}

fn row(line: usize, id: String, f: &[&str]) -> Result<AcledRow, String> {
    let [notes, event_type, sub_event_type, inter1, inter2, fatalities, event_date, geo_precision, latitude, longitude, admin1] =
        f
    else {
        return Err("internal: wrong field count".into());
    };
    let note = clean_note(notes);
    if note.is_empty() {
        return Err(if notes.is_empty() {
            "empty notes".into()
        } else {
            "notes hold only coder remarks".into()
        });
    }
    let nonempty = |name: &str, v: &str| {
        if v.is_empty() {
            Err(format!("empty {name}"))
        } else {
            Ok(v.to_string())
        }
    };
    let inter = |name: &str, v: &str| -> Result<u8, String> {
        v.parse::<u8>()
            .ok()
            .filter(|i| *i <= 8)
            .ok_or_else(|| format!("{name} {v:?} is not an ACLED actor type code 0-8"))
    };
    let inter1 = inter("inter1", inter1)?;
    if inter1 == 0 {
        return Err("inter1 is 0".into());
    }
    let inter2 = if inter2.is_empty() {
        None
    } else {
        Some(inter("inter2", inter2)?).filter(|i| *i != 0)
    };
    let coord = |name: &str, v: &str, max: f64| -> Result<f64, String> {
        v.parse::<f64>()
            .ok()
            .filter(|x| x.abs() <= max)
            .ok_or_else(|| format!("{name} {v:?} is not a coordinate"))
    };
    Ok(AcledRow {
        line,
        id,
        note,
        event_type: nonempty("event_type", event_type)?,
        sub_event_type: nonempty("sub_event_type", sub_event_type)?,
        inter1,
        inter2,
        fatalities: fatalities
            .parse()
            .map_err(|_| format!("fatalities {fatalities:?} is not a count"))?,
        date: parse_date(event_date)
            .ok_or_else(|| format!("event_date {event_date:?} is not a date"))?,
        geo_precision: geo_precision
            .parse::<u8>()
            .ok()
            .filter(|p| (1..=3).contains(p))
            .ok_or_else(|| format!("geo_precision {geo_precision:?} is not 1, 2 or 3"))?,
        lat: coord("latitude", latitude, 90.0)?,
        lon: coord("longitude", longitude, 180.0)?,
        admin1: admin1.to_string(),
    })
}

fn remark_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // METRICS.md, verbatim.
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(fatalit(y|ies)[^.]*\b(coded|split|spread|divided)\b[^.]*\.|coded as \d+[^.]*\.)",
        )
        .expect("valid regex")
    })
}

/// METRICS.md: "every sentence matching [the remark regex] is deleted".
/// The regex match can start mid-sentence ("Unknown fatalities coded as
/// 10."), so the deletion runs from the start of the sentence holding the
/// match (just after the previous `.`, `!` or `?`, or the start of the
/// note; ACLED sometimes omits the space: "Urozgan.Fatalities coded as 0.")
/// to the end of the match. Spaces are then squashed.
pub fn clean_note(note: &str) -> String {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for m in remark_regex().find_iter(note) {
        let before = &note[..m.start()];
        let mut start = 0;
        if let Some(i) = before.rfind(['.', '!', '?']) {
            start = i + 1;
        }
        match cuts.last_mut() {
            Some(last) if start <= last.1 => last.1 = m.end(),
            _ => cuts.push((start, m.end())),
        }
    }
    let mut kept = String::with_capacity(note.len());
    let mut at = 0;
    for (s, e) in cuts {
        kept.push_str(&note[at..s]);
        kept.push(' ');
        at = e;
    }
    kept.push_str(&note[at..]);
    warcoder_core::text::squash_spaces(kept.trim())
}

/// `event_date` as ACLED writes it: `2020-05-09`, `9 May 2020` or `9-May-20`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = s.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let day: i8 = day.parse().ok()?;
    let month = month_number(month)?;
    let year: i16 = match year.len() {
        2 => 2000 + year.parse::<i16>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    Date::new(year, month, day).ok()
}

fn month_number(m: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let m = m.to_ascii_lowercase();
    if m.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|full| *full == m || (m.len() <= 4 && full.starts_with(m.trim_end_matches('.'))))
        .map(|i| i as i8 + 1)
}

/// METRICS.md `admin1`: fold case, diacritics, punctuation and the words
/// "governorate", "province", "state", "region".
pub fn fold_admin1(s: &str) -> String {
    let folded = warcoder_core::text::fold(s);
    let spaced: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced
        .split_whitespace()
        .filter(|w| !matches!(*w, "governorate" | "province" | "state" | "region"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fields METRICS.md scores per single-event row, in report order.
pub const FIELDS: [&str; 9] = [
    "event_type",
    "sub_event_type",
    "inter1",
    "inter2",
    "fatalities",
    "fatalities_nonzero",
    "date",
    "location_25km",
    "admin1",
];

/// One field's verdict on one row: None when the field does not apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub field: &'static str,
    pub correct: bool,
    pub gold: String,
    pub predicted: String,
    pub span: Option<Span>,
}

/// Score one single-event row against the pipeline's output for its note.
///
/// With no new event every field is wrong, except `inter2` when the gold
/// has no second actor: METRICS.md says an empty gold `inter2` "needs no
/// such actor", and an absent event has none.
pub fn score_row(row: &AcledRow, out: &Output) -> Vec<Verdict> {
    let ev = scored_event(out);
    let mut v = Vec::with_capacity(FIELDS.len());
    let mut push = |field: &'static str,
                    correct: bool,
                    gold: String,
                    predicted: String,
                    span: Option<Span>| {
        v.push(Verdict {
            field,
            correct,
            gold,
            predicted,
            span,
        });
    };
    let Some(e) = ev else {
        let none = || NO_EVENT.to_string();
        push("event_type", false, row.event_type.clone(), none(), None);
        push(
            "sub_event_type",
            false,
            row.sub_event_type.clone(),
            none(),
            None,
        );
        push("inter1", false, row.inter1.to_string(), none(), None);
        push(
            "inter2",
            row.inter2.is_none(),
            inter_str(row.inter2),
            none(),
            None,
        );
        push(
            "fatalities",
            false,
            row.fatalities.to_string(),
            none(),
            None,
        );
        if row.fatalities > 0 {
            push(
                "fatalities_nonzero",
                false,
                row.fatalities.to_string(),
                none(),
                None,
            );
        }
        push("date", false, row.date.to_string(), none(), None);
        if row.geo_precision == 1 {
            push(
                "location_25km",
                false,
                format!("{:.4}, {:.4}", row.lat, row.lon),
                none(),
                None,
            );
        }
        if !row.admin1.is_empty() {
            push("admin1", false, row.admin1.clone(), none(), None);
        }
        return v;
    };
    let trig = Some(e.trigger.span);
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| NONE.to_string());
    push(
        "event_type",
        e.acled_event_type.as_deref() == Some(&row.event_type),
        row.event_type.clone(),
        opt(&e.acled_event_type),
        trig,
    );
    push(
        "sub_event_type",
        e.acled_sub_event_type.as_deref() == Some(&row.sub_event_type),
        row.sub_event_type.clone(),
        opt(&e.acled_sub_event_type),
        trig,
    );
    let a1 = actor_inter1(e);
    push(
        "inter1",
        a1.map(|a| a.inter) == Some(row.inter1),
        row.inter1.to_string(),
        a1.map(|a| format!("{} ({})", a.inter, a.name))
            .unwrap_or_else(|| NONE.into()),
        a1.map(|a| a.span).or(trig),
    );
    let a2 = actor_inter2(e);
    push(
        "inter2",
        a2.map(|a| a.inter) == row.inter2,
        inter_str(row.inter2),
        a2.map(|a| format!("{} ({})", a.inter, a.name))
            .unwrap_or_else(|| NONE.into()),
        a2.map(|a| a.span).or(trig),
    );
    let best = e.fatalities.as_ref().map(|f| f.best).unwrap_or(0);
    let fat_span = e
        .fatalities
        .as_ref()
        .and_then(|f| {
            f.estimates
                .iter()
                .find(|x| !x.superseded && x.count == f.best)
                .or(f.estimates.first())
                .map(|x| x.span)
        })
        .or(trig);
    let fat_pred = match &e.fatalities {
        Some(f) => f.best.to_string(),
        None => "null (0)".into(),
    };
    push(
        "fatalities",
        best == row.fatalities,
        row.fatalities.to_string(),
        fat_pred.clone(),
        fat_span,
    );
    if row.fatalities > 0 {
        push(
            "fatalities_nonzero",
            best == row.fatalities,
            row.fatalities.to_string(),
            fat_pred,
            fat_span,
        );
    }
    let day = e.date_precision.as_deref() == Some("day")
        && e.date.as_deref() == Some(row.date.to_string().as_str());
    let date_pred = match (&e.date, &e.date_precision) {
        (Some(d), Some(p)) if p != "day" => format!("{d} ({p})"),
        (Some(d), _) => d.clone(),
        (None, _) => NONE.into(),
    };
    push("date", day, row.date.to_string(), date_pred, None);
    let loc_span = e.location.as_ref().map(|l| l.span);
    if row.geo_precision == 1 {
        let (ok, pred) = match &e.location {
            Some(l) => {
                let km = warcoder_core::gazetteer::km(l.lat, l.lon, row.lat, row.lon);
                (
                    km <= 25.0,
                    format!("{} ({:.4}, {:.4}), {km:.0} km off", l.name, l.lat, l.lon),
                )
            }
            None => (false, NONE.into()),
        };
        push(
            "location_25km",
            ok,
            format!("{:.4}, {:.4}", row.lat, row.lon),
            pred,
            loc_span,
        );
    }
    if !row.admin1.is_empty() {
        let pred = e.location.as_ref().and_then(|l| l.admin1.clone());
        let ok = pred
            .as_deref()
            .is_some_and(|p| fold_admin1(p) == fold_admin1(&row.admin1));
        push(
            "admin1",
            ok,
            row.admin1.clone(),
            pred.unwrap_or_else(|| NONE.into()),
            loc_span,
        );
    }
    v
}

fn inter_str(i: Option<u8>) -> String {
    i.map(|i| i.to_string()).unwrap_or_else(|| "(none)".into())
}

/// An inter code as a confusion label ("1 State Forces"); None is [`NONE`].
fn inter_label(code: Option<u8>, res: &Resources) -> String {
    match code {
        Some(c) => match res.ontology.inter.get(&c) {
            Some(l) => format!("{c} {l}"),
            None => c.to_string(),
        },
        None => NONE.into(),
    }
}

/// Inter labels ordered by code, then (none), then (no new event).
fn inter_order(l: &str) -> usize {
    match l.split(' ').next().and_then(|c| c.parse::<usize>().ok()) {
        Some(c) => c,
        None if l == NO_EVENT => 200,
        None => 100,
    }
}

/// Pairs of owned labels as the `(&str, &str)` pairs the matrix takes.
fn confusion(pairs: &[(String, String)], order: &dyn Fn(&str) -> usize) -> Confusion {
    Confusion::from_pairs(pairs.iter().map(|(g, p)| (g.as_str(), p.as_str())), order)
}

/// Label order in the confusion matrix: ACLED's order, then the rest by name.
pub(crate) fn label_order(l: &str) -> usize {
    SUB_EVENT_TYPES
        .iter()
        .position(|t| *t == l)
        .unwrap_or(if l == NO_EVENT { 200 } else { 100 })
}

/// Score the parsed rows into `report` (opened by [`super::evaluate`]).
pub(crate) fn score(rows: &[AcledRow], report: &mut Report, res: &Resources, opts: &Options) {
    // Rows sharing a cleaned note are one multi-event note (METRICS.md).
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut notes: Vec<&str> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let g = groups.entry(r.note.as_str()).or_default();
        if g.is_empty() {
            notes.push(r.note.as_str());
        }
        g.push(i);
    }
    // Each distinct note is coded once.
    let outputs: Vec<Output> = opts.code_each(&notes, |t| opts.code_text(t, res));
    let out_of: HashMap<&str, &Output> = notes.iter().copied().zip(outputs.iter()).collect();

    let mut tallies: HashMap<&str, Tally> = HashMap::new();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut event_type_pairs: Vec<(String, String)> = Vec::new();
    let mut inter1_pairs: Vec<(String, String)> = Vec::new();
    let mut inter2_pairs: Vec<(String, String)> = Vec::new();
    let mut fatality_breakdown =
        Tallies::new(&breakdown::FATALITY_CATEGORIES, &breakdown::FATALITY_KINDS);
    let mut date_breakdown = Tallies::new(&breakdown::DATE_CATEGORIES, &[]);
    let mut errors = Vec::new();
    let mut single = 0;
    let mut with_event = 0;
    let mut incident = Tally::default();
    let mut multi_rows = 0;
    for note in &notes {
        let idx = &groups[note];
        let out = out_of[note];
        if idx.len() > 1 {
            multi_rows += idx.len();
            let got = new_events(out);
            incident.add(got == idx.len());
            if got != idx.len() {
                let first = &rows[idx[0]];
                let ids: Vec<&str> = idx.iter().map(|&i| rows[i].id.as_str()).collect();
                let spans: Vec<Span> = out
                    .events
                    .iter()
                    .filter(|e| e.status == "new")
                    .map(|e| e.trigger.span)
                    .collect();
                errors.push(ErrorExample {
                    id: ids.join(" "),
                    line: Some(first.line),
                    weight: 1.0 + (got.abs_diff(idx.len()) as f64).min(999.0) / 1000.0,
                    text: snippet(note, &spans),
                    fields: vec![FieldError {
                        field: "incident_count".into(),
                        gold: idx.len().to_string(),
                        predicted: got.to_string(),
                        span: spans.first().copied(),
                        span_text: spans.first().and_then(|s| span_text(note, *s)),
                    }],
                });
            }
            continue;
        }
        let row = &rows[idx[0]];
        single += 1;
        let ev = scored_event(out);
        with_event += ev.is_some() as usize;
        pairs.push((
            row.sub_event_type.as_str(),
            match ev {
                None => NO_EVENT,
                Some(e) => e.acled_sub_event_type.as_deref().unwrap_or(NONE),
            },
        ));
        let no_event = || NO_EVENT.to_string();
        event_type_pairs.push((
            row.event_type.clone(),
            ev.map_or_else(no_event, |e| {
                e.acled_event_type.clone().unwrap_or_else(|| NONE.into())
            }),
        ));
        inter1_pairs.push((
            inter_label(Some(row.inter1), res),
            ev.map_or_else(no_event, |e| {
                inter_label(actor_inter1(e).map(|a| a.inter), res)
            }),
        ));
        inter2_pairs.push((
            inter_label(row.inter2, res),
            ev.map_or_else(no_event, |e| {
                inter_label(actor_inter2(e).map(|a| a.inter), res)
            }),
        ));
        let fatality_error = classify_fatalities(row.fatalities, out);
        let date_error = classify_date(row.date, out);
        fatality_breakdown.add_fatalities(&row.id, fatality_error);
        date_breakdown.add_date(&row.id, date_error.as_ref());
        let verdicts = score_row(row, out);
        let mut wrong = Vec::new();
        let mut gap = 0u64;
        for v in verdicts {
            debug_assert!(match v.field {
                "fatalities" => v.correct == fatality_error.is_none(),
                "date" => v.correct == date_error.is_none(),
                _ => true,
            });
            tallies.entry(v.field).or_default().add(v.correct);
            if !v.correct {
                if v.field == "fatalities" {
                    gap = ev
                        .and_then(|e| e.fatalities.as_ref())
                        .map(|f| f.best)
                        .unwrap_or(0)
                        .abs_diff(row.fatalities);
                }
                if v.field != "fatalities_nonzero" {
                    wrong.push(v);
                }
            }
        }
        if !wrong.is_empty() {
            let spans: Vec<Span> = wrong.iter().filter_map(|v| v.span).collect();
            errors.push(ErrorExample {
                id: row.id.clone(),
                line: Some(row.line),
                weight: wrong.len() as f64 + (gap as f64).min(999.0) / 1000.0,
                text: snippet(&row.note, &spans),
                fields: wrong
                    .into_iter()
                    .map(|v| FieldError {
                        field: v.field.into(),
                        gold: v.gold,
                        predicted: v.predicted,
                        span: v.span,
                        span_text: v.span.and_then(|s| span_text(&row.note, s)),
                    })
                    .collect(),
            });
        }
    }
    report.counts = vec![
        ("distinct notes coded".into(), notes.len()),
        ("single-event rows".into(), single),
        ("  with a new event".into(), with_event),
        ("multi-event notes".into(), incident.n),
        ("  rows in them".into(), multi_rows),
        (
            "single-event rows with fatalities > 0".into(),
            tallies.get("fatalities_nonzero").map(|t| t.n).unwrap_or(0),
        ),
        (
            "single-event rows with geo_precision 1".into(),
            tallies.get("location_25km").map(|t| t.n).unwrap_or(0),
        ),
    ];
    for f in FIELDS {
        report.scores.push((
            f.into(),
            tallies.get(f).copied().unwrap_or_default().score(),
        ));
    }
    report
        .scores
        .push(("incident_count".into(), incident.score()));
    report.confusion_matrix = Some(Confusion::from_pairs(pairs, &label_order));
    let event_type_order = |l: &str| {
        res.ontology
            .event_types
            .iter()
            .position(|t| t == l)
            .unwrap_or(if l == NO_EVENT { 200 } else { 100 })
    };
    report.confusion_matrices = vec![
        (
            "event_type".into(),
            confusion(&event_type_pairs, &event_type_order),
        ),
        ("inter1".into(), confusion(&inter1_pairs, &inter_order)),
        ("inter2".into(), confusion(&inter2_pairs, &inter_order)),
    ];
    report.breakdown = vec![
        ("fatalities".into(), fatality_breakdown.finish()),
        ("date".into(), date_breakdown.finish()),
    ];
    report.keep_worst(errors, opts.errors);
    report.notes = vec![
        "coder remarks: the whole sentence holding a METRICS.md regex match is deleted (from the previous sentence end to the match end)".into(),
        "no new event: every field wrong, except inter2 when the gold has no second actor (empty or 0)".into(),
        "inter2 gold 0 or empty: correct only when the scored event has no target and no second participant".into(),
        "admin1: rows with an empty gold admin1 are left out of its n".into(),
        "inter1/inter2 confusion: the predicted code is the actor METRICS.md scores (first perpetrator, claimant or participant; first target or second participant); (none) when there is no such actor or no gold inter2".into(),
    ];
    report.notes.extend(breakdown::notes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{event, output};
    use warcoder_core::output::{ActorOut, CountOut, LocationOut};

    #[test]
    fn removes_coder_remarks_whole_sentence() {
        assert_eq!(
            clean_note("On 3 May 2020, two men were killed in Xville. Unknown fatalities coded as 10. More text."),
            "On 3 May 2020, two men were killed in Xville. More text."
        );
        assert_eq!(
            clean_note(
                "Soldiers were killed in Yburg. Fatalities coded as 0 (VoJ reported 3 fatalities)."
            ),
            "Soldiers were killed in Yburg."
        );
        assert_eq!(
            clean_note("A clash in Z. Fatalities are split across 2 events (3). [size=no report]"),
            "A clash in Z. [size=no report]"
        );
        assert_eq!(
            clean_note("Police arrested 4 people."),
            "Police arrested 4 people."
        );
        assert_eq!(clean_note("Fatalities coded as 2."), "");
        assert_eq!(
            clean_note("Killed in Urozgan.Fatalities coded as 0 (VoJ reported 1)."),
            "Killed in Urozgan."
        );
    }

    #[test]
    fn parses_the_three_date_shapes() {
        let d = Date::new(2020, 5, 9).unwrap();
        assert_eq!(parse_date("2020-05-09"), Some(d));
        assert_eq!(parse_date("9 May 2020"), Some(d));
        assert_eq!(parse_date("9-May-20"), Some(d));
        assert_eq!(parse_date("09 may 2020"), Some(d));
        assert_eq!(
            parse_date("21 March 2020"),
            Some(Date::new(2020, 3, 21).unwrap())
        );
        assert_eq!(parse_date("31-Feb-20"), None);
        assert_eq!(parse_date("May 2020"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn folds_admin1() {
        assert_eq!(fold_admin1("Ninewa Governorate"), fold_admin1("ninewa"));
        assert_eq!(fold_admin1("Kayes Region"), "kayes");
        assert_eq!(fold_admin1("Borno State"), "borno");
        assert_eq!(fold_admin1("Al-Ḥasakah"), "al hasakah");
        assert_eq!(fold_admin1("Sud-Kivu"), fold_admin1("Sud Kivu"));
        assert_ne!(fold_admin1("Kabul"), fold_admin1("Kandahar"));
    }

    fn gold() -> AcledRow {
        AcledRow {
            line: 2,
            id: "XYZ1".into(),
            note: "note".into(),
            event_type: "Battles".into(),
            sub_event_type: "Armed clash".into(),
            inter1: 2,
            inter2: Some(1),
            fatalities: 3,
            date: Date::new(2020, 5, 9).unwrap(),
            geo_precision: 1,
            lat: 10.0,
            lon: 20.0,
            admin1: "North Province".into(),
        }
    }

    fn actor(role: &str, inter: u8) -> ActorOut {
        ActorOut {
            name: format!("a{inter}"),
            role: role.into(),
            inter,
            country: None,
            mention: "m".into(),
            span: [0, 1],
            inter_confidence: None,
            person: false,
        }
    }

    fn verdict(v: &[Verdict], f: &str) -> Option<bool> {
        v.iter().find(|x| x.field == f).map(|x| x.correct)
    }

    #[test]
    fn scores_every_field() {
        let mut e = event("new", 0.9, Some("Armed clash"));
        e.acled_event_type = Some("Battles".into());
        e.actors = vec![actor("target", 1), actor("participant", 2)];
        e.fatalities = Some(CountOut {
            low: 3,
            best: 3,
            high: 5,
            estimates: vec![],
        });
        e.date = Some("2020-05-09".into());
        e.date_precision = Some("day".into());
        e.location = Some(LocationOut {
            name: "Town".into(),
            country: "XX".into(),
            admin1: Some("North".into()),
            admin2: None,
            lat: 10.1,
            lon: 20.1,
            geonames_id: None,
            precision: 1,
            precision_words: None,
            mention: "Town".into(),
            span: [5, 9],
        });
        let v = score_row(&gold(), &output(vec![e.clone()]));
        for f in FIELDS {
            assert_eq!(verdict(&v, f), Some(true), "{f}");
        }
        // 0.1 degree is ~15 km: within 25; 1 degree is not.
        e.location.as_mut().unwrap().lat = 11.0;
        e.date_precision = Some("month".into());
        e.fatalities = None;
        let v = score_row(&gold(), &output(vec![e]));
        assert_eq!(verdict(&v, "location_25km"), Some(false));
        assert_eq!(verdict(&v, "date"), Some(false));
        assert_eq!(verdict(&v, "fatalities"), Some(false));
        assert_eq!(verdict(&v, "admin1"), Some(true));
    }

    #[test]
    fn inter2_uses_second_participant_and_empty_gold_needs_no_actor() {
        let mut e = event("new", 0.9, Some("Armed clash"));
        e.actors = vec![actor("participant", 2), actor("participant", 1)];
        let v = score_row(&gold(), &output(vec![e.clone()]));
        assert_eq!(verdict(&v, "inter1"), Some(true));
        assert_eq!(verdict(&v, "inter2"), Some(true));
        let mut g = gold();
        g.inter2 = None;
        g.fatalities = 0;
        g.geo_precision = 2;
        let v = score_row(&g, &output(vec![e.clone()]));
        assert_eq!(verdict(&v, "inter2"), Some(false));
        assert_eq!(
            verdict(&v, "fatalities"),
            Some(true),
            "null fatalities count as 0"
        );
        assert_eq!(verdict(&v, "fatalities_nonzero"), None);
        assert_eq!(verdict(&v, "location_25km"), None);
        e.actors.truncate(1);
        assert_eq!(
            verdict(&score_row(&g, &output(vec![e])), "inter2"),
            Some(true)
        );
        // No new event: all wrong but the empty inter2.
        let v = score_row(&g, &output(vec![]));
        assert!(v.iter().all(|x| x.correct == (x.field == "inter2")));
    }

    #[test]
    fn parse_reports_bad_rows() {
        let csv = "event_id_cnty,event_date,event_type,sub_event_type,inter1,inter2,admin1,latitude,longitude,geo_precision,notes,fatalities\n\
                   A1,9-May-20,Battles,Armed clash,2,1,North,1.5,2.5,1,\"Clash in X.\",0\n\
                   A2,not a date,Battles,Armed clash,2,1,North,1.5,2.5,1,Clash in Y.,0\n\
                   A3,9-May-20,Battles\n";
        let (rows, fails) = parse("t.csv", csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].inter2, Some(1));
        assert_eq!(fails.len(), 2);
        assert_eq!(fails[0].line, Some(3));
        assert!(fails[0].message.contains("event_date"));
        assert!(fails[1].message.contains("fields"));
        let (_, fails) = parse("t.csv", csv.replace('\n', "\r\n").as_bytes()).unwrap();
        assert_eq!(
            fails.iter().map(|f| f.line).collect::<Vec<_>>(),
            vec![Some(3), Some(4)]
        );
        assert!(parse("t.csv", b"a,b\n1,2\n").is_err());
    }
}
