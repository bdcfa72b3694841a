#!/usr/bin/env bash
# Folds a long run's merged corpus (target/corpus-min/<target>, run-long.sh)
# into the committed one (corpus/<target>): each input whose content no
# committed file has, under libFuzzer's name for it (the SHA-1 of its bytes).
#
#   fuzz/fold-corpus.sh [target...]     (default: every target merged)
set -euo pipefail
cd "$(dirname "$0")"

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=()
    for dir in target/corpus-min/*/; do
        targets+=("$(basename "$dir")")
    done
fi

for target in "${targets[@]}"; do
    known=$(mktemp)
    find "corpus/$target" -type f -exec sha1sum {} + | cut -c1-40 | sort -u >"$known"
    added=0
    for input in "target/corpus-min/$target"/*; do
        [[ -f $input ]] || continue
        sum=$(sha1sum <"$input" | cut -c1-40)
        if ! grep -qx "$sum" "$known"; then
            cp "$input" "corpus/$target/$sum"
            echo "$sum" >>"$known"
            added=$((added + 1))
        fi
    done
    rm -f "$known"
    echo "corpus/$target: $added inputs added, $(find "corpus/$target" -type f | wc -l) in all"
done
