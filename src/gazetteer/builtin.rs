//! The built-in gazetteers as `build.rs` read them at build time: the
//! same events as parsing their TOML, without parsing it.

use super::*;

/// The built-in gazetteers, embedded at compile time from `gazetteers/`.
/// Each is read at build time too (see `build.rs`), so that start-up does
/// not parse TOML.
pub(super) static BUILTIN: &[Builtin] =
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// A built-in gazetteer: its file name and text, and what `build.rs` read
/// from it.
pub(super) struct Builtin {
    pub(super) name: &'static str,
    pub(super) text: &'static str,
    /// `None` when the file has something `build.rs` leaves to the TOML
    /// parser at run time (anything unexpected, errors included).
    pub(super) read: Option<BuiltinRead>,
}

/// What `build.rs` read from a built-in file: exactly what the serde layer
/// gives, and nothing else (no unknown key, no value of the wrong type).
/// A string is its value and the byte range of its TOML text.
#[derive(Debug)]
pub(super) struct BuiltinRead {
    pub(super) domain: Option<BuiltinDomain>,
    /// Whether the file has an `entity` or `topic` key.
    pub(super) has_entries: bool,
    pub(super) entities: &'static [BuiltinEntity],
    pub(super) topics: &'static [BuiltinTopic],
}

pub(super) type BStr = (&'static str, usize, usize);

pub(super) type BSpan = (usize, usize);

#[derive(Debug)]
pub(super) struct BuiltinDomain {
    pub(super) name: Option<BStr>,
    pub(super) kind: Option<BStr>,
    pub(super) case: Option<CaseMode>,
}

#[derive(Debug)]
pub(super) struct BuiltinEntity {
    pub(super) span: BSpan,
    pub(super) id: BStr,
    pub(super) name: BStr,
    pub(super) kind: Option<BStr>,
    pub(super) aliases: &'static [BStr],
    pub(super) acronyms: &'static [BStr],
    pub(super) former_names: &'static [BStr],
    pub(super) demonyms: &'static [BStr],
    pub(super) case: Option<CaseMode>,
    pub(super) attributes: &'static [(&'static str, &'static str)],
    pub(super) context: &'static [BuiltinContext],
}

#[derive(Debug)]
pub(super) struct BuiltinContext {
    pub(super) span: BSpan,
    pub(super) names: &'static [BStr],
    pub(super) require_words: &'static [BStr],
    pub(super) require_entities: &'static [BStr],
    pub(super) exclude_words: &'static [BStr],
    pub(super) exclude_entities: &'static [BStr],
    pub(super) window: Option<usize>,
    pub(super) not_before_capitalized: bool,
}

#[derive(Debug)]
pub(super) struct BuiltinTopic {
    pub(super) span: BSpan,
    pub(super) id: BStr,
    pub(super) name: BStr,
    pub(super) keywords: &'static [BuiltinTerm],
    pub(super) entities: &'static [BuiltinTerm],
    pub(super) threshold: Option<(f64, usize, usize)>,
    pub(super) min_evidence: Option<(u32, usize, usize)>,
    pub(super) parent: Option<(&'static str, usize, usize)>,
    pub(super) attributes: &'static [(&'static str, &'static str)],
}

/// A keyword or a piece of evidence: the term or entity id, the weight
/// when it is written as a table, and its span.
#[derive(Debug)]
pub(super) struct BuiltinTerm {
    pub(super) term: &'static str,
    pub(super) weight: Option<f64>,
    /// A keyword's `ambiguous` flag (always false for evidence).
    pub(super) ambiguous: bool,
    pub(super) span: BSpan,
}

/// Reads a built-in file from what `build.rs` read: the events
/// [`read_whole`] gives, without parsing TOML.
pub(super) fn read_builtin<'a>(
    file: u32,
    source: &'a Source,
    read: &BuiltinRead,
) -> (&'a str, ReadFile) {
    let path = &source.name;
    let text = std::str::from_utf8(&source.bytes).expect("built-in text");
    let cx = &Cx::new(path, file, text, 0, 0);
    let string =
        |&(s, start, end): &BStr| Spanned::new(start..end, s.to_string());
    let strings = |v: &[BStr]| v.iter().map(string).collect::<Vec<_>>();
    let span = |&(start, end): &BSpan| start..end;
    let attributes = |v: &[(&str, &str)]| {
        v.iter().map(|&(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let mut out = Vec::new();
    let defaults = match &read.domain {
        Some(d) => {
            let d = RawDomain {
                name: d.name.as_ref().map(string),
                kind: d.kind.as_ref().map(string),
                case: d.case,
            };
            domain(cx, d, path, &mut out)
        }
        None => {
            Defaults { domain: stem(path), kind: None, case: CaseMode::Smart }
        }
    };
    for e in read.entities {
        let raw = RawEntity {
            id: string(&e.id),
            name: string(&e.name),
            kind: e.kind.as_ref().map(string),
            aliases: strings(e.aliases),
            acronyms: strings(e.acronyms),
            former_names: strings(e.former_names),
            demonyms: strings(e.demonyms),
            case: e.case,
            attributes: attributes(e.attributes),
            context: e
                .context
                .iter()
                .map(|c| {
                    let rule = RawContext {
                        names: strings(c.names),
                        require_words: strings(c.require_words),
                        require_entities: strings(c.require_entities),
                        exclude_words: strings(c.exclude_words),
                        exclude_entities: strings(c.exclude_entities),
                        window: c.window,
                        not_before_capitalized: c.not_before_capitalized,
                    };
                    Spanned::new(span(&c.span), rule)
                })
                .collect(),
        };
        out.push(Event::Entity(entity(cx, raw, span(&e.span), &defaults)));
    }
    for t in read.topics {
        let raw = RawTopic {
            id: string(&t.id),
            name: string(&t.name),
            keywords: (t.keywords.iter())
                .map(|k| {
                    let term = k.term.to_string();
                    let k2 = match k.weight {
                        None => RawKeyword::Plain(term),
                        Some(weight) => RawKeyword::Weighted {
                            term,
                            weight,
                            ambiguous: k.ambiguous,
                        },
                    };
                    Spanned::new(span(&k.span), k2)
                })
                .collect(),
            entities: (t.entities.iter())
                .map(|e| {
                    let id = e.term.to_string();
                    let e2 = match e.weight {
                        None => RawEvidence::Plain(id),
                        Some(weight) => RawEvidence::Weighted { id, weight },
                    };
                    Spanned::new(span(&e.span), e2)
                })
                .collect(),
            threshold: t.threshold.map(|(v, a, b)| Spanned::new(a..b, v)),
            min_evidence: t
                .min_evidence
                .map(|(v, a, b)| Spanned::new(a..b, v)),
            parent: t
                .parent
                .map(|(v, a, b)| Spanned::new(a..b, v.to_string())),
            attributes: attributes(t.attributes),
        };
        out.push(Event::Topic(topic(
            cx,
            raw,
            span(&t.span),
            &defaults.domain,
        )));
    }
    if !read.has_entries {
        let msg = "file defines no entity and no topic".to_string();
        out.push(Event::Diag(Diagnostic::warning(cx.loc(0), msg)));
    }
    let summary = Some(summary(path, &defaults.domain));
    (text, ReadFile { events: out, summary })
}
