//! The row model: what tagging finds in a document ([`Tags`]: mentions and
//! topic labels) and why candidates were dropped, as plain data. Every
//! other module may use it; it uses nothing of the crate.

/// How a mention was found.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum Via {
    /// The entity's canonical name.
    #[default]
    Name,
    /// One of its aliases.
    Alias,
    /// One of its `acronyms` in the gazetteer (`US`, `U.S.`, `UAE`). Not
    /// [`Via::Acronym`], which is an acronym the document itself defines.
    Abbreviation,
    /// One of its `former_names` (`Burma` for Myanmar, `Zaire` for the
    /// Democratic Republic of the Congo).
    Former,
    /// One of its `demonyms` (`Afghan`, `Afghans`, `Soviet`).
    Demonym,
    /// A partial person name resolved to a full name earlier in the
    /// document (`Patel`, `Mr Patel`, `Sardar Khan`).
    Partial,
    /// An acronym defined in the document (`... Board (PCB)`).
    Acronym,
}

impl Via {
    /// The value written in the `via` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name => "name",
            Via::Alias => "alias",
            Via::Abbreviation => "abbreviation",
            Via::Former => "former",
            Via::Demonym => "demonym",
            Via::Partial => "partial",
            Via::Acronym => "acronym",
        }
    }
}

/// An entity mention found in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first byte, in the original document.
    pub start: usize,
    /// Byte offset just past the last byte (exclusive).
    pub end: usize,
    /// Offset of the first character, counted in Unicode scalar values.
    pub char_start: usize,
    /// Character offset just past the end (exclusive).
    pub char_end: usize,
    /// Index of the entity in [`Tagger::entities`](crate::Tagger::entities).
    pub entity: usize,
    /// Other entities that have the same alias at this span, by index, in
    /// id order. Empty when the mention is unambiguous.
    pub alternatives: Vec<usize>,
    /// How the mention was found.
    pub via: Via,
    /// A place name inside a longer capitalised name, kept because
    /// [`TaggerBuilder::keep_inside_names`](crate::TaggerBuilder::keep_inside_names) is on.
    pub inside_name: bool,
    /// For a mention inside a longer name (`inside_name`), the byte span
    /// of that name: the longer mention it is nested in (`United States`
    /// in `United States Navy`), or the capitalised run around it when no
    /// gazetteer knows the name (`Real Madrid`). `None` otherwise.
    pub enclosing: Option<(usize, usize)>,
    /// [`Mention::enclosing`] in character offsets (the `enclosing`
    /// column, same units as `char_start` and `char_end`).
    pub enclosing_chars: Option<(usize, usize)>,
}

/// Why a candidate did not become a mention (see [`Tagger::explain`](crate::Tagger::explain)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropReason {
    /// A letter or digit stands right before or after it.
    Boundary,
    /// Its case does not agree with the alias (`us` for `US`).
    Case,
    /// A context rule of the entity failed.
    Context,
    /// A place name inside a longer capitalised name (`Real Madrid`).
    InsideName,
    /// It overlaps a longer or earlier mention.
    Overlap,
    /// A partial name with no full name of the person earlier in the
    /// document.
    Unresolved,
    /// A partial name shared by several people named in the document.
    Ambiguous,
    /// A town named after a place of another country, written as
    /// `<town>, <state>` (`Jordan, Minnesota`, `Paris, Texas`).
    TownInState,
    /// A state body of one country named right after another country
    /// (`South Korea's Joint Chiefs of Staff` is not the US one).
    OtherCountry,
    /// A place before a currency sign (`US$ 20,000`).
    Currency,
    /// A place in a person's title before their name (`US President Joe
    /// Biden`).
    Title,
    /// A place name that is a person's first name, before a known surname
    /// (`Chad Johnson`).
    PersonName,
}

impl DropReason {
    /// A short name for the reason.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Boundary => "boundary",
            DropReason::Case => "case",
            DropReason::Context => "context rule",
            DropReason::InsideName => "inside a longer name",
            DropReason::Overlap => "overlap",
            DropReason::Unresolved => {
                "partial name without an earlier full name"
            }
            DropReason::Ambiguous => "partial name shared by several people",
            DropReason::TownInState => "a town in a state of another country",
            DropReason::OtherCountry => "a body of another country's state",
            DropReason::Currency => "part of a currency sign",
            DropReason::Title => "part of a person's title",
            DropReason::PersonName => "a person's first name",
        }
    }
}

/// A candidate that was dropped, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Byte offset of the start, in the original document.
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// The entity it would have been.
    pub entity: usize,
    /// Why it was dropped.
    pub reason: DropReason,
}

/// Everything found in one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tags {
    /// Entity mentions in document order (by start, then longest first).
    pub mentions: Vec<Mention>,
    /// Topic labels, best first.
    pub topics: Vec<TopicLabel>,
    /// Number of words in the document.
    pub words: usize,
    /// Number of characters in the document.
    pub chars: usize,
}

/// The outcome of [`Tagger::explain`](crate::Tagger::explain): the tags plus every dropped
/// candidate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanation {
    /// What [`Tagger::tag`](crate::Tagger::tag) returns.
    pub tags: Tags,
    /// Entity candidates that did not become mentions, in text order.
    pub dropped: Vec<Dropped>,
}

/// A topic assigned to a document.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicLabel {
    /// Index of the topic in [`Tagger::topics`](crate::Tagger::topics).
    pub topic: usize,
    /// The score: summed evidence divided by the length factor.
    pub score: f64,
    /// The evidence, largest contribution first.
    pub evidence: Vec<Evidence>,
}

/// What one piece of evidence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EvidenceSource {
    /// A keyword of a topic: of the labelled topic itself or of one of its
    /// descendants.
    Keyword {
        /// Index of the topic that lists the keyword.
        topic: usize,
        /// Index of the keyword in that topic.
        keyword: usize,
    },
    /// Entity `n` of the tagger.
    Entity(usize),
}

/// One keyword or entity found, and what it added to the score.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// The keyword or entity.
    pub source: EvidenceSource,
    /// How often it was found.
    pub count: u32,
    /// `weight × (1 + ln count)`, before length normalisation.
    pub contribution: f64,
}

/// Columns of `mentions.csv`.
pub const MENTION_COLUMNS: &[&str] = &[
    "doc_id",
    "start",
    "end",
    "text",
    "entity_id",
    "entity",
    "type",
    "domain",
    "byte_start",
    "byte_end",
    "alternatives",
    "via",
    "inside_name",
    "enclosing_start",
    "enclosing_end",
];

/// Columns of `topics.csv`.
pub const TOPIC_COLUMNS: &[&str] =
    &["doc_id", "topic_id", "topic", "score", "rank", "evidence"];

/// Columns of `documents.csv`.
///
/// After the counts come the pivot columns: the document's entity ids by
/// type ([`PIVOT_TYPES`], then `other_entities` for any other type), most
/// mentioned first (ties by id), `|`-separated; then its topic ids, best
/// first, and the best one alone; then the country behind every mention
/// and the document's main countries (`focus`, see the `focus` module).
pub const DOCUMENT_COLUMNS: &[&str] = &[
    "doc_id",
    "status",
    "error",
    "chars",
    "mentions",
    "entities",
    "topics",
    "words",
    "bytes",
    "countries",
    "regions",
    "cities",
    "organizations",
    "people",
    "other_entities",
    "topic_ids",
    "top_topic",
    "all_countries",
    "focus",
];

/// Entity types with their own `documents.csv` column, and that column.
/// Entities of any other type go to `other_entities`.
pub const PIVOT_TYPES: &[(&str, &str)] = &[
    ("country", "countries"),
    ("region", "regions"),
    ("city", "cities"),
    ("organization", "organizations"),
    ("person", "people"),
];

/// Which columns of each table are numbers (JSON numbers in JSON Lines).
pub(crate) fn is_numeric(column: &str) -> bool {
    matches!(
        column,
        "start"
            | "end"
            | "byte_start"
            | "byte_end"
            | "enclosing_start"
            | "enclosing_end"
            | "score"
            | "rank"
            | "chars"
            | "mentions"
            | "entities"
            | "topics"
            | "words"
            | "bytes"
    )
}
