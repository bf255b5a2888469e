//! `warcoder places`: every place mention with its gazetteer entry, as one
//! JSON object per document or as one TSV row per mention.

use std::io::{self, Write};

use warcoder_core::output::PlacesOut;

/// The TSV's columns, in order.
pub const TSV_COLUMNS: [&str; 13] = [
    "source",
    "start",
    "end",
    "text",
    "geonameid",
    "name",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "feature_code",
    "score",
];

/// One object per document, one per line.
pub fn write_jsonl(w: &mut dyn Write, outs: &[PlacesOut]) -> io::Result<()> {
    for o in outs {
        serde_json::to_writer(&mut *w, o)?;
        writeln!(w)?;
    }
    Ok(())
}

/// The header, then one row per mention; a tab or a line break inside the
/// mention becomes a space so that every row stays one line of 13 cells.
pub fn write_tsv(w: &mut dyn Write, outs: &[PlacesOut]) -> io::Result<()> {
    writeln!(w, "{}", TSV_COLUMNS.join("\t"))?;
    for o in outs {
        for p in &o.places {
            let opt = |v: Option<String>| v.unwrap_or_default();
            let cells = [
                o.source.clone(),
                p.span[0].to_string(),
                p.span[1].to_string(),
                p.text.replace(['\t', '\n'], " "),
                opt(p.geonameid.map(|g| g.to_string())),
                opt(p.name.clone()),
                opt(p.country.clone()),
                opt(p.admin1.clone()),
                opt(p.admin2.clone()),
                opt(p.lat.map(|v| format!("{v:.4}"))),
                opt(p.lon.map(|v| format!("{v:.4}"))),
                opt(p.feature_code.clone()),
                opt(p.score.map(|v| format!("{v:.2}"))),
            ];
            writeln!(w, "{}", cells.join("\t"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use warcoder_core::output::PlaceOut;

    #[test]
    fn one_row_per_mention_with_empty_cells_for_what_is_unknown() {
        let place = |text: &str, lat: Option<f64>| PlaceOut {
            span: [3, 9],
            text: text.into(),
            geonameid: lat.map(|_| 1180281),
            name: lat.map(|_| "Dera Ismail Khan".into()),
            country: lat.map(|_| "PK".into()),
            admin1: None,
            admin2: None,
            lat,
            lon: lat.map(|_| 70.9),
            feature_code: None,
            score: lat.map(|_| 0.8),
            precision: None,
            candidates: vec![],
        };
        let outs = [PlacesOut {
            input_id: None,
            source: "a.txt".into(),
            places: vec![place("D.I.\tKhan", Some(31.83)), place("Nowhere", None)],
        }];
        let mut out = Vec::new();
        write_tsv(&mut out, &outs).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], TSV_COLUMNS.join("\t"));
        assert_eq!(
            rows[1],
            "a.txt\t3\t9\tD.I. Khan\t1180281\tDera Ismail Khan\tPK\t\t\t31.8300\t70.9000\t\t0.80"
        );
        assert_eq!(rows[2], "a.txt\t3\t9\tNowhere\t\t\t\t\t\t\t\t\t");
        assert!(rows.iter().all(|r| r.split('\t').count() == 13));
    }
}
