#!/usr/bin/env bash
# One end-to-end case of the heapsim test suite, run by CTest from the source
# directory (so trace paths in reports stay relative and portable).
#
#   HEAPSIM=build/heapsim bash tests/e2e/run_case.sh MODE FILE
#
# Modes:
#   golden FILE      `run FILE --json -` and `run FILE` against
#                    tests/golden/<name>.json and .txt (and .stderr if present)
#   error FILE       a bad trace: exit status and the exact stderr line
#   no-partial FILE  a failing `run --json out.json` leaves no out.json behind
#   lenient FILE     `run --lenient`: exit 0/1 and the skipped-events line
#   compressed FILE  FILE gzip'ed, zstd'ed and on stdin gives FILE's golden report
#   files FILE       --json FILE and -o FILE write the documents stdout would carry
#   reproducible GEN TRACE  `python3 GEN` regenerates TRACE byte for byte
#   encodings GEN TRACE     GEN's JSON Lines and JSON document forms of TRACE
#                    give TRACE's golden report and summary
#   binary FILE      `heapsim convert` FILE to .htb (plain, .gz, .zst): each gives
#                    FILE's golden report; text -> htb -> jsonl -> text round-trips
#   convert-fails FILE  `heapsim convert` of a bad FILE: exit status and stderr
#                    as its directives say, and no output file left behind
#
# Expectations live in FILE's leading comment lines (or in FILE.expect):
#   # expect-exit: N                 exit status (default 0; `error` requires it)
#   # expect-stderr: LINE            exact stderr, <TRACE> standing for FILE
#                                    (one directive per line, in order)
#   # heapsim-args: ARGS...          extra arguments for `heapsim run`
#   # expect-lenient-exit: N         exit status with --lenient (0 or 1)
#   # expect-lenient-stderr: LINE    exact stderr with --lenient
# Exit status: 0 pass, 1 fail, 77 skipped (a tool the case needs is missing).

set -euo pipefail

mode=${1:?mode}
file=${2:?file}
: "${HEAPSIM:?set HEAPSIM to the heapsim executable}"
golden_dir=tests/golden

tmp=$(mktemp -d "${TMPDIR:-/tmp}/heapsim-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The leading comment block of a trace (or its .expect file), decompressed if needed.
header() {
    local src=$1
    if [[ -f "$src.expect" ]]; then
        cat "$src.expect"
        return
    fi
    case "$src" in
        *.gz) gzip -dc "$src" 2>/dev/null | head -n 40 || true ;;
        *.zst) zstd -dc "$src" 2>/dev/null | head -n 40 || true ;;
        *) head -n 40 "$src" ;;
    esac
}

# Value of `# KEY: value` in FILE's header, or $3 when absent.
directive() {
    local value
    value=$(header "$1" | sed -n "s/^#[[:space:]]*$2:[[:space:]]*//p" | sed -n 1p)
    printf '%s' "${value:-${3-}}"
}

# Every `# KEY: value` of FILE's header, one per line, <TRACE> replaced by FILE.
directives() {
    header "$1" | sed -n "s/^#[[:space:]]*$2:[[:space:]]*//p" | while IFS= read -r line; do
        printf '%s\n' "${line//<TRACE>/$1}"
    done
}

# Runs heapsim with stdout/stderr captured in $tmp/out and $tmp/err; sets $status.
run_heapsim() {
    set +e
    "$HEAPSIM" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    set -e
}

expect_status() {
    [[ $status == "$1" ]] || { cat "$tmp/err" >&2; fail "heapsim $2: exit status $status, expected $1"; }
}

diff_golden() {
    local golden=$1 actual=$2
    [[ -f "$golden" ]] || fail "no golden file $golden (create it with tests/e2e/update_goldens.sh, then review it)"
    diff -u "$golden" "$actual" || fail "output differs from $golden"
}

read -r -a extra_args <<<"$(directive "$file" heapsim-args)"

case "$mode" in
golden)
    name=$(basename "$file")
    want=$(directive "$file" expect-exit 0)
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"} --json -
    expect_status "$want" "run $file --json -"
    diff_golden "$golden_dir/$name.json" "$tmp/out"
    json_err=$(cat "$tmp/err")
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"}
    expect_status "$want" "run $file"
    diff_golden "$golden_dir/$name.txt" "$tmp/out"
    [[ "$json_err" == "$(cat "$tmp/err")" ]] || fail "stderr differs between the text and the JSON run"
    # The other formats, where a golden exists (update_goldens.sh writes them all).
    for form in "md:--format markdown" "csv:--format csv" "leaks.csv:--format csv --table leaks" \
                "timeline.csv:--format csv --table timeline"; do
        ext=${form%%:*}
        read -r -a fargs <<<"${form#*:}"
        [[ -f "$golden_dir/$name.$ext" ]] || continue
        run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"} "${fargs[@]}"
        expect_status "$want" "run $file ${fargs[*]}"
        diff_golden "$golden_dir/$name.$ext" "$tmp/out"
    done
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"}
    if [[ -f "$golden_dir/$name.stderr" ]]; then
        diff_golden "$golden_dir/$name.stderr" "$tmp/err"
    elif [[ -s "$tmp/err" ]]; then
        cat "$tmp/err" >&2
        fail "unexpected stderr (add $golden_dir/$name.stderr if it is right)"
    fi
    ;;
error)
    want=$(directive "$file" expect-exit)
    directives "$file" expect-stderr >"$tmp/want_err"
    [[ -n "$want" && -s "$tmp/want_err" ]] || fail "$file needs '# expect-exit:' and '# expect-stderr:' lines"
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"}
    expect_status "$want" "run $file"
    diff -u "$tmp/want_err" "$tmp/err" || fail "stderr differs"
    [[ ! -s "$tmp/out" ]] || { cat "$tmp/out" >&2; fail "a failing run printed a report"; }
    ;;
no-partial)
    mkdir "$tmp/reports"
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"} --json "$tmp/reports/out.json" \
        --format csv -o "$tmp/reports/out.csv"
    [[ $status != 0 ]] || fail "expected $file to fail"
    leftovers=$(ls -A "$tmp/reports")
    [[ -z "$leftovers" ]] || fail "a failing run left files behind: $leftovers"
    ;;
lenient)
    want=$(directive "$file" expect-lenient-exit)
    directives "$file" expect-lenient-stderr >"$tmp/want_err"
    [[ -n "$want" && -s "$tmp/want_err" ]] || fail "$file needs '# expect-lenient-exit:' and '# expect-lenient-stderr:'"
    [[ $want == 0 || $want == 1 ]] || fail "a lenient run exits 0 or 1, not $want"
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"} --lenient --json "$tmp/report.json"
    expect_status "$want" "run $file --lenient"
    diff -u "$tmp/want_err" "$tmp/err" || fail "stderr differs"
    grep -q '"skipped_events": {' "$tmp/report.json" || fail "report has no skipped_events"
    grep -q '^  skipped events ' "$tmp/out" || fail "the summary does not show the skipped events"
    ;;
compressed)
    name=$(basename "$file")
    golden="$golden_dir/$name.json"
    [[ -f "$golden" ]] || fail "no golden file $golden"
    command -v gzip >/dev/null || exit 77
    command -v zstd >/dev/null || { echo "zstd not installed: skipping" >&2; exit 77; }
    gzip -c "$file" >"$tmp/$name.gz"
    zstd -q -c "$file" >"$tmp/$name.zst"
    cp "$tmp/$name.gz" "$tmp/misnamed.trace"  # compression is found by magic bytes, not by name
    for input in "$tmp/$name.gz" "$tmp/$name.zst" "$tmp/misnamed.trace" -; do
        if [[ $input == - ]]; then
            set +e
            "$HEAPSIM" run - ${extra_args[@]+"${extra_args[@]}"} --json - <"$tmp/$name.zst" >"$tmp/out" 2>"$tmp/err"
            status=$?
            set -e
        else
            run_heapsim run "$input" ${extra_args[@]+"${extra_args[@]}"} --json -
        fi
        expect_status "$(directive "$file" expect-exit 0)" "run $input"
        # Only trace.path may differ from the golden report.
        sed "s|^    \"path\": \".*\",\$|    \"path\": \"$file\",|" "$tmp/out" >"$tmp/normalized"
        diff -u "$golden" "$tmp/normalized" || fail "report for $input differs from $golden"
    done
    ;;
files)
    name=$(basename "$file")
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"} --json "$tmp/r.json" --format markdown -o "$tmp/r.md"
    expect_status "$(directive "$file" expect-exit 0)" "run $file --json FILE -o FILE"
    [[ ! -s "$tmp/out" ]] || fail "stdout should be empty when every document goes to a file"
    diff_golden "$golden_dir/$name.json" "$tmp/r.json"
    head -n 1 "$tmp/r.md" | grep -q '^### heapsim run `' || fail "r.md is not the markdown summary"
    run_heapsim run "$file" ${extra_args[@]+"${extra_args[@]}"} --format csv
    head -n 1 "$tmp/out" | grep -q '^seq,event,time_ns,generation,trigger,' || fail "--format csv header"
    rows=$(($(wc -l <"$tmp/out") - 1))
    want_rows=$(grep -c '"seq":' "$golden_dir/$name.json" || true)
    [[ $rows == "$want_rows" ]] || fail "--format csv: $rows rows, the report has $want_rows collections"
    leftovers=$(ls -A "$tmp" | grep -v -x -e r.json -e r.md -e out -e err || true)
    [[ -z "$leftovers" ]] || fail "temporary files left behind: $leftovers"
    ;;
encodings)
    trace=${3:?trace}
    name=$(basename "$trace")
    command -v python3 >/dev/null || { echo "python3 not installed: skipping" >&2; exit 77; }
    for encoding in jsonl json; do
        input="$tmp/${name%.*}.$encoding"
        python3 "$file" --encoding "$encoding" >"$input"
        run_heapsim run "$input" --json -
        expect_status "$(directive "$trace" expect-exit 0)" "run $input --json -"
        sed "s|^    \"path\": \".*\",\$|    \"path\": \"$trace\",|" "$tmp/out" >"$tmp/normalized"
        diff -u "$golden_dir/$name.json" "$tmp/normalized" || fail "the $encoding form's report differs"
        run_heapsim run "$input"
        sed "1s|^heapsim run: .*|heapsim run: $trace|" "$tmp/out" >"$tmp/normalized"
        diff -u "$golden_dir/$name.txt" "$tmp/normalized" || fail "the $encoding form's summary differs"
    done
    ;;
reproducible)
    trace=${3:?trace}
    command -v python3 >/dev/null || { echo "python3 not installed: skipping" >&2; exit 77; }
    python3 "$file" >"$tmp/generated"
    cmp -s "$tmp/generated" "$trace" || fail "$file no longer reproduces $trace (re-run it and review the diff)"
    ;;
binary)
    name=$(basename "$file")
    run_heapsim convert "$file" "$tmp/canonical.trace"
    expect_status 0 "convert $file"
    for input in "$tmp/$name.htb" "$tmp/$name.htb.gz" "$tmp/$name.htb.zst"; do
        run_heapsim convert "$file" "$input"
        expect_status 0 "convert $file $input"
        run_heapsim run "$input" ${extra_args[@]+"${extra_args[@]}"} --json -
        expect_status "$(directive "$file" expect-exit 0)" "run $input"
        sed "s|^    \"path\": \".*\",\$|    \"path\": \"$file\",|" "$tmp/out" >"$tmp/normalized"
        diff -u "$golden_dir/$name.json" "$tmp/normalized" || fail "report for $input differs"
    done
    run_heapsim convert "$tmp/$name.htb.zst" "$tmp/lines.jsonl"
    expect_status 0 "convert htb.zst -> jsonl"
    run_heapsim convert - - --to text <"$tmp/lines.jsonl"
    expect_status 0 "convert jsonl -> text on stdin/stdout"
    cmp -s "$tmp/out" "$tmp/canonical.trace" || fail "text -> htb -> jsonl -> text is not the canonical text"
    ;;
interpreter)
    # A trace that names its interpreter (docs/trace-format.md, "The
    # interpreter record") is replayed with that interpreter's policy unless
    # --policy says otherwise; convert carries the record; a version without
    # a policy is refused with one line.
    name=$(basename "$file")
    named() { sed "0,/^heaptrace 1\$/s//heaptrace 1\n# interpreter: cpython $1 build=default/" "$file"; }
    named 3.12.1 >"$tmp/py312.trace"
    run_heapsim run "$tmp/py312.trace" --policy cpython-3.12 --json -
    expect_status 0 "run --policy cpython-3.12"
    cp "$tmp/out" "$tmp/explicit.json"
    grep -q '"name": "cpython-3.12"' "$tmp/explicit.json" || fail "--policy cpython-3.12 not in the report"
    run_heapsim run "$tmp/py312.trace" --json -
    expect_status 0 "run a 3.12.1 trace"
    cmp -s "$tmp/out" "$tmp/explicit.json" || fail "the trace's interpreter did not pick cpython-3.12"
    run_heapsim run "$tmp/py312.trace"
    grep -q "^  policy from         the trace's interpreter, cpython 3.12.1 (default build)\$" "$tmp/out" ||
        fail "the text report does not say the policy came from the trace"
    run_heapsim run "$tmp/py312.trace" --policy cpython-3.11 --json -
    expect_status 0 "run --policy cpython-3.11"
    diff -u "$golden_dir/$name.json" <(sed "s|$tmp/py312.trace|$file|" "$tmp/out") ||
        fail "--policy cpython-3.11 does not override the trace's interpreter"
    # convert keeps it (text, compressed text), and runs of the copies agree.
    for copy in "$tmp/copy.trace.zst" "$tmp/copy.trace"; do
        run_heapsim convert "$tmp/py312.trace" "$copy"
        expect_status 0 "convert to $copy"
        run_heapsim run "$copy" --json -
        sed "s|$copy|$tmp/py312.trace|" "$tmp/out" >"$tmp/normalized"
        cmp -s "$tmp/normalized" "$tmp/explicit.json" || fail "$copy lost the interpreter"
    done
    # JSON Lines cannot name it: convert says so.
    run_heapsim convert "$tmp/py312.trace" "$tmp/copy.jsonl"
    expect_status 0 "convert to JSON Lines"
    grep -q "cannot name the trace's interpreter (cpython 3.12.1 (default build))" "$tmp/err" ||
        fail "convert to JSON Lines did not warn that the interpreter is lost"
    # A version without a policy: exit 2, one line, unless --policy names one.
    named 3.16.0 >"$tmp/py3160.trace"
    run_heapsim run "$tmp/py3160.trace"
    expect_status 2 "run a 3.16.0 trace"
    want="heapsim run: $tmp/py3160.trace was recorded on cpython 3.16.0 (default build), which has no heapsim policy (policies: cpython-3.11, cpython-3.12, cpython-3.13, cpython-3.14, cpython-3.14.0, cpython-3.15, cpython-3.13t, cpython-3.14t, refcount); name one with --policy to replay anyway"
    [[ "$(cat "$tmp/err")" == "$want" && ! -s "$tmp/out" ]] || { cat "$tmp/err" >&2; fail "unexpected refusal"; }
    run_heapsim run "$tmp/py3160.trace" --policy cpython-3.14
    expect_status 0 "run a 3.16.0 trace with --policy cpython-3.14"
    # 3.14.0-3.14.4 ran the incremental collector; a free-threaded build its own.
    named 3.14.2 >"$tmp/py3142.trace"
    run_heapsim run "$tmp/py3142.trace" --json -
    expect_status 0 "run a 3.14.2 trace"
    grep -q '"name": "cpython-3.14.0"' "$tmp/out" || fail "a 3.14.2 trace is not replayed with cpython-3.14.0"
    sed "0,/^heaptrace 1\$/s//heaptrace 1\n# interpreter: cpython 3.13.0 build=free-threaded/" "$file" >"$tmp/py313t.trace"
    run_heapsim run "$tmp/py313t.trace" --json -
    grep -q '"name": "cpython-3.13t"' "$tmp/out" || fail "a free-threaded 3.13.0 trace is not replayed with cpython-3.13t"
    ;;
import-interpreter)
    # heapsim import names the recorded interpreter in the trace's header;
    # run then replays it with that interpreter's policy.
    run_heapsim import "$file" -o "$tmp/imported.trace"
    expect_status 0 "import $file"
    version=$(sed -n 's/^.*: cpython \([0-9]*\.[0-9]*\.[0-9]*\) .*records.*$/\1/p' "$tmp/out")
    [[ -n "$version" ]] || fail "import did not say the recorded version"
    grep -qx "# interpreter: cpython $version build=default" "$tmp/imported.trace" ||
        fail "the imported trace does not name cpython $version"
    grep -qx "replay with: heapsim run $tmp/imported.trace" "$tmp/out" ||
        fail "import still suggests a --policy for a trace that names its interpreter"
    run_heapsim run "$tmp/imported.trace" --json -
    expect_status 0 "run the imported trace"
    grep -q "\"name\": \"cpython-${version%.*}\"" "$tmp/out" ||
        fail "run did not replay with cpython-${version%.*}"
    ;;
convert-fails)
    want=$(directive "$file" expect-exit)
    directives "$file" expect-stderr >"$tmp/want_err"
    mkdir "$tmp/converted"
    for output in "$tmp/converted/out.htb" "$tmp/converted/out.jsonl.gz"; do
        run_heapsim convert "$file" "$output"
        expect_status "$want" "convert $file $output"
        diff -u "$tmp/want_err" "$tmp/err" || fail "stderr differs"
    done
    leftovers=$(ls -A "$tmp/converted")
    [[ -z "$leftovers" ]] || fail "a failing convert left files behind: $leftovers"
    ;;
*)
    fail "unknown mode $mode"
    ;;
esac
echo "ok: $mode $file"
