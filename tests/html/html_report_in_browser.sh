#!/usr/bin/env bash
# The HTML report in a real browser (LABELS browser, Release stage only):
# heapsim writes the page for TRACE, headless Chromium loads it from the
# file, and the DOM after the page's script ran must hold the charts, the
# leak table and no error; Chromium's own console log must show no error
# either. Leaves OUT/TRACE_NAME.html, .dom.html and .png (the screenshot,
# docs/img/report.png is one; HEAPSIM_SCREENSHOT=0: none) in the build tree.
#
#   html_report_in_browser.sh HEAPSIM CHROMIUM TRACE OUT CHART... [-- ID...]
#
# CHART: an <svg> id that must hold drawn marks; ID (after --): any element
# id that must exist. A TRACE ending in .py is a script writing the page
# itself (future_report.py).
set -euo pipefail
heapsim=$1 chromium=$2 trace=$3 out=$4
shift 4
mkdir -p "$out"
name=$(basename "$trace")
page=$out/$name.html dom=$out/$name.dom.html png=$out/$name.png log=$out/$name.console.log
rm -f "$page" "$dom" "$png" "$log"

if [[ $trace == *.py ]]; then
    python3 "$trace" "$page"
else
    "$heapsim" run "$trace" --format html -o "$page" 2>/dev/null || [[ $? == 1 ]]
fi
[[ -s $page ]] || { echo "FAIL: no HTML report written" >&2; exit 1; }

# The page must not reach for the network: no URL outside the SVG namespace.
if grep -Eo '(src|href)=|https?://[^" ]+' "$page" | grep -v 'http://www.w3.org/2000/svg' | grep -q .; then
    echo "FAIL: the page refers to something outside itself:" >&2
    grep -Eo '(src|href)=|https?://[^" ]+' "$page" | grep -v 'http://www.w3.org/2000/svg' >&2
    exit 1
fi

# Root in CI: Chromium's sandbox needs a user namespace it cannot have there.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
       --disable-extensions --disable-background-networking --hide-scrollbars
       --user-data-dir="$out/chromium-profile" --virtual-time-budget=5000)
"$chromium" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$(realpath "$page")" \
    >"$dom" 2>"$log" || { echo "FAIL: chromium exited with $?" >&2; cat "$log" >&2; exit 1; }
# The screenshot (HEAPSIM_SCREENSHOT=0 skips it: one per suite is enough).
if [[ ${HEAPSIM_SCREENSHOT:-1} != 0 ]]; then
    "$chromium" "${flags[@]}" --window-size=1280,2200 --screenshot="$png" "file://$(realpath "$page")" \
        >/dev/null 2>>"$log" || { echo "FAIL: chromium could not take the screenshot" >&2; cat "$log" >&2; exit 1; }
fi

status=0
fail() { echo "FAIL: $*" >&2; status=1; }
grep -q 'data-status="ok"' "$dom" || fail "the page's script did not finish cleanly (data-status)"
grep -q '<pre id="errors" hidden="">' "$dom" || fail "the page reported errors: $(grep -o '<pre id="errors"[^>]*>[^<]*' "$dom" | head -c 2000)"
# Chromium prints the page's console messages as 'CONSOLE(...)' / ':INFO:CONSOLE' lines.
if grep -E 'CONSOLE|Uncaught' "$log" | grep -q .; then
    fail "console messages:"; grep -E 'CONSOLE|Uncaught' "$log" >&2
fi
ids=()
charts=()
for arg in "$@"; do
    if [[ $arg == -- ]]; then ids=(""); continue; fi
    if ((${#ids[@]})); then ids+=("$arg"); else charts+=("$arg"); fi
done
for id in "${ids[@]:1}"; do
    grep -q "id=\"$id\"" "$dom" || fail "no element #$id"
done
for chart in "${charts[@]}"; do
    # An SVG with that id, holding drawn marks (bars, points, lines or polylines).
    svg=$(sed -n "s/.*\(<svg id=\"$chart\".*\)/\1/p" "$dom" | sed 's#</svg>.*##')
    [[ -n $svg ]] || { fail "no chart #$chart"; continue; }
    marks=$(grep -oE '<(rect|circle|polyline|polygon) ' <<<"$svg" | wc -l)
    ((marks > 0)) || fail "chart #$chart has nothing drawn"
    echo "chart #$chart: $marks marks"
done
grep -q '<table id="table-leak' "$dom" || fail "no leak table"
if [[ ${HEAPSIM_SCREENSHOT:-1} != 0 ]]; then
    [[ -s $png ]] || fail "no screenshot"
    [[ $(head -c 8 "$png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "the screenshot is not a PNG"
fi
((status == 0)) && echo "ok: $page rendered"
exit $status
