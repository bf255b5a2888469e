//! WARC input (`.warc`, `.warc.gz`, as Common Crawl's news crawl publishes
//! them): `response` records with HTML payloads become documents whose URL
//! and publication date are the record's target URI and WARC-Date.
//!
//! Compressed files are decoded one gzip member at a time ([`members`]), so
//! that a damaged member costs its own records only; a whole-file gzip is
//! one member. Every size
//! a file controls is capped ([`Limits`]); a bad record is reported once
//! with its reason and skipped.

mod framing;
mod http;
pub mod members;
pub mod writer;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use warcoder_core::model::InputMeta;
use warcoder_core::source::{self, RawInput, MAX_DOCUMENT_BYTES};

use crate::failure::Failure;

use framing::Framer;
pub use framing::{BadRecord, Problem, RawRecord};
use http::Payload;

/// Caps on what one WARC file can make the reader hold or do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest record block read into memory (HTTP head + body); larger
    /// records are skipped unread and reported.
    pub max_record_bytes: u64,
    /// Largest WARC header block.
    pub max_header_bytes: usize,
    /// Most decompressed bytes streamed past to skip one oversized record
    /// or to find the next record after a corrupt one. Past it the rest of
    /// the file is given up: a gzip bomb costs time as well as memory.
    pub max_skip_bytes: u64,
    /// Largest payload once its Content-Encoding is undone: the pipeline's
    /// own limit for one document.
    pub max_payload_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record_bytes: (MAX_DOCUMENT_BYTES + 4 * 1024 * 1024) as u64,
            max_header_bytes: 64 * 1024,
            max_skip_bytes: 1024 * 1024 * 1024,
            max_payload_bytes: MAX_DOCUMENT_BYTES,
        }
    }
}

/// One record's outcome.
#[derive(Debug)]
pub enum Item {
    Document(Box<RawInput>),
    /// Not an article (request, metadata, an image, a redirect): skipped quietly.
    NotArticle,
    /// A bad record, with the message to report.
    Failed(Failure),
}

/// Whether a path names a WARC file.
pub fn is_warc(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// The records of one WARC file, in order.
pub struct WarcFile {
    name: String,
    framer: Framer<Box<dyn BufRead + Send>>,
    limits: Limits,
    index: usize,
    /// Gzip members the decoder had to skip, reported as failures.
    damage: members::Damage,
    pending: std::collections::VecDeque<Item>,
}

const READ_BUFFER: usize = 256 * 1024;

impl WarcFile {
    /// Open a WARC file.
    pub fn open(path: &Path, limits: Limits) -> std::io::Result<WarcFile> {
        Self::from_reader(path.display().to_string(), File::open(path)?, limits)
    }

    /// Records from any byte source; gzip is recognised by its magic bytes,
    /// not by a file name.
    pub fn from_reader(
        name: String,
        reader: impl Read + Send + 'static,
        limits: Limits,
    ) -> std::io::Result<WarcFile> {
        let mut raw = BufReader::with_capacity(READ_BUFFER, reader);
        let gzipped = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let damage = members::Damage::default();
        let stream: Box<dyn BufRead + Send> = if gzipped {
            let decoder = members::Members::new(raw, damage.clone());
            Box::new(BufReader::with_capacity(READ_BUFFER, decoder))
        } else {
            Box::new(raw)
        };
        Ok(WarcFile {
            name,
            framer: Framer::new(stream, limits),
            limits,
            index: 0,
            damage,
            pending: std::collections::VecDeque::new(),
        })
    }

    fn describe(&self, offset: u64, target: Option<&str>) -> String {
        let target = target.map(|t| format!(" ({t})")).unwrap_or_default();
        format!(
            "{}: record {} at byte {offset}{target}",
            self.name, self.index
        )
    }

    fn document(&self, record: RawRecord) -> Item {
        let kind = record
            .header("WARC-Type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let target = record
            .header("WARC-Target-URI")
            .map(|t| t.trim_matches(|c| c == '<' || c == '>').to_string());
        let published = record.header("WARC-Date").map(str::to_string);
        let content_type = record.header("Content-Type").map(str::to_string);
        let max = self.limits.max_payload_bytes;
        let payload = match kind.as_str() {
            "response" => http::from_response(&record.block, max),
            "resource" => http::from_resource(record.block, content_type.as_deref(), max),
            _ => return Item::NotArticle,
        };
        let here = || self.describe(record.offset, target.as_deref());
        let (bytes, html, charset) = match payload {
            Ok(Payload::Article {
                bytes,
                html,
                charset,
            }) => (bytes, html, charset),
            Ok(Payload::NotArticle) => return Item::NotArticle,
            Err(why) => {
                return Item::Failed(Failure::new(
                    "bad HTTP payload",
                    format!("{}: {why}", here()),
                ))
            }
        };
        let source = target.clone().unwrap_or_else(here);
        let mut warnings = Vec::new();
        let decoded = source::decode_text(&bytes, charset.as_deref(), html, &source, &mut warnings);
        Item::Document(Box::new(RawInput {
            meta: InputMeta {
                source,
                url: target,
                published,
                ..Default::default()
            },
            id: source::sha256_hex(&bytes),
            content: decoded.text,
            rewritten: decoded.rewritten,
            html,
            warnings,
        }))
    }
}

impl Iterator for WarcFile {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some(item) = self.pending.pop_front() {
            return Some(item);
        }
        let framed = self.framer.next();
        for d in self.damage.take() {
            self.pending.push_back(Item::Failed(Failure::new(
                "damaged gzip member",
                format!(
                    "{}: gzip member at compressed byte {} is damaged ({}); {} compressed bytes skipped to the next member, the records in them are lost",
                    self.name, d.compressed_offset, d.error, d.skipped_bytes
                ),
            )));
        }
        let Some(framed) = framed else {
            return self.pending.pop_front();
        };
        self.index += 1;
        let item = match framed {
            Ok(record) => self.document(record),
            Err(bad) => Item::Failed(Failure::new(
                bad.problem.reason(),
                format!(
                    "{}: {}",
                    self.describe(bad.offset, bad.target.as_deref()),
                    bad.problem
                ),
            )),
        };
        match self.pending.pop_front() {
            // The damage comes first: it is why the record may be cut.
            Some(damage) => {
                self.pending.push_back(item);
                Some(damage)
            }
            None => Some(item),
        }
    }
}
