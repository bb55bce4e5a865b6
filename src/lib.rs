//! gaztag: a gazetteer-driven named-entity and topic tagger.
//!
//! Gazetteers are TOML files listing entities (countries, organisations,
//! people, ...) with their aliases, and topics with weighted keywords. They
//! are validated into a [`GazetteerSet`], compiled into one Aho-Corasick
//! automaton by a [`TaggerBuilder`], and a [`Tagger`] then finds
//! [`Mention`]s and [`TopicLabel`]s in documents.
//!
//! The main types:
//! - [`GazetteerLoader`] / [`GazetteerSet`]: load and validate gazetteers;
//!   every problem is reported with its `file:line:col`.
//! - [`Tagger`]: tags one document; share it across threads.
//! - [`pipeline`]: reads many documents (text, JSONL, CSV), tags them in
//!   parallel and writes the CSV tables, in input order.
//!
//! # Example: tag a sentence
//!
//! ```
//! use gaztag::{GazetteerSet, Tagger};
//!
//! let set = GazetteerSet::from_toml("seed.toml", r#"
//! [domain]
//! type = "country"
//!
//! [[entity]]
//! id = "USA"
//! name = "United States"
//! aliases = ["US", "U.S."]
//!
//! [[entity]]
//! id = "PAK"
//! name = "Pakistan"
//! aliases = ["Pakistani"]
//! "#).unwrap();
//! let tagger = Tagger::new(&set).unwrap();
//!
//! let text = "Let us see: US and Pakistani officials met in Pakistan’s capital.";
//! let tags = tagger.tag(text);
//! let found: Vec<(&str, &str)> = tags
//!     .mentions
//!     .iter()
//!     .map(|m| (&text[m.start..m.end], tagger.entities()[m.entity].id.as_str()))
//!     .collect();
//! assert_eq!(found, [("US", "USA"), ("Pakistani", "PAK"), ("Pakistan", "PAK")]);
//! ```
//!
//! # Example: the built-in gazetteers
//!
//! ```
//! let set = gaztag::GazetteerSet::builtin().unwrap();
//! let tagger = gaztag::Tagger::new(&set).unwrap();
//! let tags = tagger.tag("Officials in Islamabad and Washington spoke.");
//! assert!(tags.mentions.len() >= 2);
//! ```

#![deny(missing_docs)]

mod compile;
mod error;
pub mod eval;
pub mod focus;
mod gazetteer;
pub mod import;
pub mod input;
pub mod lint;
mod names;
mod normalize;
pub mod output;
pub mod pipeline;
mod record;
pub mod report;
mod resolve;
pub mod sample;
mod search;
mod select;
pub mod stream;
pub mod suggest;
mod tagger;
mod topics;

pub use compile::{Tagger, TaggerBuilder};
pub use error::{Diagnostic, Error, ErrorKind, Location, Result, Severity};
pub use focus::{Focus, FocusCountry, FocusEvidence};
pub use gazetteer::{
    CaseMode, ContextRule, DEFAULT_MIN_EVIDENCE, DEFAULT_THRESHOLD, Entity,
    FileSummary, GazetteerLoader, GazetteerSet, Keyword, MAX_ALIAS_CHARS,
    Topic,
};
pub use normalize::{Normalized, fold_str};
pub use output::evidence_string;
pub use record::{
    DropReason, Dropped, Evidence, EvidenceSource, Explanation, Mention, Tags,
    TopicLabel, Via,
};
pub use search::AutomatonKind;
pub use tagger::Scratch;
pub use topics::{
    LENGTH_NORM_WORDS, SECONDARY_SHARE, SHORT_WORDS, length_factor,
};
