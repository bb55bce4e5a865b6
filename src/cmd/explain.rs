//! `gaztag explain`: show one document with its mentions, its topics with
//! their evidence, and the candidates that were dropped, with the reason.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};
use anyhow::{Context, Result};
use clap::Args;
use gaztag::focus::{DATELINE_FACTOR, FOCUS_MAX, FOCUS_SHARE};
use gaztag::input::{Documents, InputFormat, InputOptions};
use gaztag::{
    DropReason, Explanation, Location, Tagger, Via, evidence_string,
    length_factor,
};

use super::GazetteerArgs;

/// Show why: one document's mentions, topics and dropped candidates.
///
/// Prints the text with each entity mention marked, then each topic with
/// its score and the evidence behind it, then the country focus (the
/// document's main countries) with each country's evidence and score,
/// then every candidate that was
/// dropped and the rule that dropped it (boundary, case, context rule,
/// inside a longer name, overlap, unresolved partial name).
///
/// On a terminal, mentions are coloured by entity type; otherwise (or with
/// NO_COLOR set) they are written [text](type:id).
///
/// Examples:
///   gaztag explain examples/articles/imf-loan-review.txt
///   echo "Let us see: US officials met in Islamabad." | gaztag explain -
///   gaztag explain -g my-gazetteers/ article.txt | less -R
///
/// Exit status: 0 explained, 1 the document could not be read, 2 usage or
/// gazetteer error.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ExplainArgs {
    /// The document, read as text; `-` is standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    gazetteers: GazetteerArgs,
    /// Tag as `gaztag tag --overlapping` would (nested mentions are listed,
    /// not marked in the text).
    #[arg(long)]
    overlapping: bool,
    /// Tag as `gaztag tag --keep-inside-names` would.
    #[arg(long)]
    keep_inside_names: bool,
}

pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    anyhow::ensure!(
        !(args.file.as_os_str() == "-" && args.gazetteers.reads_stdin()),
        "standard input cannot hold both a gazetteer (`-g -`) and the \
         document"
    );
    anyhow::ensure!(
        !args.file.is_dir(),
        "{} is a folder; explain takes one document",
        args.file.display()
    );
    let super::Loaded { set, sources } =
        match args.gazetteers.load_with_sources() {
            Ok(loaded) => loaded,
            Err(err) => {
                return super::report_gazetteer_error(
                    err,
                    "nothing was explained",
                );
            }
        };
    let own: Vec<_> = set
        .warnings()
        .iter()
        .filter(|w| !w.location.path.starts_with("<builtin>"))
        .cloned()
        .collect();
    super::diag::eprint(&own, Some(&sources));
    let tagger = Tagger::builder()
        .overlapping(args.overlapping)
        .keep_inside_names(args.keep_inside_names)
        .build(&set)?;
    let input =
        InputOptions { format: InputFormat::Text, ..InputOptions::default() };
    let doc = Documents::new(std::slice::from_ref(&args.file), input)
        .next()
        .context("no document to explain")?;
    let text = match doc.text {
        Ok(text) => text,
        Err(msg) => {
            eprintln!("gaztag: {msg}");
            return Ok(ExitCode::from(1));
        }
    };
    let explanation = tagger.explain(&text);
    let colour =
        anstream::AutoStream::choice(&io::stdout()) != ColorChoice::Never;
    let report = render(&tagger, &doc.id, &text, &explanation, colour);
    let mut out = anstream::stdout().lock();
    out.write_all(report.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The country focus and how it was computed: each country with evidence,
/// its score, and each entity's contribution with its factors.
fn push_focus(
    out: &mut String,
    tagger: &Tagger,
    text: &str,
    tags: &gaztag::Tags,
    head: Style,
    dim: Style,
) {
    let focus = tagger.focus(text, tags);
    let cell = focus.cell();
    let _ = writeln!(
        out,
        "\n{head}focus{head:#}: {} (at most {FOCUS_MAX} countries, each \
         with at least {FOCUS_SHARE:.2} × the best score)",
        if cell.is_empty() { "none" } else { &cell },
    );
    for (i, c) in focus.countries.iter().enumerate() {
        let place = if i < focus.chosen {
            format!("focus {}", i + 1)
        } else {
            "not in the focus".to_string()
        };
        let _ = writeln!(out, "  {} score {:.2} ({place})", c.code, c.score);
        for e in &c.evidence {
            let entity = &tagger.entities()[e.entity];
            let dateline = if e.dateline {
                format!(" × {DATELINE_FACTOR} dateline")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    {dim}{} ({}) x{}: {:.2} {} × {:.2} position × (1 + ln {}){dateline} = +{:.2}{dim:#}",
                entity.id,
                entity.kind,
                e.count,
                e.weight,
                entity.kind,
                e.position,
                e.count,
                e.contribution,
            );
        }
    }
}

/// `1 mention`, `2 mentions`; `entity` becomes `entities`.
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {noun}s"),
    }
}

/// Colours for entity types, given out in order of first appearance.
const PALETTE: [AnsiColor; 12] = [
    AnsiColor::Cyan,
    AnsiColor::Green,
    AnsiColor::Yellow,
    AnsiColor::Magenta,
    AnsiColor::Blue,
    AnsiColor::Red,
    AnsiColor::BrightCyan,
    AnsiColor::BrightGreen,
    AnsiColor::BrightYellow,
    AnsiColor::BrightMagenta,
    AnsiColor::BrightBlue,
    AnsiColor::BrightRed,
];

/// The whole report. With `colour`, mentions are styled by type (ANSI);
/// without, they are bracketed and nothing is styled.
fn render(
    tagger: &Tagger,
    id: &str,
    text: &str,
    ex: &Explanation,
    colour: bool,
) -> String {
    let entities = tagger.entities();
    let tags = &ex.tags;
    let head =
        if colour { Style::new().bold().underline() } else { Style::new() };
    let dim = if colour { Style::new().dimmed() } else { Style::new() };
    // One style per entity type, in order of first appearance.
    let mut styles: Vec<(&str, Style)> = Vec::new();
    for m in &tags.mentions {
        let kind = entities[m.entity].kind.as_str();
        if colour && !styles.iter().any(|(k, _)| *k == kind) {
            let c = PALETTE[styles.len() % PALETTE.len()];
            styles.push((kind, Style::new().fg_color(Some(c.into())).bold()));
        }
    }
    let style_of = |kind: &str| {
        styles.iter().find(|(k, _)| *k == kind).map_or(Style::new(), |s| s.1)
    };

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{head}{id}{head:#}: {} characters, {} words (length factor {:.2})\n",
        tags.chars,
        tags.words,
        length_factor(tags.words)
    );

    // The text with the outermost mentions marked.
    let mut at = 0;
    for m in &tags.mentions {
        if m.start < at {
            continue; // nested or overlapping: listed below
        }
        let e = &entities[m.entity];
        out.push_str(&text[at..m.start]);
        let span = &text[m.start..m.end];
        if colour {
            let s = style_of(&e.kind);
            let _ = write!(out, "{s}{span}{s:#}");
        } else {
            // City and region ids already start with their type.
            if e.id
                .strip_prefix(e.kind.as_str())
                .is_some_and(|r| r.starts_with(':'))
            {
                let _ = write!(out, "[{span}]({})", e.id);
            } else {
                let _ = write!(out, "[{span}]({}:{})", e.kind, e.id);
            }
        }
        at = m.end;
    }
    out.push_str(&text[at..]);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    if colour && !styles.is_empty() {
        out.push('\n');
        for (i, (kind, s)) in styles.iter().enumerate() {
            let sep = if i == 0 { "" } else { "  " };
            let _ = write!(out, "{sep}{s}{kind}{s:#}");
        }
        out.push('\n');
    }

    // Entities, in order of first mention.
    let mut order: Vec<usize> = Vec::new();
    let mut found: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, m) in tags.mentions.iter().enumerate() {
        let list = found.entry(m.entity).or_default();
        if list.is_empty() {
            order.push(m.entity);
        }
        list.push(i);
    }
    let _ = writeln!(
        out,
        "\n{head}entities{head:#}: {} of {}",
        count(tags.mentions.len(), "mention"),
        count(order.len(), "entity")
    );
    for &e in &order {
        let entity = &entities[e];
        let ms = &found[&e];
        let mut forms: Vec<String> = Vec::new();
        for &i in ms {
            let m = &tags.mentions[i];
            let mut form = format!("{:?}", &text[m.start..m.end]);
            // Say how it was found unless by a name or an alias.
            if !matches!(m.via, Via::Name | Via::Alias) {
                let _ = write!(form, " ({})", m.via.as_str());
            }
            match m.enclosing {
                Some((s, e)) if m.inside_name => {
                    let _ = write!(form, " (inside {:?})", &text[s..e]);
                }
                _ if m.inside_name => form.push_str(" (inside a name)"),
                _ => {}
            }
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
        let s = style_of(&entity.kind);
        let _ = writeln!(
            out,
            "  {s}{}{s:#} {} ({}) x{}: {}",
            entity.id,
            entity.name,
            entity.kind,
            ms.len(),
            forms.join(", ")
        );
        let mut alternatives: Vec<&str> = ms
            .iter()
            .flat_map(|&i| &tags.mentions[i].alternatives)
            .map(|&a| entities[a].id.as_str())
            .collect();
        alternatives.sort_unstable();
        alternatives.dedup();
        if !alternatives.is_empty() {
            let _ = writeln!(
                out,
                "    {dim}same name as: {}{dim:#}",
                alternatives.join(", ")
            );
        }
    }

    // Topics.
    let _ = writeln!(out, "\n{head}topics{head:#}: {}", tags.topics.len());
    let factor = length_factor(tags.words);
    for label in &tags.topics {
        let topic = &tagger.topics()[label.topic];
        let raw: f64 = label.evidence.iter().map(|e| e.contribution).sum();
        let _ = writeln!(
            out,
            "  {} ({}): score {:.2} = {:.2} / length factor {:.2}; needs {:.2} from {} pieces of evidence, has {}",
            topic.id,
            topic.name,
            label.score,
            raw,
            factor,
            topic.threshold,
            if tags.words <= gaztag::SHORT_WORDS {
                1
            } else {
                topic.min_evidence
            },
            label.evidence.len()
        );
        let _ = writeln!(
            out,
            "    {dim}{}{dim:#}",
            evidence_string(tagger, label)
        );
    }

    push_focus(&mut out, tagger, text, tags, head, dim);

    // Dropped candidates.
    let _ = writeln!(
        out,
        "\n{head}dropped{head:#}: {}",
        count(ex.dropped.len(), "candidate")
    );
    for d in &ex.dropped {
        let loc = Location::from_offset("", text, d.start);
        let e = &entities[d.entity];
        let mut why = d.reason.as_str().to_string();
        match d.reason {
            DropReason::Case => {
                let mode = format!("{:?}", e.case).to_lowercase();
                let _ = write!(why, " (`{}` has case = \"{mode}\")", e.id);
            }
            DropReason::Overlap => {
                if let Some(m) = tags
                    .mentions
                    .iter()
                    .find(|m| m.start < d.end && d.start < m.end)
                {
                    let _ = write!(
                        why,
                        " with {:?} ({})",
                        &text[m.start..m.end],
                        entities[m.entity].id
                    );
                }
            }
            _ => {}
        }
        let _ = writeln!(
            out,
            "  {}:{} {:?} {} ({}): {why}",
            loc.line,
            loc.col,
            &text[d.start..d.end],
            e.id,
            e.kind,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAZ: &str = r#"
[domain]
type = "country"

[[entity]]
id = "USA"
name = "United States"
aliases = ["US"]

[[entity]]
id = "PAK"
name = "Pakistan"
aliases = ["Pakistani"]

[[entity]]
id = "ttp"
type = "organization"
name = "Tehrik-i-Taliban Pakistan"
aliases = ["TTP"]

[[entity]]
id = "pcb"
type = "organization"
name = "Pakistan Cricket Board"

[[entity]]
id = "cb"
type = "organization"
name = "Cricket Board"

[[topic]]
id = "terrorism"
name = "Terrorism"
keywords = ["militants", "attack"]
entities = ["ttp"]
"#;

    #[test]
    fn plain_report() {
        let set = gaztag::GazetteerSet::from_toml("t.toml", GAZ).unwrap();
        let tagger = Tagger::new(&set).unwrap();
        let text = "Let us see: US officials said Tehrik-i-Taliban Pakistan militants staged an attack. The Pakistan Cricket Board met.";
        let ex = tagger.explain(text);
        let got = render(&tagger, "doc.txt", text, &ex, false);
        assert!(
            got.contains("Let us see: [US](country:USA) officials said [Tehrik-i-Taliban Pakistan](organization:ttp) militants"),
            "{got}"
        );
        assert!(got.contains("entities: 3 mentions of 3 entities"), "{got}");
        assert!(
            got.contains("  USA United States (country) x1: \"US\""),
            "{got}"
        );
        assert!(
            got.contains("topics: 1\n  terrorism (Terrorism): score 6.00 = 3.00 / length factor 0.50; needs 2.00 from 1 pieces of evidence, has 3"),
            "{got}"
        );
        assert!(got.contains("militants x1 +1.00"), "{got}");
        assert!(
            got.contains(
                "1:5 \"us\" USA (country): case (`USA` has case = \"smart\")"
            ),
            "{got}"
        );
        assert!(
            got.contains("\"Pakistan\" PAK (country): inside a longer name"),
            "{got}"
        );
        assert!(
            got.contains("\"Cricket Board\" cb (organization): overlap with \"Pakistan Cricket Board\" (pcb)"),
            "{got}"
        );
        assert!(!got.contains('\x1b'), "{got}");
    }

    #[test]
    fn focus_is_explained() {
        let set = gaztag::GazetteerSet::from_toml("t.toml", GAZ).unwrap();
        let tagger = Tagger::new(&set).unwrap();
        let text = "US officials said Tehrik-i-Taliban Pakistan militants \
                    staged an attack. Pakistan condemned it; Pakistan asked \
                    for help.";
        let ex = tagger.explain(text);
        let got = render(&tagger, "doc.txt", text, &ex, false);
        assert!(
            got.contains("focus: PAK|USA (at most 3 countries, each with at least 0.33 × the best score)\n  PAK score 2.03 (focus 1)\n    PAK (country) x2: 1.00 country × 1.20 position × (1 + ln 2) = +2.03\n"),
            "{got}"
        );
        assert!(got.contains("  USA score 1.50 (focus 2)\n"), "{got}");
        // The TTP has no `country`: it is no evidence.
        assert!(!got.contains("ttp (organization) x"), "{got}");
        let none = tagger.explain("Nothing here.");
        let got = render(&tagger, "doc.txt", "Nothing here.", &none, false);
        assert!(got.contains("focus: none ("), "{got}");
    }

    #[test]
    fn colour_report_styles_mentions_by_type() {
        let set = gaztag::GazetteerSet::from_toml("t.toml", GAZ).unwrap();
        let tagger = Tagger::new(&set).unwrap();
        let text = "US and TTP";
        let ex = tagger.explain(text);
        let got = render(&tagger, "doc.txt", text, &ex, true);
        let cyan = Style::new().fg_color(Some(AnsiColor::Cyan.into())).bold();
        let green =
            Style::new().fg_color(Some(AnsiColor::Green.into())).bold();
        assert!(
            got.contains(&format!("{cyan}US{cyan:#} and {green}TTP{green:#}")),
            "{got:?}"
        );
        assert!(!got.contains("[US]"), "{got}");
        let plain = anstream::adapter::strip_str(&got).to_string();
        assert!(plain.contains("country  organization"), "{plain}");
    }
}
