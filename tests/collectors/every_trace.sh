#!/usr/bin/env bash
# The policies modelled from source (cpython-3.14.0, cpython-3.13t,
# cpython-3.14t) must replay every bundled trace and a generated suite
# without a crash: exit status 0, or 1 when the trace's own expect lines
# (written for the generational collectors) do not hold. Anything else --
# 2 (refused), 3, a signal, a sanitizer report -- fails.
#
#   bash tests/collectors/every_trace.sh HEAPSIM SOURCE_DIR [SEEDS [MAX_BYTES]]
#
# SEEDS (default "1 2 3") are the generated traces' seeds per profile; the
# sanitizer stage passes one seed (each replay there costs ~10x). MAX_BYTES
# (default: no limit) leaves out bundled traces larger than that: the
# sanitizer stage replays the small ones only, since the four large ones
# (slots_vs_dict, t29b, keep_10000_lists, temporaries_10000) add length,
# not shapes, and cost most of its time there.
set -uo pipefail
heapsim=$1
src=$2
read -r -a seeds <<<"${3:-1 2 3}"
max_bytes=${4:-0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

traces=()
for trace in "$src"/traces/*.trace "$src"/traces/scenarios/*.trace; do
    ((max_bytes == 0 || $(stat -c %s "$trace") <= max_bytes)) && traces+=("$trace")
done
for profile in mixed web cache cycles; do
    for seed in "${seeds[@]}"; do
        "$heapsim" gen --profile "$profile" --events 20000 --seed "$seed" -o "$tmp/$profile-$seed.trace" ||
            { echo "FAIL: gen $profile $seed"; exit 1; }
        traces+=("$tmp/$profile-$seed.trace")
    done
done

failed=0
runs=0
for trace in "${traces[@]}"; do
    for policy in cpython-3.14.0 cpython-3.13t cpython-3.14t; do
        "$heapsim" run "$trace" --policy "$policy" --json "$tmp/out.json" >/dev/null 2>"$tmp/err"
        status=$?
        runs=$((runs + 1))
        if ((status != 0 && status != 1)) || grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$tmp/err"; then
            echo "FAIL: $policy on $trace: exit $status"
            head -5 "$tmp/err"
            failed=1
        fi
    done
done
echo "$runs runs, $([[ $failed == 0 ]] && echo 'no crash' || echo 'failures above')"
exit $failed
