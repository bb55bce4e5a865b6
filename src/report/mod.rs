//! `gaztag report`: one self-contained HTML page for a run: an overview
//! (counts, mentions by type, top entities, topics, a world map) and the
//! documents with their mentions highlighted.
//!
//! The page carries its data as JSON in a `<script type="application/json">`
//! element, escaped so that no data can end it (`<`, `>`, `&`, U+2028 and
//! U+2029 are written as `\uXXXX`), and its script renders every string with
//! `textContent`: a document or entity name cannot run anything. Styles,
//! script, data and the map are inline: the page opens from disk with no
//! network.
//!
//! Scale: counts and charts cover every document; the text, mentions and
//! topics of at most `max_docs` documents are embedded (the first ones in
//! the run's order whose text can be read), and the page says how many.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::input::{Documents, InputOptions};

/// The page around the data: styles and script.
const TEMPLATE: &str = include_str!("template.html");

/// Country outlines by ISO 3166-1 alpha-3 (Natural Earth 1:110m, public
/// domain, via world-atlas; see `tools/gen_world_map.py`).
const WORLD: &str = include_str!("../../data/world_110m.json");

/// Options of [`build`].
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// The most documents whose text, mentions and topics are embedded.
    /// Default 2,000.
    pub max_docs: usize,
    /// Documents to read texts from (files, folders, JSONL, CSV), as given
    /// to `gaztag tag`; when empty, each `doc_id` that names a readable
    /// file is read.
    pub inputs: Vec<PathBuf>,
    /// How `inputs` are read (fields of JSONL and CSV files).
    pub input: InputOptions,
    /// The page title.
    pub title: String,
}

impl Default for ReportOptions {
    fn default() -> ReportOptions {
        ReportOptions {
            max_docs: 2000,
            inputs: Vec::new(),
            input: InputOptions::default(),
            title: "gaztag report".to_string(),
        }
    }
}

type Row = HashMap<String, String>;

/// Reads `dir/<table>.{csv,tsv,jsonl}`, whichever exists.
fn read_table(dir: &Path, table: &str) -> Result<Vec<Row>> {
    for ext in ["csv", "tsv", "jsonl"] {
        let path = dir.join(format!("{table}.{ext}"));
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        if ext == "jsonl" {
            let mut rows = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let v: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(line).map_err(|e| {
                        Error::input(
                            &path,
                            Some(i as u64 + 1),
                            format!("invalid JSON: {e}"),
                        )
                    })?;
                rows.push(
                    v.into_iter()
                        .map(|(k, v)| {
                            let s = match v {
                                serde_json::Value::String(s) => s,
                                serde_json::Value::Null => String::new(),
                                other => other.to_string(),
                            };
                            (k, s)
                        })
                        .collect(),
                );
            }
            return Ok(rows);
        }
        let mut r = csv::ReaderBuilder::new()
            .delimiter(if ext == "tsv" { b'\t' } else { b',' })
            .from_reader(text.as_bytes());
        let head: Vec<String> = r
            .headers()
            .map_err(|e| Error::input(&path, Some(1), e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| {
                Error::input(
                    &path,
                    e.position().map(|p| p.line()),
                    e.to_string(),
                )
            })?;
            rows.push(
                head.iter()
                    .cloned()
                    .zip(rec.iter().map(|c| unneutralise(c, ext)))
                    .collect(),
            );
        }
        return Ok(rows);
    }
    Err(Error::input(
        dir,
        None,
        format!("no {table}.csv, {table}.tsv or {table}.jsonl here"),
    ))
}

/// A CSV cell as it was before formula neutralising (`'=x` was `=x`).
fn unneutralise(cell: &str, ext: &str) -> String {
    if ext != "jsonl"
        && let Some(rest) = cell.strip_prefix('\'')
        && rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
    {
        return rest.to_string();
    }
    cell.to_string()
}

fn num(r: &Row, k: &str) -> usize {
    r.get(k).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn cell<'a>(r: &'a Row, k: &str) -> &'a str {
    r.get(k).map_or("", String::as_str)
}

/// Builds the report of the run whose tables are in `dir`.
///
/// # Errors
/// A table that is missing or cannot be read.
pub fn build(dir: &Path, opts: &ReportOptions) -> Result<String> {
    let mentions = read_table(dir, "mentions")?;
    let topics = read_table(dir, "topics")?;
    let documents = read_table(dir, "documents")?;

    // Texts: from the inputs given again, else from doc_id paths.
    let wanted: Vec<&str> = documents
        .iter()
        .filter(|d| cell(d, "status") == "ok")
        .map(|d| cell(d, "doc_id"))
        .collect();
    let mut texts: HashMap<String, String> = HashMap::new();
    if !opts.inputs.is_empty() {
        let want: HashSet<&str> =
            wanted.iter().take(opts.max_docs).copied().collect();
        for doc in Documents::new(&opts.inputs, opts.input.clone()) {
            if texts.len() >= opts.max_docs {
                break;
            }
            if let (true, Ok(t)) = (want.contains(doc.id.as_str()), doc.text) {
                texts.insert(doc.id, t);
            }
        }
    } else {
        for id in &wanted {
            if texts.len() >= opts.max_docs {
                break;
            }
            let p = Path::new(id);
            if p.is_file()
                && let Ok(t) = std::fs::read_to_string(p)
            {
                let t = t
                    .strip_prefix('\u{FEFF}')
                    .map(str::to_string)
                    .unwrap_or(t);
                texts.insert(id.to_string(), t);
            }
        }
    }

    // Overview.
    let count =
        |s: &str| documents.iter().filter(|d| cell(d, "status") == s).count();
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    let mut entity_docs: HashMap<(&str, &str), (String, usize, Vec<usize>)> =
        HashMap::new();
    let doc_index: HashMap<&str, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (cell(d, "doc_id"), i))
        .collect();
    let mut country_docs: BTreeMap<&str, HashSet<usize>> = BTreeMap::new();
    for m in &mentions {
        let kind = cell(m, "type");
        *by_type.entry(kind).or_default() += 1;
        let Some(&di) = doc_index.get(cell(m, "doc_id")) else { continue };
        let e = entity_docs
            .entry((kind, cell(m, "entity_id")))
            .or_insert_with(|| (cell(m, "entity").to_string(), 0, Vec::new()));
        e.1 += 1;
        if e.2.last() != Some(&di) {
            e.2.push(di);
        }
        if kind == "country" {
            country_docs.entry(cell(m, "entity_id")).or_default().insert(di);
        }
    }
    let mut top: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
    let mut all: Vec<_> = entity_docs.into_iter().collect();
    all.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(&b.0)));
    let distinct = all.len();
    for ((kind, id), (name, n, docs)) in all {
        let list = top.entry(kind).or_default();
        if list.len() < 15 {
            list.push(serde_json::json!([id, name, n, docs]));
        }
    }
    let mut topics_top: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut topics_all: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for t in &topics {
        let key = (cell(t, "topic_id"), cell(t, "topic"));
        *topics_all.entry(key).or_default() += 1;
        if cell(t, "rank") == "1" {
            *topics_top.entry(key).or_default() += 1;
        }
    }
    let topic_list = |m: BTreeMap<(&str, &str), usize>| {
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter()
            .map(|((id, name), n)| serde_json::json!([id, name, n]))
            .collect::<Vec<_>>()
    };

    // Documents: every one listed; text and rows for those embedded.
    let mut per_doc_m: HashMap<&str, Vec<&Row>> = HashMap::new();
    for m in &mentions {
        per_doc_m.entry(cell(m, "doc_id")).or_default().push(m);
    }
    let mut per_doc_t: HashMap<&str, Vec<&Row>> = HashMap::new();
    for t in &topics {
        per_doc_t.entry(cell(t, "doc_id")).or_default().push(t);
    }
    let mut embedded = 0;
    let docs: Vec<serde_json::Value> = documents
        .iter()
        .map(|d| {
            let id = cell(d, "doc_id");
            let mut v = serde_json::json!({
                "id": id,
                "status": cell(d, "status"),
                "error": cell(d, "error"),
                "top": cell(d, "top_topic"),
                "n": num(d, "mentions"),
                "countries": cell(d, "countries"),
            });
            if let Some(text) = texts.get(id) {
                embedded += 1;
                let ms: Vec<serde_json::Value> = per_doc_m
                    .get(id)
                    .into_iter()
                    .flatten()
                    .map(|m| {
                        serde_json::json!([
                            num(m, "start"),
                            num(m, "end"),
                            cell(m, "type"),
                            cell(m, "entity_id"),
                            cell(m, "entity"),
                            cell(m, "via"),
                            cell(m, "alternatives"),
                            cell(m, "inside_name"),
                            cell(m, "text")
                        ])
                    })
                    .collect();
                let ts: Vec<serde_json::Value> = per_doc_t
                    .get(id)
                    .into_iter()
                    .flatten()
                    .map(|t| {
                        serde_json::json!([
                            cell(t, "topic"),
                            cell(t, "score"),
                            cell(t, "rank"),
                            cell(t, "evidence")
                        ])
                    })
                    .collect();
                v["text"] = serde_json::Value::String(text.clone());
                v["m"] = serde_json::Value::Array(ms);
                v["t"] = serde_json::Value::Array(ts);
            }
            v
        })
        .collect();
    let world: serde_json::Value = serde_json::from_str(WORLD)
        .map_err(|e| Error::build(e.to_string()))?;
    let data = serde_json::json!({
        "title": opts.title,
        "version": env!("CARGO_PKG_VERSION"),
        "max_docs": opts.max_docs,
        "embedded": embedded,
        "totals": {
            "documents": documents.len(),
            "ok": count("ok"),
            "failed": count("error"),
            "skipped": count("skipped"),
            "mentions": mentions.len(),
            "entities": distinct,
        },
        "by_type": by_type.iter().map(|(k, v)| serde_json::json!([k, v])).collect::<Vec<_>>(),
        "top": top,
        "topics_top": topic_list(topics_top),
        "topics_all": topic_list(topics_all),
        "countries": country_docs.iter().map(|(k, v)| (k.to_string(), v.len())).collect::<BTreeMap<_, _>>(),
        "docs": docs,
        "world": world,
    });
    Ok(page(&opts.title, &data.to_string()))
}

/// JSON made safe inside a `<script>` element: nothing in it can close the
/// element or start a comment.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 50);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Text made safe as HTML text.
fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, json: &str) -> String {
    let (head, tail) =
        TEMPLATE.split_once("{{DATA}}").unwrap_or((TEMPLATE, ""));
    let head = head.replace("{{TITLE}}", &html_text(title));
    let data = script_safe(json);
    let mut out = String::with_capacity(head.len() + data.len() + tail.len());
    out.push_str(&head);
    out.push_str(&data);
    out.push_str(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_the_script() {
        let s = script_safe(
            r#"{"a":"</script><script>alert(1)</script>","b":"x&y\u2028"}"#,
        );
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["a"], "</script><script>alert(1)</script>");
        assert_eq!(back["b"], "x&y\u{2028}");
        assert_eq!(
            html_text("<b>\"x\"</b>"),
            "&lt;b&gt;&quot;x&quot;&lt;/b&gt;"
        );
    }

    #[test]
    fn neutralised_cells_are_read_back() {
        assert_eq!(unneutralise("'=HYPERLINK(1)", "csv"), "=HYPERLINK(1)");
        assert_eq!(unneutralise("'quoted", "csv"), "'quoted");
        assert_eq!(unneutralise("'=x", "jsonl"), "'=x");
    }

    #[test]
    fn a_run_in_every_format() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("a.txt");
        std::fs::write(&doc, "Kenya <script>").unwrap();
        let id = doc.display().to_string();
        std::fs::write(
            dir.path().join("mentions.csv"),
            format!("doc_id,start,end,text,entity_id,entity,type,domain,byte_start,byte_end,alternatives,via,inside_name,enclosing_start,enclosing_end\n{id},0,5,Kenya,KEN,Kenya,country,countries,0,5,,name,false,,\n"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("topics.csv"),
            "doc_id,topic_id,topic,score,rank,evidence\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("documents.csv"),
            format!("doc_id,status,error,chars,mentions\n{id},ok,,14,1\nb.png,skipped,not a text document,,\n"),
        )
        .unwrap();
        let html = build(dir.path(), &ReportOptions::default()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("<script>\""), "data escaped");
        let json = html
            .split("id=\"data\">")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["totals"]["documents"], 2);
        assert_eq!(v["totals"]["skipped"], 1);
        assert_eq!(v["countries"]["KEN"], 1);
        assert_eq!(v["docs"][0]["text"], "Kenya <script>");
        assert_eq!(v["embedded"], 1);
    }
}
