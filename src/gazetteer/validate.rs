//! Checks across files (duplicate ids, shared names, evidence that names
//! unknown entities) and the wording of diagnostics.

use super::*;

/// A set of ids, each with where it was first defined; an id is known by
/// its number, in order of definition.
#[derive(Default)]
pub(super) struct Ids {
    pub(super) list: Vec<(String, Pos)>,
    /// The hash and number of each id: growing the table does not read
    /// the ids again.
    pub(super) table: HashTable<(u64, u32)>,
    pub(super) hasher: DefaultHashBuilder,
}

impl Ids {
    pub(super) fn find(&self, id: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(id);
        let same =
            |&(h, i): &(u64, u32)| h == hash && self.list[i as usize].0 == id;
        self.table.find(hash, same).map(|&(_, i)| i)
    }

    /// Adds an id not in the set.
    pub(super) fn insert(&mut self, id: String, pos: Pos) -> u32 {
        let n = file_number(self.list.len());
        let hash = self.hasher.hash_one(id.as_str());
        self.table.insert_unique(hash, (hash, n), |&(h, _)| h);
        self.list.push((id, pos));
        n
    }

    pub(super) fn reserve(&mut self, more: usize) {
        self.table.reserve(more, |&(h, _)| h);
        self.list.reserve(more);
    }

    /// Forgets the ids numbered `n` and above.
    pub(super) fn truncate(&mut self, n: usize) {
        self.table.retain(|&mut (_, i)| (i as usize) < n);
        self.list.truncate(n);
    }

    pub(super) fn get(&self, n: u32) -> &(String, Pos) {
        &self.list[n as usize]
    }

    pub(super) fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(id, _)| id.as_str())
    }
}

/// The first owner of each folded name: an entity id number, and where
/// the name is.
#[derive(Default)]
pub(super) struct Owners {
    /// Each name with its hash, so that growing the table does not read
    /// the names again.
    pub(super) table: HashTable<(u64, String, u32, Pos)>,
    pub(super) hasher: DefaultHashBuilder,
}

impl Owners {
    fn hash(&self, name: &str) -> u64 {
        self.hasher.hash_one(name)
    }

    /// The first owner of `name`, whose hash is `hash`.
    pub(super) fn get(&self, hash: u64, name: &str) -> Option<(u32, Pos)> {
        let same = |e: &(u64, String, u32, Pos)| e.0 == hash && e.1 == name;
        self.table.find(hash, same).map(|&(_, _, owner, pos)| (owner, pos))
    }

    /// Makes `owner` the first owner of `name`, which has none.
    pub(super) fn insert(
        &mut self,
        hash: u64,
        name: String,
        owner: u32,
        pos: Pos,
    ) {
        self.table.insert_unique(hash, (hash, name, owner, pos), |e| e.0);
    }

    pub(super) fn reserve(&mut self, more: usize) {
        self.table.reserve(more, |e| e.0);
    }

    /// Forgets the names of entity ids numbered `n` and above.
    pub(super) fn truncate(&mut self, n: u32) {
        self.table.retain(|e| e.2 < n);
    }
}

/// Checks entries against each other, in load order.
pub(super) struct Validator<'a> {
    /// The name of each source, and its text once it is being read (empty
    /// when not UTF-8).
    pub(super) texts: Vec<(&'a str, &'a str)>,
    /// Line starts of each source, made when first needed.
    pub(super) lines: Vec<OnceCell<Lines>>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) entities: Vec<Entity>,
    pub(super) topics: Vec<Topic>,
    pub(super) files: Vec<FileSummary>,
    pub(super) entity_ids: Ids,
    pub(super) topic_ids: Ids,
    /// Topic evidence and context rule ids to resolve once every file is
    /// read.
    pub(super) evidence_refs: Vec<Ref>,
    /// Where each topic with a parent names it: (index in `topics`, where,
    /// span), checked once every file is read.
    pub(super) parent_refs: Vec<(usize, Location, Range<usize>)>,
    /// Folded name -> (entity id, where) of its first owner.
    pub(super) alias_owner: Owners,
    /// See [`Pieces::bytes`].
    pub(super) piece_bytes: usize,
}

/// How much a [`Validator`] held, to go back to.
pub(super) struct Mark {
    pub(super) diags: usize,
    pub(super) entities: usize,
    pub(super) topics: usize,
    pub(super) entity_ids: usize,
    pub(super) topic_ids: usize,
    pub(super) evidence_refs: usize,
}

impl<'a> Validator<'a> {
    pub(super) fn new(
        paths: impl Iterator<Item = &'a str>,
        piece_bytes: usize,
    ) -> Validator<'a> {
        let texts: Vec<_> = paths.map(|p| (p, "")).collect();
        Validator {
            lines: texts.iter().map(|_| OnceCell::new()).collect(),
            texts,
            diags: Vec::new(),
            entities: Vec::new(),
            topics: Vec::new(),
            files: Vec::new(),
            entity_ids: Ids::default(),
            topic_ids: Ids::default(),
            evidence_refs: Vec::new(),
            parent_refs: Vec::new(),
            alias_owner: Owners::default(),
            piece_bytes,
        }
    }

    /// Whether file `file` is a built-in gazetteer.
    pub(super) fn is_builtin(&self, file: u32) -> bool {
        self.texts[file as usize].0.starts_with("<builtin>/")
    }

    pub(super) fn loc(&self, pos: Pos) -> Location {
        let (path, text) = self.texts[pos.file as usize];
        let lines =
            self.lines[pos.file as usize].get_or_init(|| Lines::new(text));
        let (line, col) = lines.line_col(text, pos.offset);
        Location { path: path.to_string(), line, col }
    }

    pub(super) fn mark(&self) -> Mark {
        Mark {
            diags: self.diags.len(),
            entities: self.entities.len(),
            topics: self.topics.len(),
            entity_ids: self.entity_ids.list.len(),
            topic_ids: self.topic_ids.list.len(),
            evidence_refs: self.evidence_refs.len(),
        }
    }

    /// Forgets everything taken in since `mark`.
    pub(super) fn rollback(&mut self, mark: Mark) {
        self.diags.truncate(mark.diags);
        self.entities.truncate(mark.entities);
        self.topics.truncate(mark.topics);
        self.evidence_refs.truncate(mark.evidence_refs);
        self.parent_refs.retain(|r| r.0 < mark.topics);
        self.entity_ids.truncate(mark.entity_ids);
        self.topic_ids.truncate(mark.topic_ids);
        // Names taken since belong to entity ids numbered from the mark.
        let ids = file_number(mark.entity_ids);
        self.alias_owner.truncate(ids);
    }

    /// Takes in files read as a whole, in order.
    pub(super) fn add_files(
        &mut self,
        read: &mut Vec<(u32, (&'a str, ReadFile))>,
    ) {
        for (file, (text, read)) in read.drain(..) {
            self.texts[file as usize].1 = text;
            let mut summary = read.summary;
            self.add_events(read.events, summary.as_mut());
            self.files.extend(summary);
        }
    }

    /// Takes in what reading (part of) a file found.
    pub(super) fn add_events(
        &mut self,
        events: Vec<Event>,
        mut summary: Option<&mut FileSummary>,
    ) {
        for event in events {
            match event {
                Event::Diag(d) => self.diags.push(d),
                Event::Entity(draft) => {
                    let summary = summary.as_deref_mut().expect("a read file");
                    self.add_entity(draft, summary);
                }
                Event::Topic(draft) => {
                    let summary = summary.as_deref_mut().expect("a read file");
                    self.add_topic(draft, summary);
                }
            }
        }
    }

    /// Reads and takes in a big file: in pieces when it can (see the top
    /// of this section), else whole.
    pub(super) fn read_big(
        &mut self,
        file: u32,
        path: &'a str,
        bytes: &'a [u8],
    ) {
        let read_whole = |v: &mut Validator<'a>| {
            let mut read = vec![(file, read_file(file, path, bytes))];
            v.add_files(&mut read);
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return read_whole(self);
        };
        let mark = self.mark();
        if !self.read_in_pieces(file, path, text) {
            self.rollback(mark);
            read_whole(self);
        }
    }

    /// Reads and takes in a file in pieces; `false` when it must be read
    /// whole instead, leaving what was taken in to roll back.
    pub(super) fn read_in_pieces(
        &mut self,
        file: u32,
        path: &'a str,
        text: &'a str,
    ) -> bool {
        let starts = piece_starts(text, self.piece_bytes);
        let Some(&(first, _)) = starts.first() else { return false };
        let cx = &Cx::new(path, file, &text[..first], 0, 0);
        let (table, errors) = DeTable::parse_recoverable(cx.text);
        let mut table = table.into_inner();
        if !errors.is_empty()
            || table.contains_key("entity")
            || table.contains_key("topic")
        {
            return false;
        }
        self.texts[file as usize].1 = text;
        let mut head = Vec::new();
        let defaults =
            read_domain(cx, table.remove("domain"), path, &mut head);
        // Other keys, reported where a reading of the whole document would
        // meet them: in key order, around `entity` and `topic`.
        let (mut middle, mut tail) = (Vec::new(), Vec::new());
        for (key, _) in table {
            let name: &str = key.get_ref();
            let out = match name {
                n if n < "entity" => &mut head,
                n if n < "topic" => &mut middle,
                _ => &mut tail,
            };
            out.push(Event::Diag(unknown_key(cx, &key, name)));
        }
        let mut summary = summary(path, &defaults.domain);
        self.add_events(head, Some(&mut summary));
        // Room for the entities to come (and as many names), so that the
        // tables are not grown again and again.
        let headers =
            memchr::memmem::find_iter(text.as_bytes(), "\n[[entity]]").count();
        self.entities.reserve(headers);
        self.entity_ids.reserve(headers);
        self.alias_owner.reserve(headers);
        // Entities are taken in while the next pieces are read; topics
        // wait for the last entity.
        let read_round = |round: Range<usize>| -> Option<Vec<_>> {
            round
                .into_par_iter()
                .map(|i| {
                    let (start, lines_before) = starts[i];
                    let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
                    let piece = &text[start..end];
                    let cx = Cx::new(path, file, piece, start, lines_before);
                    read_piece(&cx, &defaults)
                })
                .collect()
        };
        let per_round = PIECES_PER_ROUND * rayon::current_num_threads();
        let mut topics = Vec::new();
        let mut pending: Vec<(Vec<Event>, Vec<Event>)> = Vec::new();
        let mut at = 0;
        loop {
            let round = at..(at + per_round).min(starts.len());
            let last = round.is_empty();
            let ((), read) = rayon::join(
                || {
                    for (entities, t) in pending.drain(..) {
                        self.add_events(entities, Some(&mut summary));
                        topics.push(t);
                    }
                },
                || {
                    if last {
                        Some(Vec::new())
                    } else {
                        read_round(round.clone())
                    }
                },
            );
            let Some(read) = read else { return false };
            if last {
                break;
            }
            pending = read;
            at = round.end;
        }
        self.add_events(middle, Some(&mut summary));
        for t in topics {
            self.add_events(t, Some(&mut summary));
        }
        self.add_events(tail, Some(&mut summary));
        self.files.push(summary);
        true
    }

    pub(super) fn add_entity(
        &mut self,
        draft: EntityDraft,
        summary: &mut FileSummary,
    ) {
        let EntityDraft { entity, mut diags, mut ok, .. } = draft;
        let mut me = None;
        if !entity.id.is_empty() {
            match self.entity_ids.find(&entity.id) {
                Some(first) => {
                    let first = self.loc(self.entity_ids.get(first).1);
                    let msg = format!(
                        "duplicate entity id `{}` (first defined at {first})",
                        entity.id
                    );
                    let d = Diagnostic::error(self.loc(draft.id_pos), msg)
                        .with_span(draft.id_span);
                    self.diags.push(d);
                    ok = false;
                }
                None => {
                    let id = entity.id.clone();
                    me = Some(self.entity_ids.insert(id, draft.id_pos));
                }
            }
        }
        let after = diags.split_off(draft.before_names);
        self.diags.append(&mut diags);
        if ok && let Some(me) = me {
            // Shared names: warn, once per pair, naming the first owner.
            let file = draft.id_pos.file;
            let names = std::iter::once(draft.name_folded);
            for (folded, span) in names.chain(draft.aliases_folded) {
                let hash = self.alias_owner.hash(&folded);
                match self.alias_owner.get(hash, &folded) {
                    Some((owner, _)) if owner == me => {}
                    // The built-ins share a few names on purpose (`Georgia`
                    // the country and the US state): the matcher decides
                    // from the document and lists the other reading.
                    Some((_, first))
                        if self.is_builtin(first.file)
                            && self.is_builtin(file) => {}
                    Some((owner, first)) => {
                        let msg = format!(
                            "`{folded}` is a name of both `{}` ({}) and `{}`: the one with more evidence in the document wins, the other is listed in `alternatives`",
                            self.entity_ids.get(owner).0,
                            self.loc(first),
                            entity.id
                        );
                        let loc = self.loc(Pos { file, offset: span.start });
                        let d = Diagnostic::warning(loc, msg).with_span(span);
                        self.diags.push(d);
                    }
                    None => {
                        let pos = Pos { file, offset: span.start };
                        self.alias_owner.insert(hash, folded, me, pos);
                    }
                }
            }
        }
        self.diags.extend(after);
        self.evidence_refs.extend(draft.refs);
        if ok && draft.context_ok {
            summary.entities += 1;
            summary.names += entity.names().count();
            self.entities.push(entity);
        }
    }

    pub(super) fn add_topic(
        &mut self,
        draft: TopicDraft,
        summary: &mut FileSummary,
    ) {
        let TopicDraft { topic, mut ok, .. } = draft;
        if !topic.id.is_empty() {
            match self.topic_ids.find(&topic.id) {
                Some(first) => {
                    let first = self.loc(self.topic_ids.get(first).1);
                    let msg = format!(
                        "duplicate topic id `{}` (first defined at {first})",
                        topic.id
                    );
                    let d = Diagnostic::error(self.loc(draft.id_pos), msg)
                        .with_span(draft.id_span);
                    self.diags.push(d);
                    ok = false;
                }
                None => {
                    self.topic_ids.insert(topic.id.clone(), draft.id_pos);
                }
            }
        }
        self.diags.extend(draft.diags);
        self.evidence_refs.extend(draft.refs);
        if ok {
            if let Some((_, loc, span)) = draft.parent_ref {
                self.parent_refs.push((self.topics.len(), loc, span));
            }
            summary.topics += 1;
            self.topics.push(topic);
        }
    }

    /// Checks that need every file: topic evidence must name known
    /// entities, and a topic's parent a known topic, without a cycle.
    pub(super) fn cross_checks(&mut self) {
        let parents = std::mem::take(&mut self.parent_refs);
        for (n, loc, span) in parents {
            let topic = &self.topics[n];
            let Some(parent) = topic.parent.as_deref() else { continue };
            if self.topic_ids.find(parent).is_none() {
                let like = suggest(parent, self.topic_ids.names());
                let msg = format!(
                    "topic `{}`: parent names unknown topic id `{parent}`{}",
                    topic.id,
                    hint(like)
                );
                let d = Diagnostic::error(loc, msg)
                    .with_span(span)
                    .with_help(like.map(did_you_mean));
                self.diags.push(d);
                continue;
            }
            // Follow the chain; coming back to this topic is a cycle.
            let mut at = parent;
            for _ in 0..self.topics.len() {
                if at == topic.id {
                    let msg = format!(
                        "topic `{}`: its parents lead back to itself",
                        topic.id
                    );
                    let d = Diagnostic::error(loc.clone(), msg)
                        .with_span(span.clone());
                    self.diags.push(d);
                    break;
                }
                match self.topics.iter().find(|t| t.id == at) {
                    Some(t) => match t.parent.as_deref() {
                        Some(p) => at = p,
                        None => break,
                    },
                    None => break,
                }
            }
        }
        let refs = std::mem::take(&mut self.evidence_refs);
        for (id, loc, span, what) in refs {
            if self.entity_ids.find(&id).is_none() {
                let like = suggest(&id, self.entity_ids.names());
                let msg = format!(
                    "{what} names unknown entity id `{id}`{}",
                    hint(like)
                );
                let d = Diagnostic::error(loc, msg)
                    .with_span(span)
                    .with_help(like.map(did_you_mean));
                self.diags.push(d);
            }
        }
    }
}

/// Rewrites serde's messages where a plainer one helps, and adds a "did you
/// mean" hint to unknown fields; returns the message and the hint alone.
pub(super) fn improve_serde_message(msg: &str) -> (String, Option<String>) {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let like = suggest(field, candidates.iter().copied());
        let msg = format!(
            "unknown key `{field}`{} (expected one of: {})",
            hint(like),
            candidates.join(", ")
        );
        return (msg, like.map(did_you_mean));
    }
    if msg.starts_with(
        "data did not match any variant of untagged enum RawKeyword",
    ) {
        let msg = "a keyword must be a string or {term = \"...\", weight = N, ambiguous = true|false}";
        return (msg.into(), None);
    }
    if msg.starts_with(
        "data did not match any variant of untagged enum RawEvidence",
    ) {
        let msg = "an evidence entry must be an entity id or {id = \"...\", weight = N}";
        return (msg.into(), None);
    }
    (msg.to_string(), None)
}

/// The candidate closest to `word`, if one is close enough to be a likely
/// misspelling.
pub(super) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if d <= 2.max(word.len() / 4)
            && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc))
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// ``did you mean `x`?``
pub(super) fn did_you_mean(candidate: &str) -> String {
    format!("did you mean `{candidate}`?")
}

/// The hint as appended to a message: `` (did you mean `x`?)``, or
/// nothing.
pub(super) fn hint(candidate: Option<&str>) -> String {
    candidate.map_or(String::new(), |c| format!(" ({})", did_you_mean(c)))
}

/// Levenshtein distance, on characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
