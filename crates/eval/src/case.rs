//! `case-tsv`: CASE 2021 task 2 snippets, `id \t text \t label`
//! (METRICS.md, "Event-type snippets"; label codes in ../shared/eval/README.md).

use super::report::{snippet, span_text, Tally};
use super::{
    scored_event, Confusion, ErrorExample, EvalError, FieldError, Options, ParseFailure, Report,
    NONE, NO_EVENT, SUB_EVENT_TYPES,
};
use warcoder_core::output::Output;
use warcoder_core::Resources;

/// A gold label: one of ACLED's 25 sub-event types, or a type ACLED does not code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Acled(&'static str),
    NotAcled(&'static str),
}

impl Label {
    pub fn name(self) -> &'static str {
        match self {
            Label::Acled(n) | Label::NotAcled(n) => n,
        }
    }
}

const CODES: [(&str, &str); 25] = [
    ("ARMED_CLASH", "Armed clash"),
    ("GOV_REGAINS_TERIT", "Government regains territory"),
    (
        "NON_STATE_ACTOR_OVERTAKES_TER",
        "Non-state actor overtakes territory",
    ),
    ("CHEM_WEAP", "Chemical weapon"),
    ("AIR_STRIKE", "Air/drone strike"),
    ("SUIC_BOMB", "Suicide bomb"),
    ("ART_MISS_ATTACK", "Shelling/artillery/missile attack"),
    ("REM_EXPLOS", "Remote explosive/landmine/IED"),
    ("GRENADE", "Grenade"),
    ("PEACE_PROTEST", "Peaceful protest"),
    ("PROTEST_WITH_INTER", "Protest with intervention"),
    (
        "FORCE_AGAINST_PROTEST",
        "Excessive force against protesters",
    ),
    ("VIOL_DEMONSTR", "Violent demonstration"),
    ("MOB_VIOL", "Mob violence"),
    ("AGREEMENT", "Agreement"),
    ("ARREST", "Arrests"),
    ("CHANGE_TO_GROUP_ACT", "Change to group/activity"),
    ("DISR_WEAP", "Disrupted weapons use"),
    ("HQ_ESTABLISHED", "Headquarters or base established"),
    ("PROPERTY_DISTRUCT", "Looting/property destruction"),
    (
        "NON_VIOL_TERRIT_TRANSFER",
        "Non-violent transfer of territory",
    ),
    ("OTHER", "Other"),
    ("SEX_VIOL", "Sexual violence"),
    ("ATTACK", "Attack"),
    ("ABDUCT_DISSAP", "Abduction/forced disappearance"),
];

const NOT_ACLED: [(&str, &str); 5] = [
    ("ORG_CRIME", "Organised crime"),
    ("NATURAL_DISASTER", "Natural disaster"),
    ("MAN_MADE_DISASTER", "Man-made disaster"),
    ("DIPLO", "Diplomacy"),
    ("ATTRIB", "Attribution of responsibility"),
];

/// A label code (case-insensitive), or an ACLED sub-event type written out.
pub fn label(code: &str) -> Option<Label> {
    let c = code.trim();
    CODES
        .iter()
        .find(|(k, n)| k.eq_ignore_ascii_case(c) || *n == c)
        .map(|(_, n)| Label::Acled(n))
        .or_else(|| {
            NOT_ACLED
                .iter()
                .find(|(k, n)| k.eq_ignore_ascii_case(c) || *n == c)
                .map(|(_, n)| Label::NotAcled(n))
        })
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub line: usize,
    pub id: String,
    pub text: String,
    pub label: Label,
}

/// Every row; a header line (`id \t text \t label`) is skipped.
pub fn parse(
    source_name: &str,
    data: &[u8],
) -> Result<(Vec<CaseRow>, Vec<ParseFailure>), EvalError> {
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut seen_any = false;
    for (i, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(raw) else {
            failures.push(ParseFailure {
                line: Some(line),
                id: None,
                message: "invalid UTF-8".into(),
            });
            continue;
        };
        let text = if line == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        let fields: Vec<&str> = text.split('\t').collect();
        if !seen_any && fields.len() == 3 && fields[2].trim().eq_ignore_ascii_case("label") {
            seen_any = true;
            continue;
        }
        seen_any = true;
        let id = Some(fields[0].trim().to_string()).filter(|s| !s.is_empty());
        let fail = |m: String| ParseFailure {
            line: Some(line),
            id: id.clone(),
            message: m,
        };
        if fields.len() != 3 {
            failures.push(fail(format!(
                "{} tab-separated fields, expected 3 (id, text, label)",
                fields.len()
            )));
            continue;
        }
        if fields[1].trim().is_empty() {
            failures.push(fail("empty text".into()));
            continue;
        }
        match label(fields[2]) {
            Some(l) => rows.push(CaseRow {
                line,
                id: id.unwrap_or_else(|| format!("line {line}")),
                text: fields[1].to_string(),
                label: l,
            }),
            None => failures.push(fail(format!("unknown label {:?}", fields[2].trim()))),
        }
    }
    if rows.is_empty() && failures.is_empty() {
        return Err(EvalError::format(source_name, "no rows"));
    }
    Ok((rows, failures))
}

/// The predicted label of an output: the scored event's ACLED sub-event type.
fn predicted(out: &Output) -> &str {
    match scored_event(out) {
        None => NO_EVENT,
        Some(e) => e.acled_sub_event_type.as_deref().unwrap_or(NONE),
    }
}

/// METRICS.md: an ACLED label is right when the scored event has that
/// sub-event type; a non-ACLED label when no new event has an ACLED type.
pub fn correct(label: Label, out: &Output) -> bool {
    match label {
        Label::Acled(t) => {
            scored_event(out).and_then(|e| e.acled_sub_event_type.as_deref()) == Some(t)
        }
        Label::NotAcled(_) => !out
            .events
            .iter()
            .any(|e| e.status == "new" && e.acled_sub_event_type.is_some()),
    }
}

/// Per-class F1 over the 25 types from (gold, predicted) pairs: returns
/// (weighted F1, macro F1, classes in the macro average). Weighted by gold
/// support; the macro average leaves out the types that appear neither in
/// the gold nor in the predictions (their F1 is 0/0).
pub fn f1_scores(pairs: &[(&str, &str)]) -> (Option<f64>, Option<f64>, usize) {
    let mut weighted = 0.0;
    let mut support_total = 0usize;
    let mut macro_sum = 0.0;
    let mut classes = 0usize;
    for t in SUB_EVENT_TYPES {
        let tp = pairs.iter().filter(|(g, p)| *g == t && *p == t).count();
        let fp = pairs.iter().filter(|(g, p)| *g != t && *p == t).count();
        let fneg = pairs.iter().filter(|(g, p)| *g == t && *p != t).count();
        let support = tp + fneg;
        if support == 0 && fp == 0 {
            continue;
        }
        let f1 = if tp == 0 {
            0.0
        } else {
            2.0 * tp as f64 / (2 * tp + fp + fneg) as f64
        };
        weighted += f1 * support as f64;
        support_total += support;
        macro_sum += f1;
        classes += 1;
    }
    let w = (support_total > 0).then(|| weighted / support_total as f64);
    let m = (classes > 0).then(|| macro_sum / classes as f64);
    (w, m, classes)
}

/// Score the parsed rows into `report` (opened by [`super::evaluate`]).
pub(crate) fn score(rows: &[CaseRow], report: &mut Report, res: &Resources, opts: &Options) {
    let outputs: Vec<Output> = opts.code_each(rows, |r| opts.code_text(&r.text, res));

    let mut all = Tally::default();
    let mut acled = Tally::default();
    let mut acled_pairs = Vec::new();
    let mut pairs = Vec::new();
    let mut errors = Vec::new();
    for (r, out) in rows.iter().zip(&outputs) {
        let ok = correct(r.label, out);
        all.add(ok);
        let pred = predicted(out);
        if let Label::Acled(t) = r.label {
            acled.add(ok);
            acled_pairs.push((t, pred));
        }
        pairs.push((r.label.name(), pred));
        if !ok {
            let span = scored_event(out).map(|e| e.trigger.span);
            errors.push(ErrorExample {
                id: r.id.clone(),
                line: Some(r.line),
                weight: 1.0,
                text: snippet(&r.text, span.as_slice()),
                fields: vec![FieldError {
                    field: "sub_event_type".into(),
                    gold: r.label.name().into(),
                    predicted: pred.into(),
                    span,
                    span_text: span.and_then(|s| span_text(&r.text, s)),
                }],
            });
        }
    }
    let (weighted, macro_f1, classes) = f1_scores(&acled_pairs);
    report.counts = vec![
        ("rows".into(), rows.len()),
        ("ACLED-labelled rows".into(), acled.n),
        ("non-ACLED rows".into(), rows.len() - acled.n),
        ("classes in macro-F1".into(), classes),
    ];
    report.scores = vec![
        ("accuracy".into(), all.score()),
        ("accuracy_acled".into(), acled.score()),
        ("weighted_f1".into(), super::Score::value(weighted, acled.n)),
        ("macro_f1".into(), super::Score::value(macro_f1, acled.n)),
    ];
    report.confusion_matrix = Some(Confusion::from_pairs(pairs, &super::acled::label_order));
    report.keep_worst(errors, opts.errors);
    report.notes = vec!["macro_f1 averages the ACLED types present in the gold or the predictions of the ACLED-labelled rows".into()];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{event, output};

    #[test]
    fn label_codes_map_to_names() {
        assert_eq!(
            label("ART_MISS_ATTACK"),
            Some(Label::Acled("Shelling/artillery/missile attack"))
        );
        assert_eq!(label("suic_bomb"), Some(Label::Acled("Suicide bomb")));
        assert_eq!(label("DIPLO"), Some(Label::NotAcled("Diplomacy")));
        assert_eq!(label("Arrests"), Some(Label::Acled("Arrests")));
        assert_eq!(label("NOPE"), None);
        let names: Vec<&str> = CODES.iter().map(|c| c.1).collect();
        assert_eq!(names, SUB_EVENT_TYPES);
    }

    #[test]
    fn correctness_rules() {
        let attack = output(vec![event("new", 0.8, Some("Attack"))]);
        let talks = output(vec![event("new", 0.8, None)]);
        assert!(correct(Label::Acled("Attack"), &attack));
        assert!(!correct(Label::Acled("Grenade"), &attack));
        assert!(!correct(Label::NotAcled("Diplomacy"), &attack));
        assert!(correct(Label::NotAcled("Diplomacy"), &talks));
        assert!(correct(Label::NotAcled("Diplomacy"), &output(vec![])));
        assert!(!correct(Label::Acled("Attack"), &output(vec![])));
    }

    #[test]
    fn f1_weighted_and_macro() {
        // Attack: tp 1, fn 1 -> P 1, R .5, F1 2/3; Grenade: tp 1, fp 1 -> F1 2/3;
        // Arrests: fn 1 (predicted as none) -> 0.
        let pairs = [
            ("Attack", "Attack"),
            ("Attack", "Grenade"),
            ("Grenade", "Grenade"),
            ("Arrests", NO_EVENT),
        ];
        let (w, m, k) = f1_scores(&pairs);
        assert_eq!(k, 3);
        assert!((w.unwrap() - (2.0 / 3.0 * 2.0 + 2.0 / 3.0) / 4.0).abs() < 1e-9);
        assert!((m.unwrap() - (4.0 / 3.0) / 3.0).abs() < 1e-9);
        assert_eq!(f1_scores(&[]), (None, None, 0));
    }

    #[test]
    fn parse_skips_header_and_reports_bad_rows() {
        let tsv = "id\ttext\tlabel\n1\tPolice arrested two men.\tARREST\n2\tno label here\n3\tSomething.\tBOGUS\n\n4\t\tATTACK\n";
        let (rows, fails) = parse("x.tsv", tsv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].label, Label::Acled("Arrests"));
        assert_eq!(
            fails.iter().map(|f| f.line.unwrap()).collect::<Vec<_>>(),
            vec![3, 4, 6]
        );
    }
}
