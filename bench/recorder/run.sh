#!/usr/bin/env bash
# bench/recorder/run.sh VENV|PYTHON [REPEATS] (PYTHON with heapsim_record on PYTHONPATH): the recorder's CPU overhead and
# volume on the orders workload (docs/recording.md, "What it costs"):
# median CPU seconds without and with recording, object events, raw and
# compressed bytes per million events, and `heapsim import` speed when
# HEAPSIM is set.
set -euo pipefail
venv=$1 repeats=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=$venv
[[ -d $venv ]] && py=$venv/bin/python
for i in $(seq "$repeats"); do
    "$py" "$here/orders_bench.py" >>"$work/plain.jsonl"
    "$py" "$here/orders_bench.py" "$work/rec.hsr" >>"$work/rec.jsonl"
done
python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
plain = [json.loads(l) for l in open(work + "/plain.jsonl")]
rec = [json.loads(l) for l in open(work + "/rec.jsonl")]
p = statistics.median(x["cpu_s"] for x in plain)
r = statistics.median(x["cpu_s"] for x in rec)
s = rec[-1]["recorder"]
ev = s["events"]
print(f"CPU without recording {p:.3f} s, with {r:.3f} s: overhead {r / p:.2f}x (median of {len(plain)})")
print(f"{ev} object events, {ev / r / 1e6:.2f} M events per CPU second recorded")
print(f"volume: {s['raw_bytes'] / ev:.1f} bytes per event before compression "
      f"({s['raw_bytes'] / ev * 1e6 / 2**20:.2f} MiB per million events), "
      f"{s['bytes'] / ev * 1e6 / 2**20:.2f} MiB per million events with zstd")
PY
if [[ -n ${HEAPSIM:-} ]]; then
    "$HEAPSIM" import "$work/rec.hsr" -o "$work/rec.htb.zst"
fi
