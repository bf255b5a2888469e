//! The article inside a WARC record: the HTTP response head parsed with
//! httparse, transfer and content encodings undone (with a cap: a 10 kB
//! gzip body can claim gigabytes), the media type and charset read.

use std::io::Read;

/// What a record holds.
#[derive(Debug)]
pub enum Payload {
    /// An article to code.
    Article {
        bytes: Vec<u8>,
        html: bool,
        /// The charset the server declared, if any.
        charset: Option<String>,
    },
    /// Something that is not an article (an image, a redirect, an empty
    /// page): skipped quietly.
    NotArticle,
}

/// The payload of a `response` record's block (an HTTP response).
pub fn from_response(block: &[u8], max_bytes: usize) -> Result<Payload, String> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut response = httparse::Response::new(&mut headers);
    // Crawled servers send malformed headers; what matters here is the
    // status, the content type and the encodings, so be lenient.
    let head_len = match httparse::ParserConfig::default()
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .ignore_invalid_headers_in_responses(true)
        .parse_response(&mut response, block)
    {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("the HTTP response head is incomplete".into()),
        Err(e) => return Err(format!("not an HTTP response: {e}")),
    };
    let status = response.code.unwrap_or(0);
    if !(200..300).contains(&status) {
        return Ok(Payload::NotArticle);
    }
    let get = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let content_type = get("Content-Type");
    let mut body = block[head_len..].to_vec();
    if get("Transfer-Encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body).ok_or("malformed chunked transfer encoding")?;
    }
    body = decode_content(body, get("Content-Encoding").as_deref(), max_bytes)?;
    classify(body, content_type.as_deref(), max_bytes)
}

/// The payload of a `resource` record: the block is the document itself,
/// typed by the record's own Content-Type.
pub fn from_resource(
    block: Vec<u8>,
    content_type: Option<&str>,
    max_bytes: usize,
) -> Result<Payload, String> {
    classify(
        block,
        content_type.map(|c| c.to_ascii_lowercase()).as_deref(),
        max_bytes,
    )
}

fn classify(
    body: Vec<u8>,
    content_type: Option<&str>,
    max_bytes: usize,
) -> Result<Payload, String> {
    let media = content_type
        .and_then(|c| c.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    let html = match media {
        "text/html" | "application/xhtml+xml" => true,
        "text/plain" => false,
        // No type: trust the bytes.
        "" => body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<'),
        _ => return Ok(Payload::NotArticle),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Payload::NotArticle);
    }
    if body.len() > max_bytes {
        return Err(format!(
            "payload of {} bytes is over the {max_bytes}-byte limit for one document",
            body.len()
        ));
    }
    let charset = content_type.and_then(charset_param);
    Ok(Payload::Article {
        bytes: body,
        html,
        charset,
    })
}

/// `charset=...` of a Content-Type value.
fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset").then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// Undo a Content-Encoding, reading at most `max_bytes` of output.
fn decode_content(
    body: Vec<u8>,
    encoding: Option<&str>,
    max_bytes: usize,
) -> Result<Vec<u8>, String> {
    let reader: Box<dyn Read + '_> = match encoding.unwrap_or("identity") {
        "" | "identity" | "none" => return Ok(body),
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(body.as_slice())),
        "deflate" => Box::new(flate2::read::ZlibDecoder::new(body.as_slice())),
        other => return Err(format!("Content-Encoding {other} is not supported")),
    };
    let mut out = Vec::new();
    reader
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot decompress the payload: {e}"))?;
    if out.len() > max_bytes {
        return Err(format!(
            "payload decompresses to more than {max_bytes} bytes (a gzip bomb?)"
        ));
    }
    Ok(out)
}

/// Undo `Transfer-Encoding: chunked`; None when malformed.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let nl = data.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&data[..nl]).ok()?;
        let size_text = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        data = &data[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = &data[size..];
        // The CRLF after the chunk.
        let skip = data
            .iter()
            .take(2)
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        data = &data[skip..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn html_response() {
        let block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<html>hi</html>";
        match from_response(block, 1000).unwrap() {
            Payload::Article {
                bytes,
                html,
                charset,
            } => {
                assert_eq!(bytes, b"<html>hi</html>");
                assert!(html);
                assert_eq!(charset.as_deref(), Some("utf-8"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_headers_are_tolerated() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type : text/html\r\nBad Header\r\nX-Folded: a\r\n b\r\n\r\n<p>x</p>";
        assert!(matches!(
            from_response(block, 1000),
            Ok(Payload::Article { html: true, .. })
        ));
    }

    #[test]
    fn redirects_and_images_are_not_articles() {
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        assert!(matches!(
            from_response(redirect, 1000),
            Ok(Payload::NotArticle)
        ));
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        assert!(matches!(
            from_response(image, 1000),
            Ok(Payload::NotArticle)
        ));
    }

    #[test]
    fn gzip_content_encoding_is_undone_and_capped() {
        let page = b"<html><body>A bomb exploded.</body></html>";
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        block.extend(gzip(page));
        match from_response(&block, 1000).unwrap() {
            Payload::Article { bytes, .. } => assert_eq!(bytes, page),
            other => panic!("{other:?}"),
        }
        let mut bomb =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        bomb.extend(gzip(&vec![b' '; 100_000]));
        let err = from_response(&bomb, 1000).unwrap_err();
        assert!(err.contains("gzip bomb"), "{err}");
    }

    #[test]
    fn chunked_transfer_encoding() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n";
        match from_response(block, 1000).unwrap() {
            Payload::Article { bytes, html, .. } => {
                assert_eq!(bytes, b"hello world");
                assert!(!html);
            }
            other => panic!("{other:?}"),
        }
    }

    mod properties {
        use super::*;
        use proptest::collection::vec;
        use proptest::prelude::*;

        /// An HTTP head with a status and some of the headers that steer
        /// decoding, over an arbitrary body.
        fn response() -> impl Strategy<Value = Vec<u8>> {
            let header = prop::sample::select(vec![
                "Content-Type: text/html; charset=windows-1256",
                "Content-Type: text/plain",
                "Content-Encoding: gzip",
                "Content-Encoding: deflate",
                "Content-Encoding: br",
                "Transfer-Encoding: chunked",
                "Content-Length: 12",
                "X-Broken header",
            ]);
            (
                prop::sample::select(vec![200u16, 204, 301, 404, 500]),
                vec(header, 0..4),
                vec(any::<u8>(), 0..1024),
            )
                .prop_map(|(status, headers, body)| {
                    let mut out = format!("HTTP/1.1 {status} X\r\n").into_bytes();
                    for h in headers {
                        out.extend_from_slice(h.as_bytes());
                        out.extend_from_slice(b"\r\n");
                    }
                    out.extend_from_slice(b"\r\n");
                    out.extend_from_slice(&body);
                    out
                })
        }

        proptest! {
            /// Any response block is a payload or a reason, never a panic,
            /// and never more than the cap.
            #[test]
            fn any_response_decodes_or_is_refused(block in response()) {
                if let Ok(Payload::Article { bytes, .. }) = from_response(&block, 4096) {
                    prop_assert!(bytes.len() <= 4096);
                }
            }

            #[test]
            fn any_bytes_as_a_response_block(block in vec(any::<u8>(), 0..1024)) {
                let _ = from_response(&block, 4096);
            }
        }
    }
}
