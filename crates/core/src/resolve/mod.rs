//! Stage 5: resolution. Mentions first (the reference date, every date
//! mention, every place mention against the gazetteer), so that assembly can
//! compare resolved places; then, after assembly, each frame's date (offsets
//! like "a day after" need the other events of the sentence).

pub mod dates;
pub mod places;
pub mod ranker;

use crate::model::Document;
use crate::Resources;

/// Resolve the document's mentions: reference date, dates, places.
pub fn resolve_mentions(doc: &mut Document, res: &Resources) {
    // Places first: the country they are in decides how numeric dates
    // read when nothing else does.
    places::resolve_places(doc, res);
    let order = dates::numeric_order(doc, res);
    dates::reference_date(doc, order);
    dates::resolve_mentions(doc, order);
}
