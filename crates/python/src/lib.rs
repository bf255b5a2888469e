//! The Python package `warcoder`: the command line's pipeline and event
//! store as functions. Every document goes through the same core functions
//! `warcoder extract` calls (`source::from_text`, `source::into_document`,
//! `try_extract` within the default budget) and comes back as the output
//! contract, serialised by the core's serde types and read by Python's
//! `json`, so a dict here equals `warcoder extract --format json`'s object.
//! The GIL is released while the core works.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use warcoder_core::budget::{self, Budget};
use warcoder_core::config::Config;
use warcoder_core::language::Languages;
use warcoder_core::model::InputMeta;
use warcoder_core::source::{self, RawInput};
use warcoder_core::Resources;

mod many;
mod store;

pyo3::create_exception!(
    warcoder,
    WarcoderError,
    PyValueError,
    "A document or a query warcoder cannot handle; the message says what to change."
);

/// Why one document was not coded: a caller's mistake in the item's type,
/// or the document itself (empty, binary, too large, over the budget).
#[derive(Debug, Clone)]
enum NotCoded {
    Type(String),
    Document(String),
}

impl From<NotCoded> for PyErr {
    fn from(e: NotCoded) -> PyErr {
        match e {
            NotCoded::Type(m) => PyTypeError::new_err(m),
            NotCoded::Document(m) => WarcoderError::new_err(m),
        }
    }
}

/// A date argument as the core reads a publication date: a string as
/// given, or a `datetime.date` / `datetime.datetime` in ISO form.
fn date_text(value: Option<&Bound<'_, PyAny>>, what: &str) -> Result<Option<String>, NotCoded> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Some(s.to_string()));
    }
    v.call_method0("isoformat")
        .and_then(|iso| iso.extract::<String>())
        .map(Some)
        .map_err(|_| {
            NotCoded::Type(format!(
                "{what} must be a str such as \"2024-03-04\" or a datetime.date, not {}",
                type_name(v)
            ))
        })
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// An optional string argument; `what` names it in the error.
fn opt_str(value: Option<&Bound<'_, PyAny>>, what: &str) -> Result<Option<String>, NotCoded> {
    match value.filter(|v| !v.is_none()) {
        None => Ok(None),
        Some(v) => v
            .extract::<String>()
            .map(Some)
            .map_err(|_| NotCoded::Type(format!("{what} must be a str, not {}", type_name(v)))),
    }
}

/// One document's raw input from a Python str (`source` names it in errors).
fn raw_from_text(
    text: &Bound<'_, PyAny>,
    source_name: String,
    published: Option<String>,
    url: Option<String>,
) -> Result<RawInput, NotCoded> {
    let text: String = text.extract().map_err(|_| {
        NotCoded::Type(format!(
            "{source_name}: the text must be a str, not {} (decode bytes first: data.decode(\"utf-8\"))",
            type_name(text)
        ))
    })?;
    let meta = InputMeta {
        source: url.clone().unwrap_or(source_name),
        url,
        published,
        ..Default::default()
    };
    source::from_text(meta, text, None).map_err(|e| NotCoded::Document(e.to_string()))
}

/// One item of `extract_many`: a str, or a dict shaped like a JSONL input
/// record (`text` or `html`, and optionally `id`, `url`, `published`,
/// `title`).
fn raw_from_item(item: &Bound<'_, PyAny>, index: usize) -> Result<RawInput, NotCoded> {
    let name = format!("<item {index}>");
    if item.cast::<PyString>().is_ok() {
        return raw_from_text(item, name, None, None);
    }
    let Ok(record) = item.cast::<PyDict>() else {
        return Err(NotCoded::Type(format!(
            "{name}: expected a str or a dict with \"text\" or \"html\", not {}",
            type_name(item)
        )));
    };
    let field = |key: &str| record.get_item(key).ok().flatten();
    let url = opt_str(field("url").as_ref(), &format!("{name}[\"url\"]"))?;
    let published = date_text(
        field("published").as_ref(),
        &format!("{name}[\"published\"]"),
    )?;
    let title = opt_str(field("title").as_ref(), &format!("{name}[\"title\"]"))?;
    let input_id = field("id").filter(|v| !v.is_none()).map(|v| v.to_string());
    // As a JSONL record: "text" unless it is missing or blank, then "html".
    let given = |v: &Bound<'_, PyAny>| {
        !v.is_none() && v.extract::<String>().map_or(true, |s| !s.trim().is_empty())
    };
    let (content, html) = match (field("text"), field("html")) {
        (Some(t), _) if given(&t) => (t, false),
        (_, Some(h)) if given(&h) => (h, true),
        _ => {
            return Err(NotCoded::Type(format!(
                "{name}: the dict has no \"text\" or \"html\" to code"
            )))
        }
    };
    let content: String = content.extract().map_err(|_| {
        NotCoded::Type(format!(
            "{name}: \"text\" / \"html\" must be a str, not {}",
            type_name(&content)
        ))
    })?;
    let meta = InputMeta {
        input_id,
        source: url.clone().unwrap_or(name),
        url,
        published,
        title,
        reference_date: None,
    };
    source::from_text(meta, content, Some(html)).map_err(|e| NotCoded::Document(e.to_string()))
}

/// Which documents are coded: English only (a document in another
/// language comes back uncoded, `document.not_coded_language` naming it),
/// as `warcoder extract` without `--all-languages`; or all of them.
pub(crate) fn languages(all_languages: bool) -> Languages {
    if all_languages {
        Languages::All
    } else {
        Languages::EnglishOnly
    }
}

/// The resources the command line codes with: the built-in data and the
/// user's gazetteer overlay, found from this process's environment
/// (`WARCODER_OVERLAY`, `XDG_DATA_HOME`, `HOME`) on first use; a broken
/// overlay is left out with a warning on stderr, as the command line does.
pub(crate) fn resources() -> &'static Resources {
    static RES: std::sync::OnceLock<Resources> = std::sync::OnceLock::new();
    RES.get_or_init(|| {
        let path = warcoder_sources::overlay::path(|k| std::env::var_os(k));
        let (gazetteer, warning) = warcoder_sources::overlay::open_if_present(path.as_deref());
        if let Some(w) = warning {
            eprintln!("warcoder: {w}");
        }
        Resources::with_gazetteer(gazetteer)
    })
}

/// Code one document as `warcoder extract` does; the output contract as
/// JSON text. Runs without the GIL.
fn code(raw: RawInput, languages: Languages) -> Result<String, NotCoded> {
    let source = raw.meta.source.clone();
    let config = Config {
        languages,
        ..Config::new(Budget::default())
    };
    // A panic in the pipeline stays with its document (a WarcoderError),
    // never a PanicException for the whole batch.
    let output = budget::isolated(|| {
        warcoder_core::try_extract_with(source::into_document(raw), resources(), &config)
    })
    .map_err(|e| NotCoded::Document(e.about(&source)))?;
    serde_json::to_string(&output).map_err(|e| NotCoded::Document(format!("{source}: {e}")))
}

/// JSON text as Python objects (`json.loads`).
fn from_json(py: Python<'_>, json: &str) -> PyResult<Py<PyAny>> {
    Ok(py
        .import("json")?
        .getattr("loads")?
        .call1((json,))?
        .unbind())
}

/// Code one document and return its output as a dict: the object that
/// `warcoder extract --format json` prints for it.
///
/// `published` is the publication date (str or datetime.date): it dates
/// "yesterday" and "on Tuesday". `url` names the document (and its outlet).
/// A text reliably in another language than English is not coded (the
/// rules read English): no events, and `document["not_coded_language"]`
/// names its language; `all_languages=True` codes it as English anyway.
/// Raises WarcoderError for an empty, binary or oversized text.
#[pyfunction]
#[pyo3(signature = (text, published=None, url=None, *, all_languages=false))]
fn extract(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    published: Option<&Bound<'_, PyAny>>,
    url: Option<&Bound<'_, PyAny>>,
    all_languages: bool,
) -> PyResult<Py<PyAny>> {
    let published = date_text(published, "published")?;
    let url = opt_str(url, "url")?;
    let raw = raw_from_text(text, "<text>".into(), published, url)?;
    let json = py.detach(|| code(raw, languages(all_languages)))?;
    from_json(py, &json)
}

/// News text about political violence in; structured, geocoded,
/// source-attributed events out. `extract` codes one text, `extract_many`
/// streams many over all cores, `Store` queries an event store written by
/// `warcoder ingest`. See `__credits__` for the data compiled in.
#[pymodule]
fn warcoder(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("__credits__", warcoder_core::credits!())?;
    m.add("WarcoderError", m.py().get_type::<WarcoderError>())?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(many::extract_many, m)?)?;
    m.add_class::<many::Extraction>()?;
    m.add_class::<store::Store>()?;
    m.add_class::<store::Records>()?;
    Ok(())
}
