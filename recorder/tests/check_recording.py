"""Checks a recording against the interpreter's own numbers.

1. count0/count1/count2 rebuilt from the recorded creations and frees equal
   the counts the recorder read from the collector at every collection.
2. The collection found in each snapshot (objects of the collected
   generations whose references do not all come from inside them, and what
   they reach) has exactly `collected + uncollectable` unreachable objects,
   unless the recording shows resurrection (then it is reported, not hidden).
3. (with --log) the recorded collections equal a gc.callbacks log written by
   the program: one "GEN COLLECTED UNCOLLECTABLE" line per collection.

Prints a summary; exit status 1 when a check fails."""

import argparse
import sys

import read_recording


def early_allocations(recs):
    """{index of a collect_start: allocations counted before it started
    whose creation is recorded after it (NEW_EARLY)}."""
    starts = [i for i, r in enumerate(recs) if r[0] == "collect_start"]
    # NEW_EARLY records were counted by the interpreter before the collection
    # that precedes them started (3.11: a collection inside an allocation).
    early_after = {}
    nxt = 0
    for i, r in enumerate(recs):
        if r[0] == "new_early":
            while nxt < len(starts) and starts[nxt] < i:
                nxt += 1
            if nxt == 0:
                raise ValueError(f"record {i}: new_early before any collection")
            k = starts[nxt - 1]
            early_after[k] = early_after.get(k, 0) + 1
    return early_after


def rebuild_counts(header, recs):
    """Yields (index, generation, expected counts, recorded counts) per collection."""
    c = list(header["counts"])
    early_after = early_allocations(recs)
    for i, r in enumerate(recs):
        op = r[0]
        if op == "new":
            c[0] += 1
        elif op == "freed":
            if c[0] > 0:
                c[0] -= 1
        elif op in ("freeze", "unfreeze"):
            c = list(r[1])  # the counts gc.freeze() / gc.unfreeze() left
        elif op == "collect_start":
            gen, counts = r[1], r[3]
            expected = [c[0] + early_after.get(i, 0), c[1], c[2]]
            yield i, gen, expected, counts
            if gen + 1 < 3:
                c[gen + 1] += 1
            for g in range(gen + 1):
                c[g] = 0


def reachable(objs):
    """CPython's deduce_unreachable on one snapshot, without list order: for
    each object, whether it is reachable from an externally referenced one."""
    index = {o[0]: k for k, o in enumerate(objs)}
    refs = [o[2] for o in objs]
    for o in objs:
        for a in o[4]:
            k = index.get(a)
            if k is not None:
                refs[k] -= 1
    reach = [False] * len(objs)
    stack = [k for k in range(len(objs)) if refs[k] > 0]
    for k in stack:
        reach[k] = True
    while stack:
        k = stack.pop()
        for a in objs[k][4]:
            j = index.get(a)
            if j is not None and not reach[j]:
                reach[j] = True
                stack.append(j)
    return reach


def unreachable(objs):
    """The number of objects of one snapshot not reachable from an
    externally referenced one."""
    return len(objs) - sum(reachable(objs))


def called_back(objs, weakrefs):
    """The weakrefs whose callbacks the collection's weakref step runs
    (handle_weakrefs, cpython-gc.md 5.5): from the WEAKREF records after its
    snapshot (format 2), those with a callback to an unreachable object that
    are not unreachable themselves."""
    reach = reachable(objs)
    garbage = {objs[k][0] for k in range(len(objs)) if not reach[k]}
    return {wr for wr, referent, flags in weakrefs if flags & 1 and referent in garbage and wr not in garbage}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--log", help="gc.callbacks log of the program")
    ap.add_argument("--min-collections", type=int, default=1)
    ap.add_argument("--snapshot", choices=("exact", "at-least", "at-most"), default="exact",
                    help="how the snapshot's unreachable objects compare with collected + uncollectable: "
                         "exact; at-least when finalizers may resurrect objects (they are found "
                         "unreachable, then not collected); at-most when weakrefs with callbacks die "
                         "(freed after their callback, counted as collected)")
    a = ap.parse_args()
    header, recs = read_recording.parse(a.recording)
    failures = []

    # A recorder built with -DHSR_DEBUG_COUNTS writes the collector's count0
    # after every creation and free: check each one.
    per_event = [0, 0]
    c0 = header["counts"][0]
    early_after = early_allocations(recs)
    for i, r in enumerate(recs):
        if r[0] == "new":
            c0 += 1
        elif r[0] == "freed" and c0 > 0:
            c0 -= 1
        elif r[0] in ("freeze", "unfreeze"):
            c0 = r[1][0]
        elif r[0] == "collect_start":
            c0 = 0  # a NEW_EARLY was counted before this reset: it does not count after
        elif r[0] == "debug_count":
            per_event[0] += 1
            # Between a 3.11 collection's triggering allocation and its start
            # the collector has counted the allocation whose NEW_EARLY comes
            # after the collection: allow that one step.
            nxt = next((k for k in range(i + 1, min(i + 64, len(recs))) if recs[k][0] == "collect_start"), None)
            slack = early_after.get(nxt, 0) if nxt is not None else 0
            if not (c0 <= r[1] <= c0 + slack):
                per_event[1] += 1
                if per_event[1] <= 5:
                    failures.append(f"record {i}: count0 rebuilt {c0}, collector had {r[1]} after {recs[i - 1][0]}")
            c0 = r[1]

    counted = 0
    for i, gen, expected, got in rebuild_counts(header, recs):
        counted += 1
        if expected != got:
            failures.append(f"collection at record {i} (generation {gen}): counts rebuilt {expected}, "
                            f"collector had {got}")

    # The full-collection rule (gc_collect_generations): an automatic
    # collection of generation 2 runs only when long_lived_pending >=
    # long_lived_total / 4; otherwise generation 2 over its threshold gives
    # way to the next younger one. Checked with the long-lived counts the
    # recorder wrote before each collection.
    thresholds = list(header["thresholds"])
    long_lived = None
    full_rule = [0, 0]  # collections where the rule decided, of them consistent
    for i, r in enumerate(recs):
        if r[0] == "gcstate":
            thresholds = list(r[1])
        elif r[0] == "long_lived":
            long_lived = r[1:]
        elif r[0] == "collect_start" and not r[2] and long_lived is not None:
            total, pend = long_lived
            deferred = pend < total // 4
            if r[1] == 2 or r[3][2] > thresholds[2]:
                full_rule[0] += 1
                if (r[1] == 2) == (not deferred):
                    full_rule[1] += 1
                else:
                    failures.append(f"collection at record {i} (generation {r[1]}): long-lived "
                                    f"{total}, pending {pend}: the full-collection rule says otherwise")

    collections = []
    pending = None
    weakrefs = []
    # Format 2, with weakref callbacks: collected can exceed what the
    # snapshot finds unreachable by the weakrefs freed right after their
    # callback, and by no more than the weakrefs whose callbacks ran.
    callback_bound = [0, 0]  # collections checked, within the bound
    for r in recs:
        if r[0] == "collect_start":
            pending = r
            weakrefs = []
        elif r[0] == "weakref":
            weakrefs.append(r[1:])
        elif r[0] == "collect_stop":
            if pending is None or pending[1] != r[1]:
                failures.append(f"collect_stop of generation {r[1]} without its start")
                continue
            found = unreachable(pending[4])
            collections.append((r[1], r[2], r[3], found, pending[2]))
            if header["version"] >= 2 and a.snapshot == "at-most":
                called = len(called_back(pending[4], weakrefs))
                callback_bound[0] += 1
                if r[2] + r[3] <= found + called:
                    callback_bound[1] += 1
                else:
                    failures.append(f"collection {len(collections)} (generation {r[1]}): collected {r[2]} + "
                                    f"{r[3]} exceeds the {found} unreachable and the {called} weakrefs called back")
            pending = None
    compare = {"exact": lambda found, n: found == n, "at-least": lambda found, n: found >= n,
               "at-most": lambda found, n: found <= n}[a.snapshot]
    snapshot_mismatch = [(k, c) for k, c in enumerate(collections) if not compare(c[3], c[1] + c[2])]
    for k, c in snapshot_mismatch:
        failures.append(f"collection {k + 1} (generation {c[0]}): snapshot has {c[3]} unreachable, "
                        f"the collector reported {c[1]} collected + {c[2]} uncollectable")

    if a.log:
        with open(a.log) as f:
            log = [tuple(int(x) for x in line.split()) for line in f if line.strip()]
        mine = [(c[0], c[1], c[2]) for c in collections]
        if mine != log:
            first = next((k for k in range(min(len(mine), len(log))) if mine[k] != log[k]), min(len(mine), len(log)))
            failures.append(f"recorded collections differ from the gc.callbacks log: {len(mine)} recorded, "
                            f"{len(log)} logged, first difference at collection {first + 1}: "
                            f"{mine[first] if first < len(mine) else None} vs {log[first] if first < len(log) else None}")
    if len(collections) < a.min_collections:
        failures.append(f"only {len(collections)} collections recorded (expected at least {a.min_collections})")

    ends = [r for r in recs if r[0] == "end"]
    if len(ends) != 1 or recs[-1][0] != "end":
        failures.append("the recording does not end with exactly one end record")

    events = sum(1 for r in recs if r[0] in ("new", "new_reused", "new_early", "move", "dealloc", "freed"))
    print(f"{a.recording}: {header['interpreter']}: {events} object events, {len(collections)} collections "
          f"({sum(1 for c in collections if c[4])} explicit), counts matched at {counted - sum(1 for f in failures if 'counts rebuilt' in f)}/{counted}, "
          f"snapshots matched ({a.snapshot}) {len(collections) - len(snapshot_mismatch)}/{len(collections)}"
          + (f", full-collection rule held at {full_rule[1]}/{full_rule[0]}" if full_rule[0] else "")
          + (f", within unreachable + weakrefs called back at {callback_bound[1]}/{callback_bound[0]}"
             if callback_bound[0] else "")
          + (f", per-event count0 matched {per_event[0] - per_event[1]}/{per_event[0]}" if per_event[0] else "")
          + (f", gc.callbacks log {'matched' if not any('log' in f for f in failures) else 'DIFFERS'}" if a.log else ""))
    for f in failures[:20]:
        print("  FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
