//! `warcoder enqueue`: inputs walked as `ingest` walks them (the one walker
//! in `warcoder_sources::files`), each published as a work item.
//!
//! Articles and JSONL records go inline. A `.warc.gz` is split at its gzip
//! members (Common Crawl writes one record per member): each member holding
//! an article, or a record the reader reports as bad, becomes a
//! (path, offset, length) reference that a worker reads and frames itself;
//! members of requests and metadata only are not sent. An uncompressed
//! `.warc` is one reference (its records are not split across workers).
//!
//! Each message id is a content hash (the document's sha256, the member's
//! or file's bytes'), so the stream's duplicate window drops what a re-run
//! publishes again.

use std::collections::VecDeque;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use async_nats::jetstream::context::PublishAckFuture;
use async_nats::jetstream::message::PublishMessage;
use sha2::{Digest, Sha256};
use warcoder_core::source::{InputError, RawInput};
use warcoder_sources::files::{self, Found};
use warcoder_store::warc::{self, members, Item, WarcFile};
use warcoder_store::Failure;

use crate::item::WorkItem;
use crate::Queue;

/// What a run published and what it could not read.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct EnqueueReport {
    /// Messages the stream took as new.
    pub published: usize,
    /// Messages whose id the stream already held (a re-run).
    pub already_queued: usize,
    /// Documents sent inline.
    pub documents: usize,
    /// WARC ranges and files sent as references.
    pub references: usize,
    /// WARC gzip members with no article (requests, metadata, images).
    pub not_articles: usize,
    /// Inputs that could not be read, each reported as it happened.
    pub failed: usize,
}

/// One walked input, ready to publish or to count.
enum Prepared {
    Message {
        id: String,
        payload: Vec<u8>,
        reference: bool,
    },
    NotArticle,
    Failed(Failure),
}

/// Publish acks awaited at most at once: enough to keep the connection
/// busy, few enough to bound what a failed run leaves unconfirmed.
const ACK_WINDOW: usize = 256;

/// Room left in a message for the headers (the message id).
const HEADER_ROOM: usize = 1024;

/// Walk `paths` and publish every work item to `queue`'s stream (created
/// if absent); `failed` hears each input that cannot be read.
pub async fn enqueue(
    queue: &Queue,
    paths: &[PathBuf],
    limits: warc::Limits,
    failed: &mut dyn FnMut(&str),
) -> Result<EnqueueReport> {
    queue.work_stream().await?;
    let max_payload = queue
        .client
        .server_info()
        .max_payload
        .saturating_sub(HEADER_ROOM);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Prepared>(ACK_WINDOW);
    let paths = paths.to_vec();
    let walker = tokio::task::spawn_blocking(move || {
        let mut emit = |p: Prepared| tx.blocking_send(p).is_ok();
        walk(&paths, max_payload, limits, &mut emit);
    });
    let mut report = EnqueueReport::default();
    let mut acks: VecDeque<PublishAckFuture> = VecDeque::new();
    let subject = queue.work_subject();
    while let Some(prepared) = rx.recv().await {
        let (id, payload, reference) = match prepared {
            Prepared::Message {
                id,
                payload,
                reference,
            } => (id, payload, reference),
            Prepared::NotArticle => {
                report.not_articles += 1;
                continue;
            }
            Prepared::Failed(failure) => {
                failed(&failure.message);
                report.failed += 1;
                continue;
            }
        };
        if reference {
            report.references += 1;
        } else {
            report.documents += 1;
        }
        let message = PublishMessage::build()
            .payload(payload.into())
            .message_id(id);
        acks.push_back(
            queue
                .js
                .send_publish(subject.clone(), message)
                .await
                .context("publishing a work item")?,
        );
        if acks.len() >= ACK_WINDOW {
            confirm(acks.pop_front(), &mut report).await?;
        }
    }
    while let Some(ack) = acks.pop_front() {
        confirm(Some(ack), &mut report).await?;
    }
    walker.await.context("reading the inputs")?;
    Ok(report)
}

async fn confirm(ack: Option<PublishAckFuture>, report: &mut EnqueueReport) -> Result<()> {
    let Some(ack) = ack else { return Ok(()) };
    let ack = ack
        .await
        .context("the stream did not confirm a work item")?;
    if ack.duplicate {
        report.already_queued += 1;
    } else {
        report.published += 1;
    }
    Ok(())
}

/// Every input under `paths`, prepared, in walking order; stops when
/// `emit` returns false.
fn walk(
    paths: &[PathBuf],
    max_payload: usize,
    limits: warc::Limits,
    emit: &mut dyn FnMut(Prepared) -> bool,
) {
    files::walk(paths, &mut |found| match found {
        Ok(Found::Stdin) => files::read_stream("-", std::io::stdin().lock())
            .into_iter()
            .all(|r| emit(document(r, None, max_payload))),
        Ok(Found::File(path, _)) if warc::is_warc(&path) => warc_items(&path, limits, emit),
        Ok(Found::File(path, meta)) => files::read_file(&path, &meta)
            .into_iter()
            .all(|r| emit(document(r, Some(&path), max_payload))),
        Err(e) => emit(Prepared::Failed(e.into())),
    });
}

/// A document inline; one too large for a message as a reference to its
/// file (the worker reads the file), when it has one.
fn document(
    read: Result<RawInput, InputError>,
    file: Option<&Path>,
    max_payload: usize,
) -> Prepared {
    let raw = match read {
        Ok(raw) => raw,
        Err(e) => return Prepared::Failed(e.into()),
    };
    let id = format!("doc-{}", raw.id);
    let source = raw.meta.source.clone();
    let payload = to_json(&WorkItem::Document(raw.into()));
    if payload.len() <= max_payload {
        return Prepared::Message {
            id,
            payload,
            reference: false,
        };
    }
    match file.map(absolute) {
        Some(Ok(path)) => Prepared::Message {
            id,
            payload: to_json(&WorkItem::File { path }),
            reference: true,
        },
        Some(Err(e)) => Prepared::Failed(Failure::new("unreadable input", format!("{source}: {e}"))),
        None => Prepared::Failed(Failure::new(
            "too large for a message",
            format!(
                "{source}: {} bytes as a message, over the server's limit of {max_payload}; save it to a file and enqueue the file",
                payload.len()
            ),
        )),
    }
}

fn to_json(item: &WorkItem) -> Vec<u8> {
    serde_json::to_vec(item).expect("a work item always serialises")
}

/// Workers on other machines resolve the path themselves: it must not
/// depend on this process's working directory.
fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

/// A WARC file's references: one per gzip member that holds an article or
/// a bad record, or the whole file when it is not compressed.
fn warc_items(path: &Path, limits: warc::Limits, emit: &mut dyn FnMut(Prepared) -> bool) -> bool {
    let name = warcoder_core::source::display_name(path);
    let unreadable = |e: std::io::Error| {
        Prepared::Failed(Failure::new(
            "unreadable input",
            format!("{name}: cannot read: {e}"),
        ))
    };
    let prepared = absolute(path).and_then(|abs| {
        let mut file = std::fs::File::open(&abs)?;
        let mut magic = [0u8; 2];
        let gzipped = file.read(&mut magic)? == 2 && magic == [0x1f, 0x8b];
        file.seek(SeekFrom::Start(0))?;
        if !gzipped {
            let id = format!("warc-{}", sha256_of(&mut file)?);
            let item = WorkItem::WarcRange {
                path: abs,
                offset: 0,
                length: 0,
            };
            return Ok(vec![reference(id, &item)]);
        }
        let spans = members::member_spans(BufReader::new(&mut file))?;
        spans
            .into_iter()
            .map(|(offset, length)| member(&mut file, &abs, offset, length, limits))
            .collect()
    });
    match prepared {
        Ok(items) => items.into_iter().all(emit),
        Err(e) => emit(unreadable(e)),
    }
}

/// One gzip member: a reference when it holds an article or a bad record.
fn member(
    file: &mut std::fs::File,
    path: &Path,
    offset: u64,
    length: u64,
    limits: warc::Limits,
) -> std::io::Result<Prepared> {
    let mut bytes = vec![0u8; length as usize];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut bytes)?;
    let id = format!("warc-{}", warcoder_core::source::sha256_hex(&bytes));
    let records = WarcFile::from_reader(
        path.display().to_string(),
        std::io::Cursor::new(bytes),
        limits,
    )?;
    let mut useful = false;
    for record in records {
        useful |= !matches!(record, Item::NotArticle);
    }
    if !useful {
        return Ok(Prepared::NotArticle);
    }
    let item = WorkItem::WarcRange {
        path: path.to_path_buf(),
        offset,
        length,
    };
    Ok(reference(id, &item))
}

fn reference(id: String, item: &WorkItem) -> Prepared {
    Prepared::Message {
        id,
        payload: to_json(item),
        reference: true,
    }
}

fn sha256_of(reader: &mut impl Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(reader, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use warcoder_store::warc::writer::{article_html, gzip_member, record, response};

    fn walked(paths: &[PathBuf], max_payload: usize) -> Vec<Prepared> {
        let mut out = Vec::new();
        walk(paths, max_payload, warc::Limits::default(), &mut |p| {
            out.push(p);
            true
        });
        out
    }

    fn item(p: &Prepared) -> WorkItem {
        match p {
            Prepared::Message { payload, .. } => serde_json::from_slice(payload).unwrap(),
            Prepared::NotArticle => panic!("not an article"),
            Prepared::Failed(f) => panic!("{f:?}"),
        }
    }

    /// Articles inline (as a file reference past the message size); a
    /// `.warc.gz` as one reference per member holding an article, none for
    /// a request record.
    #[test]
    fn inputs_become_documents_and_member_references() {
        let dir = std::env::temp_dir().join(format!("warcoder-enqueue-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "Gunmen killed two police officers in Peshawar on Monday.";
        std::fs::write(dir.join("a.txt"), text).unwrap();
        let html = article_html("Report", text);
        let page = gzip_member(&response(
            "https://example.org/1",
            "2025-10-20T10:00:00Z",
            200,
            "text/html",
            html.as_bytes(),
        ));
        let request = gzip_member(&record(
            "request",
            Some("https://example.org/1"),
            "2025-10-20T10:00:00Z",
            "application/http",
            b"GET / HTTP/1.1\r\n\r\n",
            18,
        ));
        std::fs::write(
            dir.join("b.warc.gz"),
            [request.clone(), page.clone()].concat(),
        )
        .unwrap();

        let all = walked(std::slice::from_ref(&dir), 1 << 20);
        assert!(matches!(item(&all[0]), WorkItem::Document(d) if d.content == text));
        assert!(matches!(all[1], Prepared::NotArticle));
        let WorkItem::WarcRange { offset, length, .. } = item(&all[2]) else {
            panic!("not a range")
        };
        assert_eq!((offset, length), (request.len() as u64, page.len() as u64));
        assert_eq!(all.len(), 3);

        let small = walked(&[dir.join("a.txt")], 16);
        assert!(matches!(item(&small[0]), WorkItem::File { path } if path.ends_with("a.txt")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
