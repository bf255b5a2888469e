//! Helpers shared by the integration tests that run the `warcoder` binary.
// Each test crate includes this module and uses only some of its helpers.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use warcoder_store::warc::writer::{article_html, gzip_member, response};

/// The `warcoder` binary, immune to the developer's environment: no
/// gazetteer overlay (`WARCODER_OVERLAY=none`: the expectations are the
/// built-in gazetteer's) and no debugging text on stderr.
pub fn binary() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_warcoder"));
    c.env("WARCODER_OVERLAY", "none")
        .env_remove("WARCODER_TRACE")
        .env_remove("WARCODER_FRAMES");
    c
}

/// Run `warcoder ARGS` in `cwd`: exit code, stdout, stderr.
pub fn warcoder(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = binary()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run warcoder");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (title, body) of every example and test article written as plain text.
pub fn texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = ["examples", "tests/articles"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let (title, body) = text.split_once('\n').unwrap_or(("Report", &text));
            (title.trim().to_string(), body.to_string())
        })
        .collect()
}

/// A `.warc.gz` of `n` response records cycling through the articles; the
/// URL says which article a record holds: `https://corpus.example/{k}/{i}`.
pub fn corpus(n: usize) -> Vec<u8> {
    let texts = texts();
    let mut out = Vec::new();
    for i in 0..n {
        let k = i % texts.len();
        let (title, body) = &texts[k];
        let page = format!("{}<!-- copy {i} -->\n", article_html(title, body));
        let url = format!("https://corpus.example/{k}/{i}");
        // Per article, not per copy: every copy must code the same way.
        let date = format!("2025-01-{:02}T12:00:00Z", 1 + k % 28);
        out.extend(gzip_member(&response(
            &url,
            &date,
            200,
            "text/html",
            page.as_bytes(),
        )));
    }
    out
}

/// A new, empty database on the PostgreSQL server of `base` (a URL ending
/// in `/DATABASE`, no query string); its URL.
pub fn fresh_database(base: &str, name: &str) -> String {
    let db = format!("warcoder_{name}_{}", std::process::id());
    let mut client = postgres::Client::connect(base, postgres::NoTls).expect("connect");
    // Two statements: neither may run inside a transaction block.
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .unwrap();
    let (server, _) = base.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{server}/{db}")
}

/// Each incident of an `events --format jsonl` export as the set of its
/// reports' documents (the ids a database hands out may differ between
/// runs).
pub fn incidents_by_sources(jsonl: &str) -> BTreeSet<BTreeSet<String>> {
    jsonl
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            v["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| format!("{} {}", s["document"], s["event"]))
                .collect()
        })
        .collect()
}
