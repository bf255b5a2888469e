//! Every shell block of README.md and docs/*.md runs, so that the examples
//! cannot rot. A fenced block whose info string starts with `sh`, `bash` or
//! `console` is run with bash (`set -eo pipefail`) in a fresh temporary
//! directory that holds the repository's `examples/` and `tests/` (as a
//! clone does), with the built binary first on PATH: `warcoder ...` is
//! target/release/warcoder, and `cargo run --release -- ARGS` is read as
//! `warcoder ARGS` (what cargo would run). In a `console` block only the
//! lines after `$ ` are commands. A block that cannot run here (a server
//! that never exits, data that is not shipped, this test itself) is marked
//! `no-run: why` in its info string (```` ```sh no-run: a server ````); a
//! mark without a reason fails. Python blocks are the Python package's
//! tests' business.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SHELLS: &[&str] = &["sh", "bash", "console"];
/// One block's wall-clock limit.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(180);

#[derive(Debug)]
struct Block {
    file: String,
    line: usize,
    lang: String,
    /// The reason after `no-run`, when marked.
    no_run: Option<String>,
    body: String,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fenced blocks of a Markdown text (``` fences; the info string's
/// first word is the language).
fn blocks(file: &str, text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match (&mut open, trimmed.strip_prefix("```")) {
            (None, Some(info)) => {
                let lang = info.split_whitespace().next().unwrap_or("").to_string();
                let no_run = info.find("no-run").map(|at| {
                    info[at + "no-run".len()..]
                        .trim_start_matches([':', ' '])
                        .trim()
                        .to_string()
                });
                open = Some(Block {
                    file: file.to_string(),
                    line: i + 1,
                    lang,
                    no_run,
                    body: String::new(),
                });
            }
            (Some(_), Some(_)) => out.push(open.take().unwrap()),
            (Some(b), None) => {
                b.body.push_str(line);
                b.body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// The block as a bash script: console prompts stripped, `cargo run
/// --release --` as `warcoder`.
fn script(block: &Block) -> String {
    let body = if block.lang == "console" {
        block
            .body
            .lines()
            .filter_map(|l| l.strip_prefix("$ "))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        block.body.clone()
    };
    format!(
        "set -eo pipefail\n{}",
        body.replace("cargo run --release --", "warcoder")
    )
}

fn fresh_dir(n: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warcoder-doc-block-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for shared in ["examples", "tests"] {
        std::os::unix::fs::symlink(repo().join(shared), dir.join(shared)).unwrap();
    }
    dir
}

/// Run `script` in `dir`; the exit status and what it printed.
fn run(script: &str, dir: &Path) -> (Option<i32>, String) {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_warcoder")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let log = dir.join(".block-output");
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join(".local/share"))
        .env_remove("WARCODER_OVERLAY")
        .env("SOURCE_DATE_EPOCH", "1760000000")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(dir.join(".block-errors")).unwrap())
        .spawn()
        .expect("run bash");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > BLOCK_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let printed = std::fs::read_to_string(&log).unwrap_or_default()
        + &std::fs::read_to_string(dir.join(".block-errors")).unwrap_or_default();
    (status, printed)
}

fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![repo().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    docs.retain(|p| p.extension().is_some_and(|e| e == "md"));
    docs.sort();
    files.extend(docs);
    files
}

#[test]
fn every_shell_block_of_the_docs_runs() {
    let mut shell_blocks = Vec::new();
    for path in doc_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(repo()).unwrap().display().to_string();
        shell_blocks.extend(
            blocks(&name, &text)
                .into_iter()
                .filter(|b| SHELLS.contains(&b.lang.as_str())),
        );
    }
    let (mut ran, mut marked, mut failures) = (0, 0, Vec::new());
    for (n, block) in shell_blocks.iter().enumerate() {
        let at = format!("{}:{}", block.file, block.line);
        match &block.no_run {
            Some(reason) => {
                assert!(!reason.is_empty(), "{at}: `no-run` needs a reason after it");
                println!("marked  {at}  ({reason})");
                marked += 1;
            }
            None => {
                let dir = fresh_dir(n);
                let started = Instant::now();
                let (status, printed) = run(&script(block), &dir);
                println!("ran     {at}  {:.1} s", started.elapsed().as_secs_f64());
                if status != Some(0) {
                    failures.push(format!(
                        "{at}: exit {status:?}\n{}\n--- output ---\n{printed}",
                        block.body
                    ));
                } else {
                    let _ = std::fs::remove_dir_all(&dir);
                }
                ran += 1;
            }
        }
    }
    println!("doc blocks: {ran} ran, {marked} marked no-run");
    assert!(
        failures.is_empty(),
        "{} blocks failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // The README's first command, the demo, is among those that ran.
    let demo = shell_blocks.iter().find(|b| b.file == "README.md").unwrap();
    assert!(
        demo.body.contains("demo") && demo.no_run.is_none(),
        "{demo:?}"
    );
    assert!(ran >= 2, "only {ran} blocks ran");
}

#[test]
fn blocks_are_parsed_with_their_marks() {
    let text = "x\n```sh\nwarcoder stats\n```\n```sh no-run: a server\nwarcoder serve\n```\n```console\n$ cargo run --release -- demo\noutput\n```\n";
    let b = blocks("t.md", text);
    assert_eq!(b.len(), 3);
    assert_eq!((b[0].lang.as_str(), b[0].no_run.as_deref()), ("sh", None));
    assert_eq!(b[1].no_run.as_deref(), Some("a server"));
    assert_eq!(script(&b[2]), "set -eo pipefail\nwarcoder demo");
}
