//! `outcomes-bare FILE`: the floor `scripts/bench.sh` compares every mode with — the csv crate's
//! `read_byte_record` into one reused `ByteRecord`, once over FILE — printing the same line as
//! `outcomes-gen measure`.
//!
//! It is a binary of its own so that nothing we write moves it. Run from `outcomes-gen`, the same
//! csv code ran 27% faster or slower from one of our builds to the next with the same instruction
//! count, only because the linker placed `csv_core`'s loop differently among our code. Here it is
//! linked with the csv crate and a few lines of std alone.

use std::fs::File;
use std::process::ExitCode;
use std::time::Instant;

use outcomes_gen::report::{line, Pass};

/// The csv crate's buffer, set to our reader's chunk size, so that the two differ in tokenizing
/// only, not in how many `read` calls they make.
const BUFFER: usize = 64 * 1024;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: outcomes-bare FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        Err(e) => {
            eprintln!("outcomes-bare: {}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    match read(&path) {
        Ok(pass) => {
            println!("{}", line("bare", bytes, start.elapsed(), pass));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("outcomes-bare: {}: {e}", path.to_string_lossy());
            ExitCode::from(1)
        }
    }
}

fn read(path: &std::ffi::OsStr) -> Result<Pass, Box<dyn std::error::Error>> {
    // `flexible` only skips the equal-length check, so ragged files can be measured too.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(BUFFER)
        .from_reader(File::open(path)?);
    let mut record = csv::ByteRecord::new();
    let mut records = 0;
    while reader.read_byte_record(&mut record)? {
        records += 1;
    }
    Ok(Pass { records, diagnostics: 0 })
}
