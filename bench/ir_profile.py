#!/usr/bin/env python3
"""Instructions per event by part of the replay, from one callgrind profile.

    valgrind --tool=callgrind --callgrind-out-file=cg.out heapsim run web1m.htb -q >/dev/null
    python3 bench/ir_profile.py cg.out EVENTS [--path htb] [--functions]

A view of bench/profile.sh's split for a profile taken by hand: the parts
are the components of bench/profile_components.txt (the one mapping of
functions to parts; bench/profile_split.py attributes each function's own
cost to its rule's component, and an unmapped function's cost to its
callers' components), divided by EVENTS (the run's event count). --path
names which of the mapping's paths the profile is (text, jsonl, htb,
replay, import-snapshot, import-events; default htb, `heapsim run` of an
.htb file): every rule of that path must match a function that ran, as in
bench/profile.sh. --functions then lists every function of 0.5 Ir/event or
more (its own cost) with its part, so a new hot function is seen rather
than hidden.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from profile_split import Mapping, Profile, attribute, short  # noqa: E402

MAPPING = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profile_components.txt")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("callgrind_out")
    ap.add_argument("events", type=int)
    ap.add_argument("--path", default="htb", help="the mapping's path this profile is (default: htb)")
    ap.add_argument("--functions", action="store_true", help="list functions of 0.5 Ir/event or more")
    ap.add_argument("--mapping", default=MAPPING, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.events <= 0:
        ap.error("EVENTS must be positive")

    mapping = Mapping(args.mapping)
    profile = Profile(args.callgrind_out)
    mapped = mapping.component_of(args.path, profile, args.events)
    cost, detail = attribute(profile, mapped)
    events = args.events
    print("| part | Ir/event |\n|---|---|")
    for part in mapping.components + sorted(set(cost) - set(mapping.components)):
        if cost.get(part, 0) >= 0.05 * events:
            print(f"| {part} | {cost[part] / events:.1f} |")
    print(f"| **whole process** | **{profile.total / events:.1f}** |")
    if args.functions:
        print()
        rows = []
        for part, fns in detail.items():
            for fn, ir in fns.items():
                rows.append((ir, part, fn))
        for ir, part, fn in sorted(rows, reverse=True):
            if ir / events >= 0.5:
                print(f"{ir / events:8.1f}  {part[:24]:24}  {short(fn, 100)}")


if __name__ == "__main__":
    main()
