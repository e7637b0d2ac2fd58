"""Runs one workload inside a recording window with a gc.callbacks log of
the window as the truth: `python PROGRAM.py OUT LOG`. The log has one line
"GENERATION COLLECTED UNCOLLECTABLE" per collection that ended while the
window was open."""

import gc
import os
import sys

import heapsim_record


def run(workload):
    out, log_path = sys.argv[1], sys.argv[2]
    log = []
    recording = heapsim_record.is_recording

    def on_gc(phase, info):
        if phase == "stop" and recording():
            log.append((info["generation"], info["collected"], info["uncollectable"]))

    gc.callbacks.append(on_gc)
    # What-if measurements (tests/recorder/whatif_check.py): the thresholds
    # the program runs under, and the young-snapshot cadence.
    if os.environ.get("HEAPSIM_TEST_THRESHOLD"):
        gc.set_threshold(*(int(t) for t in os.environ["HEAPSIM_TEST_THRESHOLD"].split(",")))
    every = int(os.environ.get("HEAPSIM_TEST_SNAPSHOT_EVERY", "0"))
    with heapsim_record.recording(out, snapshot_every=every):
        workload()
    gc.callbacks.remove(on_gc)
    with open(log_path, "w") as f:
        for entry in log:
            f.write("%d %d %d\n" % entry)
