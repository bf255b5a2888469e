//! `warcoder serve`: the map page and the JSON API over an event store.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use warcoder_core::language::Languages;
use warcoder_server::Config;

pub(crate) const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The environment variable that holds the bearer token for writes.
const TOKEN_VAR: &str = "WARCODER_TOKEN";

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The event store written by `warcoder ingest`.
    #[arg(long, default_value = "warcoder.db")]
    pub db: PathBuf,
    /// Where to listen.
    #[arg(long, default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
    /// A file holding the bearer token that writes need (else $WARCODER_TOKEN;
    /// on a loopback address a random one is made when neither is given).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Take no writes (no documents, no corrections); needs no token.
    #[arg(long)]
    pub read_only: bool,
    #[command(flatten)]
    pub language: super::LanguageArgs,
}

pub fn run(args: ServeArgs) -> Result<bool> {
    let given = match &args.token_file {
        Some(f) => Some(read_token(f)?),
        None => std::env::var(TOKEN_VAR)
            .ok()
            .filter(|t| !t.trim().is_empty()),
    };
    let token = token(given, args.addr, args.read_only)?;
    serve(&args.db, args.addr, token, args.language.languages())
}

/// The token writes need: the one given, none for a read-only server, a
/// fresh random one on a loopback address; a server others can reach
/// never takes writes without a token chosen by its operator.
fn token(given: Option<String>, addr: SocketAddr, read_only: bool) -> Result<Option<String>> {
    if read_only {
        return Ok(None);
    }
    match given {
        Some(t) => Ok(Some(t.trim().to_string())),
        None if addr.ip().is_loopback() => Ok(Some(random_token()?)),
        None => bail!(
            "{addr} is not a loopback address and no token is set: anyone who reaches it could \
             write to the store. Set {TOKEN_VAR} or --token-file, add --read-only, or listen on 127.0.0.1"
        ),
    }
}

/// The token for a server on a loopback address: $WARCODER_TOKEN, else a random one.
pub(crate) fn local_token() -> Result<Option<String>> {
    let given = std::env::var(TOKEN_VAR)
        .ok()
        .filter(|t| !t.trim().is_empty());
    token(given, DEFAULT_ADDR.parse()?, false)
}

fn read_token(path: &Path) -> Result<String> {
    let t = std::fs::read_to_string(path)
        .with_context(|| format!("reading the token file {}", path.display()))?;
    if t.trim().is_empty() {
        bail!("the token file {} is empty", path.display());
    }
    Ok(t.trim().to_string())
}

fn random_token() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading /dev/urandom for a token; set WARCODER_TOKEN instead")?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Serve `db` until Ctrl-C, telling the user where to open the map.
pub(crate) fn serve(
    db: &Path,
    addr: SocketAddr,
    token: Option<String>,
    languages: Languages,
) -> Result<bool> {
    super::sqlite_only(
        db,
        "serve",
        "the page and the API read through a pool of SQLite connections and SQLite's \
         summary queries, and take writes through SQLite's writer. Serve a SQLite store, \
         and query the PostgreSQL one with `warcoder events --db URL` and `warcoder stats --db URL`",
    )?;
    let config = Config {
        token: token.clone(),
        languages,
        resources: crate::config::resources(),
        ..Config::new(db.to_path_buf())
    };
    warcoder_server::run(config, addr, |bound| {
        // The token travels in the fragment, which the browser never sends.
        let url = match &token {
            Some(t) => format!("http://{bound}/#token={t}"),
            None => format!("http://{bound}/"),
        };
        println!("Serving {} at http://{bound}/", db.display());
        println!("Open the map: {url}");
        if token.is_none() {
            println!("(read-only: corrections and new documents are refused)");
        }
        println!("Ctrl-C stops the server.");
    })
    .with_context(|| format!("serving {}", db.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_on_an_open_address_need_a_chosen_token() {
        let open: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert!(token(None, open, false).is_err());
        assert_eq!(token(None, open, true).unwrap(), None);
        assert_eq!(
            token(Some("s3cret\n".into()), open, false).unwrap(),
            Some("s3cret".into())
        );
        let made = token(None, local, false).unwrap().unwrap();
        assert_eq!(made.len(), 32);
    }
}
