//! Gazetteer diagnostics shown like a compiler's.
//!
//! Each diagnostic starts with the one-line form that scripts and editors
//! parse (`file:line:col: error: message`, as gcc and clang print it), then
//! the offending line with the text underlined and the hint, if any:
//!
//! ```text
//! cricket.toml:7:1: error: in [[entity]]: unknown key `alias` (did you mean `aliases`?) ...
//!   |
//! 7 | alias = ["PCB"]
//!   | ^^^^^ did you mean `aliases`?
//! ```
//!
//! The snippet is rendered by annotate-snippets (rustc's and cargo's
//! renderer). Colour is written as ANSI and removed by anstream unless
//! standard error is a terminal and `NO_COLOR` is unset.

use std::io::Write;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use gaztag::{Diagnostic, GazetteerLoader, Severity};

/// Writes every diagnostic to standard error, each with its source line
/// when `sources` has the file's text.
pub fn eprint(diags: &[Diagnostic], sources: Option<&GazetteerLoader>) {
    let mut err = anstream::stderr().lock();
    for d in diags {
        let source = sources.and_then(|s| s.source(&d.location.path));
        // Nothing useful can be done when standard error is gone.
        let _ = err.write_all(render(d, source).as_bytes());
    }
}

/// Renders one diagnostic, styled, ending with a newline. `source` is the
/// text of the file the diagnostic is about.
pub fn render(d: &Diagnostic, source: Option<&str>) -> String {
    let (level, name, colour) = match d.severity {
        Severity::Error => (Level::ERROR, "error", AnsiColor::BrightRed),
        Severity::Warning => {
            (Level::WARNING, "warning", AnsiColor::BrightYellow)
        }
    };
    let bold = Style::new().bold();
    let tag = bold.fg_color(Some(colour.into()));
    let mut out = format!(
        "{bold}{}:{bold:#} {tag}{name}:{tag:#} {bold}{}{bold:#}\n",
        d.location, d.message
    );
    let Some((line, at)) =
        source.zip(d.span.clone()).and_then(|(s, span)| line_of(s, span))
    else {
        return out;
    };
    let mut mark = AnnotationKind::Primary.span(at);
    if let Some(help) = &d.help {
        mark = mark.label(help.as_str());
    }
    let report = [Group::with_level(level).element(
        Snippet::source(line).line_start(d.location.line).annotation(mark),
    )];
    out.push_str(&Renderer::styled().render(&report));
    // A blank line between diagnostics that show a snippet, as rustc has.
    out.push_str("\n\n");
    out
}

/// The line holding `span.start` (without its line break) and the part of
/// `span` on that line, relative to the line. An empty span, or one that
/// starts at a line break, becomes one character wide where possible, so
/// that the caret has something to stand under.
fn line_of(text: &str, span: Range<usize>) -> Option<(&str, Range<usize>)> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let start = (start - line_start).min(line.len());
    let mut end = span.end.saturating_sub(line_start).clamp(start, line.len());
    while !line.is_char_boundary(end) {
        end += 1;
    }
    if end == start {
        end = line[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    Some((line, start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        anstream::adapter::strip_str(s).to_string()
    }

    fn diag(text: &str, span: Range<usize>, help: Option<&str>) -> Diagnostic {
        let set = gaztag::GazetteerSet::from_toml("x.toml", text);
        let mut d = match set.unwrap_err().into_kind() {
            gaztag::ErrorKind::Gazetteer(d) => d.into_iter().next().unwrap(),
            k => panic!("{k:?}"),
        };
        d.span = Some(span);
        d.help = help.map(str::to_string);
        d
    }

    #[test]
    fn caret_under_the_span_with_the_hint() {
        let text = "[[entity]]\nid = \"x\"\nname = \"X\"\ntype = \"t\"\nalias = [\"y\"]\n";
        let d = diag(text, 42..47, Some("did you mean `aliases`?"));
        let got = plain(&render(&d, Some(text)));
        let want = "x.toml:5:1: error: in [[entity]]: unknown key `alias` (did you mean `aliases`?) (expected one of: id, name, type, aliases, acronyms, former_names, demonyms, case, attributes, context)
  |
5 | alias = [\"y\"]
  | ^^^^^ did you mean `aliases`?

";
        assert_eq!(got, want);
        // Without the text, only the first line.
        assert_eq!(
            plain(&render(&d, None)),
            want.lines().next().unwrap().to_string() + "\n"
        );
    }

    #[test]
    fn spans_are_cut_to_their_first_line() {
        let text = "ab\r\ncdé\nf";
        assert_eq!(line_of(text, 0..9), Some(("ab", 0..2)));
        assert_eq!(line_of(text, 4..4), Some(("cdé", 0..1)));
        assert_eq!(line_of(text, 6..6), Some(("cdé", 2..4)));
        assert_eq!(line_of(text, 2..2), Some(("ab", 2..2)));
        assert_eq!(line_of(text, 99..99), Some(("f", 1..1)));
    }
}
