#!/usr/bin/env bash
# Folds a long run's merged corpus (target/corpus-min/<target>, run-long.sh)
# into the committed one (corpus/<target>): each input whose content no
# committed file has and that runs in at most FOLD_MAX_MS milliseconds
# (default 20) more than an empty input, under libFuzzer's name for it (the
# SHA-1 of its bytes). Slower inputs stay out: the short run mutates what is
# committed, and a few slow ones (an scrypt key, say) would take most of its
# 45 s. Uses the build without a sanitizer that run-long.sh made.
#
#   fuzz/fold-corpus.sh [target...]     (default: every target merged)
set -euo pipefail
cd "$(dirname "$0")"

max_ms="${FOLD_MAX_MS:-20}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
triple=$(rustc "+$toolchain" -vV | sed -n 's/^host: //p')
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=()
    for dir in target/corpus-min/*/; do
        targets+=("$(basename "$dir")")
    done
fi

# Milliseconds one run of the target on the file takes, start-up included.
run_ms() {
    local start end
    start=$(date +%s%N)
    "$1" "$2" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

for target in "${targets[@]}"; do
    binary="target/no-sanitizer/$triple/release/$target"
    empty=$(mktemp)
    baseline=$(run_ms "$binary" "$empty")
    for _ in 1 2 3; do
        again=$(run_ms "$binary" "$empty")
        baseline=$((again < baseline ? again : baseline))
    done
    known=$(mktemp)
    find "corpus/$target" -type f -exec sha1sum {} + | cut -c1-40 | sort -u >"$known"
    added=0
    slow=0
    for input in "target/corpus-min/$target"/*; do
        [[ -f $input ]] || continue
        sum=$(sha1sum <"$input" | cut -c1-40)
        if grep -qx "$sum" "$known"; then
            continue
        fi
        if (($(run_ms "$binary" "$input") - baseline > max_ms)); then
            slow=$((slow + 1))
            continue
        fi
        cp "$input" "corpus/$target/$sum"
        echo "$sum" >>"$known"
        added=$((added + 1))
    done
    rm -f "$known" "$empty"
    echo "corpus/$target: $added inputs added ($slow slower than ${max_ms} ms left out)," \
        "$(find "corpus/$target" -type f | wc -l) in all"
done
