//! `Store`: the event store `warcoder ingest` writes, queried with the
//! filters of `warcoder events` (the store crate's `FilterArgs`, checked
//! by the same code) and returning its incident records: the objects
//! `warcoder events --format jsonl` prints, one dict each.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::exceptions::{PyFileNotFoundError, PyImportError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use warcoder_store::query::FilterArgs;
use warcoder_store::StoreError;

use crate::{date_text, from_json, opt_str, type_name, WarcoderError};

fn store_error(e: StoreError) -> PyErr {
    match e {
        StoreError::Missing(_) => PyFileNotFoundError::new_err(e.to_string()),
        other => WarcoderError::new_err(other.to_string()),
    }
}

/// An event store written by `warcoder ingest` (SQLite). Opened once;
/// queries run without the GIL.
#[pyclass(module = "warcoder")]
pub struct Store {
    path: PathBuf,
    store: Mutex<warcoder_store::Store>,
}

/// `bbox` as `W,S,E,N` text: a str as given, or four numbers.
fn bbox_text(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(v) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Some(s.to_string()));
    }
    let [w, s, e, n]: [f64; 4] = v.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "bbox must be four numbers (west, south, east, north) or a \"W,S,E,N\" str, not {}",
            type_name(v)
        ))
    })?;
    Ok(Some(format!("{w},{s},{e},{n}")))
}

#[pymethods]
impl Store {
    /// Open the event store at `path` (made by `warcoder ingest PATH --db
    /// FILE`). Raises FileNotFoundError when there is none.
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Store> {
        let opened = py.detach(|| warcoder_store::Store::open_existing(&path));
        Ok(Store {
            store: Mutex::new(opened.map_err(store_error)?),
            path,
        })
    }

    /// The store's file.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    fn __repr__(&self) -> String {
        format!("warcoder.Store({:?})", self.path.display().to_string())
    }

    /// The incidents matching every filter given, oldest first (undated
    /// last), analysts' corrections applied; the filters are those of
    /// `warcoder events`: `from_` / `to` (day, str or datetime.date),
    /// `country` (ISO2), `type` (ACLED event type or sub-event type, any
    /// case or number, a word naming one, or its CAMEO code), `actor` (part
    /// of a name), `bbox` (W,S,E,N), `text` (words).
    #[pyo3(signature = (*, from_=None, to=None, country=None, r#type=None, actor=None, bbox=None, text=None))]
    #[allow(clippy::too_many_arguments)]
    fn events(
        &self,
        py: Python<'_>,
        from_: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        country: Option<&Bound<'_, PyAny>>,
        r#type: Option<&Bound<'_, PyAny>>,
        actor: Option<&Bound<'_, PyAny>>,
        bbox: Option<&Bound<'_, PyAny>>,
        text: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Records> {
        let args = FilterArgs {
            from: date_text(from_, "from_")?,
            to: date_text(to, "to")?,
            country: opt_str(country, "country")?,
            event_type: opt_str(r#type, "type")?,
            actor: opt_str(actor, "actor")?,
            bbox: bbox_text(bbox)?,
            text: opt_str(text, "text")?,
        };
        let json = py.detach(|| -> PyResult<Vec<String>> {
            let filter = args
                .check(&crate::resources().ontology, |field| match field {
                    "from" => "from_=".into(),
                    other => format!("{other}="),
                })
                .map_err(WarcoderError::new_err)?;
            let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
            let mut records = Vec::new();
            store
                .for_each_incident(&filter, |incident| {
                    // Through a Value, as the JSONL export writes a record
                    // (its f32 confidence widened the same way).
                    records.push(serde_json::to_value(&incident)?.to_string());
                    Ok::<_, StoreError>(())
                })
                .map_err(store_error)?;
            Ok(records)
        })?;
        let records = json
            .iter()
            .map(|j| from_json(py, j))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Records {
            records: PyList::new(py, records)?.unbind(),
        })
    }
}

/// Incident records (dicts) from `Store.events`: a sequence, and a table
/// with `to_pandas()`.
#[pyclass(module = "warcoder", sequence)]
pub struct Records {
    records: Py<PyList>,
}

#[pymethods]
impl Records {
    fn __len__(&self, py: Python<'_>) -> usize {
        self.records.bind(py).len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.records.bind(py).as_any().get_item(index)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.records.bind(py).try_iter()?.into_any())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<warcoder.Records: {} incidents>", self.__len__(py))
    }

    /// The records as a list of dicts.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.records.bind(py).iter())
    }

    /// The records as a pandas DataFrame, one row per incident: nested
    /// objects become dotted columns (`location.name`, `fatalities.best`),
    /// lists (actors, sources) stay lists. Needs pandas (`pip install pandas`).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pandas = py.import("pandas").map_err(|e| {
            PyImportError::new_err(format!(
                "to_pandas() needs pandas, which is not installed here ({e}): `pip install pandas`, or use the records as dicts"
            ))
        })?;
        pandas.call_method1("json_normalize", (self.records.bind(py),))
    }
}
