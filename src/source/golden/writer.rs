//! A snapshot's writer that starts before the fetch ends: each kind's files are staged (written
//! to temp files beside their targets) on a thread of its own as soon as the kind arrives, while
//! the other kinds are still on the network; nothing is renamed into place before [`Writer::finish`].
//! So a snapshot costs little more than a check, and keeps a snapshot's guarantees:
//! the folder is checked before anything is written, nothing is staged before the account is
//! known to be the folder's, every file is old or new, and a run that fails or is interrupted
//! removes its temp files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::atomic::{Durability, Staged};
use crate::canonical_json::pretty;
use crate::error::{Error, FetchError, Result};
use crate::model::{Identity, Kind, Resource};
use crate::source::live::Observer;

use super::{file_of, walk, Written};

/// What the staging thread is told.
enum Msg {
    /// The account is the folder's: staging may start.
    Go,
    /// One kind's files, `(id, bytes)`, in scope.
    Kind(Kind, Vec<(String, String)>),
}

/// What the staging thread hands back.
#[derive(Default)]
struct Staging {
    staged: Option<Staged>,
    unchanged: usize,
    /// Files staged before the fetch ended (the writer's channel closed).
    early: usize,
    /// The paths each kind keeps (written or unchanged): every other file of it is removed.
    kept: BTreeMap<Kind, BTreeSet<PathBuf>>,
}

/// Decides whether a fetch's account may be written to the folder; see
/// `command::snapshot::snapshot_identity`.
pub type Gate<'a> = dyn Fn(&std::result::Result<Identity, FetchError>) -> bool + Sync + 'a;

pub struct Writer<'a> {
    dir: PathBuf,
    /// Each kind's folder and the `(id, path)` of its files, read before the fetch.
    existing: BTreeMap<Kind, (PathBuf, Vec<(String, PathBuf)>)>,
    in_scope: &'a (dyn Fn(Kind, &str) -> bool + Sync + 'a),
    gate: &'a Gate<'a>,
    tx: Mutex<Option<mpsc::Sender<Msg>>>,
    worker: Option<std::thread::JoinHandle<Result<Staging>>>,
    fetch_ended: Arc<AtomicBool>,
}

impl<'a> Writer<'a> {
    /// Checks the folder for `kinds` (a link or a foreign file is an error, before anything is
    /// fetched or written) and starts the staging thread. `in_scope` names the resources this
    /// snapshot owns (`--id`); `gate` says whether the account fetched may be written here.
    pub fn start(
        dir: &Path,
        kinds: &[Kind],
        in_scope: &'a (dyn Fn(Kind, &str) -> bool + Sync + 'a),
        gate: &'a Gate<'a>,
    ) -> Result<Writer<'a>> {
        if dir.exists() {
            walk::check_top(dir)?;
        }
        let mut existing = BTreeMap::new();
        for &kind in kinds {
            let kind_dir = dir.join(kind.as_str());
            let files = walk::kind_files(&kind_dir)?;
            existing.insert(kind, (kind_dir, files));
        }
        let (tx, rx) = mpsc::channel();
        let fetch_ended = Arc::new(AtomicBool::new(false));
        let root = dir.to_path_buf();
        let present: BTreeSet<PathBuf> = existing
            .values()
            .flat_map(|(_, files)| files.iter().map(|(_, path)| path.clone()))
            .collect();
        let worker = std::thread::Builder::new()
            .name("golden-writer".into())
            .spawn({
                let ended = fetch_ended.clone();
                move || stage_all(rx, &root, &present, &ended)
            })
            .map_err(|e| Error::Internal(format!("cannot start the golden writer: {e}")))?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            existing,
            in_scope,
            gate,
            tx: Mutex::new(Some(tx)),
            worker: Some(worker),
            fetch_ended,
        })
    }

    fn send(&self, msg: Msg) {
        if let Some(tx) = self.tx.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            // A closed channel means the thread stopped on an error, which `finish` reports.
            let _ = tx.send(msg);
        }
    }

    /// Renames what was staged into place, removes the files of `kinds` (those fetched without
    /// error) whose resources are gone, and records `identity` and that the folder now holds
    /// `whole` whole (those of `kinds` written with no resource left out). Kinds that failed
    /// keep their files; so do resources out of scope.
    pub fn finish(
        mut self,
        kinds: &[Kind],
        identity: Option<&Identity>,
        whole: &[Kind],
    ) -> Result<Written> {
        self.fetch_ended.store(true, Ordering::SeqCst);
        let fetch_ended = std::time::Instant::now();
        let staging = self.join()?;
        let mut done = Written {
            unchanged: staging.unchanged,
            ..Written::default()
        };
        let waited = fetch_ended.elapsed();
        if let Some(staged) = staging.staged {
            done.written = staged.len();
            staged.commit()?;
        }
        tracing::info!(
            "golden files: {} staged while fetching, {} after it ({} ms), put in place in {} ms",
            staging.early,
            done.written - staging.early.min(done.written),
            waited.as_millis(),
            (fetch_ended.elapsed() - waited).as_millis()
        );
        for kind in kinds {
            let Some((kind_dir, files)) = self.existing.remove(kind) else {
                continue;
            };
            let kept = staging.kept.get(kind);
            for (id, path) in files {
                if let Some(sig) = crate::interrupt::requested() {
                    return Err(Error::Interrupted(sig));
                }
                if !(self.in_scope)(*kind, &id) || kept.is_some_and(|k| k.contains(&path)) {
                    continue;
                }
                std::fs::remove_file(&path).map_err(|source| Error::Write {
                    path: path.clone(),
                    source,
                })?;
                done.removed += 1;
                super::remove_empty_parents(&path, &kind_dir);
            }
        }
        if let Some(identity) = identity {
            super::meta::write(&self.dir, identity, whole)?;
        }
        Ok(done)
    }

    /// Closes the channel and waits for the thread: what it staged, or its error.
    fn join(&mut self) -> Result<Staging> {
        drop(self.tx.lock().unwrap_or_else(|e| e.into_inner()).take());
        match self.worker.take() {
            Some(worker) => worker
                .join()
                .unwrap_or_else(|_| Err(Error::Internal("the golden writer panicked".into()))),
            None => Ok(Staging::default()),
        }
    }
}

/// A writer dropped without `finish` (an error or an interrupt on the way) waits for its thread,
/// whose staged temp files are then removed.
impl Drop for Writer<'_> {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

impl Observer for Writer<'_> {
    fn identity(&self, identity: &std::result::Result<Identity, FetchError>) {
        if (self.gate)(identity) {
            self.send(Msg::Go);
        }
    }

    fn kind(&self, kind: Kind, resources: &[(String, Resource)]) {
        let files = resources
            .iter()
            .filter(|(id, _)| (self.in_scope)(kind, id))
            .map(|(id, r)| (id.clone(), pretty(&r.document)))
            .collect();
        self.send(Msg::Kind(kind, files));
    }
}

/// The staging thread: holds kinds until the account is cleared, then stages each kind's
/// changed files; a file whose bytes would not change is not touched.
/// `present` holds the files listed before the fetch: only those are read to compare.
fn stage_all(
    rx: mpsc::Receiver<Msg>,
    dir: &Path,
    present: &BTreeSet<PathBuf>,
    fetch_ended: &AtomicBool,
) -> Result<Staging> {
    let mut out = Staging::default();
    let mut cleared = false;
    let mut waiting = Vec::new();
    for msg in rx {
        match msg {
            Msg::Go => cleared = true,
            Msg::Kind(kind, files) => waiting.push((kind, files)),
        }
        if !cleared {
            continue;
        }
        for (kind, files) in waiting.drain(..) {
            let kind_dir = dir.join(kind.as_str());
            let mut changed = Vec::new();
            let kept = out.kept.entry(kind).or_default();
            for (id, bytes) in files {
                if id.is_empty() {
                    return Err(Error::EmptyId { dir: kind_dir });
                }
                let path = file_of(&kind_dir, &id);
                if present.contains(&path)
                    && std::fs::read(&path).ok().as_deref() == Some(bytes.as_bytes())
                {
                    out.unchanged += 1;
                } else {
                    changed.push((path.clone(), bytes.into_bytes()));
                }
                kept.insert(path);
            }
            // Not flushed here: `syncfs` waits for every program's dirty data on the
            // filesystem, so one at the commit is the least a busy disk can cost us.
            let staged = crate::atomic::stage(&changed, Durability::Synced)?;
            if !fetch_ended.load(Ordering::SeqCst) {
                out.early += staged.len();
            }
            match &mut out.staged {
                Some(all) => all.absorb(staged),
                None => out.staged = Some(staged),
            }
        }
    }
    Ok(out)
}
