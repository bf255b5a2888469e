//! The local gazetteer overlay (`warcoder gazetteer import` writes it):
//! where it lives, reading it and writing it. The core parses, compiles
//! and opens the bytes ([`OverlayRows`], [`gazetteer::compile_overlay`],
//! [`Gazetteer::with_compiled_overlay`]); finding, mapping and writing the
//! files is done here, for the command line and the Python package alike.
//!
//! An overlay is two files: the table of rows (`overlay.tsv.gz`, what a
//! later import merges into) and, beside it, the same rows compiled into
//! the embedded gazetteer's form (`overlay.tsv.gz.compiled`), which every
//! run maps instead of parsing the table. The compiled file is written at
//! import; when it is missing, older than the table or made by another
//! warcoder build, the table is compiled again (and the file rewritten
//! where it can be).

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use warcoder_core::gazetteer::{self, Gazetteer, ImportStats, OverlayRows};

/// Where the local overlay lives, from the environment variables `var`
/// gives (the front ends pass `std::env::var_os`, once):
/// `$WARCODER_OVERLAY` (empty or `none`: no overlay), else
/// `$XDG_DATA_HOME/warcoder/overlay.tsv.gz`, else
/// `$HOME/.local/share/warcoder/overlay.tsv.gz`; none without any of them.
pub fn path(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    if let Some(p) = var("WARCODER_OVERLAY") {
        if p.is_empty() || p == "none" {
            return None;
        }
        return Some(PathBuf::from(p));
    }
    let base = match var("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(var("HOME")?).join(".local/share"),
    };
    Some(base.join("warcoder").join("overlay.tsv.gz"))
}

/// Where the compiled form of the overlay table at `path` lives: beside
/// it, `.compiled` appended to its name.
pub fn compiled_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".compiled");
    PathBuf::from(name)
}

/// The built-in gazetteer with the overlay at `path` on top; an error when
/// the file cannot be read or is no overlay. The compiled form beside it
/// is mapped when it is current; otherwise the table is compiled again.
pub fn open(path: &Path) -> std::io::Result<Gazetteer> {
    let table = std::fs::metadata(path)?;
    let compiled = compiled_path(path);
    let current = std::fs::metadata(&compiled)
        .and_then(|c| Ok(c.modified()? >= table.modified()?))
        .unwrap_or(false);
    if current {
        if let Ok(g) = map(&compiled).and_then(Gazetteer::with_compiled_overlay) {
            return Ok(g);
        }
    }
    let bytes = gazetteer::compile_overlay(&std::fs::read(path)?)?;
    // A cache: an overlay in a read-only place still loads, compiled anew
    // each run.
    let _ = write_atomically(&compiled, &bytes);
    Gazetteer::with_compiled_overlay(Arc::new(bytes))
}

/// The file at `path`, mapped into memory.
fn map(path: &Path) -> std::io::Result<gazetteer::OverlayBytes> {
    let file = std::fs::File::open(path)?;
    // SAFETY: the map is only read, and warcoder never writes a compiled
    // overlay in place (`write_atomically` renames a new file over it), so
    // the mapped file does not change under a running process unless a
    // user truncates it by hand.
    let mapped = unsafe { memmap2::Mmap::map(&file)? };
    Ok(Arc::new(mapped))
}

/// Write `bytes` to `path` through a temporary file beside it and a
/// rename: a reader sees the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.flush()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The built-in gazetteer, with the overlay at `path` on top when that file
/// exists (one `stat` when it does not). A broken overlay is left out, and
/// the second value says so for the caller to print.
pub fn open_if_present(path: Option<&Path>) -> (Gazetteer, Option<String>) {
    match path.filter(|p| p.exists()) {
        None => (Gazetteer::builtin(), None),
        Some(p) => match open(p) {
            Ok(g) => (g, None),
            Err(e) => (
                Gazetteer::builtin(),
                Some(format!("gazetteer overlay {} left out: {e}", p.display())),
            ),
        },
    }
}

/// Merge the populated places and admin areas of a GeoNames dump into the
/// overlay at `overlay` (created if absent; see
/// [`gazetteer::import_geonames`]) and compile it. Each file is written
/// next to its place, then renamed: a failed import leaves the old overlay
/// as it was.
pub fn import(
    dump: impl BufRead,
    overlay: &Path,
    countries: &[String],
) -> std::io::Result<ImportStats> {
    let mut rows = if overlay.exists() {
        OverlayRows::parse(&std::fs::read(overlay)?).map_err(|why| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {why}", overlay.display()),
            )
        })?
    } else {
        OverlayRows::default()
    };
    let stats = gazetteer::import_geonames(dump, &mut rows, countries)?;
    let compiled = rows.compile()?;
    write_atomically(overlay, &rows.to_gzip()?)?;
    // Written after the table, so that its time is not older.
    write_atomically(&compiled_path(overlay), &compiled)?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn the_overlay_path_follows_the_variables_in_order() {
        let all = [
            ("WARCODER_OVERLAY", "/o.tsv.gz"),
            ("XDG_DATA_HOME", "/xdg"),
            ("HOME", "/home/u"),
        ];
        assert_eq!(path(env(&all)), Some(PathBuf::from("/o.tsv.gz")));
        assert_eq!(
            path(env(&[("WARCODER_OVERLAY", "none"), ("HOME", "/h")])),
            None
        );
        assert_eq!(path(env(&[("WARCODER_OVERLAY", ""), ("HOME", "/h")])), None);
        assert_eq!(
            path(env(&all[1..])),
            Some(PathBuf::from("/xdg/warcoder/overlay.tsv.gz"))
        );
        assert_eq!(
            path(env(&[("XDG_DATA_HOME", ""), ("HOME", "/home/u")])),
            Some(PathBuf::from(
                "/home/u/.local/share/warcoder/overlay.tsv.gz"
            ))
        );
        assert_eq!(path(env(&[])), None);
    }

    #[test]
    fn a_broken_overlay_is_left_out_with_a_warning() {
        let dir = std::env::temp_dir().join(format!("warcoder-overlay-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("overlay.tsv.gz");
        std::fs::write(&bad, "not an overlay\n").unwrap();
        let (g, warning) = open_if_present(Some(&bad));
        assert_eq!(g.overlay_len(), 0);
        let warning = warning.expect("a warning");
        assert!(warning.starts_with(&format!("gazetteer overlay {} left out: ", bad.display())));
        let (g, warning) = open_if_present(Some(&dir.join("absent.tsv.gz")));
        assert_eq!((g.overlay_len(), warning), (0, None));
        assert!(open(&bad).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
