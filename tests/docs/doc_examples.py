#!/usr/bin/env python3
"""The examples in README.md and docs/*.md, generated from the bundled traces
and checked against the program, so that they cannot drift (issue 12).

An example is a fenced code block preceded by a marker comment:

    <!-- example: ARGS -->          the block is heapsim's whole standard
                                    output for `heapsim ARGS` (a first line
                                    starting with "$ " is the command shown)
    <!-- example-head: ARGS -->     the block is the first lines of it
    <!-- example-json: ARGS -->     the block is a JSON document whose every
                                    value is the report's at the same place
                                    (arrays by index); "..." values and
                                    "...": "..." members stand for the rest

ARGS are run from the repository root, split like a shell would (no pipes).

    HEAPSIM=build/heapsim python3 tests/docs/doc_examples.py --check  [FILE...]
    HEAPSIM=build/heapsim python3 tests/docs/doc_examples.py --update [FILE...]

--update rewrites the text blocks from the program's output (review the diff,
as for goldens); JSON blocks are abridged by hand, so --check names each
value that differs and its actual value. Exit status: 0 all agree, 1 a block
differs, 2 usage.
"""
import json
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARKER = re.compile(r"^<!-- (example|example-head|example-json): (.*) -->$")
ELIDED = "..."


def run(args):
    heapsim = os.environ.get("HEAPSIM", "build/heapsim")
    done = subprocess.run([heapsim] + shlex.split(args), cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"heapsim {args}: exit status {done.returncode}\n{done.stderr}")
    return done.stdout


def blocks(text):
    """(kind, args, first line index of the block body, end index) per example."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            start = i + 2
            end = start
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            yield m.group(1), m.group(2), start, end
            i = end
        i += 1


def subdocument_errors(doc, real, path="$"):
    """Where `doc` is not `real` restricted to doc's keys."""
    if doc == ELIDED:
        return []
    if isinstance(doc, dict):
        if not isinstance(real, dict):
            return [f"{path}: the report has {json.dumps(real)}"]
        errors = []
        for key, value in doc.items():
            if key == ELIDED:
                continue
            if key not in real:
                errors.append(f"{path}.{key}: not in the report")
            else:
                errors += subdocument_errors(value, real[key], f"{path}.{key}")
        return errors
    if isinstance(doc, list):
        if not isinstance(real, list) or len(real) < len(doc):
            return [f"{path}: the report has {json.dumps(real)[:200]}"]
        errors = []
        for i, value in enumerate(doc):
            errors += subdocument_errors(value, real[i], f"{path}[{i}]")
        return errors
    if doc != real:
        return [f"{path}: the document says {json.dumps(doc)}, the report has {json.dumps(real)}"]
    return []


def process(path, update):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    failures = []
    replacements = []
    for kind, args, start, end in blocks(text):
        body = lines[start:end]
        where = f"{os.path.relpath(path, ROOT)}:{start + 1}"
        output = run(args)
        if kind == "example-json":
            errors = subdocument_errors(json.loads("\n".join(body)), json.loads(output))
            failures += [f"{where}: heapsim {args}: {e}" for e in errors]
            continue
        shown = body[1:] if body and body[0].startswith("$ ") else body
        want = output.rstrip("\n").split("\n")
        if kind == "example-head":
            want = want[: len(shown)]
        if shown != want:
            if update:
                replacements.append((start + (len(body) - len(shown)), end, want))
            else:
                failures.append(f"{where}: heapsim {args}: the block differs from the output:\n" + "\n".join(
                    f"    doc: {a!r}\n    out: {b!r}" for a, b in zip(shown + [""] * len(want), want) if a != b)[:2000])
    for start, end, want in reversed(replacements):
        lines[start:end] = want
    if replacements:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"updated {len(replacements)} example(s) in {os.path.relpath(path, ROOT)}")
    return failures


def main(argv):
    if not argv or argv[0] not in ("--check", "--update"):
        print(__doc__, file=sys.stderr)
        return 2
    files = argv[1:] or [os.path.join(ROOT, "README.md")] + sorted(
        os.path.join(ROOT, "docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))
    failures = []
    examples = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            examples += sum(1 for _ in blocks(f.read()))
        failures += process(path, argv[0] == "--update")
    for failure in failures:
        print(failure, file=sys.stderr)
    if examples == 0:
        print("no examples found: the markers are gone?", file=sys.stderr)
        return 1
    print(f"{examples} examples, {len(failures)} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
