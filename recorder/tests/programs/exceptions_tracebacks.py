"""Exceptions kept with their tracebacks (frame objects, locals), and
exceptions that refer to themselves through their frames."""
from _harness import run


class Problem(Exception):
    pass


def deep(n, payload):
    if n == 0:
        raise Problem(payload)
    return deep(n - 1, payload)


def workload():
    kept = []
    for i in range(6000):
        try:
            deep(5, [i, {"k": i}])
        except Problem as e:
            if i % 3 == 0:
                kept.append(e)  # keeps the traceback and its frames
            err = e  # a cycle: the frame's locals hold the exception
        if len(kept) > 300:
            kept = kept[100:]
    del err


run(workload)
