#!/usr/bin/env bash
# The short fuzz run for `make test`: builds every target once, runs each from
# its committed seeds for FUZZ_SECONDS (default 45), prints one line per target
# with libFuzzer's execution count, and exits non-zero if any target crashed,
# hung (a unit over 10 s) or ran out of memory. New inputs go to
# target/corpus-work/<target>, so corpus/ stays as committed.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-45}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
targets=(server_bytes options certinfo pfx)

# A fresh machine: the nightly toolchain and cargo-fuzz, once.
rustup run "$toolchain" rustc --version >/dev/null 2>&1 ||
    rustup toolchain install "$toolchain" --profile minimal
cargo "+$toolchain" fuzz --version >/dev/null 2>&1 ||
    cargo "+$toolchain" install --locked cargo-fuzz --version 0.13.2

start=$(date +%s)
cargo "+$toolchain" fuzz build
echo "fuzz build: $(($(date +%s) - start)) s"

failed=0
for target in "${targets[@]}"; do
    work="target/corpus-work/$target"
    log="target/fuzz-$target.log"
    mkdir -p "$work"
    extra=()
    if [[ -f "dict/$target.dict" ]]; then
        extra+=("-dict=dict/$target.dict")
    fi
    if cargo "+$toolchain" fuzz run "$target" "$work" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 "${extra[@]}" \
        >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        failed=1
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz $target: $result, ${executions:-0} executions in ${seconds} s (log: fuzz/$log)"
    if [[ $result != ok ]]; then
        # The panic or sanitizer report, and where libFuzzer saved the input.
        grep -E -A 30 "panicked at|ERROR: (libFuzzer|AddressSanitizer)" "$log" | head -n 60 || tail -n 40 "$log"
        grep -E "Test unit written to" "$log" || true
    fi
done
exit "$failed"
