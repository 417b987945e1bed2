//! The whole check over arbitrary bytes, with default account options and with a French
//! locale and the new decaying average: never panics; Canvas's `processing_errors` are sorted by
//! row; every row is one the file has, every span and related span lies inside the input; and
//! streaming the bytes in small chunks (as from a pipe) gives exactly the same diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcomes_lint_fuzz::{assert_check_invariants, chunk_sizes, french_new_decaying_average, Chunked};
use outcomes_rules::{check_bytes, check_reader, CanvasOptions};

fn check(data: &[u8], options: &CanvasOptions) {
    let checked = check_bytes(data, options);
    assert_check_invariants(data, &checked);
    let streamed = match check_reader(Chunked::new(data, chunk_sizes(data)), options) {
        Ok(streamed) => streamed,
        Err(e) => panic!("streaming from memory failed: {e}"),
    };
    assert_eq!(checked.diagnostics, streamed.diagnostics, "chunk boundaries must not change the check");
    assert_eq!(checked.records, streamed.records);
}

fuzz_target!(|data: &[u8]| {
    check(data, &CanvasOptions::default());
    check(data, &french_new_decaying_average());
});
