//! The command line's configuration from its environment, read here once
//! and handed to the core as arguments (the core reads no environment):
//!
//! - `WARCODER_TRACE` (any value): print every mention of every sentence of
//!   each document to stderr (triggers with modality, actors, tolls, dates,
//!   places, sources);
//! - `WARCODER_FRAMES` (any value): print the frames assembly built, which
//!   consolidate receives;
//! - `WARCODER_OVERLAY`, else `XDG_DATA_HOME`, else `HOME`: where the
//!   gazetteer overlay is (`warcoder_sources::overlay::path`; `none` or
//!   empty: no overlay).

use std::path::PathBuf;
use std::sync::OnceLock;

use warcoder_core::config::Diagnostics;
use warcoder_core::gazetteer::Gazetteer;
use warcoder_core::Resources;

/// What the environment asks of this process.
pub struct Settings {
    pub trace: bool,
    pub frames: bool,
    /// Where the overlay would be (it may not exist); None: no overlay.
    pub overlay: Option<PathBuf>,
}

impl Settings {
    fn from_env() -> Self {
        Settings {
            trace: std::env::var_os("WARCODER_TRACE").is_some(),
            frames: std::env::var_os("WARCODER_FRAMES").is_some(),
            overlay: warcoder_sources::overlay::path(|k| std::env::var_os(k)),
        }
    }
}

/// The process's settings, read from the environment on first use.
pub fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(Settings::from_env)
}

/// The diagnostics the environment asks for, printed to stderr.
pub fn diagnostics() -> Diagnostics {
    let to_stderr: fn(&str) = |text| eprint!("{text}");
    let s = settings();
    Diagnostics {
        mentions: s.trace.then_some(to_stderr),
        frames: s.frames.then_some(to_stderr),
    }
}

/// The built-in gazetteer with the user's overlay, when there is one; a
/// broken overlay is left out with a warning on stderr.
pub fn default_gazetteer() -> Gazetteer {
    let (gazetteer, warning) =
        warcoder_sources::overlay::open_if_present(settings().overlay.as_deref());
    if let Some(w) = warning {
        eprintln!("warcoder: {w}");
    }
    gazetteer
}

/// The resources with [`default_gazetteer`].
pub fn load_resources() -> Resources {
    Resources::with_gazetteer(default_gazetteer())
}

/// The process-wide [`load_resources`], built on first use.
pub fn resources() -> &'static Resources {
    static RES: OnceLock<Resources> = OnceLock::new();
    RES.get_or_init(load_resources)
}
