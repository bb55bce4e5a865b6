//! `gaztag tag --stream`: the streaming mapper mode.

use std::collections::BTreeMap;

use crate::util::{Dir, csv_rows, fixture, stderr, stdout};

fn gaz() -> String {
    fixture("gaz").display().to_string()
}

/// Runs `tag --stream` on `jsonl` with the fixture gazetteers, feeding
/// standard input from a thread while the output is read (a mapper writes
/// rows before its input ends).
fn stream(dir: &Dir, jsonl: &str, extra: &[&str]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let g = gaz();
    let mut args = vec!["tag", "--no-builtin", "-g", &g, "--stream", "-q"];
    args.extend_from_slice(extra);
    let mut child = dir
        .cmd(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = jsonl.as_bytes().to_vec();
    let feeder = std::thread::spawn(move || {
        // A refused command line exits without reading its input.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

/// Splits stream output into lines, checking each is one CSV record, and
/// returns `(kind, unescaped cells)` per line.
fn parse(out: &str) -> Vec<(String, Vec<String>)> {
    assert!(out.is_empty() || out.ends_with('\n'), "{out:?}");
    out.lines()
        .map(|line| {
            assert!(!line.contains(['\r', '\t']), "{line:?}");
            let rows = csv_rows(line);
            assert_eq!(rows.len(), 1, "one record per line: {line:?}");
            let mut cells = rows.into_iter().next().unwrap().into_iter();
            let kind = cells.next().unwrap();
            let cells = cells
                .map(|c| gaztag::stream::unescape(&c).unwrap().into_owned())
                .collect();
            (kind, cells)
        })
        .collect()
}

/// Rows of one kind.
fn of_kind(rows: &[(String, Vec<String>)], kind: &str) -> Vec<Vec<String>> {
    rows.iter().filter(|(k, _)| k == kind).map(|(_, c)| c.clone()).collect()
}

/// Documents that exercise every escape, every row kind and a failure.
const DOCS: &str = concat!(
    r#"{"id": "d1", "text": "Talks between Pakistani\nofficials and the US\r\nDepartment of State on terrorism and militants."}"#,
    "\n",
    r#"{"id": "bad", "text": 42}"#,
    "\n",
    "{broken\n",
    "\n",
    r#"{"id": "tab\tand\\back\nslash", "text": "Ivory\tCoast,\n\"Turkey\" and Afghan batsmen\u2028took wickets; Test innings.\r"}"#,
    "\n",
    r#"{"id": "=formula", "text": "Islamic Republic of\r\nPakistan"}"#,
    "\n",
);

#[test]
fn one_record_per_line_even_with_line_breaks_in_mentions() {
    let dir = Dir::new();
    let out = stream(&dir, DOCS, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let rows = parse(&text);
    let mentions = of_kind(&rows, "m");
    let texts: Vec<&str> = mentions.iter().map(|m| m[3].as_str()).collect();
    assert!(texts.contains(&"Pakistani"), "{texts:?}");
    assert!(texts.contains(&"US\r\nDepartment of State"), "{texts:?}");
    assert!(texts.contains(&"Ivory\tCoast"), "{texts:?}");
    assert!(texts.contains(&"Islamic Republic of\r\nPakistan"), "{texts:?}");
    // The raw line carries the escapes, not the characters.
    assert!(text.contains(r"US\r\nDepartment of State"), "{text}");
    assert!(text.contains(r"Ivory\tCoast"), "{text}");
    assert!(text.contains(r"tab\tand\\back\nslash"), "{text}");
}

#[test]
fn unescaped_rows_equal_the_out_dir_tables() {
    let dir = Dir::new();
    dir.write("docs.jsonl", DOCS);
    let g = gaz();
    let tables = dir.run(&[
        "tag",
        "--no-builtin",
        "-g",
        &g,
        "docs.jsonl",
        "--out-dir",
        "out",
        "-q",
    ]);
    assert_eq!(tables.status.code(), Some(1), "{}", stderr(&tables));
    let rows = parse(&stdout(&stream(&dir, DOCS, &[])));
    for (kind, file) in
        [("m", "mentions.csv"), ("t", "topics.csv"), ("d", "documents.csv")]
    {
        let mut want = csv_rows(&dir.read(&format!("out/{file}")));
        want.remove(0);
        let mut got = of_kind(&rows, kind);
        // Ids that fall back to FILE:LINE name the source.
        for row in got.iter_mut() {
            for cell in row.iter_mut() {
                *cell = cell.replace("<stdin>", "docs.jsonl");
            }
        }
        assert!(!want.is_empty(), "{file} is empty");
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn every_row_kind_and_order_per_document() {
    let dir = Dir::new();
    let rows = parse(&stdout(&stream(&dir, DOCS, &[])));
    let kinds: String = rows.iter().map(|(k, _)| k.as_str()).collect();
    // Per document: mentions, then topics, then exactly one status row.
    let docs: Vec<&str> = kinds.split_inclusive('d').collect();
    assert_eq!(docs.len(), 5, "{kinds}");
    for d in &docs {
        let m = d.trim_start_matches('m');
        assert!(m.trim_start_matches('t') == "d", "{kinds}");
    }
    for k in ["m", "t", "d"] {
        assert!(kinds.contains(k), "{kinds}");
    }
    // Each row's doc_id matches the status row that ends its document.
    let mut current = Vec::new();
    for (kind, cells) in &rows {
        current.push(cells[0].clone());
        if kind == "d" {
            assert!(current.iter().all(|id| *id == cells[0]), "{current:?}");
            current.clear();
        }
    }
}

#[test]
fn failed_documents_are_error_status_rows_and_exit_zero() {
    let dir = Dir::new();
    let out = stream(&dir, DOCS, &[]);
    assert_eq!(out.status.code(), Some(0));
    let docs = of_kind(&parse(&stdout(&out)), "d");
    let status: Vec<(&str, &str)> =
        docs.iter().map(|d| (d[0].as_str(), d[1].as_str())).collect();
    assert_eq!(
        status,
        [
            ("d1", "ok"),
            ("bad", "error"),
            ("<stdin>:3", "error"),
            ("tab\tand\\back\nslash", "ok"),
            ("'=formula", "ok"),
        ]
    );
    assert!(docs[1][2].contains("field `text` is a number"), "{docs:?}");
    assert!(docs[2][2].contains("invalid JSON"), "{docs:?}");
}

/// Many documents, so that two threads and several batches are used.
fn many_docs(n: usize) -> String {
    let texts = [
        "Pakistani officials met US envoys.",
        "The Pakistan\nCricket Board said the batsmen took wickets.",
        "Militants and terrorists: TTP, the Pakistani Taliban.",
        "",
        "Nothing here.",
        "Afghan and Turkish\r\nofficials in Ivory Coast.",
    ];
    let mut s = String::new();
    for i in 0..n {
        let line = serde_json::json!({
            "id": format!("doc-{i:05}"),
            "text": texts[i % texts.len()].repeat(1 + i % 7),
        });
        s.push_str(&line.to_string());
        s.push('\n');
    }
    s
}

#[test]
fn output_is_identical_for_one_and_two_threads_and_keeps_input_order() {
    let dir = Dir::new();
    let docs = many_docs(3000);
    let one = stream(&dir, &docs, &[]);
    let two = stream(&dir, &docs, &["-j", "2"]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    assert_eq!(two.status.code(), Some(0), "{}", stderr(&two));
    assert!(one.stdout == two.stdout, "-j1 and -j2 differ");
    let rows = parse(&stdout(&one));
    let ids: Vec<String> =
        of_kind(&rows, "d").into_iter().map(|d| d[0].clone()).collect();
    let want: Vec<String> = (0..3000).map(|i| format!("doc-{i:05}")).collect();
    assert_eq!(ids, want);
    let mut per_kind = BTreeMap::new();
    for (k, _) in &rows {
        *per_kind.entry(k.as_str()).or_insert(0) += 1;
    }
    assert!(per_kind["m"] > 3000 && per_kind["t"] > 100, "{per_kind:?}");
}

#[test]
fn no_header_and_nothing_for_empty_input() {
    let dir = Dir::new();
    let out = stream(&dir, "", &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let out = stream(&dir, "{\"id\":\"x\",\"text\":\"nothing\"}\n", &[]);
    let text = stdout(&out);
    assert!(text.starts_with("d,x,ok,,7,0,0,0,1,7"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn stream_refuses_paths_and_out_dir() {
    let dir = Dir::new();
    for extra in [
        &["x.jsonl"][..],
        &["--out-dir", "out"],
        &["--table", "topics"],
        &["--format", "tsv"],
    ] {
        let out = stream(&dir, "", extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&out).contains("--stream"), "{}", stderr(&out));
    }
}

#[test]
fn gazetteer_errors_fail_the_stream() {
    let dir = Dir::new();
    dir.write("bad.toml", "[[entity]]\nid = \"x\"\n");
    let out = dir.run_stdin(
        &["tag", "--no-builtin", "-g", "bad.toml", "--stream"],
        b"{\"id\":\"a\",\"text\":\"x\"}\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}
