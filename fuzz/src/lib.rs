//! Helpers shared by the fuzz targets: the invariants every input must keep, stated once in
//! `tests/invariants/mod.rs` for the property tests, the hostile-input tests and these targets.

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

pub use invariants::{assert_check_invariants, assert_reader_invariants, french_new_decaying_average, Chunked};

/// The chunk sizes to stream `data` with (each 1 to 256 bytes, cycled): taken from its last
/// bytes, so that libFuzzer explores the boundaries too without changing the bytes parsed.
pub fn chunk_sizes(data: &[u8]) -> Vec<usize> {
    let tail = &data[data.len().saturating_sub(3)..];
    if tail.is_empty() {
        vec![7]
    } else {
        tail.iter().map(|&b| usize::from(b) + 1).collect()
    }
}
