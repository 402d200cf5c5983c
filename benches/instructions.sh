#!/usr/bin/env bash
# Instructions per item of the `yield` bench's variants, counted by callgrind: the difference
# between runs of 200 000 and 100 000 items, divided by 100 000, so setup cancels out.
# Repeatable, unlike wall-clock times (BENCHMARKS.md). Needs valgrind; takes a few minutes.
#
# Two builds, which rank designs differently: the `bench` profile as cargo has it (16 codegen
# units, no LTO) and `bench-lto` (`lto = "thin"`, `codegen-units = 1`, in Cargo.toml).
#
#   bash benches/instructions.sh                  # the tables in BENCHMARKS.md, both builds
#   PROFILES=bench-lto bash benches/instructions.sh       # one build
#   bash benches/instructions.sh 'yield-u64/poll-loop/#[async_gen]' ..   # some variants
#   RUSTFLAGS="--cfg asyncgen_slot_in_stream" CARGO_TARGET_DIR=target/slot-in-stream \
#       bash benches/instructions.sh ..          # the yield without `std`'s route
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a profiles <<<"${PROFILES:-bench bench-lto}"

# The bench binary of a profile, built if needed.
binary() { # profile
    local dir=$1
    [ "$1" = bench ] && dir=release
    cargo bench --bench yield --no-run --quiet --profile "$1" 2>/dev/null
    ls -t "${CARGO_TARGET_DIR:-target}/$dir/deps/"yield-* | grep -v '\.d$' | head -n 1
}

instructions() { # binary, variant, items
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" --only "$2" --items "$3" 2>&1 \
        | awk '/Collected/ { print $4 }'
}

per_item() { # binary, variant
    local small large
    small=$(instructions "$1" "$2" 100000)
    large=$(instructions "$1" "$2" 200000)
    awk -v a="$small" -v b="$large" 'BEGIN { printf "%.0f", (b - a) / 100000 }'
}

for profile in "${profiles[@]}"; do
    bench=$(binary "$profile")
    if (($# > 0)); then
        for variant in "$@"; do
            printf '%-12s %-50s %s\n' "$profile" "$variant" "$(per_item "$bench" "$variant")"
        done
        continue
    fi
    printf '\n`--profile %s`\n\n' "$profile"
    peers=('hand-written' '#[async_gen]' 'asyncgen::stream!' 'async_stream::stream!' 'asynk_strim::stream_fn')
    printf '| workload / consumer |'
    for peer in "${peers[@]}"; do printf ' %s |' "$peer"; done
    printf '\n|---|'
    for _ in "${peers[@]}"; do printf -- '---|'; done
    printf '\n'
    for group in yield-u64/poll-loop yield-u64/async-for await-then-yield/async-for \
        yield-string/poll-loop yield-string/async-for; do
        printf '| %s |' "$group"
        for peer in "${peers[@]}"; do printf ' %s |' "$(per_item "$bench" "$group/$peer")"; done
        printf '\n'
    done
    for group in iterator/for-loop iterator/made-in-place; do
        printf '| %s | %s (`from_fn`: %s) | `#[generator]`: %s | `iter!`: %s | - | - |\n' "$group" \
            "$(per_item "$bench" "$group/hand-written")" \
            "$(per_item "$bench" "$group/std::iter::from_fn")" \
            "$(per_item "$bench" "$group/#[generator]")" \
            "$(per_item "$bench" "$group/asyncgen::iter!")"
    done
done
