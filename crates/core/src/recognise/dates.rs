//! Date expressions: calendar dates ("September 5, 2016", "5 Sept", "2016-09-05"),
//! months and years ("in February", "March 2011"), weekdays ("on Monday"),
//! relative days ("yesterday", "last week", "earlier this month"), offsets
//! from another event ("a day after") and period starts ("since March 2011").
//! Resolution against the reference date happens in `resolve`.

use jiff::civil::Weekday;

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

fn small_number(w: &str) -> Option<i32> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        _ => return w.parse().ok().filter(|n| (1..=31).contains(n)),
    })
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

/// Find date mentions in sentence `s`.
pub fn find_dates(doc: &Document, s: usize) -> Vec<DateMention> {
    let (first, last) = doc.sentences[s].tokens;
    let toks = &doc.tokens;
    let key = crate::recognise::sentence_key(doc, s);
    let mut out = Vec::new();
    let mut i = first;
    while i < last {
        let t = &toks[i];
        let k = t.key.as_str();
        let mut found: Option<(usize, DateExpr)> = None;
        // ISO: 2016-09-05
        if let Some(y) = year(t) {
            if let (Some(m), Some(d)) = (toks.get(i + 1), toks.get(i + 2)) {
                let joined = i + 2 < last
                    && doc.text[t.span[1]..m.span[0]] == *"-"
                    && doc.text[m.span[1]..d.span[0]] == *"-";
                if joined {
                    if let (Ok(mm), Ok(dd)) = (m.key.parse::<i8>(), d.key.parse::<i8>()) {
                        if (1..=12).contains(&mm) && (1..=31).contains(&dd) {
                            found = Some((
                                i + 3,
                                DateExpr::Calendar {
                                    year: Some(y),
                                    month: mm,
                                    day: Some(dd),
                                },
                            ));
                        }
                    }
                }
            }
            if found.is_none()
                && matches!(
                    key(i.wrapping_sub(1)),
                    "in" | "since" | "of" | "during" | "until" | "by" | "early" | "late" | "mid"
                )
            {
                found = Some((i + 1, DateExpr::Year(y)));
            }
        }
        // Month-based: "September 5, 2016", "Sept. 5", "March 2011", "in February".
        if found.is_none() && t.capitalised {
            if let Some(m) = month(k) {
                let mut j = i + 1;
                if key(j) == "." {
                    j += 1;
                }
                let is_may = k == "may";
                if let Some(d) = toks.get(j).filter(|_| j < last).and_then(day_of_month) {
                    let mut e = j + 1;
                    let mut y = None;
                    if key(e) == "," {
                        e += 1;
                    }
                    if let Some(yy) = toks.get(e).filter(|_| e < last).and_then(year) {
                        y = Some(yy);
                        e += 1;
                    } else if key(j + 1) == "," {
                        e = j + 1;
                    }
                    found = Some((
                        e,
                        DateExpr::Calendar {
                            year: y,
                            month: m,
                            day: Some(d),
                        },
                    ));
                } else if let Some(yy) = toks.get(j).filter(|_| j < last).and_then(year) {
                    found = Some((
                        j + 1,
                        DateExpr::Calendar {
                            year: Some(yy),
                            month: m,
                            day: None,
                        },
                    ));
                } else if !is_may
                    || matches!(
                        key(i.wrapping_sub(1)),
                        "in" | "since" | "early" | "late" | "mid" | "last" | "until"
                    )
                {
                    found = Some((
                        j,
                        DateExpr::Calendar {
                            year: None,
                            month: m,
                            day: None,
                        },
                    ));
                }
                // "5 September 2016": the day came first.
                if let Some((
                    e,
                    DateExpr::Calendar {
                        year,
                        month,
                        day: None,
                    },
                )) = found.clone()
                {
                    if i > first {
                        if let Some(d) = day_of_month(&toks[i - 1]) {
                            out.push(mention(
                                doc,
                                s,
                                i - 1,
                                e,
                                DateExpr::Calendar {
                                    year,
                                    month,
                                    day: Some(d),
                                },
                            ));
                            i = e;
                            continue;
                        }
                    }
                }
            }
        }
        if found.is_none() {
            if let Some(wd) = weekday(k).filter(|_| t.capitalised) {
                let mut e = i + 1;
                if key(e) == "'s" {
                    e += 1;
                }
                if matches!(key(e), "night" | "morning" | "evening" | "afternoon") {
                    e += 1;
                }
                found = Some((e, DateExpr::Weekday(wd)));
            }
        }
        if found.is_none() {
            found = match (k, key(i + 1), key(i + 2)) {
                ("yesterday", _, _) => Some((i + 1, DateExpr::RelativeDays(-1))),
                ("today" | "tonight" | "overnight", _, _) => {
                    Some((i + 1, DateExpr::RelativeDays(0)))
                }
                ("last", "night", _) => Some((i + 2, DateExpr::RelativeDays(0))),
                ("last", "week", _) => Some((i + 2, DateExpr::RelativeWeek(-1))),
                ("this" | "earlier", "week", _) => Some((i + 2, DateExpr::RelativeWeek(0))),
                ("earlier", "this", "week") => Some((i + 3, DateExpr::RelativeWeek(0))),
                ("earlier" | "later", "this", "month") => Some((i + 3, DateExpr::ThisMonth)),
                ("this", "month", _) => Some((i + 2, DateExpr::ThisMonth)),
                _ => None,
            };
        }
        // Offsets: "a day after", "two days before", "the day before", "a day later".
        if found.is_none() {
            let (n, unit_at) = match k {
                "the" if matches!(key(i + 1), "day" | "previous" | "next" | "following") => {
                    (1, i + 1)
                }
                _ => match small_number(k) {
                    Some(n) if t.kind != TokenKind::Number || key(i + 1).starts_with("day") => {
                        (n, i + 1)
                    }
                    _ => (0, 0),
                },
            };
            if n > 0 {
                let u = key(unit_at);
                let (days, rel_at) = match u {
                    "day" | "days" => (n, unit_at + 1),
                    "week" | "weeks" => (7 * n, unit_at + 1),
                    "previous" | "next" | "following" if key(unit_at + 1) == "day" => {
                        (1, unit_at + 2)
                    }
                    _ => (0, 0),
                };
                let rel = if u == "previous" {
                    "earlier"
                } else if matches!(u, "next" | "following") {
                    "later"
                } else {
                    key(rel_at)
                };
                let e = if matches!(u, "previous" | "next" | "following") {
                    rel_at
                } else {
                    rel_at + 1
                };
                found = match (days, rel) {
                    (0, _) => None,
                    // "a day after [the group lost...]": the clause that follows happened `days` before.
                    (d, "after") => Some((e, DateExpr::AnchorOffset(-d))),
                    (d, "before") => Some((e, DateExpr::AnchorOffset(d))),
                    (d, "later") => Some((e, DateExpr::PreviousOffset(d))),
                    (d, "earlier") => Some((e, DateExpr::PreviousOffset(-d))),
                    (d, "ago") => Some((e, DateExpr::RelativeDays(-d))),
                    _ => None,
                };
            }
        }
        match found {
            Some((e, expr)) => {
                // "since March 2011" opens a period.
                let (start, expr) = if i > first && matches!(key(i - 1), "since") {
                    (i - 1, DateExpr::Since(Box::new(expr)))
                } else {
                    (i, expr)
                };
                out.push(mention(doc, s, start, e, expr));
                i = e.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

fn mention(doc: &Document, s: usize, a: usize, b: usize, expr: DateExpr) -> DateMention {
    DateMention {
        span: doc.token_span((a, b)),
        tokens: (a, b),
        sentence: s,
        expr,
        resolved: None,
    }
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
}
