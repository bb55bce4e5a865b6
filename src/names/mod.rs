//! Text heuristics for within-document resolution: titles before surnames,
//! names inside longer capitalised names, acronyms defined in parentheses,
//! and the partial forms of a person's name.
//!
//! These are pure functions of the original text; the matcher calls them on
//! candidates only, never by re-scanning the document.

use crate::normalize::is_word_char;
use crate::record::DropReason;

mod lists;
pub(crate) use lists::TITLES;
use lists::{CLUB_AFTER, CLUB_BEFORE, MODIFIED_WORDS, ORG_HEADS};

/// The title directly before `start` (separated by spaces only), if any:
/// returns the byte offset where the title starts and the title.
pub(crate) fn title_before(
    text: &str,
    start: usize,
) -> Option<(usize, &'static str)> {
    let before = &text[..start];
    let trimmed = before.trim_end_matches([' ', '\u{00A0}']);
    if trimmed.len() == before.len() {
        return None;
    }
    for &t in TITLES {
        if let Some(head) = trimmed.strip_suffix(t)
            && !head.chars().next_back().is_some_and(is_word_char)
        {
            return Some((head.len(), t));
        }
    }
    None
}

/// The word (a run of word characters, apostrophes, periods and hyphens
/// inside it) that starts at `at`.
fn word_at(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let mut end = 0;
    for (i, c) in rest.char_indices() {
        if is_word_char(c)
            || (i > 0 && matches!(c, '\'' | '\u{2019}' | '-' | '.'))
        {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    rest[..end].trim_end_matches(['.', '\'', '\u{2019}', '-'])
}

/// The word that ends at `at` (possibly followed by apostrophes or periods
/// that belong to it), and where it starts.
fn word_before(text: &str, at: usize) -> (usize, &str) {
    let head = &text[..at];
    let mut start = at;
    for (i, c) in head.char_indices().rev() {
        if is_word_char(c) || matches!(c, '\'' | '\u{2019}' | '-' | '.') {
            start = i;
        } else {
            break;
        }
    }
    let w = &text[start..at];
    let skip =
        w.len() - w.trim_start_matches(['.', '\'', '\u{2019}', '-']).len();
    (start + skip, &w[skip..])
}

/// Whether `word` is in `list`, as written there or in capitals (`REAL
/// MADRID`).
fn club_word(list: &[&str], word: &str) -> bool {
    if list.contains(&word) {
        return true;
    }
    word.len() <= 12
        && all_caps(word)
        && list
            .iter()
            .any(|c| c.chars().flat_map(char::to_uppercase).eq(word.chars()))
}

/// Abbreviations whose period does not end a sentence because a name goes
/// on after them: `St. Kitts`, `Mt. Kenya`, `Ft. Worth`.
const NAME_ABBREVIATIONS: &[&str] = &["St", "Ste", "Mt", "Ft", "Pt", "Jr"];

/// Whether the word (as [`word_before`] returns it, trailing periods
/// included) ends a sentence, so that a capitalised word after it starts a
/// new one instead of going on with a name: `Monday.` in `Talks ended on
/// Monday. Kenya is next.` A period after an initial (`J.`), a title
/// (`Mr.`, `Gen.`) or a name-forming abbreviation (`St.`) does not.
/// `?`, `!` and closing quotes never reach here: they are not word
/// characters, so no word runs across them.
fn ends_sentence(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    let stem = stem.trim_end_matches('.');
    let mut chars = stem.chars();
    let initial =
        chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
    !initial
        && !member(&TITLE_SET, word)
        && !member(&TITLE_SET, stem)
        && !NAME_ABBREVIATIONS.contains(&stem)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn all_caps(w: &str) -> bool {
    let mut letters = w.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// Whether both words are in capitals, as in an ALL-CAPS headline.
fn caps_pair(a: &str, b: &str) -> bool {
    all_caps(a) && all_caps(b)
}

/// Whether the word starting at `start` begins a sentence: only
/// punctuation that ends a sentence or opens a quote, or a line break, or
/// the start of the text, stands before it.
pub(crate) fn sentence_initial(text: &str, start: usize) -> bool {
    for c in text[..start].chars().rev() {
        match c {
            ' ' | '\t' | '\u{00A0}' => continue,
            '"' | '\u{201C}' | '\u{2018}' | '\'' | '(' | '[' | '\u{2014}'
            | '\u{2013}' => {
                return true;
            }
            '.' | '!' | '?' | ':' | ';' | '\n' | '\r' | '\u{2022}' | '*'
            | '-' => {
                return true;
            }
            _ => return false,
        }
    }
    true
}

/// Whether the line holding `at` looks like a title-case headline: most of
/// its longer words start with a capital.
fn title_case_line(text: &str, at: usize) -> bool {
    // Headlines are short: look at most this far either way, so a document
    // that is one long line costs a bounded amount per candidate.
    const REACH: usize = 300;
    let mut lo = at.saturating_sub(REACH);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (at + REACH).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let line_start = text[lo..at].rfind('\n').map_or(lo, |i| lo + i + 1);
    let line_end = text[at..hi].find('\n').map_or(hi, |i| at + i);
    let (mut long, mut capital) = (0, 0);
    for w in text[line_start..line_end].split(|c: char| !is_word_char(c)) {
        if w.chars().count() >= 4 {
            long += 1;
            capital += usize::from(starts_upper(w));
        }
    }
    long >= 3 && capital * 10 >= long * 7
}

/// Words that, right after a place, make it the first word of the name of
/// an event or product: `the Singapore Open`, `Fan Expo Canada`.
const EVENT_TAILS: &[&str] = &["Open", "Masters", "Expo", "Marathon"];

/// Common English first names, sorted (data/first_names_en.txt).
static FIRST_NAMES: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        sorted_lines(include_str!("../../data/first_names_en.txt"))
    });

/// The lines of a word-list file (comments and blank lines left out),
/// sorted for binary search.
fn sorted_lines(text: &'static str) -> Vec<&'static str> {
    let mut v: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    v.sort_unstable();
    v
}

/// Whether `w` is a common English first name (not an everyday word).
pub(crate) fn first_name(w: &str) -> bool {
    FIRST_NAMES.binary_search(&w).is_ok()
}

/// Whether the capitalised run of words that ends with `of` at
/// `of_start` (`Board of Trade of`, `National Bank of`) holds a word that
/// heads an organisation's name.
fn org_before_of(text: &str, of_start: usize) -> bool {
    let mut at = of_start;
    // At most a few words back, through `of`, `and`, `for`, `the`.
    for _ in 0..6 {
        let head = &text[..at];
        let trimmed = head.trim_end_matches(' ');
        if trimmed.len() == head.len() || head.len() - trimmed.len() > 2 {
            return false;
        }
        let (start, w) = word_before(text, trimmed.len());
        if member(&ORG_HEAD_SET, w) {
            return true;
        }
        let connector = matches!(w, "of" | "and" | "for" | "the" | "&");
        if w.is_empty() || !(starts_upper(w) || connector) {
            return false;
        }
        at = start;
    }
    false
}

/// A sorted copy of a word list, for membership by binary search.
fn sorted(list: &'static [&'static str]) -> Vec<&'static str> {
    let mut v = list.to_vec();
    v.sort_unstable();
    v
}

static TITLE_SET: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| sorted(TITLES));
static MODIFIED_SET: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| sorted(MODIFIED_WORDS));
static ORG_HEAD_SET: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| sorted(ORG_HEADS));

/// Whether `w` is in a list made by [`sorted`].
fn member(set: &[&str], w: &str) -> bool {
    set.binary_search(&w).is_ok()
}

/// The 5,000 most frequent English words, sorted (data/common_words_en.txt,
/// as the `common-word` warning reads it).
static COMMON_WORDS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        sorted_lines(include_str!("../../data/common_words_en.txt"))
    });

/// Whether `w`, in lower case, is one of [`COMMON_WORDS`]; no allocation
/// for a short ASCII word.
fn common_word(w: &str) -> bool {
    let mut buf = [0u8; 24];
    if w.is_ascii() && w.len() <= buf.len() {
        let lower = &mut buf[..w.len()];
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        let lower = std::str::from_utf8(lower).unwrap_or_default();
        return COMMON_WORDS.binary_search(&lower).is_ok();
    }
    COMMON_WORDS.binary_search(&w.to_lowercase().as_str()).is_ok()
}

/// Whether the capitalised word `prev` before a place looks like a town
/// named before its country without a comma (`Lillehammer Norway`): it is
/// the only capitalised word of its run, no everyday word (`New`, `Steel`,
/// `Motors`), no first name, no abbreviation, not hyphenated
/// (`Tehrik-i-Taliban Pakistan`) and not in capitals.
fn place_before_place(text: &str, prev_start: usize, prev: &str) -> bool {
    if prev.ends_with('.')
        || prev.contains('-')
        || all_caps(prev)
        || prev.chars().count() < 4
    {
        return false;
    }
    if common_word(prev) || first_name(prev) {
        return false;
    }
    // The word before it, if any on the line, must not be capitalised.
    let head = &text[..prev_start];
    let trimmed = head.trim_end_matches([' ', '\t']);
    if trimmed.len() == head.len() || trimmed.is_empty() {
        return true;
    }
    let (before_start, before) = word_before(text, trimmed.len());
    before.is_empty()
        || !starts_upper(before)
        || sentence_initial(text, before_start)
}

/// The titles of [`TITLES`] made of words (no abbreviations), for
/// [`person_title_after`].
static WORD_TITLES: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        TITLES
            .iter()
            .copied()
            .filter(|t| {
                t.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-')
            })
            .collect()
    });

/// Where a person's title that starts with the word `next` at `at` ends
/// (the longest one: `Prime Minister` over `Prime`), if one does: `US
/// President Joe Biden`.
fn person_title_after(text: &str, at: usize, next: &str) -> Option<usize> {
    if !starts_upper(next) {
        return None;
    }
    let rest = &text[at..];
    WORD_TITLES
        .iter()
        .filter(|t| t.starts_with(next))
        .filter(|t| {
            rest.strip_prefix(**t).is_some_and(|after| {
                !after.chars().next().is_some_and(is_word_char)
            })
        })
        .map(|t| at + t.len())
        .max()
}

/// Whether the word before `start` is a preposition (`in`, `from`, `to`
/// ...), in any case.
fn after_preposition(text: &str, start: usize) -> bool {
    let head = &text[..start];
    let trimmed = head.trim_end_matches([' ', '\u{00A0}']);
    if trimmed.len() == head.len() {
        return false;
    }
    let (_, w) = word_before(text, trimmed.len());
    const PREPOSITIONS: &[&str] = &[
        "in",
        "from",
        "to",
        "at",
        "for",
        "with",
        "by",
        "on",
        "into",
        "across",
        "within",
        "near",
        "toward",
        "towards",
        "through",
        "over",
        "throughout",
        "outside",
        "inside",
        "around",
        "visit",
        "visited",
    ];
    w.len() <= 10 && PREPOSITIONS.iter().any(|p| p.eq_ignore_ascii_case(w))
}

/// Whether `w` is a Roman numeral from II to XII (`USA II`, a second sled).
fn roman_numeral(w: &str) -> bool {
    matches!(
        w,
        "II" | "III"
            | "IV"
            | "V"
            | "VI"
            | "VII"
            | "VIII"
            | "IX"
            | "X"
            | "XI"
            | "XII"
    )
}

/// The facts about a place candidate's neighbours that the shape rules of
/// [`inside_longer_name`] need from the matcher.
pub(crate) struct Neighbours<
    F: Fn(usize) -> bool,
    G: Fn(usize) -> bool,
    H: Fn(usize) -> bool,
> {
    /// Whether some entity candidate starts at a byte offset.
    pub(crate) known_start: F,
    /// Whether some entity candidate ends at a byte offset.
    pub(crate) known_end: G,
    /// Whether a person's name (in full or in part) starts at an offset.
    pub(crate) person_start: H,
    /// Whether the candidate is the place's demonym (`Iraqi`), which
    /// qualifies a title as an adjective and stays a mention there.
    pub(crate) demonym: bool,
}

/// Whether a place name at `start..end` is part of something longer that
/// is not the place, and which rule says so:
///
/// - [`DropReason::InsideName`]: a longer capitalised name that no
///   gazetteer knows (`Real Madrid`, `London Newsroom`, `Radio Canada`,
///   `National Bank of Ukraine`, `the Singapore Open`, `USA II`);
/// - [`DropReason::Currency`]: a currency sign (`US$ 20,000`);
/// - [`DropReason::Title`]: a person's title before their name (`US
///   President Joe Biden`); a demonym stays (`Iraqi Prime Minister`);
/// - [`DropReason::PersonName`]: the first name of a person whose surname
///   is known (`Chad Johnson` when Johnson is a known name).
///
/// A neighbouring word that is itself a known name (`US State
/// Department`) does not make a longer name, and neither do a
/// sentence-initial capital before the name (unless it heads an
/// organisation's name: `Radio`, `Team`), an ALL-CAPS headline, a
/// title-case headline line, or a following word from a short list of words
/// that modify a place name (`Pakistan Army`).
pub(crate) fn inside_longer_name<F, G, H>(
    text: &str,
    start: usize,
    end: usize,
    n: &Neighbours<F, G, H>,
) -> Option<DropReason>
where
    F: Fn(usize) -> bool,
    G: Fn(usize) -> bool,
    H: Fn(usize) -> bool,
{
    let (known_start, known_end) = (&n.known_start, &n.known_end);
    let name = &text[start..end];
    // Looked at once at most: it scans the line.
    let headline = std::cell::OnceCell::new();
    let title_case = || *headline.get_or_init(|| title_case_line(text, start));
    // A currency sign right after it: `US$`, `NZ$`.
    if text[end..].starts_with('$') {
        return Some(DropReason::Currency);
    }
    // The word before, on the same line, separated by spaces only.
    let head = &text[..start];
    let gap = head.len() - head.trim_end_matches([' ', '\t']).len();
    if gap > 0 && gap <= 2 {
        let prev_end = start - gap;
        let (prev_start, prev) = word_before(text, prev_end);
        // A club's name (`Real Madrid`, `Dynamo Kyiv`) wherever it
        // stands: at a sentence start and in a headline too.
        if club_word(CLUB_BEFORE, prev) && !known_end(prev_end) {
            return Some(DropReason::InsideName);
        }
        // An organisation's head word (`Radio Canada`), at a sentence
        // start too.
        if member(&ORG_HEAD_SET, prev) && !known_end(prev_end) {
            return Some(DropReason::InsideName);
        }
        // `<Org head> ... of <place>`: `National Bank of Ukraine`, `Board
        // of Trade of India`.
        if prev == "of" && org_before_of(text, prev_start) {
            return Some(DropReason::InsideName);
        }
        // A first name at the start of a sentence: `Michael Chad said`.
        if sentence_initial(text, prev_start)
            && first_name(prev)
            && !known_end(prev_end)
        {
            return Some(DropReason::PersonName);
        }
        if !prev.is_empty()
            && starts_upper(prev)
            && !ends_sentence(prev)
            && !known_end(prev_end)
            && !sentence_initial(text, prev_start)
            && !caps_pair(prev, name)
            && !member(&TITLE_SET, prev)
            && !place_before_place(text, prev_start, prev)
            && !title_case()
        {
            return Some(DropReason::InsideName);
        }
    }
    // The word after.
    let tail = &text[end..];
    let gap = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    if gap > 0 && gap <= 2 {
        let next_start = end + gap;
        let next = word_at(text, next_start);
        if club_word(CLUB_AFTER, next) && !known_start(next_start) {
            return Some(DropReason::InsideName);
        }
        if roman_numeral(next) || EVENT_TAILS.contains(&next) {
            return Some(DropReason::InsideName);
        }
        // A title and then a name: `US President Joe Biden`; not after a
        // preposition, where the place is a place (`In Turkey Minister
        // Ellwood met...`).
        if !n.demonym
            && !after_preposition(text, start)
            && let Some(title_end) = person_title_after(text, next_start, next)
            && next_word_capitalized(text, title_end)
        {
            return Some(DropReason::Title);
        }
        // The first name of a known person: `Chad Johnson`.
        if first_name(name)
            && (n.person_start)(next_start)
            && starts_upper(next)
            && !caps_pair(next, name)
        {
            return Some(DropReason::PersonName);
        }
        if !next.is_empty()
            && starts_upper(next)
            && !known_start(next_start)
            && !caps_pair(next, name)
            && !member(&MODIFIED_SET, next)
            && !title_case()
        {
            return Some(DropReason::InsideName);
        }
    }
    None
}

/// The capitalised run of words around a place at `start..end` that
/// [`inside_longer_name`] found inside a longer name, as a byte span: the
/// unknown name it is part of (`Real Madrid`, `National Bank of Ukraine`,
/// `US$`). Words join the run on the same line, one or two spaces apart,
/// when they start with a capital (or are `of` between capitalised words);
/// a sentence end, a title, or a sentence-initial word that does not head
/// an organisation's name stops it. Cheap: a few words each way.
pub(crate) fn name_run(
    text: &str,
    start: usize,
    end: usize,
) -> (usize, usize) {
    const MAX_WORDS: usize = 8;
    let spaces = |n: usize| n > 0 && n <= 2;
    let (mut s, mut e) = (start, end);
    if text[e..].starts_with('$') {
        e += 1;
    }
    // Leftwards.
    for _ in 0..MAX_WORDS {
        let head = &text[..s];
        let gap = head.len() - head.trim_end_matches([' ', '\t']).len();
        if !spaces(gap) {
            break;
        }
        let (ws, w) = word_before(text, s - gap);
        let joins = |ws: usize, w: &str| {
            !w.is_empty()
                && starts_upper(w)
                && !ends_sentence(w)
                && !TITLES.contains(&w)
                && (!sentence_initial(text, ws)
                    || ORG_HEADS.contains(&w)
                    || club_word(CLUB_BEFORE, w))
        };
        if w == "of" {
            let head = &text[..ws];
            let gap = head.len() - head.trim_end_matches([' ', '\t']).len();
            if !spaces(gap) {
                break;
            }
            let (os, o) = word_before(text, ws - gap);
            if !joins(os, o) {
                break;
            }
            s = os;
        } else if joins(ws, w) {
            s = ws;
        } else {
            break;
        }
    }
    // Rightwards.
    for _ in 0..MAX_WORDS {
        let tail = &text[e..];
        let gap = tail.len() - tail.trim_start_matches([' ', '\t']).len();
        if !spaces(gap) {
            break;
        }
        let w = word_at(text, e + gap);
        let joins = |w: &str| !w.is_empty() && starts_upper(w);
        if w == "of" {
            let after = e + gap + w.len();
            let tail = &text[after..];
            let gap2 = tail.len() - tail.trim_start_matches([' ', '\t']).len();
            let o = word_at(text, after + gap2);
            if !spaces(gap2) || !joins(o) {
                break;
            }
            e = after + gap2 + o.len();
        } else if joins(w) {
            e += gap + w.len();
        } else {
            break;
        }
    }
    (s, e)
}

/// Whether `text[end..start]` makes the name before it the owner of the
/// name after it: a possessive (`'s `, `’s `, `' `) or a single space
/// (`Indian Supreme Court`).
pub(crate) fn names_owner(text: &str, end: usize, start: usize) -> bool {
    matches!(
        text.get(end..start),
        Some("'s " | "\u{2019}s " | "' " | "\u{2019} " | " ")
    )
}

/// Whether `text[end..start]` is a comma and one or two spaces:
/// `Jordan, Minnesota`.
pub(crate) fn comma_between(text: &str, end: usize, start: usize) -> bool {
    text.get(end..start).is_some_and(|gap| {
        gap.strip_prefix(',').is_some_and(|rest| {
            (1..=2).contains(&rest.chars().count())
                && rest.chars().all(|c| c == ' ' || c == '\u{00A0}')
        })
    })
}

/// Whether a list of places goes on after `end` (`Mexico, Texas and
/// California`, `France, Ontario, Quebec`): then a comma between two places
/// separates list items, not a town from its state.
pub(crate) fn list_goes_on(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let (comma, rest) = match rest.strip_prefix(',') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches([' ', '\u{00A0}']);
    let word = word_at(rest, 0);
    if matches!(word, "and" | "or" | "&") {
        // `Texas and California`, but not `Paris, Texas, and left`.
        let rest = rest[word.len()..].trim_start_matches([' ', '\u{00A0}']);
        return starts_upper(word_at(rest, 0));
    }
    comma && starts_upper(word)
}

/// A state code right after the comma at `comma`: one or two spaces, then a
/// postal code (two capitals) or a dateline abbreviation (`Minn.`, `N.J.`)
/// that `lookup` knows, not followed by a letter or digit, after a
/// capitalised word. Gives its span, its entity and whether it is a postal
/// code.
pub(crate) fn state_code_after(
    text: &str,
    comma: usize,
    lookup: impl Fn(&str) -> Option<usize>,
) -> Option<(usize, usize, usize, bool)> {
    let (_, before) = word_before(text, comma);
    if !starts_upper(before) {
        return None;
    }
    let rest = &text[comma + 1..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    if !(1..=2).contains(&spaces) {
        return None;
    }
    let start = comma + 1 + spaces;
    let rest = &text[start..];
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'.')
        .count();
    if !(2..=6).contains(&len) {
        return None;
    }
    let token = &rest[..len];
    let after_ok = !rest[len..].chars().next().is_some_and(is_word_char);
    if !after_ok {
        return None;
    }
    // A postal code at a sentence end comes with the sentence's period.
    let token = match lookup(token) {
        Some(_) => token,
        None => token.strip_suffix('.')?,
    };
    let n = lookup(token)?;
    let postal =
        token.len() == 2 && token.bytes().all(|b| b.is_ascii_uppercase());
    Some((start, start + token.len(), n, postal))
}

/// Whether the word after `end` (same line, spaces only between) starts
/// with a capital letter.
pub(crate) fn next_word_capitalized(text: &str, end: usize) -> bool {
    let tail = &text[end..];
    let gap =
        tail.len() - tail.trim_start_matches([' ', '\t', '\u{00A0}']).len();
    gap > 0 && starts_upper(word_at(text, end + gap))
}

/// An acronym in parentheses right after `end`: `Pakistan Cricket Board
/// (PCB)`. Returns the byte span of the acronym itself.
pub(crate) fn acronym_after(text: &str, end: usize) -> Option<(usize, usize)> {
    let tail = &text[end..];
    let open = tail.len() - tail.trim_start_matches([' ', '\u{00A0}']).len();
    let rest = tail[open..].strip_prefix('(')?;
    let close = rest.find(')')?;
    let acr = &rest[..close];
    let letters = acr.chars().filter(|c| c.is_alphabetic()).count();
    let valid = (2..=12).contains(&acr.len())
        && letters >= 2
        && acr.chars().all(|c| {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '&' | '.' | '-')
        })
        && acr.chars().next().is_some_and(char::is_uppercase);
    if !valid {
        return None;
    }
    let s = end + open + 1;
    Some((s, s + close))
}

/// Whether `acronym`'s letters are, in order, initials of the words of
/// `name` (words split at spaces and hyphens), starting with the first:
/// `TTP` for `Tehreek-e-Taliban Pakistan`, `IMF` for `International
/// Monetary Fund`.
pub(crate) fn initials_match(name: &str, acronym: &str) -> bool {
    let initials: Vec<char> = name
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}')
        })
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_uppercase)
        .collect();
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() || initials.first() != letters.first() {
        return false;
    }
    let mut it = initials.iter();
    letters.iter().all(|l| it.any(|i| i == l))
}

/// The partial forms of a person's name that may refer to them later in a
/// document: the surname (the `surname` attribute, or the last word, skipping
/// `Jr.`-style suffixes) and, for names of three or more words, first name
/// plus surname. Names with `of` (`Abdullah II of Jordan`) have none.
pub(crate) fn person_partials(
    name: &str,
    surname_attr: Option<&str>,
) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 || words.contains(&"of") {
        return surname_attr.map(|s| vec![s.to_string()]).unwrap_or_default();
    }
    let mut last = words.len() - 1;
    const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];
    while last > 1 && SUFFIXES.contains(&words[last]) {
        last -= 1;
    }
    let surname = surname_attr.unwrap_or(words[last]);
    let mut out = Vec::new();
    let usable = |s: &str| {
        s.chars().filter(|c| c.is_alphabetic()).count() >= 2 && starts_upper(s)
    };
    if usable(surname) {
        out.push(surname.to_string());
        if last >= 2 && surname_attr.is_none() {
            out.push(format!("{} {}", words[0], surname));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let t = "said Prime Minister Sharif and Mr. Patel; Ambassador Khan";
        let at = |w: &str| t.find(w).unwrap();
        assert_eq!(
            title_before(t, at("Sharif")),
            Some((at("Prime"), "Prime Minister"))
        );
        assert_eq!(title_before(t, at("Patel")), Some((at("Mr."), "Mr.")));
        assert_eq!(
            title_before(t, at("Khan")),
            Some((at("Ambassador"), "Ambassador"))
        );
        assert_eq!(title_before("the XMr Patel", 9), None);
        assert_eq!(title_before("Patel", 0), None);
    }

    /// `(text, name, run)`: the capitalised run around the first
    /// occurrence of `name`.
    #[test]
    fn name_runs() {
        let cases: &[(&str, &str, &str)] = &[
            ("fans of Real Madrid cheered", "Madrid", "Real Madrid"),
            ("a London Newsroom report", "London", "London Newsroom"),
            (
                "the National Bank of Ukraine said",
                "Ukraine",
                "National Bank of Ukraine",
            ),
            ("Radio Canada said", "Canada", "Radio Canada"),
            ("the Singapore Open. Then", "Singapore", "Singapore Open"),
            ("the USA II sled", "USA", "USA II"),
            ("cost US$ 20,000", "US", "US$"),
            ("Talks ended Monday. Real Madrid won", "Madrid", "Real Madrid"),
            ("He met Mr Jordan Smith", "Jordan", "Jordan Smith"),
            ("Madrid Metro\nLondon", "Madrid", "Madrid Metro"),
        ];
        for &(text, name, want) in cases {
            let start = text.find(name).unwrap();
            let (s, e) = name_run(text, start, start + name.len());
            assert_eq!(&text[s..e], want, "{text:?}");
        }
    }

    /// `(text, name)`: whether the first occurrence of `name` is inside a
    /// longer name. No other name is known.
    #[test]
    fn inside_names() {
        let cases: &[(&str, &str, bool)] = &[
            ("fans of Real Madrid cheered", "Madrid", true),
            ("a London Newsroom report", "London", true),
            ("in New Jersey today", "Jersey", true),
            ("Madrid is a city", "Madrid", false),
            ("In London, rain", "London", false),
            ("he said. London agreed", "London", false),
            ("PAKISTAN, US HOLD TALKS", "US", false),
            ("PAKISTAN US HOLD TALKS", "US", false),
            ("Pakistan Bowlers Share Nine Wickets", "Pakistan", false),
            ("the US President spoke", "US", false),
            ("the Pakistan Army said", "Pakistan", false),
            ("in Kabul Monday", "Kabul", false),
            ("the Washington Post said", "Washington", true),
            ("met in Islamabad and Kabul", "Islamabad", false),
            ("Mr Jordan", "Jordan", false),
            ("fans of Michael Jordan", "Jordan", true),
            ("“Pakistan is", "Pakistan", false),
            // A sentence end breaks a name run, in every form.
            ("Talks ended on Monday. Kenya is next.", "Kenya", false),
            ("signed with France. Chad is the last", "Chad", false),
            ("met Mr Brown in London. Iran rejected", "Iran", false),
            ("met in London.  Iran rejected", "Iran", false),
            ("met in London? Iran rejected", "Iran", false),
            ("met in London! Iran rejected", "Iran", false),
            ("said \"in London.\" Iran rejected", "Iran", false),
            ("said “in London.” Iran rejected", "Iran", false),
            ("met in London.\nIran rejected", "Iran", false),
            ("met in London\n\nIran rejected", "Iran", false),
            ("met in Washington D.C. Iran rejected", "Iran", false),
            // ... but an opening country is still inside a name that goes
            // on after it, and a title, an initial or `St.` is no end.
            (
                "Talks ended on Monday. Jordan Henderson scored twice",
                "Jordan",
                true,
            ),
            ("a speech by Mr. Jordan today", "Jordan", false),
            ("a speech by J. Jordan today", "Jordan", true),
            ("flew to St. Lucia today", "Lucia", true),
            // Club shapes hold at a sentence start and in headlines too.
            ("Real Madrid beat them", "Madrid", true),
            ("REAL MADRID BEAT THEM", "MADRID", true),
            ("Dynamo Minsk Beat Local Rivals Again", "Minsk", true),
            ("fans of Kenya United cheered", "Kenya", true),
            ("Toronto FC Win The Cup Final Again", "Toronto", true),
        ];
        let none = Neighbours {
            known_start: |_| false,
            known_end: |_| false,
            person_start: |_| false,
            demonym: false,
        };
        for &(text, name, want) in cases {
            let s = text.find(name).unwrap();
            let got = inside_longer_name(text, s, s + name.len(), &none);
            assert_eq!(got.is_some(), want, "{text:?} / {name:?}");
        }
        // A known neighbour does not make a longer name.
        let text = "the US State Department";
        let sd = text.find("State").unwrap();
        let known = Neighbours {
            known_start: |p| p == sd,
            known_end: |_| false,
            person_start: |_| false,
            demonym: false,
        };
        assert_eq!(inside_longer_name(text, 4, 6, &known), None);
    }

    #[test]
    fn organisations_titles_currencies_and_people() {
        use DropReason::*;
        // (text, place, a person's name starts at, demonym, rule)
        type Case = (
            &'static str,
            &'static str,
            Option<&'static str>,
            bool,
            Option<DropReason>,
        );
        let cases: &[Case] = &[
            ("Radio Canada said", "Canada", None, false, Some(InsideName)),
            ("Team Estonia won", "Estonia", None, false, Some(InsideName)),
            (
                "the National Bank of Ukraine",
                "Ukraine",
                None,
                false,
                Some(InsideName),
            ),
            (
                "the Board of Trade of India met",
                "India",
                None,
                false,
                Some(InsideName),
            ),
            ("the people of India", "India", None, false, None),
            (
                "the Bank of the Nation of Peru",
                "Peru",
                None,
                false,
                Some(InsideName),
            ),
            (
                "won the Singapore Open",
                "Singapore",
                None,
                false,
                Some(InsideName),
            ),
            ("the USA II sled", "USA", None, false, Some(InsideName)),
            ("paid US$ 20", "US", None, false, Some(Currency)),
            ("paid US $20", "US", None, false, None),
            ("said US President Joe Biden", "US", None, false, Some(Title)),
            ("said the US President today", "US", None, false, None),
            ("In Turkey Minister Ellwood met", "Turkey", None, false, None),
            (
                "the Iraqi Prime Minister Al-Sudani",
                "Iraqi",
                None,
                false,
                Some(Title),
            ),
            ("the Iraqi Prime Minister Al-Sudani", "Iraqi", None, true, None),
            ("Michael Chad was held", "Chad", None, false, Some(PersonName)),
            ("Bill Chad was held", "Chad", None, false, None),
            (
                "Chad Johnson scored",
                "Chad",
                Some("Johnson"),
                false,
                Some(PersonName),
            ),
            (
                "Middle East Tobias Ellwood",
                "Middle East",
                Some("Tobias"),
                false,
                None,
            ),
        ];
        for &(text, name, person, demonym, want) in cases {
            let s = text.find(name).unwrap();
            let p = person.map(|p| text.find(p).unwrap());
            let n = Neighbours {
                known_start: |q| Some(q) == p,
                known_end: |_| false,
                person_start: |q| Some(q) == p,
                demonym,
            };
            let got = inside_longer_name(text, s, s + name.len(), &n);
            assert_eq!(got, want, "{text:?} / {name:?}");
        }
    }

    #[test]
    fn towns_and_states() {
        // (text, at the comma after the first word, comma_between)
        for (text, want) in [
            ("Jordan, Minnesota", true),
            ("Jordan,  Minnesota", true),
            ("Jordan,\nMinnesota", false),
            ("Jordan ,Minnesota", false),
            ("Jordan and Minnesota", false),
        ] {
            let start = text.rfind('M').unwrap();
            assert_eq!(comma_between(text, 6, start), want, "{text:?}");
        }
        for (text, want) in [
            (", police said", false),
            (" and California", true),
            (", and left", false),
            (", and Quebec", true),
            (", Quebec and", true),
            (" is hot", false),
        ] {
            assert_eq!(list_goes_on(text, 0), want, "{text:?}");
        }
        let lookup = |c: &str| match c {
            "MN" => Some(1),
            "Minn." => Some(2),
            "N.J." => Some(3),
            _ => None,
        };
        for (text, want) in [
            ("Jordan, MN 55352", Some((8, 10, 1, true))),
            ("Jordan, MN.", Some((8, 10, 1, true))),
            ("Jordan, Minn., police", Some((8, 13, 2, false))),
            ("Trenton, N.J. today", Some((9, 13, 3, false))),
            ("Jordan, MNX", None),
            ("jordan, MN", None),
            ("Jordan,MN", None),
            ("Jordan, Minn", None),
        ] {
            let comma = text.find(',').unwrap();
            assert_eq!(
                state_code_after(text, comma, lookup),
                want,
                "{text:?}"
            );
        }
    }

    #[test]
    fn owners() {
        let text = "South Korea's Joint Chiefs";
        assert!(names_owner(text, 11, 14));
        assert!(names_owner("Korea’s Army", 5, 10));
        assert!(names_owner("Indian Army", 6, 7));
        assert!(!names_owner("India, Army", 5, 7));
        assert!(!names_owner("India and the Army", 5, 14));
    }

    #[test]
    fn acronyms() {
        let t = "the Pakistan Cricket Board (PCB) said";
        let end = t.find(" (").unwrap();
        let (s, e) = acronym_after(t, end).unwrap();
        assert_eq!(&t[s..e], "PCB");
        assert_eq!(acronym_after("Board (2024)", 5), None);
        assert_eq!(acronym_after("Board (the PCB)", 5), None);
        assert!(initials_match("Pakistan Cricket Board", "PCB"));
        assert!(initials_match("Tehreek-e-Taliban Pakistan", "TTP"));
        assert!(initials_match(
            "Islamic State of Iraq and the Levant",
            "ISIL"
        ));
        assert!(!initials_match("Pakistan", "AP"));
        assert!(!initials_match("United Nations", "NATO"));
    }

    #[test]
    fn partial_names() {
        assert_eq!(person_partials("Vedant Patel", None), ["Patel"]);
        assert_eq!(
            person_partials("Sardar Masood Khan", None),
            ["Khan", "Sardar Khan"]
        );
        assert_eq!(
            person_partials("Martin Luther King Jr.", None),
            ["King", "Martin King"]
        );
        assert!(person_partials("Abdullah II of Jordan", None).is_empty());
        assert!(person_partials("Madonna", None).is_empty());
        assert_eq!(person_partials("Xi Jinping", Some("Xi")), ["Xi"]);
    }

    #[test]
    fn capitalised_next_word() {
        assert!(next_word_capitalized("Jordan Henderson", 6));
        assert!(!next_word_capitalized("Jordan said", 6));
        assert!(!next_word_capitalized("Jordan, Henderson", 6));
    }
}
