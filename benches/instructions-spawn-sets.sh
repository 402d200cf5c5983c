#!/usr/bin/env bash
# Callgrind instructions per unit of `benches/spawn_sets.rs` (SpawnSet against JoinMap and
# JoinSet), for one built bench binary BIN (`cargo bench --bench spawn_sets --no-run`, or with
# `--profile bench-lto`). Method as benches/instructions-helpers.sh: per unit =
# ((Ir(large) - null(large)) - (Ir(small) - null(small))) / extra, the null run (`--only`
# matching nothing) cancelling the setup that grows with the size (the abort schedule). Needs
# valgrind; about 2 minutes.
#
#   bash benches/instructions-spawn-sets.sh target/release/deps/spawn_sets-<hash>
set -euo pipefail

if (($# != 1)); then
    echo "usage: $0 BIN" >&2
    exit 2
fi
BIN=$1
SMALL=20000
LARGE=40000
EXTRA=$((LARGE - SMALL))

ir() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$@" 2>&1 >/dev/null |
        awk '/Collected/ { print $4 }'
}

for workload in "rolling/N=64" "rolling/N=10000" "abort/N=64" "abort/N=10000"; do
    null_small=$(ir --only no-such-variant --items "$SMALL" "$workload")
    null_large=$(ir --only no-such-variant --items "$LARGE" "$workload")
    for variant in "asyncgen SpawnSet" "tokio-util JoinMap" "tokio JoinSet"; do
        case "$workload $variant" in abort*JoinSet) continue ;; esac
        small=$(ir --only "$variant" --items "$SMALL" "$workload")
        large=$(ir --only "$variant" --items "$LARGE" "$workload")
        echo "$workload | $variant | $((((large - null_large) - (small - null_small)) / EXTRA))"
    done
done
