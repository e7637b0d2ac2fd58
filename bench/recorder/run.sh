#!/usr/bin/env bash
# bench/recorder/run.sh VENV|PYTHON [REPEATS [CADENCES]] (PYTHON with
# heapsim_record on PYTHONPATH): the recorder's CPU overhead and volume on
# the orders workload (docs/recording.md, "What it costs"): median CPU
# seconds of the whole process (writer thread included) without recording
# and with it, for each young-snapshot cadence in CADENCES (default "0 50":
# snapshots only at collections, then one every 50 GC allocations); object
# events and records (object events + snapshot entries) per CPU second,
# raw and zstd bytes per million object events; `heapsim import` speed in
# each mode when HEAPSIM is set (IMPORT_BATCHES: the size of that recording).
set -euo pipefail
venv=$1 repeats=${2:-5} cadences=${3:-"0 50"}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=$venv
[[ -d $venv ]] && py=$venv/bin/python
for i in $(seq "$repeats"); do
    "$py" "$here/orders_bench.py" >>"$work/plain.jsonl"
    for k in $cadences; do
        "$py" "$here/orders_bench.py" "$work/rec-$k.hsr" "$k" >>"$work/rec-$k.jsonl"
    done
done
python3 - "$work" $cadences <<'PY'
import json, statistics, sys
work, cadences = sys.argv[1], sys.argv[2:]
plain = [json.loads(l) for l in open(work + "/plain.jsonl")]
p = statistics.median(x["cpu_s"] for x in plain)
print(f"CPU without recording {p:.3f} s (median of {len(plain)})")
mib = 2**20
for k in cadences:
    rec = [json.loads(l) for l in open(f"{work}/rec-{k}.jsonl")]
    r = statistics.median(x["cpu_s"] for x in rec)
    s = rec[-1]["recorder"]
    ev, snap = s["events"], s["snapshot_objects"]
    label = "snapshots at collections only" if k == "0" else f"young snapshot every {k} GC allocations"
    print(f"{label}: CPU {r:.3f} s, overhead {r / p:.2f}x; {ev} object events, "
          f"{s['snapshots']} snapshots of {snap} objects; "
          f"{ev / r / 1e6:.2f} M object events and {(ev + snap) / r / 1e6:.2f} M records per CPU second; "
          f"{s['raw_bytes'] / ev * 1e6 / mib:.2f} MiB per million object events raw, "
          f"{s['bytes'] / ev * 1e6 / mib:.2f} MiB zstd ({s['raw_bytes'] / mib:.1f} / {s['bytes'] / mib:.1f} MiB)")
PY
# Import speed: one recording of IMPORT_BATCHES batches (default 2000, about
# 13 M records on 3.12.1), imported in each mode to .htb; records per CPU
# second as `heapsim import` reports them (user + system CPU of the import).
if [[ -n ${HEAPSIM:-} ]]; then
    "$py" "$here/orders_bench.py" "$work/import.hsr" 0 "${IMPORT_BATCHES:-2000}" >/dev/null
    for mode in snapshot events; do
        line=$("$HEAPSIM" import --mode "$mode" "$work/import.hsr" -o "$work/import-$mode.htb" 2>/dev/null | head -1)
        records=$(sed -E 's/.*: ([0-9]+) records,.*/\1/' <<<"$line")
        rate=$(sed -E 's/.* ([0-9.]+) M records per CPU second.*/\1/' <<<"$line")
        echo "heapsim import, $mode mode: $records records, $rate M records per CPU second (.htb)"
        rm -f "$work/import-$mode.htb"
    done
fi
