//! The page in real headless Chromium: runs web/tests/e2e.mjs (npm
//! playwright-core driving Debian's chromium) against a server over the
//! demo articles. Skipped, saying so, unless chromium and
//! web/tests/node_modules are present; WARCODER_BROWSER_TESTS=required makes
//! their absence a failure (CI).

use std::path::{Path, PathBuf};
use std::process::Command;

use warcoder_server::Config;
use warcoder_store::ingest::{IngestOptions, Quiet};

const TOKEN: &str = "browser-test-token";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chromium() -> Option<PathBuf> {
    let named = std::env::var_os("CHROMIUM").map(PathBuf::from);
    named
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from))
        .find(|p| p.is_file())
}

#[test]
fn the_page_in_headless_chromium() {
    let required = std::env::var("WARCODER_BROWSER_TESTS").as_deref() == Ok("required");
    let tests = repo().join("web/tests");
    let missing = match (
        chromium(),
        tests.join("node_modules/playwright-core").is_dir(),
    ) {
        (None, _) => Some("no chromium (apt-get install -y chromium)"),
        (_, false) => Some("no web/tests/node_modules (npm ci in web/tests)"),
        _ => None,
    };
    if let Some(why) = missing {
        assert!(!required, "WARCODER_BROWSER_TESTS=required but {why}");
        println!("SKIPPED: browser tests: {why}");
        return;
    }
    let dir = std::env::temp_dir().join(format!("warcoder-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("demo.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let mut store = warcoder_store::Store::open(&db).unwrap();
    warcoder_store::ingest(
        &mut store,
        &[repo().join("examples")],
        warcoder_core::Resources::shared(),
        &IngestOptions::default(),
        &mut Quiet,
    )
    .unwrap();
    drop(store);

    let (tx, rx) = std::sync::mpsc::channel();
    let config = Config {
        token: Some(TOKEN.into()),
        ..Config::new(db)
    };
    std::thread::spawn(move || {
        let addr = "127.0.0.1:0".parse().unwrap();
        warcoder_server::run(config, addr, |bound| tx.send(bound).unwrap()).unwrap();
    });
    let addr = rx.recv().unwrap();

    let artifacts = repo().join("web/tests/artifacts");
    let out = Command::new("node")
        .arg("e2e.mjs")
        .current_dir(&tests)
        .env("WARCODER_URL", format!("http://{addr}/"))
        .env("WARCODER_TOKEN", TOKEN)
        .env("CHROMIUM", chromium().unwrap())
        .env("ARTIFACTS", &artifacts)
        .output()
        .expect("node runs (apt-get install -y nodejs)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "browser tests failed; screenshots in {}",
        artifacts.display()
    );
}
