//! Stage 0: sources. Turns an input's bytes into documents: plain text,
//! HTML (main text extracted with dom_smoothie, title and publication date
//! from the page's metadata), JSONL (one document per line: `{"id", "text"
//! or "html", "url", "published"}`). Reading files, directories and
//! standard input is `warcoder-sources`' job; the bytes arrive here. A bad
//! input is an error naming it; it never stops the others.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::model::{Document, InputMeta, SpanBasis};

/// Documents larger than this are refused (a runaway file, not an article).
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{source_name}: cannot read: {message}")]
    Io {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: empty input, nothing to code")]
    Empty { source_name: String },
    #[error("{source_name}: looks like a binary file (NUL bytes or control characters), not text, HTML or JSONL")]
    Binary { source_name: String },
    #[error("{source_name}: {size} bytes is over the {max}-byte limit for one document")]
    TooLarge {
        source_name: String,
        size: usize,
        max: usize,
    },
    #[error("{source_name}: line {line}: {message}")]
    Record {
        source_name: String,
        line: usize,
        message: String,
    },
}

/// One document's raw input before the pipeline.
#[derive(Debug, Clone)]
pub struct RawInput {
    pub meta: InputMeta,
    /// sha256 hex of the raw bytes (for a JSONL record: of its text or html string).
    pub id: String,
    pub content: String,
    /// `content` is not the input's bytes (another charset, a byte-order
    /// mark, lossy UTF-8): spans then point into the decoded text.
    pub rewritten: bool,
    pub html: bool,
    pub warnings: Vec<String>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A path as messages show it: control characters (a newline or an escape
/// sequence in a file name) escaped, so a name cannot forge or garble
/// the lines around it.
pub fn display_name(path: &Path) -> String {
    escape_controls(&path.display().to_string())
}

/// `text` with control characters written as Rust escapes (`\n`, `\u{1b}`).
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether a stream that begins with `head` is JSONL: its first byte that
/// is no blank (after a UTF-8 byte-order mark) is `{`.
pub fn starts_as_jsonl(head: &[u8]) -> bool {
    strip_utf8_bom(head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'{')
}

fn strip_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > head.len().max(1)
}

fn looks_like_html(head: &str) -> bool {
    let head: String = head
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && head.contains("<body"))
}

/// Text decoded from bytes, and whether it differs from them (another
/// charset, a byte-order mark, or bytes replaced): then spans point into
/// the decoded text, not the input.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub rewritten: bool,
}

/// Decode payload bytes to text: a byte-order mark wins (UTF-8, UTF-16 LE
/// or BE), then the declared charset, then a `<meta charset>` near the top
/// of an HTML page, else UTF-8, lossily with a warning naming the source.
/// The one decoder for local files, standard input and WARC payloads.
pub fn decode_text(
    bytes: &[u8],
    declared: Option<&str>,
    html: bool,
    source_name: &str,
    warnings: &mut Vec<String>,
) -> Decoded {
    let label = declared
        .map(str::to_string)
        .or_else(|| html.then(|| meta_charset(bytes)).flatten());
    let encoding = label
        .as_deref()
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    let encoding = unless_mislabelled_utf16(encoding, bytes, source_name, warnings);
    // BOM sniffing happens inside `decode`: a BOM overrides the label.
    let (text, used, had_errors) = encoding.decode(bytes);
    if had_errors {
        warnings.push(format!(
            "{source_name}: invalid {} in the input; decoded lossily (U+FFFD replaces bad bytes)",
            used.name()
        ));
    }
    let rewritten = text.as_bytes() != bytes;
    Decoded {
        text: text.into_owned(),
        rewritten,
    }
}

/// UTF-8 instead of a UTF-16 label that the bytes belie: no byte-order
/// mark and no NUL byte in the first 2 kB (text in UTF-16 is full of them,
/// markup and Latin script half NULs). Decoded as labelled, such a page
/// becomes CJK-looking garbage, stored under its content hash for good;
/// HTML's own prescan likewise reads a UTF-16 `<meta charset>` as UTF-8.
fn unless_mislabelled_utf16(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
    source_name: &str,
    warnings: &mut Vec<String>,
) -> &'static encoding_rs::Encoding {
    let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    if utf16
        && encoding_rs::Encoding::for_bom(bytes).is_none()
        && !bytes[..bytes.len().min(2048)].contains(&0)
    {
        warnings.push(format!(
            "{source_name}: declared {} but holds no UTF-16 text; read as UTF-8",
            encoding.name()
        ));
        return encoding_rs::UTF_8;
    }
    encoding
}

/// The charset a page declares in its first 2 kB (`<meta charset="...">`
/// or `<meta http-equiv=... content="text/html; charset=...">`).
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("<meta")?;
    let rest = &head[at..];
    let value = &rest[rest.find("charset")? + "charset".len()..];
    let value = value.trim_start().strip_prefix('=')?.trim_start();
    let value = value.trim_start_matches(['"', '\'']);
    let end = value
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(value.len());
    (end > 0).then(|| value[..end].to_string())
}

/// Documents from the bytes of one input; `ext` is the file extension if any.
pub fn from_bytes(
    source_name: &str,
    bytes: &[u8],
    ext: Option<&str>,
) -> Vec<Result<RawInput, InputError>> {
    let err = |e| vec![Err(e)];
    if bytes.iter().all(|b| b.is_ascii_whitespace()) || bytes == b"\xEF\xBB\xBF" {
        return err(InputError::Empty {
            source_name: source_name.into(),
        });
    }
    // UTF-16 text is full of NUL bytes: its byte-order mark says it is text.
    let utf16 = matches!(
        encoding_rs::Encoding::for_bom(bytes),
        Some((e, _)) if e != encoding_rs::UTF_8
    );
    if !utf16 && is_binary(bytes) {
        return err(InputError::Binary {
            source_name: source_name.into(),
        });
    }
    let ext = ext.map(str::to_ascii_lowercase);
    let head = String::from_utf8_lossy(strip_utf8_bom(&bytes[..bytes.len().min(1024)]));
    let html = matches!(ext.as_deref(), Some("html" | "htm")) || (!utf16 && looks_like_html(&head));
    let mut warnings = Vec::new();
    let decoded = decode_text(bytes, None, html, source_name, &mut warnings);
    if matches!(ext.as_deref(), Some("jsonl" | "ndjson"))
        || (ext.is_none() && decoded.text.trim_start().starts_with('{'))
    {
        let mut records = jsonl(source_name, &decoded.text);
        if let Some(Ok(first)) = records.first_mut() {
            first.warnings.extend(warnings);
        }
        return records;
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return err(InputError::TooLarge {
            source_name: source_name.into(),
            size: bytes.len(),
            max: MAX_DOCUMENT_BYTES,
        });
    }
    vec![Ok(RawInput {
        meta: InputMeta {
            source: source_name.into(),
            ..Default::default()
        },
        id: sha256_hex(bytes),
        content: decoded.text,
        rewritten: decoded.rewritten,
        html,
        warnings,
    })]
}

/// One document handed over in memory (a library caller's string): the
/// checks a file's bytes get (empty, binary, too large), HTML sniffed as for
/// a file without extension unless `html` says which, never read as JSONL
/// (a caller passes records one by one). `meta.source` names it in errors.
pub fn from_text(
    meta: InputMeta,
    text: String,
    html: Option<bool>,
) -> Result<RawInput, InputError> {
    let source_name = meta.source.clone();
    if text.trim().is_empty() {
        return Err(InputError::Empty { source_name });
    }
    if is_binary(text.as_bytes()) {
        return Err(InputError::Binary { source_name });
    }
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(InputError::TooLarge {
            source_name,
            size: text.len(),
            max: MAX_DOCUMENT_BYTES,
        });
    }
    // It reads only the first 512 characters.
    let html = html.unwrap_or_else(|| looks_like_html(&text));
    Ok(RawInput {
        meta,
        id: sha256_hex(text.as_bytes()),
        content: text,
        rewritten: false,
        html,
        warnings: Vec::new(),
    })
}

#[derive(serde::Deserialize)]
struct JsonRecord {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    /// The names crawlers and news APIs give a publication date.
    #[serde(alias = "date", alias = "published_at", alias = "publish_date")]
    #[serde(alias = "date_published", alias = "datePublished", alias = "pubdate")]
    published: Option<String>,
    title: Option<String>,
}

fn jsonl(source_name: &str, text: &str) -> Vec<Result<RawInput, InputError>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record_err = |message: String| InputError::Record {
            source_name: source_name.into(),
            line: n + 1,
            message,
        };
        let rec: JsonRecord = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(record_err(format!("not a JSON object: {e}"))));
                continue;
            }
        };
        let (content, html) = match (rec.text, rec.html) {
            (Some(t), _) if !t.trim().is_empty() => (t, false),
            (_, Some(h)) if !h.trim().is_empty() => (h, true),
            _ => {
                out.push(Err(record_err(
                    "record has no \"text\" or \"html\" to code".into(),
                )));
                continue;
            }
        };
        if content.len() > MAX_DOCUMENT_BYTES {
            out.push(Err(record_err(format!(
                "{} bytes is over the {MAX_DOCUMENT_BYTES}-byte limit",
                content.len()
            ))));
            continue;
        }
        let input_id = rec.id.map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        out.push(Ok(RawInput {
            meta: InputMeta {
                input_id,
                source: rec
                    .url
                    .clone()
                    .unwrap_or_else(|| format!("{source_name}:{}", n + 1)),
                url: rec.url,
                published: rec.published,
                title: rec.title,
                reference_date: None,
            },
            id: sha256_hex(content.as_bytes()),
            content,
            rewritten: false,
            html,
            warnings: Vec::new(),
        }));
    }
    out
}

/// Turn a raw input into a document: HTML gets its main text extracted
/// (spans then point into that text, which the output carries).
pub fn into_document(raw: RawInput) -> Document {
    let RawInput {
        mut meta,
        id,
        content,
        rewritten,
        html,
        mut warnings,
    } = raw;
    if !html {
        let basis = if rewritten {
            SpanBasis::DecodedText
        } else {
            SpanBasis::Input
        };
        let mut d = Document::new(id, content, basis, meta);
        d.warnings = warnings;
        return d;
    }
    if let Some(why) = too_complex_for_readability(&content) {
        warnings.push(format!(
            "{}: {why}; coding its visible text without main-text extraction",
            meta.source
        ));
        let mut d = Document::new(id, strip_tags(&content), SpanBasis::ExtractedText, meta);
        d.warnings = warnings;
        return d;
    }
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let extracted = dom_smoothie::Readability::new(content.as_str(), None, Some(cfg))
        .and_then(|mut r| r.parse());
    let text = match extracted {
        Ok(article) => {
            if meta.published.is_none() {
                meta.published = article
                    .published_time
                    .clone()
                    .or_else(|| html_published(&content));
            }
            let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
            if meta.title.is_none() {
                meta.title = title;
            }
            let body = article.text_content.to_string();
            match &meta.title {
                Some(t) if !body.trim_start().starts_with(t.as_str()) => {
                    format!("{t}\n\n{}", body.trim())
                }
                _ => body.trim().to_string(),
            }
        }
        Err(e) => {
            warnings.push(format!(
                "{}: no main text found in the HTML ({e}); coding its visible text",
                meta.source
            ));
            strip_tags(&content)
        }
    };
    let mut d = Document::new(id, text, SpanBasis::ExtractedText, meta);
    d.warnings = warnings;
    d
}

/// A publication date the main-text extractor does not read: a `<meta>`
/// named "date", "pubdate", "sailthru.date", "og:published_time" or
/// "DC.date.issued", or the first `<time datetime>`; only an ISO 8601 value
/// (a page's free-text dates are read from its text).
fn html_published(html: &str) -> Option<String> {
    static R: std::sync::OnceLock<[regex::Regex; 2]> = std::sync::OnceLock::new();
    let [meta, time] = R.get_or_init(|| {
        let re = |p: &str| regex::Regex::new(p).expect("pattern compiles");
        [
            re(r#"(?i)<meta\s[^>]*(?:name|property|itemprop)\s*=\s*["'](?:date|pubdate|publishdate|publish-date|sailthru\.date|og:published_time|datepublished|dc\.date\.issued|dc\.date)["'][^>]*>"#),
            re(r#"(?i)<time\s[^>]*datetime\s*=\s*["']([^"']+)["']"#),
        ]
    });
    let content = |tag: &str| {
        static C: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let c = C.get_or_init(|| {
            regex::Regex::new(r#"(?i)\bcontent\s*=\s*["']([^"']+)["']"#).expect("pattern compiles")
        });
        c.captures(tag).map(|m| m[1].to_string())
    };
    // The head and the top of the body: where pages put their dates.
    let mut cut = html.len().min(200_000);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &html[..cut];
    meta.find_iter(head)
        .filter_map(|m| content(m.as_str()))
        .chain(time.captures_iter(head).map(|c| c[1].to_string()))
        .find(|v| crate::resolve::dates::parse_iso_prefix(v).is_some())
}

/// Pages beyond these are no articles, and the main-text extractor's time
/// grows faster than linearly with nesting (100,000 nested `<div>`s took
/// minutes): they go to the linear tag stripper instead.
const MAX_HTML_ELEMENTS: usize = 100_000;
const MAX_HTML_DEPTH: usize = 512;

/// Why a page is too large or too deep for main-text extraction, from one
/// linear scan of its tags (an estimate: void elements count as opened).
fn too_complex_for_readability(html: &str) -> Option<String> {
    let bytes = html.as_bytes();
    let (mut elements, mut depth, mut max_depth) = (0usize, 0usize, 0usize);
    for (i, _) in html.match_indices('<') {
        match bytes.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                elements += 1;
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            _ => {}
        }
    }
    if elements > MAX_HTML_ELEMENTS {
        return Some(format!(
            "{elements} HTML elements, over the {MAX_HTML_ELEMENTS} one page may hold"
        ));
    }
    (max_depth > MAX_HTML_DEPTH).then(|| {
        format!("HTML nested {max_depth} deep, over the {MAX_HTML_DEPTH} one page may hold")
    })
}

/// Last resort for HTML readability cannot parse: drop tags, keep text.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_memory_is_checked_like_a_file_and_never_split_as_jsonl() {
        let meta = |name: &str| InputMeta {
            source: name.into(),
            ..Default::default()
        };
        assert!(matches!(
            from_text(meta("blank"), " \n\t".into(), None),
            Err(InputError::Empty { .. })
        ));
        assert!(matches!(
            from_text(meta("nul"), "a\0b".into(), None),
            Err(InputError::Binary { .. })
        ));
        let page = from_text(meta("page"), "<html><body>x</body></html>".into(), None).unwrap();
        assert!(page.html);
        let record = "{\"text\": \"not split\"}\n{\"text\": \"as JSONL\"}";
        let plain = from_text(meta("plain"), record.into(), None).unwrap();
        assert!(!plain.html);
        assert_eq!(plain.content, record);
        assert_eq!(plain.id, sha256_hex(record.as_bytes()));
        assert!(
            from_text(meta("forced"), "Troops fired.".into(), Some(true))
                .unwrap()
                .html
        );
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert!(matches!(
            from_bytes("e.txt", b"  \n", Some("txt"))[0],
            Err(InputError::Empty { .. })
        ));
        assert!(matches!(
            from_bytes("b.bin", b"\x00\x01\x02abc", Some("bin"))[0],
            Err(InputError::Binary { .. })
        ));
    }

    #[test]
    fn lossy_utf8_warns() {
        let r = from_bytes("x.txt", b"Gunmen killed two \xff people.", Some("txt"))
            .remove(0)
            .unwrap();
        assert_eq!(r.warnings.len(), 1);
        assert!(r.content.contains('\u{fffd}'));
    }

    #[test]
    fn publication_dates_from_metadata_a_reader_would_see() {
        let rec = "{\"id\": 1, \"text\": \"A bomb exploded.\", \"date\": \"2024-03-05\"}\n";
        let recs = from_bytes("d.jsonl", rec.as_bytes(), Some("jsonl"));
        let first = recs[0].as_ref().unwrap();
        assert_eq!(first.meta.published.as_deref(), Some("2024-03-05"));
        assert_eq!(
            html_published(r#"<head><meta name="DATE" content="2024-03-05T08:00:00Z"></head>"#),
            Some("2024-03-05T08:00:00Z".into())
        );
        assert_eq!(
            html_published(r#"<p><time class="x" datetime="2023-11-02">2 Nov</time></p>"#),
            Some("2023-11-02".into())
        );
        // A free-text value is the text's to read, not metadata's.
        assert_eq!(
            html_published(r#"<meta name="date" content="Tuesday"><p>x</p>"#),
            None
        );
    }

    #[test]
    fn jsonl_records_and_bad_lines() {
        let data = "{\"id\": \"a\", \"text\": \"A bomb exploded.\", \"published\": \"2024-03-05\"}\nnot json\n{\"id\": 7}\n";
        let recs = from_bytes("f.jsonl", data.as_bytes(), Some("jsonl"));
        assert_eq!(recs.len(), 3);
        let first = recs[0].as_ref().unwrap();
        assert_eq!(first.meta.input_id.as_deref(), Some("a"));
        assert_eq!(first.meta.published.as_deref(), Some("2024-03-05"));
        assert!(matches!(recs[1], Err(InputError::Record { line: 2, .. })));
        assert!(matches!(recs[2], Err(InputError::Record { line: 3, .. })));
    }

    #[test]
    fn byte_order_marks_are_honoured() {
        let jsonl = b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"A bomb exploded.\"}\n";
        let recs = from_bytes("b.jsonl", jsonl, Some("jsonl"));
        assert_eq!(recs.len(), 1);
        assert_eq!(
            recs[0].as_ref().unwrap().meta.input_id.as_deref(),
            Some("a")
        );
        assert!(starts_as_jsonl(jsonl) && starts_as_jsonl(b" \n{") && !starts_as_jsonl(b"x{"));

        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Gunmen killed five villagers.".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let doc = from_bytes("u.txt", &utf16, Some("txt")).remove(0).unwrap();
        assert_eq!(doc.content, "Gunmen killed five villagers.");
        assert!(doc.rewritten);
        assert_eq!(into_document(doc).span_basis, SpanBasis::DecodedText);
    }

    #[test]
    fn local_html_meta_charset_is_honoured() {
        let page = b"<html><head><meta charset=\"windows-1256\"></head><body><p>\xc8\xdf\xed</p></body></html>";
        let raw = from_bytes("p.html", page, Some("html")).remove(0).unwrap();
        assert!(raw.content.contains("\u{628}"), "{}", raw.content);
        assert!(raw.warnings.is_empty());
    }

    #[test]
    fn charsets_declared_sniffed_and_lossy() {
        let mut w = Vec::new();
        let d = decode_text(b"caf\xe9", Some("windows-1252"), false, "x", &mut w);
        assert_eq!(d.text, "café");
        assert!(d.rewritten && w.is_empty());
        assert!(!decode_text(b"plain", None, false, "x", &mut w).rewritten);
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode_text(page, None, true, "x", &mut w)
            .text
            .contains("café"));
        assert_eq!(
            decode_text(b"caf\xe9", None, false, "x", &mut w).text,
            "caf\u{fffd}"
        );
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn control_characters_in_names_are_escaped() {
        assert_eq!(escape_controls("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(escape_controls("plain.txt"), "plain.txt");
    }

    #[test]
    fn deeply_nested_html_skips_readability() {
        let page = format!(
            "<html><body>{}Gunmen killed two people.{}</body></html>",
            "<div>".repeat(50_000),
            "</div>".repeat(50_000)
        );
        let raw = from_bytes("deep.html", page.as_bytes(), Some("html"))
            .remove(0)
            .unwrap();
        let doc = into_document(raw);
        assert!(doc.text.contains("Gunmen killed two people."));
        assert!(
            doc.warnings.iter().any(|w| w.contains("nested")),
            "{:?}",
            doc.warnings
        );
        let flat = "<html><body><p>One.</p><p>Two.</p></body></html>";
        assert_eq!(too_complex_for_readability(flat), None);
    }

    #[test]
    fn a_page_mislabelled_utf16_is_read_as_utf8_and_real_utf16_as_labelled() {
        let page = "<html><body><p>Gunmen killed 3 people in Kabul.</p></body></html>";
        let mut warnings = Vec::new();
        let d = decode_text(
            page.as_bytes(),
            Some("utf-16"),
            true,
            "p.html",
            &mut warnings,
        );
        assert_eq!(d.text, page);
        assert!(warnings[0].contains("holds no UTF-16 text"), "{warnings:?}");
        // The same text really in UTF-16LE, without a byte-order mark.
        let utf16: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut warnings = Vec::new();
        let d = decode_text(&utf16, Some("utf-16le"), true, "q.html", &mut warnings);
        assert_eq!((d.text.as_str(), warnings.len()), (page, 0));
    }

    mod properties {
        use super::*;
        use proptest::collection::vec;
        use proptest::prelude::*;

        proptest! {

            /// Any bytes decode without a panic; UTF-8 without a BOM is kept
            /// as it is.
            #[test]
            fn any_bytes_decode(bytes in vec(any::<u8>(), 0..2048), html in any::<bool>()) {
                let mut warnings = Vec::new();
                let decoded = decode_text(&bytes, None, html, "x", &mut warnings);
                if let Ok(s) = std::str::from_utf8(&bytes) {
                    if !html && !s.starts_with('\u{feff}') {
                        prop_assert_eq!(decoded.text, s);
                    }
                }
            }

            /// Any file content is either refused with a reason or becomes a
            /// document, as text, HTML or JSONL.
            #[test]
            fn any_content_is_a_document_or_an_error(
                bytes in vec(any::<u8>(), 0..2048),
                kind in prop::sample::select(vec!["txt", "html", "jsonl"]),
            ) {
                for raw in from_bytes(&format!("x.{kind}"), &bytes, Some(kind)).into_iter().flatten() {
                    let doc = into_document(raw);
                    prop_assert!(doc.text.len() <= 64 * bytes.len() + 64);
                }
            }
        }
    }
}
