"""whatif_check.py HEAPSIM PYTHON PROGRAM WORKDIR T0,T1,T2 [--snapshot-every K]... [--max-error PCT]

Measures the what-if error of events mode: records recorder/tests/programs/
PROGRAM.py under its default thresholds (with young snapshots every K GC
allocations, for each K given; 0 = only at collections), replays each
recording with `heapsim import --mode events` and `heapsim run --threshold
T0,T1,T2`, and compares the replay's collections with the program actually
run under T0,T1,T2 (its gc.callbacks log is the truth). Prints, per K: the
collections per generation and the objects collected, replayed vs real,
and the relative error of the collected total. With --max-error, exits 1
when, for the last K, the collected total or the number of collections of
any generation departs from the real one by more than PCT percent.

PYTHON is a venv's python or an interpreter with heapsim_record on
PYTHONPATH."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def record(python, program, work, tag, threshold, every):
    out = os.path.join(work, f"{program}-{tag}.hsr")
    log = os.path.join(work, f"{program}-{tag}.log")
    env = dict(os.environ, HEAPSIM_TEST_SNAPSHOT_EVERY=str(every))
    env.pop("HEAPSIM_TEST_THRESHOLD", None)
    if threshold:
        env["HEAPSIM_TEST_THRESHOLD"] = threshold
    subprocess.run([python, os.path.join(ROOT, "recorder/tests/programs", program + ".py"), out, log],
                   check=True, cwd=work, env=env)
    with open(log) as f:
        collections = [tuple(int(x) for x in line.split()) for line in f if line.strip()]
    return out, [(g, c + u) for g, c, u in collections]


def replay(heapsim, recording, threshold):
    trace = recording[:-4] + ".events.trace.zst"
    report = recording[:-4] + ".whatif.json"
    subprocess.run([heapsim, "import", "--mode", "events", "-q", recording, "-o", trace], check=True)
    run = subprocess.run([heapsim, "run", trace, "--threshold", threshold, "--ignore-trace-thresholds",
                          "--ignore-expect", "--lenient", "--json", report],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        raise SystemExit(f"heapsim run exited {run.returncode}: {run.stderr}")
    with open(report) as f:
        return [(c["generation"], c["collected"] + c["uncollectable"]) for c in json.load(f)["collections"]]


def summary(collections):
    per_gen = [sum(1 for g, _ in collections if g == k) for k in range(3)]
    return per_gen, sum(n for _, n in collections)


def main():
    args = sys.argv[1:]
    heapsim, python, program, work, threshold = args[:5]
    everies, max_error, i = [], None, 5
    while i < len(args):
        if args[i] == "--snapshot-every":
            everies.append(int(args[i + 1]))
        elif args[i] == "--max-error":
            max_error = float(args[i + 1])
        i += 2
    everies = everies or [0]
    os.makedirs(work, exist_ok=True)
    _, truth = record(python, program, work, "truth-" + threshold.replace(",", "_"), threshold, 0)
    real_gens, real_total = summary(truth)
    failed = False
    for every in everies:
        recording, recorded = record(python, program, work, f"every{every}", None, every)
        replayed = replay(heapsim, recording, threshold)
        gens, total = summary(replayed)
        error = 100.0 * abs(total - real_total) / max(real_total, 1)
        same = sum(1 for a, b in zip(replayed, truth) if a == b)
        print(f"{program} at {threshold}, young snapshot every {every or '-'}: collections per "
              f"generation {gens} replayed vs {real_gens} real (recorded at the default: "
              f"{summary(recorded)[0]}); collected {total} vs {real_total} ({error:.1f} % error); "
              f"{same}/{len(truth)} collections identical")
        worst = max([error] + [100.0 * abs(a - b) / max(b, 1) for a, b in zip(gens, real_gens)])
        failed = max_error is not None and worst > max_error
        if failed:
            print(f"FAIL: {worst:.1f} % departure, above the bound of {max_error} %")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
