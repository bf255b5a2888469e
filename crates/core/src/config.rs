//! How the caller asks for one run of the pipeline: everything besides the
//! text and the [`Resources`](crate::Resources) that changes what a run does
//! or reports. The caller builds it (the command line from its flags and its
//! environment, read once); the core reads no environment and writes to no
//! stream, so a library user gets the same result whatever the process
//! around it has set.

use crate::budget::Budget;
use crate::language::Languages;

/// One run's settings.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// What one document may cost.
    pub budget: Budget,
    /// Each learned event type says which words and facts weighed most
    /// (`type_explanation`).
    pub explain: bool,
    /// In a short text where the rules find no event, the models may
    /// propose one (`learned::propose`): on coders' notes it finds most of
    /// what the rules miss, on news sentences more right events than wrong
    /// ones (`warcoder train` measures both). On by default.
    pub propose: bool,
    /// Which documents are coded (another language: reported, not coded).
    pub languages: Languages,
    /// Debugging text the caller wants besides the output.
    pub diagnostics: Diagnostics,
}

impl Config {
    /// Every document read as English, proposals on, no explanations, no
    /// diagnostics.
    pub fn new(budget: Budget) -> Self {
        Config {
            budget,
            explain: false,
            propose: true,
            languages: Languages::All,
            diagnostics: Diagnostics::default(),
        }
    }
}

/// Receives a document's debugging text, once per document and kind: the
/// caller decides where it goes (the command line prints it to stderr).
pub type Report = fn(&str);

/// Which debugging text to produce, and who receives it (None: none is
/// made, at no cost).
#[derive(Debug, Clone, Copy, Default)]
pub struct Diagnostics {
    /// Every mention of every sentence, after resolution
    /// ([`crate::trace::mentions`]).
    pub mentions: Option<Report>,
    /// The assembled frames consolidate receives
    /// ([`crate::trace::frames`]).
    pub frames: Option<Report>,
}
