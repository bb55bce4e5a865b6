//! Deterministic generator of benchmark gazetteers and news-like corpora.
//!
//! Everything is derived from one seed, so the criterion benchmarks
//! (`benches/tag.rs`) and the comparison (`benches/compare.sh`, through the
//! `gen` binary of `benches/raw/`) see the same data on every machine
//! without downloading anything. The module uses only `std`.
//!
//! - The *universe* is an endless sequence of invented entities: people
//!   (`Firstname Lastname`, some with a middle initial), organisations
//!   (`Velmora Ministry of Fisheries` with its acronym, `Tarin Holdings`),
//!   places (`Port Kelvano`, with a demonym), Cyrillic and Greek names, and
//!   Latin names with diacritics. Entity `i` depends only on the seed and
//!   `i`.
//! - A gazetteer of `n` aliases holds the first entities of the universe,
//!   names that fold alike to an earlier name removed, until it has `n`
//!   names. Smaller gazetteers are therefore prefixes of larger ones.
//! - The corpus is word-salad news prose from a fixed vocabulary (English,
//!   with some Russian and Greek documents, curly quotes and dashes in half
//!   the documents), with an entity name planted about once every 20 words.
//!   Planted entities follow a log-uniform (Zipf-like) law over the first
//!   2^20 entities, so a small gazetteer knows the frequent ones and a
//!   larger one knows more of the rare ones, as with real news.
//!
//! [`Corpus::planted_in`] counts the planted names a gazetteer knows: each
//! yields one mention (a longer alias may cover it), which gives the
//! benchmarks a lower bound to check the tagger's counts against.

use std::collections::HashSet;
use std::fmt::Write as _;

/// The default seed.
pub const SEED: u64 = 0x6761_7a74_6167; // "gaztag"

/// How many entities of the universe the corpus plants names of.
pub const UNIVERSE: u64 = 1 << 20;

/// SplitMix64: small, fast, and good enough for synthetic text.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// A uniform number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniform element of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// One invented entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenEntity {
    /// Its index in the universe.
    pub index: u64,
    /// `person`, `organization` or `place`.
    pub kind: &'static str,
    /// The canonical name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
}

#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "ka", "ri", "to", "ma", "lo", "ven", "dar", "si", "na", "bel", "or", "ta",
    "mi", "re", "zan", "co", "li", "ber", "ga", "no", "vi", "sto", "la",
    "mar", "te", "ro", "du", "pe", "fa", "ni", "ha", "kel", "ur", "sa", "po",
    "ne", "val", "gi", "ra", "mo", "tu", "dro", "ek", "fen", "jo", "qua",
    "ste", "vor", "yl", "bra", "cin", "dal", "esh", "gor", "hal", "ith",
    "kor", "lun", "mer", "nor", "pra", "sel", "tor", "zel",
];
#[rustfmt::skip]
const PLACE_ENDINGS: &[&str] = &[
    "ia", "ovo", "burg", "stad", "ville", "grad", "pur", "abad", "mora",
    "land", "ton", "heim", "polis", "ara", "esk", "an",
];
#[rustfmt::skip]
const FIELDS: &[&str] = &[
    "Finance", "Defence", "Health", "Education", "Agriculture", "Fisheries",
    "Energy", "Transport", "Justice", "Labour", "Trade", "Culture",
    "Interior", "Foreign Affairs", "Water Resources", "Mines", "Tourism",
    "Communications", "Environment", "Housing",
];
#[rustfmt::skip]
const COMPANY: &[&str] = &[
    "Holdings", "Group", "Bank", "Capital", "Energy", "Airlines", "Telecom",
    "Industries", "Logistics", "Mining", "Partners", "Shipping",
];
#[rustfmt::skip]
const PLACE_FORMS: &[&str] = &[
    "Port {}", "San {}", "{} City", "Lake {}", "Mount {}", "New {}",
    "{} Province", "North {}", "South {}", "{} Valley",
];
#[rustfmt::skip]
const CYR_SYLLABLES: &[&str] = &[
    "ва", "ло", "ми", "ра", "ко", "ен", "ин", "ов", "ска", "на", "де", "ри",
    "то", "ль", "сла", "бо", "жа", "ге", "ни", "мир", "ста", "ку", "зне",
    "цов", "ша", "ха", "лю", "дми", "тр", "гор",
];
const CYR_LAST: &[&str] = &["ов", "ев", "ин", "ский", "енко", "ович"];
#[rustfmt::skip]
const GRK_SYLLABLES: &[&str] = &[
    "πα", "πά", "δο", "πού", "λο", "νί", "κο", "γι", "ώρ", "γο", "μα", "ρί",
    "α", "κα", "τε", "νη", "σο", "φί", "θε", "ξε", "δη", "μή", "τρι", "χρι",
    "στό", "βα", "σί", "λη", "ευ", "ζω",
];
const GRK_LAST: &[&str] = &["ος", "ης", "άκης", "όπουλος", "ίδης", "άτος"];

/// Latin letters and their diacritic variants.
const DIACRITICS: &[(char, &[char])] = &[
    ('a', &['á', 'ä', 'å', 'ã']),
    ('e', &['é', 'è', 'ë']),
    ('i', &['í', 'ï']),
    ('o', &['ó', 'ö', 'ø']),
    ('u', &['ú', 'ü']),
    ('c', &['ç', 'č']),
    ('n', &['ñ']),
    ('s', &['ş', 'š']),
    ('l', &['ł']),
    ('z', &['ž']),
];

/// Function words, drawn often.
#[rustfmt::skip]
const FUNCTION: &[&str] = &[
    "the", "the", "the", "a", "of", "of", "to", "in", "and", "and", "on",
    "for", "with", "that", "was", "is", "by", "at", "from", "as", "it", "has",
    "have", "be", "will", "after", "over", "its", "their", "this", "but",
    "not", "more", "than", "about", "into",
];

/// Content words of English news.
#[rustfmt::skip]
const CONTENT: &[&str] = &[
    "said", "officials", "government", "minister", "talks", "agreement",
    "security", "economic", "president", "week", "year", "report",
    "spokesman", "meeting", "country", "forces", "election", "vote",
    "parliament", "prices", "market", "growth", "inflation", "border",
    "trade", "deal", "sanctions", "police", "court", "ruling", "judge",
    "protest", "crowd", "leaders", "summit", "delegation", "visit",
    "statement", "announced", "expected", "according", "people", "killed",
    "injured", "attack", "military", "troops", "ceasefire", "negotiations",
    "budget", "deficit", "loan", "fund", "investors", "shares", "index",
    "percent", "million", "billion", "company", "chief", "executive", "board",
    "quarter", "profit", "revenue", "oil", "gas", "exports", "imports",
    "farmers", "harvest", "drought", "floods", "storm", "rescue", "hospital",
    "doctors", "patients", "vaccine", "outbreak", "schools", "students",
    "teachers", "strike", "workers", "union", "wages", "jobs", "unemployment",
    "housing", "rents", "city", "capital", "region", "province", "village",
    "residents", "local", "national", "foreign", "international", "regional",
    "senior", "former", "new", "first", "last", "next", "major", "key", "top",
    "told", "reporters", "added", "warned", "urged", "called", "rejected",
    "approved", "signed", "launched", "opened", "closed", "rose", "fell",
    "increased", "cut", "plans", "plan", "policy", "reform", "law", "bill",
    "tax", "taxes", "power", "energy", "water", "food", "aid", "support",
    "crisis", "conflict", "peace", "war", "rebels", "opposition", "party",
    "coalition", "campaign", "candidate", "voters", "polls", "results",
    "counting", "allegations", "investigation", "corruption", "charges",
    "arrested", "released", "prison", "sentence", "appeal", "rights",
    "groups", "journalists", "media", "television", "radio", "online",
    "social", "network", "technology", "digital", "data", "cyber",
    "infrastructure", "roads", "railway", "airport", "port", "flights",
    "passengers", "tourists", "season", "match", "team", "coach", "players",
    "league", "final", "win", "defeat", "score", "goals", "fans", "stadium",
    "record", "during", "while", "despite", "amid", "before", "since",
    "because", "however", "also", "still", "already", "recently", "later",
    "earlier", "monday", "tuesday", "wednesday", "thursday", "friday",
    "weekend",
];

/// Russian words (Cyrillic documents).
#[rustfmt::skip]
const RUSSIAN: &[&str] = &[
    "и", "в", "на", "с", "по", "не", "что", "для", "о", "из", "заявил",
    "правительство", "министр", "переговоры", "соглашение", "безопасность",
    "экономика", "президент", "неделе", "году", "доклад", "встреча", "страны",
    "выборы", "парламент", "цены", "рынок", "рост", "инфляция", "граница",
    "торговля", "санкции", "полиция", "суд", "решение", "протест", "лидеры",
    "саммит", "делегация", "визит", "заявление", "люди", "армия", "бюджет",
    "кредит", "фонд", "инвесторы", "акции", "процентов", "миллионов",
    "компания", "нефть", "газ", "экспорт", "больница", "врачи", "школы",
    "забастовка", "рабочие", "город", "регион", "жители", "местные", "новый",
    "сообщил", "журналистам",
];

/// Greek words (Greek documents).
#[rustfmt::skip]
const GREEK: &[&str] = &[
    "και", "το", "η", "ο", "στην", "του", "της", "με", "για", "από", "δήλωσε",
    "κυβέρνηση", "υπουργός", "συνομιλίες", "συμφωνία", "ασφάλεια",
    "οικονομία", "πρόεδρος", "εβδομάδα", "έτος", "έκθεση", "συνάντηση",
    "χώρα", "εκλογές", "βουλή", "τιμές", "αγορά", "ανάπτυξη", "πληθωρισμός",
    "σύνορα", "εμπόριο", "κυρώσεις", "αστυνομία", "δικαστήριο", "απόφαση",
    "διαμαρτυρία", "ηγέτες", "σύνοδος", "αντιπροσωπεία", "επίσκεψη",
    "ανακοίνωση", "πολίτες", "στρατός", "προϋπολογισμός", "δάνειο", "ταμείο",
    "επενδυτές", "μετοχές", "τοις", "εκατομμύρια", "εταιρεία", "πετρέλαιο",
    "φυσικό", "εξαγωγές", "νοσοκομείο", "γιατροί", "σχολεία", "απεργία",
    "εργαζόμενοι", "πόλη", "περιοχή", "κάτοικοι", "νέος",
];

/// The key under which two names count as the same alias: lower case
/// without diacritics, as gaztag folds them.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let base = DIACRITICS
            .iter()
            .find(|(_, vs)| vs.contains(&c))
            .map(|(b, _)| *b)
            .or(match c {
                'ά' => Some('α'),
                'έ' => Some('ε'),
                'ή' => Some('η'),
                'ί' => Some('ι'),
                'ό' => Some('ο'),
                'ύ' => Some('υ'),
                'ώ' => Some('ω'),
                _ => None,
            });
        out.push(base.unwrap_or(c));
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn word(rng: &mut Rng, syllables: &[&str], min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    (0..n).map(|_| rng.pick(syllables)).collect()
}

fn latin_word(rng: &mut Rng) -> String {
    capitalise(&word(rng, SYLLABLES, 2, 3))
}

fn place_word(rng: &mut Rng) -> String {
    let mut w = word(rng, SYLLABLES, 1, 2);
    w.push_str(rng.pick(PLACE_ENDINGS));
    capitalise(&w)
}

/// Replaces one letter that has diacritic variants by one of them.
fn add_diacritic(rng: &mut Rng, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let spots: Vec<usize> = (0..chars.len())
        .filter(|&i| DIACRITICS.iter().any(|(b, _)| *b == chars[i]))
        .collect();
    if spots.is_empty() {
        return s.to_string();
    }
    let at = rng.pick(&spots);
    let (_, variants) =
        DIACRITICS.iter().find(|(b, _)| *b == chars[at]).expect("spot");
    let mut chars = chars;
    chars[at] = rng.pick(variants);
    chars.into_iter().collect()
}

fn acronym(name: &str) -> Option<String> {
    let a: String = name
        .split(' ')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect();
    (a.chars().count() >= 3 && a.is_ascii()).then_some(a)
}

/// Whether a single-word name could be mistaken for prose.
fn clashes_with_vocabulary(name: &str, vocabulary: &HashSet<String>) -> bool {
    name.split(' ').any(|w| vocabulary.contains(&fold_key(w)))
}

/// The entities, deterministic in `(seed, index)`.
#[derive(Clone, Debug)]
pub struct Universe {
    seed: u64,
    vocabulary: HashSet<String>,
}

impl Universe {
    /// The universe of `seed`.
    pub fn new(seed: u64) -> Universe {
        let vocabulary = FUNCTION
            .iter()
            .chain(CONTENT)
            .chain(RUSSIAN)
            .chain(GREEK)
            .map(|w| fold_key(w))
            .collect();
        Universe { seed, vocabulary }
    }

    /// Entity `index`.
    pub fn entity(&self, index: u64) -> GenEntity {
        let mut rng = Rng::new(
            self.seed
                ^ index.wrapping_mul(0x2545_f491_4f6c_dd1d).rotate_left(17),
        );
        loop {
            let e = self.draw(&mut rng, index);
            let mut all = std::iter::once(&e.name).chain(&e.aliases);
            if !all.any(|n| {
                clashes_with_vocabulary(n, &self.vocabulary)
                    && !n.contains(' ')
            }) {
                return e;
            }
        }
    }

    fn draw(&self, rng: &mut Rng, index: u64) -> GenEntity {
        let r = rng.unit();
        let mut aliases = Vec::new();
        let (kind, mut name) = if r < 0.40 {
            let (first, last) = (latin_word(rng), latin_word(rng));
            if rng.chance(0.3) {
                let middle = (b'A' + rng.below(26) as u8) as char;
                aliases.push(format!("{first} {middle}. {last}"));
            }
            ("person", format!("{first} {last}"))
        } else if r < 0.65 {
            let name = match rng.below(4) {
                0 => format!(
                    "{} Ministry of {}",
                    place_word(rng),
                    rng.pick(FIELDS)
                ),
                1 => format!("{} {}", latin_word(rng), rng.pick(COMPANY)),
                2 => format!(
                    "{} {}",
                    place_word(rng),
                    rng.pick(&[
                        "University",
                        "Institute of Technology",
                        "Central Bank",
                        "Football Club",
                        "Chamber of Commerce",
                        "People's Party",
                    ])
                ),
                _ => format!(
                    "National {} Agency of {}",
                    rng.pick(FIELDS),
                    place_word(rng)
                ),
            };
            if rng.chance(0.7)
                && let Some(a) = acronym(&name)
            {
                aliases.push(a);
            }
            ("organization", name)
        } else if r < 0.85 {
            let base = place_word(rng);
            let name = if rng.chance(0.5) {
                base.clone()
            } else {
                rng.pick(PLACE_FORMS).replace("{}", &base)
            };
            if rng.chance(0.25) {
                aliases.push(format!("{base}n"));
            }
            ("place", name)
        } else if r < 0.93 {
            let first = capitalise(&word(rng, CYR_SYLLABLES, 2, 3));
            let mut last = capitalise(&word(rng, CYR_SYLLABLES, 1, 2));
            last.push_str(rng.pick(CYR_LAST));
            if rng.chance(0.3) {
                ("place", capitalise(&word(rng, CYR_SYLLABLES, 2, 4)))
            } else {
                ("person", format!("{first} {last}"))
            }
        } else {
            let first = capitalise(&word(rng, GRK_SYLLABLES, 2, 3));
            let mut last = capitalise(&word(rng, GRK_SYLLABLES, 1, 3));
            last.push_str(rng.pick(GRK_LAST));
            if rng.chance(0.3) {
                ("place", capitalise(&word(rng, GRK_SYLLABLES, 2, 4)))
            } else {
                ("person", format!("{first} {last}"))
            }
        };
        if r < 0.85 && rng.chance(0.15) {
            // Only the first word: "Ministry of Finance" keeps its spelling.
            let (first, rest) =
                name.split_at(name.find(' ').unwrap_or(name.len()));
            name = add_diacritic(rng, first) + rest;
        }
        GenEntity { index, kind, name, aliases }
    }
}

/// A gazetteer: the first entities of the universe, without repeated
/// names.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// The entities kept.
    pub entities: Vec<GenEntity>,
    /// Names (canonical names and aliases) kept.
    pub names: usize,
    /// Every entity of the universe below this index has all of its names
    /// in the gazetteer (possibly as another entity's name).
    pub covers: u64,
}

impl Gazetteer {
    /// The first entities of `universe` up to about `names` names.
    pub fn new(universe: &Universe, names: usize) -> Gazetteer {
        let mut g = Gazetteer::default();
        let mut seen: HashSet<String> = HashSet::new();
        let mut index = 0;
        while g.names < names {
            let mut e = universe.entity(index);
            index += 1;
            if !seen.insert(fold_key(&e.name)) {
                continue;
            }
            e.aliases.retain(|a| seen.insert(fold_key(a)));
            g.names += 1 + e.aliases.len();
            g.entities.push(e);
        }
        g.covers = index;
        g
    }

    /// The first entities holding about `names` names (a smaller gazetteer
    /// of the same universe, as [`Gazetteer::new`] would build it).
    pub fn prefix(&self, names: usize) -> Gazetteer {
        let mut g = Gazetteer::default();
        for e in &self.entities {
            if g.names >= names {
                break;
            }
            g.names += 1 + e.aliases.len();
            g.covers = e.index + 1;
            g.entities.push(e.clone());
        }
        g
    }

    /// The gazetteer as TOML, in gaztag's format.
    pub fn to_toml(&self) -> String {
        self.toml_range(0, self.entities.len())
    }

    /// Entities `from..to` as one TOML file.
    pub fn toml_range(&self, from: usize, to: usize) -> String {
        let mut s = String::with_capacity((to - from) * 80 + 64);
        s.push_str("[domain]\nname = \"bench\"\ntype = \"misc\"\n");
        for e in &self.entities[from..to] {
            let _ = write!(
                s,
                "\n[[entity]]\nid = \"e{}\"\nname = {}\ntype = \"{}\"\n",
                e.index,
                toml_string(&e.name),
                e.kind
            );
            if !e.aliases.is_empty() {
                s.push_str("aliases = [");
                for (i, a) in e.aliases.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push_str(&toml_string(a));
                }
                s.push_str("]\n");
            }
        }
        s
    }

    /// Every name, one per line (for ripgrep, FlashText, pyahocorasick).
    pub fn alias_lines(&self) -> String {
        let mut s = String::new();
        for e in &self.entities {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                s.push_str(n);
                s.push('\n');
            }
        }
        s
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON string (non-ASCII kept as UTF-8).
pub fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Corpus options.
#[derive(Clone, Debug)]
pub struct CorpusSpec {
    /// Seed (the universe's seed is separate).
    pub seed: u64,
    /// Bytes of short documents, about.
    pub short_bytes: usize,
    /// Number of long documents.
    pub long_docs: usize,
    /// Bytes of each long document, about.
    pub long_bytes: usize,
    /// Share of documents in Russian or Greek.
    pub non_latin: f64,
    /// One entity name per this many words, on average.
    pub words_per_entity: f64,
}

impl Default for CorpusSpec {
    fn default() -> CorpusSpec {
        CorpusSpec {
            seed: SEED ^ 0xc0,
            short_bytes: 4 << 20,
            long_docs: 1,
            long_bytes: 512 << 10,
            non_latin: 0.1,
            words_per_entity: 20.0,
        }
    }
}

/// Generated documents and the entities planted in them.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// The documents' texts, in order (long ones spread among short ones).
    pub docs: Vec<String>,
    /// Universe index of every planted name, in document order.
    pub planted: Vec<u32>,
}

impl Corpus {
    /// Generates the documents of `spec`.
    pub fn new(universe: &Universe, spec: &CorpusSpec) -> Corpus {
        let mut w = CorpusWriter::new(universe, spec);
        let mut corpus = Corpus::default();
        let mut bytes = 0;
        let mut long_left = spec.long_docs;
        // Spread the long documents evenly among the short ones.
        let every = spec.short_bytes / (spec.long_docs + 1).max(1);
        let mut next_long = every;
        while bytes < spec.short_bytes || long_left > 0 {
            let doc = if long_left > 0
                && (bytes >= next_long || bytes >= spec.short_bytes)
            {
                long_left -= 1;
                next_long += every;
                w.document(spec.long_bytes, &mut corpus.planted)
            } else {
                let target = w.short_length();
                let d = w.document(target, &mut corpus.planted);
                bytes += d.len();
                d
            };
            corpus.docs.push(doc);
        }
        corpus
    }

    /// Total bytes of text.
    pub fn bytes(&self) -> usize {
        self.docs.iter().map(String::len).sum()
    }

    /// Planted names that `gazetteer` knows.
    pub fn planted_in(&self, gazetteer: &Gazetteer) -> usize {
        self.planted
            .iter()
            .filter(|&&i| u64::from(i) < gazetteer.covers)
            .count()
    }
}

/// Writes documents one at a time (the `gen` binary streams them to disk).
#[derive(Debug)]
pub struct CorpusWriter<'u> {
    universe: &'u Universe,
    rng: Rng,
    non_latin: f64,
    plant_p: f64,
    cache: std::collections::HashMap<u32, GenEntity>,
}

impl<'u> CorpusWriter<'u> {
    /// A writer for `spec`'s documents.
    pub fn new(universe: &'u Universe, spec: &CorpusSpec) -> CorpusWriter<'u> {
        CorpusWriter {
            universe,
            rng: Rng::new(spec.seed),
            non_latin: spec.non_latin,
            plant_p: 1.0 / spec.words_per_entity.max(1.0),
            cache: Default::default(),
        }
    }

    /// A news article length: mostly 1-4 KB, a few up to 16 KB.
    pub fn short_length(&mut self) -> usize {
        let u = self.rng.unit();
        (400.0 * (40.0f64).powf(u * u)) as usize + self.rng.below(800)
    }

    fn entity_name(&mut self) -> (u32, String) {
        // Log-uniform over 1..=UNIVERSE: P(rank r) ~ 1/r.
        let r = ((UNIVERSE as f64 + 1.0).powf(self.rng.unit()) as u64)
            .clamp(1, UNIVERSE)
            - 1;
        let universe = self.universe;
        if self.cache.len() > 1 << 16 {
            self.cache.clear();
        }
        let e =
            self.cache.entry(r as u32).or_insert_with(|| universe.entity(r));
        let name = if e.aliases.is_empty() || self.rng.chance(0.65) {
            e.name.clone()
        } else {
            let i = self.rng.below(e.aliases.len());
            e.aliases[i].clone()
        };
        (r as u32, name)
    }

    /// One document of about `target` bytes; planted entity indexes are
    /// appended to `planted`.
    pub fn document(
        &mut self,
        target: usize,
        planted: &mut Vec<u32>,
    ) -> String {
        let lang = if self.rng.chance(self.non_latin) {
            if self.rng.chance(0.5) { RUSSIAN } else { GREEK }
        } else {
            CONTENT
        };
        let english = std::ptr::eq(lang, CONTENT);
        let curly = self.rng.chance(0.5);
        let (apos, open_q, close_q) = if curly {
            ("\u{2019}", "\u{201C}", "\u{201D}")
        } else {
            ("'", "\"", "\"")
        };
        let mut s = String::with_capacity(target + 256);
        // A headline, then paragraphs.
        self.sentence(&mut s, lang, english, 6, 10, apos, planted);
        s.pop(); // no full stop after the headline
        s.push_str("\n\n");
        while s.len() < target {
            let sentences = 2 + self.rng.below(5);
            for k in 0..sentences {
                if k > 0 {
                    s.push(' ');
                }
                let quoted = self.rng.chance(0.05);
                if quoted {
                    s.push_str(open_q);
                }
                self.sentence(&mut s, lang, english, 8, 28, apos, planted);
                if quoted {
                    s.push_str(close_q);
                }
                if curly && self.rng.chance(0.03) {
                    s.push_str(" \u{2014}");
                }
            }
            s.push_str("\n\n");
        }
        s.truncate(s.trim_end().len());
        s
    }

    #[allow(clippy::too_many_arguments)]
    fn sentence(
        &mut self,
        s: &mut String,
        lang: &[&str],
        english: bool,
        min: usize,
        max: usize,
        apos: &str,
        planted: &mut Vec<u32>,
    ) {
        let words = min + self.rng.below(max - min + 1);
        let mut after_name = true; // no name as the very first word
        for k in 0..words {
            if k > 0 {
                s.push(' ');
            }
            if !after_name && self.rng.chance(self.plant_p) {
                let (index, name) = self.entity_name();
                planted.push(index);
                s.push_str(&name);
                if self.rng.chance(0.1) {
                    s.push_str(apos);
                    s.push('s');
                }
                after_name = true;
            } else {
                after_name = false;
                let w: &str = if self.rng.chance(0.03) {
                    let n = self.rng.below(2030);
                    let _ = write!(s, "{n}");
                    if self.rng.chance(0.3) {
                        s.push('%');
                    }
                    ""
                } else if english && self.rng.chance(0.45) {
                    self.rng.pick(FUNCTION)
                } else {
                    self.rng.pick(lang)
                };
                if k == 0 && !w.is_empty() {
                    s.push_str(&capitalise(w));
                } else {
                    s.push_str(w);
                }
            }
            if k + 1 < words && self.rng.chance(0.06) {
                s.push(',');
            }
        }
        s.push('.');
    }
}
