//! What `ingest` reads: everything `extract` reads (text, HTML, JSONL,
//! directories, `-` for stdin, through `warcoder_core::source`) plus WARC
//! files, streamed record by record so that a crawl never has to fit in
//! memory.

use std::path::{Path, PathBuf};

use warcoder_core::source::{self, RawInput};

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
    /// Canonical paths to skip.
    pub exclude: Vec<PathBuf>,
}

impl Walk {
    fn excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && path.canonicalize().is_ok_and(|p| self.exclude.contains(&p))
    }
}

/// Call `emit` with every input named by `paths`, in order (directories
/// recursively, sorted). Stops early when `emit` returns false.
pub fn for_each(paths: &[PathBuf], walk: &Walk, emit: &mut dyn FnMut(Input) -> bool) {
    for p in paths {
        if !visit(p, walk, emit) {
            return;
        }
    }
}

fn visit(path: &Path, walk: &Walk, emit: &mut dyn FnMut(Input) -> bool) -> bool {
    if walk.excluded(path) {
        return true;
    }
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return emit(unreadable(path, e)),
        };
        entries.sort();
        return entries
            .iter()
            .filter(|e| is_article_file(e))
            .all(|e| visit(e, walk, emit));
    }
    if warc::is_warc(path) {
        return match WarcFile::open(path, walk.limits) {
            Ok(records) => records.map(from_warc).all(&mut *emit),
            Err(e) => emit(unreadable(path, e)),
        };
    }
    source::read_paths(&[path.to_path_buf()])
        .into_iter()
        .map(|r| match r {
            Ok(raw) => Input::Document(Box::new(raw)),
            Err(e) => Input::Failed(e.into()),
        })
        .all(emit)
}

fn unreadable(path: &Path, e: std::io::Error) -> Input {
    let message = format!("{}: cannot read: {e}", path.display());
    Input::Failed(Failure::new("unreadable input", message))
}

fn from_warc(item: warc::Item) -> Input {
    match item {
        warc::Item::Document(raw) => Input::Document(raw),
        warc::Item::NotArticle => Input::NotArticle,
        warc::Item::Failed(message) => Input::Failed(message),
    }
}

/// The same rule as `extract`'s directory walk: hidden files and the
/// READMEs and expectation files beside articles are not articles.
fn is_article_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    !(name.starts_with('.') || name.ends_with(".md") || name.ends_with(".json"))
}
