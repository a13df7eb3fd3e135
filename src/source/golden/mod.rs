//! Source: a golden directory, `<dir>/<kind>/<file>.json`, one canonical document a file, the
//! file name a reversible encoding of the id ([`names`]), and a record of the account it came
//! from ([`meta`]). Reads (normalizing what it reads, so hand-edited files compare fairly) and
//! writes snapshots. Never follows a link inside the folder and never removes anything outside
//! the files it read ([`walk`]).

pub(crate) mod lock;
pub(crate) mod meta;
pub(crate) mod names;
mod walk;
mod writer;

pub use writer::Writer;

use std::path::{Path, PathBuf};

use crate::canonical_json::pretty;
use crate::error::{Error, Result};
use crate::model::{Inventory, Kind, Origin, Resource};
use crate::normalize::{normalize, Redaction};

/// Reads the golden files of `kinds` under `dir`. A kind with no folder has no resources. A
/// folder that names no kind, a link, a name driftwatch does not write, and any file that is not
/// a JSON object, is an error naming it.
/// Kinds the folder does not hold whole ([`meta::held`]) are open: a resource of them that has no
/// file may exist.
pub fn read(dir: &Path, kinds: &[Kind], redaction: &Redaction) -> Result<Inventory> {
    let mut inv = Inventory::new(dir.display().to_string(), kinds);
    walk::check_top(dir)?;
    let held = meta::held(dir, meta::read_record(dir)?.as_ref());
    inv.open = kinds
        .iter()
        .copied()
        .filter(|k| !held.contains(k))
        .collect();
    let mut resources = Vec::new();
    for &kind in kinds {
        let files = walk::kind_files(&dir.join(kind.as_str()))?;
        let read = crate::parallel::map(files, |(id, path)| -> Result<_> {
            let resource = read_file(kind, &id, path, redaction)?;
            Ok(((kind, id), resource))
        });
        for entry in read {
            resources.push(entry?);
        }
    }
    // Each kind's files come sorted by id: the map is built in one pass, not one search each.
    inv.resources = resources.into_iter().collect();
    Ok(inv)
}

/// The ids of `kind`'s golden files under `dir`, from their names alone (none when there is no
/// such folder), sorted.
pub fn ids(dir: &Path, kind: Kind) -> Result<Vec<String>> {
    let files = walk::kind_files(&dir.join(kind.as_str()))?;
    Ok(files.into_iter().map(|(id, _)| id).collect())
}

/// One golden file of `kind` describing `id`, read and normalized.
fn read_file(kind: Kind, id: &str, path: PathBuf, redaction: &Redaction) -> Result<Resource> {
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::json(&path, &e))?;
    drop(text);
    if !doc.is_object() {
        return Err(Error::Invalid {
            path,
            message: format!("expected a JSON object describing {kind} `{id}`"),
        });
    }
    Ok(Resource {
        document: normalize(kind, doc, redaction),
        origin: Origin(path.display().to_string()),
        scope: Default::default(),
    })
}

/// The path of `id`'s golden file under `kind_dir`.
pub fn file_of(kind_dir: &Path, id: &str) -> PathBuf {
    let mut path = kind_dir.to_path_buf();
    let encoded = names::encode(id);
    let mut parts = encoded.split('/').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_some() {
            path.push(part);
        } else {
            path.push(format!("{part}.json"));
        }
    }
    path
}

/// What a snapshot did to the files on disk: one file a resource, rewritten only when its bytes
/// change, and files of the covered kinds whose resource no longer exists removed, so the folder
/// is exactly the account and `git diff` shows what changed (see [`Writer`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Rewrites the golden files of `writes` and removes those of `removals` (`accept`), nothing
/// else: the folder is checked first, files are written atomically, then the removals.
pub fn apply(
    dir: &Path,
    writes: &[(Kind, String, serde_json::Value)],
    removals: &[(Kind, String)],
) -> Result<()> {
    if dir.exists() {
        walk::check_top(dir)?;
    }
    let files: Vec<(PathBuf, Vec<u8>)> = writes
        .iter()
        .map(|(kind, id, doc)| {
            let path = file_of(&dir.join(kind.as_str()), id);
            (path, pretty(doc).into_bytes())
        })
        .collect();
    crate::atomic::write_many(&files)?;
    for (kind, id) in removals {
        let kind_dir = dir.join(kind.as_str());
        let path = file_of(&kind_dir, id);
        std::fs::remove_file(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        remove_empty_parents(&path, &kind_dir);
    }
    Ok(())
}

/// Folders left empty by a removed file (a cluster with no services left), up to the kind's.
fn remove_empty_parents(file: &Path, kind_dir: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != kind_dir && d.starts_with(kind_dir)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
