#!/usr/bin/env bash
# `heapsim calibrate` against a real interpreter (LABELS calibrate, Release
# stage only): the fit must predict the held-out heaps within 25 % (exit
# status 0), the model file must load with `run --pause-model`, and the run's
# report must name it and use it.
#
#   calibrate_python.sh HEAPSIM PYTHON OUT
set -euo pipefail
heapsim=$1 python=$2 out=$3
mkdir -p "$out"
model=$out/model.json
rm -f "$model"
# A second attempt only when the first misses the 25 % (exit 1): other
# processes on the machine can slow a whole round of collections; an error
# of the program (exit 2) fails at once.
for attempt in 1 2; do
    status=0
    "$heapsim" calibrate --python "$python" -o "$model" --name calibrated-here >"$out/calibrate.txt" 2>&1 || status=$?
    cat "$out/calibrate.txt"
    ((status == 1)) || break
    echo "attempt $attempt: a held-out heap missed by more than 25 %"
done
if ((status != 0)); then
    echo "FAIL: heapsim calibrate exited $status" >&2
    exit 1
fi
grep -q '^held-out error: mean ' "$out/calibrate.txt" || { echo "FAIL: no held-out error line" >&2; exit 1; }
"$heapsim" run traces/web_service.trace --pause-model "$model" --json "$out/report.json" >/dev/null
python3 - "$out/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["pause_model"]["name"] == "calibrated-here", r["pause_model"]
assert r["pause_model"]["source"].startswith("heapsim calibrate: CPython "), r["pause_model"]
builtin = 5000 + 45 * r["collections"][0]["scanned"]
assert all(c["pause_ns"] > 0 for c in r["collections"]), "a zero pause"
print("ok: run --pause-model uses", r["pause_model"]["name"], "; first pause",
      r["collections"][0]["pause_ns"], "ns (builtin-2025 would say", builtin, "ns)")
PY
