//! `geo-xml`: geoparsing corpora in the LGL/TR-News XML shape
//! (METRICS.md, "Geoparsing"):
//!
//! ```xml
//! <articles><article id="..."><text>...</text><toponyms>
//!   <toponym><start>12</start><end>17</end><phrase>Homs</phrase>
//!     <gaztag geonameid="169577"><lat>34.73</lat><lon>36.72</lon></gaztag></toponym>
//! </toponyms></article>...</articles>
//! ```
//!
//! Gold offsets count characters of the (unescaped) text; warcoder's spans
//! count bytes, so gold offsets are converted to byte spans when read.

use quick_xml::events::Event;

use super::report::{snippet, span_text};
use super::{ErrorExample, EvalError, FieldError, Options, ParseFailure, Report, Score};
use warcoder_core::model::{Document, InputMeta, Span, SpanBasis};
use warcoder_core::output::{PlaceOut, PlacesOut};
use warcoder_core::Resources;

/// Acc@161: the usual threshold of the field (100 miles).
pub const ACC_KM: f64 = 161.0;
/// The error counted for a matched mention that warcoder could not place:
/// the largest great-circle distance there is (half the circumference).
pub const UNRESOLVED_KM: f64 = 20015.0;

#[derive(Debug, Clone, PartialEq)]
pub struct GoldToponym {
    /// Byte span into the article text (converted from character offsets).
    pub span: Span,
    /// The character offsets as given.
    pub chars: (usize, usize),
    pub phrase: String,
    pub point: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GeoArticle {
    /// 1-based line of the `<article>` tag.
    pub line: usize,
    pub id: String,
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

#[derive(Default)]
struct RawToponym {
    start: String,
    end: String,
    phrase: String,
    lat: String,
    lon: String,
}

/// Every article; an article whose XML is malformed, or a toponym whose
/// offsets do not fit its text, becomes a failure and the rest go on.
pub fn parse(
    source_name: &str,
    data: &[u8],
) -> Result<(Vec<GeoArticle>, Vec<ParseFailure>), EvalError> {
    let fail = |message: String| EvalError::format(source_name, message);
    let xml = std::str::from_utf8(data)
        .map_err(|e| fail(format!("not UTF-8 (byte {})", e.valid_up_to())))?;
    let starts = article_starts(xml);
    if starts.is_empty() {
        return Err(fail(
            "no <article> element: not the LGL/TR-News shape".into(),
        ));
    }
    let mut articles = Vec::new();
    let mut failures = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let line = xml[..start].bytes().filter(|&b| b == b'\n').count() + 1;
        let limit = starts.get(k + 1).copied().unwrap_or(xml.len());
        let Some(end) = xml[start..limit]
            .find("</article>")
            .map(|e| start + e + "</article>".len())
        else {
            failures.push(ParseFailure {
                line: Some(line),
                id: None,
                message: "<article> without </article>".into(),
            });
            continue;
        };
        match article(&xml[start..end], line, k) {
            Ok((a, bad)) => {
                failures.extend(bad);
                articles.push(a);
            }
            Err((id, message)) => failures.push(ParseFailure {
                line: Some(line),
                id,
                message,
            }),
        }
    }
    Ok((articles, failures))
}

fn article_starts(xml: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = xml[from..].find("<article") {
        let at = from + i;
        let next = xml[at + "<article".len()..].chars().next();
        if matches!(next, Some(c) if c.is_whitespace() || c == '>' || c == '/') {
            out.push(at);
        }
        from = at + "<article".len();
    }
    out
}

type ArticleResult = Result<(GeoArticle, Vec<ParseFailure>), (Option<String>, String)>;

fn article(chunk: &str, line: usize, index: usize) -> ArticleResult {
    let mut reader = quick_xml::Reader::from_str(chunk);
    let mut stack: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut id: Option<String> = None;
    let mut text: Option<String> = None;
    let mut raw: Vec<RawToponym> = Vec::new();
    let mut cur: Option<RawToponym> = None;
    loop {
        let ev = reader.read_event().map_err(|e| {
            (
                id.clone(),
                format!(
                    "malformed XML at byte {} of the article: {e}",
                    reader.buffer_position()
                ),
            )
        })?;
        match ev {
            Event::Start(s) => {
                let name = s.name().as_ref().to_string();
                if name == "article" {
                    for a in s.attributes().flatten() {
                        if matches!(a.key.as_ref(), "id" | "docid") {
                            id = Some(a.value.to_string());
                        }
                    }
                }
                if name == "toponym" {
                    cur = Some(RawToponym::default());
                }
                stack.push(name);
                buf.clear();
            }
            Event::Empty(_) => {}
            Event::Text(t) => buf.push_str(&t.xml10_content()),
            Event::CData(c) => buf.push_str(&c),
            Event::GeneralRef(r) => {
                let resolved = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .map(String::from)
                    .or_else(|| quick_xml::escape::resolve_predefined_entity(&r).map(String::from));
                match resolved {
                    Some(s) => buf.push_str(&s),
                    None => return Err((id, format!("unknown entity &{};", &*r))),
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                let parent = stack
                    .len()
                    .checked_sub(2)
                    .and_then(|i| stack.get(i))
                    .map(String::as_str);
                match (name.as_str(), parent) {
                    ("text", Some("article")) => text = Some(std::mem::take(&mut buf)),
                    ("toponym", _) => raw.extend(cur.take()),
                    (field, _) => {
                        if let Some(t) = cur.as_mut() {
                            let slot = match field {
                                "start" => Some(&mut t.start),
                                "end" => Some(&mut t.end),
                                "phrase" => Some(&mut t.phrase),
                                "lat" => Some(&mut t.lat),
                                "lon" => Some(&mut t.lon),
                                _ => None,
                            };
                            if let Some(s) = slot {
                                *s = std::mem::take(&mut buf);
                            }
                        }
                    }
                }
                stack.pop();
                buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let Some(text) = text else {
        return Err((id, "article without <text>".into()));
    };
    let id = id.unwrap_or_else(|| format!("article {}", index + 1));
    // Character offset -> byte offset (one past the last character included).
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut toponyms = Vec::new();
    let mut bad = Vec::new();
    for (k, t) in raw.into_iter().enumerate() {
        let fail = |m: String| ParseFailure {
            line: Some(line),
            id: Some(format!("{id} toponym {}", k + 1)),
            message: m,
        };
        let (Ok(s), Ok(e)) = (
            t.start.trim().parse::<usize>(),
            t.end.trim().parse::<usize>(),
        ) else {
            bad.push(fail(format!(
                "start {:?} / end {:?} are not character offsets",
                t.start, t.end
            )));
            continue;
        };
        if s >= e || e >= bounds.len() {
            bad.push(fail(format!(
                "offsets {s}..{e} do not fit a text of {} characters",
                bounds.len() - 1
            )));
            continue;
        }
        let span = [bounds[s], bounds[e]];
        let phrase = t.phrase.trim();
        if !phrase.is_empty() && text[span[0]..span[1]] != *phrase {
            bad.push(fail(format!(
                "phrase {phrase:?} is not the text at {s}..{e} ({:?})",
                &text[span[0]..span[1]]
            )));
            continue;
        }
        let point = match (t.lat.trim(), t.lon.trim()) {
            ("", "") => None,
            (la, lo) => match (la.parse::<f64>(), lo.parse::<f64>()) {
                (Ok(la), Ok(lo)) if la.abs() <= 90.0 && lo.abs() <= 180.0 => Some((la, lo)),
                _ => {
                    bad.push(fail(format!("lat {la:?} / lon {lo:?} are not coordinates")));
                    continue;
                }
            },
        };
        toponyms.push(GoldToponym {
            span,
            chars: (s, e),
            phrase: text[span[0]..span[1]].to_string(),
            point,
        });
    }
    Ok((
        GeoArticle {
            line,
            id,
            text,
            toponyms,
        },
        bad,
    ))
}

/// One gold toponym's fate.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub gold: usize,
    /// Index of the matched prediction.
    pub predicted: Option<usize>,
}

/// METRICS.md: a prediction matches a gold toponym when their spans
/// overlap; each gold toponym matches at most one prediction (and each
/// prediction at most one toponym). Among overlapping free predictions the
/// one with the largest overlap wins, the first on a tie.
pub fn match_spans(gold: &[Span], predicted: &[Span]) -> Vec<Option<usize>> {
    let mut used = vec![false; predicted.len()];
    let mut order: Vec<usize> = (0..gold.len()).collect();
    order.sort_by_key(|&i| (gold[i][0], gold[i][1]));
    let mut out = vec![None; gold.len()];
    for gi in order {
        let g = gold[gi];
        let mut best: Option<(usize, usize)> = None;
        for (pi, p) in predicted.iter().enumerate() {
            if used[pi] || p[0] >= g[1] || g[0] >= p[1] {
                continue;
            }
            let overlap = p[1].min(g[1]) - p[0].max(g[0]);
            if best.is_none_or(|(_, o)| overlap > o) {
                best = Some((pi, overlap));
            }
        }
        if let Some((pi, _)) = best {
            used[pi] = true;
            out[gi] = Some(pi);
        }
    }
    out
}

/// Median of a list (mean of the two middle values for an even count).
pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

fn distance(p: &PlaceOut, gold: (f64, f64)) -> Option<f64> {
    match (p.lat, p.lon) {
        (Some(la), Some(lo)) => Some(warcoder_core::gazetteer::km(la, lo, gold.0, gold.1)),
        _ => None,
    }
}

/// Score the parsed articles into `report` (opened by [`super::evaluate`]).
pub(crate) fn score(articles: &[GeoArticle], report: &mut Report, res: &Resources, opts: &Options) {
    // A bad toponym fails on its own and leaves its article scored: it is
    // no record of the file.
    report.records -= report
        .failures
        .iter()
        .filter(|f| f.id.as_deref().is_some_and(|i| i.contains(" toponym ")))
        .count();

    // Each article's document is named after the gold file, as the report is.
    let gold = report.gold.clone();
    let outputs: Vec<PlacesOut> = opts.code_each(articles, |a| {
        let meta = InputMeta {
            input_id: Some(a.id.clone()),
            source: format!("{gold}#{}", a.id),
            ..Default::default()
        };
        let doc = Document::new(
            warcoder_core::source::sha256_hex(a.text.as_bytes()),
            a.text.clone(),
            SpanBasis::Input,
            meta,
        );
        warcoder_core::places(doc, res, false)
    });

    let (mut gold_n, mut gold_points, mut predicted_n, mut resolved_n, mut matched_n) =
        (0, 0, 0, 0, 0);
    let mut within = 0;
    let mut errors_km = Vec::new();
    let mut errors = Vec::new();
    for (a, out) in articles.iter().zip(&outputs) {
        let gold_spans: Vec<Span> = a.toponyms.iter().map(|t| t.span).collect();
        let pred_spans: Vec<Span> = out.places.iter().map(|p| p.span).collect();
        let m = match_spans(&gold_spans, &pred_spans);
        gold_n += gold_spans.len();
        gold_points += a.toponyms.iter().filter(|t| t.point.is_some()).count();
        predicted_n += pred_spans.len();
        resolved_n += out.places.iter().filter(|p| p.lat.is_some()).count();
        let mut used = vec![false; pred_spans.len()];
        for (t, mi) in a.toponyms.iter().zip(&m) {
            let example = |weight: f64, gold: String, predicted: String, span: Span| ErrorExample {
                id: a.id.clone(),
                line: Some(a.line),
                weight,
                text: snippet(&a.text, &[span]),
                fields: vec![FieldError {
                    field: "toponym".into(),
                    gold,
                    predicted,
                    span: Some(span),
                    span_text: span_text(&a.text, span),
                }],
            };
            let Some(pi) = *mi else {
                errors.push(example(
                    0.0,
                    format!("{:?} at chars {}..{}", t.phrase, t.chars.0, t.chars.1),
                    "(missed)".into(),
                    t.span,
                ));
                continue;
            };
            used[pi] = true;
            matched_n += 1;
            let Some(point) = t.point else { continue };
            let p = &out.places[pi];
            let km = distance(p, point);
            let err = km.unwrap_or(UNRESOLVED_KM);
            errors_km.push(err);
            if err <= ACC_KM {
                within += 1;
            } else {
                let pred = match km {
                    Some(km) => format!(
                        "{} ({}, {:.2}, {:.2}), {km:.0} km off",
                        p.name.as_deref().unwrap_or("?"),
                        p.country.as_deref().unwrap_or("?"),
                        p.lat.unwrap_or(0.0),
                        p.lon.unwrap_or(0.0)
                    ),
                    None => "(unresolved)".into(),
                };
                // Places resolved to the wrong spot come first (by km), then
                // unresolved ones: they say more about what to fix.
                errors.push(example(
                    km.unwrap_or(ACC_KM),
                    format!("{:?} ({:.2}, {:.2})", t.phrase, point.0, point.1),
                    pred,
                    p.span,
                ));
            }
        }
        for p in out
            .places
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(p, _)| p)
        {
            errors.push(ErrorExample {
                id: a.id.clone(),
                line: Some(a.line),
                weight: 0.0,
                text: snippet(&a.text, &[p.span]),
                fields: vec![FieldError {
                    field: "toponym".into(),
                    gold: "(none)".into(),
                    predicted: format!(
                        "{:?} -> {}",
                        p.text,
                        p.name.as_deref().unwrap_or("(unresolved)")
                    ),
                    span: Some(p.span),
                    span_text: Some(p.text.clone()),
                }],
            });
        }
    }
    let precision = Score::ratio(matched_n, predicted_n);
    let recall = Score::ratio(matched_n, gold_n);
    let f1 = match (precision.value, recall.value) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    let scored_points = errors_km.len();
    report.counts = vec![
        ("articles".into(), articles.len()),
        ("gold toponyms".into(), gold_n),
        ("  with coordinates".into(), gold_points),
        ("predicted mentions".into(), predicted_n),
        ("  resolved to a place".into(), resolved_n),
        ("matched".into(), matched_n),
        ("  with gold coordinates".into(), scored_points),
        ("missed gold toponyms".into(), gold_n - matched_n),
        ("spurious predictions".into(), predicted_n - matched_n),
    ];
    report.scores = vec![
        ("precision".into(), precision),
        ("recall".into(), recall),
        (
            "f1".into(),
            Score::value(f1, gold_n + predicted_n - matched_n),
        ),
        ("acc161".into(), Score::ratio(within, scored_points)),
        (
            "median_error_km".into(),
            Score::value(median(&mut errors_km), scored_points),
        ),
    ];
    report.keep_worst(errors, opts.errors);
    report.notes = vec![
        format!("a matched mention that warcoder did not resolve counts as {UNRESOLVED_KM} km off in acc161 and median_error_km"),
        "f1's n is the number of distinct toponyms in play: gold + predicted - matched".into(),
        "worst errors: places resolved more than 161 km off (by km), then unresolved matches, then missed toponyms and spurious mentions, in file order".into(),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article id="a1">
    <text>Fighting in Aleppo &amp; Homs. Then Zürich and Köln.</text>
    <toponyms>
      <toponym><start>12</start><end>18</end><phrase>Aleppo</phrase><gaztag geonameid="170063"><lat>36.2</lat><lon>37.16</lon></gaztag></toponym>
      <toponym><start>21</start><end>25</end><phrase>Homs</phrase><gaztag geonameid=""><lat>34.73</lat><lon>36.72</lon></gaztag></toponym>
      <toponym><start>32</start><end>38</end><phrase>Zürich</phrase><gaztag><lat></lat><lon></lon></gaztag></toponym>
      <toponym><start>43</start><end>47</end><phrase>Köln</phrase><gaztag><lat>50.9</lat><lon>6.95</lon></gaztag></toponym>
      <toponym><start>99</start><end>120</end><phrase>Nowhere</phrase></toponym>
    </toponyms>
  </article>
  <article id="a2"><text>Broken <b>markup</text></article>
  <article id="a3"><text>Just text.</text><toponyms></toponyms></article>
</articles>"#;

    #[test]
    fn parses_char_offsets_into_byte_spans_and_reports_bad_records() {
        let (arts, fails) = parse("t.xml", XML.as_bytes()).unwrap();
        assert_eq!(arts.len(), 2);
        let a = &arts[0];
        assert_eq!(a.text, "Fighting in Aleppo & Homs. Then Zürich and Köln.");
        assert_eq!(a.toponyms.len(), 4);
        for t in &a.toponyms {
            assert_eq!(&a.text[t.span[0]..t.span[1]], t.phrase);
        }
        // "Köln" comes after the two-byte "ü": byte offsets are one past the char offsets.
        assert_eq!(a.toponyms[3].chars, (43, 47));
        assert_eq!(a.toponyms[3].span, [44, 49]);
        assert_eq!(a.toponyms[2].point, None);
        assert_eq!(a.toponyms[0].point, Some((36.2, 37.16)));
        assert_eq!(fails.len(), 2, "{fails:?}");
        assert!(fails[0].message.contains("do not fit"));
        assert!(fails[1].message.contains("malformed XML"));
        assert!(parse("t.xml", b"<root/>").is_err());
    }

    #[test]
    fn matching_is_one_to_one_by_overlap() {
        let gold = [[0, 10], [12, 20], [30, 35]];
        let pred = [[2, 5], [0, 9], [15, 25], [40, 45]];
        assert_eq!(match_spans(&gold, &pred), vec![Some(1), Some(2), None]);
        // One prediction spanning two gold toponyms matches only one of them.
        assert_eq!(
            match_spans(&[[0, 4], [5, 9]], &[[0, 9]]),
            vec![Some(0), None]
        );
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
