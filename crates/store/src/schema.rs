//! The database schema as an ordered list of migrations. `PRAGMA
//! user_version` records how many have been applied; a store opened by an
//! older binary than the one that wrote it is refused rather than misread.
//! Append new migrations; never edit an applied one.

/// The migration (counted from 1) that adds document sketches: the
/// documents stored before it are sketched when it runs.
pub const SKETCH_MIGRATION: usize = 3;

pub const MIGRATIONS: &[&str] = &[
    // 1: documents, events with their estimates, incidents.
    r#"
    -- One row per coded article; sha256 of its raw bytes makes ingest idempotent.
    CREATE TABLE documents (
        id             INTEGER PRIMARY KEY,
        sha256         TEXT NOT NULL UNIQUE,
        input_id       TEXT,
        source         TEXT NOT NULL,
        url            TEXT,
        -- The outlet: the URL's host, else the source path.
        outlet         TEXT NOT NULL,
        title          TEXT,
        published      TEXT,
        reference_date TEXT,
        bytes          INTEGER NOT NULL,
        ingested_at    TEXT NOT NULL,
        warnings       TEXT,   -- JSON array, NULL when none
        aggregates     TEXT    -- JSON array of the output's aggregates, NULL when none
    );

    -- One row per merged incident; the columns are a summary of `json` (an
    -- `Incident`) kept for filtering, recomputed whenever a report joins.
    CREATE TABLE incidents (
        id              INTEGER PRIMARY KEY,
        date            TEXT,
        date_precision  TEXT,
        day_first       TEXT,   -- the days the date stands for, for --from/--to
        day_last        TEXT,
        event_type      TEXT NOT NULL,
        sub_event_type  TEXT,
        country         TEXT,
        admin1          TEXT,
        admin2          TEXT,
        location        TEXT,
        lat             REAL,
        lon             REAL,
        geo_precision   INTEGER,
        actors          TEXT NOT NULL DEFAULT '',   -- names joined by "; "
        fatalities_low  INTEGER,
        fatalities_best INTEGER,
        fatalities_high INTEGER,
        injured_low     INTEGER,
        injured_best    INTEGER,
        injured_high    INTEGER,
        documents       INTEGER NOT NULL DEFAULT 0,
        json            TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX incidents_day ON incidents(day_first, day_last);
    CREATE INDEX incidents_country ON incidents(country);

    -- Every event of every document, as the pipeline wrote it (`json` is an
    -- EventOut). Background events and acts ACLED does not code are kept
    -- with no incident.
    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        key         TEXT NOT NULL,
        status      TEXT NOT NULL,
        event_type  TEXT,
        -- What the incident rule compares (crate::merge::Facts), kept in
        -- columns so that matching never has to parse `json`.
        country     TEXT,
        admin1      TEXT,
        admin2      TEXT,
        lat         REAL,
        lon         REAL,
        geo_precision INTEGER,
        perpetrators TEXT NOT NULL DEFAULT '[]',  -- JSON array of named perpetrators
        -- The days the event can be matched on (day or week precision only).
        merge_from  TEXT,
        merge_to    TEXT,
        incident_id INTEGER REFERENCES incidents(id),
        notes       TEXT NOT NULL,
        json        TEXT NOT NULL,
        UNIQUE (document_id, key)
    );
    CREATE INDEX events_incident ON events(incident_id);
    CREATE INDEX events_merge ON events(event_type, country, merge_from)
        WHERE incident_id IS NOT NULL AND merge_from IS NOT NULL;

    -- Every attributed figure, one row each, for analysis in SQL.
    CREATE TABLE estimates (
        id         INTEGER PRIMARY KEY,
        event_id   INTEGER NOT NULL REFERENCES events(id),
        kind       TEXT NOT NULL,   -- fatalities | injured | missing | abducted | arrested
        count      INTEGER NOT NULL,
        count_high INTEGER,
        qualifier  TEXT,
        vague      INTEGER NOT NULL,
        source     TEXT,
        superseded INTEGER NOT NULL
    );
    CREATE INDEX estimates_event ON estimates(event_id);
    "#,
    // 2: what the web view needs: document texts for the evidence spans,
    // analysts' corrections beside the machine coding, and a full-text index
    // of incidents kept in step by triggers (so no writer has to know of it).
    r#"
    -- The text an article's spans point into (stored from this version on).
    CREATE TABLE document_texts (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id),
        text        TEXT NOT NULL
    );

    -- An analyst's change to one field of an incident. Append-only: the
    -- latest correction of a field wins; the machine coding is never edited.
    CREATE TABLE corrections (
        id          INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        field       TEXT NOT NULL,   -- event_type | actor_type | location | date | fatalities
        value       TEXT NOT NULL,   -- JSON, the change (crate::correction::Change)
        machine     TEXT,            -- JSON, the machine's value when corrected
        note        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    CREATE INDEX corrections_incident ON corrections(incident_id, id);

    CREATE VIRTUAL TABLE incident_search USING fts5(
        text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER incident_search_insert AFTER INSERT ON incidents BEGIN
        INSERT INTO incident_search (rowid, text) VALUES (new.id,
            concat_ws(' ', new.location, new.admin1, new.admin2, new.actors, new.event_type,
                      new.sub_event_type, json_extract(new.json, '$.notes')));
    END;
    CREATE TRIGGER incident_search_update AFTER UPDATE ON incidents BEGIN
        DELETE FROM incident_search WHERE rowid = old.id;
        INSERT INTO incident_search (rowid, text) VALUES (new.id,
            concat_ws(' ', new.location, new.admin1, new.admin2, new.actors, new.event_type,
                      new.sub_event_type, json_extract(new.json, '$.notes')));
    END;
    INSERT INTO incident_search (rowid, text)
        SELECT id, concat_ws(' ', location, admin1, admin2, actors, event_type, sub_event_type,
                             json_extract(json, '$.notes'))
        FROM incidents;
    CREATE INDEX incidents_type ON incidents(event_type);
    -- The web view reads these columns of every matching incident (map,
    -- timeline, counts): an index holding them all spares reading the wide
    -- rows (their JSON) on a large store; the list's order has its own.
    CREATE INDEX incidents_browse ON incidents(day_first, day_last, country, event_type,
        sub_event_type, lat, lon, fatalities_best, documents);
    CREATE INDEX incidents_order ON incidents(day_first IS NULL, day_first, id,
        day_last, country, event_type, sub_event_type);
    CREATE INDEX incidents_country_order ON incidents(country, day_first IS NULL, day_first, id);
    CREATE INDEX events_status ON events(status);
    "#,
    // 3: what the merge rule needs beyond migration 1 (crate::merge): the
    // place's name and gazetteer id (two named places never merge), the
    // fatality range (incompatible tolls never merge), why each event
    // joined its incident, and the documents' MinHash sketches that tie
    // near-duplicate copies together (crate::sketch).
    r#"
    ALTER TABLE events ADD COLUMN place TEXT;
    ALTER TABLE events ADD COLUMN geonames_id INTEGER;
    -- Current fatality figures: lowest, highest (NULL with killed_low set:
    -- open above, "at least"); killed_low NULL when none.
    ALTER TABLE events ADD COLUMN killed_low INTEGER;
    ALTER TABLE events ADD COLUMN killed_high INTEGER;
    -- JSON crate::merge::Joined: the checks this event passed against each
    -- member when it joined; NULL when it started its incident.
    ALTER TABLE events ADD COLUMN merge_reason TEXT;
    UPDATE events SET place = json_extract(json, '$.location.name'),
        geonames_id = json_extract(json, '$.location.geonames_id'),
        killed_low = json_extract(json, '$.fatalities.low'),
        killed_high = json_extract(json, '$.fatalities.high');

    -- One MinHash sketch per document (crate::sketch::Sketch, little-endian
    -- u32s); documents too short to compare have none. Filled for older
    -- documents by the migration's Rust step.
    CREATE TABLE document_sketches (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id),
        minhash     BLOB NOT NULL
    );
    -- Its bands, for finding the documents that share one.
    CREATE TABLE sketch_bands (
        band        INTEGER NOT NULL,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        PRIMARY KEY (band, document_id)
    ) WITHOUT ROWID;
    "#,
    // 4: the incident search index is kept by the writer, once per batch
    // (crate::store::Store::insert), not by triggers: a trigger runs inside
    // each statement's savepoint, and FTS5 writes its pending terms to disk
    // at every savepoint (9 % of the writer's time on a large store).
    r#"
    DROP TRIGGER incident_search_insert;
    DROP TRIGGER incident_search_update;
    "#,
];

/// What the incident search index holds for each incident: its place,
/// actors, types and the evidence notes of its reports.
pub const INCIDENT_SEARCH_TEXT: &str = "concat_ws(' ', location, admin1, admin2, actors, \
     event_type, sub_event_type, json_extract(json, '$.notes'))";
