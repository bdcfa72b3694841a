#!/usr/bin/env bash
# The short fuzz run for `make test`, in two passes per target:
#
# 1. Exploration at speed. Built without a sanitizer (debug assertions and
#    overflow checks stay on, so a panic, an overflow or an abort is a crash),
#    each target runs from its committed seeds for FUZZ_SECONDS (default 45)
#    and prints libFuzzer's execution count and rate. A crash, a unit over 10 s
#    or running out of memory fails the run.
# 2. The sanitizer pass. Built with AddressSanitizer, the committed seeds and
#    every input the exploration kept are run once more, with LeakSanitizer on:
#    a memory error or a leak fails the run. (LeakSanitizer scans the heap after
#    each input whose allocations outlive it, such as the sessions the engine
#    keeps: most of the time of an AddressSanitizer build went to those scans,
#    which is why they are a pass of their own.)
#
# New inputs go to target/corpus-work/<target>, so corpus/ stays as committed.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-45}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
targets=(server_bytes options certinfo chain pfx)

# A fresh machine: the nightly toolchain and cargo-fuzz, once.
rustup run "$toolchain" rustc --version >/dev/null 2>&1 ||
    rustup toolchain install "$toolchain" --profile minimal
cargo "+$toolchain" fuzz --version >/dev/null 2>&1 ||
    cargo "+$toolchain" install --locked cargo-fuzz --version 0.13.2

triple=$(rustc "+$toolchain" -vV | sed -n 's/^host: //p')
fast_dir=target/no-sanitizer
start=$(date +%s)
cargo "+$toolchain" fuzz build --sanitizer none --target-dir "$fast_dir"
cargo "+$toolchain" fuzz build
echo "fuzz build: $(($(date +%s) - start)) s"

final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

# Runs a command with its output in the log named first; sets `result` to ok,
# or to FAILED (and `failed` to 1).
run_logged() {
    local log=$1
    shift
    if "$@" >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        failed=1
    fi
}

# A failed pass's report (the panic or the sanitizer's), and where libFuzzer
# saved the input.
show_failure() {
    grep -E -A 30 "panicked at|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)" "$1" |
        head -n 60 || tail -n 40 "$1"
    grep -E "Test unit written to" "$1" || true
}

failed=0
for target in "${targets[@]}"; do
    work="target/corpus-work/$target"
    fresh="target/corpus-fresh/$target"
    log="target/fuzz-$target.log"
    asan_log="target/fuzz-$target-asan.log"
    mkdir -p "$work" "artifacts/$target"
    rm -rf "$fresh" && mkdir -p "$fresh"
    marker=$(mktemp)
    extra=()
    if [[ -f "dict/$target.dict" ]]; then
        extra+=("-dict=dict/$target.dict")
    fi

    # 1. Exploration, without a sanitizer.
    run_logged "$log" "$fast_dir/$triple/release/$target" "$work" "corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/" "${extra[@]}"
    executions=$(final_stat number_of_executed_units "$log")
    rate=$(final_stat average_exec_per_sec "$log")
    slowest=$(final_stat slowest_unit_time_sec "$log")
    echo "fuzz $target: $result, ${executions:-0} executions in ${seconds} s" \
        "(${rate:-0}/s, slowest unit ${slowest:-?} s) (log: fuzz/$log)"
    if [[ $result != ok ]]; then
        show_failure "$log"
        rm -f "$marker"
        continue
    fi

    # 2. The committed seeds and what this run kept, under AddressSanitizer,
    #    with leak detection.
    find "$work" -type f -newer "$marker" -exec cp -t "$fresh" {} +
    rm -f "$marker"
    run_logged "$asan_log" "target/$triple/release/$target" "corpus/$target" "$fresh" \
        -runs=0 -detect_leaks=1 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/"
    inputs=$(final_stat number_of_executed_units "$asan_log")
    echo "fuzz $target under AddressSanitizer with leak detection: $result," \
        "${inputs:-0} inputs (the seeds and the $(find "$fresh" -type f | wc -l) new) (log: fuzz/$asan_log)"
    if [[ $result != ok ]]; then
        show_failure "$asan_log"
    fi
done
exit "$failed"
