//! What `ingest` reads: everything `extract` reads (text, HTML, JSONL,
//! directories, `-` for stdin, through `warcoder_sources::files`) plus WARC
//! files, streamed record by record so that a crawl never has to fit in
//! memory.

use std::path::{Path, PathBuf};

use warcoder_core::source::{self, RawInput};
use warcoder_sources::files::{self, FileIdentity, Found};

use crate::failure::Failure;
use crate::warc::{self, WarcFile};

/// One input's outcome, in reading order.
#[derive(Debug)]
pub enum Input {
    Document(Box<RawInput>),
    /// A WARC record that is not an article (request, image, redirect).
    NotArticle,
    /// An input that cannot be coded.
    Failed(Failure),
}

/// How to walk: caps for WARC files, and files never to read (the event
/// store itself, when it lies inside a directory being ingested).
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub limits: warc::Limits,
    /// Files to skip, by identity (however the walk reaches them).
    pub exclude: Vec<FileIdentity>,
}

impl Walk {
    fn excluded(&self, meta: &std::fs::Metadata) -> bool {
        !self.exclude.is_empty()
            && FileIdentity::of(meta).is_some_and(|id| self.exclude.contains(&id))
    }
}

/// Call `emit` with every input named by `paths`, in order (directories
/// recursively, sorted; see [`files::walk`] for what is never opened).
/// Stops early when `emit` returns false.
pub fn for_each(paths: &[PathBuf], walk: &Walk, emit: &mut dyn FnMut(Input) -> bool) {
    files::walk(paths, &mut |found| match found {
        Ok(Found::Stdin) => files::read_stream("-", std::io::stdin().lock())
            .into_iter()
            .map(document_or_failure)
            .all(&mut *emit),
        Ok(Found::File(path, meta)) => visit_file(&path, &meta, walk, emit),
        Err(e) => emit(Input::Failed(e.into())),
    });
}

fn visit_file(
    path: &Path,
    meta: &std::fs::Metadata,
    walk: &Walk,
    emit: &mut dyn FnMut(Input) -> bool,
) -> bool {
    if walk.excluded(meta) {
        return true;
    }
    if warc::is_warc(path) {
        return match WarcFile::open(path, walk.limits) {
            Ok(records) => records.map(Input::from).all(&mut *emit),
            Err(e) => emit(unreadable(path, e)),
        };
    }
    files::read_file(path, meta)
        .into_iter()
        .map(document_or_failure)
        .all(emit)
}

fn document_or_failure(r: Result<RawInput, source::InputError>) -> Input {
    match r {
        Ok(raw) => Input::Document(Box::new(raw)),
        Err(e) => Input::Failed(e.into()),
    }
}

fn unreadable(path: &Path, e: std::io::Error) -> Input {
    let message = format!("{}: cannot read: {e}", source::display_name(path));
    Input::Failed(Failure::new("unreadable input", message))
}

/// A WARC record's outcome as an input (also the work queue's, which reads
/// WARC ranges itself).
impl From<warc::Item> for Input {
    fn from(item: warc::Item) -> Input {
        match item {
            warc::Item::Document(raw) => Input::Document(raw),
            warc::Item::NotArticle => Input::NotArticle,
            warc::Item::Failed(message) => Input::Failed(message),
        }
    }
}
