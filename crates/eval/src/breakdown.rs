//! Why a fatalities or date field is wrong (issue 5): each wrong ACLED row
//! gets one category. This module is the only place the categories are
//! decided; [`super::acled`] tallies them into the report's `breakdown`.
//!
//! The decisions look only at what the pipeline outputs (the scored event,
//! the other events, the aggregates and their estimates) and at the gold
//! value; a row is wrong here exactly when its METRICS.md field is wrong.

use jiff::civil::Date;

use super::report::{Breakdown, Category};
use super::scored_event;
use warcoder_core::output::{CountOut, EventOut, Output};

/// The plain kind of a wrong fatalities value, whatever explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FatalityKind {
    /// The output has no new event (detail: whether the gold toll is 0).
    NoEvent { gold_zero: bool },
    /// Gold above 0; the scored event's `best` is null or 0.
    Missing { stated_zero: bool },
    /// Gold 0; `best` above 0.
    Spurious,
    /// Both above 0 and different.
    WrongNumber { over: bool },
}

impl FatalityKind {
    pub fn name(self) -> &'static str {
        match self {
            FatalityKind::NoEvent { .. } => "no_event",
            FatalityKind::Missing { .. } => "missing",
            FatalityKind::Spurious => "spurious",
            FatalityKind::WrongNumber { .. } => "wrong_number",
        }
    }
}

/// A reason the output gives for the wrong value, when one is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FatalityCause {
    /// The predicted figure is one the output holds as an aggregate (a toll
    /// for several incidents or a period), or the gold figure is.
    Aggregate,
    /// The gold is the sum of the scored event's current estimates (two or
    /// more, e.g. one per group killed), and `best` took one of them.
    PartsNotSummed,
    /// The gold equals another current estimate of the scored event: the
    /// figure was read, `best` chose a different one.
    OtherEstimate,
    /// The gold figure is on another event of the output (new or background).
    OtherEvent,
}

impl FatalityCause {
    pub fn name(self) -> &'static str {
        match self {
            FatalityCause::Aggregate => "aggregate_as_incident",
            FatalityCause::PartsNotSummed => "parts_not_summed",
            FatalityCause::OtherEstimate => "other_estimate_chosen",
            FatalityCause::OtherEvent => "on_another_event",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FatalityError {
    pub kind: FatalityKind,
    pub cause: Option<FatalityCause>,
}

impl FatalityError {
    /// The report category: the cause when there is one, else the kind.
    pub fn category(self) -> &'static str {
        match (self.kind, self.cause) {
            (FatalityKind::NoEvent { .. }, _) => "no_event",
            (_, Some(c)) => c.name(),
            (k, None) => k.name(),
        }
    }

    /// The detail counted inside the category (its histogram key).
    pub fn detail(self) -> Option<&'static str> {
        match (self.kind, self.cause) {
            (FatalityKind::NoEvent { gold_zero }, _) => {
                Some(if gold_zero { "gold 0" } else { "gold > 0" })
            }
            (k, Some(_)) => Some(k.name()),
            (FatalityKind::Missing { stated_zero }, None) => {
                Some(if stated_zero { "0 stated" } else { "null" })
            }
            (FatalityKind::WrongNumber { over }, None) => Some(if over { "over" } else { "under" }),
            (FatalityKind::Spurious, None) => None,
        }
    }
}

/// Report categories for fatalities in precedence order (the first that
/// applies wins), each with the detail keys it may count.
pub const FATALITY_CATEGORIES: [(&str, &[&str]); 8] = [
    ("no_event", &["gold > 0", "gold 0"]),
    ("aggregate_as_incident", &KINDS),
    ("parts_not_summed", &KINDS),
    ("other_estimate_chosen", &KINDS),
    ("on_another_event", &KINDS),
    ("missing", &["null", "0 stated"]),
    ("spurious", &[]),
    ("wrong_number", &["over", "under"]),
];

const KINDS: [&str; 3] = ["missing", "spurious", "wrong_number"];
/// Plain kinds, counted beside the categories.
pub const FATALITY_KINDS: [&str; 4] = ["no_event", "missing", "spurious", "wrong_number"];

fn current(c: &CountOut) -> impl Iterator<Item = u64> + '_ {
    c.estimates
        .iter()
        .filter(|x| !x.superseded)
        .map(|x| x.count)
}

/// Every figure a count states: its current estimates and its `best`.
fn figures(c: &Option<CountOut>) -> Vec<u64> {
    match c {
        Some(c) => current(c).chain(std::iter::once(c.best)).collect(),
        None => Vec::new(),
    }
}

/// METRICS.md `fatalities` (null counts as 0) decides right or wrong; for a
/// wrong value, its kind and visible cause. None when the value is right.
pub fn classify_fatalities(gold: u64, out: &Output) -> Option<FatalityError> {
    let Some(e) = scored_event(out) else {
        return Some(FatalityError {
            kind: FatalityKind::NoEvent {
                gold_zero: gold == 0,
            },
            cause: None,
        });
    };
    let pred = e.fatalities.as_ref().map_or(0, |f| f.best);
    if pred == gold {
        return None;
    }
    let kind = if gold == 0 {
        FatalityKind::Spurious
    } else if pred == 0 {
        FatalityKind::Missing {
            stated_zero: e.fatalities.is_some(),
        }
    } else {
        FatalityKind::WrongNumber { over: pred > gold }
    };
    Some(FatalityError {
        kind,
        cause: fatality_cause(gold, pred, e, out),
    })
}

fn fatality_cause(gold: u64, pred: u64, e: &EventOut, out: &Output) -> Option<FatalityCause> {
    let aggregate: Vec<u64> = out
        .aggregates
        .iter()
        .flat_map(|a| figures(&a.fatalities))
        .collect();
    if (pred > 0 && aggregate.contains(&pred)) || (gold > 0 && aggregate.contains(&gold)) {
        return Some(FatalityCause::Aggregate);
    }
    if gold == 0 {
        return None;
    }
    if let Some(f) = &e.fatalities {
        let mut spans: Vec<_> = f
            .estimates
            .iter()
            .filter(|x| !x.superseded)
            .map(|x| (x.span, x.count))
            .collect();
        spans.sort();
        spans.dedup_by_key(|s| s.0);
        if spans.len() >= 2 && spans.iter().map(|s| s.1).sum::<u64>() == gold {
            return Some(FatalityCause::PartsNotSummed);
        }
        if current(f).any(|c| c == gold) {
            return Some(FatalityCause::OtherEstimate);
        }
    }
    let on_other = out
        .events
        .iter()
        .filter(|o| !std::ptr::eq(*o, e))
        .any(|o| figures(&o.fatalities).contains(&gold));
    on_other.then_some(FatalityCause::OtherEvent)
}

/// Why a `date` is wrong (METRICS.md: `date` at day precision equals gold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The output has no new event.
    NoEvent,
    /// The scored event has no date (or one that does not read as a date).
    Missing,
    /// A day-precision date, `days` after the gold (negative: before).
    WrongDay { days: i32 },
    /// A date coarser than a day (week, month, year).
    WrongPrecision { precision: String },
}

impl DateError {
    pub fn category(&self) -> &'static str {
        match self {
            DateError::NoEvent => "no_event",
            DateError::Missing => "missing",
            DateError::WrongDay { .. } => "wrong_day",
            DateError::WrongPrecision { .. } => "wrong_precision",
        }
    }

    /// The histogram key: the day offset bucket, or the precision given.
    pub fn detail(&self) -> Option<&'static str> {
        match self {
            DateError::WrongDay { days } => Some(match *days {
                -1 => "-1",
                1 => "+1",
                -7..=-2 => "-2..-7",
                2..=7 => "+2..+7",
                _ => "beyond 7 days",
            }),
            DateError::WrongPrecision { precision } => Some(match precision.as_str() {
                "week" => "week",
                "month" => "month",
                "year" => "year",
                _ => "other",
            }),
            _ => None,
        }
    }
}

pub const DATE_CATEGORIES: [(&str, &[&str]); 4] = [
    ("no_event", &[]),
    ("missing", &[]),
    (
        "wrong_day",
        &["-1", "+1", "-2..-7", "+2..+7", "beyond 7 days"],
    ),
    ("wrong_precision", &["week", "month", "year", "other"]),
];

/// None when the scored event's date is the gold day at day precision.
pub fn classify_date(gold: Date, out: &Output) -> Option<DateError> {
    let Some(e) = scored_event(out) else {
        return Some(DateError::NoEvent);
    };
    let Some(date) = e.date.as_deref() else {
        return Some(DateError::Missing);
    };
    let precision = e.date_precision.as_deref().unwrap_or("");
    if precision != "day" {
        return Some(DateError::WrongPrecision {
            precision: precision.to_string(),
        });
    }
    let Ok(pred) = date.parse::<Date>() else {
        return Some(DateError::Missing);
    };
    if pred == gold {
        return None;
    }
    let days = gold.until(pred).map(|s| s.get_days()).unwrap_or(i32::MAX);
    Some(DateError::WrongDay { days })
}

/// How many example row ids each category keeps (the first in file order).
pub const EXAMPLES: usize = 5;

/// Counts categories, details and kinds over the rows of one field.
pub struct Tallies {
    n: usize,
    kinds: Vec<(&'static str, usize)>,
    categories: Vec<(&'static str, Category)>,
}

impl Tallies {
    /// `categories` in precedence order with their detail keys (the order
    /// details are shown in); `kinds` may be empty.
    pub fn new(categories: &[(&'static str, &[&'static str])], kinds: &[&'static str]) -> Self {
        Tallies {
            n: 0,
            kinds: kinds.iter().map(|k| (*k, 0)).collect(),
            categories: categories
                .iter()
                .map(|(name, details)| {
                    (
                        *name,
                        Category {
                            count: 0,
                            examples: Vec::new(),
                            detail: details.iter().map(|d| (d.to_string(), 0)).collect(),
                        },
                    )
                })
                .collect(),
        }
    }

    /// One row: None when right, else its category, detail and kind.
    pub fn add(
        &mut self,
        id: &str,
        wrong: Option<(&'static str, Option<&'static str>, Option<&'static str>)>,
    ) {
        self.n += 1;
        let Some((category, detail, kind)) = wrong else {
            return;
        };
        if let Some(k) = kind {
            if let Some(slot) = self.kinds.iter_mut().find(|x| x.0 == k) {
                slot.1 += 1;
            }
        }
        let Some((_, c)) = self.categories.iter_mut().find(|x| x.0 == category) else {
            debug_assert!(false, "unknown category {category}");
            return;
        };
        c.count += 1;
        if c.examples.len() < EXAMPLES {
            c.examples.push(id.to_string());
        }
        if let Some(d) = detail {
            match c.detail.iter_mut().find(|x| x.0 == d) {
                Some(slot) => slot.1 += 1,
                None => c.detail.push((d.to_string(), 1)),
            }
        }
    }

    pub fn add_fatalities(&mut self, id: &str, e: Option<FatalityError>) {
        self.add(
            id,
            e.map(|e| (e.category(), e.detail(), Some(e.kind.name()))),
        );
    }

    pub fn add_date(&mut self, id: &str, e: Option<&DateError>) {
        self.add(id, e.map(|e| (e.category(), e.detail(), None)));
    }

    /// The breakdown; details that never occurred are dropped.
    pub fn finish(self) -> Breakdown {
        let wrong = self.categories.iter().map(|c| c.1.count).sum();
        Breakdown {
            n: self.n,
            wrong,
            kinds: self
                .kinds
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            categories: self
                .categories
                .into_iter()
                .map(|(k, mut c)| {
                    c.detail.retain(|d| d.1 > 0);
                    (k.to_string(), c)
                })
                .collect(),
        }
    }
}

/// The report notes that say how the categories are read.
pub fn notes() -> Vec<String> {
    vec![
        "breakdown: every wrong fatalities/date row is in exactly one category, the first that applies in the order listed; fatalities `kinds` count the plain kind (no_event, missing, spurious, wrong_number) whatever the category, and a cause category's detail says which kind its rows are".into(),
        "breakdown fatalities: no_event = no new event (detail: gold 0 or gold > 0); missing = gold > 0, best null or 0 (detail: null, or 0 stated); spurious = gold 0, best > 0; wrong_number = both > 0 (detail: over or under the gold)".into(),
        "breakdown fatalities: aggregate_as_incident = the predicted best, or the gold, equals a figure of one of the output's aggregates (tolls for several incidents or a period)".into(),
        "breakdown fatalities: parts_not_summed = the gold is the sum of the scored event's current estimates (2 or more, distinct spans, e.g. one per group killed); other_estimate_chosen = the gold is one of the scored event's current estimates but best took another; on_another_event = the gold is a figure of another event of the output".into(),
        "breakdown date: wrong_day offsets are predicted minus gold in days; wrong_precision = a week, month or year date (no day-precision date can be right); missing = no date on the scored event".into(),
        format!("breakdown examples: the first {EXAMPLES} row ids of each category in file order"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{event, output};
    use warcoder_core::output::{AggregateOut, EstimateOut};

    fn est(count: u64, span: [usize; 2], superseded: bool) -> EstimateOut {
        EstimateOut {
            count,
            count_high: None,
            qualifier: None,
            vague: false,
            source: None,
            who: None,
            superseded,
            span,
        }
    }

    /// A count whose best is the lowest current estimate.
    fn count(estimates: Vec<EstimateOut>) -> CountOut {
        let cur: Vec<u64> = estimates
            .iter()
            .filter(|x| !x.superseded)
            .map(|x| x.count)
            .collect();
        CountOut {
            low: *cur.iter().min().unwrap_or(&0),
            best: *cur.iter().min().unwrap_or(&0),
            high: *cur.iter().max().unwrap_or(&0),
            estimates,
        }
    }

    fn killed(counts: &[u64]) -> EventOut {
        let mut e = event("new", 0.9, Some("Attack"));
        e.fatalities = Some(count(
            counts
                .iter()
                .enumerate()
                .map(|(i, c)| est(*c, [i * 10, i * 10 + 5], false))
                .collect(),
        ));
        e
    }

    fn aggregate(n: u64) -> AggregateOut {
        AggregateOut {
            fatalities: Some(count(vec![est(n, [100, 110], false)])),
            injured: None,
            scope: "attacks".into(),
            date: None,
            period_start: None,
            span: [90, 120],
        }
    }

    fn category(gold: u64, out: &Output) -> Option<(&'static str, Option<&'static str>)> {
        classify_fatalities(gold, out).map(|e| (e.category(), e.detail()))
    }

    #[test]
    fn fatalities_plain_kinds() {
        assert_eq!(category(3, &output(vec![killed(&[3])])), None);
        assert_eq!(category(0, &output(vec![event("new", 0.9, None)])), None);
        assert_eq!(
            category(3, &output(vec![])),
            Some(("no_event", Some("gold > 0"))),
            "no new event"
        );
        assert_eq!(
            category(0, &output(vec![event("background", 0.9, None)])),
            Some(("no_event", Some("gold 0"))),
            "gold 0 with no new event is still wrong (METRICS.md)"
        );
        assert_eq!(
            category(2, &output(vec![event("new", 0.9, None)])),
            Some(("missing", Some("null")))
        );
        assert_eq!(
            category(2, &output(vec![killed(&[0])])),
            Some(("missing", Some("0 stated")))
        );
        assert_eq!(
            category(0, &output(vec![killed(&[4])])),
            Some(("spurious", None))
        );
        assert_eq!(
            category(2, &output(vec![killed(&[5])])),
            Some(("wrong_number", Some("over")))
        );
        assert_eq!(
            category(9, &output(vec![killed(&[5])])),
            Some(("wrong_number", Some("under")))
        );
    }

    #[test]
    fn fatalities_aggregate_either_way() {
        // The incident carries the aggregate's figure.
        let mut out = output(vec![killed(&[12])]);
        out.aggregates.push(aggregate(12));
        assert_eq!(
            category(3, &out),
            Some(("aggregate_as_incident", Some("wrong_number")))
        );
        assert_eq!(
            category(0, &out),
            Some(("aggregate_as_incident", Some("spurious")))
        );
        // The text's aggregate is what the gold coded; the incident has none.
        let mut out = output(vec![event("new", 0.9, None)]);
        out.aggregates.push(aggregate(7));
        assert_eq!(
            category(7, &out),
            Some(("aggregate_as_incident", Some("missing")))
        );
        assert_eq!(category(6, &out), Some(("missing", Some("null"))));
        // A right value stays right even beside an aggregate.
        let mut out = output(vec![killed(&[7])]);
        out.aggregates.push(aggregate(7));
        assert_eq!(category(7, &out), None);
    }

    #[test]
    fn fatalities_parts_estimates_and_other_events() {
        // "21 militants and 4 soldiers were killed": gold 25, best 4.
        assert_eq!(
            category(25, &output(vec![killed(&[21, 4])])),
            Some(("parts_not_summed", Some("wrong_number")))
        );
        // A superseded figure is not a part.
        let mut e = killed(&[3]);
        e.fatalities = Some(count(vec![est(3, [0, 5], false), est(2, [10, 15], true)]));
        assert_eq!(
            category(5, &output(vec![e])),
            Some(("wrong_number", Some("under")))
        );
        // Two sources, 10 and 8: best 8, gold 10.
        assert_eq!(
            category(10, &output(vec![killed(&[10, 8])])),
            Some(("other_estimate_chosen", Some("wrong_number")))
        );
        // The gold's figure went to a less confident event.
        let mut other = killed(&[9]);
        other.confidence = 0.5;
        assert_eq!(
            category(9, &output(vec![killed(&[2]), other.clone()])),
            Some(("on_another_event", Some("wrong_number")))
        );
        other.status = "background".into();
        assert_eq!(
            category(9, &output(vec![event("new", 0.9, None), other])),
            Some(("on_another_event", Some("missing")))
        );
    }

    #[test]
    fn dates() {
        let gold = Date::new(2020, 3, 10).unwrap();
        let dated = |d: Option<&str>, p: Option<&str>| {
            let mut e = event("new", 0.9, Some("Attack"));
            e.date = d.map(String::from);
            e.date_precision = p.map(String::from);
            output(vec![e])
        };
        assert_eq!(
            classify_date(gold, &dated(Some("2020-03-10"), Some("day"))),
            None
        );
        assert_eq!(
            classify_date(gold, &output(vec![])),
            Some(DateError::NoEvent)
        );
        assert_eq!(
            classify_date(gold, &dated(None, None)),
            Some(DateError::Missing)
        );
        let e = classify_date(gold, &dated(Some("2020-03-09"), Some("day"))).unwrap();
        assert_eq!(e, DateError::WrongDay { days: -1 });
        assert_eq!((e.category(), e.detail()), ("wrong_day", Some("-1")));
        let e = classify_date(gold, &dated(Some("2020-03-11"), Some("day"))).unwrap();
        assert_eq!(e.detail(), Some("+1"));
        let e = classify_date(gold, &dated(Some("2020-03-05"), Some("day"))).unwrap();
        assert_eq!(e.detail(), Some("-2..-7"));
        let e = classify_date(gold, &dated(Some("2019-03-10"), Some("day"))).unwrap();
        assert_eq!(e.detail(), Some("beyond 7 days"));
        // A month that holds the gold day is still the wrong precision.
        let e = classify_date(gold, &dated(Some("2020-03"), Some("month"))).unwrap();
        assert_eq!(
            (e.category(), e.detail()),
            ("wrong_precision", Some("month"))
        );
        // A week-precision date on the very day is not day precision either.
        let e = classify_date(gold, &dated(Some("2020-03-10"), Some("week"))).unwrap();
        assert_eq!(e.detail(), Some("week"));
    }

    #[test]
    fn tallies_keep_order_examples_and_details() {
        let mut t = Tallies::new(&DATE_CATEGORIES, &[]);
        let gold = Date::new(2020, 3, 10).unwrap();
        for i in 0..8 {
            let mut e = event("new", 0.9, None);
            e.date = Some(format!("2020-03-{:02}", 9 + i % 2));
            e.date_precision = Some("day".into());
            let out = output(vec![e]);
            t.add_date(&format!("r{i}"), classify_date(gold, &out).as_ref());
        }
        t.add_date("x", Some(&DateError::NoEvent));
        let b = t.finish();
        assert_eq!(b.n, 9);
        assert_eq!(b.wrong, 5);
        assert!(b.kinds.is_empty());
        let names: Vec<&str> = b.categories.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            names,
            ["no_event", "missing", "wrong_day", "wrong_precision"]
        );
        let day = &b.categories[2].1;
        assert_eq!(day.count, 4);
        assert_eq!(day.examples, ["r0", "r2", "r4", "r6"]);
        assert_eq!(day.detail, vec![("-1".to_string(), 4)]);

        let mut t = Tallies::new(&FATALITY_CATEGORIES, &FATALITY_KINDS);
        for i in 0..7 {
            t.add_fatalities(
                &format!("f{i}"),
                classify_fatalities(0, &output(vec![killed(&[1])])),
            );
        }
        t.add_fatalities("ok", None);
        let mut out = output(vec![event("new", 0.9, None)]);
        out.aggregates.push(aggregate(4));
        t.add_fatalities("agg", classify_fatalities(4, &out));
        let b = t.finish();
        assert_eq!((b.n, b.wrong), (9, 8));
        let spurious = &b.categories.iter().find(|c| c.0 == "spurious").unwrap().1;
        assert_eq!(spurious.count, 7);
        assert_eq!(spurious.examples.len(), EXAMPLES);
        assert_eq!(
            b.kinds,
            vec![
                ("no_event".to_string(), 0),
                ("missing".to_string(), 1),
                ("spurious".to_string(), 7),
                ("wrong_number".to_string(), 0)
            ]
        );
        let agg = &b.categories[1];
        assert_eq!(agg.0, "aggregate_as_incident");
        assert_eq!(agg.1.detail, vec![("missing".to_string(), 1)]);
    }
}
