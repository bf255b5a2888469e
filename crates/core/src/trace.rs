//! Debugging text for rule writers: what the recognisers found in each
//! sentence, and the frames assembly built. Made only when the caller's
//! [`Diagnostics`](crate::config::Diagnostics) asks for it, and handed to
//! the caller's receiver, never printed here (the command line prints it to
//! stderr under `WARCODER_TRACE=1` and `WARCODER_FRAMES=1`).

use std::fmt::Write as _;

use crate::assemble::Assembly;
use crate::model::{self, Document};
use crate::Resources;

/// Every mention of every sentence (triggers with modality, actors, tolls,
/// dates, places, sources), one line each under its sentence.
pub fn mentions(doc: &Document, res: &Resources) -> String {
    let mut out = String::new();
    for (i, s) in doc.sentences.iter().enumerate() {
        let _ = writeln!(out, "[{i}] {}", doc.slice(s.span));
        let mut show = |what: &str, span: model::Span, extra: String| {
            let _ = writeln!(out, "    {what:<11} {:?} {extra}", doc.slice(span));
        };
        for t in model::of_sentence(&doc.triggers, i) {
            let e = &res.triggers.entries[t.entry];
            show(
                "trigger",
                t.span,
                format!(
                    "{} {:?}{}{}",
                    e.class,
                    t.modality,
                    if t.anaphoric { " anaphoric" } else { "" },
                    if t.serial { " serial" } else { "" }
                ),
            );
        }
        for a in model::of_sentence(&doc.actors, i) {
            show("actor", a.span, res.actors.display_name(a, doc, res));
        }
        for t in model::of_sentence(&doc.tolls, i) {
            show(
                "toll",
                t.span,
                format!(
                    "{:?} {}-{}{}",
                    t.kind,
                    t.quantity.low,
                    t.quantity.high,
                    if t.update { " update" } else { "" }
                ),
            );
        }
        for d in model::of_sentence(&doc.dates, i) {
            show(
                "date",
                d.span,
                format!("{:?}", d.resolved.map(|r| r.render())),
            );
        }
        for p in model::of_sentence(&doc.places, i) {
            show(
                "place",
                p.span,
                format!(
                    "{:?} {:?}",
                    p.cue,
                    p.resolved
                        .as_ref()
                        .map(|r| res.gazetteer.entry(r.entry).name.to_string())
                ),
            );
        }
        for a in model::of_sentence(&doc.attributions, i) {
            show("source", a.span, a.source.clone());
        }
    }
    out
}

/// The assembled frames (family, sentences, triggers, tolls, date), one
/// line each: what consolidate receives.
pub fn frames(doc: &Document, asm: &Assembly) -> String {
    let mut out = String::new();
    for (i, f) in asm.frames.iter().enumerate() {
        let texts = |spans: Vec<model::Span>| -> Vec<&str> {
            spans.into_iter().map(|sp| doc.slice(sp)).collect()
        };
        let _ = writeln!(
            out,
            "frame {i} {:?} sentences {:?} triggers {:?} tolls {:?} date {:?} plural {} headline {}",
            f.family,
            f.sentences,
            texts(f.triggers.iter().map(|&t| doc.triggers[t].span).collect()),
            texts(f.tolls.iter().map(|&t| doc.tolls[t].span).collect()),
            f.date.map(|d| doc.slice(doc.dates[d].span)),
            f.plural,
            f.headline
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_and_frames_name_what_the_rules_found() {
        let res = Resources::shared();
        let doc = crate::annotate_text("Gunmen killed two people in Kabul on Monday.", None, res);
        let text = mentions(&doc, res);
        assert!(text.starts_with("[0] Gunmen killed"), "{text}");
        assert!(text.contains("    trigger     \"killed\""), "{text}");
        assert!(text.contains("    place       \"Kabul\""), "{text}");
        let asm = crate::assemble::assemble(&doc, res);
        let frames = frames(&doc, &asm);
        assert!(frames.starts_with("frame 0 "), "{frames}");
        assert!(frames.contains("triggers [\"killed\"]"), "{frames}");
    }
}
