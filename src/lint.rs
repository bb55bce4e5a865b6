//! Risk warnings for gazetteer editors: aliases that are valid but unwise,
//! each with its location and what the matcher will do with it.
//!
//! | code | risk |
//! |---|---|
//! | `single-character` | an alias of one letter or digit (`A`) |
//! | `common-word` | an alias that is an everyday English word (`May`, `Apple`), from the 5,000 most frequent words |
//! | `first-name` | a person's first name alone (`Imran` for Imran Khan) |
//! | `contains-name` | an alias with the name of an entity of another type or domain inside it (`Bank of Ruritania` holds the country `Ruritania`) |
//!
//! Aliases that two entities share are warned about when the set is loaded
//! (see [`GazetteerSet::warnings`]). An entity silences a risk it takes on
//! knowingly with the attribute `allow`: risk codes separated by `|`, each
//! for every name of the entity (`common-word`) or for one (`common-word:Apple`).

use std::collections::HashMap;

use crate::error::{Diagnostic, Location};
use crate::gazetteer::{CaseMode, Entity, GazetteerLoader, GazetteerSet};
use crate::normalize::fold_str;
use crate::record::Via;

/// The 5,000 most frequent English words, most frequent first (wordfreq,
/// CC-BY-SA-4.0; see `tools/gen_common_words.py`).
const COMMON_WORDS: &str = include_str!("../data/common_words_en.txt");

/// The rank (1 = most frequent) of each common word.
fn common_words() -> HashMap<&'static str, usize> {
    COMMON_WORDS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .enumerate()
        .map(|(i, w)| (w, i + 1))
        .collect()
}

/// The risk codes, as `allow` names them.
pub const RISKS: &[&str] =
    &["single-character", "common-word", "first-name", "contains-name"];

/// Warnings about the risky names of the entities of `set` for which
/// `checked(path)` holds (their file's path; the built-ins are usually
/// left out). `sources` gives the texts, to point at each alias.
pub fn lint(
    set: &GazetteerSet,
    sources: &GazetteerLoader,
    checked: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let common = common_words();
    // Every folded name of every entity, for `contains-name`.
    let mut owners: HashMap<String, usize> = HashMap::new();
    for (n, e) in set.entities().iter().enumerate() {
        for name in e.names() {
            owners.entry(fold_str(name, true)).or_insert(n);
        }
    }
    let mut out = Vec::new();
    for e in set.entities() {
        if !checked(&e.location.path) {
            continue;
        }
        let allowed = allowed(e);
        let text = sources.source(&e.location.path);
        let mut seen = std::collections::HashSet::new();
        // Acronyms, former names and demonyms are checked like aliases.
        for (name, via) in e.forms() {
            // A name the entity repeats (in another case) is one name.
            if !seen.insert(fold_str(name, true)) {
                continue;
            }
            for (code, message) in risks(e, name, &common, &owners, set) {
                if allowed
                    .iter()
                    .any(|(c, a)| *c == code && a.is_none_or(|a| a == name))
                {
                    continue;
                }
                let what = match via {
                    Via::Name => "name",
                    Via::Abbreviation => "acronym",
                    Via::Former => "former name",
                    Via::Demonym => "demonym",
                    _ => "alias",
                };
                let (location, span) = locate(text, &e.location, name);
                let msg = format!(
                    "{what} `{name}` of `{}`: {message} [{code}; silence with attribute allow = \"{code}\"]",
                    e.id
                );
                let mut d = Diagnostic::warning(location, msg);
                if let Some(span) = span {
                    d = d.with_span(span);
                }
                out.push(d);
            }
        }
    }
    out.sort_by(|a, b| a.location.cmp(&b.location));
    out
}

/// The `allow` attribute: `(code, one name or every name)`.
fn allowed(e: &Entity) -> Vec<(&str, Option<&str>)> {
    e.attributes.get("allow").map_or_else(Vec::new, |v| {
        v.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match s.split_once(':') {
                Some((code, name)) => (code.trim(), Some(name.trim())),
                None => (s, None),
            })
            .collect()
    })
}

/// What the case rule lets through, for the messages.
fn case_effect(e: &Entity, name: &str) -> String {
    let letters: Vec<char> =
        name.chars().filter(|c| c.is_alphabetic()).collect();
    let caps = !letters.is_empty() && letters.iter().all(|c| c.is_uppercase());
    match e.case {
        CaseMode::Ignore => {
            "with case = \"ignore\" it matches in any case".into()
        }
        CaseMode::Exact => format!(
            "with case = \"exact\" it matches only `{name}` as written"
        ),
        CaseMode::Smart if caps => format!(
            "its case rule matches only `{name}` in capitals, so ALL-CAPS headlines still match"
        ),
        CaseMode::Smart
            if name.chars().next().is_some_and(char::is_uppercase) =>
        {
            format!(
                "its case rule needs a capital, so it still matches at every sentence start and in headlines (`{name} ...`)"
            )
        }
        CaseMode::Smart => {
            "it starts in lower case, so it matches in any case".into()
        }
    }
}

fn risks(
    e: &Entity,
    name: &str,
    common: &HashMap<&str, usize>,
    owners: &HashMap<String, usize>,
    set: &GazetteerSet,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let folded = fold_str(name, true);
    let alnum = folded.chars().filter(|c| c.is_alphanumeric()).count();
    if alnum == 1 {
        out.push((
            "single-character",
            format!("a single letter or digit; {}", case_effect(e, name)),
        ));
    }
    let words: Vec<&str> =
        folded.split(' ').filter(|w| !w.is_empty()).collect();
    if alnum > 1
        && words.len() == 1
        && let Some(rank) = common.get(words[0])
    {
        out.push((
            "common-word",
            format!(
                "a common English word (rank {rank} of 5,000); {}",
                case_effect(e, name)
            ),
        ));
    }
    if e.kind == "person" && words.len() == 1 && name != e.name {
        let first =
            fold_str(e.name.split_whitespace().next().unwrap_or(""), true);
        if first == words[0] && fold_str(&e.name, true) != folded {
            out.push((
                "first-name",
                format!(
                    "the first name alone matches anyone called {name}; surnames after a full name are resolved by the matcher already"
                ),
            ));
        }
    }
    if words.len() >= 2 {
        // The longest run of words that is another domain's name.
        let mut best: Option<(usize, &Entity)> = None;
        for len in (1..words.len()).rev() {
            for start in 0..=words.len() - len {
                let piece = words[start..start + len].join(" ");
                if let Some(&n) = owners.get(&piece) {
                    let other = &set.entities()[n];
                    if (other.kind != e.kind || other.domain != e.domain)
                        && other.id != e.id
                    {
                        best = Some((len, other));
                        break;
                    }
                }
            }
            if best.is_some() {
                break;
            }
        }
        if let Some((_, other)) = best {
            out.push((
                "contains-name",
                format!(
                    "it holds a name of `{}` ({}, domain `{}`): where this whole name is written the longest match tags `{}`, but a variant of it tags `{}` unless the inside-name rule drops it",
                    other.id, other.kind, other.domain, e.id, other.id
                ),
            ));
        }
    }
    out
}

/// Where `name` is written in the entity's table: the first quoted
/// occurrence at or after the entity's location; the entity's location
/// when it cannot be found.
fn locate(
    text: Option<&str>,
    at: &Location,
    name: &str,
) -> (Location, Option<std::ops::Range<usize>>) {
    let Some(text) = text else { return (at.clone(), None) };
    let line_start = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    for quoted in [format!("\"{name}\""), format!("'{name}'")] {
        if let Some(i) = text[line_start..].find(&quoted) {
            let start = line_start + i;
            let span = start..start + quoted.len();
            return (Location::from_offset(&at.path, text, start), Some(span));
        }
    }
    (at.clone(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(src: &str) -> Vec<String> {
        let mut l = GazetteerLoader::new();
        l.add_str("d.toml", src);
        let set = l.load().unwrap();
        lint(&set, &l, |p| p == "d.toml")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// `(entity table, the warnings expected, as prefixes)`.
    #[test]
    fn risky_names() {
        let head = "[domain]\nname = \"firms\"\ntype = \"organization\"\n\n[[entity]]\nid = \"PAK\"\nname = \"Pakistan\"\ntype = \"country\"\n\n";
        let cases: &[(&str, &[&str])] = &[
            (
                "[[entity]]\nid = \"a\"\nname = \"Alpha Corp\"\naliases = [\"A\"]\n",
                &[
                    "d.toml:13:12: warning: alias `A` of `a`: a single letter or digit",
                ],
            ),
            (
                "[[entity]]\nid = \"apple\"\nname = \"Apple Inc.\"\naliases = [\"Apple\"]\n",
                &[
                    "d.toml:13:12: warning: alias `Apple` of `apple`: a common English word (rank",
                ],
            ),
            (
                "[[entity]]\nid = \"apple\"\nname = \"Apple Inc.\"\naliases = [\"Apple\"]\n[entity.attributes]\nallow = \"common-word\"\n",
                &[],
            ),
            (
                "[[entity]]\nid = \"apple\"\nname = \"Apple Inc.\"\naliases = [\"Apple\", \"Next\"]\n[entity.attributes]\nallow = \"common-word:Apple\"\n",
                &[
                    "d.toml:13:21: warning: alias `Next` of `apple`: a common English word",
                ],
            ),
            (
                "[[entity]]\nid = \"ik\"\nname = \"Imran Khan\"\ntype = \"person\"\naliases = [\"Imran\"]\n",
                &[
                    "d.toml:14:12: warning: alias `Imran` of `ik`: the first name alone",
                ],
            ),
            (
                "[[entity]]\nid = \"nbp\"\nname = \"National Bank of Pakistan\"\n",
                &[
                    "d.toml:12:8: warning: name `National Bank of Pakistan` of `nbp`: it holds a name of `PAK`",
                ],
            ),
            (
                "[[entity]]\nid = \"x\"\nname = \"Xyloquent Holdings\"\naliases = [\"XQH\"]\n",
                &[],
            ),
        ];
        for &(entity, want) in cases {
            let got = warnings(&format!("{head}{entity}"));
            assert_eq!(got.len(), want.len(), "{entity}\n{got:#?}");
            for (g, w) in got.iter().zip(want) {
                assert!(g.starts_with(w), "{g:?} does not start with {w:?}");
            }
        }
    }

    #[test]
    fn case_rules_are_explained() {
        let got = warnings(
            "[[entity]]\nid = \"m\"\ntype = \"organization\"\nname = \"May Corp\"\naliases = [\"may\", \"MAY\"]\ncase = \"ignore\"\n",
        );
        assert!(
            got[0].contains("with case = \"ignore\" it matches in any case"),
            "{got:?}"
        );
        let got = warnings(
            "[[entity]]\nid = \"m\"\ntype = \"organization\"\nname = \"May Corp\"\naliases = [\"IT\"]\n",
        );
        assert!(got[0].contains("ALL-CAPS headlines"), "{got:?}");
    }
}
