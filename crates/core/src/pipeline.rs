//! The pipeline as one value: the stages in order, each a function of the
//! document, what earlier stages made of it ([`Products`]) and the shared
//! [`Resources`]. `extract`, `ingest`, `train`, `bench` and the
//! criterion bench all run this list, so there is one place that says
//! what runs, in which order, and where the budget is checked.

use std::time::{Duration, Instant};

use crate::assemble::{self, Assembly};
use crate::budget::{Meter, OverBudget};
use crate::model::{Document, TokenKind};
use crate::output::{AggregateOut, EventOut};
use crate::{clean, consolidate, learned, recognise, resolve, segment, Resources};

/// What the stages after `resolve` make of a document (the earlier ones
/// annotate the document itself).
#[derive(Debug, Clone, Default)]
pub struct Products {
    /// The event frames, once `assemble` has run.
    pub assembly: Option<Assembly>,
    /// The coded events and aggregates, once `consolidate` has run.
    pub events: Vec<EventOut>,
    pub aggregates: Vec<AggregateOut>,
    /// Whether `learned` explains the types it gives.
    pub explain: bool,
    /// Whether `learned` may propose an event in a short text the rules
    /// found none in (`config::Config::propose`).
    pub propose: bool,
}

type StageFn = fn(&mut Document, &mut Products, &Resources, &Meter) -> Result<(), OverBudget>;

/// One stage: a name (what `bench` reports) and what it does. A stage checks
/// the budget once its own work is done, so a document over budget stops
/// before the next, costlier stage.
#[derive(Clone, Copy)]
pub struct Stage {
    pub name: &'static str,
    run: StageFn,
}

impl std::fmt::Debug for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl Stage {
    /// Run this stage alone (the criterion bench times stages one by one).
    pub fn run(
        &self,
        doc: &mut Document,
        products: &mut Products,
        res: &Resources,
        meter: &Meter,
    ) -> Result<(), OverBudget> {
        (self.run)(doc, products, res, meter)
    }
}

fn clean_stage(
    doc: &mut Document,
    _: &mut Products,
    _: &Resources,
    _: &Meter,
) -> Result<(), OverBudget> {
    clean::clean(doc);
    Ok(())
}

/// Sentences and tokens; then the size caps, before the rules that cost most
/// per token.
fn segment_stage(
    doc: &mut Document,
    _: &mut Products,
    _: &Resources,
    meter: &Meter,
) -> Result<(), OverBudget> {
    segment::segment(doc);
    let figures = doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Number)
        .count();
    meter.check_size(doc.sentences.len(), doc.tokens.len(), figures)?;
    meter.check_time("segment")
}

fn recognise_stage(
    doc: &mut Document,
    _: &mut Products,
    res: &Resources,
    meter: &Meter,
) -> Result<(), OverBudget> {
    recognise::recognise(doc, res);
    meter.check_mentions(
        doc.numbers.len()
            + doc.dates.len()
            + doc.places.len()
            + doc.triggers.len()
            + doc.tolls.len(),
    )?;
    meter.check_time("recognise")
}

fn resolve_stage(
    doc: &mut Document,
    _: &mut Products,
    res: &Resources,
    meter: &Meter,
) -> Result<(), OverBudget> {
    resolve::resolve_mentions(doc, res);
    meter.check_time("resolve")
}

fn assemble_stage(
    doc: &mut Document,
    out: &mut Products,
    res: &Resources,
    meter: &Meter,
) -> Result<(), OverBudget> {
    out.assembly = Some(assemble::assemble(doc, res));
    meter.check_time("assemble")
}

fn consolidate_stage(
    doc: &mut Document,
    out: &mut Products,
    res: &Resources,
    _: &Meter,
) -> Result<(), OverBudget> {
    let asm = out
        .assembly
        .as_ref()
        .expect("assemble runs before consolidate");
    let (events, aggregates) = consolidate::consolidate(doc, res, asm);
    out.events = events;
    out.aggregates = aggregates;
    Ok(())
}

fn learned_stage(
    doc: &mut Document,
    out: &mut Products,
    res: &Resources,
    _: &Meter,
) -> Result<(), OverBudget> {
    learned::decide(doc, res, &res.models, out);
    Ok(())
}

/// Every stage, in order.
pub const STAGES: &[Stage] = &[
    Stage {
        name: "clean",
        run: clean_stage,
    },
    Stage {
        name: "segment",
        run: segment_stage,
    },
    Stage {
        name: "recognise",
        run: recognise_stage,
    },
    Stage {
        name: "resolve",
        run: resolve_stage,
    },
    Stage {
        name: "assemble",
        run: assemble_stage,
    },
    Stage {
        name: "consolidate",
        run: consolidate_stage,
    },
    Stage {
        name: "learned",
        run: learned_stage,
    },
];

/// A list of stages run in order: the whole pipeline or a prefix of it.
#[derive(Debug, Clone, Copy)]
pub struct Pipeline {
    stages: &'static [Stage],
}

impl Pipeline {
    /// Every stage: text in, coded events out.
    pub const FULL: Pipeline = Pipeline { stages: STAGES };
    /// Up to resolved mentions: what `places` and the tests inspect.
    pub const ANNOTATE: Pipeline = Pipeline {
        stages: STAGES.split_at(4).0,
    };
    /// Up to the rules' events, before the learned models: what
    /// `warcoder train` reads its features from.
    pub const RULES: Pipeline = Pipeline {
        stages: STAGES.split_at(6).0,
    };

    pub fn stages(&self) -> &'static [Stage] {
        self.stages
    }

    /// Run every stage on `doc`, stopping at the first that goes over budget.
    pub fn run(
        &self,
        doc: &mut Document,
        products: &mut Products,
        res: &Resources,
        meter: &Meter,
    ) -> Result<(), OverBudget> {
        self.run_timed(doc, products, res, meter, |_, _, _, _| {})
    }

    /// [`Pipeline::run`], calling `after` once each stage is done with the
    /// document, the products so far and the time the stage took (`bench`
    /// times the stages, diagnostics describe mentions and frames).
    pub fn run_timed(
        &self,
        doc: &mut Document,
        products: &mut Products,
        res: &Resources,
        meter: &Meter,
        mut after: impl FnMut(&Stage, &Document, &Products, Duration),
    ) -> Result<(), OverBudget> {
        for stage in self.stages {
            let started = Instant::now();
            stage.run(doc, products, res, meter)?;
            after(stage, doc, products, started.elapsed());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Budget;

    #[test]
    fn the_stages_run_in_the_pipelines_order_and_the_prefixes_are_prefixes() {
        let names: Vec<_> = STAGES.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "clean",
                "segment",
                "recognise",
                "resolve",
                "assemble",
                "consolidate",
                "learned"
            ]
        );
        assert_eq!(Pipeline::ANNOTATE.stages().last().unwrap().name, "resolve");
        assert_eq!(Pipeline::RULES.stages().last().unwrap().name, "consolidate");
    }

    #[test]
    fn timing_names_every_stage_once_and_the_output_is_extracts() {
        let text = "Gunmen killed three police officers in Peshawar on Tuesday, officials said.";
        let res = Resources::shared();
        let mut doc = crate::plain_document(text, None);
        let mut out = Products::default();
        let mut seen = Vec::new();
        Pipeline::FULL
            .run_timed(
                &mut doc,
                &mut out,
                res,
                &Meter::start(Budget::unlimited()),
                |stage, _, _, _| seen.push(stage.name),
            )
            .unwrap();
        assert_eq!(seen.len(), STAGES.len());
        let whole = crate::extract_text(text, None, res);
        assert_eq!(
            serde_json::to_value(&out.events).unwrap(),
            serde_json::to_value(&whole.events).unwrap()
        );
        assert!(!out.events.is_empty());
    }
}
