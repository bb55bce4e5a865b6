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
#[derive(Clone, Debug, Default)]
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

/// The class of each ASCII byte: letters and digits are words; space, tab,
/// line feed, vertical tab, form feed and carriage return are spaces.
static ASCII_CLASS: [u8; 128] = {
    let mut t = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = WORD;
        } else if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) {
            t[b] = SPACE;
        }
        b += 1;
    }
    t
};

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
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// Folds a short string (an alias, a keyword), keeping or dropping case.
/// White space runs become one space; leading and trailing space is removed.
pub fn fold_str(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
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
        self.words = 0;
        self.text.reserve(text.len());
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
                let out = match ASCII_CLASS[b as usize] {
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
                            self.segs.push(Seg {
                                norm: self.text.len(),
                                orig: i,
                                ident: true,
                            });
                            in_ident = true;
                        }
                        self.text.push(o);
                    }
                    None => {
                        self.segs.push(Seg {
                            norm: self.text.len(),
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
                self.segs.push(Seg {
                    norm: self.text.len(),
                    orig: i,
                    ident: false,
                });
                if !prev_space {
                    prev_space = true;
                    self.text.push(b' ');
                }
                in_ident = false;
                i += len;
                continue;
            }
            let word = is_word_char(c);
            if word && !prev_word && !is_combining_mark(c) {
                words += 1;
            }
            prev_word = word;
            let start = self.text.len();
            let mut count = 0usize;
            {
                let out = &mut self.text;
                fold_char(c, true, &mut |f| {
                    out.extend_from_slice(
                        f.encode_utf8(&mut [0; 4]).as_bytes(),
                    );
                    count += 1;
                });
            }
            let produced = self.text.len() - start;
            // A character that folds to nothing (a combining mark, a soft
            // hyphen) leaves a run of spaces unbroken, as in `fold_str`.
            if produced > 0 {
                prev_space = false;
            }
            if count == 1 && produced == len {
                // Same byte length, one character: offsets stay aligned.
                if !in_ident {
                    self.segs.push(Seg { norm: start, orig: i, ident: true });
                    in_ident = true;
                }
            } else {
                self.segs.push(Seg { norm: start, orig: i, ident: false });
                in_ident = false;
            }
            i += len;
        }
        self.words = words;
        // Sentinel: the end of the folded text maps to the end of the
        // original.
        self.segs.push(Seg {
            norm: self.text.len(),
            orig: text.len(),
            ident: false,
        });
    }

    /// Placeholder for the parallel fold: folds sequentially.
    pub fn fold_par(&mut self, text: &str, _chunk: usize) {
        self.fold(text);
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
    fn fold_str_keeps_case_on_request() {
        assert_eq!(fold_str("  U.S.\u{00A0} Army ", false), "U.S. Army");
        assert_eq!(fold_str("Türkiye", true), "turkiye");
    }
}
