//! `extract_many`: a generator over any iterable of documents. It pulls a
//! chunk of items, codes the chunk on all threads without the GIL (rayon,
//! as `warcoder extract` codes its chunks), and yields the outputs in input
//! order; memory holds one chunk, whatever the length of the input.

use std::collections::VecDeque;
use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyIterator;
use rayon::prelude::*;

use warcoder_core::language::Languages;

use crate::{code, from_json, languages, raw_from_item, NotCoded};

/// Items coded together per thread: enough to keep every thread busy
/// between two pulls from Python, few enough that a chunk stays small.
const ITEMS_PER_THREAD: usize = 16;

/// The generator `extract_many` returns.
#[pyclass(module = "warcoder")]
pub struct Extraction {
    items: Py<PyIterator>,
    /// None: rayon's global pool (all cores).
    pool: Option<Arc<rayon::ThreadPool>>,
    chunk: usize,
    skip_errors: bool,
    languages: Languages,
    /// How many items were pulled so far (numbers the next one).
    pulled: usize,
    /// Coded outputs (JSON) or why an item was not coded, in input order.
    ready: VecDeque<Result<String, NotCoded>>,
    exhausted: bool,
}

/// Code every document of `items` (str, or dict with "text" or "html" and
/// optionally "id", "url", "published", "title") and yield one output dict
/// per document, in input order, as soon as its chunk is coded.
///
/// `threads`: how many threads code (default: all cores). A document that
/// cannot be coded (empty, binary, too large, over the time budget) raises
/// WarcoderError at its position; with `skip_errors=True` it is skipped with
/// a warning instead, so one bad document never stops a batch.
/// `all_languages` as for `extract`: by default a document in another
/// language than English is yielded uncoded, its language named.
#[pyfunction]
#[pyo3(signature = (items, threads=None, skip_errors=false, *, all_languages=false))]
pub fn extract_many(
    items: &Bound<'_, PyAny>,
    threads: Option<usize>,
    skip_errors: bool,
    all_languages: bool,
) -> PyResult<Extraction> {
    let iterator = items.try_iter()?;
    let pool = match threads {
        None => None,
        Some(0) => {
            return Err(PyValueError::new_err(
                "threads must be 1 or more (None: all cores)",
            ))
        }
        Some(n) => Some(Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| PyValueError::new_err(format!("cannot start {n} threads: {e}")))?,
        )),
    };
    let threads = pool
        .as_ref()
        .map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    Ok(Extraction {
        items: iterator.unbind(),
        pool,
        chunk: threads * ITEMS_PER_THREAD,
        skip_errors,
        languages: languages(all_languages),
        pulled: 0,
        ready: VecDeque::new(),
        exhausted: false,
    })
}

impl Extraction {
    /// Pull the next chunk from Python and code it without the GIL.
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        let mut raws = Vec::with_capacity(self.chunk);
        let mut items = self.items.bind(py).clone();
        while raws.len() < self.chunk {
            match items.next() {
                None => {
                    self.exhausted = true;
                    break;
                }
                Some(item) => {
                    raws.push(raw_from_item(&item?, self.pulled));
                    self.pulled += 1;
                }
            }
        }
        let pool = self.pool.clone();
        let languages = self.languages;
        let coded: Vec<Result<String, NotCoded>> = py.detach(move || {
            let run = || {
                raws.into_par_iter()
                    .map(|r| r.and_then(|raw| code(raw, languages)))
                    .collect()
            };
            match pool {
                Some(p) => p.install(run),
                None => run(),
            }
        });
        self.ready.extend(coded);
        Ok(())
    }
}

#[pymethods]
impl Extraction {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>) -> PyResult<Option<Py<PyAny>>> {
        let py = slf.py();
        loop {
            if slf.ready.is_empty() {
                if slf.exhausted {
                    return Ok(None);
                }
                slf.fill(py)?;
                continue;
            }
            match slf.ready.pop_front().expect("not empty") {
                Ok(json) => return from_json(py, &json).map(Some),
                Err(NotCoded::Document(message)) if slf.skip_errors => {
                    let warn = py.import("warnings")?.getattr("warn")?;
                    warn.call1((format!("warcoder: skipped {message}"),))?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}
