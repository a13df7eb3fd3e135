//! The golden folder's writer lock: `snapshot` and `accept` hold it from before they read the
//! folder until their last file is in place, so two writers never mix their files (each run's
//! plan is made from what it read, and its commit must not land between another's). Readers
//! (`check`, `diff`, `verify`) take no lock: every file they see is old or new already.
//!
//! An advisory `flock(2)` (through `std::fs::File::try_lock`) on `<dir>/.driftwatch.lock`,
//! which holds the holder's pid, command and start time so a second writer can name it. The
//! kernel releases the lock when the process ends however it ends, so a crash or `kill -9` never
//! leaves a stale lock (at worst a stale file, which the next writer simply locks). A hidden
//! name: the golden reader skips it, and it is never taken for a golden or foreign file.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// The lock file's name at the top of a golden folder.
pub const FILE: &str = ".driftwatch.lock";

/// How often a waiting writer tries again.
const POLL: Duration = Duration::from_millis(100);

/// A held lock; released (and its file removed) when dropped, or by the kernel when the process
/// ends.
#[derive(Debug)]
pub struct Lock {
    file: Option<File>,
    path: PathBuf,
    /// The folder, when taking the lock created it: removed again if nothing was written in it.
    created: Option<PathBuf>,
}

/// Takes `dir`'s lock for `command` (`snapshot`, `accept`), creating the folder if needed.
/// Another writer's lock is waited for up to `wait` (with a line on stderr unless `quiet`), then
/// is an error naming the holder.
pub fn acquire(dir: &Path, command: &str, wait: Duration, quiet: bool) -> Result<Lock> {
    let path = dir.join(FILE);
    let created = (!dir.exists()).then(|| dir.to_path_buf());
    let write_err = |source| Error::Write {
        path: path.clone(),
        source,
    };
    let deadline = Instant::now() + wait;
    let mut told = false;
    loop {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(write_err)?;
        match file.try_lock() {
            // The holder before us removes the file as it lets go: a lock taken on a file that
            // is no longer at the path excludes no one, so start over on the path's new file.
            Ok(()) if !still_at(&file, &path) => continue,
            Ok(()) => {
                let mut lock = Lock {
                    file: Some(file),
                    path: path.clone(),
                    created,
                };
                lock.record(command).map_err(write_err)?;
                return Ok(lock);
            }
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(source)) => return Err(write_err(source)),
        }
        let holder = holder(&path);
        if Instant::now() >= deadline {
            return Err(Error::Locked(format!(
                "golden folder {} is being written by {holder}; {} (--lock-timeout SECONDS waits \
                 longer; the lock is {} and ends with that process)",
                dir.display(),
                match wait.as_secs() {
                    0 => "not waiting for it".to_string(),
                    s => format!("waited {s} s for it"),
                },
                path.display()
            )));
        }
        if !told && !quiet {
            crate::out::diag(&format!(
                "driftwatch: golden folder {} is being written by {holder}; waiting up to {} s",
                dir.display(),
                wait.as_secs()
            ));
            told = true;
        }
        std::thread::sleep(POLL.min(deadline.saturating_duration_since(Instant::now())));
    }
}

impl Lock {
    /// Writes who holds the lock, for a second writer's message.
    fn record(&mut self, command: &str) -> std::io::Result<()> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        let started = crate::history::rfc3339(std::time::SystemTime::now().into());
        let text = format!(
            "driftwatch pid {} ({command}), started {started}\n",
            std::process::id()
        );
        file.set_len(0)?;
        file.write_all(text.as_bytes())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so no one can lock this file and find it gone meanwhile
        // except the waiters `acquire` sends round again.
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
        if let Some(dir) = &self.created {
            // Fails, as it should, when anything was written in it.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Whether `file` is still the file at `path`.
fn still_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Who the lock file says holds it: its first line, as printable text (it is only a hint: the
/// lock itself is the kernel's).
fn holder(path: &Path) -> String {
    let text = std::fs::read(path).unwrap_or_default();
    let line = String::from_utf8_lossy(&text);
    let line = line.lines().next().unwrap_or("").trim();
    if line.is_empty() {
        return "another driftwatch".to_string();
    }
    line.chars()
        .take(200)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_is_told_who_holds_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let golden = dir.path().join("golden");
        let first = acquire(&golden, "snapshot", Duration::ZERO, true).unwrap();
        let text = std::fs::read_to_string(golden.join(FILE)).unwrap();
        assert!(
            text.starts_with(&format!(
                "driftwatch pid {} (snapshot), started ",
                std::process::id()
            )),
            "{text}"
        );
        // The golden reader does not take the lock file for a golden or a foreign file.
        let read = super::super::read(
            &golden,
            crate::model::Kind::ALL,
            &crate::normalize::Redaction::default(),
        );
        assert!(read.is_ok_and(|inv| inv.resources.is_empty()));
        let started = Instant::now();
        let e = acquire(&golden, "accept", Duration::from_millis(300), true)
            .unwrap_err()
            .to_string();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert!(e.contains("golden folder") && e.contains("is being written by"));
        assert!(
            e.contains(&format!("pid {} (snapshot)", std::process::id())),
            "{e}"
        );
        assert!(e.contains("--lock-timeout"), "{e}");
        drop(first);
        assert!(
            !golden.exists(),
            "the folder the lock created is removed again"
        );
        let again = acquire(&golden, "accept", Duration::ZERO, true).unwrap();
        std::fs::write(golden.join("source.json"), "{}").unwrap();
        drop(again);
        assert!(!golden.join(FILE).exists());
        assert!(golden.join("source.json").exists(), "a folder in use stays");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "driftwatch pid 1 (snapshot), started x\n",
        )
        .unwrap();
        let lock = acquire(dir.path(), "accept", Duration::ZERO, true).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(text.contains("(accept)"), "{text}");
        drop(lock);
    }

    #[test]
    fn the_holder_line_is_printable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, "pid 1\u{1b}[2J\nmore").unwrap();
        assert_eq!(holder(&path), "pid 1?[2J");
        std::fs::write(&path, "").unwrap();
        assert_eq!(holder(&path), "another driftwatch");
    }
}
