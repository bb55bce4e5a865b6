//! Text normalisation with an offset map back to the original text.
//!
//! The matcher searches a *folded* copy of each document: lowercased,
//! diacritics removed, apostrophes and dashes unified, and every run of
//! white space collapsed to one space. Aliases are folded the same way, so
//! one case-sensitive automaton finds every spelling. Each folded byte can be
//! mapped back to the original text, so reported offsets always slice the
//! document exactly as it was given.
//!
//! The map is a list of [`Seg`]ments. Runs of characters whose folded form
//! has the same byte length (ASCII letters, most lowercase letters of other
//! scripts) form one *identity* segment; every other character (a letter that
//! loses its accent, a dropped combining mark, the second space of a run)
//! gets a segment of its own. Plain ASCII prose therefore needs a handful of
//! segments per document, not one entry per byte.

use std::ops::Range;
use std::sync::LazyLock;

use rayon::prelude::*;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// One piece of the folded-to-original offset map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    /// Byte offset in the folded text where this segment starts.
    norm: usize,
    /// Byte offset in the original text where this segment starts.
    orig: usize,
    /// Whether bytes map one to one from `norm` on (`orig + (p - norm)`).
    ident: bool,
}

/// A folded document and the map back to the original text.
///
/// Reuse one `Normalized` across documents to avoid allocating for each.
///
/// Two values compare equal when they hold the same folded text, offset map
/// and word count for an original of the same length (however they were
/// produced, by [`fold`](Normalized::fold) or
/// [`fold_par`](Normalized::fold_par)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The folded text; always valid UTF-8 (only whole characters are
    /// pushed), kept as bytes for the search.
    text: Vec<u8>,
    segs: Vec<Seg>,
    orig_len: usize,
    words: usize,
}

/// Byte classes for the ASCII fast path of [`Normalized::fold`].
const OTHER: u8 = 0;
const WORD: u8 = 1;
const SPACE: u8 = 2;
/// Any byte of a non-ASCII character.
const NON_ASCII: u8 = 3;

/// The class of each byte: ASCII letters and digits are words; space, tab,
/// line feed, vertical tab, form feed and carriage return are spaces; the
/// bytes of non-ASCII characters are a class of their own.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if !c.is_ascii() {
            t[b] = NON_ASCII;
        } else if c.is_ascii_alphanumeric() {
            t[b] = WORD;
        } else if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) {
            t[b] = SPACE;
        }
        b += 1;
    }
    t
};

/// The fold of an ASCII byte: letters lowercased, white space (the
/// [`SPACE`] class) made a space, anything else kept. Free of table
/// lookups, so that copying a run of bytes through it can be vectorised.
#[inline(always)]
fn fold_ascii(b: u8) -> u8 {
    if b.is_ascii_uppercase() {
        b | 0x20
    } else if matches!(b, b'\t'..=b'\r') {
        b' '
    } else {
        b
    }
}

/// What folding needs to know about one non-ASCII character, worked out
/// once by [`CharFold::compute`] from the general functions below
/// ([`is_space`], [`is_word_char`], [`fold_char`]) and cached in [`TABLE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CharFold {
    /// The folded form in UTF-8, `len` bytes long; the rest is zero.
    bytes: [u8; 6],
    /// Length of the folded form in bytes (0 for a dropped character).
    len: u8,
    /// `C_*` flags.
    flags: u8,
}

/// [`is_space`]: the character separates words.
const C_SPACE: u8 = 1;
/// [`is_word_char`]: the character belongs to a word.
const C_WORD: u8 = 2;
/// A combining mark: continues a word, never starts one.
const C_MARK: u8 = 4;
/// The fold is exactly one character of the same UTF-8 length, so the
/// character belongs to an identity segment.
const C_IDENT: u8 = 8;
/// The fold does not fit in [`CharFold::bytes`]; `bytes`, `len` and
/// `C_IDENT` are then not set and the character is folded the general way.
/// (No cached character needs it; the flag keeps the table exact if the
/// Unicode tables ever change.)
const C_LONG: u8 = 16;

/// The two-byte UTF-8 characters: Latin-1, Latin Extended, IPA, Greek,
/// Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, NKo.
const TWO_BYTE: Range<u32> = 0x80..0x800;
/// General Punctuation, the three-byte characters `E2 80 xx` and `E2 81 xx`
/// of news text: typographic spaces, dashes, curly quotes, zero-width
/// characters.
const PUNCT: Range<u32> = 0x2000..0x2080;
/// Where [`PUNCT`] starts in [`TABLE`], after [`TWO_BYTE`].
const PUNCT_AT: usize = (TWO_BYTE.end - TWO_BYTE.start) as usize;
/// Number of cached characters.
const TABLE_LEN: usize = PUNCT_AT + (PUNCT.end - PUNCT.start) as usize;

/// [`CharFold`] for every character of [`TWO_BYTE`] and then [`PUNCT`],
/// built on first use (about a million instructions, once per process).
static TABLE: LazyLock<[CharFold; TABLE_LEN]> = LazyLock::new(|| {
    std::array::from_fn(|i| {
        let cp = if i < PUNCT_AT {
            TWO_BYTE.start + i as u32
        } else {
            PUNCT.start + (i - PUNCT_AT) as u32
        };
        CharFold::compute(char::from_u32(cp).expect("no surrogates here"))
    })
});

impl CharFold {
    /// Works out the entry for `c` with the general (uncached) functions.
    fn compute(c: char) -> CharFold {
        let mut flags = 0;
        if is_space(c) {
            flags |= C_SPACE;
        }
        if is_word_char_uncached(c) {
            flags |= C_WORD;
        }
        if is_combining_mark(c) {
            flags |= C_MARK;
        }
        let mut bytes = [0u8; 6];
        let (mut len, mut count, mut long) = (0, 0, false);
        fold_char(c, true, &mut |f| {
            count += 1;
            match bytes.get_mut(len..len + f.len_utf8()) {
                Some(dst) => len += f.encode_utf8(dst).len(),
                None => long = true,
            }
        });
        if long {
            return CharFold { bytes: [0; 6], len: 0, flags: flags | C_LONG };
        }
        if count == 1 && len == c.len_utf8() {
            flags |= C_IDENT;
        }
        CharFold { bytes, len: len as u8, flags }
    }

    /// The cached entry for `c`, if it has one.
    #[inline]
    fn of(c: char) -> Option<&'static CharFold> {
        let cp = c as u32;
        let i = if TWO_BYTE.contains(&cp) {
            (cp - TWO_BYTE.start) as usize
        } else if PUNCT.contains(&cp) {
            PUNCT_AT + (cp - PUNCT.start) as usize
        } else {
            return None;
        };
        Some(&TABLE[i])
    }

    /// The cached entry for the character whose UTF-8 encoding starts at
    /// `bytes[i]` (a non-ASCII lead byte of valid UTF-8), with the length
    /// of that encoding; decoded straight from the bytes.
    #[inline]
    fn at(bytes: &[u8], i: usize) -> Option<(&'static CharFold, usize)> {
        let b = bytes[i];
        if b < 0xE0 {
            // 110xxxxx 10xxxxxx: U+0080..U+07FF.
            let cp =
                (u32::from(b & 0x1F) << 6) | u32::from(bytes[i + 1] & 0x3F);
            Some((&TABLE[(cp - TWO_BYTE.start) as usize], 2))
        } else if b == 0xE2 && bytes[i + 1] < 0x82 {
            // 11100010 1000000x 10xxxxxx: U+2000..U+207F.
            let off = (u32::from(bytes[i + 1] & 0x3F) << 6)
                | u32::from(bytes[i + 2] & 0x3F);
            Some((&TABLE[PUNCT_AT + off as usize], 3))
        } else {
            None
        }
    }
}

/// Folds one non-white-space character, calling `out` for each resulting
/// character (zero, one or more).
///
/// `lower` selects case folding; with `false` the case is kept, which is how
/// exact-case aliases are compared.
#[inline]
pub(crate) fn fold_char(c: char, lower: bool, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(if lower { c.to_ascii_lowercase() } else { c });
        return;
    }
    match c {
        // Apostrophes and primes used as apostrophes.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{2032}'
        | '\u{FF07}' => out('\''),
        // Hyphens, dashes and minus signs.
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}' => out('-'),
        _ if is_invisible(c) => {}
        _ => decompose_canonical(c, |d| fold_base(d, lower, out)),
    }
}

/// Whether `c` is an invisible character that folding drops: soft hyphen,
/// zero-width (non-)joiner, word joiner, BOM. Word boundaries look through
/// them: a soft hyphen inside a word does not split it.
#[inline]
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Folds one character of a canonical decomposition.
#[inline]
fn fold_base(d: char, lower: bool, out: &mut impl FnMut(char)) {
    if is_combining_mark(d) {
        return;
    }
    // Letters that carry a stroke or are ligatures do not decompose.
    let mapped: &str = match d {
        'ø' => "o",
        'Ø' => "O",
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'Đ' => "D",
        'ð' => "d",
        'Ð' => "D",
        'ħ' => "h",
        'Ħ' => "H",
        'ı' => "i",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ß' => "ss",
        'ẞ' => "SS",
        'þ' => "th",
        'Þ' => "TH",
        _ => {
            if lower {
                for l in d.to_lowercase() {
                    if !is_combining_mark(l) {
                        out(l);
                    }
                }
            } else {
                out(d);
            }
            return;
        }
    };
    for m in mapped.chars() {
        out(if lower { m.to_ascii_lowercase() } else { m });
    }
}

/// Whether `c` separates words: white space, including the no-break spaces
/// and the zero-width space common in web text.
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}'
}

/// Whether `c` belongs to a word: a letter or digit in any script, or a
/// combining mark (which extends the letter before it).
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if let Some(f) = CharFold::of(c) {
        f.flags & C_WORD != 0
    } else {
        is_word_char_uncached(c)
    }
}

/// [`is_word_char`] for a non-ASCII character, without the cache: what the
/// cache is built from.
#[inline]
fn is_word_char_uncached(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Folds a short string (an alias, a keyword), keeping or dropping case.
/// White space runs become one space; leading and trailing space is removed.
pub fn fold_str(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    if s.is_ascii() {
        // The common case, byte by byte: the same rules as below.
        for &b in s.as_bytes() {
            if BYTE_CLASS[usize::from(b)] == SPACE {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(char::from(if lower {
                b.to_ascii_lowercase()
            } else {
                b
            }));
        }
        return out;
    }
    fold_str_chars(s, lower, out)
}

/// The general path of [`fold_str`], character by character.
fn fold_str_chars(s: &str, lower: bool, mut out: String) -> String {
    let mut pending_space = false;
    for c in s.chars() {
        if is_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        // The space is written only before a character that leaves
        // something: a lone combining mark or soft hyphen after a space
        // must not leave a trailing or doubled space.
        fold_char(c, lower, &mut |f| {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(f);
        });
    }
    out
}

/// Where [`fold_into`] stopped.
#[derive(Clone, Copy, Debug)]
struct FoldEnd {
    /// Words started in the folded text.
    words: usize,
    /// Whether the last segment is an identity segment that the next
    /// identity byte would extend.
    in_ident: bool,
}

/// One piece of [`Normalized::fold_par`], folded on its own.
struct Part {
    text: Vec<u8>,
    segs: Vec<Seg>,
    end: FoldEnd,
}

/// Records that the output from `norm` on comes from the original from
/// `orig` on: an identity segment is extended if one is open, any other
/// segment starts anew.
#[inline(always)]
fn record(
    segs: &mut Vec<Seg>,
    in_ident: &mut bool,
    norm: usize,
    orig: usize,
    ident: bool,
) {
    if !ident || !*in_ident {
        segs.push(Seg { norm, orig, ident });
        *in_ident = ident;
    }
}

/// Folds `text` onto `out` (empty on entry), with `segs` (empty too)
/// mapping it back, starting in the start-of-document state. Adds no
/// sentinel segment.
fn fold_into(text: &str, out: &mut Vec<u8>, segs: &mut Vec<Seg>) -> FoldEnd {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    let mut in_ident = false;
    let mut prev_space = true; // no leading space at document start
    let mut prev_word = false;
    let mut words = 0;
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            // The ASCII fast path. ASCII up to the second space of a run of
            // white space (or up to a non-ASCII byte) maps byte for byte:
            // scan it, counting words, then record one identity segment and
            // copy it folded in one go.
            let start = i;
            while i < n {
                match BYTE_CLASS[usize::from(bytes[i])] {
                    WORD => {
                        words += usize::from(!prev_word);
                        prev_word = true;
                        prev_space = false;
                        // The rest of the word: one lookup per byte.
                        i += 1;
                        i += bytes[i..]
                            .iter()
                            .position(|&b| BYTE_CLASS[usize::from(b)] != WORD)
                            .unwrap_or(n - i);
                    }
                    SPACE if prev_space => break,
                    SPACE => {
                        prev_word = false;
                        prev_space = true;
                        i += 1;
                    }
                    NON_ASCII => break,
                    _ => {
                        prev_word = false;
                        prev_space = false;
                        i += 1;
                    }
                }
            }
            if i > start {
                record(segs, &mut in_ident, out.len(), start, true);
                out.extend(bytes[start..i].iter().map(|&b| fold_ascii(b)));
            } else {
                // The scan stopped at once, on white space after white
                // space: the second space of a run is dropped.
                prev_word = false;
                record(segs, &mut in_ident, out.len(), i, false);
                i += 1;
            }
            continue;
        }
        // Non-ASCII. The common characters come from the table: the same
        // steps as below, with everything about the character precomputed.
        if let Some((f, len)) = CharFold::at(bytes, i)
            && f.flags & C_LONG == 0
        {
            if f.flags & C_SPACE != 0 {
                prev_word = false;
                record(segs, &mut in_ident, out.len(), i, false);
                if !prev_space {
                    prev_space = true;
                    out.push(b' ');
                }
            } else {
                let word = f.flags & C_WORD != 0;
                words +=
                    usize::from(word && !prev_word && f.flags & C_MARK == 0);
                prev_word = word;
                let start = out.len();
                // All six bytes, then back to the fold's length: a copy of
                // known size.
                out.extend_from_slice(&f.bytes);
                out.truncate(start + usize::from(f.len));
                if f.len > 0 {
                    prev_space = false;
                }
                record(segs, &mut in_ident, start, i, f.flags & C_IDENT != 0);
            }
            i += len;
            continue;
        }
        // Any other character: decode it and fold it the general way.
        let c = text[i..].chars().next().expect("char boundary");
        let len = c.len_utf8();
        if is_space(c) {
            prev_word = false;
            record(segs, &mut in_ident, out.len(), i, false);
            if !prev_space {
                prev_space = true;
                out.push(b' ');
            }
            i += len;
            continue;
        }
        let word = is_word_char(c);
        if word && !prev_word && !is_combining_mark(c) {
            words += 1;
        }
        prev_word = word;
        let start = out.len();
        let mut count = 0usize;
        fold_char(c, true, &mut |f| {
            out.extend_from_slice(f.encode_utf8(&mut [0; 4]).as_bytes());
            count += 1;
        });
        let produced = out.len() - start;
        // A character that folds to nothing (a combining mark, a soft
        // hyphen) leaves a run of spaces unbroken, as in `fold_str`.
        if produced > 0 {
            prev_space = false;
        }
        // One character of the same byte length: offsets stay aligned.
        record(segs, &mut in_ident, start, i, count == 1 && produced == len);
        i += len;
    }
    FoldEnd { words, in_ident }
}

/// Splits `bytes` into ranges of at least `chunk` bytes (`chunk` > 0;
/// the last may be shorter), each ending just after an ASCII white-space
/// byte or at the end. Never returns an empty range.
fn split_at_spaces(bytes: &[u8], chunk: usize) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let from = start.saturating_add(chunk - 1);
        let end = bytes
            .get(from..)
            .and_then(|rest| {
                rest.iter().position(|&b| BYTE_CLASS[usize::from(b)] == SPACE)
            })
            .map_or(bytes.len(), |p| from + p + 1);
        pieces.push(start..end);
        start = end;
    }
    pieces
}

impl Normalized {
    /// Creates an empty buffer.
    pub fn new() -> Normalized {
        Normalized::default()
    }

    /// Folds `text` into this buffer, replacing what was there.
    pub fn fold(&mut self, text: &str) {
        self.text.clear();
        self.segs.clear();
        self.orig_len = text.len();
        self.text.reserve(text.len());
        let end = fold_into(text, &mut self.text, &mut self.segs);
        self.words = end.words;
        self.push_sentinel();
    }

    /// Folds `text` into this buffer like [`fold`](Normalized::fold), with
    /// pieces of about `chunk` bytes folded in parallel on the current
    /// rayon thread pool. The result is identical to `fold`'s.
    ///
    /// Each piece is at least `chunk` bytes long (at least one byte when
    /// `chunk` is 0) and ends just after an ASCII white-space byte, or at
    /// the end of the text. There the fold is in its start-of-document
    /// state (white space just seen, no word open), so the pieces fold
    /// independently; their folded texts are then concatenated and their
    /// offset maps shifted and joined. A text with no ASCII white space
    /// after its first `chunk` bytes is one piece, folded by `fold` on
    /// this thread. Worth it only for documents of a megabyte or more, with
    /// chunks of a few hundred kilobytes: each piece is folded into a
    /// buffer of its own and copied once.
    pub fn fold_par(&mut self, text: &str, chunk: usize) {
        let pieces = split_at_spaces(text.as_bytes(), chunk.max(1));
        if pieces.len() < 2 {
            return self.fold(text);
        }
        let parts: Vec<Part> = pieces
            .par_iter()
            .map(|r| {
                let mut part = Part {
                    text: Vec::with_capacity(r.len()),
                    segs: Vec::new(),
                    end: FoldEnd { words: 0, in_ident: false },
                };
                part.end = fold_into(
                    &text[r.clone()],
                    &mut part.text,
                    &mut part.segs,
                );
                part
            })
            .collect();
        self.text.clear();
        self.segs.clear();
        self.orig_len = text.len();
        self.words = 0;
        self.text.reserve(parts.iter().map(|p| p.text.len()).sum());
        self.segs
            .reserve(parts.iter().map(|p| p.segs.len()).sum::<usize>() + 1);
        let mut in_ident = false;
        for (r, part) in pieces.iter().zip(&parts) {
            let (norm, orig) = (self.text.len(), r.start);
            // A piece is never empty, so it opens with a segment at its
            // start. If the piece before ended inside an identity segment
            // and this one opens with one, `fold` would have extended the
            // former (its offsets line up: it maps one to one up to here).
            let skip = usize::from(in_ident && part.segs[0].ident);
            self.segs.extend(part.segs[skip..].iter().map(|s| Seg {
                norm: s.norm + norm,
                orig: s.orig + orig,
                ident: s.ident,
            }));
            self.text.extend_from_slice(&part.text);
            self.words += part.end.words;
            in_ident = part.end.in_ident;
        }
        self.push_sentinel();
    }

    /// Ends the offset map: the end of the folded text maps to the end of
    /// the original.
    fn push_sentinel(&mut self) {
        self.segs.push(Seg {
            norm: self.text.len(),
            orig: self.orig_len,
            ident: false,
        });
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text).expect("folded text is UTF-8")
    }

    /// The folded text as bytes, for searching.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.text
    }

    /// Number of words (maximal runs of letters and digits) in the document.
    #[inline]
    pub fn words(&self) -> usize {
        self.words
    }

    /// Maps a byte offset in the folded text back to the original text.
    ///
    /// Returns `None` when `pos` falls inside the expansion of a single
    /// original character (`æ` folds to `ae`; the offset between `a` and `e`
    /// has no original counterpart). The end of the folded text maps to the
    /// end of the original; any characters the fold dropped (combining
    /// marks, extra spaces) just before a mapped position belong to what
    /// precedes it.
    #[inline]
    pub fn to_original(&self, pos: usize) -> Option<usize> {
        // The last segment starting at or before `pos`.
        let idx = self.segs.partition_point(|s| s.norm <= pos);
        if idx == 0 {
            return Some(0);
        }
        let seg = self.segs[idx - 1];
        if seg.norm == pos {
            return Some(seg.orig);
        }
        if seg.ident { Some(seg.orig + (pos - seg.norm)) } else { None }
    }

    /// Length of the original text this buffer was folded from.
    pub fn original_len(&self) -> usize {
        self.orig_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(text: &str) -> Normalized {
        let mut n = Normalized::new();
        n.fold(text);
        n
    }

    /// `Normalized::fold` as it was before the cache and `fold_into`,
    /// kept verbatim (but for `self` and the uncached `is_word_char`) as
    /// the reference.
    fn fold_reference(text: &str) -> Normalized {
        let mut this = Normalized::new();
        let this = &mut this;
        this.text.clear();
        this.segs.clear();
        this.orig_len = text.len();
        this.words = 0;
        this.text.reserve(text.len());
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut i = 0;
        // Whether the last segment is an identity segment that the next
        // identity byte extends.
        let mut in_ident = false;
        let mut prev_space = true; // no leading space at document start
        let mut prev_word = false;
        let mut words = 0;
        while i < n {
            let b = bytes[i];
            if b < 0x80 {
                // The ASCII fast path: one table lookup per byte, then one
                // place that records where the output byte came from.
                let out = match BYTE_CLASS[b as usize] {
                    WORD => {
                        words += usize::from(!prev_word);
                        prev_word = true;
                        prev_space = false;
                        Some(b.to_ascii_lowercase())
                    }
                    SPACE => {
                        prev_word = false;
                        // The second space of a run is dropped.
                        let first = !prev_space;
                        prev_space = true;
                        first.then_some(b' ')
                    }
                    _ => {
                        prev_word = false;
                        prev_space = false;
                        Some(b)
                    }
                };
                match out {
                    Some(o) => {
                        if !in_ident {
                            this.segs.push(Seg {
                                norm: this.text.len(),
                                orig: i,
                                ident: true,
                            });
                            in_ident = true;
                        }
                        this.text.push(o);
                    }
                    None => {
                        this.segs.push(Seg {
                            norm: this.text.len(),
                            orig: i,
                            ident: false,
                        });
                        in_ident = false;
                    }
                }
                i += 1;
                continue;
            }
            // Non-ASCII: decode one character.
            let c = text[i..].chars().next().expect("char boundary");
            let len = c.len_utf8();
            if is_space(c) {
                prev_word = false;
                this.segs.push(Seg {
                    norm: this.text.len(),
                    orig: i,
                    ident: false,
                });
                if !prev_space {
                    prev_space = true;
                    this.text.push(b' ');
                }
                in_ident = false;
                i += len;
                continue;
            }
            // `is_word_char` as it was (`c` is not ASCII here): the cache
            // must not take part in the reference.
            let word = c.is_alphanumeric() || is_combining_mark(c);
            if word && !prev_word && !is_combining_mark(c) {
                words += 1;
            }
            prev_word = word;
            let start = this.text.len();
            let mut count = 0usize;
            {
                let out = &mut this.text;
                fold_char(c, true, &mut |f| {
                    out.extend_from_slice(
                        f.encode_utf8(&mut [0; 4]).as_bytes(),
                    );
                    count += 1;
                });
            }
            let produced = this.text.len() - start;
            // A character that folds to nothing (a combining mark, a soft
            // hyphen) leaves a run of spaces unbroken, as in `fold_str`.
            if produced > 0 {
                prev_space = false;
            }
            if count == 1 && produced == len {
                // Same byte length, one character: offsets stay aligned.
                if !in_ident {
                    this.segs.push(Seg { norm: start, orig: i, ident: true });
                    in_ident = true;
                }
            } else {
                this.segs.push(Seg { norm: start, orig: i, ident: false });
                in_ident = false;
            }
            i += len;
        }
        this.words = words;
        // Sentinel: the end of the folded text maps to the end of the
        // original.
        this.segs.push(Seg {
            norm: this.text.len(),
            orig: text.len(),
            ident: false,
        });
        this.clone()
    }

    /// The characters of `range` (skipping surrogates).
    fn chars(range: Range<u32>) -> impl Iterator<Item = char> {
        range.filter_map(char::from_u32)
    }

    /// A sample beyond the table: combining marks, spaces, invisible
    /// characters, ligatures, letters of other blocks, dashes and quotes.
    const OTHERS: &[char] = &[
        '\u{0300}',
        '\u{0301}',
        '\u{0308}',
        '\u{0327}',
        '\u{0345}',
        '\u{0483}',
        '\u{05B0}',
        '\u{064B}',
        '\u{00A0}',
        '\u{1680}',
        '\u{2000}',
        '\u{2007}',
        '\u{200A}',
        '\u{200B}',
        '\u{2028}',
        '\u{2029}',
        '\u{202F}',
        '\u{205F}',
        '\u{3000}',
        '\u{00AD}',
        '\u{200C}',
        '\u{200D}',
        '\u{2060}',
        '\u{FEFF}',
        'æ',
        'Æ',
        'ß',
        'ẞ',
        'ǅ',
        'ǆ',
        'Ǆ',
        'ﬁ',
        'ﬀ',
        'ŉ',
        'İ',
        'ı',
        'Ⱥ',
        'Ⱦ',
        'ΐ',
        'ᾂ',
        'ᾈ',
        'Ω',
        'K',
        'Å',
        'ø',
        'þ',
        '\u{2010}',
        '\u{2011}',
        '\u{2014}',
        '\u{2015}',
        '\u{2018}',
        '\u{2019}',
        '\u{201B}',
        '\u{201C}',
        '\u{2032}',
        '\u{2212}',
        '\u{FE58}',
        '\u{FE63}',
        '\u{FF0D}',
        '\u{FF07}',
        'Ｋ',
        '東',
        '한',
        '\u{1E9E}',
        'ḗ',
        'Ạ',
        '\u{10400}',
        '\u{1D400}',
        '\u{1F600}',
        '\u{0E33}',
        '\u{0B48}',
        '\u{1100}',
        '\u{20DD}',
        '\u{FE0F}',
        '\u{E0001}',
    ];

    /// Every ASCII character, every character the table covers, then the
    /// sample.
    fn all_chars() -> impl Iterator<Item = char> {
        chars(0..0x80)
            .chain(chars(TWO_BYTE))
            .chain(chars(PUNCT))
            .chain(OTHERS.iter().copied())
    }

    /// Folds `text` with `fold`, with `fold_par` at several chunk sizes,
    /// and the reference way, and checks that all agree.
    #[track_caller]
    fn check_same(text: &str) {
        let want = fold_reference(text);
        let got = fold(text);
        assert_eq!(got, want, "fold {text:?}");
        for chunk in [0, 1, 2, 3, 7, 64] {
            let mut par = Normalized::new();
            par.fold_par(text, chunk);
            assert_eq!(par, want, "fold_par {text:?} in chunks of {chunk}");
        }
    }

    /// Each cached entry is what the general functions say, and the
    /// cached `is_word_char` agrees with the uncached one.
    #[test]
    fn cache_matches_general_functions() {
        for b in 0..=0xFFu8 {
            let class = match b {
                0x80.. => NON_ASCII,
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => WORD,
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => SPACE,
                _ => OTHER,
            };
            assert_eq!(BYTE_CLASS[usize::from(b)], class, "{b:#x}");
        }
        for b in 0..0x80u8 {
            let want = match BYTE_CLASS[b as usize] {
                SPACE => b' ',
                _ => b.to_ascii_lowercase(),
            };
            assert_eq!(fold_ascii(b), want, "{b:#x}");
        }
        let mut long = 0;
        for c in chars(TWO_BYTE).chain(chars(PUNCT)) {
            let f = CharFold::of(c).expect("cached");
            assert_eq!(*f, CharFold::compute(c), "{c:?}");
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            let (g, len) = CharFold::at(s.as_bytes(), 0).expect("cached");
            assert!(std::ptr::eq(f, g), "{c:?} decoded from its bytes");
            assert_eq!(len, c.len_utf8());
            assert_eq!(f.flags & C_SPACE != 0, is_space(c), "{c:?}");
            assert_eq!(f.flags & C_MARK != 0, is_combining_mark(c), "{c:?}");
            let word = c.is_alphanumeric() || is_combining_mark(c);
            assert_eq!(f.flags & C_WORD != 0, word, "{c:?}");
            assert_eq!(is_word_char(c), word, "{c:?}");
            if f.flags & C_LONG != 0 {
                long += 1;
                continue;
            }
            let mut folded = String::new();
            let mut count = 0;
            fold_char(c, true, &mut |d| {
                folded.push(d);
                count += 1;
            });
            assert_eq!(&f.bytes[..usize::from(f.len)], folded.as_bytes());
            assert!(f.bytes[usize::from(f.len)..].iter().all(|&b| b == 0));
            let ident = count == 1 && folded.len() == c.len_utf8();
            assert_eq!(f.flags & C_IDENT != 0, ident, "{c:?}");
        }
        // Every cached character fits today; the fallback is for safety.
        assert_eq!(long, 0);
        for &c in OTHERS {
            let cp = c as u32;
            let cached = TWO_BYTE.contains(&cp) || PUNCT.contains(&cp);
            assert_eq!(CharFold::of(c).is_some(), cached, "{c:?}");
            let word = c.is_alphanumeric() || is_combining_mark(c);
            assert_eq!(is_word_char(c), word, "{c:?}");
        }
        for c in ['\u{0800}', '\u{1FFF}', '\u{2080}', '\u{E000}', '\u{10000}']
        {
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            assert!(CharFold::at(s.as_bytes(), 0).is_none(), "{c:?}");
            assert!(CharFold::of(c).is_none(), "{c:?}");
        }
    }

    /// Each character alone and in every context that matters to the
    /// fold's state (after a letter, a space, a mark, itself; before a
    /// letter, a space, a mark) folds as before: text, offset map, words.
    #[test]
    fn every_cached_char_folds_as_before() {
        for c in all_chars() {
            check_same(&c.to_string());
            check_same(&format!(
                "a{c}b {c} {c}{c}x  {c}\n{c}.{c}A \u{301}{c}"
            ));
            check_same(&format!(
                " {c}  {c}\u{301} \u{a0}{c}\u{ad}é{c}\u{2019}"
            ));
        }
    }

    /// A small deterministic generator (xorshift), for texts.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Random texts of cached and sampled characters mixed with ASCII
    /// letters, punctuation and runs of white space fold as before.
    #[test]
    fn mixed_texts_fold_as_before() {
        let pool: Vec<char> = all_chars().collect();
        let ascii: Vec<char> = "aZ09 .,'-\n\t  \r".chars().collect();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..500 {
            let len = rng.below(200);
            let text: String = (0..len)
                .map(|_| {
                    if rng.below(2) == 0 {
                        pool[rng.below(pool.len())]
                    } else {
                        ascii[rng.below(ascii.len())]
                    }
                })
                .collect();
            check_same(&text);
        }
    }

    #[test]
    fn fold_par_matches_fold_at_chunk_edges() {
        let texts = [
            "",
            " ",
            "   ",
            "a",
            "no-space-at-all-in-this-document,Ünïcödé—ТОЖЕ",
            "Côte d\u{2019}Ivoire   and   Москва\n\n\n  Ελλάδα   ",
            "a  \n\t b \u{301}  \u{ad}c \u{a0} d\u{200B} e",
            "wordé éword \u{301}word ÆØÅ æøå ß ẞ ǅ",
            "     leading and trailing     ",
            "x \u{301}\u{301} y \u{ad} z",
            "é é\u{301} \u{2019}\u{2019} ﬁ ﬁ 東 東\r\n",
        ];
        for text in texts {
            check_same(text);
            for chunk in 1..=text.len() + 1 {
                let mut par = Normalized::new();
                par.fold_par(text, chunk);
                assert_eq!(par, fold(text), "{text:?} in chunks of {chunk}");
            }
        }
        // A long document in many pieces, into a reused buffer.
        let big = "Le  Côte d\u{2019}Ivoire\n\nÆ x Москва — Ελλάδα, 2024. "
            .repeat(500);
        let mut par = Normalized::new();
        for chunk in [1, 7, 64, 1000, 4096, big.len(), big.len() + 1] {
            par.fold_par(&big, chunk);
            assert_eq!(par, fold(&big), "chunks of {chunk}");
        }
        // Pieces end after ASCII white space, and only there.
        assert_eq!(split_at_spaces(b"ab cd\tef\n", 1), [0..3, 3..6, 6..9]);
        assert_eq!(split_at_spaces(b"ab cd\tef", 4), [0..6, 6..8]);
        assert_eq!(split_at_spaces(b"abcdef", 1), vec![(0..6)]);
        assert!(split_at_spaces(b"", 1).is_empty());
        assert_eq!(split_at_spaces(b"a b", usize::MAX), vec![(0..3)]);
        assert_eq!(split_at_spaces(b"a b", 2), [0..2, 2..3]);
    }

    /// Every mapped offset lands on a char boundary of the original, and
    /// the folded text of each original slice matches.
    #[test]
    fn folding_table() {
        let cases: &[(&str, &str)] = &[
            ("Pakistan", "pakistan"),
            ("Pakistan\u{2019}s", "pakistan's"),
            ("State\n  Department", "state department"),
            ("State\u{00A0}Department", "state department"),
            ("US\u{2011}Pakistan", "us-pakistan"),
            ("Côte d\u{2019}Ivoire", "cote d'ivoire"),
            ("Co\u{0302}te", "cote"),
            ("Türkiye", "turkiye"),
            ("TÜRKIYE", "turkiye"),
            ("Æsir Łódź", "aesir lodz"),
            ("  lead", "lead"),
            ("Москва", "москва"),
            ("Paki\u{00AD}stan", "pakistan"),
            ("a \u{2014} b", "a - b"),
            ("a \u{0301} b", "a b"),
            ("a \u{00AD}", "a "),
        ];
        for &(input, want) in cases {
            let n = fold(input);
            assert_eq!(n.as_str(), want, "folding {input:?}");
        }
    }

    #[test]
    fn offsets_map_back() {
        let text = "Le  Côte d’Ivoire\n\nÆ x";
        let n = fold(text);
        assert_eq!(n.as_str(), "le cote d'ivoire ae x");
        let f = n.as_str();
        let s = f.find("cote").unwrap();
        let e = s + "cote d'ivoire".len();
        let os = n.to_original(s).unwrap();
        let oe = n.to_original(e).unwrap();
        assert_eq!(&text[os..oe], "Côte d’Ivoire");
        // inside the expansion of Æ
        let ae = f.find("ae").unwrap();
        assert!(n.to_original(ae).is_some());
        assert_eq!(n.to_original(ae + 1), None);
        assert_eq!(n.to_original(f.len()), Some(text.len()));
    }

    #[test]
    fn words_are_counted() {
        assert_eq!(fold("The US-Pakistan talks, 2024.").words(), 5);
        assert_eq!(fold("").words(), 0);
        assert_eq!(fold("Côte d’Ivoire").words(), 3);
    }

    #[test]
    fn fold_str_ascii_path_agrees_with_the_general_path() {
        let bytes: Vec<u8> = (0u8..128).collect();
        // Every ASCII byte, alone, doubled, and between letters and spaces.
        for &b in &bytes {
            let c = char::from(b);
            for s in [
                format!("{c}"),
                format!("{c}{c}"),
                format!(" A{c} b{c}\t"),
                format!("{c} \n {c}Z"),
            ] {
                for lower in [true, false] {
                    assert_eq!(
                        fold_str(&s, lower),
                        fold_str_chars(&s, lower, String::new()),
                        "{s:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn fold_str_keeps_case_on_request() {
        assert_eq!(fold_str("  U.S.\u{00A0} Army ", false), "U.S. Army");
        assert_eq!(fold_str("Türkiye", true), "turkiye");
    }
}
