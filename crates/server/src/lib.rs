//! `warcoder serve`: a JSON API over the event store and the map page,
//! both from one binary. [`router`] builds the whole application from a
//! [`Config`] read once by the command line; [`serve`] runs it.
//!
//! - [`api`]: the endpoints (reads, streamed exports, the two writes).
//! - [`db`]: connections used on blocking threads.
//! - [`assets`]: the page and its vendored libraries, embedded.

pub mod api;
mod assets;
mod db;
mod error;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use warcoder_core::language::Languages;
use warcoder_core::Resources;

pub use error::ApiError;

/// Everything the server is told, once, by the command line.
#[derive(Debug, Clone)]
pub struct Config {
    /// The event store; it must exist.
    pub db: PathBuf,
    /// The bearer token the writes need; None refuses every write.
    pub token: Option<String>,
    /// The largest request body accepted.
    pub max_body_bytes: usize,
    /// The map shows points up to this many located incidents, cells beyond.
    pub max_map_points: i64,
    /// Which documents posted to the API are coded (the others are stored
    /// uncoded, their language named), as `ingest --all-languages` decides.
    pub languages: Languages,
    /// What documents sent to the API are coded with (the command line's
    /// carry the user's gazetteer overlay).
    pub resources: &'static Resources,
}

impl Config {
    pub fn new(db: PathBuf) -> Self {
        Config {
            db,
            token: None,
            max_body_bytes: 2 * 1024 * 1024,
            max_map_points: 4000,
            languages: Languages::EnglishOnly,
            resources: Resources::shared(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] warcoder_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// What every handler shares.
pub struct AppState {
    pub(crate) db: Arc<db::Db>,
    pub(crate) config: Config,
}

/// The whole application: API, page, limits, panics caught.
pub fn router(config: Config) -> Result<Router, ServerError> {
    let state = Arc::new(AppState {
        db: Arc::new(db::Db::open(&config.db)?),
        config: config.clone(),
    });
    Ok(api::routes()
        .merge(assets::routes())
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(error::panic_response)))
}

/// Listen on `addr` until Ctrl-C; `ready` is told the address bound (port 0
/// picks a free one).
pub async fn serve(
    config: Config,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let app = router(config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    ready(listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// [`serve`] on a runtime of its own, for the command line.
pub fn run(
    config: Config,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(config, addr, ready))
}
