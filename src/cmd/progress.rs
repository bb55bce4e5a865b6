//! The progress bar of `gaztag tag`.
//!
//! Drawn on standard error only when it is a terminal (the caller decides),
//! and only once a run has lasted a second, so quick runs stay silent.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gaztag::input::{InputFormat, InputOptions};
use gaztag::pipeline::Summary;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar in bytes of text tagged, with the document count.
pub struct Bar {
    bar: ProgressBar,
    /// Set when the run is over, so a late timer cannot draw the bar.
    done: Arc<Mutex<bool>>,
}

impl Bar {
    /// A bar, hidden for the first second. With `total` (bytes of text)
    /// it has a length and shows the time left.
    pub fn new(total: Option<u64>) -> Bar {
        let hidden = ProgressDrawTarget::hidden();
        let bar = ProgressBar::with_draw_target(total, hidden);
        let template = if total.is_some() {
            "{spinner} {elapsed:>4} [{bar:30}] {decimal_bytes}/{decimal_total_bytes}, {msg}, {decimal_bytes_per_sec}, {eta} left"
        } else {
            "{spinner} {elapsed:>4} {decimal_bytes}, {msg}, {decimal_bytes_per_sec}"
        };
        let style = ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message("0 documents");
        let done = Arc::new(Mutex::new(false));
        let (late, flag) = (bar.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            let done = flag.lock().unwrap_or_else(|e| e.into_inner());
            if !*done {
                late.set_draw_target(ProgressDrawTarget::stderr());
                late.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Bar { bar, done }
    }

    /// Shows the running totals.
    pub fn update(&self, s: &Summary) {
        self.bar.set_position(s.bytes);
        let mut msg = format!("{} documents", s.documents);
        if s.failed > 0 {
            msg.push_str(&format!(" ({} failed)", s.failed));
        }
        self.bar.set_message(msg);
    }

    /// Prints a line on standard error above the bar (also while the bar
    /// is still hidden).
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    /// Removes the bar, leaving the terminal as it was.
    pub fn finish(self) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done = true;
        self.bar.finish_and_clear();
    }
}

/// The bytes of text that `paths` hold, when that can be known up front:
/// every input is a file (or a folder of files) read as text. Standard
/// input, and JSONL or CSV files (whose size is not the size of their
/// text), give `None`. Follows the rules of [`gaztag::input::Documents`]:
/// hidden entries are skipped and linked folders are not followed.
pub fn input_size(paths: &[PathBuf], opts: &InputOptions) -> Option<u64> {
    if paths.is_empty() {
        return None;
    }
    let mut total = 0;
    for p in paths {
        if p.as_os_str() == "-" {
            return None;
        }
        total += size_below(p, opts.format, 0)?;
    }
    Some(total)
}

fn size_below(path: &Path, format: InputFormat, depth: usize) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return is_text(path, format).then_some(meta.len());
    }
    if depth > 64 {
        return Some(0);
    }
    let mut total = 0;
    for entry in std::fs::read_dir(path).ok()? {
        let entry = entry.ok()?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let ft = entry.file_type().ok()?;
        if ft.is_symlink() && entry.path().is_dir() {
            continue;
        }
        total += size_below(&entry.path(), format, depth + 1)?;
    }
    Some(total)
}

/// Whether `path` is read as one text document.
fn is_text(path: &Path, format: InputFormat) -> bool {
    match format {
        InputFormat::Text => true,
        InputFormat::Auto => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            !matches!(ext.as_deref(), Some("jsonl" | "ndjson" | "csv"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_size_counts_text_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("a.txt"), "12345").unwrap();
        std::fs::write(d.join("sub/b.txt"), "123").unwrap();
        std::fs::write(d.join(".hidden.txt"), "1234567").unwrap();
        let opts = InputOptions::default();
        assert_eq!(input_size(&[d.to_path_buf()], &opts), Some(8));
        assert_eq!(input_size(&[d.join("a.txt")], &opts), Some(5));
        assert_eq!(input_size(&[], &opts), None);
        assert_eq!(input_size(&["-".into()], &opts), None);
        std::fs::write(d.join("c.jsonl"), "{}").unwrap();
        assert_eq!(input_size(&[d.to_path_buf()], &opts), None);
        let text = InputOptions {
            format: InputFormat::Text,
            ..InputOptions::default()
        };
        assert_eq!(input_size(&[d.to_path_buf()], &text), Some(10));
    }
}
