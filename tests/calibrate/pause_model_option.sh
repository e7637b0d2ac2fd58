#!/usr/bin/env bash
# `run --pause-model`: the default is builtin-2025, a shipped model is taken
# by name and named in every report, a file that is not a model is refused
# with exit status 2 and one line saying why.
#
#   pause_model_option.sh HEAPSIM
set -euo pipefail
heapsim=$1
trace=traces/web_service.trace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$heapsim" run $trace --json - | grep -q '"name": "builtin-2025"' || fail "the default model is not builtin-2025"
"$heapsim" run $trace --json - >"$tmp/default.json"
"$heapsim" run $trace --pause-model builtin-2025 --json - | cmp -s - "$tmp/default.json" ||
    fail "--pause-model builtin-2025 differs from the default"

"$heapsim" run $trace --pause-model cpython-3.11.7 --json - >"$tmp/shipped.json"
grep -q '"name": "cpython-3.11.7"' "$tmp/shipped.json" || fail "the report does not name cpython-3.11.7"
python3 - "$tmp/default.json" "$tmp/shipped.json" <<'PY' || fail "the shipped model's pauses"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
pa = [c["pause_ns"] for c in a["collections"]]
pb = [c["pause_ns"] for c in b["collections"]]
assert pa != pb and all(p > 0 for p in pb), (pa, pb)
strip = lambda d: {k: v for k, v in d.items() if k not in ("collections", "pauses", "pause_model")}
assert strip(a) == strip(b), "the pause model changed more than the pauses"
PY
"$heapsim" run $trace --pause-model cpython-3.11.7 | grep -q '^  pause model *cpython-3.11.7 (heapsim calibrate' ||
    fail "the text report does not name the model"
"$heapsim" run $trace --pause-model cpython-3.11.7 --format md | grep -q 'Pauses modelled with `cpython-3.11.7`' ||
    fail "the Markdown report does not name the model"

echo '{"schema": "heapsim-pause-model/1", "name": "x", "coefficients_ns": {"base": 1}}' >"$tmp/bad.json"
status=0
"$heapsim" run $trace --pause-model "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err" || status=$?
((status == 2)) || fail "a bad model file: exit $status, not 2"
grep -q "bad.json: not a pause model: coefficients_ns.per_scanned is not a number >= 0" "$tmp/err" ||
    fail "a bad model file: $(cat "$tmp/err")"
[[ ! -s $tmp/out ]] || fail "a report was written despite the bad model"
status=0
"$heapsim" run $trace --pause-model no-such-model 2>"$tmp/err" >/dev/null || status=$?
((status == 2)) && grep -q "no such model (builtin-2025, cpython-3.11.7) and no such file" "$tmp/err" ||
    fail "an unknown model: exit $status, $(cat "$tmp/err")"
echo "ok"
