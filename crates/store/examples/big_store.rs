//! Build a large event store for speed measurements from a small real one:
//! every document, event and incident of SOURCE copied until there are N
//! incidents, each copy's dates shifted back by whole days and its places
//! moved by up to two degrees (deterministically), so that the map, the
//! timeline and the filters see a spread like a real year or ten of data.
//!
//!     cargo run --release -p warcoder-store --example big_store -- SOURCE.db OUT.db 100000
//!
//! scripts/bench-serve.sh runs it on the demo store and measures the page.

use std::collections::HashMap;

use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection};
use serde_json::Value;

type Row = HashMap<String, Sql>;

fn text(v: &Sql) -> Option<&str> {
    match v {
        Sql::Text(t) => Some(t),
        _ => None,
    }
}

fn int(v: &Sql) -> Option<i64> {
    match v {
        Sql::Integer(i) => Some(*i),
        _ => None,
    }
}

fn real(v: &Sql) -> Option<f64> {
    match v {
        Sql::Real(f) => Some(*f),
        Sql::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, source, out, n] = args.as_slice() else {
        return Err("usage: big_store SOURCE.db OUT.db N".into());
    };
    let target: usize = n.parse()?;
    let _ = std::fs::remove_file(out);
    // Opening through the store creates the schema.
    drop(warcoder_store::Store::open(std::path::Path::new(out))?);
    let src = Connection::open(source)?;
    let mut dst = Connection::open(out)?;
    let docs = rows(&src, "SELECT d.*, t.text FROM documents d LEFT JOIN document_texts t ON t.document_id = d.id ORDER BY d.id")?;
    let events = rows(&src, "SELECT * FROM events ORDER BY id")?;
    let incidents = rows(&src, "SELECT * FROM incidents ORDER BY id")?;
    if incidents.is_empty() {
        return Err(
            format!("{source} has no incidents: run `warcoder demo --db {source}` first").into(),
        );
    }
    let copies = target.div_ceil(incidents.len());
    let tx = dst.transaction()?;
    let mut made = 0usize;
    for k in 0..copies {
        let shift = (k as i64 * 7) % 3650; // days back, a week per copy
        let (dlat, dlon) = jitter(k);
        let mut doc_ids = HashMap::new();
        for d in &docs {
            tx.execute(
                "INSERT INTO documents (sha256, input_id, source, url, outlet, title, published,
                     reference_date, bytes, ingested_at, warnings, aggregates)
                 VALUES (?1 || '-' || ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    d["sha256"],
                    k as i64,
                    d["input_id"],
                    d["source"],
                    d["url"],
                    d["outlet"],
                    d["title"],
                    d["published"],
                    d["reference_date"],
                    d["bytes"],
                    d["ingested_at"],
                    d["warnings"],
                    d["aggregates"]
                ],
            )?;
            let id = tx.last_insert_rowid();
            if let Some(body) = text(&d["text"]) {
                tx.execute(
                    "INSERT INTO document_texts VALUES (?1, ?2)",
                    params![id, body],
                )?;
            }
            doc_ids.insert(int(&d["id"]).unwrap_or_default(), id);
        }
        let mut incident_ids = HashMap::new();
        for i in incidents.iter().take(target - made) {
            let mut json: Value = serde_json::from_str(text(&i["json"]).unwrap_or("{}"))?;
            let day = |v: &Sql| text(v).map(|d| shifted(d, shift));
            let (date, first, last) = (day(&i["date"]), day(&i["day_first"]), day(&i["day_last"]));
            let lat = real(&i["lat"]).map(|v| (v + dlat).clamp(-89.0, 89.0));
            let lon = real(&i["lon"]).map(|v| (v + dlon + 180.0).rem_euclid(360.0) - 180.0);
            json["date"] = date.clone().into();
            if let (Some(loc), Some(lat), Some(lon)) =
                (json.get_mut("location").filter(|l| l.is_object()), lat, lon)
            {
                loc["lat"] = lat.into();
                loc["lon"] = lon.into();
            }
            tx.execute(
                "INSERT INTO incidents (date, date_precision, day_first, day_last, event_type, sub_event_type,
                     country, admin1, admin2, location, lat, lon, geo_precision, actors,
                     fatalities_low, fatalities_best, fatalities_high, injured_low, injured_best, injured_high,
                     documents, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, '{}')",
                params![date, i["date_precision"], first, last, i["event_type"], i["sub_event_type"],
                        i["country"], i["admin1"], i["admin2"], i["location"], lat, lon, i["geo_precision"], i["actors"],
                        i["fatalities_low"], i["fatalities_best"], i["fatalities_high"],
                        i["injured_low"], i["injured_best"], i["injured_high"], i["documents"]],
            )?;
            let id = tx.last_insert_rowid();
            json["id"] = id.into();
            // The full-text trigger indexes the record on update, as the merger writes it.
            tx.execute(
                "UPDATE incidents SET json = ?1 WHERE id = ?2",
                params![json.to_string(), id],
            )?;
            incident_ids.insert(int(&i["id"]).unwrap_or_default(), id);
            made += 1;
        }
        for e in &events {
            let incident = int(&e["incident_id"]).and_then(|i| incident_ids.get(&i));
            if int(&e["incident_id"]).is_some() && incident.is_none() {
                continue; // its incident was past the target
            }
            tx.execute(
                "INSERT INTO events (document_id, key, status, event_type, country, admin1, admin2, lat, lon,
                     geo_precision, perpetrators, merge_from, merge_to, incident_id, notes, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![doc_ids[&int(&e["document_id"]).unwrap_or_default()], e["key"], e["status"],
                        e["event_type"], e["country"], e["admin1"], e["admin2"], e["lat"], e["lon"],
                        e["geo_precision"], e["perpetrators"], e["merge_from"], e["merge_to"], incident,
                        e["notes"], e["json"]],
            )?;
        }
    }
    tx.commit()?;
    println!("{out}: {made} incidents from {} copies of {source}", copies);
    Ok(())
}

/// Every row of `sql`, by column name.
fn rows(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<Row>> {
    let mut st = conn.prepare(sql)?;
    let names: Vec<String> = st.column_names().map(String::from).collect();
    let rows = st.query_map([], |r| {
        let mut row = Row::new();
        for (k, name) in names.iter().enumerate() {
            row.insert(name.clone(), r.get::<_, Sql>(k)?);
        }
        Ok(row)
    })?;
    rows.collect()
}

/// A deterministic move of up to two degrees for copy `k`.
fn jitter(k: usize) -> (f64, f64) {
    let h = (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let unit = |bits: u64| (bits % 10_000) as f64 / 10_000.0 * 4.0 - 2.0;
    (unit(h >> 16), unit(h >> 40))
}

fn shifted(day: &str, back: i64) -> String {
    match day
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
    {
        Some(d) => d
            .checked_sub(jiff::Span::new().days(back))
            .map(|d| format!("{d}{}", &day[10..]))
            .unwrap_or_else(|_| day.to_string()),
        None => day.to_string(),
    }
}
