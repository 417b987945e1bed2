//! Differential test of the CSV tokenizer alone (`outcomes_csv::Reader`) against Ruby's own
//! `CSV`, framed exactly as the Ruby model of Canvas frames a file (first-line sniffing of `;`
//! against `,`, BOM skipped, `CSV.new(StringIO.new(body), col_sep: sep).to_a`), over many short
//! byte strings made of the characters that matter to CSV; and a property test that the reader
//! gives the same records and errors however the input is split across `read` calls.
//!
//! Environment: `OUTCOMES_LINT_CSV_SEED` (decimal or `0x` hex) and `OUTCOMES_LINT_CSV_CASES`
//! change the random part of the corpus; `CI=true` makes a missing `ruby` a failure instead of a
//! skip.

mod invariants;

use std::fmt::Write as _;
use std::io::Read;
use std::process::Command;

use invariants::Chunked;
use outcomes_csv::{ReadError, Reader, Record};
use proptest::prelude::*;
use serde_json::Value;

/// Parses every input (one hex line each, in the file named by the first argument) the way the
/// model of Canvas does, and prints per input `MALFORMED` or the rows as JSON, each cell `null`
/// (Ruby's `nil`) or the hex of its bytes.
const RUBY_PARSER: &str = r#"
require "csv"
require "json"
require "stringio"
BOM = "\xEF\xBB\xBF".b
File.foreach(ARGV[0]) do |line|
  bytes = [line.chomp].pack("H*")
  first_line = bytes[/\A[^\n]*\n?/]
  body = first_line.start_with?(BOM) ? bytes.byteslice(3..) : bytes
  col_sep = first_line.count(";") > first_line.count(",") ? ";" : ","
  begin
    rows = CSV.new(StringIO.new(body), col_sep: col_sep).to_a
    puts JSON.generate(rows.map { |r| r.map { |c| c.nil? ? nil : c.unpack1("H*") } })
  rescue CSV::MalformedCSVError
    puts "MALFORMED"
  end
end
"#;

/// The symbols inputs are made of; `é` is two bytes, so splitting it matters too.
const SYMBOLS: [&[u8]; 8] = [b"a", b",", b";", b"\"", b"\r", b"\n", b" ", "é".as_bytes()];
/// Extra symbols for the random part: the halves of `é` alone and a BOM.
const EXTRA: [&[u8]; 3] = [b"\xC3", b"\xA9", b"\xEF\xBB\xBF"];

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// What our reader makes of `input`: `"MALFORMED"` or the rows, as the Ruby script prints them.
fn ours(input: &[u8]) -> Value {
    let malformed = Value::String("MALFORMED".into());
    let mut reader = match Reader::new(input) {
        Ok(r) => r,
        Err(ReadError::Syntax(_)) => return malformed,
        Err(e) => panic!("unexpected error reading {input:?}: {e}"),
    };
    let mut record = Record::new();
    let mut rows = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => rows.push(Value::Array(
                record
                    .cells()
                    .map(|c| if c.is_absent() { Value::Null } else { Value::String(hex(c.value())) })
                    .collect(),
            )),
            Ok(false) => return Value::Array(rows),
            Err(ReadError::Syntax(_)) => return malformed,
            Err(e) => panic!("unexpected error reading {input:?}: {e}"),
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok().filter(|v| !v.trim().is_empty())?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => v.parse().ok(),
    };
    Some(parsed.unwrap_or_else(|| panic!("{name}={v:?} is not a number")))
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Every string of up to four symbols, then random longer ones (weighted towards quotes and
/// separators, sometimes with a BOM or half of `é`).
fn corpus(seed: u64, random: usize) -> Vec<Vec<u8>> {
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
    let mut layer: Vec<Vec<u8>> = vec![Vec::new()];
    for _ in 0..4 {
        layer = layer
            .iter()
            .flat_map(|prefix| {
                SYMBOLS.iter().map(move |s| {
                    let mut v = prefix.clone();
                    v.extend_from_slice(s);
                    v
                })
            })
            .collect();
        inputs.extend(layer.iter().cloned());
    }
    let mut rng = Rng(seed);
    const WEIGHTS: [usize; 11] = [4, 3, 2, 4, 2, 3, 1, 1, 1, 1, 1];
    let total: usize = WEIGHTS.iter().sum();
    for _ in 0..random {
        let mut v = Vec::new();
        if rng.below(10) == 0 {
            v.extend_from_slice(b"\xEF\xBB\xBF");
        }
        let len = 5 + rng.below(20);
        for _ in 0..len {
            let mut roll = rng.below(total);
            let mut i = 0;
            while roll >= WEIGHTS[i] {
                roll -= WEIGHTS[i];
                i += 1;
            }
            let symbol = if i < SYMBOLS.len() { SYMBOLS[i] } else { EXTRA[i - SYMBOLS.len()] };
            v.extend_from_slice(symbol);
        }
        inputs.push(v);
    }
    for _ in 0..random / 40 {
        inputs.push(long_input(&mut rng));
    }
    inputs
}

/// A longer file (up to ~20 KB) of mostly well-formed records, so that Ruby's 1024-byte
/// separator sample and its 8192-byte read chunks end in the middle of quoted cells, `\r\n`
/// pairs and the like; sometimes with one defect placed near such a boundary.
fn long_input(rng: &mut Rng) -> Vec<u8> {
    let terminator: &[u8] = [&b"\n"[..], b"\r\n", b"\r"][rng.below(3)];
    let separator = if rng.below(4) == 0 { b';' } else { b',' };
    let target = 900 + rng.below(20_000);
    let mut v = Vec::new();
    if rng.below(10) == 0 {
        v.extend_from_slice(b"\xEF\xBB\xBF");
    }
    while v.len() < target {
        let cells = 1 + rng.below(6);
        for c in 0..cells {
            if c > 0 {
                v.push(separator);
            }
            match rng.below(6) {
                0 => {}
                1 => v.extend_from_slice(b"\"\""),
                2 => {
                    v.push(b'"');
                    for _ in 0..rng.below(40) {
                        let piece: &[u8] =
                            [&b"x"[..], b"\r\n", b"\n", b"\r", b"\"\"", b",", b";", "\u{e9}".as_bytes()][rng.below(8)];
                        v.extend_from_slice(piece);
                    }
                    v.push(b'"');
                }
                _ => {
                    for _ in 0..rng.below(60) {
                        v.push([b'a', b'b', b' ', 0xC3, 0xA9][rng.below(5)]);
                    }
                }
            }
        }
        v.extend_from_slice(terminator);
        if rng.below(20) == 0 {
            v.extend_from_slice(terminator);
        }
    }
    if rng.below(3) == 0 {
        let boundary = [1021, 1022, 1023, 1024, 1025, 8190, 8191, 8192, 8193, 16383, 16384, 16385][rng.below(12)];
        let at = (boundary + 3 * rng.below(2)).min(v.len());
        let defect: &[u8] = [&b"\""[..], b"\r", b"\n", b"\r\n", b"x\"", b"\"x"][rng.below(6)];
        v.splice(at..at, defect.iter().copied());
    }
    v
}

/// `Some(reason)` when Ruby is unavailable and the test should be skipped (outside CI).
fn ruby_missing() -> Option<String> {
    let why = match Command::new("ruby").arg("--version").output() {
        Ok(out) if out.status.success() => return None,
        Ok(out) => format!("`ruby --version` failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => format!("`ruby` cannot be run: {e}"),
    };
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CSV syntax differential test cannot run in CI: {why}");
    }
    Some(why)
}

#[test]
fn the_reader_agrees_with_ruby_csv_on_short_inputs() {
    if let Some(why) = ruby_missing() {
        eprintln!("skipped: CSV syntax differential test against Ruby: {why} (set CI=true to make this a failure)");
        return;
    }
    let seed = env_u64("OUTCOMES_LINT_CSV_SEED").unwrap_or(0x00C5_75E7_A11C_E5ED);
    let random = env_u64("OUTCOMES_LINT_CSV_CASES").map_or(8000, |n| n as usize);
    let inputs = corpus(seed, random);

    let dir = std::env::temp_dir().join(format!(
        "outcomes-lint-csv-syntax-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let list = dir.join("inputs.hex");
    let mut text = String::new();
    for input in &inputs {
        text.push_str(&hex(input));
        text.push('\n');
    }
    std::fs::write(&list, text).expect("write inputs");
    let output = Command::new("ruby").arg("-e").arg(RUBY_PARSER).arg(&list).output();
    let _ = std::fs::remove_dir_all(&dir);
    let output = output.expect("run ruby");
    assert!(output.status.success(), "ruby failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("ruby prints ASCII");
    let answers: Vec<&str> = stdout.lines().collect();
    assert_eq!(answers.len(), inputs.len(), "one answer per input");

    let mut mismatches = Vec::new();
    for (input, answer) in inputs.iter().zip(&answers) {
        let expected = if *answer == "MALFORMED" {
            Value::String("MALFORMED".into())
        } else {
            serde_json::from_str(answer).expect("ruby prints JSON")
        };
        let actual = ours(input);
        if actual != expected {
            mismatches.push(format!("  input b\"{}\"\n    ruby: {expected}\n    ours: {actual}", input.escape_ascii()));
        }
    }
    let malformed = answers.iter().filter(|a| **a == "MALFORMED").count();
    eprintln!(
        "csv_syntax: compared {} inputs with Ruby's CSV (seed {seed:#x}; Ruby found {malformed} malformed): {} mismatches",
        inputs.len(),
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} inputs are read differently from Ruby's CSV (seed {seed:#x}); the first ones:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// Everything a reader reports about a file: dialect, records (with positions) and the final
/// outcome.
fn read_all<R: Read>(source: R) -> String {
    let mut out = String::new();
    let mut reader = match Reader::new(source) {
        Ok(r) => r,
        Err(e) => return format!("error at start: {e:?}"),
    };
    let _ = writeln!(out, "dialect {:?} empty {}", reader.dialect(), reader.is_empty_file());
    let mut record = Record::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let _ = write!(
                    out,
                    "row {} line {} lines {} span {:?} raw {:?}:",
                    record.row(),
                    record.line(),
                    record.line_count(),
                    record.span_with_terminator(),
                    record.raw()
                );
                for c in record.cells() {
                    let _ = write!(
                        out,
                        " [{:?} absent {} quoted {} {:?}]",
                        c.value(),
                        c.is_absent(),
                        c.is_quoted(),
                        c.span()
                    );
                }
                out.push('\n');
            }
            Ok(false) => {
                let _ = writeln!(out, "end after {} rows", reader.rows_read());
                return out;
            }
            Err(e) => {
                let _ = writeln!(out, "error {e:?}");
                return out;
            }
        }
    }
}

fn input_strategy() -> impl Strategy<Value = Vec<u8>> {
    let symbol = prop::sample::select(vec![
        &b"a"[..],
        b",",
        b";",
        b"\"",
        b"\"",
        b"\r",
        b"\n",
        b" ",
        "é".as_bytes(),
        b"\xEF\xBB\xBF",
    ]);
    prop::collection::vec(symbol, 0..48).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn reading_in_tiny_chunks_gives_the_same_records_and_errors(
        input in input_strategy(),
        sizes in prop::collection::vec(1usize..=7, 1..16),
    ) {
        let whole = read_all(&input[..]);
        let chunked = read_all(Chunked::new(&input, sizes.clone()));
        prop_assert_eq!(whole, chunked);
    }
}
