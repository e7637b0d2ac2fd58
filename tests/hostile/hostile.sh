#!/usr/bin/env bash
# Hostile-input end-to-end cases for `heapsim run`: each states the exit
# status and the exact stderr line it expects (docs/robustness.md).
#
#   HEAPSIM=build/heapsim bash tests/hostile/hostile.sh --list
#   HEAPSIM=build/heapsim bash tests/hostile/hostile.sh CASE
#
# HEAPSIM_HOSTILE_SCALE (10M or 1M) sizes the giant chain and cycle; the
# sanitizer build uses 1M, and the case names say which.
# Every input is generated into a temporary directory that is deleted
# afterwards. Exit status: 0 pass, 1 fail, 77 skipped (a tool is missing).

set -euo pipefail

: "${HEAPSIM:?set HEAPSIM to the heapsim executable}"
SCALE=${HEAPSIM_HOSTILE_SCALE:-10M}
# At 1M (the sanitizers) the 100 MB JSON string is 10 MB, the generated
# determinism trace 40k events and the determinism cases compare two runs
# instead of three: the same code paths at a fraction of the cost.
case "$SCALE" in
10M) GIANT=10000000 JSON_STRING=100MB GENERATED_EVENTS=200000 ROUNDS=3 ;;
1M) GIANT=1000000 JSON_STRING=10MB GENERATED_EVENTS=40000 ROUNDS=2 ;;
*) echo "HEAPSIM_HOSTILE_SCALE must be 10M or 1M" >&2; exit 1 ;;
esac
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

CASES=(
    gz-truncated gz-corrupt zst-truncated zst-corrupt compressed-garbage-is-fatal-even-lenient
    utf8-invalid-in-id utf8-invalid-in-name utf8-invalid-in-site utf8-invalid-in-type
    utf8-invalid-in-comment-accepted utf8-valid-in-site-accepted utf8-invalid-in-jsonl
    long-line-100MB long-line-100MB-lenient long-comment-100MB long-line-100MB-no-newline
    long-line-100MB-jsonl "long-string-$JSON_STRING-json-document"
    id-length-limit name-length-limit key-length-limit type-length-limit site-length-limit
    timestamp-overflow size-overflow threshold-overflow generation-out-of-range
    decreasing-timestamps reused-live-id events-on-freed-objects unbound-names
    weakref-to-non-weakrefable non-container-holds-references
    "chain-$SCALE-deep-freed-by-one-unbind" "cycle-of-$SCALE-collected-by-one-collect"
    cut-mid-line cut-mid-line-lenient cut-mid-line-parses cut-at-line-boundary-generated
    cut-at-line-boundary-converted end-record-count-mismatch events-after-end-record
    cut-jsonl-mid-line cut-htb
    empty-file only-comments only-header binary-garbage-text-name binary-garbage-json-names
    big-binary-garbage-lenient directory-as-trace unreadable-file read-error
    json-deep-nesting json-huge-numbers
    max-objects max-memory limit-options-overflow
    existing-report-untouched determinism-web-service determinism-generated
)

if [[ ${1:-} == --list ]]; then
    printf '%s\n' "${CASES[@]}"
    exit 0
fi
case_name=${1:?case}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/heapsim-hostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"  # relative trace names keep the expected messages short

fail() { echo "FAIL: $*" >&2; exit 1; }

# Runs heapsim with a time limit (a hang is a failure, not a stuck suite);
# stdout/stderr go to $tmp/out and $tmp/err, the status to $status.
run_heapsim() {
    set +e
    timeout 300 "$HEAPSIM" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    set -e
    ((status < 128)) || fail "heapsim $* died with status $status (a signal or the time limit)"
}

# expect_error STATUS LINE TRACE [ARGS...]: `run TRACE ARGS` exits STATUS
# with exactly LINE on stderr, prints nothing and leaves no report file:
# neither a fresh --json F -o G, nor a change to an F left by an earlier run.
expect_error() {
    local want=$1 line=$2 trace=$3
    shift 3
    rm -rf reports && mkdir reports
    run_heapsim run "$trace" "$@" --json reports/r.json -o reports/r.txt
    check_error "$want" "$line" "run $trace $*"
    [[ -z $(ls -A reports) ]] || fail "run $trace $*: a failing run left files behind: $(ls -A reports)"
    printf 'earlier report\n' >reports/r.json
    run_heapsim run "$trace" "$@" --json reports/r.json -o reports/r.txt
    check_error "$want" "$line" "run $trace $* (second run)"
    [[ $(cat reports/r.json) == 'earlier report' ]] || fail "run $trace $*: an earlier r.json was changed"
    [[ $(ls -A reports) == r.json ]] || fail "run $trace $*: files left behind: $(ls -A reports)"
}

check_error() {
    local want=$1 line=$2 what=$3
    [[ $status == "$want" ]] || { cat err >&2; fail "$what: exit status $status, expected $want"; }
    printf '%s\n' "$line" >want_err
    diff -u want_err err >&2 || fail "$what: stderr differs"
    [[ ! -s out ]] || fail "$what: a failing run printed on stdout"
}

# expect_error_like STATUS REGEX TRACE [ARGS...]: as expect_error, for inputs
# whose exact message depends on random bytes; stderr is one line matching REGEX.
expect_error_like() {
    local want=$1 regex=$2 trace=$3
    shift 3
    rm -rf reports && mkdir reports
    run_heapsim run "$trace" "$@" --json reports/r.json -o reports/r.txt
    [[ $status == "$want" ]] || { cat err >&2; fail "run $trace: exit status $status, expected $want"; }
    [[ $(wc -l <err) == 1 ]] && grep -Eq "$regex" err || { cat err >&2; fail "run $trace: stderr does not match $regex"; }
    [[ -z $(ls -A reports) ]] || fail "run $trace: a failing run left files behind"
}

# expect_ok STATUS TRACE [ARGS...]: the run exits STATUS (0 or 1) and writes
# its JSON report to report.json; stderr must be empty unless $stderr_line is set.
expect_ok() {
    local want=$1 trace=$2
    shift 2
    rm -f report.json
    run_heapsim run "$trace" "$@" --json report.json
    [[ $status == "$want" ]] || { cat err >&2; fail "run $trace $*: exit status $status, expected $want"; }
    printf '%s' "${stderr_line:+$stderr_line$'\n'}" >want_err
    diff -u want_err err >&2 || fail "run $trace $*: stderr differs"
    [[ -s report.json ]] || fail "run $trace $*: no report"
}

# json_field KEY: the first integer value of "KEY" in report.json.
json_field() {
    sed -n "s/^ *\"$1\": \([0-9]*\),\{0,1\}$/\1/p" report.json | sed -n 1p
}

expect_field() {
    local got
    got=$(json_field "$1")
    [[ $got == "$2" ]] || fail "report.json: $1 is '$got', expected $2"
}

# trace NAME LINES...: a text trace with the header and one event per argument.
trace() {
    local name=$1
    shift
    { echo 'heaptrace 1'; printf '%b\n' "$@"; } >"$name"
}

# The realistic trace, compressed without a timestamp so the bytes are stable.
compressed() {
    case $1 in
    gz) gzip -n -c "$SRC/traces/web_service.trace" >w.trace.gz ;;
    zst)
        command -v zstd >/dev/null || { echo "zstd not installed: skipping" >&2; exit 77; }
        zstd -q -c "$SRC/traces/web_service.trace" >w.trace.zst
        ;;
    esac
}

# cut IN OUT N: the first N bytes of IN. flip IN OUT I: IN with byte I inverted.
cut_at() { head -c "$3" "$1" >"$2"; }
flip() {
    python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[int(sys.argv[3])] ^= 0xFF
open(sys.argv[2], "wb").write(b)' "$@"
}

# peak_rss_kb CMD...: runs CMD, returns its peak RSS (KB) in $rss.
peak_rss_kb() {
    set +e
    /usr/bin/time -f '%M' -o rss.txt "$@" >out 2>err
    status=$?
    set -e
    rss=$(tail -n 1 rss.txt)
}

# rss_bound MB: a bound in KB, loosened under the sanitizers (shadow memory).
rss_bound() {
    if [[ $SCALE == 1M ]]; then echo $(($1 * 1024 * 4 + 512 * 1024)); else echo $(($1 * 1024)); fi
}

# A text trace whose third line is 100 MB of 'x' (the line, not the comment,
# is bounded by the reader's 1 MiB line buffer).
long_line_trace() {
    { printf 'heaptrace 1\nalloc a list\n%s' "$2"; head -c 100000000 /dev/zero | tr '\0' x; printf '%b' "$3"; } >"$1"
}

# giant_chain N OUT [CLOSE]: n0 <- n1 <- ... <- n(N-1) (each list holds the
# previous one), bound to `head`; CLOSE makes n0 refer to n(N-1): a cycle.
giant_chain() {
    awk -v n="$1" -v cyclic="${3:-}" 'BEGIN {
        print "heaptrace 1"; print "gc disable"; print "alloc n0 list"
        for (i = 1; i < n; i++) printf "alloc n%d list n%d\n", i, i - 1
        printf "bind head n%d\n", n - 1
        if (cyclic != "") printf "append n0 n%d\n", n - 1
        print "unbind head"
    }' >"$2"
}

case "$case_name" in
gz-truncated)
    compressed gz
    size=$(stat -c %s w.trace.gz)
    # Inside the header, after the header, mid-stream, inside the CRC, before the last byte.
    for n in 3 10 $((size / 2)) $((size - 6)) $((size - 1)); do
        cut_at w.trace.gz cut.trace.gz "$n"
        expect_error 2 "cut.trace.gz: truncated gzip stream" cut.trace.gz
    done
    ;;
gz-corrupt)
    compressed gz
    size=$(stat -c %s w.trace.gz)
    # Mid-stream the deflate data decodes to garbage that only the CRC exposes:
    # the reader reads on to it rather than blaming the garbage's first bad line.
    flip w.trace.gz bad.trace.gz $((size / 2))
    expect_error 2 "bad.trace.gz: corrupt gzip data: incorrect data check" bad.trace.gz
    flip w.trace.gz bad.trace.gz $((size - 6))
    expect_error 2 "bad.trace.gz: corrupt gzip data: incorrect data check" bad.trace.gz
    flip w.trace.gz bad.trace.gz $((size - 2))
    expect_error 2 "bad.trace.gz: corrupt gzip data: incorrect length check" bad.trace.gz
    flip w.trace.gz bad.trace.gz 3  # header flags: reserved bits set
    expect_error_like 2 '^bad\.trace\.gz: corrupt gzip data: .+$' bad.trace.gz
    ;;
zst-truncated)
    compressed zst
    size=$(stat -c %s w.trace.zst)
    for n in 4 10 $((size / 2)) $((size - 4)) $((size - 1)); do
        cut_at w.trace.zst cut.trace.zst "$n"
        expect_error 2 "cut.trace.zst: truncated zstd stream" cut.trace.zst
    done
    ;;
zst-corrupt)
    compressed zst
    size=$(stat -c %s w.trace.zst)
    flip w.trace.zst bad.trace.zst $((size / 2))
    expect_error 2 "bad.trace.zst: corrupt zstd data: Data corruption detected" bad.trace.zst
    flip w.trace.zst bad.trace.zst $((size - 2))  # the content checksum
    expect_error 2 "bad.trace.zst: corrupt zstd data: Restored data doesn't match checksum" bad.trace.zst
    ;;
compressed-garbage-is-fatal-even-lenient)
    compressed gz
    compressed zst
    flip w.trace.gz bad.trace.gz $(($(stat -c %s w.trace.gz) / 2))
    expect_error 2 "bad.trace.gz: corrupt gzip data: incorrect data check" bad.trace.gz --lenient
    cut_at w.trace.zst cut.trace.zst 1000
    expect_error 2 "cut.trace.zst: truncated zstd stream" cut.trace.zst --lenient
    ;;
utf8-invalid-in-id)
    trace x.trace 'alloc a\xff list'
    expect_error 2 "x.trace:2: alloc: bad id 'a\\xff' (ids are 1-64 characters of A-Za-z0-9_.:-)" x.trace
    ;;
utf8-invalid-in-name)
    trace x.trace 'alloc a list' 'bind n\xc3m a'
    expect_error 2 "x.trace:3: bind: bad name 'n\\xc3m' (names are 1-256 characters of A-Za-z0-9_.:/-)" x.trace
    ;;
utf8-invalid-in-site)
    trace x.trace 'alloc a list site=app\xff.py:12'
    expect_error 2 "x.trace:2: alloc: bad site 'app\\xff.py:12' (labels are 1-1024 bytes of UTF-8 without spaces or control characters)" x.trace
    # An overlong encoding of '/' and a lone continuation byte are no UTF-8 either.
    trace x.trace 'alloc a list site=\xc0\xaf'
    expect_error 2 "x.trace:2: alloc: bad site '\\xc0\\xaf' (labels are 1-1024 bytes of UTF-8 without spaces or control characters)" x.trace
    ;;
utf8-invalid-in-type)
    trace x.trace 'type N\xc3\xa9 gc'
    expect_error 2 "x.trace:2: type: bad name 'N\\xc3\\xa9' (type names are 1-256 characters of A-Za-z0-9_.:/-)" x.trace
    ;;
utf8-invalid-in-comment-accepted)
    # The spec puts no constraint on comment bytes: a comment runs to the end of the line.
    trace x.trace '# caf\xff\xfe' 'alloc a list  # \xc3\x28' 'bind x a'
    expect_ok 0 x.trace
    expect_field objects_allocated 1
    ;;
utf8-valid-in-site-accepted)
    trace x.trace 'alloc a list site=caf\xc3\xa9.py:1' 'bind x a'
    expect_ok 0 x.trace
    grep -q '"site": "café.py:1"' report.json || fail "the site is not reported as café.py:1"
    ;;
utf8-invalid-in-jsonl)
    printf '{"ev":"alloc","id":"a","type":"list","site":"x\xff"}\n' >x.jsonl
    expect_error 2 "x.jsonl:1: malformed JSON at column 47: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"x\\xff'" x.jsonl
    ;;
long-line-100MB)
    long_line_trace x.trace '' '\nbind x a\n'
    expect_error 2 "x.trace:3: line too long (more than 1048576 bytes)" x.trace
    peak_rss_kb "$HEAPSIM" run x.trace
    bound=$(rss_bound 64)
    ((rss < bound)) || fail "peak RSS ${rss} KB on a 100 MB line (bound ${bound} KB)"
    ;;
long-line-100MB-lenient)
    long_line_trace x.trace '' '\nbind x a\n'
    stderr_line='heapsim: skipped 1 bad event (syntax: 1 (line 3))' expect_ok 0 x.trace --lenient
    expect_field objects_allocated 1
    peak_rss_kb "$HEAPSIM" run x.trace --lenient
    bound=$(rss_bound 64)
    ((rss < bound)) || fail "peak RSS ${rss} KB skipping a 100 MB line (bound ${bound} KB)"
    ;;
long-comment-100MB)
    long_line_trace x.trace '# ' '\nbind x a\nexpect alive a\n'
    expect_ok 0 x.trace
    expect_field objects_allocated 1
    ;;
long-line-100MB-no-newline)
    long_line_trace x.trace '' ''
    expect_error 2 "x.trace:3: line too long (more than 1048576 bytes)" x.trace
    ;;
long-line-100MB-jsonl)
    { printf '{"ev":"alloc","id":"a","type":"list"}\n{"ev":"bind","name":"x","id":"a","site":"'
      head -c 100000000 /dev/zero | tr '\0' x; printf '"}\n'; } >x.jsonl
    expect_error 2 "x.jsonl:2: line too long (more than 1048576 bytes)" x.jsonl
    peak_rss_kb "$HEAPSIM" run x.jsonl
    bound=$(rss_bound 64)
    ((rss < bound)) || fail "peak RSS ${rss} KB on a 100 MB JSON line (bound ${bound} KB)"
    ;;
long-string-100MB-json-document | long-string-10MB-json-document)
    # A JSON document has no lines: the SAX lexer holds a string whole, so
    # memory is bounded by a small multiple of the string (measured ~300 MB
    # at 100 MB; the bound below is for 100 MB at either size).
    { printf '{"format":"heaptrace","version":1,"events":[{"ev":"alloc","id":"a","type":"list","site":"'
      head -c "${JSON_STRING%MB}000000" /dev/zero | tr '\0' x; printf '"}]}\n'; } >x.json
    expect_error 2 "x.json:1: alloc: bad site '$(printf 'x%.0s' {1..64})...' (labels are 1-1024 bytes of UTF-8 without spaces or control characters)" x.json
    peak_rss_kb "$HEAPSIM" run x.json
    bound=$(rss_bound 600)
    ((rss < bound)) || fail "peak RSS ${rss} KB on a 100 MB JSON string (bound ${bound} KB)"
    ;;
id-length-limit)
    id64=$(printf 'i%.0s' {1..64})
    trace x.trace "alloc $id64 list" "bind x $id64" "expect alive $id64"
    expect_ok 0 x.trace
    trace x.trace "alloc ${id64}j list"
    expect_error 2 "x.trace:2: alloc: bad id '$id64...' (ids are 1-64 characters of A-Za-z0-9_.:-)" x.trace
    ;;
name-length-limit)
    name256=$(printf 'n%.0s' {1..256})
    trace x.trace 'alloc a list' "bind $name256 a" "unbind $name256" 'expect freed a'
    expect_ok 0 x.trace
    trace x.trace 'alloc a list' "bind ${name256}m a"
    expect_error 2 "x.trace:3: bind: bad name '$(printf 'n%.0s' {1..64})...' (names are 1-256 characters of A-Za-z0-9_.:/-)" x.trace
    ;;
key-length-limit)
    key256=$(printf 'k%.0s' {1..256})
    trace x.trace 'alloc a dict' 'bind x a' 'alloc b list' "set a $key256 b" 'expect refcount b 1'
    expect_ok 0 x.trace
    trace x.trace 'alloc a dict' 'bind x a' 'alloc b list' "set a ${key256}k b"
    expect_error 2 "x.trace:5: set: bad key '$(printf 'k%.0s' {1..64})...' (keys are 1-256 characters of A-Za-z0-9_.:/-)" x.trace
    ;;
type-length-limit)
    type256=$(printf 'T%.0s' {1..256})
    trace x.trace "type $type256 instance" "alloc a $type256" 'bind x a'
    expect_ok 0 x.trace
    trace x.trace "type ${type256}T instance"
    expect_error 2 "x.trace:2: type: bad name '$(printf 'T%.0s' {1..64})...' (type names are 1-256 characters of A-Za-z0-9_.:/-)" x.trace
    ;;
site-length-limit)
    site1024=$(printf 's%.0s' {1..1024})
    trace x.trace "alloc a list site=$site1024" 'bind x a'
    expect_ok 0 x.trace
    trace x.trace "alloc a list site=${site1024}s"
    expect_error 2 "x.trace:2: alloc: bad site '$(printf 's%.0s' {1..64})...' (labels are 1-1024 bytes of UTF-8 without spaces or control characters)" x.trace
    ;;
timestamp-overflow)
    trace x.trace '@18446744073709551615 alloc a list' 'bind x a' 'collect'
    expect_ok 0 x.trace
    for ts in 99999999999999999999 18446744073709551616; do
        trace x.trace "@$ts alloc a list"
        expect_error 2 "x.trace:2: alloc: bad timestamp '@$ts' (at most 18446744073709551615)" x.trace
    done
    trace x.trace '@-1 alloc a list'
    expect_error 2 "x.trace:2: alloc: bad timestamp '@-1' (expected a non-negative integer)" x.trace
    ;;
size-overflow)
    # The largest size is kept exactly (a larger one used to be accepted and
    # silently clamped to 4294967295 bytes).
    trace x.trace 'alloc a bytes size=4294967295' 'bind x a' 'alloc b bytes size=4294967295' 'bind y b'
    expect_ok 0 x.trace
    expect_field peak_live_bytes 8589934590
    for size in 4294967296 281474976710656 99999999999999999999; do
        trace x.trace "alloc a bytes size=$size"
        expect_error 2 "x.trace:2: alloc: bad size '$size' (at most 4294967295)" x.trace
        trace x.trace "type Big gc size=$size"
        expect_error 2 "x.trace:2: type: bad size '$size' (at most 4294967295)" x.trace
    done
    ;;
threshold-overflow)
    trace x.trace 'threshold 2147483647 2147483647 2147483647' 'alloc a list' 'bind x a'
    expect_ok 0 x.trace
    for t in 2147483648 4294967296 99999999999999999999; do
        trace x.trace "threshold 700 $t"
        expect_error 2 "x.trace:2: threshold: bad threshold '$t' (at most 2147483647)" x.trace
    done
    run_heapsim run "$SRC/traces/refcount_x_y.trace" --threshold 2147483648
    [[ $status == 2 ]] || fail "--threshold 2147483648: exit status $status, expected 2"
    grep -qx "heapsim: --threshold: invalid threshold '2147483648': .*" err || fail "--threshold 2147483648: $(cat err)"
    ;;
generation-out-of-range)
    for gen in 3 -1 99999999999999999999 18446744073709551616; do
        trace x.trace 'alloc a list' 'bind x a' "collect $gen"
        expect_error 2 "x.trace:4: collect: invalid generation '$gen' (expected 0, 1 or 2)" x.trace
    done
    ;;
decreasing-timestamps)
    trace x.trace '@2000 alloc a list' '@1000 bind x a' '@1000 expect alive a'
    expect_error 2 "x.trace:3: bind: timestamp @1000 is earlier than the previous event's @2000" x.trace
    # --lenient skips the event; the next one is still compared with the
    # last accepted timestamp (@2000), so it is skipped too.
    stderr_line='heapsim: skipped 2 bad events (timestamp: 2 (lines 3, 4))' expect_ok 0 x.trace --lenient
    ;;
reused-live-id)
    trace x.trace 'alloc a list' 'bind x a' 'alloc a dict'
    expect_error 2 "x.trace:4: alloc: id 'a' is already live (an id can be reused only after its object is freed)" x.trace
    # After the free, the id is a new object (address reuse).
    trace x.trace 'alloc a list' 'bind x a' 'unbind x' 'alloc a dict' 'bind y a' 'expect alive a'
    expect_ok 0 x.trace
    expect_field objects_allocated 2
    ;;
events-on-freed-objects)
    for ev in 'append a a' 'bind y a' 'clear a' 'drop a' 'set a k a'; do
        trace x.trace 'alloc a list' 'bind x a' 'unbind x' "$ev"
        expect_error 2 "x.trace:5: ${ev%% *}: id 'a' is not live (it was freed)" x.trace
    done
    trace x.trace 'alloc a set' 'bind x a' 'unbind x' 'weakref w a'
    expect_error 2 "x.trace:5: weakref: target 'a' is not live (it was freed)" x.trace
    # An `expect` on a freed object is a failed check (status 1), not bad input.
    trace x.trace 'alloc a list' 'bind x a' 'unbind x' 'expect refcount a 1'
    stderr_line="x.trace:5: expect failed: expect refcount a 1: 'a' is not live" expect_ok 1 x.trace
    ;;
unbound-names)
    trace x.trace 'alloc a list' 'unbind y'
    expect_error 2 "x.trace:3: unbind: name 'y' is not bound" x.trace
    trace x.trace 'alloc a list' 'bind x a' 'unbind x' 'unbind x'
    expect_error 2 "x.trace:5: unbind: name 'x' is not bound" x.trace
    stderr_line='heapsim: skipped 1 bad event (unbound-name: 1 (line 5))' expect_ok 0 x.trace --lenient
    ;;
weakref-to-non-weakrefable)
    for type in list dict tuple object str int float bytes; do
        trace x.trace "alloc t $type" 'bind x t' 'weakref w t'
        [[ $type == tuple ]] && trace x.trace 'alloc i int' "alloc t tuple i" 'bind x t' 'weakref w t'
        line=4
        [[ $type == tuple ]] && line=5
        expect_error 2 "x.trace:$line: weakref: type '$type' of 't' does not support weak references" x.trace
    done
    trace x.trace 'type Plain size=16' 'alloc p Plain' 'bind x p' 'weakref w p'
    expect_error 2 "x.trace:5: weakref: type 'Plain' of 'p' does not support weak references" x.trace
    ;;
non-container-holds-references)
    trace x.trace 'alloc s str' 'bind x s' 'alloc l list' 'bind y l' 'append s l'
    expect_error 2 "x.trace:6: append: 's' is of type str, which holds no references" x.trace
    trace x.trace 'alloc s int' 'bind x s' 'alloc l list' 'bind y l' 'set s k l'
    expect_error 2 "x.trace:6: set: 's' is of type int, which holds no references" x.trace
    trace x.trace 'alloc l list' 'bind y l' 'alloc i int l'
    expect_error 2 "x.trace:4: alloc: type 'int' holds no references" x.trace
    trace x.trace 'type Buf size=4096' 'alloc b Buf' 'bind x b' 'alloc l list' 'bind y l' 'append b l'
    expect_error 2 "x.trace:7: append: 'b' is of type Buf, which holds no references" x.trace
    ;;
chain-*-deep-freed-by-one-unbind)
    # The cascade of frees must not recurse on the C++ stack.
    giant_chain "$GIANT" x.trace
    echo 'expect freed n0' >>x.trace
    expect_ok 0 x.trace -o /dev/null
    expect_field objects_allocated "$GIANT"
    expect_field freed_by_refcount "$GIANT"
    expect_field peak_live_objects "$GIANT"
    expect_field collected_by_gc 0
    ;;
cycle-of-*-collected-by-one-collect)
    giant_chain "$GIANT" x.trace close
    printf 'expect alive n0\ncollect\nexpect collected %s\nexpect freed n0\n' "$GIANT" >>x.trace
    expect_ok 0 x.trace -o /dev/null
    expect_field objects_allocated "$GIANT"
    expect_field freed_by_refcount 0
    expect_field collected_by_gc "$GIANT"
    ;;
cut-mid-line)
    # The issue's reproduction: cut inside line 215 of the bundled trace.
    head -c 7777 "$SRC/traces/web_service.trace" >x.trace
    expect_error 2 "x.trace:215: truncated trace: the last line has no newline, so it may be cut short" x.trace
    ;;
cut-mid-line-lenient)
    head -c 7777 "$SRC/traces/web_service.trace" >x.trace
    stderr_line='heapsim: skipped 1 bad event (truncated: 1 (line 215))' expect_ok 0 x.trace --lenient
    expect_field truncated 1
    ;;
cut-mid-line-parses)
    # `bind x 1` cut from `bind x 12`: it parses, and names the wrong object.
    trace x.trace 'alloc 1 list' 'alloc 12 list'
    printf 'bind x 1' >>x.trace
    expect_error 2 "x.trace:4: truncated trace: the last line has no newline, so it may be cut short" x.trace
    ;;
cut-at-line-boundary-generated)
    # gen promises an end-of-trace record; a cut between lines loses it.
    "$HEAPSIM" gen --profile web --events 3000 --seed 2 | head -n 400 >x.trace
    expect_error 2 "x.trace:400: truncated trace: it ends after event 397 without the end-of-trace record promised on line 3" x.trace
    ;;
cut-at-line-boundary-converted)
    "$HEAPSIM" convert "$SRC/traces/web_service.trace" full.trace
    [[ $(tail -n 1 full.trace) == "# end events=19744" ]] || fail "convert wrote no end-of-trace record"
    head -n 1000 full.trace >x.trace
    expect_error 2 "x.trace:1000: truncated trace: it ends after event 998 without the end-of-trace record promised on line 2" x.trace
    ;;
end-record-count-mismatch)
    # Lines lost in the middle (events 3 to 5 of 6), the rest still consistent.
    printf 'heaptrace 1\n# end-record: promised\nalloc a list\nbind x a\nalloc b dict\nbind y b\nunbind y\nunbind x\n# end events=6\n' >full.trace
    sed '5,7d' full.trace >x.trace
    expect_error 2 "x.trace:6: end-of-trace record says 6 events, but 3 came before it: events are missing or were added" x.trace
    "$HEAPSIM" run full.trace >/dev/null || fail "the uncut trace fails"
    ;;
events-after-end-record)
    "$HEAPSIM" gen --profile mixed --events 500 --seed 4 -o a.trace
    { cat a.trace; echo 'collect 2'; } >x.trace
    line=$(wc -l <x.trace)
    expect_error 2 "x.trace:$line: event after the end-of-trace record of line $((line - 1))" x.trace
    ;;
cut-jsonl-mid-line)
    "$HEAPSIM" convert "$SRC/traces/web_service.trace" full.jsonl
    head -c 7777 full.jsonl >x.jsonl
    expect_error_like 2 '^x\.jsonl:[0-9]+: (malformed JSON|.*truncated).*' x.jsonl
    ;;
cut-htb)
    "$HEAPSIM" convert "$SRC/traces/web_service.trace" full.htb
    head -c 7777 full.htb >x.htb
    expect_error_like 2 '^x\.htb:1: .*truncated.*' x.htb
    ;;
empty-file)
    : >x.trace
    stderr_line="heapsim: warning: x.trace held no events (an empty trace: is the tracing pipeline broken?)" expect_ok 0 x.trace
    expect_field events 0
    ;;
only-comments)
    printf '# nothing\n\n   # but comments\n\t\n' >x.trace
    stderr_line="heapsim: warning: x.trace held no events (an empty trace: is the tracing pipeline broken?)" expect_ok 0 x.trace
    expect_field events 0
    ;;
only-header)
    printf 'heaptrace 1\n' >x.trace
    stderr_line="heapsim: warning: x.trace held no events (an empty trace: is the tracing pipeline broken?)" expect_ok 0 x.trace
    expect_field events 0
    ;;
binary-garbage-text-name)
    python3 -c 'import random, sys
r = random.Random(1); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(1 << 16)))' >x.trace
    expect_error_like 2 "^x\\.trace:1: unknown event '.+'$" x.trace
    ;;
binary-garbage-json-names)
    python3 -c 'import random, sys
r = random.Random(1); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(1 << 16)))' >g
    cp g x.jsonl
    expect_error_like 2 "^x\\.jsonl:1: malformed JSON at column [0-9]+: .+$" x.jsonl
    cp g x.json
    expect_error_like 2 "^x\\.json: malformed JSON at line 1, column [0-9]+: .+$" x.json
    printf '\x1f\x8b' | cat - g >x.trace  # gzip magic, then garbage
    expect_error_like 2 '^x\.trace: corrupt gzip data: .+$' x.trace
    ;;
big-binary-garbage-lenient)
    head -c 50000000 /dev/urandom >x.trace
    expect_error_like 2 "^x\\.trace:[0-9]+: .+$" x.trace
    # Lenient mode skips every line, in bounded memory, and reports how many.
    run_heapsim run x.trace --lenient --json report.json
    [[ $status == 0 ]] || { cat err >&2; fail "--lenient on garbage: exit status $status"; }
    grep -Eqx 'heapsim: skipped [0-9,]+ bad events \(.+\)' err || fail "--lenient on garbage: $(cat err)"
    peak_rss_kb "$HEAPSIM" run x.trace --lenient
    bound=$(rss_bound 64)
    ((rss < bound)) || fail "peak RSS ${rss} KB skipping 50 MB of garbage (bound ${bound} KB)"
    ;;
directory-as-trace)
    mkdir d.trace
    expect_error 2 "d.trace: cannot read 'd.trace': Is a directory" d.trace
    ;;
unreadable-file)
    trace x.trace 'alloc a list'
    chmod 000 x.trace
    if [[ $(id -u) == 0 ]]; then
        # root reads anything: drop to nobody for this run.
        command -v setpriv >/dev/null || { echo "setpriv not installed: skipping" >&2; exit 77; }
        chmod 777 "$tmp"
        set +e
        setpriv --reuid=65534 --regid=65534 --clear-groups "$HEAPSIM" run x.trace --json r.json >out 2>err
        status=$?
        set -e
        check_error 2 "x.trace: cannot open 'x.trace': Permission denied" "run x.trace as nobody"
        [[ ! -e r.json ]] || fail "a report was written"
    else
        expect_error 2 "x.trace: cannot open 'x.trace': Permission denied" x.trace
    fi
    ;;
read-error)
    # Opens fine, then read() fails (EIO at offset 0 of /proc/self/mem).
    [[ -r /proc/self/mem ]] || exit 77
    expect_error 2 "/proc/self/mem: cannot read '/proc/self/mem': Input/output error" /proc/self/mem
    ;;
json-deep-nesting)
    python3 -c 'print("[" * 1000000 + "]" * 1000000)' >deep.json
    expect_error 2 'deep.json: a JSON trace document must be an object {"format": "heaptrace", ...}' deep.json
    expect_error 2 'deep.json: a JSON trace document must be an object {"format": "heaptrace", ...}' deep.json --lenient
    python3 -c 'print("{\"format\":\"heaptrace\",\"version\":1,\"events\":" + "[" * 1000000 + "]" * 1000000 + "}")' >events.json
    expect_error 2 'events.json:1: an event must be a JSON object, not an array' events.json
    stderr_line='heapsim: skipped 1 bad event (syntax: 1 (line 1))' expect_ok 0 events.json --lenient
    python3 -c 'print("{\"format\":\"heaptrace\",\"version\":1,\"events\":[{\"ev\":\"alloc\",\"id\":\"a\",\"type\":\"list\",\"x\":" + "{\"a\":" * 1000000 + "1" + "}" * 1000000 + "},{\"ev\":\"alloc\",\"id\":\"b\",\"type\":\"list\"}]}")' >field.json
    expect_error 2 "field.json:1: alloc: unknown field 'x'" field.json
    stderr_line='heapsim: skipped 1 bad event (syntax: 1 (line 1))' expect_ok 0 field.json --lenient
    expect_field objects_allocated 1
    python3 -c 'print("{\"ev\":\"alloc\",\"id\":\"a\",\"type\":\"list\",\"x\":" + "[" * 100000 + "]" * 100000 + "}")' >deep.jsonl
    expect_error 2 "deep.jsonl:1: alloc: unknown field 'x'" deep.jsonl
    ;;
json-huge-numbers)
    for t in 99999999999999999999 18446744073709551616; do
        printf '{"ev":"alloc","id":"a","type":"list","t":%s}\n' "$t" >x.jsonl
        expect_error 2 "x.jsonl:1: alloc: bad timestamp '$t' (at most 18446744073709551615)" x.jsonl
    done
    printf '{"ev":"alloc","id":"a","type":"list","t":1e400}\n' >x.jsonl
    expect_error 2 "x.jsonl:1: malformed JSON at number overflow parsing '1e400'" x.jsonl
    printf '{"ev":"alloc","id":"a","type":"list","size":4294967296}\n' >x.jsonl
    expect_error 2 "x.jsonl:1: alloc: bad size '4294967296' (at most 4294967295)" x.jsonl
    printf '{"ev":"collect","gen":18446744073709551616}\n' >x.jsonl
    expect_error 2 "x.jsonl:1: collect: invalid generation '18446744073709551616' (expected 0, 1 or 2)" x.jsonl
    printf '{"ev":"threshold","values":[1e308,1,1]}\n' >x.jsonl
    expect_error 2 "x.jsonl:1: threshold: bad threshold '1e308' (expected a non-negative integer)" x.jsonl
    printf '{"ev":"threshold","values":[2147483648]}\n{"ev":"collect"}\n' >x.jsonl
    expect_error 2 "x.jsonl:1: threshold: bad threshold '2147483648' (at most 2147483647)" x.jsonl
    stderr_line='heapsim: skipped 1 bad event (bad-number: 1 (line 1))' expect_ok 0 x.jsonl --lenient
    printf '{"format":"heaptrace","version":99999999999999999999999,"events":[]}\n' >x.json
    expect_error 2 "x.json: unsupported heaptrace version '99999999999999999999999' (this reader supports version 1)" x.json
    ;;
max-objects)
    expect_error 3 "$SRC/traces/web_service.trace:208: alloc: --max-objects 100 reached" \
        "$SRC/traces/web_service.trace" --max-objects 100
    # A limit is never skipped, not even with --lenient.
    expect_error 3 "$SRC/traces/web_service.trace:208: alloc: --max-objects 100 reached" \
        "$SRC/traces/web_service.trace" --max-objects 100 --lenient
    ;;
max-memory)
    expect_error 3 "$SRC/traces/web_service.trace:314: alloc: --max-memory 10240 bytes exceeded: this object of 64 bytes would make 10272 bytes live" \
        "$SRC/traces/web_service.trace" --max-memory 10K
    compressed gz
    expect_error 3 "w.trace.gz:314: alloc: --max-memory 10240 bytes exceeded: this object of 64 bytes would make 10272 bytes live" w.trace.gz --max-memory 10K
    ;;
limit-options-overflow)
    # CLI11 alone took "-1" and 99999999999999999999 silently as "no limit".
    for n in -1 99999999999999999999 0x10 1e3; do
        run_heapsim run "$SRC/traces/refcount_x_y.trace" --max-objects "$n"
        [[ $status == 2 ]] || fail "--max-objects $n: exit status $status, expected 2"
        grep -qxF "heapsim: --max-objects: invalid count '$n': expected a number of objects from 0 to 18446744073709551615" err ||
            fail "--max-objects $n: $(cat err)"
    done
    for m in -1 99999999999999999999 17179869184G 1Q; do
        run_heapsim run "$SRC/traces/refcount_x_y.trace" --max-memory "$m"
        [[ $status == 2 ]] || fail "--max-memory $m: exit status $status, expected 2"
        grep -qxF "heapsim: --max-memory: invalid size '$m': expected bytes, e.g. 4096, 512K, 2G" err ||
            fail "--max-memory $m: $(cat err)"
    done
    ;;
existing-report-untouched)
    # A successful run replaces the report whole; a failing one leaves it.
    expect_ok 0 "$SRC/traces/refcount_x_y.trace"
    cp report.json before.json
    trace bad.trace 'alloc a list' 'bind x nosuch'
    run_heapsim run bad.trace --json report.json --format csv -o report.json.csv
    [[ $status == 2 ]] || fail "exit status $status"
    cmp -s before.json report.json || fail "a failing run changed report.json"
    [[ ! -e report.json.csv ]] || fail "a failing run wrote report.json.csv"
    leftovers=$(ls -A | grep -v -x -e report.json -e before.json -e bad.trace -e out -e err -e want_err || true)
    [[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
    ;;
determinism-web-service | determinism-generated)
    if [[ $case_name == determinism-generated ]]; then
        "$HEAPSIM" gen --profile mixed --events "$GENERATED_EVENTS" --seed 7 -o t.trace
    else
        cp "$SRC/traces/web_service.trace" t.trace
    fi
    for ((i = 1; i <= ROUNDS; i++)); do
        for format in text json markdown csv; do
            run_heapsim run t.trace --format "$format" -o "$format.$i" --json "json-file.$i"
            [[ $status == 0 || $status == 1 ]] || { cat err >&2; fail "run --format $format: status $status"; }
            cp err "stderr.$format.$i"
            run_heapsim run t.trace --format "$format"
            cmp -s out "$format.$i" || fail "--format $format: stdout and -o FILE differ"
        done
    done
    for name in text json markdown csv json-file stderr.text stderr.json stderr.markdown stderr.csv; do
        for ((i = 2; i <= ROUNDS; i++)); do
            cmp "$name.1" "$name.$i" >&2 || fail "$name differs between runs"
        done
    done
    cmp -s json.1 json-file.1 || fail "--format json and --json FILE differ"
    ;;
*)
    fail "unknown case $case_name"
    ;;
esac
echo "ok: $case_name"
