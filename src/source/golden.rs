//! Source: a golden directory, `<dir>/<kind>/<id>.json`, one canonical document a file. Reads
//! (normalizing what it reads, so hand-edited files compare fairly) and writes snapshots.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Inventory, Kind, Origin, Resource};
use crate::normalize::normalize;
use crate::report::pretty;

/// Reads the golden files of `kinds` under `dir`. A kind with no folder has no resources. A
/// folder that names no kind, and any file that is not a JSON object, is an error naming it.
pub fn read(dir: &Path, kinds: &[Kind]) -> Result<Inventory> {
    let mut inv = Inventory::new(dir.display().to_string(), kinds);
    for entry in read_dir(dir)? {
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if entry.is_dir() && !name.starts_with('.') {
            name.parse::<Kind>().map_err(|message| Error::Invalid {
                path: entry.clone(),
                message: format!("{message}; each folder of a golden directory is a kind"),
            })?;
        }
    }
    for &kind in kinds {
        let kind_dir = dir.join(kind.as_str());
        for (id, path) in json_files(&kind_dir)? {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let doc: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| Error::json(&path, &e))?;
            if !doc.is_object() {
                return Err(Error::Invalid {
                    path,
                    message: format!("expected a JSON object describing {kind} `{id}`"),
                });
            }
            let resource = Resource {
                document: normalize(kind, doc),
                origin: Origin(path.display().to_string()),
                scope: Default::default(),
            };
            inv.insert(kind, id, resource);
        }
    }
    Ok(inv)
}

/// What a snapshot did to the files on disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Writes `inv` under `dir`: one file a resource, rewritten only when its bytes change, and
/// files of the covered kinds whose resource no longer exists removed, so the folder is exactly
/// the account and `git diff` shows what changed.
pub fn write(dir: &Path, inv: &Inventory) -> Result<Written> {
    let mut done = Written::default();
    for &kind in &inv.kinds {
        let kind_dir = dir.join(kind.as_str());
        let mut kept = BTreeSet::new();
        for (id, res) in inv.of_kind(kind) {
            let path = kind_dir.join(format!("{id}.json"));
            let bytes = pretty(&res.document);
            if std::fs::read(&path).ok().as_deref() == Some(bytes.as_bytes()) {
                done.unchanged += 1;
            } else {
                super::atomic::write(&path, bytes.as_bytes())?;
                done.written += 1;
            }
            kept.insert(path);
        }
        for (_, path) in json_files(&kind_dir)? {
            if !kept.contains(&path) {
                std::fs::remove_file(&path).map_err(|source| Error::Write {
                    path: path.clone(),
                    source,
                })?;
                done.removed += 1;
            }
        }
    }
    Ok(done)
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for e in rd {
        let e = e.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        out.push(e.path());
    }
    out.sort();
    Ok(out)
}

/// `(id, path)` of every `*.json` file under `kind_dir`, recursively: an id may contain `/`
/// (`cluster/service`). Hidden files (editor and temp files) are skipped. A missing folder has
/// no files.
fn json_files(kind_dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !kind_dir.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![kind_dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for path in read_dir(&d)? {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if let Some(rel) = path
                .strip_prefix(kind_dir)
                .ok()
                .and_then(|p| p.to_str())
                .and_then(|p| p.strip_suffix(".json"))
            {
                out.push((rel.replace(std::path::MAIN_SEPARATOR, "/"), path.clone()));
            }
        }
    }
    out.sort();
    Ok(out)
}
