"""Runs one workload inside a recording window with a gc.callbacks log of
the window as the truth: `python PROGRAM.py OUT LOG`. The log has one line
"GENERATION COLLECTED UNCOLLECTABLE" per collection that ended while the
window was open."""

import gc
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
    with heapsim_record.recording(out):
        workload()
    gc.callbacks.remove(on_gc)
    with open(log_path, "w") as f:
        for entry in log:
            f.write("%d %d %d\n" % entry)
