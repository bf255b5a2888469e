//! WARC record framing over a (decompressed) byte stream: the header block
//! up to the blank line, `Content-Length` bytes of block, the CRLFCRLF after
//! it.
//!
//! Written here rather than taken from the `warc` crate because a crawl file
//! is hostile input: `warc` 0.4 reads header lines and bodies with unbounded
//! `read_until` (a newline-free gzip bomb grows one buffer without limit) and
//! cannot find the next record after a bad one. This reader bounds every
//! buffer by [`Limits`], skips an oversized record without holding it, and
//! after a truncated or corrupt record resumes at the next `WARC/1.x` line
//! (looking first inside the bytes the bad record swallowed, where a
//! truncated record's successor usually is).

use std::io::{self, BufRead, Read};

use super::Limits;

/// One well-framed record.
#[derive(Debug)]
pub struct RawRecord {
    /// Byte offset of the record in the decompressed stream.
    pub offset: u64,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl RawRecord {
    /// A header's value (names are case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A record that could not be read, and why.
#[derive(Debug)]
pub struct BadRecord {
    pub offset: u64,
    /// `WARC-Target-URI`, when the header block was readable.
    pub target: Option<String>,
    pub problem: Problem,
    /// Nothing after it in this file can be read.
    pub fatal: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("truncated record: {0}")]
    Truncated(String),
    #[error(
        "record of {size} bytes is over the {max}-byte cap; skipped without reading it into memory"
    )]
    Oversized { size: u64, max: u64 },
    #[error("corrupt record: {0}")]
    Corrupt(String),
    #[error("{0}; the rest of this file is not read")]
    GaveUp(String),
    #[error("cannot read further ({0}): truncated or corrupt compressed data; the rest of this file is not read")]
    Io(String),
}

/// Records from a byte stream, in order; bad records are reported and
/// skipped, and reading goes on where the stream allows it.
pub struct Framer<R> {
    src: Rewind<R>,
    limits: Limits,
    done: bool,
}

type Next = Option<Result<RawRecord, BadRecord>>;

impl<R: BufRead> Framer<R> {
    pub fn new(inner: R, limits: Limits) -> Self {
        Framer {
            src: Rewind::new(inner),
            limits,
            done: false,
        }
    }

    fn bad(&mut self, offset: u64, target: Option<String>, problem: Problem, fatal: bool) -> Next {
        self.done |= fatal;
        Some(Err(BadRecord {
            offset,
            target,
            problem,
            fatal,
        }))
    }

    fn io_failure(&mut self, offset: u64, target: Option<String>, e: io::Error) -> Next {
        self.bad(offset, target, Problem::Io(e.to_string()), true)
    }

    fn next_record(&mut self) -> Next {
        if let Err(e) = self.src.skip_line_ends() {
            let at = self.src.consumed;
            return self.io_failure(at, None, e);
        }
        let offset = self.src.consumed;
        let head = match self.read_header_block() {
            Ok(Some(h)) => h,
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(HeaderError::Io(e)) => return self.io_failure(offset, None, e),
            Err(HeaderError::Eof) => {
                let problem = Problem::Truncated("the file ends inside its header block".into());
                return self.bad(offset, None, problem, true);
            }
            Err(HeaderError::Corrupt(why)) => {
                return match self.resync() {
                    Ok(()) => self.bad(offset, None, Problem::Corrupt(why), false),
                    Err(gave_up) => self.bad(offset, None, gave_up, true),
                };
            }
        };
        let target = header(&head, "WARC-Target-URI")
            .map(|t| t.trim_matches(|c| c == '<' || c == '>').to_string());
        let length = match header(&head, "Content-Length").map(|v| v.trim().parse::<u64>()) {
            Some(Ok(n)) => n,
            other => {
                let why = match other {
                    None => "no Content-Length header".to_string(),
                    _ => "Content-Length is not a number".to_string(),
                };
                return match self.resync() {
                    Ok(()) => self.bad(offset, target, Problem::Corrupt(why), false),
                    Err(gave_up) => self.bad(offset, target, gave_up, true),
                };
            }
        };
        if length > self.limits.max_record_bytes {
            return self.skip_oversized(offset, target, length);
        }
        let mut block = Vec::with_capacity(length as usize);
        if let Err(e) = (&mut self.src).take(length).read_to_end(&mut block) {
            return self.io_failure(offset, target, e);
        }
        if (block.len() as u64) < length {
            // The file ended early. A record cut short in the middle of a
            // file has swallowed the start of the next one: resume there.
            return match self.unread_from_next_record(&block) {
                Some(at) => self.truncated_before_next(offset, target, length, at),
                None => {
                    let why = format!(
                        "Content-Length says {length} bytes but only {} follow before the end of the file",
                        block.len()
                    );
                    self.bad(offset, target, Problem::Truncated(why), true)
                }
            };
        }
        match self.block_is_well_ended(&block) {
            Ok(true) => Some(Ok(RawRecord {
                offset,
                headers: head,
                block,
            })),
            Ok(false) => {
                if let Some(at) = self.unread_from_next_record(&block) {
                    return self.truncated_before_next(offset, target, length, at);
                }
                let why = format!("no record boundary after its {length} bytes");
                match self.resync() {
                    Ok(()) => self.bad(offset, target, Problem::Corrupt(why), false),
                    Err(gave_up) => self.bad(offset, target, gave_up, true),
                }
            }
            Err(e) => self.io_failure(offset, target, e),
        }
    }

    fn truncated_before_next(
        &mut self,
        offset: u64,
        target: Option<String>,
        length: u64,
        at: usize,
    ) -> Next {
        let why =
            format!("Content-Length says {length} bytes but the next record starts {at} bytes in");
        self.bad(offset, target, Problem::Truncated(why), false)
    }

    /// Discard an oversized record's block as it streams past: the memory
    /// cost is nil, the time cost is bounded by `max_skip_bytes`.
    fn skip_oversized(&mut self, offset: u64, target: Option<String>, length: u64) -> Next {
        let max = self.limits.max_record_bytes;
        if length > self.limits.max_skip_bytes {
            let why = format!(
                "record claims {length} bytes, over the {max}-byte cap and the {}-byte skip budget (a gzip bomb?)",
                self.limits.max_skip_bytes
            );
            return self.bad(offset, target, Problem::GaveUp(why), true);
        }
        match io::copy(&mut (&mut self.src).take(length), &mut io::sink()) {
            Ok(n) if n < length => {
                let why = format!(
                    "Content-Length says {length} bytes but only {n} follow before the end of the file"
                );
                self.bad(offset, target, Problem::Truncated(why), true)
            }
            Ok(_) => self.bad(
                offset,
                target,
                Problem::Oversized { size: length, max },
                false,
            ),
            Err(e) => self.io_failure(offset, target, e),
        }
    }

    /// The header block: the `WARC/` version line, then `Name: value` lines
    /// (folded continuation lines allowed) up to a blank line.
    fn read_header_block(&mut self) -> Result<Option<Vec<(String, String)>>, HeaderError> {
        let cap = self.limits.max_header_bytes;
        let mut used = 0usize;
        let mut line = Vec::new();
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut first = true;
        loop {
            line.clear();
            let complete = self
                .src
                .read_line_capped(&mut line, cap - used)
                .map_err(HeaderError::Io)?;
            if line.is_empty() {
                return if first {
                    Ok(None)
                } else {
                    Err(HeaderError::Eof)
                };
            }
            used += line.len();
            if !complete {
                return Err(if used >= cap {
                    HeaderError::Corrupt(format!("header block over {cap} bytes"))
                } else {
                    HeaderError::Eof
                });
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if first {
                if !text.starts_with("WARC/") {
                    return Err(HeaderError::Corrupt(format!(
                        "expected a \"WARC/1.x\" version line, found {:?}",
                        text.chars().take(40).collect::<String>()
                    )));
                }
                first = false;
                continue;
            }
            if text.is_empty() {
                return Ok(Some(headers));
            }
            if text.starts_with([' ', '\t']) {
                match headers.last_mut() {
                    Some((_, v)) => {
                        v.push(' ');
                        v.push_str(text.trim());
                    }
                    None => {
                        return Err(HeaderError::Corrupt(
                            "continuation line before any header".into(),
                        ))
                    }
                }
                continue;
            }
            match text.split_once(':') {
                Some((name, value)) if !name.trim().is_empty() => {
                    headers.push((name.trim().to_string(), value.trim().to_string()))
                }
                _ => {
                    return Err(HeaderError::Corrupt(format!(
                        "header line without a name: {:?}",
                        text.chars().take(40).collect::<String>()
                    )))
                }
            }
        }
    }

    /// Whether the Content-Length fitted the data: the block is followed by
    /// the end of the stream or the next record, or at least by the CRLFCRLF
    /// terminator when no record starts inside the block (garbage after a
    /// sound record is the next read's problem). Only peeks: when the answer
    /// is no, the bytes after the block belong to a record that started
    /// inside it and must stay where they are.
    fn block_is_well_ended(&mut self, block: &[u8]) -> io::Result<bool> {
        let next = self.src.peek(MAX_RECORD_GAP + RECORD_START.len())?;
        let gap = next
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let rest = &next[gap..];
        if rest.is_empty() || rest.starts_with(RECORD_START) {
            return Ok(true);
        }
        let terminated = next.starts_with(b"\r\n\r\n") || next.starts_with(b"\n\n");
        Ok(terminated && find_record_start(block).is_none())
    }

    /// Push back the part of a bad record's block from the first line that
    /// starts a new record; where that is, if anywhere.
    fn unread_from_next_record(&mut self, block: &[u8]) -> Option<usize> {
        let at = find_record_start(block)?;
        self.src.unread(&block[at..]);
        Some(at)
    }

    /// Consume lines until one starts a record, within the skip budget.
    fn resync(&mut self) -> Result<(), Problem> {
        let budget = self.limits.max_skip_bytes;
        let mut spent = 0u64;
        let mut line = Vec::new();
        let mut at_line_start = true;
        loop {
            line.clear();
            let complete = self
                .src
                .read_line_capped(&mut line, 64 * 1024)
                .map_err(|e| Problem::Io(e.to_string()))?;
            if line.is_empty() {
                return Ok(());
            }
            if at_line_start && line.starts_with(RECORD_START) {
                self.src.unread(&line);
                return Ok(());
            }
            spent += line.len() as u64;
            if spent > budget {
                return Err(Problem::GaveUp(format!(
                    "no WARC record found in the {budget} bytes after a corrupt one"
                )));
            }
            at_line_start = complete;
        }
    }
}

impl Problem {
    /// The short reason a summary counts.
    pub fn reason(&self) -> &'static str {
        match self {
            Problem::Truncated(_) => "truncated WARC record",
            Problem::Oversized { .. } => "WARC record over the size cap",
            Problem::Corrupt(_) => "corrupt WARC record",
            Problem::GaveUp(_) => "WARC file given up",
            Problem::Io(_) => "corrupt compressed data",
        }
    }
}

impl<R: BufRead> Iterator for Framer<R> {
    type Item = Result<RawRecord, BadRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.next_record()
    }
}

enum HeaderError {
    Io(io::Error),
    Eof,
    Corrupt(String),
}

/// How every WARC 1.x record begins.
const RECORD_START: &[u8] = b"WARC/1.";

/// Line ends looked at between a block and the next record (CRLFCRLF is the
/// standard; some writers add a few more).
const MAX_RECORD_GAP: usize = 16;

/// The first line of `block` (after its first byte) that starts a record.
fn find_record_start(block: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(nl) = block[from..].iter().position(|&b| b == b'\n') {
        let start = from + nl + 1;
        if block[start..].starts_with(RECORD_START) {
            return Some(start);
        }
        from = start;
    }
    None
}

/// A `BufRead` that can take bytes back (the part of a bad record that
/// belongs to the next one) and counts what it has handed out.
struct Rewind<R> {
    front: Vec<u8>,
    pos: usize,
    inner: R,
    /// Bytes consumed from the logical stream: the current offset.
    consumed: u64,
}

impl<R: BufRead> Rewind<R> {
    fn new(inner: R) -> Self {
        Rewind {
            front: Vec::new(),
            pos: 0,
            inner,
            consumed: 0,
        }
    }

    fn unread(&mut self, bytes: &[u8]) {
        let mut front = bytes.to_vec();
        front.extend_from_slice(&self.front[self.pos..]);
        self.front = front;
        self.pos = 0;
        self.consumed -= bytes.len() as u64;
    }

    /// Up to `n` bytes without consuming them (fewer only at the end).
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.pos == self.front.len() {
            self.front.clear();
            self.pos = 0;
        }
        while self.front.len() - self.pos < n {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let take = chunk.len().min(n - (self.front.len() - self.pos));
            self.front.extend_from_slice(&chunk[..take]);
            self.inner.consume(take);
        }
        let end = (self.pos + n).min(self.front.len());
        Ok(&self.front[self.pos..end])
    }

    fn skip_line_ends(&mut self) -> io::Result<()> {
        loop {
            let buf = self.fill_buf()?;
            let n = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            if n == 0 {
                return Ok(());
            }
            self.consume(n);
        }
    }

    /// Append bytes up to and including the next `\n`, but at most `cap`;
    /// true when a whole line was read.
    fn read_line_capped(&mut self, out: &mut Vec<u8>, cap: usize) -> io::Result<bool> {
        let mut room = cap;
        loop {
            let buf = self.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let window = &buf[..buf.len().min(room)];
            if let Some(nl) = window.iter().position(|&b| b == b'\n') {
                out.extend_from_slice(&window[..=nl]);
                self.consume(nl + 1);
                return Ok(true);
            }
            let n = window.len();
            out.extend_from_slice(window);
            self.consume(n);
            room -= n;
            if room == 0 {
                return Ok(false);
            }
        }
    }
}

impl<R: BufRead> Read for Rewind<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Rewind<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.front.len() {
            return Ok(&self.front[self.pos..]);
        }
        if !self.front.is_empty() {
            self.front.clear();
            self.pos = 0;
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.consumed += n as u64;
        if self.pos < self.front.len() {
            self.pos += n;
        } else {
            self.inner.consume(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(uri: &str, body: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    }

    fn frames(data: &[u8], limits: Limits) -> Vec<Result<RawRecord, BadRecord>> {
        Framer::new(data, limits).collect()
    }

    fn small() -> Limits {
        Limits {
            max_record_bytes: 100,
            max_header_bytes: 200,
            max_skip_bytes: 1000,
            ..Limits::default()
        }
    }

    #[test]
    fn reads_consecutive_records() {
        let data = record("http://a/", "alpha") + &record("http://b/", "beta\r\n");
        let got = frames(data.as_bytes(), small());
        assert_eq!(got.len(), 2);
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.header("warc-target-uri"), Some("http://a/"));
        assert_eq!(a.block, b"alpha");
        assert_eq!(got[1].as_ref().unwrap().block, b"beta\r\n");
        let second = record("http://a/", "alpha").len() as u64;
        assert_eq!(got[1].as_ref().unwrap().offset, second);
    }

    #[test]
    fn oversized_record_is_skipped_and_the_next_one_read() {
        let big = "x".repeat(150);
        let data = record("http://big/", &big) + &record("http://b/", "ok");
        let got = frames(data.as_bytes(), small());
        assert_eq!(got.len(), 2);
        let bad = got[0].as_ref().unwrap_err();
        assert!(matches!(
            bad.problem,
            Problem::Oversized {
                size: 150,
                max: 100
            }
        ));
        assert_eq!(bad.target.as_deref(), Some("http://big/"));
        assert!(!bad.fatal);
        assert_eq!(got[1].as_ref().unwrap().block, b"ok");
    }

    #[test]
    fn a_record_beyond_the_skip_budget_stops_the_file() {
        let data = "WARC/1.0\r\nContent-Length: 5000\r\n\r\n";
        let got = frames(data.as_bytes(), small());
        assert_eq!(got.len(), 1);
        let bad = got[0].as_ref().unwrap_err();
        assert!(bad.fatal && matches!(bad.problem, Problem::GaveUp(_)));
    }

    #[test]
    fn truncated_record_in_the_middle_resumes_at_the_next() {
        // Claims 60 bytes, has 10: the next record is swallowed by the read.
        let cut = "WARC/1.0\r\nWARC-Target-URI: http://cut/\r\nContent-Length: 60\r\n\r\n0123456789\r\n\r\n";
        let data = cut.to_string() + &record("http://b/", "after the cut, fine");
        let got = frames(data.as_bytes(), small());
        assert_eq!(got.len(), 2, "{got:?}");
        let bad = got[0].as_ref().unwrap_err();
        assert!(bad.problem.to_string().contains("60 bytes"), "{bad:?}");
        assert!(!bad.fatal);
        assert_eq!(got[1].as_ref().unwrap().block, b"after the cut, fine");
    }

    #[test]
    fn truncated_last_record_is_reported_once() {
        let data = record("http://a/", "alpha")
            + "WARC/1.0\r\nWARC-Target-URI: http://cut/\r\nContent-Length: 80\r\n\r\nonly this";
        let got = frames(data.as_bytes(), small());
        assert_eq!(got.len(), 2);
        let bad = got[1].as_ref().unwrap_err();
        assert!(bad.fatal);
        assert!(bad.problem.to_string().contains("only 9 follow"));
    }

    #[test]
    fn garbage_between_records_is_skipped() {
        let data = record("http://a/", "alpha")
            + "this is not a record\r\nnor this\r\n"
            + &record("http://b/", "beta");
        let got = frames(data.as_bytes(), small());
        assert_eq!(got.len(), 3);
        assert!(matches!(
            got[1].as_ref().unwrap_err().problem,
            Problem::Corrupt(_)
        ));
        assert_eq!(got[2].as_ref().unwrap().block, b"beta");
    }

    #[test]
    fn endless_header_line_is_bounded() {
        // A newline-free stream (what a gzip bomb of one byte repeated
        // decompresses to) must not be buffered whole.
        let mut data = b"WARC/1.0\r\nX-Long: ".to_vec();
        data.extend(std::iter::repeat_n(b'a', 5000));
        let got = frames(&data, small());
        let bad = got[0].as_ref().unwrap_err();
        assert!(bad.fatal, "{bad:?}");
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn missing_content_length_is_corrupt() {
        let data = "WARC/1.0\r\nWARC-Type: response\r\n\r\nbody\r\n\r\n".to_string()
            + &record("http://b/", "beta");
        let got = frames(data.as_bytes(), small());
        assert!(got[0].as_ref().is_err());
        assert_eq!(got.last().unwrap().as_ref().unwrap().block, b"beta");
    }

    #[test]
    fn folded_headers_and_angle_bracket_uris() {
        let data = "WARC/1.1\r\nWARC-Target-URI: <http://a/>\r\nX-Note: one\r\n two\r\nContent-Length: 2\r\n\r\nhi\r\n\r\n";
        let got = frames(data.as_bytes(), small());
        let r = got[0].as_ref().unwrap();
        assert_eq!(r.header("x-note"), Some("one two"));
        assert_eq!(r.header("WARC-Target-URI"), Some("<http://a/>"));
    }

    mod properties {
        use super::*;
        use proptest::collection::vec;
        use proptest::prelude::*;

        proptest! {

            /// Any bytes are framed without a panic, and the framer ends.
            #[test]
            fn any_bytes_frame_and_end(data in vec(any::<u8>(), 0..4096)) {
                let got = frames(&data, small());
                prop_assert!(got.len() <= data.len() + 1);
            }

            /// Garbage between two records costs at most itself: both
            /// records are read.
            #[test]
            fn garbage_between_records_loses_neither(
                garbage in vec(any::<u8>(), 1..300)
                    .prop_filter("no record header inside", |g| {
                        !g.windows(5).any(|w| w == b"WARC/")
                    }),
            ) {
                let mut data = record("http://a/", "alpha").into_bytes();
                data.extend_from_slice(&garbage);
                data.extend_from_slice(b"\r\n");
                data.extend_from_slice(record("http://b/", "beta").as_bytes());
                let blocks: Vec<Vec<u8>> = frames(&data, small())
                    .into_iter()
                    .filter_map(Result::ok)
                    .map(|r| r.block)
                    .collect();
                prop_assert_eq!(blocks.first().map(Vec::as_slice), Some(&b"alpha"[..]));
                prop_assert!(blocks.iter().any(|b| b == b"beta"), "{:?}", blocks);
            }
        }
    }
}
