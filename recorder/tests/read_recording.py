"""Decodes a heapsim_record recording (docs/recording.md) into Python
objects, for the tests. `python read_recording.py FILE` prints a summary."""

import subprocess
import sys

OP_NAMES = {1: "type", 2: "new", 3: "new_reused", 4: "move", 5: "dealloc", 6: "freed", 7: "gcstate",
            8: "collect_start", 9: "collect_stop", 10: "time", 11: "end", 12: "new_early"}


def decompress(path):
    with open(path, "rb") as f:
        head = f.read(4)
    if head == b"\x28\xb5\x2f\xfd":
        return subprocess.run(["zstd", "-dc", "--", path], check=True, stdout=subprocess.PIPE).stdout
    with open(path, "rb") as f:
        return f.read()


class Reader:
    def __init__(self, data):
        self.d = data
        self.i = 0
        self.last = 0

    def varint(self):
        v = 0
        shift = 0
        d = self.d
        while True:
            b = d[self.i]
            self.i += 1
            v |= (b & 0x7F) << shift
            if b < 0x80:
                return v
            shift += 7

    def addr(self):
        z = self.varint()
        delta = (z >> 1) ^ -(z & 1)
        self.last = (self.last + delta) & ((1 << 64) - 1)
        return self.last << 3

    def string(self):
        n = self.varint()
        s = self.d[self.i:self.i + n].decode("utf-8", "replace")
        self.i += n
        return s


def parse(path):
    """Returns (header dict, list of records as tuples (op, fields...))."""
    r = Reader(decompress(path))
    if r.d[:8] != b"heapsimR":
        raise ValueError(f"{path}: not a heapsim recording")
    r.i = 8
    h = {"version": r.varint(), "interpreter": r.string(), "hexversion": r.varint(), "wall_ns": r.varint(),
         "gc_head": r.varint()}
    h["thresholds"] = [r.varint() for _ in range(3)]
    h["enabled"] = r.varint()
    h["counts"] = [r.varint() for _ in range(3)]
    recs = []
    n = len(r.d)
    while r.i < n:
        op = r.d[r.i]
        r.i += 1
        if op == 1:
            tid, flags, basic, item = r.varint(), r.varint(), r.varint(), r.varint()
            recs.append(("type", tid, flags, basic, item, r.string()))
        elif op in (2, 3, 12):
            recs.append((OP_NAMES[op], r.addr(), r.varint()))
        elif op == 4:
            recs.append(("move", r.addr(), r.addr()))
        elif op in (5, 6):
            recs.append((OP_NAMES[op], r.addr()))
        elif op == 7:
            recs.append(("gcstate", [r.varint() for _ in range(3)], r.varint()))
        elif op in (8, 13):  # collect_start; young_snapshot (snapshot_every): same layout
            gen, explicit = r.varint(), r.varint()
            counts = [r.varint() for _ in range(3)]
            objs = []
            for _ in range(r.varint()):
                a, tid, refcnt, flags = r.addr(), r.varint(), r.varint(), r.varint()
                refs = [r.addr() for _ in range(r.varint())]
                objs.append((a, tid, refcnt, flags, refs))
            recs.append(("collect_start" if op == 8 else "young_snapshot", gen, explicit, counts, objs))
        elif op == 9:
            recs.append(("collect_stop", r.varint(), r.varint(), r.varint()))
        elif op == 10:
            recs.append(("time", r.varint()))
        elif op == 11:
            recs.append(("end", r.varint(), [r.varint() for _ in range(3)]))
        elif op in (0x0E, 0x0F):  # gc.freeze() / gc.unfreeze(), the counts after it
            recs.append(("freeze" if op == 0x0E else "unfreeze", [r.varint() for _ in range(3)]))
        elif op == 0x10:  # long_lived_total, long_lived_pending
            recs.append(("long_lived", r.varint(), r.varint()))
        elif op == 0x11:  # format 2, after collect_start: weakref, its referent, flags (1: callback)
            recs.append(("weakref", r.addr(), r.addr(), r.varint()))
        elif op == 0x7F:
            recs.append(("debug_count", r.varint()))
        else:
            raise ValueError(f"{path}: unknown record 0x{op:02x} at byte {r.i - 1}")
    return h, recs


if __name__ == "__main__":
    h, recs = parse(sys.argv[1])
    print(h)
    from collections import Counter
    print(Counter(x[0] for x in recs))
    for x in recs:
        if x[0] in ("collect_start",):
            print(x[0], x[1], x[2], x[3], len(x[4]))
        elif x[0] in ("collect_stop", "end", "gcstate"):
            print(*x)
