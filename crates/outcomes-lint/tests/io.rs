//! The built binary against hostile I/O: missing files, directories, unreadable files, standard
//! input that ends early or cannot be read, standard output closed early (`| head`), a write
//! that fails, a record over the limit. Each problem is one line on standard error
//! (`outcomes-lint: NAME: what`) and the documented exit status (README, "Exit status"); never a
//! panic, never a backtrace — every run sets `RUST_BACKTRACE=1`, so a panic would show one.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_outcomes-lint");

/// A scratch directory of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("io").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args).env("RUST_BACKTRACE", "1").env_remove("NO_COLOR").env_remove("COLUMNS");
    command
}

fn run(args: &[&str]) -> Output {
    command(args).stdin(Stdio::null()).output().expect("run the binary")
}

/// `check -` with every standard stream piped: the child and the writing end of its input.
fn spawn_check_stdin() -> (std::process::Child, std::process::ChildStdin) {
    let mut child = command(&["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdin = child.stdin.take().expect("stdin");
    (child, stdin)
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit status, not a signal")
}

/// Standard error is exactly `expected` lines (one per problem), with no trace of a panic.
fn assert_clean_stderr(stderr: &[u8], expected: usize) -> String {
    let text = String::from_utf8_lossy(stderr).into_owned();
    assert!(!text.contains("panicked"), "a panic: {text}");
    assert!(!text.contains("RUST_BACKTRACE") && !text.contains("stack backtrace"), "a backtrace: {text}");
    assert_eq!(text.lines().count(), expected, "expected {expected} line(s) on stderr: {text:?}");
    text
}

/// A file with `rows` outcomes that Canvas skips (a missing parent each): many diagnostics.
fn big_file(path: &Path, rows: usize) {
    let mut text = String::from("vendor_guid,object_type,title,parent_guids\n");
    for i in 0..rows {
        text.push_str(&format!("o{i},outcome,Outcome {i},missing\n"));
    }
    std::fs::write(path, text).expect("write the big file");
}

#[test]
fn a_missing_file_is_one_line_and_exit_2() {
    for args in [&["check", "no-such-file.csv"][..], &["fix", "no-such-file.csv"][..]] {
        let output = run(args);
        assert_eq!(code(&output), 2, "{args:?}");
        let err = assert_clean_stderr(&output.stderr, 1);
        assert!(err.starts_with("outcomes-lint: no-such-file.csv: "), "{err}");
    }
}

#[test]
fn a_directory_is_searched_or_refused_in_one_line() {
    let dir = scratch("directory");
    // `check` searches a directory for *.csv; one with none is an error.
    let output = run(&["check", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code(&output), 2);
    let err = assert_clean_stderr(&output.stderr, 1);
    assert!(err.ends_with(": no .csv files in this directory\n"), "{err}");
    // `fix` takes one file.
    let output = run(&["fix", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code(&output), 2);
    let err = assert_clean_stderr(&output.stderr, 1);
    assert_eq!(err, format!("outcomes-lint: {}: is a directory\n", dir.display()));
}

#[test]
fn an_unreadable_file_is_one_line_and_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("unreadable");
    let path = dir.join("secret.csv");
    std::fs::write(&path, "vendor_guid,object_type,title\ng1,group,Math\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod 000");
    if std::fs::File::open(&path).is_ok() {
        // Root (as in CI containers) reads a file whatever its mode.
        eprintln!("skipped: this process can read a file with mode 000 (running as root?)");
        return;
    }
    for command in ["check", "fix"] {
        let output = run(&[command, path.to_str().expect("utf-8 path")]);
        assert_eq!(code(&output), 2, "{command}");
        let err = assert_clean_stderr(&output.stderr, 1);
        assert!(err.contains("Permission denied"), "{err}");
    }
}

#[test]
fn standard_input_that_ends_early_is_checked_as_far_as_it_goes() {
    // The writer stops in the middle of a record: what arrived is the file.
    let (child, mut stdin) = spawn_check_stdin();
    stdin.write_all(b"vendor_guid,object_type,title\ng1,group,Ma").expect("write");
    drop(stdin);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(code(&output), 0);
    assert_clean_stderr(&output.stderr, 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("Canvas would import all 1 rows"));

    // Closed before anything was written: an empty file, which Canvas rejects.
    let output = run(&["check", "-"]);
    assert_eq!(code(&output), 1);
    assert_clean_stderr(&output.stderr, 0);
    assert!(String::from_utf8_lossy(&output.stdout).contains("File has no data"));
}

#[test]
fn standard_input_that_cannot_be_read_is_one_line_and_exit_2() {
    // Reading a directory fails with EISDIR.
    let dir = scratch("stdin-directory");
    let output =
        command(&["check", "-"]).stdin(std::fs::File::open(&dir).expect("open the directory")).output().expect("run");
    assert_eq!(code(&output), 2);
    let err = assert_clean_stderr(&output.stderr, 1);
    assert!(err.starts_with("outcomes-lint: <stdin>: could not read the file: "), "{err}");
}

/// Reads one line of the child's output, closes the pipe, and waits.
fn read_one_line_then_close(args: &[&str]) -> (String, Output) {
    let mut child =
        command(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    // Standard error is drained on its own thread: a child that reports much on stderr before
    // its first line of stdout (`fix` does) would otherwise fill that pipe and wait forever.
    let mut stderr = child.stderr.take().expect("stderr");
    let drain = std::thread::spawn(move || {
        let mut err = Vec::new();
        stderr.read_to_end(&mut err).map(|_| err)
    });
    let mut first = String::new();
    {
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        stdout.read_line(&mut first).expect("read a line");
    } // the read end is closed here
    let mut output = child.wait_with_output().expect("wait");
    output.stderr = drain.join().expect("the stderr thread").expect("read stderr");
    (first, output)
}

#[test]
fn standard_output_closed_early_stops_quietly_with_the_findings_status() {
    let dir = scratch("stdout-closed");
    let big = dir.join("big.csv");
    // About 10 MB of JSON and more of human output: far more than a pipe holds.
    big_file(&big, 20_000);
    let big = big.to_str().expect("utf-8 path");
    for format in ["human", "json", "github", "canvas", "sarif"] {
        let (first, output) = read_one_line_then_close(&["check", "--format", format, big]);
        assert!(!first.is_empty(), "{format}: some output first");
        // Canvas would skip rows: status 1, even though the output was cut short by the reader.
        assert_eq!(code(&output), 1, "{format}");
        assert_clean_stderr(&output.stderr, 0);
    }
    // `fix` writing the fixed file to a closed pipe: no message either.
    let (_, output) = read_one_line_then_close(&["fix", big]);
    assert!(matches!(code(&output), 0 | 1), "{output:?}");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!err.contains("panicked") && !err.contains("cannot write"), "{err}");
}

#[test]
fn a_failed_write_is_one_line_and_exit_2_and_the_original_is_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("read-only");
    let path = dir.join("outcomes.csv");
    let original = b"vendor_guid,object_type,title\ng1,Group,Math\n";
    std::fs::write(&path, original).expect("write");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod 555");
    let privileged = std::fs::write(dir.join("probe"), b"").is_ok();
    let path_arg = path.to_str().expect("utf-8 path");
    let output = if privileged {
        // Root writes into a read-only directory; a write into /proc fails for everyone.
        eprintln!("running as root: a read-only directory is writable, so the write goes to /proc instead");
        let _ = std::fs::remove_file(dir.join("probe"));
        run(&["fix", path_arg, "-o", "/proc/outcomes-lint-io-test.csv"])
    } else {
        run(&["fix", "--write", path_arg])
    };
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod 755");
    assert_eq!(code(&output), 2);
    // One line for the fix it would have made, one for the failure.
    let err = assert_clean_stderr(&output.stderr, 2);
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with("outcomes-lint: cannot write "), "{err}");
    assert!(last.ends_with("(the original is unchanged)"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), original);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("list").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(leftovers, ["outcomes.csv"], "no temporary file is left behind");
}

/// An endless quoted cell on standard input: over the 64 MiB record limit.
#[test]
fn a_record_over_the_limit_is_one_line_and_exit_2_never_a_truncated_check() {
    let (mut child, mut stdin) = spawn_check_stdin();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(b"vendor_guid,object_type,title\ng1,group,\"");
        let chunk = vec![b'x'; 1 << 20];
        // Until the checker gives up and closes its end (or 128 MiB, whichever comes first).
        for _ in 0..128 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let mut stdout = Vec::new();
    child.stdout.take().expect("stdout").read_to_end(&mut stdout).expect("read");
    let output = child.wait_with_output().expect("wait");
    writer.join().expect("the writer");
    assert_eq!(code(&output), 2);
    let err = assert_clean_stderr(&output.stderr, 1);
    assert_eq!(
        err,
        "outcomes-lint: <stdin>: record 2 (line 2) is larger than the limit of 67108864 bytes; the file was not checked\n"
    );
    assert!(stdout.is_empty(), "nothing is reported for a file that was not checked");
}

#[test]
fn a_record_of_too_many_cells_is_one_line_and_exit_2() {
    let dir = scratch("too-many-cells");
    let path = dir.join("separators.csv");
    let mut bytes = b"vendor_guid,object_type,title".to_vec();
    bytes.resize(bytes.len() + 2_000_000, b',');
    std::fs::write(&path, bytes).expect("write");
    let output = run(&["check", path.to_str().expect("utf-8 path")]);
    assert_eq!(code(&output), 2);
    let err = assert_clean_stderr(&output.stderr, 1);
    assert!(err.ends_with(": record 1 (line 1) has more than 1048576 cells; the file was not checked\n"), "{err}");
}

/// Peak memory of the binary checking a file with a 20 MB field, from `/usr/bin/time -v` where
/// it exists: the reader holds the record (about twice, while it grows its buffer), not more.
#[test]
fn a_20_mb_field_is_checked_in_bounded_memory() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: no /usr/bin/time to measure peak memory");
        return;
    }
    let dir = scratch("memory");
    let path = dir.join("field.csv");
    let mut bytes = b"vendor_guid,object_type,title,description\no1,outcome,Title,\"".to_vec();
    bytes.resize(bytes.len() + 20_000_000, b'x');
    bytes.extend_from_slice(b"\"\n");
    std::fs::write(&path, bytes).expect("write");
    let output = Command::new("/usr/bin/time")
        .args(["-f", "peak-kb=%M", BIN, "check", "--format", "json"])
        .arg(&path)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run /usr/bin/time");
    assert_eq!(code(&output), 1);
    let err = String::from_utf8_lossy(&output.stderr);
    let kb: u64 = err
        .lines()
        .find_map(|l| l.strip_prefix("peak-kb="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {err}"));
    eprintln!("20 MB field: peak {kb} kB");
    assert!(kb < 200_000, "peak {kb} kB");
}
