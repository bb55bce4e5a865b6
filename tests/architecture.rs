//! The shape of the library: data flows one way through its modules. Reads
//! the `crate::` paths of every library source file and fails on an arrow
//! that points up (or sideways) in the layers below, which also rules out
//! cycles; and on a source file over 1,000 lines before its unit tests.
//! DESIGN.md ("Architecture") draws the same layers.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::root;

/// The library's modules from the bottom up: a module may use only modules
/// of lower layers.
const LAYERS: &[&[&str]] = &[
    &["error", "record", "normalize", "input"],
    &["import"],
    &["names", "gazetteer", "search"],
    &["compile", "lint"],
    &["select", "topics", "focus"],
    &["resolve"],
    &["tagger"],
    &["output", "eval", "sample", "report", "suggest"],
    &["pipeline"],
    &["stream"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every library source file (not the command line: `src/cmd`, `main.rs`)
/// with its top-level module.
fn sources() -> Vec<(String, std::path::PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = root().join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).unwrap().to_path_buf();
            let first = rel.components().next()?.as_os_str().to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            (!matches!(module.as_str(), "cmd" | "main" | "lib"))
                .then_some((module, p))
        })
        .collect()
}

/// The crate modules a source text names: `crate::x::...`, `crate::x;`
/// and `crate::{x, y::z}`.
fn uses(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = item.trim().split("::").next().unwrap_or("");
                found.push(name.to_string());
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    // Items re-exported at the root (`crate::Tagger`, `crate::fold_str`)
    // are not modules.
    found.retain(|n| layer_of(n).is_some());
    found
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let mut arrows: BTreeMap<(String, String), String> = BTreeMap::new();
    for (module, path) in sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        for used in uses(&text) {
            if used != module {
                arrows.insert(
                    (module.clone(), used),
                    path.display().to_string(),
                );
            }
        }
    }
    assert!(!arrows.is_empty());
    let mut wrong = Vec::new();
    for ((from, to), file) in &arrows {
        match (layer_of(from), layer_of(to)) {
            (Some(f), Some(t)) if t < f => {}
            (None, _) => wrong.push(format!("{file}: module `{from}` has no layer")),
            _ => wrong.push(format!("{file}: `{from}` uses `{to}`, a module of its own or a higher layer")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every library module has its layer.
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        let decl = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "));
        if let Some(m) = decl.and_then(|d| d.strip_suffix(';')) {
            assert!(layer_of(m).is_some(), "module `{m}` has no layer");
        }
    }
}

/// The check itself: an upward arrow is found.
#[test]
fn an_upward_arrow_is_seen() {
    let got = uses(
        "use crate::tagger::Scratch;\nuse crate::{record, search::Starts};\nlet x = crate::Tagger::new();",
    );
    assert_eq!(got, ["tagger", "record", "search"]);
    assert!(layer_of("tagger") > layer_of("compile"));
}

#[test]
fn no_source_file_is_over_a_thousand_lines_before_its_tests() {
    let mut long = Vec::new();
    for (_, path) in sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        let before = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .count();
        if before > 1000 {
            long.push(format!("{}: {before} lines", path.display()));
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}
