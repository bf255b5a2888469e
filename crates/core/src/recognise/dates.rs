//! Date expressions: calendar dates ("September 5, 2016", "5 Sept", "2016-09-05"),
//! months and years ("in February", "March 2011"), weekdays ("on Monday"),
//! relative days ("yesterday", "last week", "earlier this month"), offsets
//! from another event ("a day after") and period starts ("since March 2011").
//! Resolution against the reference date happens in `resolve`.

use jiff::civil::Weekday;

use super::numbers::number_word;
use crate::model::{DateExpr, DateMention, Document, Token, TokenKind};

fn month(w: &str) -> Option<i8> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

/// The count of an offset ("a day after", "three days ago"): "a", a number
/// word from one to seven, or digits from 1 to 31.
fn small_number(w: &str) -> Option<i32> {
    if matches!(w, "a" | "an") {
        return Some(1);
    }
    if let Some(n) = number_word(w) {
        return (1..=7).contains(&n).then_some(n as i32);
    }
    w.parse().ok().filter(|n| (1..=31).contains(n))
}

/// A day of the month: "5", "5th", "21st".
fn day_of_month(t: &Token) -> Option<i8> {
    let digits: String = t.key.chars().take_while(char::is_ascii_digit).collect();
    let rest = &t.key[digits.len()..];
    if digits.is_empty() || !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse::<i8>().ok().filter(|d| (1..=31).contains(d))
}

fn year(t: &Token) -> Option<i16> {
    (t.kind == TokenKind::Number && t.key.len() == 4)
        .then(|| t.key.parse::<i16>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The tokens one scan reads: a sentence of the document, or a line that is
/// not a sentence (a publication line, a caption).
#[derive(Clone, Copy)]
struct Scan<'a> {
    text: &'a str,
    toks: &'a [Token],
    first: usize,
    last: usize,
}

/// A date found by the scan: its token range and what it says.
type Found = (usize, usize, DateExpr);

impl<'a> Scan<'a> {
    /// The folded key of token `i`, "" outside the scanned range.
    fn key(&self, i: usize) -> &'a str {
        self.tok(i).map_or("", |t| t.key.as_str())
    }

    fn tok(&self, i: usize) -> Option<&'a Token> {
        (self.first..self.last).contains(&i).then(|| &self.toks[i])
    }

    /// The text between tokens `i` and `i + 1`.
    fn gap(&self, i: usize) -> &'a str {
        match (self.tok(i), self.tok(i + 1)) {
            (Some(a), Some(b)) => &self.text[a.span[1]..b.span[0]],
            _ => " ",
        }
    }

    /// Every date expression, left to right, none overlapping.
    fn dates(&self) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = self.first;
        while i < self.last {
            let found = self
                .iso(i)
                .or_else(|| self.numeric(i))
                .or_else(|| self.weekday(i))
                .or_else(|| self.day_first(i))
                .or_else(|| self.month_first(i))
                .or_else(|| self.year(i))
                .or_else(|| self.relative(i))
                .or_else(|| self.offset(i));
            match found {
                Some((start, end, expr)) => {
                    let end = self.gloss_end(end);
                    // "since March 2011" opens a period.
                    let (start, expr) = if start > self.first && self.key(start - 1) == "since" {
                        (start - 1, DateExpr::Since(Box::new(expr)))
                    } else {
                        (start, expr)
                    };
                    out.push((start, end, expr));
                    i = end.max(i + 1);
                }
                None => i += 1,
            }
        }
        out
    }

    /// The end of a parenthesis right after a date that only spans or
    /// narrows it ("Around 1 May 2020 (from 1 - 6 May)", "April 4
    /// (Wednesday)", "(midweek)"): it belongs to that date and holds no
    /// date of its own. `end` itself when there is none.
    fn gloss_end(&self, end: usize) -> usize {
        const SPAN_WORDS: [&str; 16] = [
            "from", "between", "and", "to", "-", "until", "till", "through", "or", "/", "midweek",
            "weekend", "around", "about", "week", "of",
        ];
        if self.key(end) != "(" {
            return end;
        }
        let Some(close) = (end + 1..self.last.min(end + 16)).find(|&k| self.key(k) == ")") else {
            return end;
        };
        let inner = Scan {
            first: end + 1,
            last: close,
            ..*self
        };
        let mut covered: Vec<bool> = (end + 1..close)
            .map(|k| {
                SPAN_WORDS.contains(&self.key(k)) || self.tok(k).and_then(day_of_month).is_some()
            })
            .collect();
        for (a, b, _) in inner.dates() {
            covered[a - end - 1..b - end - 1].fill(true);
        }
        if close > end + 1 && covered.iter().all(|&c| c) {
            close + 1
        } else {
            end
        }
    }

    /// "2016-09-05".
    fn iso(&self, i: usize) -> Option<Found> {
        let y = year(self.tok(i)?)?;
        if self.gap(i) != "-" || self.gap(i + 1) != "-" {
            return None;
        }
        let m = self.key(i + 1).parse::<i8>().ok()?;
        let d = self.key(i + 2).parse::<i8>().ok()?;
        ((1..=12).contains(&m) && (1..=31).contains(&d))
            .then(|| (i, i + 3, calendar(Some(y), m, Some(d))))
    }

    /// "4/5/2018", "04.05.2018": which figure is the day is decided with
    /// the document (`resolve`).
    fn numeric(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let dotted: Vec<&str> = t.key.split('.').collect();
        let (a, b, y, end) = if dotted.len() == 3 {
            (dotted[0], dotted[1], dotted[2], i + 1)
        } else if self.key(i + 1) == "/"
            && self.key(i + 3) == "/"
            && (i..i + 4).all(|k| self.gap(k).is_empty())
        {
            (t.key.as_str(), self.key(i + 2), self.key(i + 4), i + 5)
        } else {
            return None;
        };
        let part = |s: &str| {
            (1..=2)
                .contains(&s.len())
                .then(|| s.parse::<i8>().ok())
                .flatten()
                .filter(|n| (1..=31).contains(n))
        };
        let year = (y.len() == 4)
            .then(|| y.parse::<i16>().ok())
            .flatten()
            .filter(|y| (1900..=2100).contains(y))?;
        let (first, second) = (part(a)?, part(b)?);
        (first <= 12 || second <= 12).then_some((
            i,
            end,
            DateExpr::Numeric {
                first,
                second,
                year,
            },
        ))
    }

    /// "Monday", "Monday's", "Friday morning", "last Tuesday"; a weekday
    /// followed by its date ("Wednesday (April 4th)", "Tuesday, 4 November
    /// 2025") is that date.
    fn weekday(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        let wd = weekday(&t.key).filter(|_| t.capitalised)?;
        let mut e = i + 1;
        if self.key(e) == "'s" {
            e += 1;
        }
        if matches!(self.key(e), "night" | "morning" | "evening" | "afternoon") {
            e += 1;
        }
        let open = matches!(self.key(e), "," | "(");
        let at = if open { e + 1 } else { e };
        if let Some((_, end, expr @ DateExpr::Calendar { day: Some(_), .. })) =
            self.day_first(at).or_else(|| self.month_first(at))
        {
            let end = if self.key(e) == "(" && self.key(end) == ")" {
                end + 1
            } else {
                end
            };
            return Some((i, end, expr));
        }
        if i > self.first && self.key(i - 1) == "last" {
            return Some((i - 1, e, DateExpr::WeekdayBefore(wd)));
        }
        Some((i, e, DateExpr::Weekday(wd)))
    }

    /// "5 September 2016", "29th March 2018", "18th of February", "9 May".
    fn day_first(&self, i: usize) -> Option<Found> {
        let d = day_of_month(self.tok(i)?)?;
        let ordinal = self.key(i).ends_with(|c: char| c.is_ascii_alphabetic());
        let m_at = if ordinal && self.key(i + 1) == "of" {
            i + 2
        } else {
            i + 1
        };
        let m = self.month_at(m_at)?;
        let mut e = m_at + 1;
        if self.key(e) == "." {
            e += 1;
        }
        let y_at = if self.key(e) == "," { e + 1 } else { e };
        let y = self.tok(y_at).and_then(year);
        let end = if y.is_some() { y_at + 1 } else { e };
        Some((i, end, calendar(y, m, Some(d))))
    }

    /// A capitalised month name at `i`.
    fn month_at(&self, i: usize) -> Option<i8> {
        self.tok(i)
            .filter(|t| t.capitalised)
            .and_then(|t| month(&t.key))
    }

    /// "September 5, 2016", "Sept. 5", "April 4th", "March 2011", "in February".
    fn month_first(&self, i: usize) -> Option<Found> {
        let m = self.month_at(i)?;
        let mut j = i + 1;
        if self.key(j) == "." {
            j += 1;
        }
        if let Some(d) = self.tok(j).and_then(day_of_month) {
            let mut e = j + 1;
            if self.key(e) == "," {
                e += 1;
            }
            return Some(match self.tok(e).and_then(year) {
                Some(y) => (i, e + 1, calendar(Some(y), m, Some(d))),
                None => (i, j + 1, calendar(None, m, Some(d))),
            });
        }
        if let Some(y) = self.tok(j).and_then(year) {
            return Some((i, j + 1, calendar(Some(y), m, None)));
        }
        // "may" is mostly the verb: a month only after a word that wants one.
        let bare_may_ok = matches!(
            self.key(i.wrapping_sub(1)),
            "in" | "since" | "early" | "late" | "mid" | "last" | "until"
        );
        (self.key(i) != "may" || bare_may_ok).then(|| (i, j, calendar(None, m, None)))
    }

    /// "in 2014", "since 2011", "early 2025".
    fn year(&self, i: usize) -> Option<Found> {
        let y = year(self.tok(i)?)?;
        matches!(
            self.key(i.wrapping_sub(1)),
            "in" | "since" | "of" | "during" | "until" | "by" | "early" | "late" | "mid"
        )
        .then_some((i, i + 1, DateExpr::Year(y)))
    }

    /// Days, weeks, months and years counted from the reference date.
    fn relative(&self, i: usize) -> Option<Found> {
        let part_of_day = |k: &str| matches!(k, "morning" | "afternoon" | "evening" | "night");
        let (len, expr) = match (self.key(i), self.key(i + 1), self.key(i + 2)) {
            ("yesterday", _, _) => (1, DateExpr::RelativeDays(-1)),
            ("earlier" | "later", "today", _) => (2, DateExpr::RelativeDays(0)),
            ("today" | "tonight" | "overnight", _, _) => (1, DateExpr::RelativeDays(0)),
            ("last", "night", _) => (2, DateExpr::RelativeDays(0)),
            ("this", k, _) if part_of_day(k) => (2, DateExpr::RelativeDays(0)),
            ("last", "week", _) => (2, DateExpr::RelativeWeek(-1)),
            ("this" | "earlier", "week", _) => (2, DateExpr::RelativeWeek(0)),
            ("earlier", "this", "week") => (3, DateExpr::RelativeWeek(0)),
            ("earlier" | "later", "this", "month") => (3, DateExpr::RelativeMonth(0)),
            ("this", "month", _) => (2, DateExpr::RelativeMonth(0)),
            // A past month or year places what it dates in the background;
            // "this year" is too coarse to date an act and stays unread.
            ("last", "month", _) => (2, DateExpr::RelativeMonth(-1)),
            ("last", "year", _) => (2, DateExpr::RelativeYear(-1)),
            _ => return None,
        };
        Some((i, i + len, expr))
    }

    /// Offsets: "a day after", "two days before", "the day before", "a day
    /// later", "three days ago".
    fn offset(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        let k = t.key.as_str();
        let (n, unit_at) = match k {
            "the" if matches!(self.key(i + 1), "day" | "previous" | "next" | "following") => {
                (1, i + 1)
            }
            _ => match small_number(k) {
                Some(n) if t.kind != TokenKind::Number || self.key(i + 1).starts_with("day") => {
                    (n, i + 1)
                }
                _ => return None,
            },
        };
        let u = self.key(unit_at);
        let (days, rel_at) = match u {
            "day" | "days" => (n, unit_at + 1),
            "week" | "weeks" => (7 * n, unit_at + 1),
            "previous" | "next" | "following" if self.key(unit_at + 1) == "day" => (1, unit_at + 2),
            _ => return None,
        };
        let (rel, e) = match u {
            "previous" => ("earlier", rel_at),
            "next" | "following" => ("later", rel_at),
            _ => (self.key(rel_at), rel_at + 1),
        };
        let expr = match rel {
            // "a day after [the group lost...]": the clause that follows happened `days` before.
            "after" => DateExpr::AnchorOffset(-days),
            "before" => DateExpr::AnchorOffset(days),
            "later" => DateExpr::PreviousOffset(days),
            "earlier" => DateExpr::PreviousOffset(-days),
            "ago" => DateExpr::RelativeDays(-days),
            _ => return None,
        };
        Some((i, e, expr))
    }
}

fn calendar(year: Option<i16>, month: i8, day: Option<i8>) -> DateExpr {
    DateExpr::Calendar { year, month, day }
}

/// Find date mentions in sentence `s`.
pub fn find_dates(doc: &Document, s: usize) -> Vec<DateMention> {
    let (first, last) = doc.sentences[s].tokens;
    let scan = Scan {
        text: &doc.text,
        toks: &doc.tokens,
        first,
        last,
    };
    scan.dates()
        .into_iter()
        .map(|(a, b, expr)| DateMention {
            span: doc.token_span((a, b)),
            tokens: (a, b),
            sentence: s,
            expr,
            resolved: None,
        })
        .collect()
}

/// The date expressions of a line that is no sentence of the document (a
/// publication line, a photo caption): tokenised alone, not segmented.
pub fn dates_in_line(line: &str) -> Vec<DateExpr> {
    let mut toks = Vec::new();
    crate::segment::tokenize_into(line, 0, line.len(), 0, &mut toks);
    let scan = Scan {
        text: line,
        toks: &toks,
        first: 0,
        last: toks.len(),
    };
    scan.dates().into_iter().map(|(_, _, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognise::numbers::tests_support::doc_of;

    fn dates(text: &str) -> Vec<(String, DateExpr)> {
        let d = doc_of(text);
        find_dates(&d, 0)
            .into_iter()
            .map(|m| (d.slice(m.span).to_string(), m.expr))
            .collect()
    }

    #[test]
    fn date_forms() {
        let cal = |y: Option<i16>, m: i8, d: Option<i8>| DateExpr::Calendar {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            dates("released on September 5, 2016 shows"),
            [("September 5, 2016".into(), cal(Some(2016), 9, Some(5)))]
        );
        assert_eq!(
            dates("On 9 May 2020, gunmen"),
            [("9 May 2020".into(), cal(Some(2020), 5, Some(9)))]
        );
        assert_eq!(
            dates("BEIRUT, Sept. 5 (Reuters)"),
            [("Sept. 5".into(), cal(None, 9, Some(5)))]
        );
        assert_eq!(
            dates("a blast in February that"),
            [("February".into(), cal(None, 2, None))]
        );
        assert_eq!(
            dates("killed since March 2011."),
            [(
                "since March 2011".into(),
                DateExpr::Since(Box::new(cal(Some(2011), 3, None)))
            )]
        );
        assert_eq!(
            dates("across Syria on Monday, as"),
            [("Monday".into(), DateExpr::Weekday(Weekday::Monday))]
        );
        assert_eq!(
            dates("Monday's bombings"),
            [("Monday's".into(), DateExpr::Weekday(Weekday::Monday))]
        );
        assert_eq!(
            dates("a day after the group lost"),
            [("a day after".into(), DateExpr::AnchorOffset(-1))]
        );
        assert_eq!(
            dates("on 2016-09-05 at"),
            [("2016-09-05".into(), cal(Some(2016), 9, Some(5)))]
        );
        assert_eq!(
            dates("He said yesterday that"),
            [("yesterday".into(), DateExpr::RelativeDays(-1))]
        );
        assert_eq!(dates("Militants may attack"), []);
        assert_eq!(
            dates("in 2014 the group"),
            [("2014".into(), DateExpr::Year(2014))]
        );
    }

    #[test]
    fn news_date_forms() {
        let cal = |y: Option<i16>, m: i8, d: Option<i8>| DateExpr::Calendar {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            dates("killed on the 18th of February in"),
            [("18th of February".into(), cal(None, 2, Some(18)))]
        );
        assert_eq!(
            dates("On 29th March 2018, militants"),
            [("29th March 2018".into(), cal(Some(2018), 3, Some(29)))]
        );
        assert_eq!(
            dates("the bombing on Wednesday (April 4th) killed"),
            [("Wednesday (April 4th)".into(), cal(None, 4, Some(4)))]
        );
        assert_eq!(
            dates("said on Feb. 18 that"),
            [("Feb. 18".into(), cal(None, 2, Some(18)))]
        );
        assert_eq!(
            dates("exploded on 4/5/2018, killing"),
            [(
                "4/5/2018".into(),
                DateExpr::Numeric {
                    first: 4,
                    second: 5,
                    year: 2018
                }
            )]
        );
        assert_eq!(
            dates("attacked last Tuesday."),
            [(
                "last Tuesday".into(),
                DateExpr::WeekdayBefore(Weekday::Tuesday)
            )]
        );
        assert_eq!(
            dates("fighting resumed last month"),
            [("last month".into(), DateExpr::RelativeMonth(-1))]
        );
        // Not dates: a ratio, a score, a bare figure before a month-like word.
        assert_eq!(
            dates("Around 1 May 2020 (from 1 - 6 May), residents"),
            [(
                "1 May 2020 (from 1 - 6 May)".into(),
                cal(Some(2020), 5, Some(1))
            )]
        );
        assert_eq!(
            dates("Around 29 April 2020 (midweek), a body"),
            [(
                "29 April 2020 (midweek)".into(),
                cal(Some(2020), 4, Some(29))
            )]
        );
        assert_eq!(dates("the third attack this year"), []);
        assert_eq!(dates("a 3/4 majority of 24/7 coverage"), []);
        assert_eq!(dates("killed 5 of the 12 men"), []);
    }

    /// The date of `form` written for `date`, as news text writes it.
    fn written(date: jiff::civil::Date, form: usize) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let (y, m, d) = (date.year(), date.month(), date.day());
        let name = MONTHS[(m - 1) as usize];
        let ordinal = match (d % 10, d) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        let weekday = format!("{:?}", date.weekday());
        match form {
            0 => format!("{d} {name} {y}"),
            1 => format!("{name} {d}, {y}"),
            // AP style: "Sept. 5", "Jan. 5"; March to July spelled out.
            2 if (3..=7).contains(&m) => format!("{name} {d}, {y}"),
            2 if m == 9 => format!("Sept. {d}, {y}"),
            2 => format!("{}. {d}, {y}", &name[..3]),
            3 => format!("the {d}{ordinal} of {name} {y}"),
            4 => format!("{weekday}, {d} {name} {y}"),
            5 => format!("{weekday} ({name} {d}{ordinal}, {y})"),
            6 => format!("{y}-{m:02}-{d:02}"),
            _ => format!("{d:02}.{m:02}.{y}"),
        }
    }

    /// Property: every day of 2000-2030, written in each form inside a
    /// sentence, is found whole and resolves to that day (without a
    /// reference date: every form carries its year).
    #[test]
    fn every_written_day_reads_back() {
        use crate::resolve::dates::{resolve, NumericOrder};
        let mut day = jiff::civil::date(2000, 1, 1);
        while day.year() <= 2030 {
            for form in 0..8 {
                let when = written(day, form);
                let text = format!("Gunmen attacked the village on {when} and fled.");
                let found = dates(&text);
                assert_eq!(found.len(), 1, "{text:?}: {found:?}");
                assert_eq!(
                    found[0].0.trim_start_matches("the "),
                    when.trim_start_matches("the ")
                );
                let got = resolve(&found[0].1, None, NumericOrder::DayFirst).map(|r| r.date);
                assert_eq!(got, Some(day), "{text:?}");
            }
            day = day.checked_add(jiff::ToSpan::days(3)).unwrap();
        }
    }

    mod properties {
        use super::*;
        use crate::resolve::dates::{resolve, NumericOrder};
        use proptest::prelude::*;

        proptest! {
            /// Any day of 1900-2100 written in any form, inside a sentence,
            /// is found whole and reads back as that day.
            #[test]
            fn any_written_day_reads_back(
                year in 1900i16..=2100,
                month in 1i8..=12,
                day in 1i8..=28,
                form in 0usize..8,
            ) {
                let date = jiff::civil::date(year, month, day);
                let when = written(date, form);
                let found = dates(&format!("Gunmen attacked the village on {when} and fled."));
                prop_assert_eq!(found.len(), 1);
                let got = resolve(&found[0].1, None, NumericOrder::DayFirst).map(|r| r.date);
                prop_assert_eq!(got, Some(date));
            }
        }
    }
}
