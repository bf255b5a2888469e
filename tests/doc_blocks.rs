//! Every shell block of README.md and docs/*.md runs, so that the examples
//! cannot rot. A fenced block whose info string starts with `sh`, `bash` or
//! `console` is run with bash (`set -eo pipefail`) in a fresh temporary
//! directory that holds the repository's `examples/` and `tests/` (as a
//! clone does), with the built binary first on PATH: `warcoder ...` is
//! target/release/warcoder, and `cargo run --release -- ARGS` is read as
//! `warcoder ARGS` (what cargo would run). In a `console` block only the
//! lines after `$ ` are commands. A server never exits: a block marked
//! `serves` passes when the server says where to open the map (then it is
//! stopped), and a block marked `with-server` runs while `warcoder serve
//! --db events.db` listens on its default address, `$WARCODER_TOKEN` set
//! for both; both kinds find `events.db` made by `warcoder demo --db
//! events.db`. A block that cannot run here (data that is not shipped, an
//! install, this test itself) is marked `no-run: why` in its info string
//! (```` ```sh no-run: the corpus ````); a mark without a reason fails.
//! Python blocks are the Python package's tests' business.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SHELLS: &[&str] = &["sh", "bash", "console"];
/// One block's wall-clock limit.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(180);

/// How a block relates to `warcoder serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    None,
    /// The block starts a server.
    Serves,
    /// The block talks to a running server.
    Needs,
}

/// What `warcoder serve` prints once it listens.
const READY: &str = "Open the map:";
/// The token the servers of this test take writes with.
const TOKEN: &str = "doc-blocks-token";

#[derive(Debug)]
struct Block {
    file: String,
    line: usize,
    lang: String,
    /// The reason after `no-run`, when marked.
    no_run: Option<String>,
    server: Server,
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
                let words: Vec<&str> = info.split_whitespace().collect();
                let server = if words.contains(&"serves") {
                    Server::Serves
                } else if words.contains(&"with-server") {
                    Server::Needs
                } else {
                    Server::None
                };
                open = Some(Block {
                    file: file.to_string(),
                    line: i + 1,
                    lang,
                    no_run,
                    server,
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

/// Start `script` in `dir` as the leader of its own process group (so
/// that a server it starts can be stopped with it), the built binary first
/// on PATH, in an environment of its own; its output goes to `log`.
fn spawn(script: &str, dir: &Path, log: &str) -> Child {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_warcoder")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::fs::File::create(dir.join(log)).unwrap();
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join(".local/share"))
        .env_remove("WARCODER_OVERLAY")
        .env("WARCODER_TOKEN", TOKEN)
        .env("SOURCE_DATE_EPOCH", "1760000000")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .process_group(0)
        .spawn()
        .expect("run bash")
}

/// Stop a process group started by [`spawn`] (the block's shell and the
/// server it started).
fn stop(mut child: Child) {
    // SAFETY: kill(2) with a negative pid signals that process group only;
    // it touches no memory of ours.
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGTERM);
    }
    let _ = child.wait();
}

/// Wait for `child` to exit (its status) or, with `ready`, for its log to
/// say `ready` (Some(0)); None when it takes longer than a block may.
fn wait(child: &mut Child, dir: &Path, log: &str, ready: Option<&str>) -> Option<i32> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        let printed = || std::fs::read_to_string(dir.join(log)).unwrap_or_default();
        if ready.is_some_and(|r| printed().contains(r)) {
            return Some(0);
        }
        if started.elapsed() > BLOCK_TIMEOUT {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Run `script` in `dir` (a server in the background when it needs one);
/// the exit status and what it printed.
fn run(block: &Block, dir: &Path) -> (Option<i32>, String) {
    const LOG: &str = ".block-output";
    let mut server = None;
    if block.server != Server::None {
        let mut demo = spawn("warcoder demo --db events.db", dir, ".demo-output");
        let made = wait(&mut demo, dir, ".demo-output", None);
        stop(demo);
        if made != Some(0) {
            let why = std::fs::read_to_string(dir.join(".demo-output")).unwrap_or_default();
            return (made, format!("warcoder demo --db events.db failed:\n{why}"));
        }
    }
    if block.server == Server::Needs {
        let mut child = spawn("warcoder serve --db events.db", dir, ".server-output");
        if wait(&mut child, dir, ".server-output", Some(READY)) != Some(0) {
            stop(child);
            let why = std::fs::read_to_string(dir.join(".server-output")).unwrap_or_default();
            return (None, format!("the server did not start:\n{why}"));
        }
        server = Some(child);
    }
    let mut child = spawn(&script(block), dir, LOG);
    let ready = (block.server == Server::Serves).then_some(READY);
    let status = wait(&mut child, dir, LOG, ready);
    stop(child);
    if let Some(server) = server {
        stop(server);
    }
    (
        status,
        std::fs::read_to_string(dir.join(LOG)).unwrap_or_default(),
    )
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
    let (mut ran, mut marked, mut skipped, mut failures) = (0, 0, 0, Vec::new());
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
                if block.server == Server::Needs && !has_curl() {
                    println!("skipped {at}  (needs curl, which is not installed)");
                    skipped += 1;
                    continue;
                }
                let (status, printed) = run(block, &dir);
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
    println!("doc blocks: {ran} ran, {marked} marked no-run, {skipped} skipped");
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

fn has_curl() -> bool {
    Command::new("curl")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn blocks_are_parsed_with_their_marks() {
    let text = "x\n```sh\nwarcoder stats\n```\n```sh no-run: a server\nwarcoder serve\n```\n```console\n$ cargo run --release -- demo\noutput\n```\n";
    let b = blocks("t.md", text);
    assert_eq!(b.len(), 3);
    assert_eq!((b[0].lang.as_str(), b[0].no_run.as_deref()), ("sh", None));
    assert_eq!(b[1].no_run.as_deref(), Some("a server"));
    assert_eq!(b[1].server, Server::None);
    let servers = blocks(
        "t.md",
        "```sh serves\nwarcoder serve\n```\n```sh with-server\ncurl x\n```\n",
    );
    assert_eq!(
        (servers[0].server, servers[1].server),
        (Server::Serves, Server::Needs)
    );
    assert_eq!(script(&b[2]), "set -eo pipefail\nwarcoder demo");
}
