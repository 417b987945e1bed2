//! The one line a timed pass prints, shared by `outcomes-gen measure` and `outcomes-bare`, so
//! that `scripts/bench.sh` reads every mode's figures the same way.

use std::time::Duration;

/// What one pass over a file saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pass {
    /// Records read, the header included.
    pub records: u64,
    /// Diagnostics reported (0 for the modes that only read).
    pub diagnostics: u64,
}

/// The `key=value` line `scripts/bench.sh` parses: time, MB/s (10^6 bytes), rows/s and the
/// process's peak RSS.
pub fn line(mode: &str, bytes: u64, elapsed: Duration, pass: Pass) -> String {
    let seconds = elapsed.as_secs_f64();
    format!(
        "mode={mode} bytes={bytes} records={} diagnostics={} seconds={seconds:.4} mb_per_s={:.1} rows_per_s={:.0} peak_rss_kib={}",
        pass.records,
        pass.diagnostics,
        bytes as f64 / 1e6 / seconds,
        pass.records as f64 / seconds,
        peak_rss_kib().map_or_else(|| "?".to_owned(), |k| k.to_string()),
    )
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`), in KiB. Linux only.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_carries_every_figure_bench_sh_reads() {
        let line = line("bare", 2_000_000, Duration::from_secs(2), Pass { records: 10, diagnostics: 3 });
        for key in [
            "mode=bare",
            "bytes=2000000",
            "records=10",
            "diagnostics=3",
            "seconds=2.0000",
            "mb_per_s=1.0",
            "rows_per_s=5",
        ] {
            assert!(line.split(' ').any(|kv| kv == key), "{key} missing from {line}");
        }
        assert!(line.split(' ').any(|kv| kv.starts_with("peak_rss_kib=")), "{line}");
    }
}
