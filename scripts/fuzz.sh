#!/usr/bin/env bash
# Builds and runs the fuzz targets (fuzz/fuzz_targets/) for SECONDS each (default 60).
#
#   scripts/fuzz.sh                  every target, 60 s each
#   scripts/fuzz.sh 600              every target, 10 minutes each
#   scripts/fuzz.sh 300 check fix    only these targets
#   FUZZ_SANITIZER=none scripts/fuzz.sh   without AddressSanitizer (about twice the executions;
#                                         our crates forbid `unsafe`, so it finds the same panics)
#
# Works on a stable toolchain: cargo-fuzz passes nightly-only flags to rustc (-Zsanitizer, the
# coverage instrumentation), which stable accepts with RUSTC_BOOTSTRAP=1. cargo-fuzz is installed
# when missing. Each target's corpus (fuzz/corpus/TARGET) is seeded with every fixtures/**/*.csv
# and fixtures/regressions/*; what libFuzzer adds stays there for the next run (it is not in git).
# A failure stops the script with libFuzzer's report; the input is saved in
# fuzz/artifacts/TARGET/ — replay it with `RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET FILE`, and
# keep it as a regression test (tests/hostile.rs or fixtures/regressions/).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-60}"
[ $# -gt 0 ] && shift
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(parser check fix)
SANITIZER="${FUZZ_SANITIZER:-address}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "--- installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi
if ! rustc -V | grep -q nightly; then
  # cargo-fuzz's -Z flags, on a stable compiler.
  export RUSTC_BOOTSTRAP=1
fi

echo "--- building the fuzz targets (sanitizer: $SANITIZER)"
build_start=$(date +%s)
for target in "${TARGETS[@]}"; do
  cargo fuzz build --sanitizer "$SANITIZER" "$target"
done
echo "    built in $(( $(date +%s) - build_start )) s"

for target in "${TARGETS[@]}"; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  # Seeds: every fixture (named after its path, so reruns overwrite rather than duplicate) and
  # every kept regression input.
  while IFS= read -r -d '' file; do
    name="${file#fixtures/}"
    cp "$file" "$corpus/seed-${name//\//_}"
  done < <(find fixtures -type f \( -name '*.csv' -o -path 'fixtures/regressions/*' \) -print0)
  echo "--- fuzzing $target for $SECONDS_PER_TARGET s ($(find "$corpus" -type f | wc -l) inputs in its corpus)"
  # libFuzzer's progress lines are left out; its report of a failure is not.
  set +e
  cargo fuzz run --sanitizer "$SANITIZER" "$target" "$corpus" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
    ${FUZZ_ARGS:-} 2>&1 | grep -Ev '^(#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|INFO: |MS: )'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "fuzz target $target failed (exit $status); the input is in fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
done
echo "--- fuzzing: no failure"
