"""python -m heapsim_record -o OUT [--max-seconds S] [--max-bytes N] [--snapshot-every K] [--] SCRIPT [ARGS...]

Runs SCRIPT as `python SCRIPT ARGS...` would and records from its first
line to its end (or to --max-seconds). --snapshot-every K also snapshots
the young generation every K GC allocations (for replays under other
thresholds: heapsim import --mode events)."""

import os
import runpy
import sys


def _usage(message):
    sys.stderr.write(f"heapsim_record: {message}\n"
                     "usage: python -m heapsim_record -o OUT [--max-seconds S] [--max-bytes N] [--snapshot-every K] [--] SCRIPT [ARGS...]\n")
    return 2


def main(argv):
    out = None
    max_seconds = 0.0
    max_bytes = 0
    snapshot_every = 0
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if a in ("-o", "--output", "--max-seconds", "--max-bytes", "--snapshot-every"):
            if i + 1 >= len(argv):
                return _usage(f"{a} needs a value")
            v = argv[i + 1]
            try:
                if a in ("-o", "--output"):
                    out = v
                elif a == "--max-seconds":
                    max_seconds = float(v)
                elif a == "--max-bytes":
                    max_bytes = int(v)
                else:
                    snapshot_every = int(v)
            except ValueError:
                return _usage(f"{a}: not a number: {v}")
            i += 2
            continue
        if a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        if a.startswith("-"):
            return _usage(f"unknown option {a}")
        break
    if out is None:
        return _usage("-o OUT is required")
    if i >= len(argv):
        return _usage("no SCRIPT given")
    script = argv[i]
    if not os.path.isfile(script):
        return _usage(f"{script}: no such file")

    try:
        import heapsim_record
    except ImportError as e:
        sys.stderr.write(f"{e}\n")
        return 2
    reason = heapsim_record.unsupported_reason()
    if reason:
        sys.stderr.write(f"heapsim_record: cannot record this interpreter: {reason}\n")
        return 2

    sys.argv = argv[i:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    heapsim_record.start(out, max_seconds=max_seconds, max_bytes=max_bytes,
                         snapshot_every=snapshot_every)
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        heapsim_record.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
