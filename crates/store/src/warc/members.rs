//! A `.warc.gz` decoded one gzip member at a time. Common Crawl writes one
//! member per record, so a damaged member costs its own record, not every
//! record after it (as one `MultiGzDecoder` over the whole file did): on a
//! decoding error the reader skips to the next gzip header and goes on,
//! and counts what it skipped.
//!
//! The framer then sees a record cut short followed by the next record's
//! start, reports the cut record as truncated and resumes at the next one;
//! a member lost whole is reported through [`Damage`].

use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex};

use flate2::bufread::GzDecoder;

/// A gzip member header: magic bytes and the deflate method.
const MEMBER_START: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Damaged members found so far: where each began in the compressed file
/// and how many compressed bytes were skipped.
#[derive(Debug, Clone, Default)]
pub struct Damage(Arc<Mutex<Vec<DamagedMember>>>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedMember {
    pub compressed_offset: u64,
    pub skipped_bytes: u64,
    pub error: String,
}

impl Damage {
    /// The damage found since the last call.
    pub fn take(&self) -> Vec<DamagedMember> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn record(&self, member: DamagedMember) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(member);
    }
}

/// Counts the compressed bytes consumed, so that damage can say where.
struct Counted<R> {
    inner: R,
    consumed: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.consumed += n as u64;
        self.inner.consume(n);
    }
}

/// The decompressed bytes of every readable member, in order.
pub struct Members<R: BufRead> {
    /// The member being decoded, or the raw reader between members.
    state: State<R>,
    damage: Damage,
}

enum State<R: BufRead> {
    Decoding(Box<GzDecoder<Counted<R>>>, u64),
    Between(Counted<R>),
    Done,
}

impl<R: BufRead> Members<R> {
    pub fn new(inner: R, damage: Damage) -> Self {
        Members {
            state: State::Between(Counted { inner, consumed: 0 }),
            damage,
        }
    }
}

/// Consume bytes up to the next member header (or the end); how many.
fn skip_to_member<R: BufRead>(src: &mut Counted<R>) -> io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        // A header may straddle two buffers: keep the last two bytes.
        match buf.windows(3).position(|w| w == MEMBER_START) {
            Some(at) => {
                src.consume(at);
                return Ok(skipped + at as u64);
            }
            None => {
                let keep = if buf.len() >= 3 { 2 } else { 0 };
                let n = (buf.len() - keep).max(1);
                src.consume(n);
                skipped += n as u64;
            }
        }
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Ok(0),
                State::Between(mut src) => {
                    if src.fill_buf()?.is_empty() {
                        return Ok(0);
                    }
                    let start = src.consumed;
                    self.state = State::Decoding(Box::new(GzDecoder::new(src)), start);
                }
                State::Decoding(mut decoder, start) => match decoder.read(out) {
                    Ok(0) => self.state = State::Between(decoder.into_inner()),
                    Ok(n) => {
                        self.state = State::Decoding(decoder, start);
                        return Ok(n);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                        self.state = State::Decoding(decoder, start);
                    }
                    Err(e) => {
                        let mut src = decoder.into_inner();
                        // Past this member's header, so the search finds the next one.
                        let at = src.consumed;
                        if at == start {
                            src.consume(1);
                        }
                        skip_to_member(&mut src)?;
                        self.damage.record(DamagedMember {
                            compressed_offset: start,
                            skipped_bytes: src.consumed - start,
                            error: e.to_string(),
                        });
                        self.state = State::Between(src);
                    }
                },
            }
        }
    }
}

/// Where each gzip member of a compressed file lies: `(offset, length)` in
/// compressed bytes, in order, damaged members included (their span runs
/// to the next member header). Each span read alone is a `.warc.gz` of its
/// own: the work queue hands a worker one member (Common Crawl writes one
/// record per member) instead of the whole file.
pub fn member_spans<R: BufRead>(inner: R) -> io::Result<Vec<(u64, u64)>> {
    let mut src = Counted { inner, consumed: 0 };
    let mut spans = Vec::new();
    while !src.fill_buf()?.is_empty() {
        let start = src.consumed;
        let mut decoder = GzDecoder::new(src);
        let decoded = io::copy(&mut decoder, &mut io::sink());
        src = decoder.into_inner();
        if decoded.is_err() {
            // As `Members` does: past this header, then to the next one.
            if src.consumed == start {
                src.consume(1);
            }
            skip_to_member(&mut src)?;
        }
        spans.push((start, src.consumed - start));
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::writer::gzip_member;

    fn read_all(bytes: &[u8]) -> (Vec<u8>, Vec<DamagedMember>) {
        let damage = Damage::default();
        let mut out = Vec::new();
        Members::new(bytes, damage.clone())
            .read_to_end(&mut out)
            .unwrap();
        (out, damage.take())
    }

    #[test]
    fn members_decode_in_order() {
        let file: Vec<u8> = [b"one ".as_slice(), b"two ", b"three"]
            .iter()
            .flat_map(|m| gzip_member(m))
            .collect();
        let (out, damage) = read_all(&file);
        assert_eq!(out, b"one two three");
        assert!(damage.is_empty());
    }

    #[test]
    fn a_damaged_member_costs_only_itself() {
        let first = gzip_member(b"first record ");
        let mut second = gzip_member(&b"second record ".repeat(50));
        let third = gzip_member(b"third record");
        // Garble the middle of the second member's deflate stream.
        let mid = second.len() / 2;
        for b in &mut second[mid - 4..mid + 4] {
            *b ^= 0x5a;
        }
        let third_len = third.len() as u64;
        let file = [first.clone(), second.clone(), third].concat();
        let (out, damage) = read_all(&file);
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("first record "), "{text}");
        assert!(text.ends_with("third record"), "{text}");
        assert_eq!(damage.len(), 1, "{damage:?}");
        assert_eq!(damage[0].compressed_offset, first.len() as u64);
        // The spans the work queue hands out: the damaged one included.
        let (a, b, c) = (first.len() as u64, second.len() as u64, third_len);
        assert_eq!(
            member_spans(file.as_slice()).unwrap(),
            [(0, a), (a, b), (a + b, c)]
        );
    }

    #[test]
    fn a_crawl_with_a_damaged_member_keeps_every_good_record() {
        use crate::warc::writer::{article_html, response};
        use crate::warc::{Item, Limits, WarcFile};
        let page = |n: usize| {
            let html = article_html(
                &format!("Report {n}"),
                &format!("Gunmen killed {n} villagers in Borno State on Monday, police said. ")
                    .repeat(20),
            );
            gzip_member(&response(
                &format!("https://example.org/{n}"),
                "2024-03-05T10:00:00Z",
                200,
                "text/html",
                html.as_bytes(),
            ))
        };
        let mut damaged = page(2);
        let mid = damaged.len() / 2;
        for b in &mut damaged[mid - 8..mid + 8] {
            *b ^= 0xa5;
        }
        let file = [page(1), damaged, page(3), page(4)].concat();
        let items: Vec<Item> = WarcFile::from_reader(
            "crawl.warc.gz".into(),
            std::io::Cursor::new(file),
            Limits::default(),
        )
        .unwrap()
        .collect();
        let urls: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                Item::Document(raw) => raw.meta.url.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(
            urls,
            [
                "https://example.org/1",
                "https://example.org/3",
                "https://example.org/4"
            ]
        );
        let failures: Vec<String> = items
            .iter()
            .filter_map(|i| match i {
                Item::Failed(f) => Some(format!("{f:?}")),
                _ => None,
            })
            .collect();
        assert!(
            failures.iter().any(|f| f.contains("damaged gzip member")),
            "{failures:?}"
        );
    }
}
