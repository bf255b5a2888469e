//! What one queue message carries: a small document inline, or a byte range
//! of a file every worker can read (a `.warc.gz` gzip member, a whole
//! uncompressed `.warc`, a document too large to send inline), which the
//! worker reads and frames itself with the store's WARC reader.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use warcoder_core::model::InputMeta;
use warcoder_core::source::RawInput;
use warcoder_store::input::Input;
use warcoder_store::warc::{self, WarcFile};
use warcoder_store::Failure;

/// One work item, as JSON in the message body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkItem {
    /// A document read by `enqueue`: its text and what the reader knew.
    Document(InlineDocument),
    /// `length` bytes at `offset` of a WARC file (`length` 0: to its end).
    WarcRange {
        path: PathBuf,
        offset: u64,
        length: u64,
    },
    /// An article or JSONL file, read whole by the worker.
    File { path: PathBuf },
}

/// [`RawInput`] as it travels (the core's type has no serde).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlineDocument {
    pub id: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub content: String,
    #[serde(default)]
    pub rewritten: bool,
    #[serde(default)]
    pub html: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl From<RawInput> for InlineDocument {
    fn from(raw: RawInput) -> Self {
        InlineDocument {
            id: raw.id,
            source: raw.meta.source,
            input_id: raw.meta.input_id,
            url: raw.meta.url,
            published: raw.meta.published,
            title: raw.meta.title,
            content: raw.content,
            rewritten: raw.rewritten,
            html: raw.html,
            warnings: raw.warnings,
        }
    }
}

impl From<InlineDocument> for RawInput {
    fn from(d: InlineDocument) -> Self {
        RawInput {
            meta: InputMeta {
                input_id: d.input_id,
                source: d.source,
                url: d.url,
                published: d.published,
                title: d.title,
                reference_date: None,
            },
            id: d.id,
            content: d.content,
            rewritten: d.rewritten,
            html: d.html,
            warnings: d.warnings,
        }
    }
}

impl WorkItem {
    /// The inputs this item holds, read as `ingest` reads them: an inline
    /// document as it is, a range through the store's WARC reader (bad
    /// records and damaged members become failures), a file through the
    /// one file reader.
    pub fn inputs(self, limits: warc::Limits) -> Vec<Input> {
        match self {
            WorkItem::Document(d) => vec![Input::Document(Box::new(d.into()))],
            WorkItem::WarcRange {
                path,
                offset,
                length,
            } => match open_range(&path, offset, length, limits) {
                Ok(records) => records.map(Input::from).collect(),
                Err(e) => vec![unreadable(&path, &e)],
            },
            WorkItem::File { path } => match std::fs::metadata(&path) {
                Ok(meta) => warcoder_sources::files::read_file(&path, &meta)
                    .into_iter()
                    .map(|r| match r {
                        Ok(raw) => Input::Document(Box::new(raw)),
                        Err(e) => Input::Failed(e.into()),
                    })
                    .collect(),
                Err(e) => vec![unreadable(&path, &e)],
            },
        }
    }
}

/// The records of `length` bytes at `offset` of a WARC file, streamed (an
/// uncompressed file is one range and is never held whole).
fn open_range(
    path: &Path,
    offset: u64,
    length: u64,
    limits: warc::Limits,
) -> std::io::Result<WarcFile> {
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    // Failures name the file and where in it, as `ingest` would.
    let name = format!("{} (bytes from {offset})", path.display());
    if length == 0 {
        return WarcFile::from_reader(name, file, limits);
    }
    WarcFile::from_reader(name, file.take(length), limits)
}

fn unreadable(path: &Path, e: &std::io::Error) -> Input {
    let name = warcoder_core::source::display_name(path);
    Input::Failed(Failure::new(
        "unreadable input",
        format!("{name}: cannot read the queued reference: {e}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use warcoder_store::warc::writer::{article_html, gzip_member, response};

    fn page(n: usize) -> Vec<u8> {
        let html = article_html(
            "Report",
            "Gunmen killed two police officers in Peshawar on Monday.",
        );
        gzip_member(&response(
            &format!("https://example.org/{n}"),
            "2025-10-20T10:00:00Z",
            200,
            "text/html",
            html.as_bytes(),
        ))
    }

    /// A document survives the trip through JSON as the reader made it.
    #[test]
    fn an_inline_document_round_trips() {
        let meta = InputMeta {
            source: "a.txt".into(),
            url: Some("https://example.org/a".into()),
            ..InputMeta::default()
        };
        let raw =
            warcoder_core::source::from_text(meta, "Gunmen killed two.".into(), None).unwrap();
        let item = WorkItem::Document(raw.clone().into());
        let back: WorkItem = serde_json::from_slice(&serde_json::to_vec(&item).unwrap()).unwrap();
        let WorkItem::Document(doc) = back else {
            panic!("{back:?}")
        };
        let again = RawInput::from(doc);
        assert_eq!((again.id, again.content), (raw.id, raw.content));
        assert_eq!(again.meta.url, raw.meta.url);
    }

    /// A range holding one gzip member yields that record only; a range of
    /// a file that is gone is a failure naming it.
    #[test]
    fn a_warc_range_reads_its_own_member() {
        let dir = std::env::temp_dir().join(format!("warcoder-queue-item-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("two.warc.gz");
        let (first, second) = (page(1), page(2));
        std::fs::write(&path, [first.clone(), second.clone()].concat()).unwrap();
        let item = WorkItem::WarcRange {
            path: path.clone(),
            offset: first.len() as u64,
            length: second.len() as u64,
        };
        let inputs = item.clone().inputs(warc::Limits::default());
        let urls: Vec<_> = inputs
            .iter()
            .map(|i| match i {
                Input::Document(raw) => raw.meta.url.clone().unwrap_or_default(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(urls, ["https://example.org/2"]);
        std::fs::remove_dir_all(&dir).unwrap();
        let gone = item.inputs(warc::Limits::default());
        assert!(
            matches!(&gone[..], [Input::Failed(f)] if f.message.contains("cannot read the queued reference")),
            "{gone:?}"
        );
    }
}
