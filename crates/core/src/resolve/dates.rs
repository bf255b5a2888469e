//! Dates against the document's reference date. The reference date comes,
//! in order, from the caller (`--reference-date` or metadata), the page's
//! publication line, a dated dateline, a dated photo caption, or the first full date in the text.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use crate::model::{DateExpr, DatePrecision, Document, ResolvedDate};

/// Parse the leading `YYYY-MM-DD` of a metadata date or timestamp.
pub fn parse_iso_prefix(s: &str) -> Option<Date> {
    let s = s.trim();
    s.get(..10)
        .and_then(|p| p.parse::<Date>().ok())
        .or_else(|| s.parse::<Date>().ok())
}

/// A full calendar date written in `text` ("September 5, 2016", "9 May 2020").
fn first_full_date(text: &str) -> Option<Date> {
    let mut d = Document::new(
        String::new(),
        text.to_string(),
        crate::model::SpanBasis::Input,
        Default::default(),
    );
    d.blocks = vec![crate::model::Block {
        span: [0, text.len()],
        kind: crate::model::BlockKind::Body,
    }];
    crate::segment::segment(&mut d);
    (0..d.sentences.len())
        .flat_map(|s| crate::recognise::dates::find_dates(&d, s))
        .find_map(|m| match m.expr {
            DateExpr::Calendar {
                year: Some(y),
                month,
                day: Some(day),
            } => Date::new(y, month, day).ok(),
            _ => None,
        })
}

/// A numeric date as publication lines write it: "2025-01-13",
/// "13/01/2025", "01/13/2025". Day and month are told apart when one is
/// above 12; otherwise day-first, the order of most of the world's press.
fn numeric_date(text: &str) -> Option<Date> {
    static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = R.get_or_init(|| {
        regex::Regex::new(r"\b(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:\D|$)")
            .expect("pattern compiles")
    });
    let c = re.captures(text)?;
    let (a, b, y) = (&c[1], &c[2], &c[3]);
    let num = |s: &str| s.parse::<i16>().ok();
    if a.len() == 4 {
        return Date::new(num(a)?, num(b)? as i8, num(y)? as i8).ok();
    }
    let year = match y.len() {
        4 => num(y)?,
        2 => 2000 + num(y)?,
        _ => return None,
    };
    let (a, b) = (num(a)? as i8, num(b)? as i8);
    let (day, month) = if b > 12 { (b, a) } else { (a, b) };
    Date::new(year, month, day).ok()
}

/// A dateline's date ("BEIRUT, Sept 5 (Reuters) -") needs a year: take it
/// from metadata when there is one, else none.
fn dateline_date(doc: &Document) -> Option<Date> {
    let span = doc.facts.dateline_span?;
    first_full_date(doc.slice(span))
}

pub fn reference_date(doc: &mut Document) {
    // A publication line in the page ("Published October 17, 2025") is the
    // page's own metadata, read when the caller gave none.
    let given = doc.meta.published.as_deref();
    let parsed = given.and_then(parse_iso_prefix);
    if let (Some(p), None) = (given, parsed) {
        // Said, not dropped: the caller thinks the document has a date.
        doc.warnings.push(format!(
            "{}: published value {p:?} is not an ISO 8601 date (YYYY-MM-DD...); ignored",
            doc.meta.source
        ));
    }
    let meta = parsed.or_else(|| {
        let line = doc.facts.published.as_deref()?;
        first_full_date(line).or_else(|| numeric_date(line))
    });
    let (date, from) = if let Some(d) = doc.meta.reference_date {
        (Some(d), "cli")
    } else if let Some(d) = meta {
        (Some(d), "metadata")
    } else if let Some(d) = dateline_date(doc) {
        (Some(d), "dateline")
    } else if let Some(d) = doc.facts.caption.as_deref().and_then(first_full_date) {
        (Some(d), "caption")
    } else {
        let body: Vec<String> = doc
            .sentences
            .iter()
            .map(|s| doc.slice(s.span).to_string())
            .collect();
        (body.iter().find_map(|s| first_full_date(s)), "text")
    };
    doc.facts.reference_date = date;
    doc.facts.reference_date_from = date.map(|_| from);
}

/// The most recent `weekday` on or before `reference`.
fn last_weekday(reference: Date, weekday: Weekday) -> Date {
    let back = (reference.weekday().to_monday_zero_offset() - weekday.to_monday_zero_offset())
        .rem_euclid(7);
    reference
        .checked_sub((back as i64).days())
        .unwrap_or(reference)
}

/// Resolve one expression. Offsets relative to other events are resolved by
/// the caller, which knows the anchor.
pub fn resolve(expr: &DateExpr, reference: Option<Date>) -> Option<ResolvedDate> {
    let day = |d: Date| Some(ResolvedDate::day(d));
    match expr {
        DateExpr::Calendar {
            year: Some(y),
            month,
            day: Some(dd),
        } => Date::new(*y, *month, *dd).ok().and_then(day),
        DateExpr::Calendar {
            year: Some(y),
            month,
            day: None,
        } => Date::new(*y, *month, 1).ok().map(|date| ResolvedDate {
            date,
            precision: DatePrecision::Month,
        }),
        DateExpr::Calendar {
            year: None,
            month,
            day,
        } => {
            let r = reference?;
            let mut y = r.year();
            let d = day.unwrap_or(1);
            if let Ok(candidate) = Date::new(y, *month, d) {
                // The most recent such date: a later one this year means last year.
                let later = if day.is_some() {
                    candidate > r
                } else {
                    *month > r.month()
                };
                if later {
                    y -= 1;
                }
            }
            let date = Date::new(y, *month, d).ok()?;
            Some(ResolvedDate {
                date,
                precision: if day.is_some() {
                    DatePrecision::Day
                } else {
                    DatePrecision::Month
                },
            })
        }
        DateExpr::Year(y) => Date::new(*y, 1, 1).ok().map(|date| ResolvedDate {
            date,
            precision: DatePrecision::Year,
        }),
        DateExpr::Weekday(w) => day(last_weekday(reference?, *w)),
        DateExpr::RelativeDays(n) => reference?
            .checked_add((*n as i64).days())
            .ok()
            .and_then(day),
        DateExpr::RelativeWeek(n) => {
            let date = reference?.checked_add((7 * *n as i64).days()).ok()?;
            Some(ResolvedDate {
                date,
                precision: DatePrecision::Week,
            })
        }
        DateExpr::ThisMonth => {
            let r = reference?;
            Some(ResolvedDate {
                date: Date::new(r.year(), r.month(), 1).ok()?,
                precision: DatePrecision::Month,
            })
        }
        DateExpr::Since(inner) => resolve(inner, reference),
        DateExpr::AnchorOffset(_) | DateExpr::PreviousOffset(_) => None,
    }
}

/// `anchor` shifted by `days`, keeping day precision.
pub fn offset(anchor: ResolvedDate, days: i32) -> Option<ResolvedDate> {
    let date = anchor.date.checked_add((days as i64).days()).ok()?;
    Some(ResolvedDate {
        date,
        precision: anchor.precision,
    })
}

/// Resolve every date mention of the document that does not depend on another event.
pub fn resolve_mentions(doc: &mut Document) {
    let r = doc.facts.reference_date;
    for d in &mut doc.dates {
        d.resolved = resolve(&d.expr, r);
    }
}

/// Whether an event on `date` is a past event cited for context, seen from `reference`.
pub fn is_background(date: ResolvedDate, reference: Option<Date>) -> bool {
    let Some(r) = reference else { return false };
    match date.precision {
        DatePrecision::Day | DatePrecision::Week => {
            date.date < r.checked_sub(14.days()).unwrap_or(r)
        }
        DatePrecision::Month => (date.date.year(), date.date.month()) < (r.year(), r.month()),
        DatePrecision::Year => date.date.year() < r.year(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn resolves_against_reference() {
        let r = Some(date(2016, 9, 5));
        let cal = |m, d| DateExpr::Calendar {
            year: None,
            month: m,
            day: d,
        };
        assert_eq!(
            resolve(&DateExpr::Weekday(Weekday::Monday), r)
                .unwrap()
                .render(),
            "2016-09-05"
        );
        assert_eq!(
            resolve(&DateExpr::Weekday(Weekday::Saturday), r)
                .unwrap()
                .render(),
            "2016-09-03"
        );
        assert_eq!(resolve(&cal(2, None), r).unwrap().render(), "2016-02");
        assert_eq!(resolve(&cal(11, None), r).unwrap().render(), "2015-11");
        assert_eq!(
            resolve(&cal(12, Some(30)), r).unwrap().render(),
            "2015-12-30"
        );
        assert_eq!(
            resolve(&DateExpr::RelativeDays(-1), r).unwrap().render(),
            "2016-09-04"
        );
        assert_eq!(
            offset(ResolvedDate::day(date(2016, 9, 5)), -1)
                .unwrap()
                .render(),
            "2016-09-04"
        );
    }

    #[test]
    fn background_by_precision() {
        let r = Some(date(2016, 9, 5));
        assert!(is_background(
            ResolvedDate {
                date: date(2016, 2, 1),
                precision: DatePrecision::Month
            },
            r
        ));
        assert!(!is_background(ResolvedDate::day(date(2016, 9, 4)), r));
        assert!(is_background(ResolvedDate::day(date(2016, 8, 1)), r));
    }

    #[test]
    fn reads_numeric_publication_dates() {
        assert_eq!(numeric_date("13/01/2025 - 14:20"), Some(date(2025, 1, 13)));
        assert_eq!(numeric_date("01/13/2025"), Some(date(2025, 1, 13)));
        assert_eq!(numeric_date("05.03.2024"), Some(date(2024, 3, 5)));
        assert_eq!(numeric_date("2025-01-13T10:00"), Some(date(2025, 1, 13)));
        assert_eq!(numeric_date("about 2 hours ago"), None);
    }

    #[test]
    fn reads_iso_prefixes() {
        assert_eq!(
            parse_iso_prefix("2024-03-05T10:00:00Z"),
            Some(date(2024, 3, 5))
        );
        assert_eq!(parse_iso_prefix("n/a"), None);
    }

    #[test]
    fn an_unreadable_published_value_is_reported() {
        let doc_with = |published: &str| {
            let meta = crate::model::InputMeta {
                source: "x.jsonl:1".into(),
                published: Some(published.into()),
                ..Default::default()
            };
            let mut d = Document::new(
                String::new(),
                "Gunmen killed two people on Monday.".into(),
                crate::model::SpanBasis::Input,
                meta,
            );
            reference_date(&mut d);
            d
        };
        let bad = doc_with("last Tuesday");
        assert_eq!(bad.facts.reference_date, None);
        assert!(bad.warnings[0].contains("\"last Tuesday\" is not an ISO 8601 date"));
        let good = doc_with("2024-03-05T10:00:00Z");
        assert_eq!(good.facts.reference_date, Some(date(2024, 3, 5)));
        assert!(good.warnings.is_empty());
    }
}
