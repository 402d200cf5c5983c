#!/usr/bin/env bash
# Instructions per item of the `yield` bench's variants, counted by callgrind: the difference
# between runs of 200 000 and 100 000 items, divided by 100 000, so setup cancels out.
# Repeatable, unlike wall-clock times (BENCHMARKS.md). Needs valgrind; takes a few minutes.
#
#   bash benches/instructions.sh                  # the table in BENCHMARKS.md
#   bash benches/instructions.sh 'yield-u64/poll-loop/#[async_gen]' ..   # some variants
set -euo pipefail
cd "$(dirname "$0")/.."

cargo bench --bench yield --no-run --quiet 2>/dev/null
bench=$(ls -t target/release/deps/yield-* | grep -v '\.d$' | head -n 1)

instructions() { # variant, items
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" --only "$1" --items "$2" 2>&1 \
        | awk '/Collected/ { print $4 }'
}

per_item() { # variant
    local small large
    small=$(instructions "$1" 100000)
    large=$(instructions "$1" 200000)
    awk -v a="$small" -v b="$large" 'BEGIN { printf "%.0f", (b - a) / 100000 }'
}

if (($# > 0)); then
    for variant in "$@"; do
        printf '%-50s %s\n' "$variant" "$(per_item "$variant")"
    done
    exit
fi

peers=('hand-written' '#[async_gen]' 'asyncgen::stream!' 'async_stream::stream!' 'asynk_strim::stream_fn')
printf '| workload / consumer |'
for peer in "${peers[@]}"; do printf ' %s |' "$peer"; done
printf '\n|---|'
for _ in "${peers[@]}"; do printf -- '---|'; done
printf '\n'
for group in yield-u64/poll-loop yield-u64/async-for await-then-yield/async-for \
    yield-string/poll-loop yield-string/async-for; do
    printf '| %s |' "$group"
    for peer in "${peers[@]}"; do printf ' %s |' "$(per_item "$group/$peer")"; done
    printf '\n'
done
printf '| iterator/for-loop | %s (`from_fn`: %s) | `#[generator]`: %s | `iter!`: %s | - | - |\n' \
    "$(per_item 'iterator/for-loop/hand-written')" \
    "$(per_item 'iterator/for-loop/std::iter::from_fn')" \
    "$(per_item 'iterator/for-loop/#[generator]')" \
    "$(per_item 'iterator/for-loop/asyncgen::iter!')"
