//! `outcomes_fix::plan` over arbitrary bytes: never panics; when it succeeds, its output reads
//! without a syntax error, planning the output again changes nothing (idempotent), and a plan
//! without fixes leaves the bytes exactly as they were.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcomes_csv::{Reader, Record};
use outcomes_fix::{plan, FixOptions};
use outcomes_lint_fuzz::french_new_decaying_average;

fuzz_target!(|data: &[u8]| {
    // The account settings matter to `parents-first`; let one bit of the input pick them.
    let options = if data.len() % 2 == 1 {
        FixOptions { canvas: french_new_decaying_average(), ..FixOptions::default() }
    } else {
        FixOptions::default()
    };
    let Ok(fixed) = plan(data, &options) else {
        return;
    };
    if fixed.fixes.is_empty() {
        assert_eq!(fixed.output, data, "no fixes, yet the bytes changed");
    } else {
        assert_ne!(fixed.output, data, "fixes reported, yet nothing changed");
    }
    let mut reader = Reader::new(&fixed.output[..]).expect("reading from memory");
    let mut record = Record::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => panic!("the fixed file does not read: {e}"),
        }
    }
    let again = match plan(&fixed.output, &options) {
        Ok(again) => again,
        Err(e) => panic!("the fixed file cannot be planned again: {e}"),
    };
    assert!(again.fixes.is_empty(), "not idempotent: {:?}", again.fixes);
    assert_eq!(again.output, fixed.output);
});
