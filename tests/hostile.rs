//! Hostile inputs, bad gazetteers and output faults.
//!
//! Each bad input is run in a folder that also holds good documents: the bad
//! one gets exactly one `error` row in `documents.csv` (or a refusal, for a
//! gazetteer), the good ones are tagged exactly as when tagged alone, and the
//! exit status is 1 when any document failed, 0 when none did.
//!
//! Two tests are sized down by default so that `cargo test` stays quick in a
//! debug build; `GAZTAG_BIG_TESTS=1` gives them their full size (a 200 MB
//! one-line document, a gazetteer of 1,000,000 entities). Run those in
//! release, with the measurements printed:
//!
//! ```text
//! GAZTAG_BIG_TESTS=1 cargo test --release --test tests hostile::big -- --nocapture
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Dir, csv_maps, fixture, stderr, stdout};

type Row = BTreeMap<String, String>;

/// Whether the full-size tests were asked for.
fn big_tests() -> bool {
    std::env::var("GAZTAG_BIG_TESTS").is_ok_and(|v| v == "1")
}

fn gaz() -> String {
    fixture("gaz").display().to_string()
}

/// `gaztag tag PATHS --out-dir OUT` with the fixture gazetteers.
fn tag_args(paths: &[&str], out: &str) -> Vec<String> {
    let mut a: Vec<String> =
        ["tag", "--no-builtin", "-g", &gaz(), "-q", "--out-dir", out]
            .iter()
            .map(|s| s.to_string())
            .collect();
    a.extend(paths.iter().map(|s| s.to_string()));
    a
}

fn run(dir: &Dir, args: &[String]) -> Output {
    run_within(dir, args, Duration::from_secs(120))
}

/// Runs gaztag, failing the test if it takes longer than `limit`.
fn run_within(dir: &Dir, args: &[String], limit: Duration) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = wait_output(dir.cmd(&args), limit);
    assert_no_panic(&out);
    out
}

/// Runs a command, failing the test if it has not ended after `limit`
/// (a hang is a bug here, and must not hang the test suite too).
fn wait_output(mut cmd: Command, limit: Duration) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("gaztag did not end within {limit:?}");
        }
    }
}

fn assert_no_panic(out: &Output) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{err}");
    // 101 is the exit status of a Rust panic.
    assert_ne!(out.status.code(), Some(101), "{err}");
}

/// The three tables of an output folder.
#[derive(Debug, Default)]
struct Tables {
    mentions: Vec<Row>,
    topics: Vec<Row>,
    documents: Vec<Row>,
}

impl Tables {
    fn read(dir: &Path) -> Tables {
        let read =
            |t: &str| csv_maps(&std::fs::read_to_string(dir.join(t)).unwrap());
        Tables {
            mentions: read("mentions.csv"),
            topics: read("topics.csv"),
            documents: read("documents.csv"),
        }
    }

    /// The rows of the documents in `ids`, in order.
    fn only(&self, ids: &BTreeSet<String>) -> Tables {
        let keep = |rows: &[Row]| -> Vec<Row> {
            rows.iter()
                .filter(|r| ids.contains(&r["doc_id"]))
                .cloned()
                .collect()
        };
        Tables {
            mentions: keep(&self.mentions),
            topics: keep(&self.topics),
            documents: keep(&self.documents),
        }
    }

    fn doc(&self, id: &str) -> &Row {
        self.documents.iter().find(|r| r["doc_id"] == id).unwrap_or_else(
            || panic!("no row for {id}: {:#?}", self.documents),
        )
    }
}

/// Good documents around the hostile ones (names sort before and after).
const GOOD: &[(&str, &str)] = &[
    (
        "in/a-good.txt",
        "The US and Pakistan met; Afghan bowlers took wickets in the Test innings.",
    ),
    (
        "in/m-good.jsonl",
        "{\"id\":\"g1\",\"text\":\"Côte d’Ivoire and Türkiye\"}\n{\"id\":\"g2\",\"text\":\"TTP militants; terrorism and terrorists.\"}\n",
    ),
    (
        "in/z-good.txt",
        "Pakistani Taliban (TTP) militants and counterterrorism.",
    ),
];

/// A batch run: the good documents tagged alone, then again beside
/// hostile inputs.
struct Batch {
    /// The scratch folder, removed when the batch is dropped.
    _dir: Dir,
    /// The run with the hostile inputs.
    out: Output,
    /// Its tables.
    mixed: Tables,
    /// The ids of the good documents.
    good: BTreeSet<String>,
}

impl Batch {
    /// Writes the good documents to `in/` and tags them alone; `add` then
    /// puts hostile inputs beside them, and `in` plus `extra` paths are
    /// tagged again. The good documents' rows must be unchanged.
    fn run(add: impl FnOnce(&Dir), extra: &[&str]) -> Batch {
        let dir = Dir::new();
        for (p, text) in GOOD {
            dir.write(p, text);
        }
        let alone = run(&dir, &tag_args(&["in"], "alone"));
        assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
        let alone = Tables::read(&dir.path().join("alone"));
        let good: BTreeSet<String> =
            alone.documents.iter().map(|r| r["doc_id"].clone()).collect();
        assert_eq!(good.len(), 4);
        assert!(!alone.mentions.is_empty() && !alone.topics.is_empty());

        add(&dir);
        let mut paths = vec!["in"];
        paths.extend(extra);
        let out = run(&dir, &tag_args(&paths, "mixed"));
        let mixed = Tables::read(&dir.path().join("mixed"));
        let kept = mixed.only(&good);
        assert_eq!(kept.documents, alone.documents, "good documents changed");
        assert_eq!(kept.mentions, alone.mentions, "good mentions changed");
        assert_eq!(kept.topics, alone.topics, "good topics changed");
        Batch { _dir: dir, out, mixed, good }
    }

    /// The `documents.csv` rows of the hostile inputs, in order.
    fn bad(&self) -> Vec<&Row> {
        self.mixed
            .documents
            .iter()
            .filter(|r| !self.good.contains(&r["doc_id"]))
            .collect()
    }

    fn status(&self) -> Option<i32> {
        self.out.status.code()
    }
}

/// `(doc_id, status, error)` of each row.
fn summary(rows: &[&Row]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|r| {
            (r["doc_id"].clone(), r["status"].clone(), r["error"].clone())
        })
        .collect()
}

/// An error row: status `error`, a message containing `want`, and empty
/// numeric columns.
fn assert_error_row(row: &Row, id: &str, want: &str) {
    assert_eq!(row["doc_id"], id, "{row:?}");
    assert_eq!(row["status"], "error", "{row:?}");
    assert!(row["error"].contains(want), "{want:?} not in {row:?}");
    for col in ["chars", "mentions", "entities", "topics", "words", "bytes"] {
        assert_eq!(row[col], "", "{row:?}");
    }
}

// ---------------------------------------------------------------------------
// Bad documents

#[test]
fn invalid_utf8_mid_file_is_an_error_row_naming_the_byte() {
    let b = Batch::run(
        |d| {
            d.write("in/bad.txt", b"Pakistan and \xff\xfe the US");
        },
        &[],
    );
    assert_eq!(b.status(), Some(1), "{}", stderr(&b.out));
    let bad = b.bad();
    assert_eq!(bad.len(), 1);
    assert_error_row(
        bad[0],
        "in/bad.txt",
        "in/bad.txt: invalid UTF-8 at byte 13",
    );
    // Nothing of the bad document is tagged.
    assert!(!b.mixed.mentions.iter().any(|m| m["doc_id"] == "in/bad.txt"));
}

#[test]
fn binary_files_are_error_rows() {
    let b = Batch::run(
        |d| {
            d.write("in/zeros.bin", vec![0u8; 1 << 16]);
            d.write("in/zeros", vec![0u8; 1 << 16]);
            d.write("in/nul-inside.txt", b"Pakistan\0US");
        },
        &[],
    );
    assert_eq!(b.status(), Some(1));
    let bad = b.bad();
    assert_eq!(bad.len(), 3, "{:?}", summary(&bad));
    assert_error_row(
        bad[0],
        "in/nul-inside.txt",
        "binary data (NUL byte at byte 8)",
    );
    // In a folder, a binary file by extension or by content is skipped,
    // not read: a `skipped` row with the reason, not a failure.
    for (row, (id, why)) in bad[1..].iter().zip([
        ("in/zeros", "not a text document (binary content)"),
        ("in/zeros.bin", "not a text document (.bin)"),
    ]) {
        assert_eq!(row["doc_id"], id, "{row:?}");
        assert_eq!(row["status"], "skipped", "{row:?}");
        assert!(row["error"].starts_with(why), "{row:?}");
    }
    // Named on its own, it is read, and fails as binary data.
    let dir = Dir::new();
    dir.write("zeros.bin", vec![0u8; 64]);
    let out = dir.run(&["tag", "zeros.bin", "--table", "documents", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let rows = csv_maps(&stdout(&out));
    assert_error_row(
        &rows[0],
        "zeros.bin",
        "binary data (NUL byte at byte 0)",
    );
}

#[test]
fn empty_file_is_an_ok_row_and_the_exit_status_is_0() {
    let b = Batch::run(
        |d| {
            d.write("in/empty.txt", b"");
            d.write("in/blank.txt", b" \n\t\r\n");
        },
        &[],
    );
    assert_eq!(b.status(), Some(0), "{}", stderr(&b.out));
    let bad = b.bad();
    assert_eq!(bad.len(), 2);
    for (row, chars) in bad.iter().zip(["5", "0"]) {
        assert_eq!(row["status"], "ok");
        assert_eq!(row["error"], "");
        assert_eq!(row["mentions"], "0");
        assert_eq!(row["chars"], chars);
    }
}

#[test]
fn jsonl_with_bad_lines() {
    let deep = format!(
        "{{\"id\":\"x4\",\"text\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let lines = [
        "{\"id\": \"x1\", \"text\": \"Pakistan\"".to_string(),
        "{\"id\": \"x2\", \"body\": \"no text field\"}".to_string(),
        "{\"id\": \"x3\", \"text\": 42}".to_string(),
        deep,
        "{\"id\": \"x5\", \"text\": \"fine: Pakistan\"}".to_string(),
        "".to_string(),
        "[1, 2]".to_string(),
        "{\"text\": \"no id, US\"}".to_string(),
        "{\"id\": {\"a\": 1}, \"text\": null}".to_string(),
        "{\"id\": \"x10\", \"text\": \"nul \\u0000 inside\"}".to_string(),
    ];
    let mut bytes = lines.join("\n").into_bytes();
    bytes.extend_from_slice(
        b"\n{\"id\": \"x12\", \"text\": \"bad \xff byte\"}",
    );
    let b = Batch::run(|d| drop(d.write("in/h.jsonl", &bytes)), &[]);
    assert_eq!(b.status(), Some(1));
    let bad = b.bad();
    let got: Vec<(String, String)> = bad
        .iter()
        .map(|r| (r["doc_id"].clone(), r["status"].clone()))
        .collect();
    let want = [
        ("in/h.jsonl:1", "error"),
        ("x2", "error"),
        ("x3", "error"),
        ("in/h.jsonl:4", "error"),
        ("x5", "ok"),
        ("in/h.jsonl:7", "error"),
        ("in/h.jsonl:8", "ok"),
        ("in/h.jsonl:9", "error"),
        ("x10", "ok"),
        ("in/h.jsonl:11", "error"),
    ];
    let want: Vec<(String, String)> =
        want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(got, want, "{:#?}", summary(&bad));
    assert!(bad[0]["error"].contains("in/h.jsonl:1: invalid JSON: EOF"));
    assert!(bad[1]["error"].contains("in/h.jsonl:2: no `text` field"));
    assert!(
        bad[2]["error"]
            .contains("in/h.jsonl:3: field `text` is a number, not a string")
    );
    assert!(
        bad[3]["error"]
            .contains("in/h.jsonl:4: invalid JSON: recursion limit exceeded")
    );
    assert!(bad[5]["error"].contains("in/h.jsonl:7: not a JSON object"));
    assert!(
        bad[7]["error"]
            .contains("in/h.jsonl:9: field `text` is null, not a string")
    );
    assert!(
        bad[9]["error"].contains("in/h.jsonl:11: invalid JSON"),
        "{:?}",
        bad[9]
    );
    let x5: Vec<&Row> =
        b.mixed.mentions.iter().filter(|m| m["doc_id"] == "x5").collect();
    assert_eq!(x5.len(), 1);
    assert_eq!(x5[0]["start"], "6");
}

#[test]
fn csv_without_text_column_and_with_ragged_rows() {
    let b = Batch::run(
        |d| {
            d.write("in/nocol.csv", "id,body\n1,Pakistan\n2,US\n");
            d.write(
                "in/ragged.csv",
                b"id,text\nr1,Pakistan\nr2,US,extra\nr3\nr4,\"Afghan\nbowlers\"\nr5,Pak\xffistan\nr6,Turkey\n"
                    .as_slice(),
            );
            d.write("in/empty.csv", "");
        },
        &[],
    );
    assert_eq!(b.status(), Some(1));
    let bad = b.bad();
    let ids: Vec<&str> = bad.iter().map(|r| r["doc_id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "in/empty.csv",
            "in/nocol.csv",
            "r1",
            "in/ragged.csv:3",
            "in/ragged.csv:4",
            "r4",
            "r5",
            "r6"
        ]
    );
    assert_error_row(bad[0], "in/empty.csv", "no `text` column");
    assert_error_row(
        bad[1],
        "in/nocol.csv",
        "in/nocol.csv: no `text` column (columns: id, body); no record of this file was read",
    );
    assert_eq!(bad[2]["status"], "ok");
    assert_error_row(
        bad[3],
        "in/ragged.csv:3",
        "record has 3 fields, the header has 2",
    );
    assert_error_row(
        bad[4],
        "in/ragged.csv:4",
        "record has 1 fields, the header has 2",
    );
    assert_eq!(bad[5]["status"], "ok");
    assert_error_row(
        bad[6],
        "r5",
        "in/ragged.csv:7: invalid UTF-8 in field `text` at byte 3",
    );
    assert_eq!(bad[7]["status"], "ok");
    assert_eq!(bad[7]["mentions"], "1");
}

/// Whether this process runs as root (which reads files whatever their
/// permissions).
#[cfg(unix)]
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_files_are_error_rows() {
    use std::os::unix::fs::PermissionsExt;
    // Reading /proc/self/mem from offset 0 fails with EIO for anyone,
    // root included.
    let b = Batch::run(
        |d| {
            let p = d.write("in/secret.txt", "Pakistan");
            std::fs::set_permissions(
                &p,
                std::fs::Permissions::from_mode(0o000),
            )
            .unwrap();
        },
        &["/proc/self/mem"],
    );
    assert_eq!(b.status(), Some(1));
    let bad = b.bad();
    assert_eq!(bad.len(), 2, "{:?}", summary(&bad));
    assert_error_row(bad[1], "/proc/self/mem", "Input/output error");
    if is_root() {
        // Root reads a file whatever its mode.
        assert_eq!(bad[0]["status"], "ok", "{:?}", bad[0]);
    } else {
        assert_error_row(bad[0], "in/secret.txt", "Permission denied");
    }
}

/// As root, a file without read permission is still tested, by running
/// gaztag as the unprivileged user `nobody`.
#[cfg(target_os = "linux")]
#[test]
fn permission_denied_as_an_unprivileged_user() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if !is_root() {
        // The previous test covers this case for a normal user.
        return;
    }
    let dir = Dir::new();
    let mode = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m))
            .unwrap()
    };
    mode(dir.path(), 0o755);
    let g = dir.write(
        "g.toml",
        "[[entity]]\nid = \"PAK\"\nname = \"Pakistan\"\ntype = \"country\"\n",
    );
    mode(&g, 0o644);
    for (p, m) in
        [("in/a.txt", 0o644), ("in/secret.txt", 0o000), ("in/z.txt", 0o644)]
    {
        let p = dir.write(p, "Pakistan");
        mode(&p, m);
    }
    mode(&dir.path().join("in"), 0o755);
    let mut cmd = dir.cmd(&[
        "tag",
        "--no-builtin",
        "-g",
        "g.toml",
        "in",
        "--table",
        "documents",
        "-q",
    ]);
    cmd.uid(65534).gid(65534);
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            // The test binary is not reachable by `nobody` (a private
            // build folder): nothing to check here.
            eprintln!("skipped: cannot run gaztag as nobody: {e}");
            return;
        }
    };
    if out.status.code() == Some(126)
        || stderr(&out).contains("Permission denied (os error 13)")
            && out.stdout.is_empty()
    {
        eprintln!("skipped: {}", stderr(&out));
        return;
    }
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = csv_maps(&String::from_utf8(out.stdout).unwrap());
    let rows: Vec<&Row> = rows.iter().collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["status"], "ok");
    assert_error_row(
        rows[1],
        "in/secret.txt",
        "in/secret.txt: Permission denied",
    );
    assert_eq!(rows[2]["status"], "ok");
}

#[cfg(unix)]
#[test]
fn symlinks_loops_and_links_out_of_the_folder() {
    use std::os::unix::fs::symlink;
    let b = Batch::run(
        |d| {
            let outside = d.write("outside/secret.txt", "Pakistan");
            let input = d.path().join("in");
            // A link to a file outside the input folder is followed.
            symlink(&outside, input.join("b-link-out.txt")).unwrap();
            // A link to a folder (here a loop back to the input folder) is
            // reported and not followed.
            symlink(&input, input.join("c-loop")).unwrap();
            symlink(d.path().join("outside"), input.join("d-folder-out"))
                .unwrap();
            // A link to itself, and a dangling link.
            symlink(input.join("e-self"), input.join("e-self")).unwrap();
            symlink(input.join("nowhere"), input.join("f-dangling")).unwrap();
        },
        &[],
    );
    assert_eq!(b.status(), Some(1));
    let bad = b.bad();
    assert_eq!(bad.len(), 5, "{:?}", summary(&bad));
    assert_eq!(bad[0]["doc_id"], "in/b-link-out.txt");
    assert_eq!(bad[0]["status"], "ok");
    assert_eq!(bad[0]["mentions"], "1");
    assert_error_row(
        bad[1],
        "in/c-loop",
        "symbolic link to a folder, not followed",
    );
    assert_error_row(
        bad[2],
        "in/d-folder-out",
        "symbolic link to a folder, not followed",
    );
    assert_error_row(bad[3], "in/e-self", "Too many levels of symbolic links");
    assert_error_row(bad[4], "in/f-dangling", "No such file or directory");
}

/// Makes a FIFO with `mkfifo`.
#[cfg(unix)]
fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().unwrap();
    assert!(st.success());
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_do_not_hang() {
    // Given inside a folder, a FIFO is refused (it could block the run);
    // given by name, a device is refused (/dev/zero never ends).
    let b = Batch::run(
        |d| mkfifo(&d.path().join("in/pipe")),
        &["/dev/zero", "/dev/null"],
    );
    assert_eq!(b.status(), Some(1));
    let bad = b.bad();
    assert_eq!(bad.len(), 3, "{:?}", summary(&bad));
    assert_error_row(bad[0], "in/pipe", "not a regular file");
    assert_error_row(bad[1], "/dev/zero", "is a device, not a file");
    assert_error_row(bad[2], "/dev/null", "is a device, not a file");
}

/// A file listed and then deleted before it is read gets an error row. The
/// timing is made certain with a FIFO given first: gaztag lists every input
/// before it reads any, and it reads the FIFO first, so the file is deleted
/// while gaztag waits on the FIFO. A FIFO given by name is read like a file.
#[cfg(target_os = "linux")]
#[test]
fn file_vanishing_during_the_run() {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = Dir::new();
    for (p, text) in GOOD {
        dir.write(p, text);
    }
    dir.write("in/gone.txt", "Pakistan");
    let fifo = dir.path().join("gate");
    mkfifo(&fifo);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gaztag"));
    cmd.current_dir(dir.path())
        .args(tag_args(&["gate", "in"], "out"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // Opening the FIFO's write end without blocking fails until gaztag has
    // opened the read end.
    const O_NONBLOCK: i32 = 0o4000;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut gate = loop {
        match std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(O_NONBLOCK)
            .open(&fifo)
        {
            Ok(f) => break f,
            Err(_) if Instant::now() < deadline => {
                assert!(
                    child.try_wait().unwrap().is_none(),
                    "gaztag ended early"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => {
                let _ = child.kill();
                panic!("gaztag never opened the FIFO: {e}");
            }
        }
    };
    std::fs::remove_file(dir.path().join("in/gone.txt")).unwrap();
    gate.write_all("The US, from a FIFO".as_bytes()).unwrap();
    drop(gate);
    let status = wait_timeout(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(1));
    let t = Tables::read(&dir.path().join("out"));
    let ids: Vec<&str> =
        t.documents.iter().map(|r| r["doc_id"].as_str()).collect();
    assert_eq!(
        ids,
        ["gate", "in/a-good.txt", "in/gone.txt", "g1", "g2", "in/z-good.txt"]
    );
    assert_eq!(t.doc("gate")["status"], "ok");
    assert_eq!(t.doc("gate")["mentions"], "1");
    assert_error_row(
        t.doc("in/gone.txt"),
        "in/gone.txt",
        "in/gone.txt: No such file or directory",
    );
}

/// The same, through the library: a [`Documents`] stream lists its inputs
/// when it is created and reads each one when it gets to it.
#[test]
fn file_vanishing_between_listing_and_reading_library() {
    use gaztag::input::{Documents, InputOptions};
    let dir = Dir::new();
    dir.write("in/a.txt", "a");
    let gone = dir.write("in/b.txt", "b");
    dir.write("in/c.txt", "c");
    let docs =
        Documents::new(&[dir.path().join("in")], InputOptions::default());
    std::fs::remove_file(&gone).unwrap();
    let got: Vec<Result<String, String>> = docs.map(|d| d.text).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], Ok("a".to_string()));
    assert!(
        got[1]
            .as_ref()
            .unwrap_err()
            .contains("b.txt: No such file or directory")
    );
    assert_eq!(got[2], Ok("c".to_string()));
}

fn wait_timeout(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("gaztag did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// One long line of text with a few mentions per megabyte, `bytes` long.
fn long_line(bytes: usize) -> (String, usize) {
    let filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit, ";
    let mut chunk = String::new();
    while chunk.len() < (1 << 20) - 200 {
        chunk.push_str(filler);
    }
    chunk.push_str("the Pakistan Cricket Board and Côte d’Ivoire; ");
    let mut text = String::with_capacity(bytes);
    let mut mentions = 0;
    while text.len() + chunk.len() <= bytes {
        text.push_str(&chunk);
        mentions += 2;
    }
    while text.len() < bytes {
        text.push('x');
    }
    (text, mentions)
}

/// The peak memory of `cmd`, with `/usr/bin/time -v` when it exists.
fn with_peak_rss(cmd: &[String]) -> (Command, bool) {
    if Path::new("/usr/bin/time").exists() {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(env!("CARGO_BIN_EXE_gaztag")).args(cmd);
        (c, true)
    } else {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gaztag"));
        c.args(cmd);
        (c, false)
    }
}

/// Parses `Maximum resident set size (kbytes): N` from `time -v`.
fn peak_rss_kib(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|l| {
            l.trim().strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|n| n.trim().parse().ok())
}

/// A single-line document of 200 MB (20 MB without `GAZTAG_BIG_TESTS=1`)
/// among good documents: tagged, with memory bounded by a small multiple of
/// its size.
#[test]
fn big_single_line_document() {
    let size = if big_tests() { 200_000_000 } else { 20_000_000 };
    let dir = Dir::new();
    for (p, text) in GOOD {
        dir.write(p, text);
    }
    let (text, mentions) = long_line(size);
    dir.write("in/big.txt", &text);
    drop(text);
    let args = tag_args(&["in"], "out");
    let (mut cmd, timed) = with_peak_rss(&args);
    cmd.current_dir(dir.path()).stdin(Stdio::null());
    let started = Instant::now();
    let out = wait_output(cmd, Duration::from_secs(600));
    let took = started.elapsed();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let t = Tables::read(&dir.path().join("out"));
    let row = t.doc("in/big.txt");
    assert_eq!(row["status"], "ok");
    assert_eq!(row["bytes"], size.to_string());
    assert_eq!(row["mentions"], mentions.to_string());
    assert_eq!(t.documents.len(), 5);
    if let Some(kib) = timed.then(|| peak_rss_kib(&stderr(&out))).flatten() {
        let peak = kib * 1024;
        eprintln!(
            "big_single_line_document: {size} bytes, {mentions} mentions, {:.1} s, peak RSS {} MB ({:.2}x the document)",
            took.as_secs_f64(),
            peak / 1_000_000,
            peak as f64 / size as f64
        );
        // The text, its folded copy and the offset map, plus the tagger:
        // about twice the document, never a multiple of the corpus.
        assert!(
            peak < 3 * size as u64 + 100_000_000,
            "peak RSS {peak} bytes for a {size}-byte document"
        );
    }
}

/// A long document on one line is tagged in time linear in its size, as
/// the same text with line breaks is.
///
/// Regression: the check for a title-case headline (`resolve.rs`,
/// `title_case_line`) scanned the whole line around each place name
/// followed by a capitalised word, so a one-line document with such a name
/// every kilobyte took time quadratic in its length (4 MB: 93 s in release,
/// against 0.16 s with a line break every kilobyte).
#[test]
fn long_single_line_is_tagged_in_linear_time() {
    let dir = Dir::new();
    let filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit, ";
    let chunk =
        format!("{} the Pakistan Cricket Board met. ", filler.repeat(18));
    let n = 2_000_000 / chunk.len();
    dir.write("in/one-line.txt", chunk.repeat(n));
    // Linear, this takes about a second in a debug build.
    let out = run_within(
        &dir,
        &[
            "tag",
            "--no-builtin",
            "-g",
            &gaz(),
            "in",
            "--table",
            "documents",
            "-q",
        ]
        .map(str::to_string),
        Duration::from_secs(30),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_maps(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows[0]["mentions"], n.to_string());
}

// ---------------------------------------------------------------------------
// Bad gazetteers: refused (exit 2) or warned, with file:line:col, by both
// `check` and `tag`, never a panic.

/// Runs `check` and `tag` on the gazetteer folder `g` and returns their
/// exit codes and standard error.
fn check_and_tag(dir: &Dir, g: &str) -> [(Option<i32>, String); 2] {
    let check =
        run(dir, &["check", "--no-builtin", "-g", g].map(str::to_string));
    let tag = {
        let mut c = dir.cmd(&["tag", "--no-builtin", "-g", g, "-"]);
        c.stdin(Stdio::piped());
        let mut child =
            c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // gaztag may refuse the gazetteers and exit before reading.
        let _ = child.stdin.take().unwrap().write_all(b"Pakistan");
        let out = child.wait_with_output().unwrap();
        assert_no_panic(&out);
        out
    };
    [check, tag].map(|o| (o.status.code(), stderr(&o)))
}

/// Both commands refuse the gazetteers, naming `want` at `at`.
fn assert_refused(dir: &Dir, g: &str, at: &str, want: &str) {
    for (code, err) in check_and_tag(dir, g) {
        assert_eq!(code, Some(2), "{err}");
        let line = err
            .lines()
            .find(|l| l.starts_with(at))
            .unwrap_or_else(|| panic!("no line at {at:?} in:\n{err}"));
        assert!(line.starts_with(&format!("{at}: error: ")), "{line}");
        assert!(line.contains(want), "{want:?} not in {line:?}");
    }
}

fn entity(id: &str, name: &str, aliases: &str) -> String {
    format!(
        "[[entity]]\nid = \"{id}\"\nname = \"{name}\"\ntype = \"t\"\naliases = {aliases}\n\n"
    )
}

#[test]
fn gazetteer_alias_of_100k_characters() {
    let dir = Dir::new();
    let long = "a".repeat(100_000);
    dir.write(
        "g/long.toml",
        entity("x", "X", &format!("[\"ok\", \"{long}\"]")),
    );
    assert_refused(
        &dir,
        "g",
        "g/long.toml:5:18",
        "alias is 100000 characters long; the limit is 256",
    );
}

#[test]
fn gazetteer_alias_of_punctuation_or_spaces() {
    let dir = Dir::new();
    dir.write("g/p.toml", entity("x", "X", "[\"--\", \"   \", \"’…\"]"));
    assert_refused(
        &dir,
        "g",
        "g/p.toml:5:12",
        "alias `--` has no letter or digit",
    );
    assert_refused(&dir, "g", "g/p.toml:5:18", "alias is empty");
    assert_refused(&dir, "g", "g/p.toml:5:25", "has no letter or digit");
}

#[test]
fn gazetteer_topic_without_keywords() {
    let dir = Dir::new();
    let base = entity("x", "X", "[]");
    // With entities as evidence only: accepted, with a warning.
    dir.write(
        "g/t.toml",
        format!(
            "{base}[[topic]]\nid = \"t\"\nname = \"T\"\nentities = [\"x\"]\n"
        ),
    );
    for (code, err) in check_and_tag(&dir, "g") {
        assert_eq!(code, Some(0), "{err}");
        assert!(
            err.contains("g/t.toml:7:1: warning: topic `t` has no keywords"),
            "{err}"
        );
    }
    // With nothing at all: refused.
    dir.write(
        "g/t.toml",
        format!("{base}[[topic]]\nid = \"t\"\nname = \"T\"\nkeywords = []\n"),
    );
    assert_refused(
        &dir,
        "g",
        "g/t.toml:7:1",
        "topic `t` has no keywords and no entities",
    );
}

#[test]
fn gazetteer_not_utf8() {
    let dir = Dir::new();
    dir.write(
        "g/bad.toml",
        b"[[entity]]\nid = \"x\"\nname = \"Caf\xe9\"\n".as_slice(),
    );
    assert_refused(
        &dir,
        "g",
        "g/bad.toml:3:12",
        "file is not valid UTF-8 (invalid byte at offset 31)",
    );
}

#[test]
fn gazetteer_unknown_key_and_type_mismatch() {
    let dir = Dir::new();
    dir.write(
        "g/k.toml",
        "[[entity]]\nid = \"x\"\nname = \"X\"\ntype = \"t\"\nalias = [\"y\"]\n\n[[entity]]\nid = \"y\"\nname = \"Y\"\ntype = \"t\"\naliases = \"x\"\n",
    );
    assert_refused(&dir, "g", "g/k.toml:5:1", "unknown key `alias`");
    assert_refused(&dir, "g", "g/k.toml:11:11", "invalid type");
}

#[test]
fn gazetteer_id_duplicated_across_files() {
    let dir = Dir::new();
    dir.write("g/one.toml", entity("x", "X", "[]"));
    dir.write("g/two.toml", format!("\n{}", entity("x", "Y", "[]")));
    assert_refused(
        &dir,
        "g",
        "g/two.toml:3:6",
        "duplicate entity id `x` (first defined at g/one.toml:2:6)",
    );
}

/// A name holding a character that folds to nothing (a lone combining
/// mark, a soft hyphen) right after a space is refused, warned about, or
/// matched as its visible text: never silently unmatchable.
///
/// Regression (found by the `gazetteer` fuzz target): `fold_str` keeps the
/// space before such a character, so `"Pakistan Cricket \u0301"` folds to
/// `"pakistan cricket "` (a trailing space) and `"Pakistan \u0301 Cricket"`
/// to `"pakistan  cricket"` (two spaces), while documents fold white space
/// to single spaces and names are trimmed: the first matches only before a
/// space and a non-letter, its mention then ending in a space; the second
/// never matches.
#[test]
fn gazetteer_name_with_a_character_that_folds_to_nothing() {
    for name in [
        "Pakistan Cricket \\u0301",
        "Pakistan \\u0301 Cricket",
        "Pakistan Cricket \\u00AD",
    ] {
        let dir = Dir::new();
        dir.write(
            "g/n.toml",
            format!(
                "[[entity]]\nid = \"x\"\nname = \"{name}\"\ntype = \"t\"\n"
            ),
        );
        let check = run(
            &dir,
            &["check", "--no-builtin", "-g", "g"].map(str::to_string),
        );
        let err = stderr(&check);
        if check.status.code() == Some(2) || err.contains(": warning: ") {
            assert!(err.contains("g/n.toml:3:"), "{err}");
            continue;
        }
        dir.write("doc.txt", "The Pakistan Cricket said.");
        let out = run(
            &dir,
            &["tag", "--no-builtin", "-g", "g", "doc.txt", "-q"]
                .map(str::to_string),
        );
        let rows = csv_maps(&String::from_utf8(out.stdout).unwrap());
        let texts: Vec<&str> =
            rows.iter().map(|r| r["text"].as_str()).collect();
        assert_eq!(texts, ["Pakistan Cricket"], "name {name:?}");
    }
}

/// A gazetteer of 1,000,000 entities (10,000 without `GAZTAG_BIG_TESTS=1`)
/// loads, builds and tags in reasonable time, and `check` reports its size.
///
/// Loading must take time linear in the file: 10,000 entities take well
/// under a second in release and a few seconds in a debug build, so 30 s
/// is a generous limit for the small size.
#[test]
fn big_gazetteer_of_many_entities() {
    let (n, limit) = if big_tests() {
        (1_000_000, Duration::from_secs(600))
    } else {
        (10_000, Duration::from_secs(30))
    };
    let dir = Dir::new();
    let mut src = String::with_capacity(n * 80);
    src.push_str("[domain]\ntype = \"thing\"\n\n");
    for i in 0..n {
        src.push_str(&format!(
            "[[entity]]\nid = \"e{i}\"\nname = \"Entity {i}\"\naliases = [\"E{i}X\"]\n\n"
        ));
    }
    dir.write("g/many.toml", &src);
    drop(src);
    let started = Instant::now();
    let check = run_within(
        &dir,
        &["check", "--no-builtin", "-g", "g"].map(str::to_string),
        limit,
    );
    let took = started.elapsed();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let out = String::from_utf8(check.stdout.clone()).unwrap();
    assert!(
        out.contains(&format!("ok: 1 files, {n} entities, {} names", 2 * n)),
        "{out}"
    );
    eprintln!(
        "big_gazetteer_of_many_entities: {n} entities: check in {:.1} s",
        took.as_secs_f64()
    );
    let last = n - 1;
    dir.write("doc.txt", format!("Entity 7 met E{last}X."));
    let out = run_within(
        &dir,
        &["tag", "--no-builtin", "-g", "g", "doc.txt", "-q"]
            .map(str::to_string),
        limit,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = csv_maps(&String::from_utf8(out.stdout).unwrap());
    let ids: Vec<&str> =
        rows.iter().map(|r| r["entity_id"].as_str()).collect();
    assert_eq!(ids, ["e7".to_string(), format!("e{last}")]);
}

// ---------------------------------------------------------------------------
// Outputs that survive faults

/// The files of `dir` whose name ends in `.tmp`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// The three tables of `dir` as text (`None` where missing).
fn snapshot(dir: &Path) -> [Option<String>; 3] {
    ["mentions.csv", "topics.csv", "documents.csv"]
        .map(|t| std::fs::read_to_string(dir.join(t)).ok())
}

/// A corpus big enough for a debug build to take a few seconds.
fn write_corpus(dir: &Dir, root: &str, docs: usize) {
    let para = "The US and Pakistan met. Côte d’Ivoire and Türkiye signed. \
                TTP militants; terrorism. Bowlers took wickets in the Test. ";
    let text = para.repeat(60);
    for i in 0..docs {
        dir.write(&format!("{root}/{:02}/{i:05}.txt", i % 17), &text);
    }
}

/// A run killed partway (SIGINT, SIGTERM, SIGKILL, at several moments)
/// never leaves a partial table under a final name: the output folder holds
/// the complete tables of the previous run, or of the new one if it
/// finished first, never a mix. SIGINT and SIGTERM also remove the
/// temporary files; only SIGKILL can leave one behind.
#[cfg(unix)]
#[test]
fn interrupted_runs_never_leave_partial_tables() {
    use std::os::unix::process::ExitStatusExt;
    let dir = Dir::new();
    write_corpus(&dir, "c", 1500);
    // The previous run, complete.
    let first = run(&dir, &tag_args(&["c"], "out"));
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let old = snapshot(&dir.path().join("out"));
    // The new run's complete result, for comparison.
    dir.write("c/new.txt", "One more: Pakistan.");
    let full = run(&dir, &tag_args(&["c"], "ref"));
    assert_eq!(full.status.code(), Some(0));
    let new = snapshot(&dir.path().join("ref"));
    assert_ne!(old, new);

    let mut interrupted = 0;
    for (signal, number) in [("INT", 2), ("TERM", 15), ("KILL", 9)] {
        for delay_ms in [0, 30, 300] {
            let mut child = dir
                .cmd(
                    &tag_args(&["c"], "out")
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                )
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            // Wait for the temporary files, so the signal lands mid-run.
            let deadline = Instant::now() + Duration::from_secs(30);
            while temp_files(&dir.path().join("out")).len() < 3
                && child.try_wait().unwrap().is_none()
                && Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_millis(2));
            }
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = Command::new("kill")
                .args([&format!("-{signal}"), &child.id().to_string()])
                .status();
            let status = wait_timeout(&mut child, Duration::from_secs(60));
            let now = snapshot(&dir.path().join("out"));
            let killed = status.signal() == Some(number)
                || status.code() == Some(128 + number);
            if killed {
                interrupted += 1;
                assert_eq!(
                    now, old,
                    "SIG{signal} after {delay_ms} ms: the tables changed"
                );
            } else {
                // The run ended before the signal came.
                assert_eq!(status.code(), Some(0), "SIG{signal}: {status:?}");
                assert_eq!(now, new, "SIG{signal} after {delay_ms} ms");
            }
            let left = temp_files(&dir.path().join("out"));
            if signal == "KILL" {
                for p in left {
                    let name =
                        p.file_name().unwrap().to_string_lossy().into_owned();
                    assert!(name.starts_with('.'), "{name}");
                    std::fs::remove_file(p).unwrap();
                }
            } else {
                assert!(left.is_empty(), "SIG{signal} left {left:?}");
            }
            // Start the next round from the previous complete output.
            if now != old {
                for (t, text) in
                    ["mentions.csv", "topics.csv", "documents.csv"]
                        .iter()
                        .zip(&old)
                {
                    std::fs::write(
                        dir.path().join("out").join(t),
                        text.as_ref().unwrap(),
                    )
                    .unwrap();
                }
            }
        }
    }
    assert!(interrupted >= 6, "only {interrupted} of 9 runs were interrupted");
}

/// A full disk: a clear message naming the file, exit status 2, no panic,
/// and the previous tables untouched. Tested on a 256 KiB tmpfs when one can
/// be mounted (as root), and always on `/dev/full` as standard output.
#[test]
fn disk_full() {
    let dir = Dir::new();
    write_corpus(&dir, "c", 60);
    // Standard output on a full device.
    let g = gaz();
    let mut c = dir.cmd(&["tag", "--no-builtin", "-g", &g, "c"]);
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full")
    {
        c.stdout(full).stderr(Stdio::piped());
        let out = c.output().unwrap();
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(
            err.starts_with(
                "gaztag: cannot write output: No space left on device"
            ),
            "{err}"
        );
    }

    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let Some(_mounted) = Mount::tmpfs(&mount, "256k") else {
        eprintln!(
            "disk_full: no tmpfs could be mounted; tested on /dev/full only"
        );
        return;
    };
    // A small run fits and leaves complete tables.
    dir.write("one/a.txt", "Pakistan");
    let first = run(&dir, &tag_args(&["one"], "small/out"));
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let old = snapshot(&mount.join("out"));
    // The big one does not fit.
    let out = run(&dir, &tag_args(&["c"], "small/out"));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("gaztag: cannot write output: small/out/"),
        "{err}"
    );
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(snapshot(&mount.join("out")), old);
    assert!(temp_files(&mount.join("out")).is_empty());
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The output does not depend on the order in which the OS lists files.
#[test]
fn output_does_not_depend_on_listing_order() {
    let dir = Dir::new();
    let names: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "{}/{i:02}-{}.txt",
                ["x", "y", "z"][i % 3],
                ["b", "a", "É", "é", "Z"][i % 5]
            )
        })
        .collect();
    let text = |n: &str| format!("The US met Pakistan: {n}.");
    // The same files, created in opposite orders.
    for n in &names {
        dir.write(&format!("fwd/{n}"), text(n));
    }
    for n in names.iter().rev() {
        dir.write(&format!("rev/{n}"), text(n));
    }
    let a = run(&dir, &tag_args(&["fwd"], "a"));
    let b = run(&dir, &tag_args(&["rev"], "b"));
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(b.status.code(), Some(0));
    for t in ["mentions.csv", "topics.csv", "documents.csv"] {
        let a = dir.read(&format!("a/{t}")).replace("fwd/", "");
        let b = dir.read(&format!("b/{t}")).replace("rev/", "");
        assert_eq!(a, b, "{t}");
    }
    // And the order is that of the names, byte by byte.
    let docs = csv_maps(&dir.read("a/documents.csv"));
    let ids: Vec<&str> = docs.iter().map(|r| r["doc_id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

// ---------------------------------------------------------------------------
// Spreadsheet safety

/// Columns that hold numbers, per table.
fn numeric(col: &str) -> bool {
    matches!(
        col,
        "start"
            | "end"
            | "byte_start"
            | "byte_end"
            | "score"
            | "rank"
            | "chars"
            | "mentions"
            | "entities"
            | "topics"
            | "words"
            | "bytes"
    )
}

#[test]
fn formula_cells_are_neutralised_in_every_table() {
    let dir = Dir::new();
    // Names from the gazetteer are neutralised too.
    dir.write(
        "g/evil.toml",
        r#"[domain]
name = "-domain"
type = "+type"

[[entity]]
id = "@calc"
name = "=Calc"
aliases = ["calc", "cmd"]

[[topic]]
id = "=topic"
name = "@Topic"
keywords = ["-cmd", "calc"]
entities = ["@calc"]
threshold = 0
min_evidence = 1
"#,
    );
    let id = "=HYPERLINK(\"http://x\",\"y\")";
    dir.write(
        "x.jsonl",
        "{\"id\": \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\", \"text\": \"+cmd|' /C calc'!A0 then =Calc\"}\n{\"id\": \"@bad\", \"text\": 1}\n",
    );
    // File names become doc ids, and error messages start with them.
    dir.write("=cmd.txt", "Calc\t-cmd");
    dir.write("@bad.txt", b"\xff calc".as_slice());
    let run_with = |raw: bool, out: &str| -> Tables {
        let mut a = vec![
            "tag",
            "--no-builtin",
            "-g",
            "g",
            "-q",
            "-o",
            out,
            "x.jsonl",
            "=cmd.txt",
            "@bad.txt",
        ];
        if raw {
            a.push("--raw-csv");
        }
        let o =
            run(&dir, &a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        Tables::read(&dir.path().join(out))
    };
    let safe = run_with(false, "safe");
    let raw = run_with(true, "raw");

    // Raw, the cells are as they came.
    let hyper: Vec<&Row> =
        raw.mentions.iter().filter(|m| m["doc_id"] == id).collect();
    let texts: Vec<&str> = hyper.iter().map(|m| m["text"].as_str()).collect();
    assert_eq!(texts, ["cmd", "calc", "=Calc"]);
    assert_eq!(hyper[0]["entity_id"], "@calc");
    assert_eq!(hyper[0]["entity"], "=Calc");
    assert_eq!(hyper[0]["type"], "+type");
    assert_eq!(hyper[0]["domain"], "-domain");
    assert_eq!(raw.topics[0]["doc_id"], id);
    assert_eq!(raw.topics[0]["topic_id"], "=topic");
    assert_eq!(raw.topics[0]["topic"], "@Topic");
    assert_eq!(raw.doc("@bad")["status"], "error");
    assert_eq!(raw.doc("=cmd.txt")["status"], "ok");
    assert!(
        raw.doc("@bad.txt")["error"].starts_with("@bad.txt: invalid UTF-8")
    );
    let lead: Vec<&str> = raw
        .mentions
        .iter()
        .filter(|m| m["doc_id"] == "=cmd.txt")
        .map(|m| m["text"].as_str())
        .collect();
    assert_eq!(lead, ["Calc", "cmd"]);

    // By default every formula-like text cell gets a leading ', and
    // nothing else changes: numbers are never altered.
    let formula = |s: &str| s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut neutralised = BTreeSet::new();
    for (name, s, r) in [
        ("mentions", &safe.mentions, &raw.mentions),
        ("topics", &safe.topics, &raw.topics),
        ("documents", &safe.documents, &raw.documents),
    ] {
        assert!(!s.is_empty(), "{name}");
        assert_eq!(s.len(), r.len(), "{name}");
        for (srow, rrow) in s.iter().zip(r) {
            assert_eq!(srow.len(), rrow.len());
            for (col, sv) in srow {
                let rv = &rrow[col];
                assert!(!formula(sv), "{name}.{col} = {sv:?}");
                if numeric(col) {
                    assert_eq!(sv, rv, "{name}.{col}");
                    assert!(
                        sv.is_empty() || sv.parse::<f64>().is_ok(),
                        "{name}.{col} = {sv:?}"
                    );
                } else if formula(rv) {
                    assert_eq!(*sv, format!("'{rv}"), "{name}.{col}");
                    neutralised.insert(format!("{name}.{col}"));
                } else {
                    assert_eq!(sv, rv, "{name}.{col}");
                }
            }
        }
    }
    let want = [
        "documents.doc_id",
        "documents.error",
        "documents.other_entities",
        "documents.top_topic",
        "documents.topic_ids",
        "mentions.doc_id",
        "mentions.domain",
        "mentions.entity",
        "mentions.entity_id",
        "mentions.text",
        "mentions.type",
        "topics.doc_id",
        "topics.topic",
        "topics.topic_id",
    ];
    let got: Vec<&str> = neutralised.iter().map(String::as_str).collect();
    assert_eq!(got, want);
    assert_eq!(safe.doc(&format!("'{id}"))["status"], "ok");
}
