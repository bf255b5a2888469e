//! Stage 0: sources. Reads plain text, HTML (main text extracted with
//! dom_smoothie, title and publication date from the page's metadata), JSONL
//! (one document per line: `{"id", "text" or "html", "url", "published"}`),
//! directories (recursively, in sorted order) and standard input. A bad input
//! is an error naming it; it never stops the others.

use std::path::{Path, PathBuf};

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
    pub html: bool,
    pub warnings: Vec<String>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every input named by `paths` ("-" is standard input), in order.
pub fn read_paths(paths: &[PathBuf]) -> Vec<Result<RawInput, InputError>> {
    let mut out = Vec::new();
    for p in paths {
        read_path(p, &mut out);
    }
    out
}

fn read_path(path: &Path, out: &mut Vec<Result<RawInput, InputError>>) {
    let name = path.display().to_string();
    if name == "-" {
        let mut buf = Vec::new();
        match std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf) {
            Ok(_) => out.extend(from_bytes("-", &buf, None)),
            Err(e) => out.push(Err(InputError::Io {
                source_name: name,
                message: e.to_string(),
            })),
        }
        return;
    }
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                out.push(Err(InputError::Io {
                    source_name: name,
                    message: e.to_string(),
                }));
                return;
            }
        };
        entries.sort();
        for e in entries {
            let file_name = e
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default();
            // Hidden files and the expectations/readmes beside test articles are not articles.
            if file_name.starts_with('.')
                || file_name.ends_with(".md")
                || file_name.ends_with(".json")
            {
                continue;
            }
            read_path(&e, out);
        }
        return;
    }
    match std::fs::read(path) {
        Ok(bytes) => out.extend(from_bytes(
            &name,
            &bytes,
            path.extension().and_then(|e| e.to_str()),
        )),
        Err(e) => out.push(Err(InputError::Io {
            source_name: name,
            message: e.to_string(),
        })),
    }
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

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && head.contains("<body"))
}

/// Decode bytes as UTF-8, lossily with a warning.
fn decode(source_name: &str, bytes: &[u8], warnings: &mut Vec<String>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            warnings.push(format!("{source_name}: invalid UTF-8 at byte {}; decoded lossily (U+FFFD replaces bad bytes)", e.valid_up_to()));
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// Documents from the bytes of one input; `ext` is the file extension if any.
pub fn from_bytes(
    source_name: &str,
    bytes: &[u8],
    ext: Option<&str>,
) -> Vec<Result<RawInput, InputError>> {
    let err = |e| vec![Err(e)];
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return err(InputError::Empty {
            source_name: source_name.into(),
        });
    }
    if is_binary(bytes) {
        return err(InputError::Binary {
            source_name: source_name.into(),
        });
    }
    let mut warnings = Vec::new();
    let text = decode(source_name, bytes, &mut warnings);
    let ext = ext.map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("jsonl" | "ndjson"))
        || (ext.is_none() && text.trim_start().starts_with('{'))
    {
        return jsonl(source_name, &text);
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return err(InputError::TooLarge {
            source_name: source_name.into(),
            size: bytes.len(),
            max: MAX_DOCUMENT_BYTES,
        });
    }
    let html = matches!(ext.as_deref(), Some("html" | "htm")) || looks_like_html(&text);
    vec![Ok(RawInput {
        meta: InputMeta {
            source: source_name.into(),
            ..Default::default()
        },
        id: sha256_hex(bytes),
        content: text,
        html,
        warnings,
    })]
}

#[derive(serde::Deserialize)]
struct JsonRecord {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
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
        html,
        mut warnings,
    } = raw;
    if !html {
        let mut d = Document::new(id, content, SpanBasis::Input, meta);
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
                meta.published = article.published_time.clone();
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
}
