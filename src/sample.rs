//! What gazetteers do on a sample of documents: mentions per entity and
//! alias with contexts (`gaztag check --sample`), and the mentions an edit
//! gains and loses (`gaztag diff`).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::compile::Tagger;
use crate::input::Documents;
use crate::names;
use crate::normalize::fold_str;
use crate::tagger::Scratch;

/// How many contexts are kept per alias and per changed entity.
pub const CONTEXTS: usize = 3;

/// Characters of text kept on each side of a mention in a context.
const CONTEXT_CHARS: usize = 40;

/// One alias (as written, folded) of one entity on the sample.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AliasStats {
    /// Index of the entity in [`Tagger::entities`](crate::Tagger::entities).
    pub entity: usize,
    /// The matched text, case and accents folded.
    pub alias: String,
    /// Mentions.
    pub mentions: usize,
    /// Documents with at least one mention.
    pub documents: usize,
    /// Mentions next to another capitalised word that would make a longer
    /// name (`Apple Daily` for `Apple`).
    pub inside_names: usize,
    /// Mentions that open a sentence.
    pub sentence_starts: usize,
    /// Up to [`CONTEXTS`] contexts: `(doc_id, text around the mention)`.
    pub contexts: Vec<(String, String)>,
}

impl AliasStats {
    /// Whether most mentions are inside longer capitalised names.
    pub fn mostly_inside_names(&self) -> bool {
        self.mentions > 0 && self.inside_names * 2 > self.mentions
    }

    /// Whether most mentions open a sentence.
    pub fn mostly_sentence_starts(&self) -> bool {
        self.mentions > 0 && self.sentence_starts * 2 > self.mentions
    }
}

/// What the gazetteers did on a sample.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SampleReport {
    /// Documents read.
    pub documents: usize,
    /// Documents that could not be read.
    pub failed: usize,
    /// Per alias of the entities looked at, most mentions first (ties by
    /// entity id, then alias).
    pub aliases: Vec<AliasStats>,
}

impl SampleReport {
    /// Mentions and documents per entity, most mentions first.
    pub fn entities(&self, tagger: &Tagger) -> Vec<(usize, usize, usize)> {
        let mut by: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for a in &self.aliases {
            let e = by
                .entry(tagger.entities()[a.entity].id.as_str())
                .or_insert((a.entity, 0, 0));
            e.1 += a.mentions;
            e.2 = e.2.max(a.documents);
        }
        let mut v: Vec<_> = by.into_values().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// Whether the word at `start` opens a sentence: only white space stands
/// between it and the start of the text, a paragraph break, or the
/// punctuation that ends a sentence or opens a quote. (A line break alone
/// is not one: sample texts are often wrapped.)
fn opens_sentence(text: &str, start: usize) -> bool {
    let mut newlines = 0;
    for c in text[..start].chars().rev() {
        match c {
            '\n' => newlines += 1,
            c if c.is_whitespace() => {}
            '.' | '!' | '?' | ':' | '"' | '\u{201C}' | '\u{2018}' | '(' => {
                return true;
            }
            _ => return newlines >= 2,
        }
    }
    true
}

/// White space runs as one space, ends kept.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The text around `start..end` (byte offsets) on one line.
pub fn context(text: &str, start: usize, end: usize) -> String {
    let before: String = {
        let mut cs: Vec<char> =
            text[..start].chars().rev().take(CONTEXT_CHARS).collect();
        cs.reverse();
        cs.into_iter().collect()
    };
    let after: String = text[end..].chars().take(CONTEXT_CHARS).collect();
    format!(
        "...{}[{}]{}...",
        one_line(&before),
        one_line(&text[start..end]),
        one_line(&after)
    )
}

/// Tags `docs` and counts the mentions of the entities for which
/// `looked_at(entity index)` holds.
pub fn sample(
    tagger: &Tagger,
    docs: Documents,
    looked_at: impl Fn(usize) -> bool,
) -> SampleReport {
    let mut report = SampleReport::default();
    let mut stats: HashMap<(usize, String), AliasStats> = HashMap::new();
    let mut scratch = Scratch::new();
    for doc in docs {
        report.documents += 1;
        let Ok(text) = &doc.text else {
            report.failed += 1;
            continue;
        };
        let tags = tagger.tag_with(&mut scratch, text);
        let mut seen: HashSet<(usize, String)> = HashSet::new();
        for m in &tags.mentions {
            if !looked_at(m.entity) {
                continue;
            }
            let alias = fold_str(&text[m.start..m.end], true);
            let key = (m.entity, alias.clone());
            let s = stats.entry(key.clone()).or_insert_with(|| AliasStats {
                entity: m.entity,
                alias,
                ..AliasStats::default()
            });
            s.mentions += 1;
            if seen.insert(key) {
                s.documents += 1;
            }
            let neighbours = names::Neighbours {
                known_start: |_| false,
                known_end: |_| false,
                person_start: |_| false,
                demonym: false,
            };
            if names::inside_longer_name(text, m.start, m.end, &neighbours)
                .is_some()
            {
                s.inside_names += 1;
            }
            if opens_sentence(text, m.start) {
                s.sentence_starts += 1;
            }
            if s.contexts.len() < CONTEXTS {
                s.contexts
                    .push((doc.id.clone(), context(text, m.start, m.end)));
            }
        }
    }
    let entities = tagger.entities();
    let mut aliases: Vec<AliasStats> = stats.into_values().collect();
    aliases.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| entities[a.entity].id.cmp(&entities[b.entity].id))
            .then_with(|| a.alias.cmp(&b.alias))
    });
    report.aliases = aliases;
    report
}

/// A mention that one gazetteer set finds and the other does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `true`: only the new set finds it; `false`: only the old one.
    pub gained: bool,
    /// The document.
    pub doc_id: String,
    /// Character offsets, as in `mentions.csv`.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// The entity's id.
    pub entity_id: String,
    /// The entity's canonical name.
    pub entity: String,
    /// The text around it.
    pub context: String,
}

/// The mentions gained and lost on `docs` when the gazetteers of `old` are
/// replaced by those of `new`, in document order (a mention counts as the
/// same when its span and entity id are). Also gives the number of
/// documents read.
pub fn diff(
    old: &Tagger,
    new: &Tagger,
    docs: Documents,
) -> (usize, Vec<Change>) {
    let mut out = Vec::new();
    let mut n = 0;
    let (mut s_old, mut s_new) = (Scratch::new(), Scratch::new());
    for doc in docs {
        n += 1;
        let Ok(text) = &doc.text else { continue };
        let a = old.tag_with(&mut s_old, text);
        let b = new.tag_with(&mut s_new, text);
        let key = |t: &Tagger, m: &crate::Mention| {
            (m.start, m.end, t.entities()[m.entity].id.clone())
        };
        let in_a: HashSet<_> =
            a.mentions.iter().map(|m| key(old, m)).collect();
        let in_b: HashSet<_> =
            b.mentions.iter().map(|m| key(new, m)).collect();
        let mut changes: Vec<Change> = Vec::new();
        for (t, tags, other, gained) in
            [(old, &a, &in_b, false), (new, &b, &in_a, true)]
        {
            for m in &tags.mentions {
                if other.contains(&key(t, m)) {
                    continue;
                }
                let e = &t.entities()[m.entity];
                changes.push(Change {
                    gained,
                    doc_id: doc.id.clone(),
                    start: m.char_start,
                    end: m.char_end,
                    text: text[m.start..m.end].to_string(),
                    entity_id: e.id.clone(),
                    entity: e.name.clone(),
                    context: context(text, m.start, m.end),
                });
            }
        }
        changes.sort_by(|x, y| {
            (x.start, x.end, !x.gained).cmp(&(y.start, y.end, !y.gained))
        });
        out.extend(changes);
    }
    (n, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GazetteerSet;
    use crate::input::InputOptions;

    fn tagger(src: &str) -> Tagger {
        Tagger::new(&GazetteerSet::from_toml("g.toml", src).unwrap()).unwrap()
    }

    fn docs(dir: &std::path::Path, texts: &[&str]) -> Documents {
        let mut paths = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let p = dir.join(format!("d{i}.txt"));
            std::fs::write(&p, t).unwrap();
            paths.push(p);
        }
        Documents::new(&paths, InputOptions::default())
    }

    const GAZ: &str = "[[entity]]\nid = \"apple\"\ntype = \"organization\"\nname = \"Apple Inc.\"\naliases = [\"Apple\"]\n";

    #[test]
    fn counts_contexts_and_flags() {
        let dir = tempfile::tempdir().unwrap();
        let t = tagger(GAZ);
        let r = sample(
            &t,
            docs(
                dir.path(),
                &[
                    "Apple sold phones. Apple Daily closed.",
                    "Shares of Apple Inc. rose. Apple rose too.",
                ],
            ),
            |_| true,
        );
        assert_eq!((r.documents, r.failed), (2, 0));
        let a = &r.aliases[0];
        assert_eq!(
            (a.alias.as_str(), a.mentions, a.documents),
            ("apple", 3, 2)
        );
        assert_eq!(a.sentence_starts, 3);
        assert!(a.mostly_sentence_starts());
        assert_eq!(a.inside_names, 1, "Apple Daily");
        assert_eq!(a.contexts.len(), 3);
        assert!(
            a.contexts[0].1.contains("[Apple] sold phones."),
            "{:?}",
            a.contexts
        );
        assert_eq!(r.aliases[1].alias, "apple inc.");
        assert_eq!(r.entities(&t), [(0, 4, 2)]);
    }

    #[test]
    fn diff_lists_gained_and_lost() {
        let dir = tempfile::tempdir().unwrap();
        let old = tagger(GAZ);
        let new = tagger(
            "[[entity]]\nid = \"apple\"\ntype = \"organization\"\nname = \"Apple Inc.\"\n\n[[entity]]\nid = \"pear\"\ntype = \"organization\"\nname = \"Pear Ltd\"\n",
        );
        let (n, changes) = diff(
            &old,
            &new,
            docs(dir.path(), &["Apple and Pear Ltd met Apple Inc. today."]),
        );
        assert_eq!(n, 1);
        let got: Vec<(bool, &str, usize, usize)> = changes
            .iter()
            .map(|c| (c.gained, c.text.as_str(), c.start, c.end))
            .collect();
        assert_eq!(got, [(false, "Apple", 0, 5), (true, "Pear Ltd", 10, 18)]);
        assert_eq!(changes[1].entity_id, "pear");
    }
}
