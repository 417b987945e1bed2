//! The measuring binaries `scripts/bench.sh` runs: each mode must read the same file as the
//! floor does, record for record, or the ratios it prints compare different work.

use std::path::Path;
use std::process::Command;

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace().find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

fn run(binary: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(binary).args(args).arg(file).output().expect("run the measuring binary");
    assert!(output.status.success(), "{binary} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn the_floor_and_every_mode_count_the_same_records() {
    let dir = std::env::temp_dir().join(format!("outcomes-gen-measure-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("outcomes.csv");
    std::fs::write(&file, outcomes_gen::generate(&outcomes_gen::Config::new(500, 9))).expect("write the file");

    let bare = run(env!("CARGO_BIN_EXE_outcomes-bare"), &[], &file);
    assert_eq!(field(&bare, "mode"), Some("bare"), "{bare}");
    assert_eq!(field(&bare, "records"), Some("501"), "{bare}");
    for mode in ["parser", "check", "rayon"] {
        let line = run(env!("CARGO_BIN_EXE_outcomes-gen"), &["measure", "--mode", mode], &file);
        assert_eq!(field(&line, "mode"), Some(mode), "{line}");
        assert_eq!(field(&line, "records"), field(&bare, "records"), "{line}");
        assert_eq!(field(&line, "diagnostics"), Some("0"), "{line}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_floor_says_how_to_call_it() {
    let output = Command::new(env!("CARGO_BIN_EXE_outcomes-bare")).output().expect("run outcomes-bare");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: outcomes-bare FILE"));
}
