//! Reading a golden folder's tree without trusting it: symbolic links are never followed (a
//! link is an error naming it, so nothing is read or removed through one), a name that is not
//! UTF-8 or not a name driftwatch writes is an error naming the path, and a kind "folder" that
//! is a file is an error. Nothing here writes.

use std::collections::HashSet;
use std::fs::FileType;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::Kind;

use super::{meta, names};

fn invalid(path: &Path, message: impl Into<String>) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

const LINK: &str = "is a symbolic link; driftwatch never follows links inside a golden folder \
                    (replace it with the folder or file itself)";

/// `(name, path, type)` of each entry of `dir`, sorted, types as stored (links not followed).
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf, FileType)>> {
    let read_err = |source| Error::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).map_err(read_err)? {
        let e = e.map_err(read_err)?;
        let path = e.path();
        let name = e
            .file_name()
            .into_string()
            .map_err(|_| invalid(&path, "the file name is not UTF-8; rename or remove it"))?;
        let file_type = e.file_type().map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        out.push((name, path, file_type));
    }
    // Names in one folder are distinct: an unstable sort gives the one order.
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Checks the top of a golden folder: each folder is a kind, nothing named like a kind is a
/// file or a link. Other files (a README, the source record) are left alone.
pub fn check_top(dir: &Path) -> Result<()> {
    for (name, path, t) in entries(dir)? {
        if name.starts_with('.') || name == meta::FILE {
            continue;
        }
        let kind = name.parse::<Kind>();
        if t.is_symlink() {
            if kind.is_ok() {
                return Err(invalid(&path, LINK));
            }
            continue;
        }
        if t.is_dir() {
            kind.map_err(|message| {
                invalid(
                    &path,
                    format!("{message}; each folder of a golden directory is a kind"),
                )
            })?;
        } else if kind.is_ok() {
            return Err(invalid(
                &path,
                "is a file, but a kind's golden files live in a folder of that name",
            ));
        }
    }
    Ok(())
}

/// Whether `kind_dir` is a kind's folder to walk: false when there is none; an error for a link
/// or a file in its place.
fn is_kind_folder(kind_dir: &Path) -> Result<bool> {
    match std::fs::symlink_metadata(kind_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::Read {
            path: kind_dir.to_path_buf(),
            source,
        }),
        Ok(m) if m.file_type().is_symlink() => Err(invalid(kind_dir, LINK)),
        Ok(m) if !m.is_dir() => Err(invalid(
            kind_dir,
            "is a file, but a kind's golden files live in a folder of that name",
        )),
        Ok(_) => Ok(true),
    }
}

/// `(id, path)` of every golden file of one kind, sorted by id. A missing folder has none.
/// Hidden files (editor and temp files) are skipped: no encoded id starts with a dot.
pub fn kind_files(kind_dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !is_kind_folder(kind_dir)? {
        return Ok(Vec::new());
    }
    // A kind may have 50,000 files: each id is told apart from the others by a hash of it
    // (compared whole only when the hash was seen), and sorted once at the end.
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let mut hashes = HashSet::new();
    let state = std::hash::RandomState::new();
    let mut stack = vec![(kind_dir.to_path_buf(), Vec::<String>::new())];
    while let Some((dir, prefix)) = stack.pop() {
        for (name, path, t) in entries(&dir)? {
            if name.starts_with('.') {
                if !t.is_dir() && name.ends_with(".json") {
                    tracing::warn!(
                        "{} is hidden and not read (an id starting with `.` is written `%2E`)",
                        path.display()
                    );
                }
                continue;
            }
            if t.is_symlink() {
                return Err(invalid(&path, LINK));
            }
            if t.is_dir() {
                let mut parts = prefix.clone();
                parts.push(name);
                stack.push((path, parts));
                continue;
            }
            let stem = match name.strip_suffix(".json") {
                Some(stem) if t.is_file() => stem,
                _ => {
                    return Err(invalid(
                        &path,
                        "is not a golden file (each file of a kind folder is <id>.json); \
                         move it out of the golden folder",
                    ))
                }
            };
            let refs: Vec<&str> = prefix
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(stem))
                .collect();
            let id = names::decode(&refs)
                .map_err(|m| invalid(&path, format!("{m}; not a file name driftwatch writes")))?;
            if !hashes.insert(state.hash_one(&id)) {
                if let Some((_, other)) = found.iter().find(|(seen, _)| *seen == id) {
                    return Err(invalid(
                        &path,
                        format!(
                            "describes `{id}`, like {}; keep one of them",
                            other.display()
                        ),
                    ));
                }
            }
            found.push((id, path));
        }
    }
    // Ids are distinct by now: an unstable sort gives the one order.
    if !found.is_sorted_by(|a, b| a.0 < b.0) {
        found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(found)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_files_as_kinds_and_bad_names_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let kind = dir.path().join("aws_sqs_queue");
        std::fs::create_dir_all(kind.join("sub")).unwrap();
        std::fs::write(kind.join("a.json"), "{}").unwrap();
        std::fs::write(kind.join("sub/b.json"), "{}").unwrap();
        std::fs::write(kind.join("%2E%2E.json"), "{}").unwrap();
        let ids: Vec<String> = kind_files(&kind)
            .unwrap()
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(ids, ["..", "a", "sub/b"]);

        std::os::unix::fs::symlink("../..", kind.join("loop")).unwrap();
        let e = kind_files(&kind).unwrap_err().to_string();
        assert!(e.contains("loop") && e.contains("symbolic link"), "{e}");
        std::fs::remove_file(kind.join("loop")).unwrap();

        std::fs::write(kind.join("notes.txt"), "").unwrap();
        let e = kind_files(&kind).unwrap_err().to_string();
        assert!(e.contains("notes.txt"), "{e}");
        std::fs::remove_file(kind.join("notes.txt")).unwrap();

        use std::os::unix::ffi::OsStrExt;
        let bad = kind.join(std::ffi::OsStr::from_bytes(b"\xff.json"));
        std::fs::write(&bad, "{}").unwrap();
        let e = kind_files(&kind).unwrap_err().to_string();
        assert!(e.contains("not UTF-8"), "{e}");
        std::fs::remove_file(&bad).unwrap();

        std::fs::write(dir.path().join("aws_iam_role"), "").unwrap();
        let e = check_top(dir.path()).unwrap_err().to_string();
        assert!(e.contains("aws_iam_role") && e.contains("is a file"), "{e}");
        let e = kind_files(&dir.path().join("aws_iam_role"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a file"), "{e}");
    }
}
