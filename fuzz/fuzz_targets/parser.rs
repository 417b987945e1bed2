//! The CSV reader over arbitrary bytes: never panics; records are contiguous, in order and
//! inside the input; cells lie inside their record; reading in small chunks (as from a pipe)
//! gives exactly the same records and error as reading at once. The invariants are the ones of
//! `tests/invariants/mod.rs`, shared with the property tests.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outcomes_lint_fuzz::{assert_reader_invariants, chunk_sizes, Chunked};

fuzz_target!(|data: &[u8]| {
    let whole = assert_reader_invariants(data, data);
    let chunked = assert_reader_invariants(data, Chunked::new(data, chunk_sizes(data)));
    assert_eq!(whole, chunked, "chunk boundaries must not change what is read");
});
