"""replay_check.py HEAPSIM RECORDING LOG WORKDIR [--allow-departures] [--mode events]:
imports RECORDING (in snapshot mode, or in events mode where the model
decides when to collect), replays the trace and compares the replay's collections
(generation, collected, uncollectable) with the program's gc.callbacks LOG,
collection by collection. Exit 1 on any difference unless
--allow-departures, which reports the matched count and requires the
replay to have reported its departures through `expect` failures."""

import json
import os
import re
import subprocess
import sys


def main():
    heapsim, recording, log_path, work = sys.argv[1:5]
    allow = "--allow-departures" in sys.argv[5:]
    mode = "events" if "events" in sys.argv[5:] else "snapshot"
    name = os.path.splitext(os.path.basename(recording))[0]
    trace = os.path.join(work, f"{name}.{mode}.trace.zst")
    report = os.path.join(work, f"{name}.{mode}.replay.json")
    imported = subprocess.run([heapsim, "import", "--mode", mode, recording, "-o", trace], check=True,
                              stdout=subprocess.PIPE, text=True).stdout
    print(imported, end="")
    # Without --policy the replay takes the recorded interpreter's policy,
    # which the imported trace's header names (spec recorder.md).
    version = re.search(r": cpython (\d+\.\d+\.\d+)", imported)
    run = subprocess.run([heapsim, "run", trace, "--json", report], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 1):
        print(run.stderr)
        print(f"FAIL: heapsim run exited {run.returncode}")
        return 1
    named = f"policy from         the trace's interpreter, cpython {version and version[1]} (default build)"
    if not version or named not in run.stdout:
        print(run.stdout[:400])
        print("FAIL: the imported trace does not name its interpreter, or run did not take its policy")
        return 1
    with open(report) as f:
        replayed = [(c["generation"], c["collected"], c["uncollectable"]) for c in json.load(f)["collections"]]
    with open(log_path) as f:
        logged = [tuple(int(x) for x in line.split()) for line in f if line.strip()]
    # The replay runs the recorded collections, so it reports collected +
    # uncollectable as collected where the model has no legacy finalizers.
    matched = sum(1 for r, l in zip(replayed, logged) if r[0] == l[0] and r[1] + r[2] == l[1] + l[2])
    print(f"{name} ({mode} mode): {matched}/{len(logged)} recorded collections reproduced by the replay "
          f"({len(replayed)} replayed); heapsim run exit {run.returncode}")
    if len(replayed) != len(logged):
        print("FAIL: the replay ran a different number of collections")
        return 1
    if matched == len(logged):
        if run.returncode != 0:
            print(run.stderr)
            print("FAIL: every collection matched but heapsim run reported a failure")
            return 1
        return 0
    if allow and run.returncode == 1 and "expect failed" in run.stderr:
        print("departures reported by heapsim run (allowed for this program):")
        print("\n".join(run.stderr.splitlines()[:3]))
        return 0
    first = next(k for k in range(len(logged)) if replayed[k][0] != logged[k][0]
                 or sum(replayed[k][1:]) != sum(logged[k][1:]))
    print(f"FAIL: collection {first + 1}: replay {replayed[first]}, recorded {logged[first]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
