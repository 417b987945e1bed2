//! Differential tests: every function in [`super`] against the real `ruby`.
//!
//! Each test builds a large, seeded set of inputs (exhaustive over code points where that is
//! cheap), writes them hex-encoded one per line to a temporary file, runs ONE `ruby` process that
//! prints Ruby's answer for every line, and compares. Ruby runs with `-E UTF-8:UTF-8`, as Canvas
//! (Rails) does, because `String#inspect` depends on the default encodings.
//!
//! Without `ruby` on `PATH` the tests print a skip message and pass, unless `CI=true`, where a
//! missing `ruby` is a failure. `OUTCOMES_RUBY_DIFF_SCALE=N` multiplies the number of random
//! inputs by N for a deeper (slower) run.

#![allow(clippy::unwrap_used)]

use super::*;
use std::fmt::Write as _;
use std::process::Command;

/// How many mismatches to print before giving up on a test.
const SHOW: usize = 20;

/// The multiplier for random input counts (`OUTCOMES_RUBY_DIFF_SCALE`, default 1).
fn scale() -> usize {
    std::env::var("OUTCOMES_RUBY_DIFF_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(1)
}

/// A small deterministic PRNG (SplitMix64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A string of `0..=max_len` pieces drawn from `alphabet`.
    fn string(&mut self, alphabet: &[&[u8]], max_len: usize) -> Vec<u8> {
        let len = self.below(max_len + 1);
        let mut out = Vec::new();
        for _ in 0..len {
            out.extend_from_slice(self.pick(alphabet));
        }
        out
    }

    fn digits(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| b'0' + self.below(10) as u8).collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap()).collect()
}

/// Runs `script` under `ruby -E UTF-8:UTF-8` with a file holding `lines` as `ARGV[0]` and
/// returns its stdout lines; `None` (after printing why) if `ruby` is not installed and `CI` is
/// not `true`.
fn run_ruby(name: &str, script: &str, lines: &[String]) -> Option<Vec<String>> {
    let available = Command::new("ruby").arg("--version").output().is_ok_and(|o| o.status.success());
    if !available {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("`ruby` is not on PATH but CI=true: the differential test `{name}` must run");
        }
        eprintln!("skipping differential test `{name}`: `ruby` is not on PATH");
        return None;
    }
    let path = std::env::temp_dir().join(format!("outcomes-rules-ruby-{name}-{}.txt", std::process::id()));
    let mut body = lines.join("\n");
    body.push('\n');
    std::fs::write(&path, body).unwrap();
    let output = Command::new("ruby").args(["-E", "UTF-8:UTF-8", "-e", script]).arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(output.status.success(), "ruby failed for `{name}`: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let answers: Vec<String> = stdout.lines().map(str::to_owned).collect();
    assert_eq!(answers.len(), lines.len(), "ruby answered a different number of lines for `{name}`");
    Some(answers)
}

/// Compares Ruby's answer for each input line with ours, printing the first mismatches.
fn compare(name: &str, inputs: &[String], ruby: &[String], ours: impl Fn(&str) -> String) {
    let mut mismatches = 0;
    for (input, want) in inputs.iter().zip(ruby) {
        let got = ours(input);
        if &got != want {
            mismatches += 1;
            if mismatches <= SHOW {
                eprintln!("{name} mismatch\n  input: {input}\n  ruby:  {want}\n  ours:  {got}");
            }
        }
    }
    eprintln!("{name}: compared {} inputs against ruby", inputs.len());
    assert_eq!(mismatches, 0, "{name}: {mismatches} of {} inputs differ from ruby", inputs.len());
}

/// The exact decimal expansion of `(2 * mantissa + 1) * 2^(exp - 1)`: the midpoint between
/// `mantissa * 2^exp` and the next double up.
fn exact_midpoint(mantissa: u64, exp: i32) -> String {
    // Little-endian decimal digits.
    let mut digits: Vec<u32> = Vec::new();
    let mut n = 2 * u128::from(mantissa) + 1;
    while n > 0 {
        digits.push((n % 10) as u32);
        n /= 10;
    }
    let scale = exp - 1;
    let factor = if scale >= 0 { 2 } else { 5 };
    for _ in 0..scale.unsigned_abs() {
        let mut carry = 0;
        for d in digits.iter_mut() {
            let v = *d * factor + carry;
            *d = v % 10;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push(carry % 10);
            carry /= 10;
        }
    }
    let text: String = digits.iter().rev().map(|d| char::from(b'0' + *d as u8)).collect();
    if scale >= 0 {
        return text;
    }
    let frac_len = scale.unsigned_abs() as usize;
    let padded = format!("{text:0>width$}", width = frac_len + 1);
    let (int, frac) = padded.split_at(padded.len() - frac_len);
    format!("{int}.{frac}")
}

/// Every Unicode scalar value, in chunks of `size` (no surrogates).
fn code_point_chunks(size: u32) -> Vec<String> {
    let scalars: Vec<char> = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
    scalars.chunks(size as usize).map(|chunk| chunk.iter().collect()).collect()
}

#[test]
fn inspect_matches_ruby() {
    let mut rng = Rng::new(0x01A5_BEC7);
    let mut inputs = Vec::new();
    // Every code point, 64 to a string, as UTF-8.
    for chunk in code_point_chunks(64) {
        inputs.push(format!("u {}", hex(chunk.as_bytes())));
    }
    // Every byte alone and between `#` and the interpolation sigils, in both encodings.
    for b in 0..=255u8 {
        for mode in ["u", "b"] {
            inputs.push(format!("{mode} {}", hex(&[b])));
            inputs.push(format!("{mode} {}", hex(&[b'#', b, b'#', b'{', b])));
        }
    }
    // Random byte strings mixing ASCII, escapes, valid multibyte and invalid sequences.
    let alphabet: &[&[u8]] = &[
        b"a",
        b"Z",
        b" ",
        b"~",
        b"#",
        b"{",
        b"$",
        b"@",
        b"\"",
        b"\\",
        b"\n",
        b"\t",
        b"\r",
        b"\x0B",
        b"\x0C",
        b"\x08",
        b"\x07",
        b"\x1B",
        b"\x00",
        b"\x01",
        b"\x7F",
        b"\x80",
        b"\xBF",
        b"\xC2",
        b"\xC3\xA9",
        b"\xE2\x80\xA8",
        b"\xE2\x80\x8B",
        b"\xC2\x85",
        b"\xC2\xAD",
        b"\xED\xA0\x80",
        b"\xEF\xBF\xBF",
        b"\xF0\x9F\x98\x80",
        b"\xF3\xA0\x80\x80",
        b"\xF4\x90\x80\x80",
        b"\xE3\x81",
        b"\xF0\x9F\x98",
        b"\xFF",
        b"\xFE",
        b"\xC0\xAF",
    ];
    for _ in 0..6000 * scale() {
        let s = rng.string(alphabet, 12);
        let mode = if rng.chance(50) { "u" } else { "b" };
        inputs.push(format!("{mode} {}", hex(&s)));
    }
    for _ in 0..3000 * scale() {
        let len = rng.below(10);
        let s: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let mode = if rng.chance(50) { "u" } else { "b" };
        inputs.push(format!("{mode} {}", hex(&s)));
    }
    // Arrays of UTF-8 strings.
    for _ in 0..500 * scale() {
        let items: Vec<String> = (0..rng.below(4)).map(|_| hex(&rng.string(alphabet, 4))).collect();
        inputs.push(format!("a {}", items.join(",")));
    }

    let script = r##"
        File.foreach(ARGV[0], chomp: true) do |line|
          mode, data = line[0], line[2..]
          if mode == "a"
            items = data.split(",", -1).map { |h| [h].pack("H*").force_encoding(Encoding::UTF_8) }
            items = [] if data.empty?
            puts items.inspect.unpack1("H*")
          else
            s = [data].pack("H*")
            s.force_encoding(mode == "u" ? Encoding::UTF_8 : Encoding::BINARY)
            puts s.inspect.unpack1("H*")
          end
        end
    "##;
    let Some(ruby) = run_ruby("inspect", script, &inputs) else {
        return;
    };
    compare("inspect", &inputs, &ruby, |line| {
        let (mode, data) = (&line[..1], &line[2..]);
        let ours = match mode {
            "u" => inspect_utf8(&unhex(data)),
            "b" => inspect_binary(&unhex(data)),
            _ => inspect_array(
                data.split(',').filter(|h| !data.is_empty() || !h.is_empty()).map(|h| inspect_utf8(&unhex(h))),
            ),
        };
        hex(ours.as_bytes())
    });
}

#[test]
fn parse_float_matches_ruby() {
    let mut rng = Rng::new(0xF10A7);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    // Hand-picked cases from the brief and from reading the C code.
    for s in [
        "1_000.5",
        "1.5_0",
        "1e1_0",
        "0x_1",
        "0x1_0",
        "+_1",
        " 0x1A ",
        "1e-400",
        "-0",
        "0.0e0",
        "1__0",
        ".e1",
        ".",
        "+",
        "",
        "0x",
        "0x1p",
        "0X1A",
        "1E5",
        "1d5",
        "1.",
        "1e",
        "0x1A",
        "-0x1A",
        "0x1.8p1",
        "0b101",
        "0o17",
        "010",
        ".5",
        "1e400",
        "0x1.8",
        "0x.8p1",
        "0x1.p1",
        "0x1p+1",
        "0x1P-1",
        "0x1p1_0",
        "0x1_0p1",
        "0_1",
        "00_1",
        "_1",
        "1_",
        "0x0",
        "0x00",
        "0x0.0p0",
        "0x0.8p1",
        "Infinity",
        "NaN",
        "0e",
        "0.e1",
        "1.e1",
        "-0x0",
        "-.0",
        "-0.0e5",
        ".000",
        ".0e5",
        "0.",
        "00",
        "-00.0",
        "0x1p-1074",
        "0x1p-1075",
        "0x3p-1076",
        "1e-324",
        "2.4703282292062328e-324",
        "2.4703282292062327e-324",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1e-99999999999",
        "1e99999999999",
        "0e99999",
        "1e0000000001",
    ] {
        inputs.push(s.as_bytes().to_vec());
    }
    // Random strings over a number-ish alphabet.
    let alphabet: &[&[u8]] = &[
        b"0",
        b"1",
        b"2",
        b"5",
        b"7",
        b"9",
        b"0",
        b"1",
        b"3",
        b"8",
        b".",
        b"_",
        b"e",
        b"E",
        b"+",
        b"-",
        b"x",
        b"X",
        b"p",
        b"P",
        b"a",
        b"b",
        b"c",
        b"d",
        b"f",
        b"F",
        b" ",
        b"\t",
        b"\x0B",
        b"\n",
        b"\x00",
        b",",
        b"\xC3\xA9",
    ];
    for _ in 0..15000 * scale() {
        inputs.push(rng.string(alphabet, 10));
    }
    // Structured numbers, then lightly mutated.
    for _ in 0..8000 * scale() {
        let mut s = Vec::new();
        if rng.chance(20) {
            s.extend_from_slice(rng.pick::<&[u8]>(&[b" ", b"\t", b"\n ", b"\x0B\x0C\r"]));
        }
        if rng.chance(40) {
            s.push(rng.pick(b"+-"));
        }
        let underscore = |rng: &mut Rng, digits: Vec<u8>| -> Vec<u8> {
            let mut out = Vec::new();
            for (i, d) in digits.iter().enumerate() {
                if i > 0 && rng.chance(15) {
                    out.push(b'_');
                }
                out.push(*d);
            }
            out
        };
        if rng.chance(25) {
            s.extend_from_slice(if rng.chance(50) { b"0x" } else { b"0X" });
            let hexdigits = b"0123456789abcdefABCDEF";
            let n = rng.below(6);
            let int: Vec<u8> = (0..n).map(|_| rng.pick(hexdigits)).collect();
            s.extend(underscore(&mut rng, int));
            if rng.chance(40) {
                s.push(b'.');
                let n = rng.below(6);
                s.extend((0..n).map(|_| rng.pick(hexdigits)));
            }
            if rng.chance(50) {
                s.push(rng.pick(b"pP"));
                if rng.chance(50) {
                    s.push(rng.pick(b"+-"));
                }
                let n = rng.below(5);
                let exp = rng.digits(n);
                s.extend(underscore(&mut rng, exp));
            }
        } else {
            let n = rng.below(8);
            let int = rng.digits(n);
            s.extend(underscore(&mut rng, int));
            if rng.chance(50) {
                s.push(b'.');
                let n = rng.below(8);
                let frac = rng.digits(n);
                s.extend(underscore(&mut rng, frac));
            }
            if rng.chance(40) {
                s.push(rng.pick(b"eE"));
                if rng.chance(50) {
                    s.push(rng.pick(b"+-"));
                }
                let n = rng.below(5);
                let exp = rng.digits(n);
                s.extend(underscore(&mut rng, exp));
            }
        }
        if rng.chance(20) {
            s.extend_from_slice(rng.pick::<&[u8]>(&[b" ", b"\r\n", b"\x0C", b"\x00"]));
        }
        if rng.chance(30) && !s.is_empty() {
            let at = rng.below(s.len() + 1);
            if rng.chance(50) {
                s.insert(at, rng.pick(b"_.e+-x0 "));
            } else if at < s.len() {
                s.remove(at);
            }
        }
        inputs.push(s);
    }
    // Long digit strings around Ruby's 60-byte buffer and 61-digit fraction limits.
    for _ in 0..1500 * scale() {
        let mut s = Vec::new();
        if rng.chance(20) {
            s.push(b'-');
        }
        if rng.chance(30) {
            s.extend(vec![b'0'; rng.below(80)]);
        }
        let n = 1 + rng.below(130);
        s.extend(rng.digits(n));
        if rng.chance(50) {
            s.push(b'.');
            if rng.chance(30) {
                s.extend(vec![b'0'; rng.below(80)]);
            }
            let n = rng.below(130);
            s.extend(rng.digits(n));
        }
        if rng.chance(30) {
            let at = rng.below(s.len()).max(1);
            if s[at - 1].is_ascii_digit() && s.get(at).is_some_and(u8::is_ascii_digit) {
                s.insert(at, b'_');
            }
        }
        if rng.chance(30) {
            s.extend_from_slice(format!("e{}", rng.below(700) as i64 - 350).as_bytes());
        }
        if rng.chance(40) {
            s.push(b' ');
        }
        inputs.push(s);
    }
    // Halfway cases: the exact midpoint between two adjacent doubles, and the same with a
    // trailing 1 (above the midpoint, but past the 61 digits Ruby reads, so ties-to-even wins).
    for _ in 0..600 * scale() {
        let mantissa = (rng.next() >> 11) | (1 << 52);
        let exp = rng.below(120) as i32 - 110;
        let mid = exact_midpoint(mantissa, exp);
        inputs.push(format!("{mid}1").into_bytes());
        inputs.push(mid.into_bytes());
    }
    // Rust's own renderings of random doubles (shortest, scientific and long fixed forms).
    for _ in 0..2000 * scale() {
        let v = f64::from_bits(rng.next());
        if v.is_finite() {
            inputs.push(format!("{v:e}").into_bytes());
            inputs.push(format!("{v}").into_bytes());
        }
    }
    // Long hex mantissas, where Ruby sums digits in double arithmetic.
    for _ in 0..500 * scale() {
        let mut s = b"0x".to_vec();
        let hexdigits = b"0123456789abcdef";
        s.push(rng.pick(b"123456789abcdef"));
        let n = rng.below(40);
        s.extend((0..n).map(|_| rng.pick(hexdigits)));
        if rng.chance(60) {
            s.push(b'.');
            let n = 1 + rng.below(300);
            s.extend((0..n).map(|_| rng.pick(hexdigits)));
        }
        s.extend_from_slice(format!("p{}", rng.below(2400) as i64 - 1200).as_bytes());
        inputs.push(s);
    }

    let lines: Vec<String> = inputs.iter().map(|s| hex(s)).collect();
    let script = r##"
        $VERBOSE = nil
        File.foreach(ARGV[0], chomp: true) do |line|
          s = [line].pack("H*").force_encoding(Encoding::UTF_8)
          v = Float(s, exception: false)
          puts(v.nil? ? "E" : [v].pack("G").unpack1("H*"))
        end
    "##;
    let Some(ruby) = run_ruby("parse_float", script, &lines) else {
        return;
    };
    compare("Float()", &lines, &ruby, |line| match parse_float(&unhex(line)) {
        None => "E".to_owned(),
        Some(v) => format!("{:016x}", v.to_bits()),
    });
}

#[test]
fn float_to_s_matches_ruby() {
    let mut rng = Rng::new(0x2_5EED);
    let mut values: Vec<f64> = vec![0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
    for _ in 0..6000 * scale() {
        values.push(f64::from_bits(rng.next()));
    }
    for _ in 0..3000 * scale() {
        values.push(f64::from_bits(rng.next() & 0x800F_FFFF_FFFF_FFFF));
    }
    for _ in 0..3000 * scale() {
        values.push((rng.next() >> rng.below(64)) as f64);
    }
    for _ in 0..3000 * scale() {
        let k = rng.below(10_000_000) as f64;
        values.push(k / 10f64.powi(rng.below(25) as i32));
    }
    // Dyadic values with short exact expansions, where shortest-digit ties happen.
    for _ in 0..4000 * scale() {
        let m = (rng.next() >> (11 + rng.below(40))) as f64;
        let e = rng.below(160) as i32 - 80;
        values.push(m * 2f64.powi(e));
    }
    for e in -330..=310 {
        let v: f64 = format!("1e{e}").parse().unwrap();
        if v > 0.0 && v.is_finite() {
            values.extend([v, f64::from_bits(v.to_bits() + 1), f64::from_bits(v.to_bits() - 1)]);
        }
    }
    for e in -1074..=1023i64 {
        values.push(if e >= -1022 {
            f64::from_bits(((e + 1023) as u64) << 52)
        } else {
            f64::from_bits(1 << (e + 1074))
        });
    }
    for e in -30..=30 {
        for _ in 0..40 {
            let m = 1.0 + (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * 9.0;
            let digits = 1 + rng.below(17);
            let v: f64 = format!("{:.*}e{}", digits - 1, m, e).parse().unwrap();
            values.push(if rng.chance(50) { v } else { -v });
        }
    }

    let lines: Vec<String> = values.iter().map(|v| format!("{:016x}", v.to_bits())).collect();
    let script = r##"
        File.foreach(ARGV[0], chomp: true) do |line|
          puts [line].pack("H*").unpack1("G").to_s
        end
    "##;
    let Some(ruby) = run_ruby("float_to_s", script, &lines) else {
        return;
    };
    compare("Float#to_s", &lines, &ruby, |line| float_to_s(f64::from_bits(u64::from_str_radix(line, 16).unwrap())));
}

#[test]
fn to_i_matches_ruby() {
    let mut rng = Rng::new(0x0701);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for s in [
        " 7", "\x0B7", "0d12", "1__0", "_1", "+-1", "0x1A", "3.7", "0_7", "07", "-0d5", "0d", "0_d1", "1_", "  -  1",
        "\x001", "1\x002", "0d_1", "0D9", "-0", "", "-", "+", "0__7", "00_0_7", "\u{A0}1", "\u{FF11}",
    ] {
        inputs.push(s.as_bytes().to_vec());
    }
    let alphabet: &[&[u8]] = &[
        b"0",
        b"1",
        b"5",
        b"9",
        b"0",
        b"3",
        b"7",
        b"_",
        b"_",
        b"+",
        b"-",
        b" ",
        b"\t",
        b"\x0B",
        b"\n",
        b"\x00",
        b"d",
        b"D",
        b"x",
        b".",
        b"e",
        b"\xC3\xA9",
        b"\xC2\xA0",
    ];
    for _ in 0..12000 * scale() {
        inputs.push(rng.string(alphabet, 10));
    }
    for _ in 0..1000 * scale() {
        let mut s = Vec::new();
        if rng.chance(30) {
            s.push(rng.pick(b"+- "));
        }
        if rng.chance(20) {
            s.extend_from_slice(b"0d");
        }
        let n = 1 + rng.below(60);
        for (i, d) in rng.digits(n).into_iter().enumerate() {
            if i > 0 && rng.chance(10) {
                s.push(b'_');
            }
            s.push(d);
        }
        inputs.push(s);
    }

    let lines: Vec<String> = inputs.iter().map(|s| hex(s)).collect();
    let script = r##"
        File.foreach(ARGV[0], chomp: true) do |line|
          puts [line].pack("H*").force_encoding(Encoding::UTF_8).to_i.to_s
        end
    "##;
    let Some(ruby) = run_ruby("to_i", script, &lines) else {
        return;
    };
    compare("String#to_i", &lines, &ruby, |line| to_i(&unhex(line)).to_string());
}

#[test]
fn whitespace_matches_ruby() {
    let mut rng = Rng::new(0xB1A4C);
    let mut lines = Vec::new();
    // Every code point: blank?, whether it separates `split` pieces, whether `strip` removes it.
    let mut lo = 0u32;
    while lo <= 0x10FFFF {
        let hi = (lo + 0x7FFF).min(0x10FFFF);
        lines.push(format!("R {lo} {hi}"));
        lo = hi + 1;
    }
    let alphabet: &[&[u8]] = &[
        b" ",
        b"\t",
        b"\n",
        b"\x0B",
        b"\x0C",
        b"\r",
        b"\x00",
        b"a",
        b"b",
        b"\x1C",
        b"\xC2\xA0",
        b"\xC2\x85",
        b"\xE3\x80\x80",
        b"\xE2\x80\x8B",
        b"\xE2\x80\xA8",
        b"\xEF\xBB\xBF",
        b"\xFF",
        b"\x85",
        b"\xA0",
        b"\xC3\xA9",
    ];
    for _ in 0..6000 * scale() {
        lines.push(format!("S {}", hex(&rng.string(alphabet, 8))));
    }

    let script = r##"
        BLANK_RE = /\A[[:space:]]*\z/
        def blank(s) = s.empty? || BLANK_RE.match?(s)
        def attempt
          yield
        rescue ArgumentError
          "E"
        end
        File.foreach(ARGV[0], chomp: true) do |line|
          kind, rest = line[0], line[2..]
          if kind == "R"
            lo, hi = rest.split.map(&:to_i)
            bl = +""; sp = +""; st = +""
            (lo..hi).each do |c|
              next if c.between?(0xD800, 0xDFFF)
              s = [c].pack("U")
              bl << (blank(s) ? "1" : "0")
              sp << (("a" + s + "b").split.size > 1 ? "1" : "0")
              st << (s.strip.empty? ? "1" : "0")
            end
            puts "#{bl} #{sp} #{st}"
          else
            u = [rest].pack("H*").force_encoding(Encoding::UTF_8)
            b = u.b
            split = ->(x) { x.split.map { |p| p.unpack1("H*") }.join(",") }
            puts [
              attempt { blank(u) ? "1" : "0" },
              blank(b) ? "1" : "0",
              attempt { u.strip.unpack1("H*") },
              attempt { split.(u) },
              b.strip.unpack1("H*"),
              split.(b),
            ].join("|")
          end
        end
    "##;
    let Some(ruby) = run_ruby("whitespace", script, &lines) else {
        return;
    };
    let bit = |b: bool| if b { '1' } else { '0' };
    let split = |bytes: &[u8]| ruby_split_whitespace(bytes).map(hex).collect::<Vec<_>>().join(",");
    compare("blank?/strip/split", &lines, &ruby, |line| {
        let (kind, rest) = (&line[..1], &line[2..]);
        if kind == "R" {
            let (lo, hi) = rest.split_once(' ').unwrap();
            let (lo, hi): (u32, u32) = (lo.parse().unwrap(), hi.parse().unwrap());
            let (mut bl, mut sp, mut st) = (String::new(), String::new(), String::new());
            let mut buf = [0u8; 4];
            for c in (lo..=hi).filter_map(char::from_u32) {
                let s: &str = c.encode_utf8(&mut buf);
                bl.push(bit(is_blank_utf8(s)));
                let sandwich = [b"a", s.as_bytes(), b"b"].concat();
                sp.push(bit(ruby_split_whitespace(&sandwich).count() > 1));
                st.push(bit(ruby_strip(s.as_bytes()).is_empty()));
            }
            format!("{bl} {sp} {st}")
        } else {
            let bytes = unhex(rest);
            let utf8 = std::str::from_utf8(&bytes).ok();
            let raise = |answer: String| {
                if utf8.is_some() {
                    answer
                } else {
                    "E".to_owned()
                }
            };
            [
                utf8.map_or("E".to_owned(), |s| bit(is_blank_utf8(s)).to_string()),
                bit(is_blank_binary(&bytes)).to_string(),
                ruby_strip_utf8(&bytes).map_or("E".to_owned(), hex),
                raise(split(&bytes)),
                hex(ruby_strip(&bytes)),
                split(&bytes),
            ]
            .join("|")
        }
    });
}
