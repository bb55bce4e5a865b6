//! The native half of the `gaztag` Python package: a compiled tagger that
//! renders each document's rows exactly as `gaztag tag --format jsonl
//! --raw-csv` does (the library's own renderer, not a copy), with the GIL
//! released while it tags.

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;

use gaztag::input::Document;
use gaztag::output::{CsvOptions, Format, Rendered, Table};
use gaztag::{GazetteerLoader, Scratch, Tagger};

create_exception!(
    _gaztag,
    GazetteerError,
    PyValueError,
    "Invalid gazetteers: the message lists every problem as file:line:col."
);

/// A compiled set of gazetteers.
#[pyclass(frozen)]
struct NativeTagger {
    tagger: Tagger,
    pool: rayon::ThreadPool,
    summary: Py<PyDict>,
}

fn gazetteer_error(e: gaztag::Error) -> PyErr {
    match e.kind() {
        gaztag::ErrorKind::Gazetteer(_) => {
            GazetteerError::new_err(e.to_string())
        }
        _ => PyRuntimeError::new_err(e.to_string()),
    }
}

#[pymethods]
impl NativeTagger {
    #[new]
    #[pyo3(signature = (gazetteers, builtin, threads, overlapping, keep_inside_names, no_resolve))]
    fn new(
        py: Python<'_>,
        gazetteers: Vec<String>,
        builtin: bool,
        threads: usize,
        overlapping: bool,
        keep_inside_names: bool,
        no_resolve: bool,
    ) -> PyResult<Self> {
        let mut loader = GazetteerLoader::new();
        if builtin {
            loader.add_builtin();
        }
        for g in &gazetteers {
            loader
                .add_path(std::path::Path::new(g))
                .map_err(gazetteer_error)?;
        }
        let set = loader.load().map_err(gazetteer_error)?;
        let summary = PyDict::new(py);
        let files = PyList::empty(py);
        for f in set.files() {
            let d = PyDict::new(py);
            d.set_item("path", &f.path)?;
            d.set_item("domain", &f.domain)?;
            d.set_item("entities", f.entities)?;
            d.set_item("names", f.names)?;
            d.set_item("topics", f.topics)?;
            files.append(d)?;
        }
        summary.set_item("files", files)?;
        summary.set_item("entities", set.entities().len())?;
        summary.set_item("topics", set.topics().len())?;
        let warnings: Vec<String> = set
            .warnings()
            .iter()
            .filter(|w| !w.location.path.starts_with("<builtin>"))
            .map(ToString::to_string)
            .collect();
        summary.set_item("warnings", warnings)?;
        let tagger = Tagger::builder()
            .overlapping(overlapping)
            .keep_inside_names(keep_inside_names || no_resolve)
            .resolve_partial_names(!no_resolve)
            .resolve_acronyms(!no_resolve)
            .build_owned(set)
            .map_err(gazetteer_error)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(NativeTagger { tagger, pool, summary: summary.unbind() })
    }

    /// What was loaded: files, entities, topics, warnings.
    fn check(&self, py: Python<'_>) -> Py<PyDict> {
        self.summary.clone_ref(py)
    }

    /// As `tag_batch`, but the rows of the batch by column: three dicts
    /// (mentions, topics, documents) from column name to a list of cells,
    /// which is what a DataFrame is built from fastest.
    fn tag_columns<'py>(
        &self,
        py: Python<'py>,
        docs: Vec<(String, Bound<'py, PyAny>)>,
    ) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>, Bound<'py, PyDict>)>
    {
        let rendered = self.render(py, docs);
        let mut tables = Vec::new();
        for table in Table::ALL {
            let cols = table.columns();
            let mut cells: Vec<Vec<serde_json::Value>> =
                vec![Vec::new(); cols.len()];
            for r in &rendered {
                for line in r
                    .table(table)
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                {
                    let mut row: serde_json::Map<String, serde_json::Value> =
                        serde_json::from_slice(line).map_err(|e| {
                            PyRuntimeError::new_err(e.to_string())
                        })?;
                    for (i, c) in cols.iter().enumerate() {
                        cells[i].push(
                            row.remove(*c).unwrap_or(serde_json::Value::Null),
                        );
                    }
                }
            }
            let d = PyDict::new(py);
            for (c, list) in cols.iter().zip(cells) {
                let l = PyList::empty(py);
                for v in list {
                    l.append(value(py, v))?;
                }
                d.set_item(*c, l)?;
            }
            tables.push(d);
        }
        let documents = tables.pop().unwrap();
        let topics = tables.pop().unwrap();
        let mentions = tables.pop().unwrap();
        Ok((mentions, topics, documents))
    }

    /// Tags `(id, text)` pairs in parallel; gives, in input order, each
    /// document's rows as (mentions, topics, document) lists of dicts with
    /// the CSV columns. A text that is not a `str` (or not valid Unicode)
    /// gives an `error` document row.
    fn tag_batch<'py>(
        &self,
        py: Python<'py>,
        docs: Vec<(String, Bound<'py, PyAny>)>,
    ) -> PyResult<Bound<'py, PyList>> {
        let rendered = self.render(py, docs);
        let out = PyList::empty(py);
        for r in &rendered {
            let mentions = rows(py, &r.mentions)?;
            let topics = rows(py, &r.topics)?;
            let document = rows(py, &r.document)?;
            let document = document.get_item(0)?;
            out.append((mentions, topics, document))?;
        }
        Ok(out)
    }
}

impl NativeTagger {
    /// Renders each document's rows (JSON Lines), in parallel, without the
    /// GIL.
    fn render<'py>(
        &self,
        py: Python<'py>,
        docs: Vec<(String, Bound<'py, PyAny>)>,
    ) -> Vec<Rendered> {
        let docs: Vec<Document> = docs
            .into_iter()
            .map(|(id, obj)| {
                let text = if obj.is_none() {
                    Err(format!("{id}: text is None, not a string"))
                } else {
                    match obj.extract::<String>() {
                        // Offsets are into the Python string as given:
                        // a leading BOM is a character here.
                        Ok(s) => Ok(s),
                        Err(e) => Err(format!(
                            "{id}: text is not a valid string ({}): {e}",
                            obj.get_type()
                                .name()
                                .map(|n| n.to_string())
                                .unwrap_or_default()
                        )),
                    }
                };
                Document { id, text, skipped: false }
            })
            .collect();
        let tagger = &self.tagger;
        let pool = &self.pool;
        py.detach(|| {
            pool.install(|| {
                docs.par_iter()
                    .with_max_len(1)
                    .map_init(Scratch::new, |scratch, doc| {
                        gaztag::pipeline::tag_one_as(
                            tagger,
                            scratch,
                            doc,
                            CsvOptions { raw: true },
                            Format::Jsonl,
                        )
                    })
                    .collect()
            })
        })
    }
}

/// A JSON cell as a Python value.
fn value(py: Python<'_>, v: serde_json::Value) -> Py<PyAny> {
    match v {
        serde_json::Value::Null => py.None(),
        serde_json::Value::Bool(b) => b
            .into_pyobject(py)
            .map(|b| b.to_owned().into_any().unbind())
            .unwrap_or_else(|_| py.None()),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => i
                .into_pyobject(py)
                .map(|o| o.into_any().unbind())
                .unwrap_or_else(|_| py.None()),
            None => n
                .as_f64()
                .unwrap_or(f64::NAN)
                .into_pyobject(py)
                .map(|o| o.into_any().unbind())
                .unwrap_or_else(|_| py.None()),
        },
        serde_json::Value::String(s) => s
            .into_pyobject(py)
            .map(|o| o.into_any().unbind())
            .unwrap_or_else(|_| py.None()),
        other => other
            .to_string()
            .into_pyobject(py)
            .map(|o| o.into_any().unbind())
            .unwrap_or_else(|_| py.None()),
    }
}

/// JSON Lines rows as a list of dicts.
fn rows<'py>(py: Python<'py>, jsonl: &[u8]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for line in jsonl.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(line)
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        let d = PyDict::new(py);
        for (k, v) in v {
            d.set_item(k, value(py, v))?;
        }
        list.append(d)?;
    }
    Ok(list)
}

/// The columns of the three tables, as the library defines them.
#[pyfunction]
fn columns(py: Python<'_>) -> PyResult<Py<PyDict>> {
    let d = PyDict::new(py);
    for t in Table::ALL {
        d.set_item(t.stem(), t.columns().to_vec())?;
    }
    Ok(d.unbind())
}

#[pymodule]
fn _gaztag(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeTagger>()?;
    m.add_function(wrap_pyfunction!(columns, m)?)?;
    m.add("GazetteerError", m.py().get_type::<GazetteerError>())?;
    Ok(())
}
