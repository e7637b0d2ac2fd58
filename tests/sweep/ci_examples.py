#!/usr/bin/env python3
"""The CI manifests of docs/examples/ (docs/ci.md) parsed and run: each
engine's shards are started the way that engine starts them (its own
variables, its own numbering), with the manifest's own commands, and the
merged document must be byte for byte the unsharded sweep's.

    HEAPSIM=build/heapsim python3 tests/sweep/ci_examples.py

Needs PyYAML (Debian: python3-yaml) and jq. Exit status 0 when every check
holds, 1 otherwise.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "docs", "examples")
HEAPSIM = os.path.abspath(os.environ.get("HEAPSIM", os.path.join(ROOT, "build", "heapsim")))
# The one sweep every manifest runs.
SWEEP = ("heapsim sweep traces/web_service.trace --grid threshold0=10,20,100,700,2000,10000 --grid threshold1=10,20 "
         "--base cpython-3.11:trace-thresholds=ignore --max-p99-pause 11.5us")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def workdir():
    """A scratch directory laid out like a checkout: traces/ and heapsim on PATH."""
    tmp = tempfile.mkdtemp(prefix="heapsim-ci-")
    os.symlink(os.path.join(ROOT, "traces"), os.path.join(tmp, "traces"))
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    os.symlink(HEAPSIM, os.path.join(bindir, "heapsim"))
    return tmp


def shell(script, cwd, env=None, ok=(0,)):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("HEAPSIM_SHARD", "CI_NODE", "SLURM_ARRAY", "JOB_COMPLETION"))}
    clean["PATH"] = os.path.join(cwd, "bin") + os.pathsep + clean["PATH"]
    clean.update(env or {})
    done = subprocess.run(["bash", "-c", script], cwd=cwd, env=clean, capture_output=True, text=True)
    check(done.returncode in ok, f"{script[:80]}...: exit {done.returncode}: {done.stderr}")
    return done


def reference(tmp):
    shell(SWEEP + " --json whole.json", tmp, ok=(0, 1))
    return open(os.path.join(tmp, "whole.json"), "rb").read()


def same_sweep(command, where):
    words = " ".join(command.split())
    check(words.startswith(SWEEP), f"{where} runs the documented sweep: {words}")


def github():
    doc = yaml.safe_load(open(os.path.join(EXAMPLES, "github-actions.yml")))
    tmp = workdir()
    whole = reference(tmp)
    sweep = doc["jobs"]["sweep"]
    shards = sweep["strategy"]["matrix"]["shard"]
    check(shards == list(range(1, len(shards) + 1)), "matrix.shard is 1..N")
    step = next(s for s in sweep["steps"] if "heapsim sweep" in s.get("run", ""))
    same_sweep(step["run"].replace("\\\n", " "), "GitHub matrix job")
    for k in shards:
        # What the runner substitutes: matrix values and strategy.job-total.
        subst = lambda text: text.replace("${{ matrix.shard }}", str(k)).replace(
            "${{ strategy.job-total }}", str(len(shards)))
        env = {name: subst(str(value)) for name, value in sweep["env"].items()}
        check(env.get("HEAPSIM_SHARD") == f"{k}/{len(shards)}", "HEAPSIM_SHARD from the matrix")
        shell(subst(step["run"]), tmp, env, ok=(0, 1))
    merge = doc["jobs"]["merge"]
    check(merge["needs"] == "sweep" and "cancelled" in merge["if"], "merge job after the shards, even failed")
    summary = os.path.join(tmp, "summary.md")
    for s in merge["steps"]:
        if "run" in s:
            shell(s["run"], tmp, {"GITHUB_STEP_SUMMARY": summary})
    check(open(os.path.join(tmp, "sweep.json"), "rb").read() == whole, "GitHub: merged == unsharded")
    check(open(summary).read().startswith("Recommendation: "), "GitHub: recommendation on the summary page")
    shutil.rmtree(tmp)


def gitlab():
    doc = yaml.safe_load(open(os.path.join(EXAMPLES, "gitlab-ci.yml")))
    tmp = workdir()
    whole = reference(tmp)
    job = doc["gc-sweep"]
    n = job["parallel"]
    same_sweep(job["script"][0], "GitLab parallel job")
    check("junit" in job["artifacts"]["reports"], "JUnit report declared")
    for k in range(1, n + 1):  # GitLab numbers the parallel jobs from 1
        for line in job["script"]:
            shell(line, tmp, {"CI_NODE_INDEX": str(k), "CI_NODE_TOTAL": str(n)}, ok=(0, 1))
    merge = doc["gc-sweep-merge"]
    check(merge["needs"] == ["gc-sweep"] and merge["when"] == "always", "merge job always runs after the shards")
    out = [shell(line, tmp).stdout for line in merge["script"]]
    check(open(os.path.join(tmp, "sweep.json"), "rb").read() == whole, "GitLab: merged == unsharded")
    check("spends the least time in collections" in out[-1], "GitLab: the recommendation is printed")
    shutil.rmtree(tmp)


def kubernetes():
    doc = yaml.safe_load(open(os.path.join(EXAMPLES, "k8s-indexed-job.yaml")))
    tmp = workdir()
    whole = reference(tmp)
    check(doc["kind"] == "Job" and doc["spec"]["completionMode"] == "Indexed", "an Indexed Job")
    n = doc["spec"]["completions"]
    container = doc["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    check(env.get("HEAPSIM_SHARD_TOTAL") == str(n), "HEAPSIM_SHARD_TOTAL equals spec.completions")
    mount = container["volumeMounts"][0]["mountPath"]
    script = container["args"][0]
    same_sweep(script, "Kubernetes Indexed Job")
    results = os.path.join(tmp, "results")
    os.mkdir(results)
    for index in range(n):  # Kubernetes numbers completions from 0
        shell(script.replace(mount, results), tmp, dict(env, JOB_COMPLETION_INDEX=str(index)), ok=(0, 1))
    shell(f"heapsim merge {results}/part-*.json --json sweep.json", tmp)
    check(open(os.path.join(tmp, "sweep.json"), "rb").read() == whole, "Kubernetes: merged == unsharded")
    shutil.rmtree(tmp)


def gnu_parallel():
    path = os.path.join(EXAMPLES, "gnu-parallel.sh")
    check(subprocess.run(["bash", "-n", path]).returncode == 0, "gnu-parallel.sh parses")
    tmp = workdir()
    whole = reference(tmp)
    text = open(path).read()
    if shutil.which("parallel"):
        shell(f"bash {shlex.quote(path)}", tmp, ok=(0, 1))
    else:
        # Without GNU parallel, run the jobs it would: the command with {}
        # replaced by each argument after :::.
        command = re.search(r"^parallel [^\n]*\\\n(.*?) ::: ", text, re.S | re.M).group(1).replace("\\\n", " ")
        n = int(re.search(r"^N=(\d+)$", text, re.M).group(1))
        same_sweep(command, "GNU parallel")
        for k in range(1, n + 1):
            shell(command.replace("{}", str(k)).replace("$N", str(n)), tmp, ok=(0, 1))
        merge = re.search(r"^(heapsim merge .*?) \|\|", text, re.M).group(1)
        shell(merge, tmp)
    check(open(os.path.join(tmp, "sweep.json"), "rb").read() == whole, "GNU parallel: merged == unsharded")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    for example in (github, gitlab, kubernetes, gnu_parallel):
        example()
    sys.exit(1 if failures else 0)
