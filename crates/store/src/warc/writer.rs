//! Writing WARC records: what the tests' fixtures and the benchmark corpus
//! generator need (a record, an HTTP response block, a gzip member per
//! record as Common Crawl writes them). Not a general WARC writer.

use std::io::Write;

/// One WARC/1.0 record with its header block and the CRLFCRLF after it.
/// `content_length` is normally `block.len()`; a different value makes a
/// deliberately bad record (truncated or oversized) for tests.
pub fn record(
    kind: &str,
    target: Option<&str>,
    date: &str,
    content_type: &str,
    block: &[u8],
    content_length: usize,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 300);
    out.extend_from_slice(b"WARC/1.0\r\n");
    out.extend_from_slice(format!("WARC-Type: {kind}\r\n").as_bytes());
    if let Some(t) = target {
        out.extend_from_slice(format!("WARC-Target-URI: {t}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("WARC-Date: {date}\r\n").as_bytes());
    out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
    out.extend_from_slice(format!("Content-Length: {content_length}\r\n\r\n").as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A `response` record holding an HTTP response with `body`.
pub fn response(target: &str, date: &str, status: u16, media_type: &str, body: &[u8]) -> Vec<u8> {
    let block = http_response(status, media_type, body);
    record(
        "response",
        Some(target),
        date,
        "application/http; msgtype=response",
        &block,
        block.len(),
    )
}

/// An HTTP/1.1 response: status line, Content-Type and Content-Length, body.
pub fn http_response(status: u16, media_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {media_type}\r\nContent-Length: {}\r\n\r\n",
        if status == 200 { "OK" } else { "Status" },
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// `data` as one gzip member (concatenated members make a `.warc.gz`).
pub fn gzip_member(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// A minimal HTML page for an article: title, then one paragraph per
/// blank-line-separated block of `text`.
pub fn article_html(title: &str, text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let paragraphs: String = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body><article><h1>{t}</h1>\n{paragraphs}</article></body></html>\n",
        t = escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::{Item, Limits, WarcFile};

    #[test]
    fn written_records_read_back() {
        let page = article_html("Blast", "A bomb exploded.\n\nTwo people died.");
        let mut data = gzip_member(&response(
            "http://x/a",
            "2025-10-16T08:00:00Z",
            200,
            "text/html",
            page.as_bytes(),
        ));
        data.extend(gzip_member(&record(
            "request",
            Some("http://x/a"),
            "2025-10-16T08:00:00Z",
            "application/http",
            b"GET / HTTP/1.1\r\n\r\n",
            18,
        )));
        let items: Vec<Item> =
            WarcFile::from_reader("t".into(), std::io::Cursor::new(data), Limits::default())
                .unwrap()
                .collect();
        assert_eq!(items.len(), 2);
        match &items[0] {
            Item::Document(raw) => {
                assert!(raw.html);
                assert_eq!(raw.meta.url.as_deref(), Some("http://x/a"));
                assert_eq!(raw.meta.published.as_deref(), Some("2025-10-16T08:00:00Z"));
                assert!(raw.content.contains("<p>Two people died.</p>"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(items[1], Item::NotArticle));
    }
}
