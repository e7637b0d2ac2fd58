"""downgrade_recording.py IN OUT: rewrites a format 2 recording as the
version 1 recording an older recorder would have written from the same run:
the same records without the WEAKREF ones (docs/recording.md, "Recording
format"), uncompressed. The recorder suite imports both to show what the
WEAKREF records change (tests/recorder/weakref_exact.py)."""

import sys

import read_recording

OPS = {"type": 0x01, "new": 0x02, "new_reused": 0x03, "move": 0x04, "dealloc": 0x05, "freed": 0x06,
       "gcstate": 0x07, "collect_start": 0x08, "collect_stop": 0x09, "time": 0x0A, "end": 0x0B,
       "new_early": 0x0C, "young_snapshot": 0x0D, "freeze": 0x0E, "unfreeze": 0x0F, "long_lived": 0x10,
       "debug_count": 0x7F}


class Writer:
    def __init__(self):
        self.out = bytearray(b"heapsimR")
        self.last = 0

    def varint(self, v):
        while v >= 0x80:
            self.out.append((v & 0x7F) | 0x80)
            v >>= 7
        self.out.append(v)

    def addr(self, a):
        # The zigzag-encoded difference, in 8-byte words, from the previous address.
        word = a >> 3
        d = word - self.last
        if d >= 1 << 63:
            d -= 1 << 64
        elif d < -(1 << 63):
            d += 1 << 64
        self.last = word
        self.varint(((d << 1) ^ (d >> 63)) & ((1 << 64) - 1))

    def string(self, s):
        b = s.encode("utf-8")
        self.varint(len(b))
        self.out += b


def encode(w, rec):
    name = rec[0]
    w.out.append(OPS[name])
    if name == "type":
        _, tid, flags, basic, item, tname = rec
        for v in (tid, flags, basic, item):
            w.varint(v)
        w.string(tname)
    elif name in ("new", "new_reused", "new_early"):
        w.addr(rec[1])
        w.varint(rec[2])
    elif name == "move":
        w.addr(rec[1])
        w.addr(rec[2])
    elif name in ("dealloc", "freed"):
        w.addr(rec[1])
    elif name == "gcstate":
        for v in rec[1]:
            w.varint(v)
        w.varint(rec[2])
    elif name in ("collect_start", "young_snapshot"):
        _, gen, explicit, counts, objs = rec
        w.varint(gen)
        w.varint(explicit)
        for v in counts:
            w.varint(v)
        w.varint(len(objs))
        for a, tid, refcnt, flags, refs in objs:
            w.addr(a)
            w.varint(tid)
            w.varint(refcnt)
            w.varint(flags)
            w.varint(len(refs))
            for t in refs:
                w.addr(t)
    elif name == "collect_stop":
        for v in rec[1:]:
            w.varint(v)
    elif name in ("time", "debug_count"):
        w.varint(rec[1])
    elif name == "end":
        w.varint(rec[1])
        for v in rec[2]:
            w.varint(v)
    elif name in ("freeze", "unfreeze"):
        for v in rec[1]:
            w.varint(v)
    elif name == "long_lived":
        w.varint(rec[1])
        w.varint(rec[2])
    else:
        raise ValueError(f"cannot encode record {name}")


def main():
    src, dst = sys.argv[1:3]
    h, recs = read_recording.parse(src)
    w = Writer()
    w.varint(1)
    w.string(h["interpreter"])
    for v in (h["hexversion"], h["wall_ns"], h["gc_head"], *h["thresholds"], h["enabled"], *h["counts"]):
        w.varint(v)
    dropped = 0
    for rec in recs:
        if rec[0] == "weakref":
            dropped += 1
            continue
        encode(w, rec)
    with open(dst, "wb") as f:
        f.write(w.out)
    print(f"{dst}: version 1, {len(recs) - dropped} records ({dropped} WEAKREF records dropped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
