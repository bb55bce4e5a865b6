//! Errors and diagnostics.
//!
//! Every problem found in user data carries a [`Location`] (`file:line:col`).
//! Gazetteer validation never stops at the first problem: it collects
//! [`Diagnostic`]s and fails with all of them at once.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A place in a user file: path, 1-based line and 1-based column
/// (counted in characters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as the user named it.
    pub path: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Location {
    /// Computes the line and column of byte offset `offset` in `text`.
    ///
    /// An offset past the end, or inside a character, is clamped to the
    /// nearest preceding character boundary.
    pub fn from_offset(path: &str, text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..offset].chars().count() + 1;
        Location { path: path.to_string(), line, col }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.col)
    }
}

/// How serious a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The gazetteer set is refused.
    Error,
    /// The gazetteer set is accepted, but something looks wrong.
    Warning,
}

/// One problem found in a gazetteer file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, lowercase, naming the values involved. A hint, when
    /// there is one, is part of the message too.
    pub message: String,
    /// The byte range of the offending text in the file (it starts at
    /// `location`), for showing it underlined; `None` when the problem has
    /// no single place in the text (an empty folder, for instance). See
    /// [`GazetteerLoader::source`](crate::GazetteerLoader::source) for the
    /// text.
    pub span: Option<Range<usize>>,
    /// A short suggestion to show under the offending text, such as
    /// ``did you mean `aliases`?``.
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(location: Location, message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            location,
            message,
            span: None,
            help: None,
        }
    }

    pub(crate) fn warning(location: Location, message: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    pub(crate) fn with_span(mut self, span: Range<usize>) -> Diagnostic {
        self.span = Some(span);
        self
    }

    pub(crate) fn with_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.location, level, self.message)
    }
}

/// The error type of this crate.
///
/// The kind of error is available through [`Error::kind`].
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// One or more gazetteer files are invalid. Holds every problem found
    /// (errors and warnings), sorted by location.
    Gazetteer(Vec<Diagnostic>),
    /// The automaton could not be built.
    Build(String),
    /// An input file (gold spans for `eval`, for instance) is malformed or
    /// cannot be read: its path, the 1-based line when the problem is on
    /// one line, and what is wrong.
    Input {
        /// The file, as the user named it.
        path: String,
        /// 1-based line, when the problem is on one line.
        line: Option<u64>,
        /// What is wrong, lowercase.
        message: String,
    },
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    pub(crate) fn io(
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Error {
        Error(Box::new(ErrorKind::Io { path: path.into(), source }))
    }

    pub(crate) fn gazetteer(diagnostics: Vec<Diagnostic>) -> Error {
        Error(Box::new(ErrorKind::Gazetteer(diagnostics)))
    }

    pub(crate) fn build(message: String) -> Error {
        Error(Box::new(ErrorKind::Build(message)))
    }

    pub(crate) fn input(
        path: &std::path::Path,
        line: Option<u64>,
        message: impl Into<String>,
    ) -> Error {
        Error(Box::new(ErrorKind::Input {
            path: path.display().to_string(),
            line,
            message: message.into(),
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Io { path, source } => {
                write!(f, "{}: {}", path.display(), source)
            }
            ErrorKind::Gazetteer(diags) => {
                let n = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                write!(f, "invalid gazetteers ({n} error(s))")?;
                for d in diags {
                    write!(f, "\n{d}")?;
                }
                Ok(())
            }
            ErrorKind::Build(msg) => {
                write!(f, "failed to build automaton: {msg}")
            }
            ErrorKind::Input { path, line: Some(line), message } => {
                write!(f, "{path}:{line}: {message}")
            }
            ErrorKind::Input { path, line: None, message } => {
                write!(f, "{path}: {message}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_from_offset_counts_chars() {
        let text = "ab\ncé d\n";
        let loc =
            Location::from_offset("f.toml", text, text.find('d').unwrap());
        assert_eq!(loc.to_string(), "f.toml:2:4");
        assert_eq!(Location::from_offset("f", text, 0).to_string(), "f:1:1");
        // past the end is clamped
        assert_eq!(Location::from_offset("f", text, 99).line, 3);
    }
}
