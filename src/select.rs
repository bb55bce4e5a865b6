//! Selection: raw matches become candidates (word boundaries, case rules),
//! candidates are filtered (context rules, names inside longer names), and
//! the leftmost-longest ones become mentions; partial person names are
//! resolved against full names as they are selected.

use std::cmp::Reverse;
use std::ops::Range;

use crate::compile::{CompiledRule, Tagger, Target};
use crate::names;
use crate::normalize::{Normalized, is_invisible, is_word_char};
use crate::record::{DropReason, Mention, Via};
use crate::search::Starts;

/// A match that passed the boundary and case rules.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cand {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) entry: u32,
    /// Still eligible after context rules and the longer-name check.
    pub(crate) keep: bool,
    /// A place name inside a longer capitalised name.
    pub(crate) inside_name: bool,
}

/// A candidate entity of a shared span, in preference order: evidence,
/// how it matched, case strictness, id; then its index and whether it is
/// inside a longer name.
type Choice<'a> = (Reverse<u32>, Via, u8, &'a str, usize, bool);

/// Whether context rule `rule` holds for a match at `start..end`.
pub(crate) fn rule_holds(
    text: &str,
    rule: &CompiledRule,
    start: usize,
    end: usize,
    word_hits: &[(u32, usize)],
    entity_hits: &[(u32, usize)],
) -> bool {
    if rule.not_before_capitalized && names::next_word_capitalized(text, end) {
        return false;
    }
    let near = |pos: usize| -> bool {
        let Some(w) = rule.window else { return true };
        let (a, b) =
            if pos < start { (pos, start) } else { (end, pos.max(end)) };
        // Cheap byte test first: a character is at most four bytes.
        if b - a > w * 4 {
            return false;
        }
        text[a..b].chars().count() <= w
    };
    let any_word = |ids: &[u32]| {
        word_hits.iter().any(|(w, p)| ids.contains(w) && near(*p))
    };
    let any_entity = |ids: &[u32]| {
        entity_hits.iter().any(|(e, p)| {
            ids.contains(e) && (*p < start || *p >= end) && near(*p)
        })
    };
    if any_word(&rule.exclude_words) || any_entity(&rule.exclude_entities) {
        return false;
    }
    let requires =
        !rule.require_words.is_empty() || !rule.require_entities.is_empty();
    !requires
        || any_word(&rule.require_words)
        || any_entity(&rule.require_entities)
}

/// Whether the characters just before `start` and just at `end` are not
/// word characters (letters or digits in any script). Invisible characters
/// (a soft hyphen) are looked through, as folding drops them.
#[inline]
pub(crate) fn on_word_boundaries(
    text: &str,
    start: usize,
    end: usize,
) -> bool {
    let before = text[..start].chars().rev().find(|&c| !is_invisible(c));
    let after = text[end..].chars().find(|&c| !is_invisible(c));
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// Searches the folded text from the positions in `starts` and pushes
/// every match that passes the boundary and case rules onto `cands`.
pub(crate) fn candidates(
    t: &Tagger,
    text: &str,
    norm: &Normalized,
    starts: Range<usize>,
    which: Starts,
    cands: &mut Vec<Cand>,
    drop: &mut impl FnMut(usize, usize, usize, DropReason),
) {
    let explaining = which == Starts::Everywhere;
    let hay = norm.as_bytes();
    t.searcher.for_each(hay, starts, which, &mut |p, s, e| {
        let p = p as usize;
        let range = t.entry_starts[p]..t.entry_starts[p + 1];
        let (Some(start), Some(end)) =
            (norm.to_original(s), norm.to_original(e))
        else {
            return;
        };
        if !on_word_boundaries(text, start, end) {
            if explaining {
                for ei in range {
                    if let Some(e) = t.entity_of(ei) {
                        drop(start, end, e, DropReason::Boundary);
                    }
                }
            }
            return;
        }
        let span = &text[start..end];
        for ei in range {
            if t.entries[ei as usize].rule.accepts(span) {
                cands.push(Cand {
                    start,
                    end,
                    entry: ei,
                    keep: true,
                    inside_name: false,
                });
            } else if let Some(e) = t.entity_of(ei) {
                drop(start, end, e, DropReason::Case);
            }
        }
    });
}

/// Applies context rules and the longer-name check to entity
/// candidates, clearing `keep` (or setting `inside_name`).
pub(crate) fn check_candidates(
    t: &Tagger,
    text: &str,
    cands: &mut [Cand],
    drop: &mut impl FnMut(usize, usize, usize, DropReason),
) {
    let needs_rules =
        cands.iter().any(|c| !t.entries[c.entry as usize].rules.is_empty());
    let needs_places =
        cands.iter().any(|c| match t.entries[c.entry as usize].target {
            Target::Entity(n) => t.is_place[n as usize],
            _ => false,
        });
    if !needs_rules && !needs_places {
        return;
    }
    // Where entity candidates start and end, for the longer-name check.
    let mut ends: Vec<usize> = Vec::new();
    if needs_places {
        ends = cands
            .iter()
            .filter(|c| t.entity_of(c.entry).is_some())
            .map(|c| c.end)
            .collect();
        ends.sort_unstable();
    }
    let starts: Vec<usize> = if needs_places {
        let mut s: Vec<usize> = cands
            .iter()
            .filter(|c| t.entity_of(c.entry).is_some())
            .map(|c| c.start)
            .collect();
        s.dedup();
        s
    } else {
        Vec::new()
    };
    // Where people's names (in full or in part) start.
    let mut person_starts: Vec<usize> = Vec::new();
    if needs_places {
        person_starts = cands
            .iter()
            .filter(|c| match t.entries[c.entry as usize].target {
                Target::Partial(_) => true,
                Target::Entity(n) => t.is_person[n as usize],
                _ => false,
            })
            .map(|c| c.start)
            .collect();
        person_starts.dedup();
    }
    // Context facts: (word or entity, position).
    let mut word_hits: Vec<(u32, usize)> = Vec::new();
    let mut entity_hits: Vec<(u32, usize)> = Vec::new();
    if needs_rules {
        for c in cands.iter() {
            match t.entries[c.entry as usize].target {
                Target::Word(w) => word_hits.push((w, c.start)),
                Target::Entity(n) => entity_hits.push((n, c.start)),
                _ => {}
            }
        }
    }
    for cand in cands.iter_mut() {
        let c = *cand;
        let entry = &t.entries[c.entry as usize];
        let Target::Entity(n) = entry.target else { continue };
        let n = n as usize;
        for &r in entry.rules.iter() {
            let rule = &t.rules[r as usize];
            if !rule_holds(
                text,
                rule,
                c.start,
                c.end,
                &word_hits,
                &entity_hits,
            ) {
                cand.keep = false;
                drop(c.start, c.end, n, DropReason::Context);
                break;
            }
        }
        if cand.keep && t.is_place[n] {
            let neighbours = names::Neighbours {
                known_start: |p| starts.binary_search(&p).is_ok(),
                known_end: |p| ends.binary_search(&p).is_ok(),
                person_start: |p| person_starts.binary_search(&p).is_ok(),
                demonym: entry.via == Via::Demonym,
            };
            let inside =
                names::inside_longer_name(text, c.start, c.end, &neighbours);
            if let Some(reason) = inside {
                if t.opts.keep_inside_names {
                    cand.inside_name = true;
                } else {
                    cand.keep = false;
                    drop(c.start, c.end, n, reason);
                }
            }
        }
    }
}

/// Selects mentions (leftmost-longest, resolving partial names) and
/// topic keyword hits from sorted candidates.
pub(crate) fn select(
    t: &Tagger,
    text: &str,
    cands: &[Cand],
    drop: &mut impl FnMut(usize, usize, usize, DropReason),
) -> (Vec<Mention>, Vec<(u32, u32)>) {
    // People named in full, with where they are first named.
    let mut first_full: Vec<(u32, usize)> = Vec::new();
    if t.has_partials {
        for c in cands {
            if let Target::Entity(n) = t.entries[c.entry as usize].target
                && c.keep
                && t.is_person[n as usize]
            {
                first_full.push((n, c.start));
            }
        }
        first_full.sort_unstable();
        first_full.dedup_by_key(|f| f.0);
    }
    // Distinct entities with candidates: evidence for shared aliases.
    let mut present: Option<Vec<u32>> = None;

    let mut mentions = Vec::new();
    let mut keyword_hits: Vec<(u32, u32)> = Vec::new();
    let mut entity_end = 0;
    let mut keyword_end = 0;
    // Selected names that a place may be nested in, and where the last
    // nested place ends (`--keep-inside-names`).
    let mut outers: Vec<(usize, usize)> = Vec::new();
    let mut inner_end = 0;
    let mut i = 0;
    while i < cands.len() {
        let (start, end) = (cands[i].start, cands[i].end);
        let mut j = i;
        while j < cands.len() && cands[j].start == start && cands[j].end == end
        {
            j += 1;
        }
        let group = &cands[i..j];
        i = j;
        let has_entity = group.iter().any(|c| {
            c.keep
                && matches!(
                    t.entries[c.entry as usize].target,
                    Target::Entity(_)
                )
        });
        if has_entity {
            // `--keep-inside-names`: the longer known name this span is
            // nested in, if any.
            let outer = if t.opts.keep_inside_names {
                outer_name(&mut outers, start, end)
            } else {
                None
            };
            if overlapping_ok(t, start, entity_end) {
                let present =
                    present.get_or_insert_with(|| present_entities(t, cands));
                let mut m = pick_entity(t, group, start, end, present);
                if outer.is_some() && t.is_place[m.entity] {
                    m.inside_name = true;
                    m.enclosing = outer;
                } else if m.inside_name {
                    m.enclosing = Some(names::name_run(text, start, end))
                        .filter(|&span| span != (start, end));
                }
                entity_end = entity_end.max(end);
                if t.opts.keep_inside_names && can_enclose(t, m.entity) {
                    outers.push((start, end));
                }
                mentions.push(m);
            } else if let Some(span) = outer
                && start >= inner_end
                && let Some(m) =
                    nested_place(t, group, start, end, span, || {
                        present
                            .get_or_insert_with(|| present_entities(t, cands))
                    })
            {
                inner_end = end;
                for c in group.iter().filter(|c| c.keep) {
                    if let Target::Entity(n) =
                        t.entries[c.entry as usize].target
                        && !t.is_place[n as usize]
                    {
                        drop(start, end, n as usize, DropReason::Overlap);
                    }
                }
                mentions.push(m);
            } else {
                for c in group.iter().filter(|c| c.keep) {
                    if let Target::Entity(n) =
                        t.entries[c.entry as usize].target
                    {
                        drop(start, end, n as usize, DropReason::Overlap);
                    }
                }
            }
        } else if let Some(m) = resolve_partial(
            t,
            text,
            group,
            start,
            end,
            entity_end,
            &first_full,
            drop,
        ) {
            entity_end = entity_end.max(m.end);
            mentions.push(m);
        }
        if start >= keyword_end {
            let before = keyword_hits.len();
            for c in group {
                if let Target::Keyword { topic, keyword } =
                    t.entries[c.entry as usize].target
                {
                    keyword_hits.push((topic, keyword));
                }
            }
            if keyword_hits.len() > before {
                keyword_end = end;
            }
        }
    }
    (mentions, keyword_hits)
}

/// Whether a mention of entity `n` is a name that places may be nested
/// in with `--keep-inside-names`: anything but a place (`Mexico` in `New
/// Mexico`, `Congo` in `Democratic Republic of the Congo` name other
/// places) or a person (`Jordan` in `Jordan Henderson`).
fn can_enclose(t: &Tagger, n: usize) -> bool {
    !t.is_place[n] && !t.is_person[n]
}

/// The first selected name in `outers` that strictly contains
/// `start..end`; names that end before `start` are forgotten.
fn outer_name(
    outers: &mut Vec<(usize, usize)>,
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    outers.retain(|&(_, e)| e > start);
    outers
        .iter()
        .copied()
        .find(|&(s, e)| s <= start && end <= e && e - s > end - start)
}

/// The place among a group's kept candidates, as a mention nested in the
/// known name at `outer` (`United States` in `United States Navy`).
fn nested_place<'p>(
    t: &Tagger,
    group: &[Cand],
    start: usize,
    end: usize,
    outer: (usize, usize),
    present: impl FnOnce() -> &'p mut Vec<u32>,
) -> Option<Mention> {
    let places: Vec<Cand> = group
        .iter()
        .filter(|c| {
            c.keep
                && matches!(t.entries[c.entry as usize].target,
                    Target::Entity(n) if t.is_place[n as usize])
        })
        .copied()
        .collect();
    if places.is_empty() {
        return None;
    }
    let mut m = pick_entity(t, &places, start, end, present());
    m.inside_name = true;
    m.enclosing = Some(outer);
    Some(m)
}

#[inline]
pub(crate) fn overlapping_ok(
    t: &Tagger,
    start: usize,
    entity_end: usize,
) -> bool {
    t.opts.overlapping || start >= entity_end
}

/// Sorted distinct entities that have a kept candidate.
pub(crate) fn present_entities(t: &Tagger, cands: &[Cand]) -> Vec<u32> {
    let mut v: Vec<u32> = cands
        .iter()
        .filter(|c| c.keep)
        .filter_map(|c| match t.entries[c.entry as usize].target {
            Target::Entity(n) => Some(n),
            _ => None,
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Evidence for entity `n` in a document: other entities present of the
/// same country (2 points each) or the same domain (1 point each).
pub(crate) fn evidence(t: &Tagger, n: usize, present: &[u32]) -> u32 {
    let group = t.country_group[n];
    let domain = t.domain_group[n];
    let mut score = 0;
    for &p in present {
        let p = p as usize;
        if p == n {
            continue;
        }
        if group.is_some() && t.country_group[p] == group {
            score += 2;
        }
        if t.domain_group[p] == domain {
            score += 1;
        }
    }
    score
}

/// Chooses among the entities that share one span: the most evidence in
/// the document, then the canonical name over an alias, then the
/// stricter case rule, then the smallest id. Never depends on load
/// order.
pub(crate) fn pick_entity(
    t: &Tagger,
    group: &[Cand],
    start: usize,
    end: usize,
    present: &[u32],
) -> Mention {
    let mut found: Vec<Choice<'_>> = group
        .iter()
        .filter(|c| c.keep)
        .filter_map(|c| {
            let e = &t.entries[c.entry as usize];
            match e.target {
                Target::Entity(n) => Some((e, n as usize, c.inside_name)),
                _ => None,
            }
        })
        .map(|(e, n, inside)| {
            (
                Reverse(0),
                e.via,
                e.rule.strictness(),
                t.entities[n].id.as_str(),
                n,
                inside,
            )
        })
        .collect();
    let distinct = found.iter().any(|f| f.4 != found[0].4);
    if distinct {
        for f in found.iter_mut() {
            f.0 = Reverse(evidence(t, f.4, present));
        }
    }
    found.sort_unstable();
    let (_, via, _, _, entity, inside_name) = found[0];
    let mut alternatives: Vec<(&str, usize)> = found[1..]
        .iter()
        .filter(|f| f.4 != entity)
        .map(|f| (f.3, f.4))
        .collect();
    alternatives.sort_unstable();
    alternatives.dedup();
    Mention {
        start,
        end,
        char_start: 0,
        char_end: 0,
        entity,
        alternatives: alternatives.into_iter().map(|a| a.1).collect(),
        via,
        inside_name,
        enclosing: None,
        enclosing_chars: None,
    }
}

/// Resolves a partial person name to the one person named in full
/// earlier in the document; a title before it (`Ambassador Khan`) joins
/// the mention and, when several people share the name, picks the one
/// whose `role` names that title.
#[allow(clippy::too_many_arguments)]
pub(crate) fn resolve_partial(
    t: &Tagger,
    text: &str,
    group: &[Cand],
    start: usize,
    end: usize,
    entity_end: usize,
    first_full: &[(u32, usize)],
    drop: &mut impl FnMut(usize, usize, usize, DropReason),
) -> Option<Mention> {
    let people: Vec<u32> = group
        .iter()
        .filter_map(|c| match t.entries[c.entry as usize].target {
            Target::Partial(n) => Some(n),
            _ => None,
        })
        .collect();
    if people.is_empty() {
        return None;
    }
    if !overlapping_ok(t, start, entity_end) {
        for &n in &people {
            drop(start, end, n as usize, DropReason::Overlap);
        }
        return None;
    }
    // People sharing this name who are named in full in the document.
    let named: Vec<(u32, usize)> = people
        .iter()
        .filter_map(|n| {
            first_full
                .binary_search_by_key(n, |f| f.0)
                .ok()
                .map(|i| first_full[i])
        })
        .collect();
    let title =
        names::title_before(text, start).filter(|(s, _)| *s >= entity_end);
    let chosen = match named.as_slice() {
        [] => None,
        [one] => Some(*one),
        several => title.and_then(|(_, word)| {
            let word = word.trim_end_matches('.').to_lowercase();
            let fits: Vec<&(u32, usize)> = several
                .iter()
                .filter(|(n, _)| {
                    t.entities[*n as usize]
                        .attributes
                        .get("role")
                        .is_some_and(|r| r.to_lowercase().contains(&word))
                })
                .collect();
            (fits.len() == 1).then(|| *fits[0])
        }),
    };
    match chosen {
        Some((n, first)) if first < start => Some(Mention {
            start: title.map_or(start, |(s, _)| s),
            end,
            char_start: 0,
            char_end: 0,
            entity: n as usize,
            alternatives: Vec::new(),
            via: Via::Partial,
            inside_name: false,
            enclosing: None,
            enclosing_chars: None,
        }),
        _ => {
            let reason = if named.len() > 1 {
                DropReason::Ambiguous
            } else {
                DropReason::Unresolved
            };
            for &n in &people {
                drop(start, end, n as usize, reason);
            }
            None
        }
    }
}
