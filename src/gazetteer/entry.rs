//! Reading one `[domain]`, `[[entity]]` or `[[topic]]` table into a
//! checked draft, with a diagnostic for each problem in it.

use super::*;

/// ``unknown top-level key `x` ``
pub(super) fn unknown_key(
    cx: &Cx<'_>,
    key: &Spanned<std::borrow::Cow<'_, str>>,
    name: &str,
) -> Diagnostic {
    let like = suggest(name, ["domain", "entity", "topic"]);
    cx.diag(
        Severity::Error,
        key.span(),
        format!("unknown top-level key `{name}`{}", hint(like)),
    )
    .with_help(like.map(did_you_mean))
}

/// Reads the `[domain]` table.
pub(super) fn read_domain(
    cx: &Cx<'_>,
    value: Option<Spanned<DeValue<'_>>>,
    path: &str,
    out: &mut Vec<Event>,
) -> Defaults {
    match value.and_then(|v| typed::<RawDomain>(cx, v, "[domain]", out)) {
        Some(d) => domain(cx, d, path, out),
        None => {
            Defaults { domain: stem(path), kind: None, case: CaseMode::Smart }
        }
    }
}

/// Checks the `[domain]` table.
pub(super) fn domain(
    cx: &Cx<'_>,
    d: RawDomain,
    path: &str,
    out: &mut Vec<Event>,
) -> Defaults {
    let mut defaults =
        Defaults { domain: stem(path), kind: None, case: CaseMode::Smart };
    if let Some(n) = d.name {
        if n.get_ref().trim().is_empty() {
            let msg = "domain name is empty".to_string();
            out.push(Event::Diag(cx.diag(Severity::Error, n.span(), msg)));
        } else {
            defaults.domain = n.into_inner();
        }
    }
    if let Some(k) = d.kind {
        if k.get_ref().trim().is_empty() {
            let msg = "domain type is empty".to_string();
            out.push(Event::Diag(cx.diag(Severity::Error, k.span(), msg)));
        } else {
            defaults.kind = Some(k.into_inner());
        }
    }
    defaults.case = d.case.unwrap_or_default();
    defaults
}

/// The elements of `[[name]]`, reporting a value of the wrong shape.
pub(super) fn array_of_tables<'i>(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'i>>,
    name: &str,
    out: &mut Vec<Event>,
) -> Vec<Spanned<DeValue<'i>>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => items.into_iter().collect(),
        _ => {
            let msg = format!(
                "`{name}` must be an array of tables, written [[{name}]]"
            );
            out.push(Event::Diag(cx.diag(Severity::Error, span, msg)));
            Vec::new()
        }
    }
}

pub(super) fn read_entities(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'_>>,
    defaults: &Defaults,
    out: &mut Vec<Event>,
) {
    read_tables::<RawEntity>(
        cx,
        value,
        "entity",
        out,
        &mut |raw, table, out| {
            out.push(Event::Entity(entity(cx, raw, table, defaults)));
        },
    );
}

/// How many entries of one kind per file (or piece) that failed to
/// deserialise are read again leniently, so that their other problems are
/// reported in the same run.
pub(super) const MAX_LENIENT: usize = 100;

/// Entry `index` of the `[[key]]` array in `text`, read again without the
/// keys that made it fail (an unknown key, a value of the wrong type), so
/// that the rest of it can still be checked: its id for duplicates, its
/// aliases, its topic evidence. Its own errors were reported already and
/// make the set invalid, so what is read here is only ever checked, never
/// tagged with. `None` when a required key is what is missing or wrong.
pub(super) fn lenient<T: for<'de> Deserialize<'de>>(
    text: &str,
    key: &str,
    index: usize,
) -> Option<T> {
    let (table, _) = DeTable::parse_recoverable(text);
    let (_, value) =
        table.into_inner().into_iter().find(|(k, _)| k.get_ref() == key)?;
    let DeValue::Array(items) = value.into_inner() else { return None };
    let item = items.into_iter().nth(index)?;
    let span = item.span();
    let DeValue::Table(mut fields) = item.into_inner() else { return None };
    let within = |outer: &Range<usize>, inner: &Range<usize>| {
        outer.start <= inner.start && inner.end <= outer.end
    };
    for _ in 0..=fields.len() {
        let value = Spanned::new(span.clone(), DeValue::Table(fields.clone()));
        match T::deserialize(ValueDeserializer::from(value)) {
            Ok(t) => return Some(t),
            Err(e) => {
                let at = e.span()?;
                let bad = fields.iter().position(|(k, v)| {
                    within(&k.span(), &at) || within(&v.span(), &at)
                })?;
                // A scalar of the wrong type (`name = 5`) is read as the
                // text it is written as, so that a required key stays;
                // anything else is left out.
                fields = fields
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, (k, v))| {
                        if i != bad {
                            return Some((k, v));
                        }
                        let scalar = matches!(
                            v.get_ref(),
                            DeValue::Integer(_)
                                | DeValue::Float(_)
                                | DeValue::Boolean(_)
                                | DeValue::Datetime(_)
                        );
                        let written = text.get(v.span())?;
                        scalar.then(|| {
                            let span = v.span();
                            (
                                k,
                                Spanned::new(
                                    span,
                                    DeValue::String(Cow::Borrowed(written)),
                                ),
                            )
                        })
                    })
                    .collect();
            }
        }
    }
    None
}

pub(super) fn read_topics(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'_>>,
    defaults: &Defaults,
    out: &mut Vec<Event>,
) {
    read_tables::<RawTopic>(
        cx,
        value,
        "topic",
        out,
        &mut |raw, table, out| {
            out.push(Event::Topic(topic(cx, raw, table, &defaults.domain)));
        },
    );
}

/// Deserialises each table of `[[key]]` and hands it to `each` with its
/// span; a table that fails is reported, then read again leniently (see
/// [`lenient`]) so that its other problems are reported too.
fn read_tables<T: for<'de> Deserialize<'de>>(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'_>>,
    key: &str,
    out: &mut Vec<Event>,
    each: &mut impl FnMut(T, std::ops::Range<usize>, &mut Vec<Event>),
) {
    let what = format!("[[{key}]]");
    let mut failed = 0;
    for (i, item) in
        array_of_tables(cx, value, key, out).into_iter().enumerate()
    {
        let table = item.span();
        let raw = typed::<T>(cx, item, &what, out).or_else(|| {
            failed += 1;
            (failed <= MAX_LENIENT).then(|| lenient(cx.text, key, i)).flatten()
        });
        if let Some(raw) = raw {
            each(raw, table, out);
        }
    }
}

/// Deserialises one table, reporting serde's error with its location.
pub(super) fn typed<T: for<'de> Deserialize<'de>>(
    cx: &Cx<'_>,
    value: Spanned<DeValue<'_>>,
    what: &str,
    out: &mut Vec<Event>,
) -> Option<T> {
    let whole = value.span();
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(t) => Some(t),
        Err(e) => {
            let span = e.span().unwrap_or(whole);
            let (msg, help) = improve_serde_message(e.message());
            let d = cx
                .diag(Severity::Error, span, format!("in {what}: {msg}"))
                .with_help(help);
            out.push(Event::Diag(d));
            None
        }
    }
}

/// `s` without its leading and trailing white space.
pub(super) fn trimmed(s: String) -> String {
    if !may_trim(&s) || s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// Whether `s` may start or end with white space: false when its first
/// and last bytes are printable ASCII other than space (all white space
/// is space, ASCII controls, or beyond ASCII).
pub(super) fn may_trim(s: &str) -> bool {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    !(printable(s.as_bytes().first()) && printable(s.as_bytes().last()))
}

/// The folded names of one entity seen so far, each with the span of its
/// last occurrence: its name, then the aliases that fold differently.
/// Most entities have no alias, and then nothing is allocated here.
pub(super) struct Seen {
    pub(super) name: (String, Range<usize>),
    pub(super) aliases: Vec<(String, Range<usize>)>,
    /// Where each alias is in `aliases`, once there are many.
    pub(super) index: HashMap<String, usize>,
}

impl Seen {
    /// Beyond this many aliases, finding one uses the index.
    const SCAN: usize = 16;

    pub(super) fn new(name: String, span: Range<usize>) -> Seen {
        Seen { name: (name, span), aliases: Vec::new(), index: HashMap::new() }
    }

    /// The name or alias folded as `folded`.
    pub(super) fn find(
        &mut self,
        folded: &str,
    ) -> Option<&mut (String, Range<usize>)> {
        if self.name.0 == folded {
            return Some(&mut self.name);
        }
        let i = if self.aliases.len() <= Seen::SCAN {
            self.aliases.iter().position(|(f, _)| f == folded)
        } else {
            self.index.get(folded).copied()
        }?;
        Some(&mut self.aliases[i])
    }

    pub(super) fn insert(&mut self, folded: String, span: Range<usize>) {
        if let Some(seen) = self.find(&folded) {
            seen.1 = span;
            return;
        }
        self.aliases.push((folded, span));
        let n = self.aliases.len();
        if n == Seen::SCAN + 1 {
            let names = self.aliases.iter().map(|(f, _)| f.clone());
            self.index = names.zip(0..).collect();
        } else if n > Seen::SCAN + 1 {
            self.index.insert(self.aliases[n - 1].0.clone(), n - 1);
        }
    }
}

/// Checks one entity on its own.
pub(super) fn entity(
    cx: &Cx<'_>,
    raw: RawEntity,
    table: Range<usize>,
    defaults: &Defaults,
) -> EntityDraft {
    let mut diags = Vec::new();
    let mut ok = true;
    let id_span = raw.id.span();
    let id = trimmed(raw.id.into_inner());
    if id.is_empty() {
        let msg = "entity id is empty".to_string();
        diags.push(cx.diag(Severity::Error, id_span.clone(), msg));
        ok = false;
    }
    let kind = match (raw.kind, &defaults.kind) {
        (Some(k), _) if k.get_ref().trim().is_empty() => {
            let msg = format!("entity `{id}`: type is empty");
            diags.push(cx.diag(Severity::Error, k.span(), msg));
            ok = false;
            String::new()
        }
        (Some(k), _) => trimmed(k.into_inner()),
        (None, Some(d)) => d.clone(),
        (None, None) => {
            let msg = format!(
                "entity `{id}` has no `type` and the file's [domain] sets none"
            );
            diags.push(cx.diag(Severity::Error, table.clone(), msg));
            ok = false;
            String::new()
        }
    };
    let case = raw.case.unwrap_or(defaults.case);
    ok &= check_term(cx, &mut diags, &raw.name, "entity name");
    let name_span = raw.name.span();
    let name = raw.name.into_inner();
    let mut seen = Seen::new(fold_str(&name, true), cx.span(name_span));
    // Every other form is checked like an alias, against every form
    // before it: a demonym that repeats an alias is one name.
    let lists = [
        (raw.aliases, "alias"),
        (raw.acronyms, "acronym"),
        (raw.former_names, "former name"),
        (raw.demonyms, "demonym"),
    ];
    let mut forms: [Vec<String>; 4] = Default::default();
    for (k, (list, what)) in lists.into_iter().enumerate() {
        forms[k].reserve_exact(list.len());
        for a in list {
            if !check_term(cx, &mut diags, &a, what) {
                ok = false;
                continue;
            }
            let span = a.span();
            let a = a.into_inner();
            let folded = fold_str(&a, true);
            if seen.find(&folded).is_some() {
                let msg = format!(
                    "entity `{id}`: {what} `{a}` repeats a name it already has"
                );
                diags.push(cx.diag(Severity::Warning, span.clone(), msg));
                // Repeats differing only in case still matter for the case
                // rule, so keep them.
                if a == name || forms.iter().any(|f| f.contains(&a)) {
                    continue;
                }
            }
            seen.insert(folded, cx.span(span));
            forms[k].push(a);
        }
    }
    let [aliases, acronyms, former_names, demonyms] = forms;
    let before_names = diags.len();
    let mut refs = Vec::new();
    let mut context = Vec::new();
    let mut context_ok = true;
    let own: Vec<String> = if raw.context.is_empty() {
        Vec::new()
    } else {
        std::iter::once(&name)
            .chain(aliases.iter().chain(&acronyms))
            .chain(former_names.iter().chain(&demonyms))
            .map(|n| fold_str(n, true))
            .collect()
    };
    for rule in &raw.context {
        let r = context_rule(cx, &mut diags, &mut refs, &id, &own, rule);
        match r {
            Some(r) => context.push(r),
            None => context_ok = false,
        }
    }
    EntityDraft {
        entity: Entity {
            id,
            name,
            kind,
            domain: defaults.domain.clone(),
            aliases,
            acronyms,
            former_names,
            demonyms,
            case,
            attributes: raw.attributes,
            context,
            location: cx.loc(table.start),
        },
        id_pos: cx.pos(id_span.start),
        id_span: cx.span(id_span),
        name_folded: seen.name,
        aliases_folded: seen.aliases,
        diags,
        before_names,
        refs,
        ok,
        context_ok,
    }
}

/// Checks one `[[entity.context]]` rule; `own` holds the entity's forms,
/// folded.
pub(super) fn context_rule(
    cx: &Cx<'_>,
    diags: &mut Vec<Diagnostic>,
    refs: &mut Vec<Ref>,
    id: &str,
    own: &[String],
    rule: &Spanned<RawContext>,
) -> Option<ContextRule> {
    let raw = rule.get_ref();
    let mut ok = true;
    for n in &raw.names {
        if !own.contains(&fold_str(n.get_ref(), true)) {
            let msg = format!(
                "context rule of `{id}` names `{}`, which is not a name of `{id}`",
                n.get_ref()
            );
            diags.push(cx.diag(Severity::Error, n.span(), msg));
            ok = false;
        }
    }
    for w in raw.require_words.iter().chain(&raw.exclude_words) {
        ok &= check_term(cx, diags, w, "context word");
    }
    for e in raw.require_entities.iter().chain(&raw.exclude_entities) {
        refs.push((
            e.get_ref().clone(),
            cx.loc(e.span().start),
            cx.span(e.span()),
            "context rule",
        ));
    }
    let empty = raw.require_words.is_empty()
        && raw.require_entities.is_empty()
        && raw.exclude_words.is_empty()
        && raw.exclude_entities.is_empty()
        && !raw.not_before_capitalized;
    if empty {
        let msg = format!("context rule of `{id}` sets no condition");
        diags.push(cx.diag(Severity::Error, rule.span(), msg));
        ok = false;
    }
    let strings = |v: &[Spanned<String>]| -> Vec<String> {
        v.iter().map(|s| s.get_ref().clone()).collect()
    };
    ok.then(|| ContextRule {
        names: strings(&raw.names),
        require_words: strings(&raw.require_words),
        require_entities: strings(&raw.require_entities),
        exclude_words: strings(&raw.exclude_words),
        exclude_entities: strings(&raw.exclude_entities),
        window: raw.window,
        not_before_capitalized: raw.not_before_capitalized,
    })
}

/// Checks a name, alias or keyword: not empty, has a letter or digit,
/// not absurdly long.
pub(super) fn check_term(
    cx: &Cx<'_>,
    diags: &mut Vec<Diagnostic>,
    term: &Spanned<String>,
    what: &str,
) -> bool {
    let s = term.get_ref();
    let span = term.span();
    // Characters are counted only when the bytes are over the limit.
    let n = if s.len() > MAX_ALIAS_CHARS { s.chars().count() } else { 0 };
    let msg = if may_trim(s) && s.trim().is_empty() {
        format!("{what} is empty")
    } else if n > MAX_ALIAS_CHARS {
        format!(
            "{what} is {n} characters long; the limit is {MAX_ALIAS_CHARS}"
        )
    } else if !s.chars().any(is_word_char) {
        format!("{what} `{s}` has no letter or digit")
    } else {
        return true;
    };
    diags.push(cx.diag(Severity::Error, span, msg));
    false
}

/// Checks one topic on its own.
pub(super) fn topic(
    cx: &Cx<'_>,
    raw: RawTopic,
    table: Range<usize>,
    domain: &str,
) -> TopicDraft {
    let mut diags = Vec::new();
    let mut refs = Vec::new();
    let mut ok = true;
    let id_span = raw.id.span();
    let id = trimmed(raw.id.into_inner());
    if id.is_empty() {
        let msg = "topic id is empty".to_string();
        diags.push(cx.diag(Severity::Error, id_span.clone(), msg));
        ok = false;
    }
    if raw.name.get_ref().trim().is_empty() {
        let msg = format!("topic `{id}`: name is empty");
        diags.push(cx.diag(Severity::Error, raw.name.span(), msg));
        ok = false;
    }
    let mut keywords = Vec::new();
    let mut seen = HashMap::new();
    for k in &raw.keywords {
        let (term, weight, ambiguous) = match k.get_ref() {
            RawKeyword::Plain(t) => (t.clone(), 1.0, false),
            RawKeyword::Weighted { term, weight, ambiguous } => {
                (term.clone(), *weight, *ambiguous)
            }
        };
        let spanned = Spanned::new(k.span(), term.clone());
        if !check_term(cx, &mut diags, &spanned, "keyword") {
            ok = false;
            continue;
        }
        if !(weight.is_finite() && weight > 0.0) {
            let msg = format!(
                "keyword `{term}`: weight must be a positive number, not {weight}"
            );
            diags.push(cx.diag(Severity::Error, k.span(), msg));
            ok = false;
            continue;
        }
        if seen.insert(fold_str(&term, false), ()).is_some() {
            let msg =
                format!("topic `{id}`: keyword `{term}` is listed twice");
            diags.push(cx.diag(Severity::Warning, k.span(), msg));
            continue;
        }
        keywords.push(Keyword { term, weight, ambiguous });
    }
    let mut entities = Vec::new();
    for e in &raw.entities {
        let (eid, weight) = match e.get_ref() {
            RawEvidence::Plain(t) => (t.clone(), 1.0),
            RawEvidence::Weighted { id, weight } => (id.clone(), *weight),
        };
        if !(weight.is_finite() && weight > 0.0) {
            let msg = format!(
                "evidence `{eid}`: weight must be a positive number, not {weight}"
            );
            diags.push(cx.diag(Severity::Error, e.span(), msg));
            ok = false;
            continue;
        }
        refs.push((
            eid.clone(),
            cx.loc(e.span().start),
            cx.span(e.span()),
            "topic evidence",
        ));
        entities.push((eid, weight));
    }
    if keywords.is_empty() && entities.is_empty() {
        let msg = format!("topic `{id}` has no keywords and no entities");
        diags.push(cx.diag(Severity::Error, table.clone(), msg));
        ok = false;
    } else if keywords.is_empty() {
        let msg = format!("topic `{id}` has no keywords");
        diags.push(cx.diag(Severity::Warning, table.clone(), msg));
    }
    let threshold = match raw.threshold {
        Some(t) if !(t.get_ref().is_finite() && *t.get_ref() >= 0.0) => {
            let msg =
                format!("threshold must be zero or more, not {}", t.get_ref());
            diags.push(cx.diag(Severity::Error, t.span(), msg));
            ok = false;
            0.0
        }
        Some(t) => *t.get_ref(),
        None => DEFAULT_THRESHOLD,
    };
    let min_evidence =
        raw.min_evidence.map_or(DEFAULT_MIN_EVIDENCE, |m| *m.get_ref());
    let mut parent_ref = None;
    let parent = match raw.parent {
        Some(p) => {
            let name = trimmed(p.get_ref().clone());
            if name == id {
                let msg = format!("topic `{id}` names itself as its parent");
                diags.push(cx.diag(Severity::Error, p.span(), msg));
                ok = false;
                None
            } else {
                parent_ref = Some((
                    name.clone(),
                    cx.loc(p.span().start),
                    cx.span(p.span()),
                ));
                Some(name)
            }
        }
        None => None,
    };
    TopicDraft {
        topic: Topic {
            id,
            name: raw.name.into_inner(),
            domain: domain.to_string(),
            keywords,
            entities,
            threshold,
            min_evidence,
            parent,
            attributes: raw.attributes,
            location: cx.loc(table.start),
        },
        id_pos: cx.pos(id_span.start),
        id_span: cx.span(id_span),
        diags,
        refs,
        parent_ref,
        ok,
    }
}
