//! The serde layer: structs that mirror the TOML exactly (unknown keys
//! refused).

use super::*;

// ---------------------------------------------------------------------------
// The serde layer: mirrors the TOML exactly.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDomain {
    pub(super) name: Option<Spanned<String>>,
    #[serde(rename = "type")]
    pub(super) kind: Option<Spanned<String>>,
    pub(super) case: Option<CaseMode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntity {
    pub(super) id: Spanned<String>,
    pub(super) name: Spanned<String>,
    #[serde(rename = "type")]
    pub(super) kind: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) acronyms: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) former_names: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) demonyms: Vec<Spanned<String>>,
    pub(super) case: Option<CaseMode>,
    #[serde(default)]
    pub(super) attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub(super) context: Vec<Spanned<RawContext>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContext {
    #[serde(default)]
    pub(super) names: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) require_words: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) require_entities: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) exclude_words: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) exclude_entities: Vec<Spanned<String>>,
    pub(super) window: Option<usize>,
    #[serde(default)]
    pub(super) not_before_capitalized: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawKeyword {
    Plain(String),
    Weighted {
        term: String,
        #[serde(default = "one")]
        weight: f64,
        #[serde(default)]
        ambiguous: bool,
    },
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawEvidence {
    Plain(String),
    Weighted { id: String, weight: f64 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTopic {
    pub(super) id: Spanned<String>,
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) keywords: Vec<Spanned<RawKeyword>>,
    #[serde(default)]
    pub(super) entities: Vec<Spanned<RawEvidence>>,
    pub(super) threshold: Option<Spanned<f64>>,
    pub(super) min_evidence: Option<Spanned<u32>>,
    pub(super) parent: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) attributes: BTreeMap<String, String>,
}
