//! Atomic file writes: a temp file in the same directory, synced, then renamed over the target,
//! so a golden file or report is either the old bytes or the new ones, never half-written.
//!
//! Modes: a new file gets `0666` less the umask, like any file a program creates; a rewritten
//! file keeps the mode it had (a 0644 golden file stays 0644). A temp file is removed on every
//! way out (error, or a signal seen through [`crate::interrupt`]).
//!
//! A module of its own, not part of `source/`: golden files and report files (`--output`,
//! `--report`) are written through it alike.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Where temp files start their names; readers skip hidden files, so a leftover is never data.
pub(crate) const TEMP_PREFIX: &str = ".driftwatch-";

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_many(&[(path.to_path_buf(), bytes.to_vec())])
}

/// Whether written files must survive a power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    /// Golden files and reports: synced before the rename, directories synced after.
    Synced,
    /// A cache: still renamed into place (a reader never sees half a file while the process
    /// runs), but not synced. After a power loss an entry may be empty or missing; cache
    /// readers check every entry and treat a bad one as absent, so that only costs a call.
    Unsynced,
}

/// Writes every `(path, bytes)` with the guarantee of [`write`], fast: temp files are written
/// and synced in parallel (a sync is a wait on the disk, not work for a core), then renamed into
/// place one after another, then each directory is synced once so the renames survive a power
/// loss. If any temp file cannot be written, none is renamed and all are removed.
///
/// From [`SYNC_FILESYSTEM_FROM`] files on, on Linux, the temp files are made durable by one
/// `syncfs` per filesystem instead of one `fsync` each (see [`sync_filesystems`]).
pub(crate) fn write_many(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    write_many_with(files, Durability::Synced)
}

/// [`write_many`], synced or not.
pub(crate) fn write_many_with(files: &[(PathBuf, Vec<u8>)], durability: Durability) -> Result<()> {
    stage(files, durability)?.commit()
}

/// Files written beside their targets but not yet renamed over them: the first half of
/// [`write_many`], for a writer that stages files while it still waits for others (a snapshot
/// stages each kind as it arrives). Dropped uncommitted, every temp file is removed.
pub(crate) struct Staged {
    files: Vec<(TempFile, PathBuf)>,
    durability: Durability,
    /// Whether some files were written without their own sync, for [`sync_filesystems`].
    deferred_sync: bool,
}

impl Staged {
    /// Nothing staged yet.
    pub(crate) fn new(durability: Durability) -> Staged {
        Staged {
            files: Vec::new(),
            durability,
            deferred_sync: false,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// Adds `other`'s files, to be committed together.
    pub(crate) fn absorb(&mut self, mut other: Staged) {
        self.deferred_sync |= other.deferred_sync;
        self.files.append(&mut other.files);
    }

    /// Makes the temp files durable (unless [`Durability::Unsynced`]), renames each over its
    /// target, then syncs each folder once so the renames survive a power loss.
    pub(crate) fn commit(mut self) -> Result<()> {
        if let Some(sig) = crate::interrupt::requested() {
            return Err(Error::Interrupted(sig));
        }
        let ready = std::mem::take(&mut self.files);
        // Temp files sit beside their targets: these folders hold every one of them.
        let dirs: std::collections::BTreeSet<PathBuf> = ready
            .iter()
            .map(|(_, path)| parent_of(path).to_path_buf())
            .collect();
        if self.durability == Durability::Synced && self.deferred_sync {
            sync_filesystems(&dirs)?;
        }
        for (tmp, path) in ready {
            std::fs::rename(&tmp.0, &path).map_err(|source| Error::Write { path, source })?;
            tmp.disarm();
        }
        if self.durability == Durability::Unsynced {
            return Ok(());
        }
        for dir in dirs {
            sync_dir(&dir).map_err(|source| Error::Write { path: dir, source })?;
        }
        Ok(())
    }
}

/// Writes every `(path, bytes)` to a temp file beside it, in parallel (a sync is a wait on the
/// disk, not work for a core), synced unless they are many (then [`Staged::commit`] syncs them
/// by filesystem). If any cannot be written, all written so far are removed.
pub(crate) fn stage(files: &[(PathBuf, Vec<u8>)], durability: Durability) -> Result<Staged> {
    crate::interrupt::install();
    if let Some(sig) = crate::interrupt::requested() {
        return Err(Error::Interrupted(sig));
    }
    let per_file = match durability {
        Durability::Synced if !SYNCFS || files.len() < SYNC_FILESYSTEM_FROM => Durability::Synced,
        _ => Durability::Unsynced,
    };
    // Each folder once, not once a file: thousands of files share a few folders.
    let dirs: std::collections::BTreeSet<&Path> =
        files.iter().map(|(path, _)| parent_of(path)).collect();
    for dir in dirs {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let threads = files.len().clamp(1, SYNC_THREADS);
    let chunk = files.len().div_ceil(threads).max(1);
    let staged: Vec<Result<Vec<(TempFile, PathBuf)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(p, b)| stage_one(p, b, per_file))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Internal("a writer thread panicked".into())))
            })
            .collect()
    });
    let mut out = Staged::new(durability);
    out.deferred_sync = durability == Durability::Synced && per_file == Durability::Unsynced;
    for part in staged {
        out.files.extend(part?);
    }
    Ok(out)
}

/// Threads that write and sync temp files at once.
const SYNC_THREADS: usize = 16;

/// Whether [`sync_filesystems`] can replace per-file syncs here.
const SYNCFS: bool = cfg!(target_os = "linux");

/// How many files make one filesystem sync cheaper than a sync per file. A snapshot of 4,500
/// files spends seconds in `fsync` even 16 at a time (each waits for its own journal commit);
/// `syncfs` flushes them in one go. Below this, `fsync` per file waits only for our own data,
/// not for whatever else is dirty on the filesystem (a build running beside us, say).
const SYNC_FILESYSTEM_FROM: usize = 64;

/// Makes the written (not yet renamed) temp files in `dirs` durable with one `syncfs(2)` per
/// filesystem the folders are on (a folder and the files in it share one). Since Linux 5.8
/// `syncfs` reports a failed writeback of any file of the filesystem, as `fsync` does for its
/// own file.
fn sync_filesystems(dirs: &std::collections::BTreeSet<PathBuf>) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::io::AsRawFd;
        let mut seen = std::collections::BTreeSet::new();
        for dir in dirs {
            let err = |source| Error::Write {
                path: dir.to_path_buf(),
                source,
            };
            let folder = std::fs::File::open(dir).map_err(err)?;
            if !seen.insert(folder.metadata().map_err(err)?.dev()) {
                continue;
            }
            // SAFETY: `syncfs` only reads the descriptor, which `folder` keeps open.
            if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
                return Err(err(std::io::Error::last_os_error()));
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dirs;
    Ok(())
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A synced temp file beside `path` holding `bytes`, with the mode `path` has (if it exists).
fn stage_one(path: &Path, bytes: &[u8], durability: Durability) -> Result<(TempFile, PathBuf)> {
    if let Some(sig) = crate::interrupt::requested() {
        return Err(Error::Interrupted(sig));
    }
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = parent_of(path);
    let existing_mode = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    let (mut file, tmp) = create_temp(dir).map_err(err)?;
    file.write_all(bytes).map_err(err)?;
    if let Some(perms) = existing_mode {
        file.set_permissions(perms).map_err(err)?;
    }
    if durability == Durability::Synced {
        file.sync_all().map_err(err)?;
    }
    Ok((tmp, path.to_path_buf()))
}

/// Makes a rename in `dir` durable (on Unix a directory is synced like a file; elsewhere the
/// rename is as durable as the platform makes it).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Removes its file when dropped, unless the file was renamed into place.
struct TempFile(PathBuf);

impl TempFile {
    fn disarm(mut self) {
        self.0 = PathBuf::new();
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// A new, exclusively created temp file in `dir`, with the mode the umask gives new files.
fn create_temp(dir: &Path) -> std::io::Result<(std::fs::File, TempFile)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("{TEMP_PREFIX}{}-{n}.tmp", std::process::id()));
        match options.open(&path) {
            Ok(f) => return Ok((f, TempFile(path))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn rewritten_files_keep_their_mode_and_leave_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        super::write(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the target is left");
    }

    #[test]
    fn new_files_follow_the_umask_like_any_created_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        super::write(&path, b"x").unwrap();
        // std's File::create asks for 0666 and the kernel applies the umask: the reference.
        let reference = dir.path().join("reference");
        std::fs::File::create(&reference).unwrap();
        let mode = |p| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&reference));
    }

    #[test]
    fn many_files_in_several_folders_are_all_written_by_either_way_of_syncing() {
        use super::{write_many_with, Durability, SYNC_FILESYSTEM_FROM};
        for (count, durability) in [
            (SYNC_FILESYSTEM_FROM * 3, Durability::Synced),
            (SYNC_FILESYSTEM_FROM - 1, Durability::Synced),
            (SYNC_FILESYSTEM_FROM * 3, Durability::Unsynced),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let files: Vec<_> = (0..count)
                .map(|i| {
                    let path = dir.path().join(format!("k{}/{i}.json", i % 3));
                    (path, format!("{{\"n\": {i}}}").into_bytes())
                })
                .collect();
            write_many_with(&files, durability).unwrap();
            for (path, bytes) in &files {
                assert_eq!(&std::fs::read(path).unwrap(), bytes, "{}", path.display());
            }
            let left: usize = (0..3)
                .map(|k| {
                    std::fs::read_dir(dir.path().join(format!("k{k}")))
                        .unwrap()
                        .count()
                })
                .sum();
            assert_eq!(left, count, "no temp file left beside the {count} files");
        }
    }
}
