//! Replacing a file so that it is, at every instant, either the old file or the new one.
//!
//! The bytes go to a new temporary file in the same directory (a rename is atomic only within
//! one file system), which is flushed to disk and given the original's permissions before it is
//! renamed over the original; on Unix the directory is then flushed too, so the rename itself
//! survives a crash. Any error before the rename removes the temporary file and leaves the
//! original untouched; a full disk or a crash mid-write can never leave a half-written file.
//!
//! The file system operations go through [`Ops`] so that tests can make any step fail.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, written,
/// flushed to disk (`fsync`), given the original file's permissions, then renamed over `path`,
/// and on Unix the directory flushed. On any error before the rename the temporary file is
/// removed and the original is left exactly as it was.
///
/// When `path` is a symbolic link, the file it points to is replaced and the link kept. When
/// `path` does not exist yet it is created (with the default permissions for new files). The
/// owner and group of the new file are the writer's; a file with other hard links is replaced
/// under this name only (the other names keep the old content).
///
/// An error after the rename (flushing the directory) is still returned, although the new
/// content is then already in place.
///
/// ```no_run
/// outcomes_fix::write_atomically("outcomes.csv".as_ref(), b"title,vendor_guid,object_type\n")?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, bytes, &RealOps)
}

/// The file system operations of an atomic write, one method per step that can fail.
pub(crate) trait Ops {
    /// Writes all of `bytes` to the temporary file.
    fn write(&self, file: &mut File, bytes: &[u8]) -> io::Result<()>;
    /// Flushes the temporary file to disk.
    fn sync(&self, file: &File) -> io::Result<()>;
    /// Renames the temporary file over the target.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
}

/// The real operations.
pub(crate) struct RealOps;

impl Ops for RealOps {
    fn write(&self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)?;
        file.flush()
    }

    fn sync(&self, file: &File) -> io::Result<()> {
        file.sync_all()
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
}

/// Removes the temporary file unless the rename happened (also on panic).
struct TempGuard {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// [`write_atomically`] with the operations given.
pub(crate) fn write_with(path: &Path, bytes: &[u8], ops: &dyn Ops) -> io::Result<()> {
    let target = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let original = match fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Some(meta),
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a regular file", path.display()),
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("{} names no file", path.display())))?
        .to_string_lossy()
        .into_owned();

    let (mut file, temp) = create_temp(&dir, &name, original.is_some())?;
    let mut guard = TempGuard { path: temp.clone(), armed: true };
    ops.write(&mut file, bytes)?;
    if let Some(meta) = &original {
        file.set_permissions(meta.permissions())?;
    }
    ops.sync(&file)?;
    drop(file);
    ops.rename(&temp, &target)?;
    guard.armed = false;
    sync_dir(&dir)
}

/// Creates a new, unique temporary file next to the target: `.NAME.PID-N.outcomes-fix.tmp`.
/// When it will replace an existing file it starts readable by its owner only, and gets the
/// original's permissions once written.
fn create_temp(dir: &Path, name: &str, private: bool) -> io::Result<(File, PathBuf)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let pid = std::process::id();
    let mut last_error = None;
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{pid}-{n}.outcomes-fix.tmp"));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        match options.open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no temporary file name was free")))
}

/// Flushes a directory so that a rename in it survives a crash (Unix only).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Operations that fail at a chosen step: after `write_budget` bytes (with ENOSPC), at the
    /// flush, or at the rename.
    struct Faulty {
        write_budget: Option<usize>,
        fail_sync: bool,
        fail_rename: bool,
        written: Cell<usize>,
    }

    impl Faulty {
        fn none() -> Faulty {
            Faulty { write_budget: None, fail_sync: false, fail_rename: false, written: Cell::new(0) }
        }
    }

    fn disk_full() -> io::Error {
        io::Error::new(io::ErrorKind::StorageFull, "No space left on device (injected)")
    }

    impl Ops for Faulty {
        fn write(&self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
            match self.write_budget {
                Some(budget) => {
                    let n = budget.min(bytes.len());
                    file.write_all(&bytes[..n])?;
                    self.written.set(n);
                    if n < bytes.len() {
                        return Err(disk_full());
                    }
                    Ok(())
                }
                None => RealOps.write(file, bytes),
            }
        }

        fn sync(&self, file: &File) -> io::Result<()> {
            if self.fail_sync {
                return Err(io::Error::other("fsync failed (injected)"));
            }
            RealOps.sync(file)
        }

        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            if self.fail_rename {
                return Err(io::Error::other("rename failed (injected)"));
            }
            RealOps.rename(from, to)
        }
    }

    const ORIGINAL: &[u8] = b"title,vendor_guid,object_type\r\nMath,math,Group\r\n";
    const FIXED: &[u8] = b"title,vendor_guid,object_type\r\nMath,math,group\r\n";

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("outcomes.csv");
        fs::write(&path, ORIGINAL).expect("write original");
        (dir, path)
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_original_and_no_temporary_file() {
        for budget in [0, 1, 10, FIXED.len() - 1] {
            let (dir, path) = setup();
            let ops = Faulty { write_budget: Some(budget), ..Faulty::none() };
            let err = write_with(&path, FIXED, &ops).expect_err("the write fails");
            assert_eq!(err.kind(), io::ErrorKind::StorageFull);
            assert_eq!(ops.written.get(), budget, "the fault hit after {budget} bytes");
            assert_eq!(fs::read(&path).expect("read"), ORIGINAL);
            assert_eq!(entries(dir.path()), ["outcomes.csv"]);
        }
    }

    #[test]
    fn a_failed_flush_or_rename_leaves_the_original_and_no_temporary_file() {
        for ops in [Faulty { fail_sync: true, ..Faulty::none() }, Faulty { fail_rename: true, ..Faulty::none() }] {
            let (dir, path) = setup();
            write_with(&path, FIXED, &ops).expect_err("the write fails");
            assert_eq!(fs::read(&path).expect("read"), ORIGINAL);
            assert_eq!(entries(dir.path()), ["outcomes.csv"]);
        }
    }

    /// Operations that die halfway through the write, as a crash of this program would.
    struct Panicking;

    impl Ops for Panicking {
        fn write(&self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
            file.write_all(&bytes[..bytes.len() / 2])?;
            panic!("killed mid-write (injected)");
        }

        fn sync(&self, file: &File) -> io::Result<()> {
            RealOps.sync(file)
        }

        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            RealOps.rename(from, to)
        }
    }

    #[test]
    fn a_panic_mid_write_leaves_the_original_and_no_temporary_file() {
        let (dir, path) = setup();
        let result = std::panic::catch_unwind(|| write_with(&path, FIXED, &Panicking));
        assert!(result.is_err());
        assert_eq!(fs::read(&path).expect("read"), ORIGINAL);
        assert_eq!(entries(dir.path()), ["outcomes.csv"]);
    }

    #[test]
    fn a_successful_write_replaces_the_file_and_leaves_nothing_else() {
        let (dir, path) = setup();
        write_atomically(&path, FIXED).expect("write");
        assert_eq!(fs::read(&path).expect("read"), FIXED);
        assert_eq!(entries(dir.path()), ["outcomes.csv"]);
    }

    #[test]
    fn a_new_file_is_created() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("new.csv");
        write_atomically(&path, FIXED).expect("write");
        assert_eq!(fs::read(&path).expect("read"), FIXED);
        assert_eq!(entries(dir.path()), ["new.csv"]);
    }

    #[test]
    fn a_directory_is_not_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = write_atomically(dir.path(), FIXED).expect_err("not a file");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path) = setup();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomically(&path, FIXED).expect("write");
        let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_kept() {
        let (dir, path) = setup();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        write_atomically(&link, FIXED).expect("write");
        assert!(fs::symlink_metadata(&link).expect("lstat").file_type().is_symlink());
        assert_eq!(fs::read(&path).expect("read"), FIXED);
        assert_eq!(entries(dir.path()), ["link.csv", "outcomes.csv"]);
    }
}
