//! Importing a spreadsheet of entities (CSV, TSV or JSON Lines) into a
//! commented gazetteer file (`gaztag import`).
//!
//! Each row is an entity: a name column, and optionally id, aliases (one
//! cell, split on a separator), type and attribute columns. Ids missing
//! from the sheet are made from the names: lower case, accents folded,
//! runs of other characters as `-`, prefixed with the domain, and made
//! unique in row order (`-2`, `-3`, ...), so the same sheet always gives
//! the same ids. A row with no name, a duplicate id or an alias without a
//! letter or digit is reported with its line and left out; the rest is
//! written.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::normalize::fold_str;

/// Where the entity type comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeSpec {
    /// The same type for every entity (the `[domain]` type).
    Value(String),
    /// A column of the sheet.
    Column(String),
}

/// What to read from the sheet.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The domain name (default: the sheet's file stem).
    pub domain: Option<String>,
    /// The column of ids (default: ids made from names).
    pub id: Option<String>,
    /// The column of names.
    pub name: String,
    /// The column of aliases, if any.
    pub aliases: Option<String>,
    /// The columns of acronyms, demonyms and former names, if any
    /// (`acronyms`, `demonyms`, `former_names` in the TOML).
    pub acronyms: Option<String>,
    /// See [`ImportOptions::acronyms`].
    pub demonyms: Option<String>,
    /// See [`ImportOptions::acronyms`].
    pub former_names: Option<String>,
    /// What separates aliases in one cell. Default `|`.
    pub sep: String,
    /// The type of the entities.
    pub kind: TypeSpec,
    /// Columns copied as attributes (empty cells left out).
    pub attributes: Vec<String>,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            domain: None,
            id: None,
            name: "name".into(),
            aliases: None,
            acronyms: None,
            demonyms: None,
            former_names: None,
            sep: "|".into(),
            kind: TypeSpec::Value("organization".into()),
            attributes: Vec::new(),
        }
    }
}

/// A row left out, with its 1-based line and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The line of the row in the sheet.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// The outcome of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The gazetteer file.
    pub toml: String,
    /// Entities written.
    pub entities: usize,
    /// Rows left out.
    pub skipped: Vec<Skipped>,
}

/// One row: its line and its cells by column name.
type Row = (u64, HashMap<String, String>);

/// Reads the rows of a sheet: `.jsonl`/`.ndjson` as JSON Lines, `.tsv` as
/// tab-separated, anything else as CSV (a header row first). A leading
/// byte-order mark is ignored; CRLF line ends are fine.
fn rows(path: &Path, text: &str) -> Result<(Vec<String>, Vec<Row>)> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "jsonl" || ext == "ndjson" {
        let mut columns: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i as u64 + 1;
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| {
                    Error::input(
                        path,
                        Some(line_no),
                        format!("invalid JSON: {e}"),
                    )
                })?;
            let serde_json::Value::Object(map) = v else {
                return Err(Error::input(
                    path,
                    Some(line_no),
                    "not a JSON object",
                ));
            };
            let mut row = HashMap::new();
            for (k, v) in map {
                if !columns.contains(&k) {
                    columns.push(k.clone());
                }
                let cell = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|x| {
                            x.as_str()
                                .map_or_else(|| x.to_string(), str::to_string)
                        })
                        .collect::<Vec<_>>()
                        .join("\u{1F}"),
                    other => other.to_string(),
                };
                row.insert(k, cell);
            }
            out.push((line_no, row));
        }
        return Ok((columns, out));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if ext == "tsv" { b'\t' } else { b',' })
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::input(path, Some(1), format!("cannot read the header: {e}"))
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line());
            Error::input(path, line, format!("invalid CSV: {e}"))
        })?;
        // The line where the record starts (the reader's own line count
        // is that of the record before).
        let line = rec.position().map_or(0, |p| {
            let mut at = (p.byte() as usize).min(text.len());
            // With CRLF ends, the position may point at the `\n`.
            while text
                .as_bytes()
                .get(at)
                .is_some_and(|b| matches!(b, b'\r' | b'\n'))
            {
                at += 1;
            }
            text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count()
                as u64
                + 1
        });
        let row = header
            .iter()
            .cloned()
            .zip(rec.iter().map(|c| c.trim().to_string()))
            .collect();
        out.push((line, row));
    }
    Ok((header, out))
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key: bare when it can be.
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// The id made from a name: `acme-corp` for `ACME Corp.`.
pub fn slug(name: &str) -> String {
    let folded = fold_str(name, true);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Imports the sheet `text` (named `path`, whose extension gives its
/// format) as a gazetteer file.
///
/// # Errors
/// A sheet that cannot be read at all (no header, malformed CSV or JSON),
/// or options naming columns it does not have; bad rows are not errors
/// but [`Imported::skipped`].
pub fn import(
    path: &Path,
    text: &str,
    opts: &ImportOptions,
) -> Result<Imported> {
    let (columns, rows) = rows(path, text)?;
    let jsonl = path.extension().is_some_and(|e| {
        matches!(
            e.to_string_lossy().to_ascii_lowercase().as_str(),
            "jsonl" | "ndjson"
        )
    });
    let mut needed: Vec<&str> = vec![&opts.name];
    needed.extend(opts.id.as_deref());
    needed.extend(opts.aliases.as_deref());
    needed.extend(opts.acronyms.as_deref());
    needed.extend(opts.demonyms.as_deref());
    needed.extend(opts.former_names.as_deref());
    if let TypeSpec::Column(c) = &opts.kind {
        needed.push(c);
    }
    needed.extend(opts.attributes.iter().map(String::as_str));
    // JSON Lines rows may leave keys out; a sheet must have its columns.
    if !jsonl {
        for c in &needed {
            if !columns.iter().any(|h| h == c) {
                return Err(Error::input(
                    path,
                    Some(1),
                    format!(
                        "no column `{c}` (columns: {})",
                        columns.join(", ")
                    ),
                ));
            }
        }
    }
    let domain = opts.domain.clone().unwrap_or_else(|| {
        slug(
            &path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    });
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let mut skipped = Vec::new();
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut body = String::new();
    let mut entities = 0;
    let cell = |row: &HashMap<String, String>, c: &str| -> String {
        row.get(c).cloned().unwrap_or_default()
    };
    for (line, row) in &rows {
        let line = *line;
        let mut skip =
            |message: String| skipped.push(Skipped { line, message });
        let name = cell(row, &opts.name);
        if name.is_empty() {
            skip(format!("no name (column `{}` is empty)", opts.name));
            continue;
        }
        if !name.chars().any(char::is_alphanumeric) {
            skip(format!("name `{name}` has no letter or digit"));
            continue;
        }
        // Forms that fold alike (`Nestle`, `Nestlé`) match alike: each is
        // kept once, in the first field that has it.
        let mut seen = vec![fold_str(&name, true)];
        let mut forms = |col: &Option<String>| -> Vec<String> {
            let Some(col) = col else { return Vec::new() };
            let raw = cell(row, col);
            let sep = if jsonl && raw.contains('\u{1F}') {
                "\u{1F}"
            } else {
                opts.sep.as_str()
            };
            let mut out = Vec::new();
            for a in raw.split(sep).map(str::trim).filter(|a| !a.is_empty()) {
                let folded = fold_str(a, true);
                if !seen.contains(&folded) {
                    seen.push(folded);
                    out.push(a.to_string());
                }
            }
            out
        };
        let fields = [
            ("aliases", "alias", forms(&opts.aliases)),
            ("acronyms", "acronym", forms(&opts.acronyms)),
            ("demonyms", "demonym", forms(&opts.demonyms)),
            ("former_names", "former name", forms(&opts.former_names)),
        ];
        let bad = fields.iter().find_map(|(_, what, list)| {
            list.iter()
                .find(|a| !a.chars().any(char::is_alphanumeric))
                .map(|a| format!("{what} `{a}` has no letter or digit"))
        });
        if let Some(message) = bad {
            skip(message);
            continue;
        }
        let kind = match &opts.kind {
            TypeSpec::Value(_) => None,
            TypeSpec::Column(c) => {
                let k = cell(row, c);
                if k.is_empty() {
                    skip(format!("no type (column `{c}` is empty)"));
                    continue;
                }
                Some(k)
            }
        };
        let id = match &opts.id {
            Some(col) => {
                let id = cell(row, col);
                if id.is_empty() {
                    skip(format!("no id (column `{col}` is empty)"));
                    continue;
                }
                if let Some(first) = ids.get(&id) {
                    skip(format!(
                        "duplicate id `{id}` (first at line {first})"
                    ));
                    continue;
                }
                id
            }
            None => {
                let base = format!("{domain}:{}", slug(&name));
                let mut id = base.clone();
                let mut n = 2;
                while ids.contains_key(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                id
            }
        };
        ids.insert(id.clone(), line);
        entities += 1;
        body.push_str(&format!(
            "# {file}:{line}\n[[entity]]\nid = {}\nname = {}\n",
            quoted(&id),
            quoted(&name)
        ));
        if let Some(k) = kind {
            body.push_str(&format!("type = {}\n", quoted(&k)));
        }
        for (key, _, list) in &fields {
            if !list.is_empty() {
                let list: Vec<String> =
                    list.iter().map(|a| quoted(a)).collect();
                body.push_str(&format!("{key} = [{}]\n", list.join(", ")));
            }
        }
        let attrs: Vec<(String, String)> = opts
            .attributes
            .iter()
            .map(|c| (c.clone(), cell(row, c)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if !attrs.is_empty() {
            body.push_str("[entity.attributes]\n");
            for (k, v) in attrs {
                body.push_str(&format!("{} = {}\n", key(&k), quoted(&v)));
            }
        }
        body.push('\n');
    }
    let mut toml = format!(
        "#:schema ./gazetteer.schema.json\n\
         # Gazetteer of the `{domain}` domain, imported by `gaztag import` from\n\
         # {file}: {entities} entities ({} rows left out). Each entity notes\n\
         # the line of its row.\n\
         #\n\
         # Check it:  gaztag check --no-builtin -g {domain}.toml\n\
         # Try it:    gaztag check -g {domain}.toml --sample articles/\n\n\
         [domain]\nname = {}\n",
        skipped.len(),
        quoted(&domain)
    );
    if let TypeSpec::Value(k) = &opts.kind {
        toml.push_str(&format!("type = {}\n", quoted(k)));
    }
    toml.push('\n');
    toml.push_str(&body);
    Ok(Imported { toml, entities, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GazetteerSet;

    #[test]
    fn slugs() {
        for (name, want) in [
            ("ACME Corp.", "acme-corp"),
            ("Société Générale", "societe-generale"),
            ("  AT&T  ", "at-t"),
            ("3M", "3m"),
        ] {
            assert_eq!(slug(name), want, "{name}");
        }
    }

    #[test]
    fn a_sheet_with_bad_rows() {
        let sheet = "\u{FEFF}name,ticker,aka,sector\r\n\
                     \"Acme, Inc.\",ACM,Acme|ACME Co,industrials\r\n\
                     ,XXX,,\r\n\
                     Acme Inc,AC2,,industrials\r\n\
                     Bolt Ltd,BLT,\"--\",\r\n\
                     \"Zeta \"\"Z\"\" Group\",ZZ,Zeta,tech\r\n";
        let opts = ImportOptions {
            domain: Some("firms".into()),
            aliases: Some("aka".into()),
            attributes: vec!["ticker".into(), "sector".into()],
            ..ImportOptions::default()
        };
        let got = import(Path::new("firms.csv"), sheet, &opts).unwrap();
        assert_eq!(got.entities, 3);
        let skipped: Vec<(u64, &str)> =
            got.skipped.iter().map(|s| (s.line, s.message.as_str())).collect();
        assert_eq!(
            skipped,
            [
                (3, "no name (column `name` is empty)"),
                (5, "alias `--` has no letter or digit")
            ]
        );
        let set = GazetteerSet::from_toml("firms.toml", &got.toml).unwrap();
        let ids: Vec<(&str, &str)> = set
            .entities()
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("firms:acme-inc", "Acme, Inc."),
                ("firms:acme-inc-2", "Acme Inc"),
                ("firms:zeta-z-group", "Zeta \"Z\" Group"),
            ]
        );
        assert_eq!(set.entities()[0].aliases, ["Acme", "ACME Co"]);
        assert_eq!(set.entities()[0].attributes["ticker"], "ACM");
        assert!(
            got.toml.contains("# firms.csv:2\n[[entity]]"),
            "{}",
            got.toml
        );
        // A duplicate id from an id column is a bad row.
        let opts = ImportOptions { id: Some("ticker".into()), ..opts };
        let sheet = "name,ticker\nA Corp,AAA\nB Corp,AAA\n";
        let got = import(Path::new("x.csv"), sheet, &opts);
        assert!(got.is_err(), "no `aka` column");
        let opts = ImportOptions { aliases: None, attributes: vec![], ..opts };
        let got = import(Path::new("x.csv"), sheet, &opts).unwrap();
        assert_eq!(
            got.skipped[0].message,
            "duplicate id `AAA` (first at line 2)"
        );
    }

    #[test]
    fn acronyms_demonyms_and_former_names() {
        let sheet = "name,abbr,people,old\n\
                     Ruritania,RUR|R.R.,Ruritanian|Ruritanians,Old Ruritania\n\
                     Freedonia,FRE,Freedonia,\n";
        let opts = ImportOptions {
            domain: Some("lands".into()),
            acronyms: Some("abbr".into()),
            demonyms: Some("people".into()),
            former_names: Some("old".into()),
            kind: TypeSpec::Value("country".into()),
            ..ImportOptions::default()
        };
        let got = import(Path::new("lands.csv"), sheet, &opts).unwrap();
        assert_eq!(got.entities, 2);
        let set = GazetteerSet::from_toml("lands.toml", &got.toml).unwrap();
        let e = &set.entities()[0];
        assert_eq!(e.acronyms, ["RUR", "R.R."]);
        assert_eq!(e.demonyms, ["Ruritanian", "Ruritanians"]);
        assert_eq!(e.former_names, ["Old Ruritania"]);
        // A form equal to the name is left out.
        assert!(set.entities()[1].demonyms.is_empty());
    }

    #[test]
    fn json_lines_and_a_type_column() {
        let sheet = "{\"name\": \"Kenya Rangers\", \"kind\": \"club\", \"aka\": [\"Rangers KE\"]}\n\n{\"name\": \"Nairobi Lions\", \"kind\": \"\"}\n";
        let opts = ImportOptions {
            aliases: Some("aka".into()),
            kind: TypeSpec::Column("kind".into()),
            ..ImportOptions::default()
        };
        let got = import(Path::new("clubs.jsonl"), sheet, &opts).unwrap();
        assert_eq!(got.entities, 1);
        assert_eq!(got.skipped[0].line, 3);
        let set = GazetteerSet::from_toml("clubs.toml", &got.toml).unwrap();
        assert_eq!(set.entities()[0].kind, "club");
        assert_eq!(set.entities()[0].aliases, ["Rangers KE"]);
        assert_eq!(set.entities()[0].id, "clubs:kenya-rangers");
    }
}
