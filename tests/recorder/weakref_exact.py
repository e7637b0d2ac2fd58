"""weakref_exact.py HEAPSIM PYTHON WORKDIR: the WEAKREF records against the
type-name rule they replace (docs/recording.md, "Finalizers and weakref
callbacks").

Records recorder/tests/programs/weakref_mixed.py (its callbacks free a
weakref without a callback and an object whose type name contains "ref"
before their own weakref, a Handle) with PYTHON (heapsim_record importable),
imports the recording, and imports the same recording rewritten as version 1
(recorder/tests/downgrade_recording.py: no WEAKREF records). Checks, in
snapshot and events mode:
  - format 2: every `gc callback` hook names a Handle, one per callback the
    program saw run in the window, and the replay reproduces every
    collection of the program's gc.callbacks log;
  - version 1: `heapsim import` warns once that it chose by type name, and
    that rule hooks objects that are not weakrefs with callbacks (it is
    reported, with the replay's matched collections).
Exit 1 when a check fails."""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTS = os.path.join(ROOT, "recorder", "tests")


def hooks_by_type(trace):
    """Type of the object of each `gc callback` hook of a text trace, in order."""
    types, hooked = {}, []
    with open(trace) as f:
        for line in f:
            t = line.split()
            if t and t[0].startswith("@"):  # a time stamp
                t = t[1:]
            if len(t) >= 3 and t[0] == "alloc":
                types[t[1]] = t[2]
            elif len(t) >= 3 and t[0] == "gc" and t[1] == "callback":
                hooked.append(re.sub(r":\d+$", "", types.get(t[2], "?")))
    return hooked


def replay(heapsim, trace, report, logged):
    run = subprocess.run([heapsim, "run", trace, "--json", report], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f"heapsim run {trace} exited {run.returncode}: {run.stderr[:400]}")
    with open(report) as f:
        replayed = [(c["generation"], c["collected"] + c["uncollectable"]) for c in json.load(f)["collections"]]
    truth = [(g, c + u) for g, c, u in logged]
    matched = sum(1 for r, l in zip(replayed, truth) if r == l)
    return matched, len(replayed), run.returncode


def main():
    heapsim, python, work = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    os.makedirs(work, exist_ok=True)
    rec, log = os.path.join(work, "weakref_mixed.hsr"), os.path.join(work, "weakref_mixed.log")
    for p in (rec, log):
        if os.path.exists(p):
            os.remove(p)
    subprocess.run([python, os.path.join(TESTS, "programs", "weakref_mixed.py"), rec, log], check=True, cwd=work)
    with open(log) as f:
        logged = [tuple(int(x) for x in line.split()) for line in f if line.strip()]
    with open(log + ".fired") as f:
        fired = int(f.read())
    v1 = os.path.join(work, "weakref_mixed.v1.hsr")
    subprocess.run([sys.executable, os.path.join(TESTS, "downgrade_recording.py"), rec, v1], check=True,
                   stdout=subprocess.DEVNULL)
    failures = []
    for mode in ("snapshot", "events"):
        for name, recording in (("format 2", rec), ("version 1", v1)):
            trace = os.path.join(work, f"weakref_mixed.{mode}.{name[0]}.trace")
            imp = subprocess.run([heapsim, "import", "-q", "--mode", mode, recording, "-o", trace],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if imp.returncode != 0:
                raise SystemExit(f"heapsim import {recording}: exit {imp.returncode}: {imp.stderr}")
            hooked = hooks_by_type(trace)
            handles = hooked.count("py.Handle")
            matched, replayed, rc = replay(heapsim, trace, trace + ".json", logged)
            warned = imp.stderr.count("is a version 1 recording (no WEAKREF records)")
            print(f"{name}, {mode} mode: {len(hooked)} callback hooks, {handles} on Handles, "
                  f"{len(hooked) - handles} on other objects ({', '.join(sorted(set(hooked) - {'py.Handle'}))}); "
                  f"{fired} callbacks ran; {matched}/{len(logged)} collections reproduced "
                  f"({replayed} replayed, heapsim run exit {rc}); type-name warnings {warned}")
            if name == "format 2":
                if handles != len(hooked) or handles != fired:
                    failures.append(f"{mode}: the hooks are not exactly the {fired} Handles whose callbacks ran")
                if matched != len(logged) or replayed != len(logged) or rc != 0:
                    failures.append(f"{mode}: the replay does not reproduce every collection")
                if warned:
                    failures.append(f"{mode}: a format 2 recording was imported by type name")
            else:
                if warned != 1:
                    failures.append(f"{mode}: version 1 import warned {warned} times (once expected)")
                if handles == len(hooked):
                    failures.append(f"{mode}: the type-name rule hooked only Handles: this program no "
                                    "longer shows what the WEAKREF records change")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
