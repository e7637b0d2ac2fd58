#!/usr/bin/env bash
# Ids are a namespace of their own that forgets an id when its object dies
# (events/symbol_table.h): a trace whose ids are never reused and its
# reused-id twin must give the same reports, ids aside, and `expect` lines
# and messages about dead ids must read as they do when nothing is forgotten.
#
#   bash tests/ids/never_reused_ids.sh HEAPSIM SOURCE_DIR [EVENTS]
#
# EVENTS (default 100000) per generated profile; the sanitizer stage passes
# fewer (the same paths at a fifth of the cost).
set -euo pipefail
HEAPSIM=$1
SRC=$2
EVENTS=${3:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Ids print as written; masking them leaves everything else to compare.
mask() { sed -E 's/"o?[0-9]+"/"ID"/g; s/"o?[0-9]+ \(never stored\)"/"ID (never stored)"/g' "$1"; }

for profile in web cache cycles; do
    "$HEAPSIM" gen --profile "$profile" --events "$EVENTS" --seed 7 -o "$tmp/$profile.trace"
    awk -f "$SRC/bench/never_reused_ids.awk" "$tmp/$profile.trace" > "$tmp/$profile-unique.trace"
    # The twin really never reuses an id.
    dups=$(awk '{i = ($1 ~ /^@/) ? 2 : 1} $i == "alloc" || $i == "weakref" {print $(i + 1)}' \
        "$tmp/$profile-unique.trace" | sort | uniq -d | head -1)
    [[ -z $dups ]] || fail "$profile: id $dups allocated twice in the twin"
    for f in "$profile" "$profile-unique"; do
        "$HEAPSIM" run - --json "$tmp/$f.json" < "$tmp/$f.trace" > "$tmp/$f.txt"
    done
    cmp -s <(mask "$tmp/$profile.json") <(mask "$tmp/$profile-unique.json") ||
        { diff <(mask "$tmp/$profile.json") <(mask "$tmp/$profile-unique.json") | head -20 >&2;
          fail "$profile: the never-reused twin's report differs"; }
done

# expect lines and messages about ids that died and were forgotten.
cat > "$tmp/dead.trace" <<'TRACE'
heaptrace 1
alloc 1 list
alloc 2 list
alloc o9 list
alloc 0x7f00a0 list
alloc 0x7F00B0 list
alloc 007 list
alloc 18446744073709551616 list
drop 1
drop o9
drop 0x7f00a0
drop 0x7F00B0
drop 007
drop 18446744073709551616
expect freed 1
expect freed o9
expect freed 0x7f00a0
expect freed 0x7F00B0
expect freed 007
expect freed 18446744073709551616
expect alive 2
expect freed 3
expect freed 0x7F00A0
expect freed 7
expect alive 1
expect freed 18446744073709551615
drop 2
alloc 1 list
expect alive 1
drop 1
expect freed 1
TRACE
set +e
"$HEAPSIM" run "$tmp/dead.trace" --json "$tmp/dead.json" > "$tmp/dead.txt" 2>&1
status=$?
set -e
[[ $status == 1 ]] || fail "dead.trace: exit $status, expected 1 (expect failures)"
got=$(python3 -c 'import json,sys; [print(f["line"], f["message"]) for f in json.load(open(sys.argv[1]))["expect_failures"]]' "$tmp/dead.json")
want="22 expect freed 3: '3' was never allocated
23 expect freed 0x7F00A0: '0x7F00A0' was never allocated
24 expect freed 7: '7' was never allocated
25 expect alive 1: '1' has been freed
26 expect freed 18446744073709551615: '18446744073709551615' was never allocated"
[[ $got == "$want" ]] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "dead.trace expect failures"; }

# An event on a dead id says it was freed, on an unknown one that it never was.
printf 'alloc 5 list\ndrop 5\nappend 5 5\n' > "$tmp/freed.trace"
set +e
"$HEAPSIM" run "$tmp/freed.trace" 2> "$tmp/freed.err" > /dev/null
set -e
grep -q "append: id '5' is not live (it was freed)" "$tmp/freed.err" || { cat "$tmp/freed.err" >&2; fail "freed id message"; }
printf 'alloc 5 list\ndrop 5\nappend 6 5\n' > "$tmp/unknown.trace"
set +e
"$HEAPSIM" run "$tmp/unknown.trace" 2> "$tmp/unknown.err" > /dev/null
set -e
grep -q "append: id '6' was never allocated" "$tmp/unknown.err" || { cat "$tmp/unknown.err" >&2; fail "unknown id message"; }
echo "ok"
