//! Dates against the document's reference date. The reference date comes,
//! in order, from a forced `--reference-date`, the document's own date
//! (metadata, the page's publication line, a dated dateline), a
//! `--reference-date` given as a fallback, a dated photo caption, or the
//! first full date in the text. Numeric dates ("4/5/2018") are read in the
//! outlet's or the document's convention.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use crate::model::{DateExpr, DatePrecision, Document, ResolvedDate};

/// Which figure of a numeric date ("4/5/2018") is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOrder {
    DayFirst,
    MonthFirst,
}

/// The countries whose press writes numeric dates month first
/// (`data/lexicon/date_order.tsv`).
#[derive(Debug, Clone, Default)]
pub struct DateConventions {
    month_first: Vec<String>,
}

impl DateConventions {
    pub fn from_tsv(tsv: &str) -> Self {
        let month_first = tsv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
            .map(|l| l.trim().to_ascii_uppercase())
            .collect();
        DateConventions { month_first }
    }

    fn order_of(&self, country: &str) -> NumericOrder {
        if self.month_first.iter().any(|c| c == country) {
            NumericOrder::MonthFirst
        } else {
            NumericOrder::DayFirst
        }
    }
}

/// Parse the leading `YYYY-MM-DD` of a metadata date or timestamp.
pub fn parse_iso_prefix(s: &str) -> Option<Date> {
    let s = s.trim();
    s.get(..10)
        .and_then(|p| p.parse::<Date>().ok())
        .or_else(|| s.parse::<Date>().ok())
}

/// The first full date (day, month and year) among `exprs`.
fn first_full_date<'e>(
    exprs: impl IntoIterator<Item = &'e DateExpr>,
    order: NumericOrder,
) -> Option<Date> {
    exprs.into_iter().find_map(|e| match e {
        DateExpr::Calendar {
            year: Some(_),
            day: Some(_),
            ..
        }
        | DateExpr::Numeric { .. } => resolve(e, None, order).map(|r| r.date),
        _ => None,
    })
}

/// A full date written in a line that is no sentence of the document (a
/// publication line, a caption).
fn line_date(line: &str, order: NumericOrder) -> Option<Date> {
    first_full_date(&crate::recognise::dates::dates_in_line(line), order)
}

/// A numeric date as publication lines write it: "2025-01-13",
/// "13/01/2025", "01/13/2025". Day and month are told apart when one is
/// above 12; otherwise in the document's `order`.
fn numeric_date(text: &str, order: NumericOrder) -> Option<Date> {
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
    let (day, month) = day_and_month(num(a)? as i8, num(b)? as i8, order);
    Date::new(year, month, day).ok()
}

/// Day and month of a numeric date's two figures: a figure above 12 is the
/// day; otherwise `order` decides.
fn day_and_month(first: i8, second: i8, order: NumericOrder) -> (i8, i8) {
    match order {
        _ if first > 12 => (first, second),
        _ if second > 12 => (second, first),
        NumericOrder::DayFirst => (first, second),
        NumericOrder::MonthFirst => (second, first),
    }
}

/// How the document writes numeric dates: its outlet's convention (the
/// country of its web address), else the text's own (another numeric date
/// with a figure above 12), else that of the country most of its places
/// are in, else day first.
pub fn numeric_order(doc: &Document, res: &crate::Resources) -> NumericOrder {
    let outlet = doc.meta.url.as_deref().and_then(url_country);
    if let Some(country) = outlet {
        return res.date_conventions.order_of(&country);
    }
    let stated = doc.dates.iter().find_map(|d| match d.expr {
        DateExpr::Numeric { first, .. } if first > 12 => Some(NumericOrder::DayFirst),
        DateExpr::Numeric { second, .. } if second > 12 => Some(NumericOrder::MonthFirst),
        _ => None,
    });
    stated
        .or_else(|| {
            let country = main_country(doc, res)?;
            Some(res.date_conventions.order_of(&country))
        })
        .unwrap_or(NumericOrder::DayFirst)
}

/// The country of a web address's country-code domain ("www.dawn.com.pk"
/// -> "PK"; "bbc.co.uk" -> "GB"); none for generic domains (".com").
fn url_country(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':', '?', '#']).next()?;
    let tld = host.rsplit('.').next()?;
    if tld.len() != 2 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let code = tld.to_ascii_uppercase();
    Some(if code == "UK" { "GB".into() } else { code })
}

/// The country most of the document's resolved places are in.
fn main_country(doc: &Document, res: &crate::Resources) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in doc.places.iter().filter_map(|p| p.resolved.as_ref()) {
        let c = res.gazetteer.entry(r.entry).country_code().to_string();
        match counts.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    // The first-named country wins a tie.
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(c, _)| c)
}

/// The document's reference date and where it comes from. A forced
/// `--reference-date` wins; then the document's own date (metadata, the
/// page's publication line, a dated dateline); then a `--reference-date`
/// given as a fallback; then a dated photo caption or the first full date
/// of the text. The dateline's and the text's dates are the mentions
/// `recognise` found: nothing is segmented again.
pub fn reference_date(doc: &mut Document, order: NumericOrder) {
    let given = doc.meta.published.as_deref();
    let parsed = given.and_then(parse_iso_prefix);
    if let (Some(p), None) = (given, parsed) {
        // Said, not dropped: the caller thinks the document has a date.
        doc.warnings.push(format!(
            "{}: published value {p:?} is not an ISO 8601 date (YYYY-MM-DD...); ignored",
            doc.meta.source
        ));
    }
    // A publication line in the page ("Published October 17, 2025") is the
    // page's own metadata, read when the caller gave none.
    let meta = parsed.or_else(|| {
        let line = doc.facts.published.as_deref()?;
        line_date(line, order).or_else(|| numeric_date(line, order))
    });
    let cli = doc.meta.reference_date;
    let forced = cli.filter(|g| g.force).map(|g| g.date);
    let candidates = [
        (forced, "cli"),
        (meta, "metadata"),
        (dateline_date(doc, order), "dateline"),
        (cli.map(|g| g.date), "cli"),
        (
            doc.facts
                .caption
                .as_deref()
                .and_then(|c| line_date(c, order)),
            "caption",
        ),
        (
            first_full_date(doc.dates.iter().map(|d| &d.expr), order),
            "text",
        ),
    ];
    let found = candidates
        .into_iter()
        .find_map(|(d, from)| Some((d?, from)));
    doc.facts.reference_date = found.map(|(d, _)| d);
    doc.facts.reference_date_from = found.map(|(_, from)| from);
}

/// A dateline's date ("CAIRO, March 3, 2024 (AP) -"): a full date among the
/// mentions of the dateline's sentence.
fn dateline_date(doc: &Document, order: NumericOrder) -> Option<Date> {
    let [ds, de] = doc.facts.dateline_span?;
    let inside = doc
        .dates
        .iter()
        .filter(|d| d.span[0] >= ds && d.span[1] <= de)
        .map(|d| &d.expr);
    first_full_date(inside, order)
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
/// the caller, which knows the anchor; `order` reads numeric dates.
pub fn resolve(
    expr: &DateExpr,
    reference: Option<Date>,
    order: NumericOrder,
) -> Option<ResolvedDate> {
    let day = |d: Date| Some(ResolvedDate::day(d));
    let at = |date: Date, precision| Some(ResolvedDate { date, precision });
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
        } => at(Date::new(*y, *month, 1).ok()?, DatePrecision::Month),
        DateExpr::Calendar {
            year: None,
            month,
            day: d,
        } => without_year(*month, *d, reference?),
        DateExpr::Numeric {
            first,
            second,
            year,
        } => {
            let (d, m) = day_and_month(*first, *second, order);
            Date::new(*year, m, d).ok().and_then(day)
        }
        DateExpr::Year(y) => at(Date::new(*y, 1, 1).ok()?, DatePrecision::Year),
        DateExpr::Weekday(w) => day(last_weekday(reference?, *w)),
        DateExpr::WeekdayBefore(w) => day(last_weekday(reference?.yesterday().ok()?, *w)),
        DateExpr::RelativeDays(n) => reference?
            .checked_add((*n as i64).days())
            .ok()
            .and_then(day),
        DateExpr::RelativeWeek(n) => at(
            reference?.checked_add((7 * *n as i64).days()).ok()?,
            DatePrecision::Week,
        ),
        DateExpr::RelativeMonth(n) => {
            let first = reference?.first_of_month();
            at(
                first.checked_add((*n as i64).months()).ok()?,
                DatePrecision::Month,
            )
        }
        DateExpr::RelativeYear(n) => at(
            Date::new(reference?.year() + *n as i16, 1, 1).ok()?,
            DatePrecision::Year,
        ),
        DateExpr::Since(inner) => resolve(inner, reference, order),
        DateExpr::AnchorOffset(_) | DateExpr::PreviousOffset(_) => None,
    }
}

/// "Sept 5", "in February": the most recent such date on or before the
/// reference date, or one of the month after it ("from 1 - 6 May" in a
/// note dated 1 May; a plan announced for Sept. 7 on Sept. 5): a day a
/// few weeks ahead is this year's, not one almost a year back.
fn without_year(month: i8, day: Option<i8>, r: Date) -> Option<ResolvedDate> {
    const AHEAD_DAYS: i32 = 31;
    let mut y = r.year();
    let d = day.unwrap_or(1);
    if let Ok(candidate) = Date::new(y, month, d) {
        let later = if day.is_some() {
            (candidate - r).get_days() > AHEAD_DAYS
        } else {
            month > r.month()
        };
        if later {
            y -= 1;
        }
    }
    Some(ResolvedDate {
        date: Date::new(y, month, d).ok()?,
        precision: if day.is_some() {
            DatePrecision::Day
        } else {
            DatePrecision::Month
        },
    })
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
pub fn resolve_mentions(doc: &mut Document, order: NumericOrder) {
    let r = doc.facts.reference_date;
    for d in &mut doc.dates {
        d.resolved = resolve(&d.expr, r, order);
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

    const D: NumericOrder = NumericOrder::DayFirst;

    #[test]
    fn resolves_against_reference() {
        let r = Some(date(2016, 9, 5));
        let cal = |m, d| DateExpr::Calendar {
            year: None,
            month: m,
            day: d,
        };
        assert_eq!(
            resolve(&DateExpr::Weekday(Weekday::Monday), r, D)
                .unwrap()
                .render(),
            "2016-09-05"
        );
        assert_eq!(
            resolve(&DateExpr::Weekday(Weekday::Saturday), r, D)
                .unwrap()
                .render(),
            "2016-09-03"
        );
        assert_eq!(resolve(&cal(2, None), r, D).unwrap().render(), "2016-02");
        assert_eq!(resolve(&cal(11, None), r, D).unwrap().render(), "2015-11");
        assert_eq!(
            resolve(&cal(12, Some(30)), r, D).unwrap().render(),
            "2015-12-30"
        );
        assert_eq!(
            resolve(&DateExpr::RelativeDays(-1), r, D).unwrap().render(),
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
        assert_eq!(
            numeric_date("13/01/2025 - 14:20", D),
            Some(date(2025, 1, 13))
        );
        assert_eq!(numeric_date("01/13/2025", D), Some(date(2025, 1, 13)));
        assert_eq!(numeric_date("05.03.2024", D), Some(date(2024, 3, 5)));
        assert_eq!(numeric_date("2025-01-13T10:00", D), Some(date(2025, 1, 13)));
        assert_eq!(numeric_date("about 2 hours ago", D), None);
    }

    #[test]
    fn reads_iso_prefixes() {
        assert_eq!(
            parse_iso_prefix("2024-03-05T10:00:00Z"),
            Some(date(2024, 3, 5))
        );
        assert_eq!(parse_iso_prefix("n/a"), None);
    }

    /// The pipeline's view of `text` given `meta`.
    fn annotated(text: &str, meta: crate::model::InputMeta) -> Document {
        let mut d = Document::new(
            String::new(),
            text.into(),
            crate::model::SpanBasis::Input,
            meta,
        );
        crate::annotate(&mut d, crate::Resources::shared());
        d
    }

    fn reference_of(text: &str, meta: crate::model::InputMeta) -> (Option<Date>, Option<&str>) {
        let d = annotated(text, meta);
        (d.facts.reference_date, d.facts.reference_date_from)
    }

    #[test]
    fn the_documents_own_date_wins_over_a_given_one_unless_forced() {
        use crate::model::{GivenDate, InputMeta};
        let given = |force| InputMeta {
            reference_date: Some(GivenDate {
                date: date(2020, 1, 1),
                force,
            }),
            ..Default::default()
        };
        let wire = "CAIRO, March 3, 2024 (AP) — Gunmen killed two people on Monday.";
        assert_eq!(
            reference_of(wire, given(false)),
            (Some(date(2024, 3, 3)), Some("dateline"))
        );
        assert_eq!(
            reference_of(wire, given(true)),
            (Some(date(2020, 1, 1)), Some("cli"))
        );
        let published = InputMeta {
            published: Some("2024-03-05T08:00:00Z".into()),
            ..given(false)
        };
        assert_eq!(
            reference_of("Gunmen killed two people on Monday.", published),
            (Some(date(2024, 3, 5)), Some("metadata"))
        );
        assert_eq!(
            reference_of("Gunmen killed two people on Monday.", given(false)),
            (Some(date(2020, 1, 1)), Some("cli"))
        );
        // Without any: the first full date the recognisers found in the text.
        assert_eq!(
            reference_of(
                "Gunmen killed two people on Monday, 4 March 2024.",
                InputMeta::default()
            ),
            (Some(date(2024, 3, 4)), Some("text"))
        );
    }

    #[test]
    fn numeric_dates_follow_the_outlets_country() {
        let at = |url: &str| {
            let meta = crate::model::InputMeta {
                url: Some(url.into()),
                ..Default::default()
            };
            annotated("A bomb exploded in the market on 4/5/2018.", meta).dates[0].resolved
        };
        assert_eq!(
            at("https://news.example.ph/story/1").map(|r| r.date),
            Some(date(2018, 4, 5))
        );
        assert_eq!(
            at("https://www.example.com.ng/story/1").map(|r| r.date),
            Some(date(2018, 5, 4))
        );
        assert_eq!(url_country("http://bbc.co.uk/news"), Some("GB".into()));
        assert_eq!(url_country("https://example.com/a.ph"), None);
    }

    #[test]
    fn relative_months_years_and_last_weekdays() {
        let r = Some(date(2018, 5, 22)); // a Tuesday
        let render = |e: DateExpr| resolve(&e, r, D).unwrap().render();
        assert_eq!(
            render(DateExpr::WeekdayBefore(Weekday::Tuesday)),
            "2018-05-15"
        );
        assert_eq!(render(DateExpr::Weekday(Weekday::Tuesday)), "2018-05-22");
        assert_eq!(render(DateExpr::RelativeMonth(-1)), "2018-04");
        assert_eq!(render(DateExpr::RelativeMonth(0)), "2018-05");
        assert_eq!(render(DateExpr::RelativeYear(-1)), "2017");
        let numeric = |first, second| DateExpr::Numeric {
            first,
            second,
            year: 2018,
        };
        assert_eq!(render(numeric(4, 5)), "2018-05-04");
        assert_eq!(
            resolve(&numeric(4, 5), r, NumericOrder::MonthFirst)
                .unwrap()
                .render(),
            "2018-04-05"
        );
        assert_eq!(render(numeric(4, 13)), "2018-04-13");
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
            reference_date(&mut d, D);
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
