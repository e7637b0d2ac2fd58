#!/usr/bin/env python3
"""The deterministic parts of `heapsim run --format html`: for each TRACE the
page is exactly report/report.html with its placeholder replaced by one JSON
document, that document is the trace's JSON golden (tests/golden/NAME.json),
it holds no '<', '>' or '&' (nothing in it can end the <script> element), and
two runs write the same bytes. A page embeds at most 200 leaks and leak
groups (the first ones, what its tables show) and says so in an `html`
object (report/html_data.cpp); the bundled traces have fewer than 2,000
collections, so they are embedded whole.

    html_golden.py HEAPSIM TRACE...      (from the repository root)
"""
import json
import os
import subprocess
import sys
import tempfile

PLACEHOLDER = "@HEAPSIM_REPORT_JSON@"
OPEN = '<script id="report-data" type="application/json">\n'


def page_of(heapsim, trace, path):
    args = [heapsim, "run", trace, "--format", "html", "-o", path]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"FAIL {trace}: heapsim exited {done.returncode}: {done.stderr}")
    with open(path, encoding="utf-8") as f:
        return f.read()


ROWS = 200


def unthinned(doc, golden, problems):
    """The embedded document with the golden's rows put back where the page
    left them out, after checking that what it kept is their beginning."""
    html = doc.pop("html", None)
    if html is None:
        return doc
    for key in ("leaks", "leak_groups"):
        full = golden.get(key, [])
        if key not in html:
            continue
        if html[key] != len(full) or html[key + "_embedded"] != min(ROWS, len(full)):
            problems.append(f"html.{key} does not count the golden's {len(full)} rows")
        if doc.get(key) != full[:ROWS]:
            problems.append(f"the page's {key} are not the golden's first {ROWS}")
        doc[key] = full
    if "collections" in html:
        problems.append("a bundled trace's collections were thinned")
    return doc


def main():
    heapsim, traces = sys.argv[1], sys.argv[2:]
    template = open("report/report.html", encoding="utf-8").read()
    before, after = template.split(PLACEHOLDER)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for trace in traces:
            name = os.path.basename(trace)
            page = page_of(heapsim, trace, os.path.join(tmp, "a.html"))
            again = page_of(heapsim, trace, os.path.join(tmp, "b.html"))
            problems = []
            if page != again:
                problems.append("two runs wrote different pages")
            if not (page.startswith(before) and page.endswith(after)):
                problems.append("the page is not the template around one JSON document")
            embedded = page[len(before):len(page) - len(after)]
            if any(c in embedded for c in "<>&"):
                problems.append("the embedded JSON holds '<', '>' or '&'")
            if before.count(OPEN) != 1 or not before.endswith(OPEN):
                problems.append("the placeholder is not alone in the report-data script")
            try:
                doc = json.loads(embedded)
            except ValueError as e:
                problems.append(f"the embedded JSON does not parse: {e}")
                doc = None
            golden_path = os.path.join("tests/golden", name + ".json")
            if doc is not None and os.path.exists(golden_path):
                with open(golden_path, encoding="utf-8") as f:
                    golden = json.load(f)
                doc = unthinned(doc, golden, problems)
                if doc != golden:
                    keys = [k for k in set(doc) | set(golden) if doc.get(k) != golden.get(k)]
                    problems.append(f"the embedded JSON differs from {golden_path} in {sorted(keys)}")
            elif doc is not None:
                problems.append(f"no golden {golden_path}")
            for p in problems:
                print(f"FAIL {trace}: {p}")
            failures += bool(problems)
            if not problems:
                print(f"ok {trace}: {len(page)} bytes, JSON as {golden_path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
