#!/usr/bin/env python3
"""Builds the seed corpus of every fuzz target (docs/fuzzing.md).

    make_seeds.py --source REPO --out DIR [--heapsim PATH]

Sources are the text traces in traces/, traces/scenarios/ and tests/errors/
(valid traces and every kind of malformed one), plus a few short generated
traces when --heapsim is given. Each target gets them in its own input form
(see the comment at the top of fuzz/fuzz_<target>.cpp): text as is, JSON
Lines and JSON documents converted here, compressed streams and control
bytes for the targets that take one. Seeds are cut to the target's -max_len
(fuzz/run.sh), so a large trace contributes its beginning. The output is
deterministic; DIR/<target>/ is emptied first.
"""

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Keep in step with max_len in fuzz/run.sh.
MAX_LEN = {"text": 32768, "jsonl": 32768, "json_document": 32768, "binary": 32768,
           "compressed": 16384, "pipeline": 16384, "recording": 32768}

TYPE_FLAGS = ("gc", "weakrefable", "finalizer", "legacy_finalizer", "instance")


def number_or_text(token):
    return int(token) if token.isdigit() else token


def split_options(tokens):
    positional, options = [], {}
    for token in tokens:
        key, eq, value = token.partition("=")
        if eq and key in ("size", "site", "slots", "callback"):
            options[key] = number_or_text(value) if key in ("size", "slots") else value
        else:
            positional.append(token)
    return positional, options


def operands(ev, args, options):
    """The JSON members of one text event; malformed events stay malformed."""
    def at(i):
        return args[i] if i < len(args) else None
    if ev == "type":
        fields = {"name": at(0)}
        fields.update({flag: True for flag in args[1:] if flag in TYPE_FLAGS})
        return fields
    if ev == "alloc":
        return {"id": at(0), "type": at(1), "refs": args[2:]}
    if ev in ("bind",):
        return {"name": at(0), "id": at(1)}
    if ev == "unbind":
        return {"name": at(0)}
    if ev in ("append", "remove"):
        return {"id": at(0), "ref": at(1)}
    if ev == "set":
        return {"id": at(0), "key": at(1), "ref": at(2)}
    if ev == "unset":
        return {"id": at(0), "key": at(1)}
    if ev in ("clear", "drop"):
        return {"id": at(0)}
    if ev == "weakref":
        return {"id": at(0), "target": at(1)}
    if ev == "collect":
        return {"gen": number_or_text(args[0])} if args else {}
    if ev == "gc":
        return {"action": at(0)}
    if ev == "threshold":
        return {"values": [number_or_text(a) for a in args]}
    if ev == "expect":
        what = at(0)
        if what in ("alive", "freed"):
            return {"what": what, "id": at(1)}
        if what == "refcount":
            return {"what": what, "id": at(1), "values": [number_or_text(a) for a in args[2:]]}
        return {"what": what, "values": [number_or_text(a) for a in args[1:]]}
    return {"args": args}  # an unknown event: the reader must say so


def text_to_events(text):
    """The events of a text trace as JSON objects, best effort."""
    events = []
    for line in text.splitlines():
        tokens = line.split("#", 1)[0].split()
        if not tokens or tokens[0] == "heaptrace":
            continue
        event = {}
        if tokens[0].startswith("@"):
            event["t"] = number_or_text(tokens[0][1:])
            tokens = tokens[1:]
            if not tokens:
                continue
        args, options = split_options(tokens[1:])
        event = {"ev": tokens[0], **event, **operands(tokens[0], args, options), **options}
        events.append({k: v for k, v in event.items() if v is not None})
    return events


def zstd_compress(data):
    zstd = shutil.which("zstd")
    if zstd is None:
        return None
    return subprocess.run([zstd, "-q", "-c", "-1"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def gzip_compress(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


def sources(repo, heapsim):
    """(name, text bytes) of every source trace, in a stable order."""
    found = []
    for folder in ("traces", "traces/scenarios", "tests/errors"):
        for path in sorted((repo / folder).glob("*.trace")):
            found.append((folder.replace("/", "_") + "_" + path.stem, path.read_bytes()[:65536]))
    if heapsim:
        for seed in range(1, 5):
            out = subprocess.run([heapsim, "gen", "--profile", "mixed", "--events", "400",
                                  "--seed", str(seed)], stdout=subprocess.PIPE, check=True).stdout
            found.append(("gen_mixed_%d" % seed, out))
    return found


def binary_seed(heapsim, name, text):
    """The trace converted to .htb by `heapsim convert`, once that exists."""
    if not heapsim:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / (name + ".trace"), Path(tmp) / (name + ".htb")
        src.write_bytes(text)
        done = subprocess.run([heapsim, "convert", str(src), str(dst)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        return dst.read_bytes() if done.returncode == 0 and dst.exists() else None


def seeds_of(name, text, heapsim):
    """{target: [(file name, bytes)]} for one source trace."""
    events = text_to_events(text.decode("utf-8", "replace"))
    jsonl = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()
    document = json.dumps({"format": "heaptrace", "version": 1, "events": events}).encode()
    zst = zstd_compress(text)
    out = {
        "text": [(name + ".trace", text)],
        "jsonl": [(name + ".jsonl", jsonl)],
        "json_document": [(name + ".json", document)],
        # Control byte: bits 0-2 wrapping, bits 3-4 name hint (fuzz_compressed.cpp).
        "compressed": [(name + ".raw-gz", b"\x00" + gzip_compress(text)),
                       (name + ".gz", b"\x01" + text),
                       (name + ".zst", b"\x02" + text),
                       (name + ".cut-gz", b"\x03" + text),
                       (name + ".jsonl-gz", b"\x09" + jsonl),
                       (name + ".json-zst", b"\x12" + document)],
        # Control byte: lenient, policy, name hint, thresholds, twice (fuzz_pipeline.cpp).
        "pipeline": [(name + ".strict", b"\x00" + text),
                     (name + ".lenient-small", b"\x11" + text),
                     (name + ".refcount-twice", b"\x22" + text),
                     (name + ".jsonl", b"\x05" + jsonl),
                     (name + ".json", b"\x18" + document)],
        "binary": [],
    }
    if zst is not None:
        out["compressed"].append((name + ".raw-zst", b"\x00" + zst))
    htb = binary_seed(heapsim, name, text)
    if htb is not None:
        # Control byte: bit 0 set keeps the checksums as they are (fuzz_binary.cpp).
        out["binary"].append((name + ".htb", b"\x00" + htb))
        out["binary"].append((name + ".htb-as-is", b"\x01" + htb))
        out["pipeline"].append((name + ".htb", b"\x0d" + htb))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="the repository")
    parser.add_argument("--out", type=Path, required=True, help="corpus root: OUT/<target>/")
    parser.add_argument("--heapsim", help="a heapsim executable, for generated and binary seeds")
    args = parser.parse_args()
    for target in MAX_LEN:
        shutil.rmtree(args.out / target, ignore_errors=True)
        (args.out / target).mkdir(parents=True)
    counts = dict.fromkeys(MAX_LEN, 0)
    for name, text in sources(args.source, args.heapsim):
        for target, files in seeds_of(name, text, args.heapsim).items():
            for file_name, data in files:
                (args.out / target / file_name).write_bytes(data[:MAX_LEN[target]])
                counts[target] += 1
    print("seeds: " + ", ".join("%s %d" % (t, n) for t, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
