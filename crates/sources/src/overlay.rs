//! The local gazetteer overlay (`warcoder gazetteer import` writes it):
//! where it lives, reading it and writing it. The core parses and builds
//! the bytes ([`Gazetteer::with_overlay`], [`OverlayRows`]); finding,
//! reading and writing the file is done here, for the command line and the
//! Python package alike.

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

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

/// The built-in gazetteer with the overlay at `path` on top; an error when
/// the file cannot be read or is no overlay.
pub fn open(path: &Path) -> std::io::Result<Gazetteer> {
    Gazetteer::with_overlay(&std::fs::read(path)?)
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
/// [`gazetteer::import_geonames`]). The file is written next to its place,
/// then renamed: a failed import leaves the old overlay as it was.
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
    if let Some(dir) = overlay.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = overlay.with_extension("tmp");
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&rows.to_gzip()?)?;
        file.flush()?;
    }
    std::fs::rename(&tmp, overlay)?;
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
