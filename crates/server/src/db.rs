//! Connections to the event store, used on blocking threads: a few idle
//! read connections reused across requests (SQLite in WAL mode reads while
//! one writer writes) and the one writer.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use warcoder_store::Store;

use crate::error::ApiError;

pub struct Db {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
    writer: Mutex<Option<Store>>,
}

/// Read connections kept open between requests.
const IDLE_READERS: usize = 8;

impl Db {
    pub fn open(path: &Path) -> Result<Db, warcoder_store::StoreError> {
        let first = Store::open_existing(path)?;
        Ok(Db {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![first]),
            writer: Mutex::new(None),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` with a read connection on a blocking thread.
    pub async fn read<T, F>(self: &std::sync::Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.clone();
        blocking(move || {
            let store = match db.idle.lock().map_err(poisoned)?.pop() {
                Some(s) => s,
                None => Store::open_existing(&db.path)?,
            };
            let out = f(&store);
            let mut idle = db.idle.lock().map_err(poisoned)?;
            if idle.len() < IDLE_READERS {
                idle.push(store);
            }
            out
        })
        .await
    }

    /// Run `f` with the writer on a blocking thread (one write at a time).
    pub async fn write<T, F>(self: &std::sync::Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.clone();
        blocking(move || {
            let mut writer = db.writer.lock().map_err(poisoned)?;
            if writer.is_none() {
                *writer = Some(Store::open(&db.path)?);
            }
            f(writer.as_mut().expect("opened above"))
        })
        .await
    }
}

fn poisoned<T>(_: T) -> ApiError {
    ApiError::internal("a connection to the event store was lost after an earlier failure")
}

/// Run `f` on tokio's blocking pool; a panic in it becomes a 500.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|_| {
        Err(ApiError::internal(
            "the server hit a bug on this request; please report it",
        ))
    })
}
