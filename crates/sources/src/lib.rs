//! What warcoder reads from the world around the core, so that the core
//! stays a pure function of its arguments: the user's gazetteer overlay
//! ([`overlay`]).

pub mod overlay;
