#!/usr/bin/env bash
# Does the policy seam cost cpython-3.11 anything? Replays the standard `web`
# and `cache` workloads under cpython-3.11 with today's build and with the
# build of BASE_REV (default: the commit before the policy seam, 8a9cf96^),
# and prints one Markdown row per workload for docs/performance.md:
#
#   bash bench/policy_overhead.sh [BASE_REV]          # web 10M, cache 2M live
#   bash bench/policy_overhead.sh --quick [BASE_REV]  # web 1M, cache 200k live
#
# The measure is instructions per event, which does not depend on the load
# of this shared machine: `perf stat -e instructions:u` where the CPU exposes
# the counter, else valgrind's callgrind (Ir, the same count of user-space
# instructions) on a tenth of the events. User CPU (median of 3 native runs)
# is given beside it as a secondary guide, with the load average.
#
# BASE_REV is built in a scratch worktree ($SCRATCH/base-REV, `git worktree
# add --detach`; removed again with `git worktree remove`), Release, ccache,
# the heapsim target only. HEAPSIM=PATH uses an existing build of today's tree
# instead of building one into $BUILD.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${HEAPSIM_BENCH_BUILD:-$ROOT/build-bench}
SCRATCH=${HEAPSIM_BENCH_SCRATCH:-$BUILD/workloads}
MODE=standard
BASE_REV=
for arg in "$@"; do
    case $arg in
        --quick) MODE=quick ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        -*) echo "bench/policy_overhead.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
        *) BASE_REV=$arg ;;
    esac
done
# The policy seam is commit 8a9cf96 ("Policy seam: per-version traits table,
# ..."); its parent is the last build with 3.11's rules written into Heap.
BASE_REV=${BASE_REV:-8a9cf96^}
if [[ $MODE == quick ]]; then
    WEB_EVENTS=1000000 LIVE_OBJECTS=200000
else
    WEB_EVENTS=10000000 LIVE_OBJECTS=2000000
fi
REPS=3

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench/policy_overhead.sh: %s\n' "$*" >&2; exit 2; }
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$ROOT")}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# build_heapsim SRC BUILD_DIR: a Release heapsim from SRC.
build_heapsim() {
    cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
        -DHEAPSIM_BENCH=OFF -DHEAPSIM_TESTS=OFF >/dev/null
    cmake --build "$2" --target heapsim -- -j2 >/dev/null
}

mkdir -p "$SCRATCH"
base_sha=$(git -C "$ROOT" rev-parse --verify "$BASE_REV^{commit}") || die "no commit '$BASE_REV'"
base_short=$(git -C "$ROOT" rev-parse --short "$base_sha")
if [[ -z ${HEAPSIM:-} ]]; then
    log "building today's tree into $BUILD"
    build_heapsim "$ROOT" "$BUILD"
    HEAPSIM=$BUILD/heapsim
fi
BASE_BIN=$SCRATCH/heapsim-$base_short
if [[ ! -x $BASE_BIN ]]; then
    tree=$SCRATCH/base-$base_short
    log "building $base_short in $tree"
    git -C "$ROOT" worktree add --detach "$tree" "$base_sha" >/dev/null 2>&1 ||
        [[ -d $tree ]] || die "git worktree add $tree failed"
    build_heapsim "$tree" "$tree/build"
    cp "$tree/build/heapsim" "$BASE_BIN.tmp" && mv "$BASE_BIN.tmp" "$BASE_BIN"
    git -C "$ROOT" worktree remove --force "$tree"
fi

# Workloads, generated once by the base build (its generator is the older of
# the two; both replay the same file).
WEB=$SCRATCH/web-$WEB_EVENTS.trace
CACHE=$SCRATCH/cache-live-$LIVE_OBJECTS.trace
[[ -s $WEB ]] || "$BASE_BIN" gen --profile web --events "$WEB_EVENTS" --seed 1 -o "$WEB"
[[ -s $CACHE ]] || "$BASE_BIN" gen --profile cache --live "$LIVE_OBJECTS" \
    --events $((2 * LIVE_OBJECTS)) --seed 1 -o "$CACHE"
# A tenth of each for callgrind (~50x slower than native).
WEB_SMALL=$SCRATCH/web-$((WEB_EVENTS / 10)).trace
CACHE_SMALL=$SCRATCH/cache-live-$((LIVE_OBJECTS / 10)).trace
[[ -s $WEB_SMALL ]] || "$BASE_BIN" gen --profile web --events $((WEB_EVENTS / 10)) --seed 1 -o "$WEB_SMALL"
[[ -s $CACHE_SMALL ]] || "$BASE_BIN" gen --profile cache --live $((LIVE_OBJECTS / 10)) \
    --events $((LIVE_OBJECTS / 5)) --seed 1 -o "$CACHE_SMALL"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
events_of() { awk '$1 == "events" { gsub(",", "", $NF); print $NF; exit }' "$1"; }
# The "all" column of the "count" row under "Collections".
collections_of() { awk '/^Collections/ { c = 1 } c && $1 == "count" { gsub(",", "", $NF); print $NF; exit }' "$1"; }

PERF=0
if perf stat -x, -e instructions:u -o "$SCRATCH/perf.probe" true 2>/dev/null &&
    ! grep -q 'not supported' "$SCRATCH/perf.probe"; then
    PERF=1
fi

# instructions BIN TRACE: user-space instructions of `BIN run TRACE`.
instructions() {
    if [[ $PERF == 1 ]]; then
        perf stat -x, -e instructions:u -o "$SCRATCH/perf.out" "$1" run "$2" >/dev/null
        awk -F, '$3 ~ /^instructions/ { print $1; exit }' "$SCRATCH/perf.out"
    else
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" run "$2" \
            2>"$SCRATCH/callgrind.err" >/dev/null
        awk '/Collected :/ { print $NF; exit }' "$SCRATCH/callgrind.err"
    fi
}
# user_cpu BIN TRACE: median user CPU seconds of REPS runs; leaves the report
# of the last run in $SCRATCH/run.out.
user_cpu() {
    local i
    for ((i = 0; i < REPS; i++)); do
        /usr/bin/time -f '%U' -o "$SCRATCH/run.time" "$1" run "$2" >"$SCRATCH/run.out"
        cat "$SCRATCH/run.time"
    done | median
}

how=$([[ $PERF == 1 ]] && echo "perf instructions:u" || echo "callgrind Ir")
echo "| workload | instructions/event, $base_short → today ($how) | user CPU, $base_short → today (median of $REPS) | collections |"
echo "|---|---|---|---|"
for pair in "web:$WEB:$WEB_SMALL" "cache:$CACHE:$CACHE_SMALL"; do
    IFS=: read -r name big small <<<"$pair"
    counted=$([[ $PERF == 1 ]] && echo "$big" || echo "$small")
    log "$name: instructions ($how) on $(basename "$counted")"
    "$BASE_BIN" run "$counted" >"$SCRATCH/base.out"
    "$HEAPSIM" run --policy cpython-3.11 "$counted" >"$SCRATCH/today.out"
    n=$(events_of "$SCRATCH/base.out")
    cb=$(collections_of "$SCRATCH/base.out") ct=$(collections_of "$SCRATCH/today.out")
    [[ $cb == "$ct" ]] || die "$name: $cb collections before, $ct today: not the same replay"
    ib=$(instructions "$BASE_BIN" "$counted")
    it=$(instructions "$HEAPSIM" "$counted")
    log "$name: user CPU on $(basename "$big") x$REPS each"
    ub=$(user_cpu "$BASE_BIN" "$big")
    ut=$(user_cpu "$HEAPSIM" "$big")
    nb=$(events_of "$SCRATCH/run.out")
    printf '| `%s`, %s events | %s → %s (%+.1f %%) | %s s → %s s (%+.1f %%) | %s (same) |\n' \
        "$name" "$nb" \
        "$(awk -v i="$ib" -v n="$n" 'BEGIN { printf "%.1f", i / n }')" \
        "$(awk -v i="$it" -v n="$n" 'BEGIN { printf "%.1f", i / n }')" \
        "$(awk -v a="$ib" -v b="$it" 'BEGIN { print (b - a) * 100 / a }')" \
        "$ub" "$ut" "$(awk -v a="$ub" -v b="$ut" 'BEGIN { print (a > 0) ? (b - a) * 100 / a : 0 }')" "$ct"
done
echo
echo "load: $(uptime | sed 's/.*load average/load average/')"
