#!/usr/bin/env bash
# The same sweep on one host with GNU parallel (docs/ci.md): four shards as
# four processes, each of one thread, then merged. `heapsim sweep
# --threads 4` does the same in one process; shards pay off across hosts
# (parallel --sshlogin) or in a batch system.
set -u
N=4
parallel --line-buffer \
    heapsim sweep traces/web_service.trace \
    --grid threshold0=10,20,100,700,2000,10000 --grid threshold1=10,20 \
    --base cpython-3.11:trace-thresholds=ignore \
    --max-p99-pause 11.5us --threads 1 --shard {}/$N --json part-{}.json ::: $(seq 1 $N)
status=$?  # the number of shards that failed: a broken budget is exit 1
heapsim merge part-*.json --json sweep.json || exit 2
jq -r '.recommendation.why // "no configuration within the budgets"' sweep.json
exit $((status > 0))
