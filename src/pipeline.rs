//! Batch tagging: read documents in bounded batches, tag each batch in
//! parallel, write the rows in input order.
//!
//! Memory is bounded by the batch budget (plus the largest single document),
//! not by the corpus. Output is byte-identical for any thread count: rows are
//! rendered per document in parallel, collected in input order, and written
//! by one thread.

use std::io;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::compile::Tagger;
use crate::input::{Document, Documents};
use crate::output::{CsvOptions, Format, Rendered, Sink, render, render_as};
use crate::tagger::Scratch;

/// Options for [`run`].
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Worker threads; 0 means one per core. Default 0.
    pub threads: usize,
    /// Bytes of text read before a batch is tagged. Default 8 MiB.
    pub batch_bytes: usize,
    /// Documents read before a batch is tagged. Default 1024.
    pub batch_docs: usize,
    /// How CSV cells are written.
    pub csv: CsvOptions,
    /// The format of the rows; must match the sink's. Default CSV.
    pub format: Format,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            threads: 0,
            batch_bytes: 8 << 20,
            batch_docs: 1024,
            csv: CsvOptions::default(),
            format: Format::Csv,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents seen (every one has a `documents.csv` row).
    pub documents: u64,
    /// Documents that failed.
    pub failed: u64,
    /// Files of folders left out on purpose (`skipped` rows).
    pub skipped: u64,
    /// Mentions written.
    pub mentions: u64,
    /// Bytes of text tagged.
    pub bytes: u64,
    /// Wall-clock time.
    pub elapsed: Duration,
}

/// Called after each batch with the running totals (for progress display).
pub type Progress<'a> = &'a mut dyn FnMut(&Summary);

/// Tags every document of `docs` and writes the rows to `sink`.
///
/// # Errors
/// Fails only on an output error (closed pipe, full disk) or if the thread
/// pool cannot start; failed documents are rows, not errors.
pub fn run(
    tagger: &Tagger,
    docs: Documents,
    sink: &mut Sink,
    opts: &RunOptions,
    progress: Progress<'_>,
) -> io::Result<Summary> {
    run_reporting(tagger, docs, sink, opts, progress, &mut |_, _| {})
}

/// Called for each failed document, in input order, as its rows are
/// written: its id and the error of its `documents.csv` row.
pub type OnFailure<'a> = &'a mut dyn FnMut(&str, &str);

/// [`run`], calling `on_failure` for each failed document as it is written
/// (the command line prints them on standard error, as they happen).
///
/// # Errors
/// As [`run`].
pub fn run_reporting(
    tagger: &Tagger,
    docs: Documents,
    sink: &mut Sink,
    opts: &RunOptions,
    progress: Progress<'_>,
    on_failure: OnFailure<'_>,
) -> io::Result<Summary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(io::Error::other)?;
    let started = Instant::now();
    let mut summary = Summary::default();
    let (batch_docs, batch_bytes) = (opts.batch_docs.max(1), opts.batch_bytes);
    // Three stages, each on its own thread, joined by channels that hold
    // one batch each: a reader parses the next batch while the pool tags
    // this one and this thread writes the previous one. At most about five
    // batches are in memory.
    std::thread::scope(|scope| -> io::Result<()> {
        let (docs_tx, docs_rx) =
            std::sync::mpsc::sync_channel::<Vec<Document>>(1);
        let (rows_tx, rows_rx) =
            std::sync::mpsc::sync_channel::<Vec<Rendered>>(1);
        scope.spawn(move || {
            let mut docs = docs.peekable();
            while docs.peek().is_some() {
                let mut batch = Vec::new();
                let mut bytes = 0;
                while batch.len() < batch_docs && bytes < batch_bytes {
                    let Some(doc) = docs.next() else { break };
                    bytes += doc.text.as_ref().map_or(0, String::len);
                    batch.push(doc);
                }
                if docs_tx.send(batch).is_err() {
                    // The writer stopped (an output error): stop reading.
                    return;
                }
            }
        });
        let pool = &pool;
        scope.spawn(move || {
            for batch in docs_rx {
                let rendered: Vec<Rendered> = pool.install(|| {
                    batch
                        .par_iter()
                        .with_max_len(1)
                        .map_init(Scratch::new, |scratch, doc| {
                            tag_one_as(
                                tagger,
                                scratch,
                                doc,
                                opts.csv,
                                opts.format,
                            )
                        })
                        .collect()
                });
                drop(batch);
                if rows_tx.send(rendered).is_err() {
                    return;
                }
            }
        });
        for rendered in rows_rx {
            for r in &rendered {
                sink.write(r)?;
                if let Some((id, error)) = &r.failure {
                    on_failure(id, error);
                }
                summary.documents += 1;
                summary.failed += u64::from(r.failed);
                summary.skipped += u64::from(r.skipped);
                summary.mentions += r.mention_count as u64;
                summary.bytes += r.bytes as u64;
            }
            summary.elapsed = started.elapsed();
            progress(&summary);
        }
        Ok(())
    })?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Tags one document and renders its rows.
pub fn tag_one(
    tagger: &Tagger,
    scratch: &mut Scratch,
    doc: &Document,
    csv: CsvOptions,
) -> Rendered {
    match &doc.text {
        Ok(text) => {
            let tags = tagger.tag_with(scratch, text);
            render(tagger, doc, Some(&tags), csv)
        }
        Err(_) => render(tagger, doc, None, csv),
    }
}

/// Tags one document and renders its rows in `format`.
pub fn tag_one_as(
    tagger: &Tagger,
    scratch: &mut Scratch,
    doc: &Document,
    csv: CsvOptions,
    format: Format,
) -> Rendered {
    match &doc.text {
        Ok(text) => {
            let tags = tagger.tag_with(scratch, text);
            render_as(tagger, doc, Some(&tags), csv, format)
        }
        Err(_) => render_as(tagger, doc, None, csv, format),
    }
}
