#!/usr/bin/env bash
# What a new user trips over (issue 12), end to end on the real executable:
# one case per trap, each checking the exit status and the exact message.
#
#   HEAPSIM=build/heapsim bash tests/e2e/first_use.sh CASE
#   bash tests/e2e/first_use.sh --list
#
# Run from the source directory (CTest does). Exit status: 0 pass, 1 fail.

set -euo pipefail

CASES=(
    empty-file-warns
    empty-stdin-warns
    json-and-output-same-file
    json-empty-name
    output-empty-name
    output-unwritable-reason
    closed-pipe-run-json
    closed-pipe-run-text
    closed-pipe-gen
    trace-thresholds-reported
    ignore-trace-thresholds
    refcount-and-gc-off-header
    leaks-garbage-apart-from-reachable
    leaks-top-n
)

if [[ ${1-} == --list ]]; then
    printf '%s\n' "${CASES[@]}"
    exit 0
fi
case_name=${1:?case}
: "${HEAPSIM:?set HEAPSIM to the heapsim executable}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/heapsim-first-use.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# run_heapsim ARGS...: stdout in $tmp/out, stderr in $tmp/err, status in $status.
run_heapsim() {
    set +e
    "$HEAPSIM" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    set -e
}
expect_status() { [[ $status == "$1" ]] || { cat "$tmp/err" >&2; fail "exit status $status, expected $1"; }; }
expect_stderr() {
    printf '%s\n' "$@" >"$tmp/want_err"
    diff -u "$tmp/want_err" "$tmp/err" || fail "stderr differs"
}
expect_no_stderr() { [[ ! -s $tmp/err ]] || { cat "$tmp/err" >&2; fail "unexpected stderr"; }; }

# pipe_status CMD...: runs CMD | head -1 and sets $status to CMD's status.
pipe_status() {
    set +e
    "$@" 2>"$tmp/err" | head -1 >"$tmp/out"
    status=${PIPESTATUS[0]}
    set -e
}

case "$case_name" in
empty-file-warns)
    : >"$tmp/empty.trace"
    run_heapsim run "$tmp/empty.trace" --json "$tmp/r.json"
    expect_status 0
    expect_stderr "heapsim: warning: $tmp/empty.trace held no events (an empty trace: is the tracing pipeline broken?)"
    grep -q '"events": 0' "$tmp/r.json" || fail "the report is still written"
    ;;
empty-stdin-warns)
    set +e
    "$HEAPSIM" run - </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
    set -e
    expect_status 0
    expect_stderr "heapsim: warning: <stdin> held no events (an empty trace: is the tracing pipeline broken?)"
    ;;
json-and-output-same-file)
    run_heapsim run traces/refcount_x_y.trace --json "$tmp/out.txt" -o "$tmp/./out.txt" --format csv
    expect_status 2
    expect_stderr "heapsim run: --json and -o both name '$tmp/./out.txt': the second document would replace the first; give each its own file" \
        "Run 'heapsim run --help' for usage."
    [[ ! -e $tmp/out.txt ]] || fail "a file was written"
    ;;
json-empty-name)
    run_heapsim run traces/refcount_x_y.trace --json ""
    expect_status 2
    expect_stderr "heapsim run: --json needs a file name (or - for standard output), not an empty string" \
        "Run 'heapsim run --help' for usage."
    [[ ! -s $tmp/out ]] || fail "a report was printed"
    ;;
output-empty-name)
    run_heapsim run traces/refcount_x_y.trace -o ""
    expect_status 2
    expect_stderr "heapsim run: -o needs a file name (or - for standard output), not an empty string" \
        "Run 'heapsim run --help' for usage."
    [[ ! -s $tmp/out ]] || fail "a report was printed"
    ;;
output-unwritable-reason)
    run_heapsim run traces/refcount_x_y.trace -o /proc/version
    expect_status 2
    expect_stderr "heapsim: cannot write '/proc/version': cannot create a file in '/proc': No such file or directory"
    mkdir "$tmp/ro"
    run_heapsim run traces/refcount_x_y.trace -o "$tmp/no/such/dir/r.txt"
    expect_status 2
    expect_stderr "heapsim: cannot write '$tmp/no/such/dir/r.txt': cannot create a file in '$tmp/no/such/dir': No such file or directory"
    ;;
closed-pipe-run-json)
    pipe_status "$HEAPSIM" run traces/web_service.trace --json -
    expect_status 0
    expect_no_stderr
    [[ $(cat "$tmp/out") == "{" ]] || fail "head -1 did not get the report's first line"
    ;;
closed-pipe-run-text)
    # Large enough that the report cannot fit in the pipe before head exits.
    "$HEAPSIM" gen --profile mixed --events 200000 --seed 3 -o "$tmp/big.trace"
    pipe_status "$HEAPSIM" run "$tmp/big.trace" --format csv
    expect_status 0
    expect_no_stderr
    ;;
closed-pipe-gen)
    # Without SIGPIPE handling this dies of signal 13 (status 141); the
    # generator must also stop early rather than write 10^8 events into the void.
    start=$SECONDS
    pipe_status "$HEAPSIM" gen --profile web --events 100000000 --seed 1 -o -
    expect_status 0
    expect_no_stderr
    [[ $(cat "$tmp/out") == "# heapsim workload trace: profile web, seed 1, events 100000000" ]] || fail "head -1 did not get the first line"
    ((SECONDS - start < 20)) || fail "gen kept writing after its reader left"
    ;;
trace-thresholds-reported)
    # A mixed trace sets its own thresholds 38 times: every format says so.
    "$HEAPSIM" gen --profile mixed --events 20000 --seed 1 -o "$tmp/mixed.trace"
    run_heapsim run "$tmp/mixed.trace" --threshold 100 --json "$tmp/r.json" --format markdown -o "$tmp/r.md"
    expect_status 0
    run_heapsim run "$tmp/mixed.trace" --threshold 100 --format csv -o "$tmp/r.csv"
    run_heapsim run "$tmp/mixed.trace" --threshold 100
    grep -qx '  threshold events    38 applied; in force at the end: 63, 5, 19' "$tmp/out" ||
        { cat "$tmp/out" >&2; fail "text: no threshold events line"; }
    jq -e '.policy.thresholds == [100,10,10] and .policy.trace_thresholds == "follow" and
           .policy.threshold_events == 38 and .policy.threshold_events_applied == 38 and
           .policy.thresholds_at_end == [63,5,19]' "$tmp/r.json" >/dev/null || fail "JSON policy fields"
    grep -q '100/10/10; threshold events: 38 applied; in force at the end: 63, 5, 19 |' "$tmp/r.md" ||
        { cat "$tmp/r.md" >&2; fail "markdown: no threshold events"; }
    head -1 "$tmp/r.csv" | grep -q ',threshold0,threshold1,threshold2,threshold_events$' || fail "csv header"
    tail -1 "$tmp/r.csv" | grep -q ',63,5,19,38$' || { tail -1 "$tmp/r.csv" >&2; fail "csv: last collection's thresholds"; }
    ;;
ignore-trace-thresholds)
    "$HEAPSIM" gen --profile mixed --events 20000 --seed 1 -o "$tmp/mixed.trace"
    gen0() { jq '.summary.collections[0]' "$1"; }
    for t in 100 2000; do
        run_heapsim run "$tmp/mixed.trace" --threshold $t --json "$tmp/follow$t.json"
        expect_status 0
        run_heapsim run "$tmp/mixed.trace" --threshold $t --ignore-trace-thresholds --json "$tmp/ignore$t.json"
        expect_status 0
        grep -qx "  threshold events    38 ignored (trace-thresholds=ignore): $t, 10, 10 throughout" "$tmp/out" ||
            { cat "$tmp/out" >&2; fail "text: no ignored line"; }
        jq -e ".policy.trace_thresholds == \"ignore\" and .policy.threshold_events_applied == 0 and
               .policy.thresholds_at_end == [$t,10,10]" "$tmp/ignore$t.json" >/dev/null || fail "JSON policy fields"
    done
    # Followed, the trace's own thresholds take over and the starting ones
    # barely matter; ignored, they decide the number of collections.
    (($(gen0 "$tmp/ignore100.json") > 5 * $(gen0 "$tmp/ignore2000.json"))) || fail "--threshold had no effect under ignore"
    (($(gen0 "$tmp/follow100.json") - $(gen0 "$tmp/follow2000.json") < 5)) || fail "expected the trace's thresholds to dominate"
    ;;
refcount-and-gc-off-header)
    run_heapsim run traces/refcount_x_y.trace --policy refcount
    sed -n 2p "$tmp/out" | grep -qx '  policy              refcount (no cyclic collector)' || { cat "$tmp/out" >&2; fail "refcount header"; }
    run_heapsim run traces/refcount_x_y.trace --threshold 0
    sed -n 2p "$tmp/out" | grep -qx '  policy              cpython-3.11 (thresholds 0, 10, 10: automatic collection off)' ||
        { cat "$tmp/out" >&2; fail "threshold 0 header"; }
    ;;
leaks-garbage-apart-from-reachable)
    # web_service.trace: 900 template dicts are module state (constant), the
    # audit log's rows are the planted growing leak, 3 lists never stored.
    run_heapsim run traces/web_service.trace --json "$tmp/r.json" --format markdown -o "$tmp/r.md"
    expect_status 0
    jq -e '.garbage == {"objects": 3, "bytes": 168} and .reachable_at_end.objects == 1093' "$tmp/r.json" >/dev/null ||
        fail "JSON garbage / reachable_at_end totals"
    jq -e '[.leak_groups[] | select(.held_by == "TEMPLATES")][0] |
           .alive_at_quarters == [900,900,900,900] and .growing == false and .garbage == false' "$tmp/r.json" >/dev/null ||
        fail "JSON: the template dicts are constant module state"
    jq -e '[.leak_groups[] | select(.held_by == "AUDIT_LOG" and .type == "tuple")][0] |
           .alive_at_quarters == [5,15,24,34] and .growing == true' "$tmp/r.json" >/dev/null ||
        fail "JSON: the audit log grows"
    jq -e '[.leak_groups[] | select(.reason == "never-stored")][0] | .garbage == true and (has("held_by") | not)' \
        "$tmp/r.json" >/dev/null || fail "JSON: never-stored is garbage, held by no root"
    grep -qx '| `AUDIT_LOG` | `app/audit.py:19` | `tuple` | 34 | 1.86 KiB | 5 15 24 34 \*\*growing\*\* |' "$tmp/r.md" ||
        { cat "$tmp/r.md" >&2; fail "markdown: the reachable table names the root and flags growth"; }
    grep -qx '| never-stored | `app/middleware.py:73` | `list` | 3 | 168 B | 0 1 2 3 \*\*growing\*\* |' "$tmp/r.md" ||
        fail "markdown: the garbage table"
    run_heapsim run traces/web_service.trace
    grep -qx 'Garbage: 3 objects, 168 B in 1 group (unreachable or never stored: leaks; by reason, site, type)' "$tmp/out" ||
        fail "text: garbage heading"
    grep -q '^  TEMPLATES              900    56.2 KiB  dict      app/templates.py:34  900 900 900 900$' "$tmp/out" ||
        fail "text: the holding root"
    ;;
leaks-top-n)
    run_heapsim run traces/web_service.trace --top 2
    expect_status 0
    grep -qx '  … and 11 more groups (153 objects; --top N lists more)' "$tmp/out" || { cat "$tmp/out" >&2; fail "--top 2"; }
    run_heapsim run traces/web_service.trace --top 0
    ! grep -q 'more groups' "$tmp/out" || fail "--top 0 lists everything"
    [[ $(grep -c '^  AUDIT_LOG\|^  app \|^  SESSION' "$tmp/out") == 11 ]] || { cat "$tmp/out" >&2; fail "--top 0: all 13 groups"; }
    run_heapsim run traces/web_service.trace --top -1
    expect_status 2
    ;;
*)
    fail "unknown case $case_name"
    ;;
esac
echo "ok: $case_name"
