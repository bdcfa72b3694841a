#!/usr/bin/env bash
# The long fuzz run (not part of `make test`): each target in turn, built
# without a sanitizer as in the short run, for FUZZ_MINUTES (default 480, eight
# hours) from its committed seeds; then what it kept is merged into a minimal
# corpus (libFuzzer's -merge=1, as `cargo fuzz cmin` does) and that corpus is
# run once under AddressSanitizer with leak detection. Prints, per target:
# executions, rate, coverage (edges and features), and the corpus size before
# and after minimizing. The minimized corpus is left in
# target/corpus-min/<target>; fold-corpus.sh adds it to corpus/<target>
# (README.md, "Long run").
#
#   FUZZ_MINUTES=60 FUZZ_JOBS=2 fuzz/run-long.sh [target...]
#
# FUZZ_JOBS runs that many processes per target (-fork); one per core at most.
set -euo pipefail
cd "$(dirname "$0")"

minutes="${FUZZ_MINUTES:-480}"
jobs="${FUZZ_JOBS:-1}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=(server_bytes options certinfo chain pfx)
fi

triple=$(rustc "+$toolchain" -vV | sed -n 's/^host: //p')
fast_dir=target/no-sanitizer
cargo "+$toolchain" fuzz build --sanitizer none --target-dir "$fast_dir"
cargo "+$toolchain" fuzz build

final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }
size() { find "$1" -type f | wc -l; }
bytes() { find "$1" -type f -exec cat {} + | wc -c; }

for target in "${targets[@]}"; do
    work="target/corpus-long/$target"
    minimal="target/corpus-min/$target"
    log="target/long-$target.log"
    mkdir -p "$work" "artifacts/$target"
    rm -rf "$minimal" && mkdir -p "$minimal"
    extra=()
    if [[ -f "dict/$target.dict" ]]; then
        extra+=("-dict=dict/$target.dict")
    fi
    if [[ $jobs -gt 1 ]]; then
        extra+=("-fork=$jobs" "-ignore_crashes=1")
    fi
    status=ok
    "$fast_dir/$triple/release/$target" "$work" "corpus/$target" \
        -max_total_time=$((minutes * 60)) -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/" "${extra[@]}" >"$log" 2>&1 || status=FAILED
    executions=$(final_stat number_of_executed_units "$log")
    rate=$(final_stat average_exec_per_sec "$log")
    coverage=$(grep -E "^#[0-9]+.*(DONE|pulse|NEW|REDUCE)" "$log" | tail -n 1 |
        sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p')
    # Merged into the fewest inputs that keep every feature.
    "$fast_dir/$triple/release/$target" -merge=1 "$minimal" "corpus/$target" "$work" \
        >"target/long-$target-merge.log" 2>&1 || status=FAILED
    # The minimal corpus under AddressSanitizer, with leak detection.
    "target/$triple/release/$target" "$minimal" -runs=0 -detect_leaks=1 -timeout=10 \
        -artifact_prefix="artifacts/$target/" >"target/long-$target-asan.log" 2>&1 || status=FAILED
    echo "fuzz $target (long): $status, ${executions:-0} executions in ${minutes} min" \
        "(${rate:-0}/s, $jobs job(s)); coverage ${coverage:-?};" \
        "corpus $(size "$work") inputs ($(bytes "$work") bytes) kept," \
        "$(size "$minimal") inputs ($(bytes "$minimal") bytes) after merging (log: fuzz/$log)"
done
