#!/usr/bin/env python3
"""End-to-end tests of `heapsim compare`, `sweep` and `merge`, and of the
budgets of `run`, on the built binary (docs/ci.md; issue 14).

    HEAPSIM=build/heapsim python3 tests/sweep/sweep_e2e.py CASE

Each CASE is one CTest test (tests/sweep/sweep.cmake). Run from the
repository root. Exit status 0 when every check holds, 1 otherwise.
"""
import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HEAPSIM = os.environ.get("HEAPSIM", "build/heapsim")
TRACE = "traces/web_service.trace"
CONFIGS = ["cpython-3.11", "cpython-3.11:threshold=2000,10,10",
           "cpython-3.13:threshold=100,5,5:trace-thresholds=ignore"]
GRID = ["--grid", "threshold0=100..5000:log:4", "--grid", "threshold1=5,20"]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def heapsim(*args, env=None, stdin=subprocess.DEVNULL):
    full_env = dict(os.environ)
    for name in ("HEAPSIM_SHARD", "HEAPSIM_SHARD_TOTAL", "CI_NODE_INDEX", "CI_NODE_TOTAL",
                 "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
                 "JOB_COMPLETION_INDEX"):
        full_env.pop(name, None)
    full_env.update(env or {})
    return subprocess.run([HEAPSIM, *args], capture_output=True, text=True, env=full_env, stdin=stdin)


def compare_args(*extra):
    args = ["compare", TRACE]
    for c in CONFIGS:
        args += ["--config", c]
    return args + list(extra)


def json_of(args):
    done = heapsim(*args, "--json", "-")
    check(done.returncode in (0, 1), f"{args}: exit {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def check_document(doc, runs):
    check(doc["schema"] == "heapsim-sweep/1", "schema")
    check(doc["traces"][0]["path"] == TRACE and doc["traces"][0]["events"] > 0, "traces")
    check(len(doc["runs"]) == runs, f"{runs} runs")
    check([r["run"] for r in doc["runs"]] == list(range(runs)), "runs in order")
    for r in doc["runs"]:
        for key in ("trace", "config", "summary", "pauses", "gc_time_ns", "peak_cyclic_garbage_bytes",
                    "budgets"):
            check(key in r, f"run has {key}")
        check(r["gc_time_ns"] == r["pauses"]["all"]["total_ns"], "gc_time_ns is the pauses' total")
    check(all(0 <= f < runs for f in doc["frontier"]) and doc["frontier"], "frontier")
    check(doc["recommendation"] is None or doc["recommendation"]["run"] in range(runs), "recommendation")


# --- cases ---------------------------------------------------------------------

def case_compare_formats():
    text = heapsim(*compare_args())
    check(text.returncode == 0, f"compare: exit {text.returncode} {text.stderr}")
    lines = text.stdout.splitlines()
    check(lines[0].startswith(f"heapsim compare {TRACE} ("), "text title")
    header = lines[2]
    check(all(("cpython-3.11:threshold=700,10,10" in header, "cpython-3.11:threshold=2000,10,10" in header,
               "cpython-3.13:threshold=100,5,5:trace-thresholds=ignore" in header)), "one column per config")
    for row in ("collections gen0", "collections gen1", "collections gen2", "GC time", "pause p50",
                "pause p99", "pause max", "peak live", "peak cyclic garbage", "objects collected",
                "leaked objects", "trace thresholds", "budgets"):
        check(any(line.startswith(row) for line in lines), f"text row {row}")
    gc_row = next(line for line in lines if line.startswith("GC time"))
    check(gc_row.count(" *") >= 1, "the best GC time is marked")
    mode = next(line for line in lines if line.startswith("trace thresholds")).split()
    check(mode[2:] == ["follow", "follow", "ignore"], f"each column's trace-thresholds mode: {mode}")
    check(any(line.startswith("Recommendation: run ") for line in lines), "text recommendation")

    md = heapsim(*compare_args("--format", "markdown")).stdout
    check("| GC time |" in md and "**" in md and "|--:|" in md.replace("---|--:", "|--:"), "markdown table")

    rows = list(csv.reader(io.StringIO(heapsim(*compare_args("--format", "csv")).stdout)))
    check(rows[0][0] == "measure" and rows[0][-1] == "best" and len(rows[0]) == 5, f"csv header {rows[0]}")
    gc = next(r for r in rows if r[0] == "GC time")
    values = [int(v) for v in gc[1:4]]
    best = [CONFIGS_CANON[i] for i, v in enumerate(values) if v == min(values)]
    check(gc[4].split(" ") == best, f"csv best column {gc[4]} vs {best}")

    doc = json.loads(heapsim(*compare_args("--format", "json")).stdout)
    check_document(doc, 3)
    check([r["config"] for r in doc["runs"]] == CONFIGS_CANON, "canonical configs")
    check(doc == json_of(compare_args()), "--format json and --json - agree")


CONFIGS_CANON = ["cpython-3.11:threshold=700,10,10", "cpython-3.11:threshold=2000,10,10",
                 "cpython-3.13:threshold=100,5,5:trace-thresholds=ignore"]


def case_sweep_formats():
    text = heapsim("sweep", TRACE, *GRID, "--threads", "2")
    check(text.returncode == 0, f"sweep: exit {text.returncode} {text.stderr}")
    lines = text.stdout.splitlines()
    check(lines[0].split()[:3] == ["run", "config", "trace"], f"text header {lines[0]}")
    check(len([l for l in lines if l.strip()[:1].isdigit()]) == 8, "8 rows")
    check(any(l.startswith("Pareto frontier") for l in lines), "frontier line")
    check(any(l.startswith("Recommendation: run ") for l in lines), "recommendation line")
    md = heapsim("sweep", TRACE, *GRID, "--format", "md").stdout
    check(md.startswith("| run | config |") and "**Recommendation**" in md, "markdown")
    rows = list(csv.DictReader(io.StringIO(heapsim("sweep", TRACE, *GRID, "--format", "csv").stdout)))
    check(len(rows) == 8 and rows[3]["config"] == "cpython-3.11:threshold=368,20,10", f"csv rows {rows[3]}")
    doc = json_of(["sweep", TRACE, *GRID])
    check_document(doc, 8)
    for row, run in zip(rows, doc["runs"]):
        check(int(row["gc_time_ns"]) == run["gc_time_ns"], "csv and json agree")
        check(int(row["p99_pause_ns"]) == run["pauses"]["all"]["p99_ns"], "csv p99")
        check((row["on_frontier"] == "1") == (run["run"] in doc["frontier"]), "csv frontier")
    ignore = json_of(["sweep", TRACE, "--grid", "threshold0=100,700", "--base",
                      "cpython-3.11:trace-thresholds=ignore"])
    check(all(r["trace_thresholds"] == "ignore" for r in ignore["runs"]), "--base trace-thresholds=ignore")


def case_runs_equal_run():
    """Every run of a sweep is `heapsim run` of that configuration."""
    doc = json_of(["sweep", TRACE, TRACE, "--grid", "policy=cpython-3.11,cpython-3.13",
                   "--grid", "threshold0=50,700,3000", "--base", "cpython-3.11:threshold=1,5,5"])
    check(len(doc["runs"]) == 12, "2 traces x 6")
    ignored = json_of(["sweep", TRACE, "--grid", "threshold0=50,3000", "--base",
                       "cpython-3.11:trace-thresholds=ignore"])
    runs = doc["runs"] + ignored["runs"]
    differ = set()
    for r in runs:
        spec = r["config"].split(":")
        policy, thresholds = spec[0], spec[1].removeprefix("threshold=")
        args = ["run", TRACE, "--policy", policy, "--threshold", thresholds, "--json", "-"]
        if "trace-thresholds=ignore" in spec:
            args.append("--ignore-trace-thresholds")
        single = json.loads(heapsim(*args).stdout)
        check(single["summary"] == r["summary"], f"summary of {r['config']}")
        check(single["pauses"] == r["pauses"], f"pauses of {r['config']}")
        differ.add(json.dumps(r["summary"]))
    check(len(differ) > 3, "the configurations give different results (the check is not vacuous)")


def case_threads():
    one = heapsim("sweep", TRACE, TRACE, *GRID, "--threads", "1", "--json", "-").stdout
    two = heapsim("sweep", TRACE, TRACE, *GRID, "--threads", "2", "--json", "-").stdout
    check(one == two and one, "--threads 1 and 2 write the same bytes")
    auto = heapsim("sweep", TRACE, TRACE, *GRID, "--json", "-").stdout
    check(one == auto, "--threads default writes the same bytes")


def case_shard_merge():
    with tempfile.TemporaryDirectory() as tmp:
        whole = os.path.join(tmp, "whole.json")
        check(heapsim("sweep", TRACE, TRACE, *GRID, "--max-p99-pause", "11us", "--json", whole).returncode == 1,
              "whole sweep: a budget breaks")
        parts = []
        for k in (1, 2, 3):
            part = os.path.join(tmp, f"part{k}.json")
            done = heapsim("sweep", TRACE, TRACE, *GRID, "--max-p99-pause", "11us", "--shard", f"{k}/3",
                           "--json", part)
            check(done.returncode in (0, 1), f"shard {k}: {done.stderr}")
            parts.append(part)
        doc = json.load(open(parts[1]))
        check(doc["shard"] == [2, 3] and all(r["run"] % 3 == 1 for r in doc["runs"]), "part 2/3 owns run%3==1")
        merged = os.path.join(tmp, "merged.json")
        done = heapsim("merge", parts[2], parts[0], parts[1], "--json", merged)
        check(done.returncode == 0, f"merge: {done.stderr}")
        check(open(merged, "rb").read() == open(whole, "rb").read(), "merge == single run, byte for byte")
        check(heapsim("merge", *parts).stdout == open(whole).read(), "merge to standard output")

        # The CI engines' own variables pick the same shards.
        env_parts = []
        for name, env in (("gitlab", {"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"}),
                          ("k8s", {"JOB_COMPLETION_INDEX": "1", "HEAPSIM_SHARD_TOTAL": "2"})):
            part = os.path.join(tmp, f"{name}.json")
            done = heapsim("sweep", TRACE, TRACE, *GRID, "--max-p99-pause", "11us", "--json", part, env=env)
            check(done.returncode in (0, 1), f"{name}: {done.stderr}")
            env_parts.append(part)
        check(json.load(open(env_parts[0]))["shard"] == [1, 2], "GitLab's CI_NODE_INDEX is 1-based")
        check(json.load(open(env_parts[1]))["shard"] == [2, 2], "Kubernetes' completion index is 0-based")
        check(heapsim("merge", *env_parts).stdout == open(whole).read(), "CI-variable shards merge too")
        slurm = heapsim("sweep", TRACE, *GRID, "--json", "-",
                        env={"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"})
        check(json.loads(slurm.stdout)["shard"] == [3, 3], "Slurm task ids from SLURM_ARRAY_TASK_MIN")

        # Parts that do not make one sweep: one line, exit 2, nothing written.
        other = os.path.join(tmp, "other.json")
        heapsim("sweep", TRACE, TRACE, *GRID, "--shard", "2/3", "--json", other)
        out = os.path.join(tmp, "out.json")
        for args, message in (([parts[0], parts[1]], "missing shard 3/3"),
                              ([parts[0], parts[1], parts[1], parts[2]], "are both shard 2/3"),
                              ([parts[0], other, parts[2]], "belongs to a different sweep"),
                              ([parts[0], whole], "a whole sweep, not a shard part"),
                              ([parts[0], env_parts[1], parts[2]], "is shard 2/2 but")):
            done = heapsim("merge", *args, "--json", out)
            check(done.returncode == 2, f"merge {message}: exit {done.returncode}")
            check(message in done.stderr and done.stderr.count("\n") == 1, f"one line: {done.stderr!r}")
            check(not os.path.exists(out), "nothing written")


BUDGETS = [  # flag, a limit that holds on web_service.trace, one that breaks
    ("--max-p99-pause", "1s", "1us"),
    ("--max-gc-time-share", "50%", "0.0001"),
    ("--max-peak-bytes", "1G", "10K"),
    ("--max-leaked-bytes", "1M", "1"),
]


def budget_case(command_args, name):
    for flag, ok, broken in BUDGETS:
        budget = flag.removeprefix("--")
        passed = heapsim(*command_args, flag, ok)
        check(passed.returncode == 0 and "broken" not in passed.stderr, f"{name} {flag} {ok} holds: {passed.stderr}")
        failed = heapsim(*command_args, flag, broken)
        check(failed.returncode == 1, f"{name} {flag} {broken}: exit {failed.returncode}")
        lines = [l for l in failed.stderr.splitlines() if "broken" in l]
        check(lines and all(f"budget {budget} broken: {TRACE}" in l and "limit" in l and "over by" in l
                            for l in lines), f"{name} {flag}: what, where, limit, by how much: {lines}")
    failed = heapsim(*command_args, "--fail-on-leak")
    check(failed.returncode == 1 and "budget fail-on-leak broken" in failed.stderr, f"{name} --fail-on-leak")
    passed = heapsim(*command_args, "--fail-on-leak", "--max-leaked-bytes", "1K")
    check(passed.returncode == 1, "fail-on-leak breaks even when leaked bytes are within budget")
    doc = json_of(command_args + ["--max-p99-pause", "1us"]) if name != "run" else None
    if doc:
        check(all(r["budgets"][0]["budget"] == "max-p99-pause" and r["budgets"][0]["limit"] == 1000
                  and r["budgets"][0]["ok"] is False for r in doc["runs"]), "budgets in JSON")
        check(doc["recommendation"] is None, "no recommendation when every run breaks a budget")


def case_budgets_run():
    budget_case(["run", TRACE], "run")


def case_budgets_compare():
    budget_case(compare_args(), "compare")


def case_budgets_sweep():
    budget_case(["sweep", TRACE, *GRID], "sweep")


def case_junit_md():
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in (("run", ["run", TRACE]), ("compare", compare_args()),
                           ("sweep", ["sweep", TRACE, *GRID])):
            junit, md = os.path.join(tmp, f"{name}.xml"), os.path.join(tmp, f"{name}.md")
            done = heapsim(*args, "--max-p99-pause", "10us", "--max-peak-bytes", "1G", "--junit", junit,
                           "--md", md, "--format", "csv", "-o", os.devnull)
            broken = [l for l in done.stderr.splitlines() if "budget max-p99-pause broken" in l]
            root = ET.parse(junit).getroot()
            cases = root.findall("./testsuite/testcase")
            runs = {"run": 1, "compare": 3, "sweep": 8}[name]
            check(root.tag == "testsuites" and len(cases) == 2 * runs, f"{name}: one case per run and budget")
            fails = [c for c in cases if c.find("failure") is not None]
            check(int(root.get("failures")) == len(fails) == len(broken), f"{name}: failures counted")
            check(int(root.get("tests")) == len(cases), f"{name}: tests counted")
            check(all("over by" in c.find("failure").get("message") for c in fails), f"{name}: numbers")
            check(done.returncode == (1 if broken else 0), f"{name}: exit status")
            text = open(md).read()
            check("| " in text and ("Broken budgets" in text or "broken" in text or not broken), f"{name}: md")
            if name != "run":
                check(text.startswith(f"### heapsim {name}: "), f"{name}: md title")
        # No budget: one passing case per run.
        junit = os.path.join(tmp, "plain.xml")
        heapsim("sweep", TRACE, *GRID, "--junit", junit, "-o", os.devnull)
        root = ET.parse(junit).getroot()
        check(len(root.findall("./testsuite/testcase")) == 8 and root.get("failures") == "0", "no budgets")


def case_bad_input():
    with tempfile.TemporaryDirectory() as tmp:
        outputs = [os.path.join(tmp, f) for f in ("a.json", "b.txt", "c.xml", "d.md")]
        keep = ["--json", outputs[0], "-o", outputs[1], "--junit", outputs[2], "--md", outputs[3]]
        cases = [
            (["sweep", TRACE, "--grid", "gen0=1,2"], "unknown grid axis 'gen0'"),
            (["sweep", TRACE, "--grid", "threshold0=100..10:3"], "malformed range '100..10:3'"),
            (["sweep", TRACE, "--grid", "threshold0=1..5:log"], "malformed range"),
            (["sweep", TRACE, "--grid", "threshold0="], "has no values"),
            (["sweep", TRACE, "--grid", "threshold0=1", "--shard", "0/3"], "invalid --shard '0/3'"),
            (["sweep", TRACE, "--grid", "threshold0=1", "--shard", "4/3"], "invalid --shard '4/3'"),
            (["sweep", TRACE, "--grid", "threshold0=1", "--base", "pypy"], "unknown policy 'pypy'"),
            (["compare", TRACE, "--config", "cpython-3.11:speed=2"], "unknown option 'speed'"),
            (["compare", TRACE, "--config", "cpython-9"], "unknown policy 'cpython-9'"),
            (["compare", TRACE, "--config", "cpython-3.11", "--max-p99-pause", "5"], "invalid duration '5'"),
            (["compare", TRACE, "--config", "cpython-3.11", "--max-peak-bytes", "5MB"], "invalid size '5MB'"),
            (["run", TRACE, "--max-gc-time-share", "2"], "invalid fraction '2'"),
            (["compare", "tests/errors/unknown-id.trace", "--config", "cpython-3.11"], "unknown-id.trace:"),
        ]
        for args, message in cases:
            done = heapsim(*args, *keep)
            check(done.returncode == 2, f"{args}: exit {done.returncode}")
            lines = done.stderr.splitlines()
            # `run` keeps its usage hint after the line, as for its other options.
            if args[0] == "run" and len(lines) == 2 and lines[1] == "Run 'heapsim run --help' for usage.":
                lines.pop()
            check(message in done.stderr and len(lines) == 1, f"{args}: one line: {done.stderr!r}")
            check(not any(os.path.exists(o) for o in outputs), f"{args}: nothing written")
        env = heapsim("sweep", TRACE, "--grid", "threshold0=1", *keep, env={"CI_NODE_INDEX": "4", "CI_NODE_TOTAL": "3"})
        check(env.returncode == 2 and "CI_NODE_INDEX/CI_NODE_TOTAL" in env.stderr, f"bad CI variables: {env.stderr}")
        check(not any(os.path.exists(o) for o in outputs), "bad CI variables: nothing written")
        same = heapsim("sweep", TRACE, "--grid", "threshold0=1", "--json", outputs[0], "--md", outputs[0])
        check(same.returncode == 2 and "both name" in same.stderr, "two outputs to one file")


def case_progress():
    """A sweep shows progress on stderr when it is a terminal, never otherwise."""
    check("runs" not in heapsim("sweep", TRACE, *GRID, "-o", os.devnull).stderr, "no progress into a pipe")
    primary, secondary = pty.openpty()
    done = subprocess.run([HEAPSIM, "sweep", TRACE, *GRID, "-o", os.devnull], stderr=secondary,
                          stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(secondary)
    seen = b""
    try:
        while True:
            chunk = os.read(primary, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(primary)
    check(done.returncode == 0, "sweep on a terminal")
    check(b"heapsim sweep: 8/8 runs" in seen, f"progress on a terminal: {seen!r}")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: sweep_e2e.py CASE (" + ", ".join(CASES) + ")", file=sys.stderr)
        sys.exit(2)
    CASES[sys.argv[1]]()
    sys.exit(1 if failures else 0)
