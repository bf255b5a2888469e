//! `warcoder extract`: code inputs and write each document's output as soon
//! as its chunk is coded. Inputs are read file by file and coded in chunks
//! on all threads, so memory stays flat in the size of the corpus; output
//! order is input order.

use std::io::{BufWriter, StdoutLock, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};
use rayon::prelude::*;
use warcoder_core::budget::{isolated, Budget};
use warcoder_core::config::Config;
use warcoder_core::language::{self, Languages};
use warcoder_core::output::Output;
use warcoder_core::source::{self, RawInput};
use warcoder_sinks::{self as sinks, EventSink, ExportFormat};
use warcoder_sources::files::{self, Found};

use crate::Format;

/// Documents coded together: enough to keep every thread busy, few enough
/// that a chunk's outputs are small.
const CHUNK_DOCUMENTS: usize = 512;
/// A chunk is also coded once its inputs reach this many bytes.
const CHUNK_BYTES: usize = 32 << 20;

pub struct ExtractOptions {
    pub format: Format,
    pub cells: sinks::CsvCells,
    pub cx: sinks::AcledContext<'static>,
    pub reference_date: Option<warcoder_core::model::GivenDate>,
    pub languages: Languages,
    /// Explain each learned event type (`type_explanation`).
    pub explain: bool,
    /// Let the models propose events in short texts (`Config::propose`).
    pub propose: bool,
}

/// Code every input under `paths` (none: standard input) and write the
/// outputs to stdout. False when some input failed or was over budget.
pub fn run(paths: &[PathBuf], opts: ExtractOptions) -> Result<bool> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        paths.to_vec()
    };
    let mut failed = 0;
    let mut found = Vec::new();
    files::walk(&paths, &mut |f| {
        match f {
            Ok(f) => found.push(f),
            Err(e) => {
                failed += 1;
                eprintln!("warcoder: error: {e}");
            }
        }
        true
    });
    let total: u64 = found
        .iter()
        .map(|f| match f {
            Found::File(_, meta) => meta.len(),
            Found::Stdin => 0,
        })
        .sum();
    let bar = crate::progress_bar(
        (total > 0).then_some(total),
        "{bar:40} {bytes}/{total_bytes}  {byte_rate}  eta {eta}",
    );
    let mut out = OutputWriter::new(opts.format, std::io::stdout().lock(), &opts)?;
    let mut chunk: Vec<RawInput> = Vec::new();
    let mut chunk_bytes = 0;
    for f in found {
        let (inputs, size) = match &f {
            Found::File(path, meta) => (files::read_file(path, meta), meta.len()),
            Found::Stdin => (files::read_stream("-", std::io::stdin().lock()), 0),
        };
        for input in inputs {
            match input {
                Ok(mut raw) => {
                    for w in &raw.warnings {
                        eprintln!("warcoder: warning: {w}");
                    }
                    if opts.reference_date.is_some() {
                        raw.meta.reference_date = opts.reference_date;
                    }
                    chunk_bytes += raw.content.len();
                    chunk.push(raw);
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("warcoder: error: {e}");
                }
            }
            if chunk.len() >= CHUNK_DOCUMENTS || chunk_bytes >= CHUNK_BYTES {
                failed += code_chunk(std::mem::take(&mut chunk), &mut out, &opts)?;
                chunk_bytes = 0;
            }
        }
        bar.inc(size);
    }
    failed += code_chunk(chunk, &mut out, &opts)?;
    bar.finish_and_clear();
    let skipped = out.skipped_languages.clone();
    let coded = out.finish()?;
    if let Some(line) = language::skipped_summary(&skipped) {
        eprintln!("warcoder: {line}");
    }
    if coded == 0 {
        bail!("no document could be coded (see the errors above)");
    }
    Ok(failed == 0)
}

/// Code one chunk on all threads and write its outputs in input order;
/// returns how many documents were not coded (over budget, or a panic in
/// the pipeline, which stays with its document).
fn code_chunk(
    chunk: Vec<RawInput>,
    out: &mut OutputWriter,
    opts: &ExtractOptions,
) -> Result<usize> {
    let res = crate::config::resources();
    let config = Config {
        explain: opts.explain,
        propose: opts.propose,
        languages: opts.languages,
        diagnostics: crate::config::diagnostics(),
        ..Config::new(Budget::default())
    };
    let coded: Vec<Result<(Output, String), String>> = chunk
        .into_par_iter()
        .map(|raw| {
            let doc = source::into_document(raw);
            let text = doc.text.clone();
            let source = doc.meta.source.clone();
            isolated(|| warcoder_core::try_extract_with(doc, res, &config))
                .map(|o| (o, text))
                .map_err(|e| e.about(&source))
        })
        .collect();
    let mut over_budget = 0;
    let mut results = Vec::with_capacity(coded.len());
    for c in coded {
        match c {
            Ok(r) => results.push(r),
            Err(message) => {
                over_budget += 1;
                eprintln!("warcoder: error: {message}");
            }
        }
    }
    out.write(&results)?;
    Ok(over_budget)
}

type Stdout = BufWriter<StdoutLock<'static>>;

/// The output format's writer, kept across chunks.
enum Sink {
    /// One document: a pretty object; several: a pretty array. The first
    /// output waits until a second one says which.
    Json {
        w: Stdout,
        first: Option<String>,
        in_array: bool,
    },
    Jsonl(Stdout),
    /// ACLED CSV, GeoJSON, PLOVER: the sinks `events` writes with too.
    Export(Stdout, Box<dyn EventSink>),
}

struct OutputWriter {
    sink: Sink,
    /// The number the next exported event gets.
    next_event: u64,
    documents: usize,
    /// Documents not coded for their language: English name -> count.
    skipped_languages: std::collections::BTreeMap<String, usize>,
}

impl OutputWriter {
    fn new(format: Format, stdout: StdoutLock<'static>, opts: &ExtractOptions) -> Result<Self> {
        let w = BufWriter::new(stdout);
        let sink = match format {
            Format::Json => Sink::Json {
                w,
                first: None,
                in_array: false,
            },
            Format::Jsonl => Sink::Jsonl(w),
            Format::Acled => export(w, ExportFormat::Acled, opts)?,
            Format::Geojson => export(w, ExportFormat::Geojson, opts)?,
            Format::Plover => export(w, ExportFormat::Plover, opts)?,
        };
        Ok(OutputWriter {
            sink,
            next_event: 1,
            documents: 0,
            skipped_languages: Default::default(),
        })
    }

    fn write(&mut self, results: &[(Output, String)]) -> Result<()> {
        self.documents += results.len();
        for (o, _) in results {
            if let Some(other) = &o.document.not_coded_language {
                *self
                    .skipped_languages
                    .entry(other.name.clone())
                    .or_default() += 1;
            }
        }
        let pairs: Vec<(&Output, &str)> = results.iter().map(|(o, t)| (o, t.as_str())).collect();
        let events = || {
            let events = sinks::export_events_from(&pairs, self.next_event);
            (events.len() as u64, events)
        };
        let (n, exported) = match self.sink {
            Sink::Export(..) => events(),
            _ => (0, Vec::new()),
        };
        self.next_event += n;
        match &mut self.sink {
            Sink::Json { w, first, in_array } => {
                for (o, _) in results {
                    let pretty = serde_json::to_string_pretty(o)?;
                    match first.take() {
                        None if !*in_array => *first = Some(pretty),
                        pending => {
                            if let Some(p) = pending {
                                write!(w, "[\n{}", indent(&p))?;
                                *in_array = true;
                            }
                            write!(w, ",\n{}", indent(&pretty))?;
                        }
                    }
                }
            }
            Sink::Jsonl(w) => {
                for (o, _) in results {
                    serde_json::to_writer(&mut *w, o)?;
                    writeln!(w)?;
                }
            }
            Sink::Export(w, sink) => {
                for ev in &exported {
                    sink.event(w, ev)?;
                }
            }
        }
        Ok(())
    }

    /// Close the output; how many documents were written.
    fn finish(self) -> Result<usize> {
        match self.sink {
            Sink::Json {
                mut w,
                first,
                in_array,
            } => {
                match (first, in_array) {
                    (Some(one), _) => writeln!(w, "{one}")?,
                    (None, true) => writeln!(w, "\n]")?,
                    (None, false) => writeln!(w, "[]")?,
                }
                w.flush()?;
            }
            Sink::Jsonl(mut w) => w.flush()?,
            Sink::Export(mut w, mut sink) => {
                sink.end(&mut w)?;
                w.flush()?;
                if let Some(summary) = sink.summary() {
                    eprintln!("warcoder: {summary}");
                }
            }
        }
        Ok(self.documents)
    }
}

/// The export sink of `format`, begun on `w`.
fn export(mut w: Stdout, format: ExportFormat, opts: &ExtractOptions) -> Result<Sink> {
    let mut sink = sinks::event_sink(format, opts.cx, opts.cells);
    sink.begin(&mut w)?;
    Ok(Sink::Export(w, sink))
}

/// A pretty JSON value as an element of a pretty array: every line two
/// spaces in (strings hold no raw newlines in JSON).
fn indent(pretty: &str) -> String {
    pretty
        .lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::indent;

    /// The streamed array is what serde_json writes for the whole array.
    #[test]
    fn indented_elements_make_serde_jsons_pretty_array() {
        let items = vec![
            serde_json::json!({"a": 1, "b": [1, 2], "c": {}}),
            serde_json::json!({"s": "x\ny"}),
        ];
        let whole = serde_json::to_string_pretty(&items).unwrap();
        let parts: Vec<String> = items
            .iter()
            .map(|v| indent(&serde_json::to_string_pretty(v).unwrap()))
            .collect();
        assert_eq!(format!("[\n{}\n]", parts.join(",\n")), whole);
    }
}
