#!/usr/bin/env python3
"""Writes the big-dict workload of bench/big_dict.sh as a JSON trace document.

One dict of N keys, built by a single display (no keyed store, so building
it costs O(N) whatever the store path costs), then one `append` (the first
keyed lookup: an indexed build pays its index here), then M stores (half
overwrite a random existing key, half add a new key) and M deletes of
distinct random keys. A JSON document, because a text line holds at most
1 MiB (about 10^5 references); `heapsim convert` turns it into `.htb`.

usage: big_dict.py N M SEED > trace.json
"""
import json
import random
import sys


def main():
    n, m, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    out = sys.stdout
    out.write('{"format":"heaptrace","version":1,"events":[\n')
    for i in range(n):
        out.write('{"ev":"alloc","id":"v%d","type":"int"},\n' % i)
    out.write(json.dumps({"ev": "alloc", "id": "d", "type": "dict",
                          "refs": ["v%d" % i for i in range(n)]}))
    out.write(',\n{"ev":"bind","name":"d","id":"d"},\n')
    out.write('{"ev":"alloc","id":"w","type":"int"},\n{"ev":"append","id":"d","ref":"w"},\n')
    # Display keys are "0".."N-1"; the append stored "N".
    for j in range(m):
        key = str(rng.randrange(n)) if j % 2 == 0 else "n%d" % j
        out.write('{"ev":"alloc","id":"s%d","type":"int"},\n' % j)
        out.write('{"ev":"set","id":"d","key":"%s","ref":"s%d"},\n' % (key, j))
    for key in rng.sample(range(n), m):
        out.write('{"ev":"unset","id":"d","key":"%d"},\n' % key)
    out.write('{"ev":"unbind","name":"d"}\n]}\n')


if __name__ == "__main__":
    main()
