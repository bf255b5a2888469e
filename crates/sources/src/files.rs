//! Files, directories and standard input: the one walker that `extract`,
//! `places`, `bench` and `ingest` share (paths in order, directories
//! recursively in sorted order; symlink loops, FIFOs and over-deep trees
//! reported, never followed or opened), and the readers that hand a file's
//! or a stream's bytes, within size caps, to the core's
//! `source::from_bytes`. A bad input is an error naming it; it never stops
//! the others.

use std::path::{Path, PathBuf};

use warcoder_core::source::{
    display_name, from_bytes, starts_as_jsonl, InputError, RawInput, MAX_DOCUMENT_BYTES,
};

/// JSONL files and standard input may hold many documents: a larger cap,
/// still bounded, so that `yes | warcoder extract -` ends with an error
/// instead of filling memory.
pub const MAX_STREAM_BYTES: usize = 256 * 1024 * 1024;

/// Directories nested deeper than this are refused: no article archive is
/// that deep, a runaway tree or a loop is.
pub const MAX_DEPTH: usize = 64;

/// Which file a path names, however it is reached (symlinks, `..`): device
/// and inode on Unix. Cheap (one `stat`), unlike `canonicalize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity(u64, u64);

impl FileIdentity {
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        Some(FileIdentity(meta.dev(), meta.ino()))
    }

    /// Without inode numbers only the depth bound stops a symlink loop.
    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<Self> {
        None
    }
}

/// What a walk over the named inputs finds, in order.
#[derive(Debug)]
pub enum Found {
    /// A regular file, with its metadata (size, identity) read once.
    File(PathBuf, std::fs::Metadata),
    /// `-`: standard input.
    Stdin,
}

/// Walk `paths` in order, directories recursively in sorted order, and call
/// `emit` with every regular file found (or the reason an entry cannot be
/// read). Symlinked directories are followed once (a loop is reported, not
/// walked forever); FIFOs, sockets and devices are reported and never
/// opened, so a walk cannot block on them. Stops when `emit` returns false.
pub fn walk(paths: &[PathBuf], emit: &mut dyn FnMut(Result<Found, InputError>) -> bool) -> bool {
    let mut seen_dirs = std::collections::HashSet::new();
    paths.iter().all(|p| walk_one(p, 0, &mut seen_dirs, emit))
}

fn walk_one(
    path: &Path,
    depth: usize,
    seen_dirs: &mut std::collections::HashSet<FileIdentity>,
    emit: &mut dyn FnMut(Result<Found, InputError>) -> bool,
) -> bool {
    let name = display_name(path);
    if path.as_os_str() == "-" {
        return emit(Ok(Found::Stdin));
    }
    let io_error = |message: String| {
        Err(InputError::Io {
            source_name: name.clone(),
            message,
        })
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return emit(io_error(e.to_string())),
    };
    if meta.is_file() {
        return emit(Ok(Found::File(path.to_path_buf(), meta)));
    }
    if !meta.is_dir() {
        return emit(io_error(
            "not a regular file (a FIFO, socket or device); skipped".into(),
        ));
    }
    if depth >= MAX_DEPTH {
        return emit(io_error(format!(
            "directories nested more than {MAX_DEPTH} deep; skipped"
        )));
    }
    if let Some(id) = FileIdentity::of(&meta) {
        if !seen_dirs.insert(id) {
            return emit(io_error(
                "directory already walked (a symlink loop or a second link); skipped".into(),
            ));
        }
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => return emit(io_error(e.to_string())),
    };
    entries.sort();
    entries
        .iter()
        .filter(|e| is_article_file(e))
        .all(|e| walk_one(e, depth + 1, seen_dirs, emit))
}

/// Hidden files and the expectations and READMEs beside test articles are
/// not articles.
pub fn is_article_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    !(name.starts_with('.') || name.ends_with(".md") || name.ends_with(".json"))
}

/// Every input named by `paths` ("-" is standard input), in order.
pub fn read_paths(paths: &[PathBuf]) -> Vec<Result<RawInput, InputError>> {
    let mut out = Vec::new();
    walk(paths, &mut |found| {
        match found {
            Ok(Found::File(path, meta)) => out.extend(read_file(&path, &meta)),
            Ok(Found::Stdin) => out.extend(read_stream("-", std::io::stdin().lock())),
            Err(e) => out.push(Err(e)),
        }
        true
    });
    out
}

/// The size cap for an input: one document, or a JSONL file of many.
fn size_cap(ext: Option<&str>) -> usize {
    match ext.map(str::to_ascii_lowercase).as_deref() {
        Some("jsonl" | "ndjson") => MAX_STREAM_BYTES,
        _ => MAX_DOCUMENT_BYTES,
    }
}

/// The documents of one regular file. Its size is checked from the
/// metadata before reading (a 4 GB sparse file is never read) and again
/// while reading (a file that grows).
pub fn read_file(path: &Path, meta: &std::fs::Metadata) -> Vec<Result<RawInput, InputError>> {
    use std::io::Read;
    let name = display_name(path);
    let ext = path.extension().and_then(|e| e.to_str());
    let cap = size_cap(ext);
    let too_large = |size: usize| {
        vec![Err(InputError::TooLarge {
            source_name: name.clone(),
            size,
            max: cap,
        })]
    };
    if meta.len() > cap as u64 {
        return too_large(meta.len().try_into().unwrap_or(usize::MAX));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let read =
        std::fs::File::open(path).and_then(|f| f.take(cap as u64 + 1).read_to_end(&mut bytes));
    match read {
        Err(e) => vec![Err(InputError::Io {
            source_name: name,
            message: e.to_string(),
        })],
        Ok(n) if n > cap => too_large(n),
        Ok(_) => from_bytes(&name, &bytes, ext),
    }
}

/// The documents of a stream (standard input): JSONL when it starts with
/// `{` (up to [`MAX_STREAM_BYTES`]), else one document (up to
/// [`MAX_DOCUMENT_BYTES`]); reading stops at the cap.
pub fn read_stream(
    name: &str,
    mut reader: impl std::io::Read,
) -> Vec<Result<RawInput, InputError>> {
    use std::io::Read;
    let io_error = |e: std::io::Error| {
        vec![Err(InputError::Io {
            source_name: name.into(),
            message: e.to_string(),
        })]
    };
    let mut bytes = Vec::new();
    if let Err(e) = (&mut reader).take(8192).read_to_end(&mut bytes) {
        return io_error(e);
    }
    let jsonl = starts_as_jsonl(&bytes);
    let cap = if jsonl {
        MAX_STREAM_BYTES
    } else {
        MAX_DOCUMENT_BYTES
    };
    let left = (cap + 1).saturating_sub(bytes.len()) as u64;
    if let Err(e) = reader.take(left).read_to_end(&mut bytes) {
        return io_error(e);
    }
    if bytes.len() > cap {
        return vec![Err(InputError::TooLarge {
            source_name: name.into(),
            size: bytes.len(),
            max: cap,
        })];
    }
    from_bytes(name, &bytes, jsonl.then_some("jsonl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_starting_with_a_brace_is_jsonl() {
        let jsonl = b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"A bomb exploded.\"}\n";
        let stdin = read_stream("-", &jsonl[..]);
        assert_eq!(
            stdin[0].as_ref().unwrap().meta.input_id.as_deref(),
            Some("a")
        );
    }

    #[test]
    fn streams_stop_at_their_cap() {
        let endless = std::io::repeat(b'y');
        let out = read_stream("-", endless);
        assert!(matches!(
            out[0],
            Err(InputError::TooLarge {
                max: MAX_DOCUMENT_BYTES,
                ..
            })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn walk_skips_fifos_loops_and_oversized_files() {
        let dir = std::env::temp_dir().join(format!("warcoder-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a.txt"), "Gunmen killed two people.").unwrap();
        std::os::unix::fs::symlink("..", dir.join("sub/loop")).unwrap();
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        // A sparse file: its size is refused from metadata, never read.
        std::fs::File::create(dir.join("big.txt"))
            .unwrap()
            .set_len(4 << 30)
            .unwrap();
        let out = read_paths(std::slice::from_ref(&dir));
        let errors: Vec<String> = out
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 1);
        assert!(errors.iter().any(|e| e.contains("over the")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("already walked")),
            "{errors:?}"
        );
        if made.is_ok_and(|s| s.success()) {
            assert!(
                errors.iter().any(|e| e.contains("not a regular file")),
                "{errors:?}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
