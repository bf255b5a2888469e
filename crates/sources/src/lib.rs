//! What warcoder reads from the world around the core, so that the core
//! stays a pure function of its arguments: files, directories and standard
//! input ([`files`]), and the user's gazetteer overlay ([`overlay`]).

pub mod files;
pub mod overlay;
