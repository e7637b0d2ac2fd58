#!/usr/bin/env bash
# tests/bench/profile_tool.sh HEAPSIM SWEEP_BENCH SOURCE_DIR
#
# bench/profile.sh in its --tiny mode (5,000 events) on the built binaries:
# every rule of bench/profile_components.txt must still match a function
# that runs, so a renamed or inlined function fails here, not in the next
# performance write-up. Also checks that a rule naming a function that does
# not exist makes bench/profile_split.py fail (exit 1, with the rule's line)
# instead of printing a zero. Skips (exit 77) only when valgrind is absent.
set -euo pipefail
heapsim=$1 sweep=$2 src=$3
if ! command -v valgrind >/dev/null; then
    echo "SKIPPED: valgrind is not installed (.ci/run installs it)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

HEAPSIM_BENCH_HEAPSIM=$heapsim HEAPSIM_BENCH_SWEEP=$sweep HEAPSIM_BENCH_SCRATCH=$work \
    bash "$src/bench/profile.sh" --tiny >"$work/table.md" 2>"$work/log" \
    || { cat "$work/log" >&2; fail "bench/profile.sh --tiny failed"; }
cat "$work/table.md"
columns="text, whole process|JSON Lines, whole process|.htb, whole process"
[[ -n $sweep ]] && columns+="|in-memory replay, 1 configuration"
head=$(grep -m1 '^| Ir per event' "$work/table.md") || fail "no table"
IFS='|' read -ra want <<<"$columns"
for c in "${want[@]}"; do
    [[ $head == *"| $c "* ]] || fail "no column '$c' in: $head"
done
# Every column has a total above zero and the components add up to it.
python3 - "$work/table.md" <<'PY' || fail "the components do not add up to the totals"
import sys
rows = [l.strip().strip("|").split("|") for l in open(sys.argv[1]) if l.startswith("| ")]
rows = [[c.strip().strip("*").replace(",", "") for c in r] for r in rows]
head, body = rows[0], rows[1:]
total = next(r for r in body if r[0] == "total")
parts = body[: body.index(total)]
for i, name in enumerate(head[1:], 1):
    t = float(total[i])
    s = sum(float(r[i]) for r in parts if r[i] != "—")
    assert t > 100, (name, t)
    # Rows under 0.05 Ir per event print as a dash.
    assert abs(s - t) <= 0.1 + 0.05 * len(parts), (name, s, t)
PY

# A mapped function that no longer exists must stop the script.
cp "$src/bench/profile_components.txt" "$work/mapping.txt"
echo "text | step: a function that was renamed | ^heapsim::Heap::no_such_function\(" >>"$work/mapping.txt"
line=$(wc -l <"$work/mapping.txt")
events=$(awk '$1 == "events" { gsub(",", "", $2); print $2; exit }' "$work/text.out")
set +e
python3 "$src/bench/profile_split.py" --mapping "$work/mapping.txt" --run "text=$work/text.cg:$events" \
    >"$work/bad.out" 2>"$work/bad.err"
status=$?
set -e
[[ $status == 1 ]] || fail "a rule matching nothing exited $status, not 1"
grep -q "mapping.txt:$line: no function that ran matches" "$work/bad.err" \
    || fail "no message naming the rule's line: $(cat "$work/bad.err")"
[[ ! -s $work/bad.out ]] || fail "a table was printed despite the missing function"
echo "ok"
