//! Which files of a folder are documents: walking folders in sorted
//! order, text files by extension or content, `--include`/`--exclude`
//! globs.

use super::*;

/// Which files below a folder are read: `--include`/`--exclude` globs, or
/// else [`is_text_path`].
#[derive(Default)]
pub(super) struct Filter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl Filter {
    pub(super) fn new(
        include: &[String],
        exclude: &[String],
    ) -> Result<Filter, String> {
        Ok(Filter { include: glob_set(include)?, exclude: glob_set(exclude)? })
    }

    /// `None` to read `path` (found below `root`), or why it is skipped.
    fn skip_reason(&self, root: &Path, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let name = Path::new(path.file_name().unwrap_or_default());
        let hit =
            |set: &globset::GlobSet| set.is_match(rel) || set.is_match(name);
        if self.exclude.as_ref().is_some_and(hit) {
            return Some("excluded by --exclude".to_string());
        }
        match &self.include {
            Some(set) if hit(set) => None,
            Some(_) => Some("not matched by --include".to_string()),
            None => match is_text_path(path) {
                Some(true) => None,
                Some(false) => Some(format!(
                    "not a text document ({}); --include a glob to read it",
                    path.extension().map_or_else(
                        || "binary content".to_string(),
                        |e| format!(".{}", e.to_string_lossy())
                    )
                )),
                None => Some("cannot be read".to_string()),
            },
        }
    }
}

pub(super) fn glob_set(
    globs: &[String],
) -> Result<Option<globset::GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let glob = globset::GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("invalid glob `{g}`: {e}"))?;
        b.add(glob);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

/// Checks the `include` and `exclude` globs of `opts`.
///
/// # Errors
/// The first invalid glob, with why.
pub fn check_globs(opts: &InputOptions) -> Result<(), String> {
    Filter::new(&opts.include, &opts.exclude).map(|_| ())
}

/// The extensions of files read from a folder by default.
pub const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "jsonl", "ndjson", "csv", "tsv", "html",
    "htm",
];

/// Whether a file found in a folder is read by default: a file with one of
/// [`TEXT_EXTENSIONS`] (any case) is; a file with another extension
/// (`.toml`, `.png`, `.py`) is not; a file without an extension is read
/// when its first 8 KiB are UTF-8 without a NUL byte (content sniffing).
/// `None` when it cannot be opened to sniff.
pub fn is_text_path(path: &Path) -> Option<bool> {
    if let Some(ext) = path.extension() {
        let ext = ext.to_string_lossy().to_ascii_lowercase();
        return Some(TEXT_EXTENSIONS.contains(&ext.as_str()));
    }
    let mut head = Vec::with_capacity(8192);
    File::open(path).ok()?.take(8192).read_to_end(&mut head).ok()?;
    if head.contains(&0) {
        return Some(false);
    }
    Some(match std::str::from_utf8(&head) {
        Ok(_) => true,
        // A character cut at the end of the 8 KiB is fine.
        Err(e) => e.error_len().is_none(),
    })
}

/// Adds `path` to the queue: a file as is, a folder as its sorted contents.
pub(super) fn expand(
    path: &Path,
    filter: &Filter,
    queue: &mut VecDeque<Source>,
) {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => walk(path, path, filter, queue, 0),
        // Files, FIFOs, and paths that fail (reported when opened).
        _ => queue.push_back(Source::Path(path.to_path_buf())),
    }
}

pub(super) fn walk(
    root: &Path,
    dir: &Path,
    filter: &Filter,
    queue: &mut VecDeque<Source>,
    depth: usize,
) {
    let name = dir.display().to_string();
    if depth > 256 {
        queue.push_back(Source::Failed(
            name.clone(),
            format!("{name}: folders nested too deep"),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            queue.push_back(Source::Failed(
                name.clone(),
                format!("{name}: {e}"),
            ));
            return;
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e),
            Err(e) => queue.push_back(Source::Failed(
                name.clone(),
                format!("{name}: {e}"),
            )),
        }
    }
    paths.sort_by_key(|e| e.file_name());
    for entry in paths {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let id = path.display().to_string();
        let Ok(ft) = entry.file_type() else {
            queue.push_back(Source::Path(path));
            continue;
        };
        if ft.is_dir() {
            walk(root, &path, filter, queue, depth + 1);
        } else if ft.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => queue.push_back(Source::Failed(
                    id.clone(),
                    format!("{id}: symbolic link to a folder, not followed"),
                )),
                Ok(m) if m.is_file() => {
                    match filter.skip_reason(root, &path) {
                        None => queue.push_back(Source::Path(path)),
                        Some(why) => queue.push_back(Source::Skipped(id, why)),
                    }
                }
                Ok(_) => queue.push_back(Source::Failed(
                    id.clone(),
                    format!("{id}: not a regular file"),
                )),
                Err(e) => queue.push_back(Source::Failed(
                    id.clone(),
                    format!("{id}: {e}"),
                )),
            }
        } else if ft.is_file() {
            match filter.skip_reason(root, &path) {
                None => queue.push_back(Source::Path(path)),
                Some(why) => queue.push_back(Source::Skipped(id, why)),
            }
        } else {
            // FIFOs, sockets and devices inside a folder are not read: a
            // FIFO without a writer would block the run.
            queue.push_back(Source::Failed(
                id.clone(),
                format!("{id}: not a regular file"),
            ));
        }
    }
}
