//! Resolution after selection: acronyms defined in the text, towns named
//! after foreign places (`<town>, <state>`), and state bodies named after
//! another country. Each step reads and rewrites the selected mentions.

use std::cmp::Reverse;

use crate::compile::Tagger;
use crate::names;
use crate::record::{DropReason, Mention, Via};
use crate::select::on_word_boundaries;

/// The `<town>, <state>` rule (DESIGN.md, "Towns in states"): a state
/// or province written as a postal code or dateline abbreviation after
/// a comma becomes a mention (`Jordan, Minn.`); a place before a comma
/// and a state of another country is a town of that state, not the
/// place (`Jordan, Minnesota` is not Jordan); a country name after a
/// town of another country is read as the state of the same name
/// (`Athens, Georgia`), with the country as the alternative.
pub(crate) fn towns_in_states(
    t: &Tagger,
    text: &str,
    mentions: &mut Vec<Mention>,
    drop: &mut impl FnMut(usize, usize, usize, DropReason),
) {
    if !t.state_codes.is_empty() && text.contains(", ") {
        let mut added = Vec::new();
        for comma in memchr::memchr_iter(b',', text.as_bytes()) {
            let Some((start, end, n, postal)) =
                names::state_code_after(text, comma, |code| {
                    t.state_codes
                        .binary_search_by(|(c, _)| (**c).cmp(code))
                        .ok()
                        .map(|i| t.state_codes[i].1 as usize)
                })
            else {
                continue;
            };
            // A postal code needs a known place before the comma; a
            // dateline abbreviation (`Minn.`) a capitalised word.
            let place_before = mentions
                .iter()
                .any(|m| m.end == comma && t.is_place[m.entity]);
            if (postal && !place_before)
                || mentions.iter().any(|m| m.start < end && start < m.end)
            {
                continue;
            }
            added.push(Mention {
                start,
                end,
                char_start: 0,
                char_end: 0,
                entity: n,
                alternatives: Vec::new(),
                via: Via::Alias,
                inside_name: false,
                enclosing: None,
                enclosing_chars: None,
            });
        }
        if !added.is_empty() {
            mentions.extend(added);
            mentions.sort_by_key(|m| (m.start, Reverse(m.end)));
        }
    }
    let mut towns: Vec<usize> = Vec::new();
    for i in 1..mentions.len() {
        let (head, tail) = mentions.split_at_mut(i);
        let (town, state) = (&head[i - 1], &mut tail[0]);
        if !t.is_place[town.entity]
            || !names::comma_between(text, town.end, state.start)
            || names::list_goes_on(text, state.end)
        {
            continue;
        }
        let Some(group) = t.country_group[town.entity] else {
            continue;
        };
        // `Athens, Georgia`: the state of that name, not the country.
        if !t.is_subnational[state.entity]
            && t.entities[state.entity].kind == "country"
            && t.country_group[state.entity] != Some(group)
        {
            let subnational = |&&a: &&usize| t.is_subnational[a];
            let alt = state
                .alternatives
                .iter()
                .filter(subnational)
                .find(|&&a| t.country_group[a] == Some(group))
                .or_else(|| state.alternatives.iter().find(subnational))
                .copied();
            if let Some(alt) = alt {
                let was = std::mem::replace(&mut state.entity, alt);
                state.alternatives.retain(|&a| a != alt);
                state.alternatives.push(was);
                let entities = &t.entities;
                state.alternatives.sort_unstable_by(|&a, &b| {
                    entities[a].id.cmp(&entities[b].id)
                });
            }
        }
        if t.is_subnational[state.entity]
            && t.country_group[state.entity] != Some(group)
        {
            towns.push(i - 1);
            drop(town.start, town.end, town.entity, DropReason::TownInState);
        }
    }
    if !towns.is_empty() {
        let mut i = 0;
        mentions.retain(|_| {
            i += 1;
            towns.binary_search(&(i - 1)).is_err()
        });
    }
}

/// A state body whose name other countries use too (`Joint Chiefs of
/// Staff`, `Congress`) is not that body when another country is named
/// right before it, as a possessive or an adjective (`South Korea's
/// Joint Chiefs of Staff`, `the Indian Congress`): the mention is
/// dropped rather than given the wrong country.
pub(crate) fn bodies_of_other_countries(
    t: &Tagger,
    text: &str,
    mentions: &mut Vec<Mention>,
    drop: &mut impl FnMut(usize, usize, usize, DropReason),
) {
    let mut other = Vec::new();
    for i in 1..mentions.len() {
        let (country, body) = (&mentions[i - 1], &mentions[i]);
        if t.is_state_body[body.entity]
            && t.entities[country.entity].kind == "country"
            && t.country_group[country.entity] != t.country_group[body.entity]
            && names::names_owner(text, country.end, body.start)
        {
            other.push(i);
            drop(body.start, body.end, body.entity, DropReason::OtherCountry);
        }
    }
    if !other.is_empty() {
        let mut i = 0;
        mentions.retain(|_| {
            i += 1;
            other.binary_search(&(i - 1)).is_err()
        });
    }
}

/// Tags later uses of acronyms defined in parentheses right after a
/// mention (`Pakistan Cricket Board (PCB)`), when the acronym's letters
/// are initials of the name. A definition overrides a gazetteer alias
/// of another entity for the rest of the document.
pub(crate) fn defined_acronyms(text: &str, mentions: &mut Vec<Mention>) {
    let mut defs: Vec<(usize, usize, usize)> = Vec::new();
    for m in mentions.iter() {
        if m.via == Via::Partial || m.via == Via::Acronym {
            continue;
        }
        if let Some((s, e)) = names::acronym_after(text, m.end)
            && names::initials_match(&text[m.start..m.end], &text[s..e])
        {
            defs.push((s, e, m.entity));
        }
    }
    if defs.is_empty() {
        return;
    }
    let mut added = Vec::new();
    for &(s, e, entity) in &defs {
        let acronym = &text[s..e];
        let mut from = s;
        while let Some(off) = text[from..].find(acronym) {
            let (ms, me) = (from + off, from + off + acronym.len());
            from = me;
            if !on_word_boundaries(text, ms, me) {
                continue;
            }
            if let Some(existing) =
                mentions.iter_mut().find(|m| m.start == ms && m.end == me)
            {
                if existing.entity != entity {
                    existing.entity = entity;
                    existing.alternatives.clear();
                    existing.via = Via::Acronym;
                }
                continue;
            }
            let overlaps = mentions.iter().any(|m| m.start < me && ms < m.end);
            if !overlaps {
                added.push(Mention {
                    start: ms,
                    end: me,
                    char_start: 0,
                    char_end: 0,
                    entity,
                    alternatives: Vec::new(),
                    via: Via::Acronym,
                    inside_name: false,
                    enclosing: None,
                    enclosing_chars: None,
                });
            }
        }
    }
    if !added.is_empty() {
        added.sort_by_key(|m| (m.start, m.entity));
        added.dedup_by_key(|m| m.start);
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.start, Reverse(m.end), m.entity));
    }
}
