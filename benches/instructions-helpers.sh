#!/usr/bin/env bash
# Callgrind instructions per item of the helpers' hot paths and of the yield, in both bench
# builds (`--profile bench`: release, no LTO; `--profile bench-lto`: thin LTO, codegen-units =
# 1), for the source tree TREE (a checkout or a `git worktree` of any commit), built into
# TARGET_DIR; the table goes to OUT (and stdout). Two trees measured so give a before/after
# (BENCHMARKS.md, "What changed (issue 27)"). Needs valgrind and jq; takes about 10 minutes.
#
#   git worktree add --detach ../before <commit>
#   bash benches/instructions-helpers.sh ../before target/before before.txt
#   bash benches/instructions-helpers.sh . target/after after.txt
#
# Method (BENCHMARKS.md): per item = (Ir of a run with more items - Ir of a run with fewer) /
# (extra items), `valgrind --tool=callgrind --callgrind-out-file=/dev/null BIN --only NAME ..`.
#
# The concurrency and sets benches do setup outside the variant that also grows with the item
# count (checksums such as `Helper::expected`, woken merge schedules, `Work::new`'s random
# positions), and `--only` does not skip it: in `concurrency`, the setup of EVERY group runs
# whatever `--only`/the filter word say; in `sets`, the filter word skips other groups' setup.
# So each workload is also run with the same options and `--only` matching nothing (the "null"
# run) at both sizes, and
#   raw = (Ir(large) - Ir(small)) / extra                       (the BENCHMARKS.md formula)
#   net = ((Ir(large) - null(large)) - (Ir(small) - null(small))) / extra
# `net` is the variant's own run (the helper plus the bench driver's per-item work, the same
# for every peer); `raw` also carries the setup growth of the whole binary, which depends on
# the sizes chosen (merge of 2: raw 194 at 100k->200k, 173 at 200k->400k; net 60 at both).
# A net of -1 means the --only/filter pair matched no variant (check the names in the tree).
# Checked on b6a3f3d with callgrind_annotate: each real run runs exactly one variant closure
# (merge_variants / gather_variants / as_completed_variants / stream_variants), the null runs
# none; a repeated row gives bit-identical Ir.
#
# The yield rows come from TREE's own `benches/instructions.sh` (100 000 vs 200 000 items, no
# null run); the setup growth it carries is printed as the "yield null drift" row.
#
# Env: PROFILES (default "bench bench-lto"); QUICK=1 measures merge of 64 ready sources,
# `as_completed` of 1 000 ready futures and `StreamSet` steady/ready only (a few minutes).
set -euo pipefail

if (($# != 3)); then
    echo "usage: $0 TREE TARGET_DIR OUT" >&2
    exit 2
fi
TREE=$(realpath "$1")
export CARGO_TARGET_DIR
CARGO_TARGET_DIR=$(realpath -m "$2")
OUT=$(realpath -m "$3")
read -r -a profiles <<<"${PROFILES:-bench bench-lto}"
LOG=${OUT%.txt}.log
: >"$LOG"
NOMATCH='no-such-variant-for-callgrind'

exec 3>&1
emit() { printf "$@" | tee -a "$OUT" >&3; }
note() { printf '[%s] %s\n' "$(date +%T)" "$*" >>"$LOG"; printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# Ir of one run: ir BIN ARGS..; fails if the program fails (a checksum assert, a bad option).
ir() {
    local out rc=0
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null) || rc=$?
    if ((rc != 0)); then
        printf '%s\n' "$out" >>"$LOG"
        echo "FAILED ($rc): valgrind $*" >&2
        exit 1
    fi
    awk '/Collected/ { print $4 }' <<<"$out"
}

# Builds `cargo bench --no-run --profile PROFILE ARGS..` in TREE; prints "name path" per bench.
build() { # profile, cargo args..
    local profile=$1
    shift
    note "cargo bench --no-run --profile $profile $*"
    (cd "$TREE" && cargo bench --no-run --profile "$profile" "$@" --message-format=json 2>>"$LOG") |
        jq -r 'select(.reason == "compiler-artifact" and .executable != null)
               | "\(.target.name) \(.executable)"'
}

# One row: row LABEL BIN ONLY FILTER "SMALL ARGS" "LARGE ARGS" EXTRA_ITEMS
# Prints raw and net per item, and the variant's own Ir at the large size (net total).
row() {
    local label=$1 bin=$2 only=$3 filter=$4 extra=$7
    local -a small large
    read -r -a small <<<"$5"
    read -r -a large <<<"$6"
    local rs rl ns nl
    rs=$(ir "$bin" --only "$only" "${small[@]}" "$filter")
    rl=$(ir "$bin" --only "$only" "${large[@]}" "$filter")
    ns=$(ir "$bin" --only "$NOMATCH" "${small[@]}" "$filter")
    nl=$(ir "$bin" --only "$NOMATCH" "${large[@]}" "$filter")
    note "$label: only=[$only] filter=[$filter] small=[$5] large=[$6] extra=$extra Ir: $rs $rl null: $ns $nl"
    awk -v label="$label" -v rs="$rs" -v rl="$rl" -v ns="$ns" -v nl="$nl" -v extra="$extra" \
        -v profile="$profile" 'BEGIN {
            raw = (rl - rs) / extra
            net = ((rl - nl) - (rs - ns)) / extra
            # The variant must have run: at least 1 instruction per item over the null run.
            if (rl - nl < extra || rs - ns <= 0) { printf "NOT RUN? %s\n", label > "/dev/stderr"; net = -1 }
            printf "| %-10s | %-44s | %10.1f | %10.1f | %8d |\n", profile, label, net, raw, extra
        }' | tee -a "$OUT" >&3
}

: >"$OUT"
emit '# asyncgen callgrind instructions per item\n\n'
emit 'tree: %s (%s%s)\n' "$TREE" "$(git -C "$TREE" rev-parse --short HEAD)" \
    "$(git -C "$TREE" diff --quiet HEAD -- . && echo ', clean' || echo ', WITH UNCOMMITTED CHANGES')"
emit 'target dir: %s\n%s; %s; %s\n' "$CARGO_TARGET_DIR" "$(rustc --version)" "$(valgrind --version)" "$(date -u +%FT%TZ)"
emit '\nnet = per item of the variant alone (null run subtracted); raw = BENCHMARKS.md formula on\n'
emit 'whole-program Ir (includes setup that grows with the item count). Yield rows: instructions.sh\n'
emit '(raw, integer); its setup growth is the "yield null drift" row (subtract it for net).\n\n'
emit '| profile    | workload                                     |   net/item |   raw/item |    extra |\n'
emit '|------------|----------------------------------------------|------------|------------|----------|\n'

yield_variants=(
    'yield-u64/poll-loop/#[async_gen]'
    'yield-u64/async-for/#[async_gen]'
    'await-then-yield/async-for/#[async_gen]'
    'yield-string/poll-loop/#[async_gen]'
    'yield-string/async-for/#[async_gen]'
    'yield-u64/poll-loop/asyncgen::stream!'
)

for profile in "${profiles[@]}"; do
    # BENCHMARKS.md: concurrency and sets are measured with `--no-default-features` (no tokio
    # cooperative budget, as the peers).
    bins=$(build "$profile" --no-default-features --bench concurrency --bench sets)
    conc=$(awk '$1 == "concurrency" { print $2 }' <<<"$bins")
    sets=$(awk '$1 == "sets" { print $2 }' <<<"$bins")
    [ -x "$conc" ] && [ -x "$sets" ] || { echo "build failed, see $LOG" >&2; exit 1; }
    note "$profile: concurrency=$conc sets=$sets"

    # merge/ready: `--items T` = total items; per stream T / N (>= 10), so N=64 runs
    # 64 * floor(T / 64) items: 99 968 at 100 000, 200 000 at 200 000.
    row 'merge/ready/N=2 asyncgen merge(Vec)' "$conc" 'asyncgen merge(Vec)' 'merge/ready/N=2 (' \
        '--items 100000' '--items 200000' $((200000 / 2 * 2 - 100000 / 2 * 2))
    row 'merge/ready/N=64 asyncgen merge(Vec)' "$conc" 'asyncgen merge(Vec)' 'merge/ready/N=64 (' \
        '--items 100000' '--items 200000' $((200000 / 64 * 64 - 100000 / 64 * 64))
    row 'merge/woken/N=64 asyncgen merge(Vec)' "$conc" 'asyncgen merge(Vec)' 'merge/woken/N=64 (' \
        '--items 100000' '--items 200000' $((200000 / 64 * 64 - 100000 / 64 * 64))

    if [ -n "${QUICK:-}" ]; then
        row "as_completed/ready/N=1000 (per future)" "$conc" 'asyncgen as_completed' \
            "as_completed/ready/N=1000 (" '--items 10000 --quick' '--items 10000' 190000
        row 'steady/ready/N=64 asyncgen StreamSet' "$sets" 'asyncgen StreamSet' 'steady/ready/N=64 (' \
            '--items 100000' '--items 200000' 100000
        continue
    fi

    # The gather family ignores `--items`: 10 000 futures with `--quick`, 200 000 without
    # (10 and 200 gathers of 1 000). `--items 10000` in both only keeps merge's setup equal.
    for kind in ready woken; do
        row "as_completed/$kind/N=1000 (per future)" "$conc" 'asyncgen as_completed' \
            "as_completed/$kind/N=1000 (" '--items 10000 --quick' '--items 10000' 190000
        row "gather/$kind/N=1000 (per future)" "$conc" 'asyncgen gather' \
            "gather/$kind/N=1000 (" '--items 10000 --quick' '--items 10000' 190000
    done

    # sets: `--items M` = items handed out.
    row 'steady/ready/N=64 asyncgen StreamSet' "$sets" 'asyncgen StreamSet' 'steady/ready/N=64 (' \
        '--items 100000' '--items 200000' 100000
    row 'steady/woken/N=64 asyncgen StreamSet' "$sets" 'asyncgen StreamSet' 'steady/woken/N=64 (' \
        '--items 100000' '--items 200000' 100000

    # yield: the tree's own script (default features, as it builds them).
    note "$profile: benches/instructions.sh"
    (cd "$TREE" && PROFILES=$profile bash benches/instructions.sh "${yield_variants[@]}") \
        2>>"$LOG" | while read -r p variant value; do
        printf '| %-10s | %-44s | %10s | %10s | %8d |\n' "$p" "$variant" '' "$value" 100000
    done | tee -a "$OUT" >&3
    ybin=$(build "$profile" --bench yield | awk '$1 == "yield" { print $2 }')
    ys=$(ir "$ybin" --only "$NOMATCH" --items 100000)
    yl=$(ir "$ybin" --only "$NOMATCH" --items 200000)
    note "$profile: yield null Ir $ys $yl ($ybin)"
    awk -v a="$ys" -v b="$yl" -v profile="$profile" 'BEGIN {
        printf "| %-10s | %-44s | %10s | %10.1f | %8d |\n", profile,
            "yield null drift (setup, in every yield row)", "", (b - a) / 100000, 100000 }' |
        tee -a "$OUT" >&3
done

[ -n "${QUICK:-}" ] && exit 0

# Repeatability: one row again (every run is deterministic up to a few instructions).
profile=${profiles[0]}
conc=$(build "$profile" --no-default-features --bench concurrency | awk '$1 == "concurrency" { print $2 }')
emit '\nrepeat (stability check):\n'
row 'merge/ready/N=64 asyncgen merge(Vec) (again)' "$conc" 'asyncgen merge(Vec)' 'merge/ready/N=64 (' \
    '--items 100000' '--items 200000' $((200000 / 64 * 64 - 100000 / 64 * 64))
row 'as_completed/ready/N=1000 (again)' "$conc" 'asyncgen as_completed' \
    'as_completed/ready/N=1000 (' '--items 10000 --quick' '--items 10000' 190000
