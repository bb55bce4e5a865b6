//! `tag --format csv|tsv|jsonl`, `--bom` and the pivot columns of
//! `documents.csv`.

use std::collections::BTreeMap;

use gaztag::output::{DOCUMENT_COLUMNS, MENTION_COLUMNS, TOPIC_COLUMNS};

use crate::util::{Dir, csv_maps, stderr};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A gazetteer with one entity of each pivot type and one of another type.
const GAZ: &str = r#"
[domain]
name = "pivot"
type = "country"

[[entity]]
id = "PAK"
name = "Pakistan"

[[entity]]
id = "AFG"
name = "Afghanistan"

[[entity]]
id = "USA"
name = "United States"
aliases = ["US"]

[[entity]]
id = "kabul"
type = "city"
name = "Kabul"

[[entity]]
id = "punjab"
type = "region"
name = "Punjab"

[[entity]]
id = "pcb"
type = "organization"
name = "Pakistan Cricket Board"
aliases = ["PCB"]

[[entity]]
id = "babar"
type = "person"
name = "Babar Azam"

[[entity]]
id = "gaddafi-stadium"
type = "stadium"
name = "Gaddafi Stadium"

[[topic]]
id = "cricket"
name = "Cricket"
keywords = ["wickets", "innings", "bowlers"]
entities = ["pcb", "babar"]

[[topic]]
id = "diplomacy"
name = "Diplomacy"
keywords = ["talks", "embassy"]
"#;

/// Documents with awkward ids and text: quotes, commas, tabs, line
/// breaks, non-ASCII names and formula-like cells.
const DOCS: &str = concat!(
    r#"{"id": "=HYPERLINK(\"http://x\",\"y\")", "text": "+cmd|' /C calc'!A0 Pakistan, Pakistan and Afghanistan: wickets, innings; the PCB and Babar Azam in Kabul."}"#,
    "\n",
    r#"{"id": "tab\there, \"quoted\"\nnewline", "text": "Talks in Punjab,\tthe US, Afghanistan and the embassy; Gaddafi Stadium. Ünïcödé Pakistan talks."}"#,
    "\n",
    r#"{"id": "empty", "text": "nothing here"}"#,
    "\n",
    r#"{"id": "bad", "text": 1}"#,
    "\n",
);

fn setup() -> Dir {
    let dir = Dir::new();
    dir.write("gaz.toml", GAZ);
    dir.write("docs.jsonl", DOCS);
    dir
}

/// Runs `gaztag tag` on the fixture with `extra` options; the raw stdout.
fn tag(dir: &Dir, extra: &[&str]) -> Vec<u8> {
    let mut args =
        vec!["tag", "-q", "--no-builtin", "-g", "gaz.toml", "docs.jsonl"];
    args.extend_from_slice(extra);
    let out = dir.run(&args);
    // The `bad` document fails, so the exit status is 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    out.stdout
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// Parses TSV with a header into maps from column name to value, checking
/// the header against `columns`.
fn tsv_maps(text: &str, columns: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    let (head, body) = rows.split_first().expect("header row");
    assert_eq!(head, columns);
    body.iter()
        .map(|r| {
            assert_eq!(r.len(), columns.len());
            head.iter().cloned().zip(r.iter().cloned()).collect()
        })
        .collect()
}

/// Parses JSON Lines into maps from column name to the CSV spelling of the
/// value, checking the keys, their order and the JSON types.
fn jsonl_maps(text: &str, columns: &[&str]) -> Vec<BTreeMap<String, String>> {
    text.lines()
        .map(|line| {
            // Keys come in column order.
            let mut at = 0;
            for c in columns {
                let key = format!("\"{c}\":");
                let pos = line[at..].find(&key).unwrap_or_else(|| {
                    panic!("{key} missing or out of order in {line}")
                });
                at += pos + key.len();
            }
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let obj = v.as_object().unwrap();
            assert_eq!(obj.len(), columns.len(), "{line}");
            obj.iter()
                .map(|(k, v)| {
                    let numeric = matches!(
                        k.as_str(),
                        "start"
                            | "end"
                            | "byte_start"
                            | "byte_end"
                            | "enclosing_start"
                            | "enclosing_end"
                            | "score"
                            | "rank"
                            | "chars"
                            | "mentions"
                            | "entities"
                            | "topics"
                            | "words"
                            | "bytes"
                    );
                    let s = match v {
                        serde_json::Value::Null => {
                            assert!(numeric, "{k} is null");
                            String::new()
                        }
                        serde_json::Value::Number(n) => {
                            assert!(numeric, "{k} is a number");
                            if k == "score" {
                                format!("{:.3}", n.as_f64().unwrap())
                            } else {
                                n.as_u64().expect("an integer").to_string()
                            }
                        }
                        serde_json::Value::Bool(b) => {
                            assert_eq!(k, "inside_name");
                            b.to_string()
                        }
                        serde_json::Value::String(s) => {
                            assert!(!numeric, "{k} is a string");
                            s.clone()
                        }
                        other => panic!("{k}: unexpected {other}"),
                    };
                    (k.clone(), s)
                })
                .collect()
        })
        .collect()
}

const TABLES: [(&str, &[&str]); 3] = [
    ("mentions", MENTION_COLUMNS),
    ("topics", TOPIC_COLUMNS),
    ("documents", DOCUMENT_COLUMNS),
];

#[test]
fn bom_starts_every_table_only_when_asked() {
    let dir = setup();
    for (table, columns) in TABLES {
        let plain = tag(&dir, &["--table", table]);
        assert!(plain.starts_with(columns[0].as_bytes()));
        for format in ["csv", "tsv"] {
            let with =
                tag(&dir, &["--table", table, "--format", format, "--bom"]);
            assert!(with.starts_with(BOM), "{table} {format}");
            assert!(with[3..].starts_with(b"doc_id"), "{table} {format}");
            assert!(!with[3..].windows(3).any(|w| w == BOM));
        }
        // Without a header the mark still comes first.
        let bare = tag(&dir, &["--table", table, "--bom", "--no-header"]);
        assert!(bare.starts_with(BOM));
        assert!(!bare[3..].starts_with(b"doc_id"));
    }
    let out = tag(&dir, &["--bom", "--out-dir", "out"]);
    assert!(out.is_empty());
    for (table, _) in TABLES {
        let bytes = std::fs::read(dir.path().join(format!("out/{table}.csv")))
            .unwrap();
        assert!(bytes.starts_with(BOM), "{table}");
        assert!(bytes[3..].starts_with(b"doc_id,"), "{table}");
    }
    // The CSV readers used below (and pandas) see the same rows after the
    // mark is stripped.
    let with = text(tag(&dir, &["--table", "documents", "--bom"]));
    let plain = text(tag(&dir, &["--table", "documents"]));
    assert_eq!(with.strip_prefix('\u{feff}').unwrap(), plain);
}

#[test]
fn bom_is_refused_for_jsonl() {
    let dir = setup();
    let out = dir.run(&[
        "tag",
        "--no-builtin",
        "-g",
        "gaz.toml",
        "docs.jsonl",
        "--format",
        "jsonl",
        "--bom",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--bom"), "{}", stderr(&out));
}

#[test]
fn tsv_reads_back_into_the_csv_fields() {
    let dir = setup();
    for (table, columns) in TABLES {
        for raw in [false, true] {
            let mut opts = vec!["--table", table];
            if raw {
                opts.push("--raw-csv");
            }
            let csv = csv_maps(&text(tag(&dir, &opts)));
            opts.extend(["--format", "tsv"]);
            let tsv = tsv_maps(&text(tag(&dir, &opts)), columns);
            assert!(!csv.is_empty(), "{table}");
            assert_eq!(tsv, csv, "{table} raw={raw}");
        }
    }
    // Tabs and line breaks inside a cell are quoted, as in CSV.
    let docs = text(tag(&dir, &["--table", "documents", "--format", "tsv"]));
    assert!(docs.contains("\"tab\there, \"\"quoted\"\"\nnewline\"\t"));
}

#[test]
fn jsonl_reads_back_into_the_raw_csv_fields() {
    let dir = setup();
    for (table, columns) in TABLES {
        let csv = csv_maps(&text(tag(&dir, &["--table", table, "--raw-csv"])));
        let jsonl = text(tag(&dir, &["--table", table, "--format", "jsonl"]));
        assert!(!jsonl.starts_with("{\"doc_id\":\"doc_id\""), "no header");
        assert_eq!(jsonl_maps(&jsonl, columns), csv, "{table}");
        // `--raw-csv` changes nothing in JSON Lines.
        let raw =
            tag(&dir, &["--table", table, "--format", "jsonl", "--raw-csv"]);
        assert_eq!(text(raw), jsonl);
    }
    // Strings are never neutralised in JSON Lines.
    let docs = text(tag(&dir, &["--table", "documents", "--format", "jsonl"]));
    let first: serde_json::Value =
        serde_json::from_str(docs.lines().next().unwrap()).unwrap();
    assert_eq!(first["doc_id"], r#"=HYPERLINK("http://x","y")"#);
    assert!(first["chars"].is_u64());
    // A failed document has null counts.
    let bad: serde_json::Value =
        serde_json::from_str(docs.lines().nth(3).unwrap()).unwrap();
    assert_eq!(bad["status"], "error");
    assert!(bad["chars"].is_null());
    let topics = text(tag(&dir, &["--table", "topics", "--format", "jsonl"]));
    let t: serde_json::Value =
        serde_json::from_str(topics.lines().next().unwrap()).unwrap();
    assert!(t["score"].is_f64() && t["rank"] == 1);
}

#[test]
fn documents_have_pivot_columns() {
    let dir = setup();
    let docs = csv_maps(&text(tag(&dir, &["--table", "documents"])));
    let topics = csv_maps(&text(tag(&dir, &["--table", "topics"])));
    // The existing columns keep their place; the pivot ones come after.
    assert_eq!(
        &DOCUMENT_COLUMNS[..9],
        [
            "doc_id", "status", "error", "chars", "mentions", "entities",
            "topics", "words", "bytes"
        ]
    );
    assert_eq!(
        &DOCUMENT_COLUMNS[9..],
        [
            "countries",
            "regions",
            "cities",
            "organizations",
            "people",
            "other_entities",
            "topic_ids",
            "top_topic",
            "all_countries",
            "focus"
        ]
    );
    let pivot = |i: usize| -> Vec<&str> {
        DOCUMENT_COLUMNS[9..].iter().map(|c| docs[i][*c].as_str()).collect()
    };
    // Most mentioned first (Pakistan twice), ties by id.
    assert_eq!(docs[0]["doc_id"], r#"'=HYPERLINK("http://x","y")"#);
    assert_eq!(
        pivot(0),
        [
            "PAK|AFG", "", "kabul", "pcb", "babar", "", "cricket", "cricket",
            "PAK|AFG", "PAK|AFG"
        ]
    );
    assert_eq!(
        pivot(1),
        [
            "AFG|PAK|USA",
            "punjab",
            "",
            "",
            "",
            "gaddafi-stadium",
            "diplomacy",
            "diplomacy",
            "AFG|PAK|USA",
            "USA|AFG|PAK"
        ]
    );
    assert_eq!(pivot(2), ["", "", "", "", "", "", "", "", "", ""]);
    assert_eq!(docs[3]["status"], "error");
    assert_eq!(pivot(3), ["", "", "", "", "", "", "", "", "", ""]);
    // `entities` counts the ids listed; `topic_ids` follows topics.csv.
    for d in &docs {
        let listed: usize = DOCUMENT_COLUMNS[9..15]
            .iter()
            .filter(|c| !d[**c].is_empty())
            .map(|c| d[*c].split('|').count())
            .sum();
        assert_eq!(d["entities"].parse::<usize>().unwrap_or(0), listed);
        let ranked: Vec<&str> = topics
            .iter()
            .filter(|t| t["doc_id"] == d["doc_id"])
            .map(|t| t["topic_id"].as_str())
            .collect();
        assert_eq!(d["topic_ids"], ranked.join("|"));
        assert_eq!(d["top_topic"], ranked.first().copied().unwrap_or(""));
    }
}

#[test]
fn out_dir_names_follow_the_format() {
    let dir = setup();
    for format in ["csv", "tsv", "jsonl"] {
        let out = format!("out-{format}");
        tag(&dir, &["--format", format, "--out-dir", &out]);
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join(&out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let want: Vec<String> = ["documents", "mentions", "topics"]
            .iter()
            .map(|t| format!("{t}.{format}"))
            .collect();
        assert_eq!(names, want);
        // Each file holds the table written to standard output.
        for (table, _) in TABLES {
            let file = std::fs::read(
                dir.path().join(format!("{out}/{table}.{format}")),
            )
            .unwrap();
            assert_eq!(
                file,
                tag(&dir, &["--format", format, "--table", table])
            );
        }
    }
}

/// A document that starts with a byte-order mark: offsets count from the
/// first real character, as for anyone reading the file with `utf-8-sig`
/// (pandas, Excel exports), in text, JSONL and CSV files alike.
#[test]
fn a_leading_byte_order_mark_is_not_character_zero() {
    let dir = Dir::new();
    dir.write("gaz.toml", GAZ);
    let body = "Pakistan and the US.\r\nAfghanistan too.";
    dir.write("a.txt", [BOM, body.as_bytes()].concat());
    let jsonl = format!(
        "{{\"id\":\"j\",\"text\":{}}}\n",
        serde_json::to_string(body).unwrap()
    );
    dir.write("b.jsonl", [BOM, jsonl.as_bytes()].concat());
    let csv = format!("id,text\nc,\"{body}\"\n");
    dir.write("c.csv", [BOM, csv.as_bytes()].concat());
    let out = dir.run(&[
        "tag",
        "a.txt",
        "b.jsonl",
        "c.csv",
        "--no-builtin",
        "-g",
        "gaz.toml",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_maps(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows.len(), 9, "{rows:?}");
    // What `open(path, encoding="utf-8-sig").read()[start:end]` gives.
    let chars: Vec<char> = body.chars().collect();
    for r in &rows {
        let (s, e): (usize, usize) =
            (r["start"].parse().unwrap(), r["end"].parse().unwrap());
        let got: String = chars[s..e].iter().collect();
        assert_eq!(got, r["text"], "{r:?}");
        let (bs, be): (usize, usize) =
            (r["byte_start"].parse().unwrap(), r["byte_end"].parse().unwrap());
        assert_eq!(&body[bs..be], r["text"], "{r:?}");
    }
    assert_eq!(rows[0]["start"], "0");
}

/// `all_countries` counts the country behind every mention: countries
/// themselves, and the `country` attribute of organisations, officials and
/// cities, so a document about "Russia's foreign ministry" is about Russia.
#[test]
fn all_countries_counts_the_countries_behind_organisations_and_cities() {
    let dir = Dir::new();
    dir.write(
        "gaz.toml",
        r#"
[[entity]]
id = "PAK"
type = "country"
name = "Pakistan"

[[entity]]
id = "org:rus-mfa"
type = "organization"
name = "Russian Foreign Ministry"
aliases = ["Russia's foreign ministry"]
attributes = { country = "RUS" }

[[entity]]
id = "city:AFG:kabul"
type = "city"
name = "Kabul"
attributes = { country = "AFG" }

[[entity]]
id = "person:x"
type = "person"
name = "Imran Example"
attributes = { country = "PAK" }

[[entity]]
id = "org:un"
type = "organization"
name = "United Nations"
"#,
    );
    let out = dir.run_stdin(
        &[
            "tag",
            "-",
            "--no-builtin",
            "-g",
            "gaz.toml",
            "--table",
            "documents",
            "-q",
        ],
        "Russia's foreign ministry met the United Nations in Kabul. The \
         Russian Foreign Ministry spoke; Imran Example of Pakistan replied."
            .as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_maps(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows[0]["countries"], "PAK");
    // RUS twice, PAK twice (the country and a person), AFG once; ties by
    // code; the United Nations has no country.
    assert_eq!(rows[0]["all_countries"], "PAK|RUS|AFG");
}
