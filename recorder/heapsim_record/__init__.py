"""heapsim_record: record a window of a running CPython program for heapsim.

    import heapsim_record
    with heapsim_record.recording("orders.hsr"):
        handle_batch()

or `python -m heapsim_record -o OUT [--] SCRIPT [ARGS...]`, or
`heapsim_record.start(OUT)` ... `heapsim_record.stop()`, or
`heapsim_record.install_signal(OUT)` in a service and `kill -USR2 PID` to open
and close a window. Convert with `heapsim import OUT -o TRACE`.
docs/recording.md (in the heapsim checkout) describes what is recorded,
what it costs and the file format.
"""

import atexit
import contextlib
import signal as _signal

from . import _recorder

__all__ = ["start", "stop", "recording", "is_recording", "install_signal", "unsupported_reason"]

_atexit_registered = False


def unsupported_reason():
    """None when this interpreter can be recorded, else a one-line reason."""
    return _recorder.unsupported_reason()


def start(path, *, max_seconds=0.0, max_bytes=0, level=3, snapshot_every=0):
    """Opens the recording window; it lasts until stop(), the end of the
    process, or max_seconds / max_bytes (0 = no limit), whichever is first.
    snapshot_every=K also snapshots the young generation every K GC
    allocations (for replays under other thresholds; 0 = only at
    collections).
    Raises RuntimeError with a one-line reason on an interpreter it cannot
    record."""
    global _atexit_registered
    if not _atexit_registered:
        atexit.register(_stop_at_exit)
        _atexit_registered = True
    _recorder.start(path, max_seconds, max_bytes, level, snapshot_every)


def stop():
    """Closes the window and the file. Returns a summary dict (events,
    raw_bytes, bytes, end), or None when nothing was recording."""
    return _recorder.stop()


def is_recording():
    return _recorder.is_recording()


@contextlib.contextmanager
def recording(path, **options):
    """`with recording(OUT):` records the body of the with block."""
    start(path, **options)
    try:
        yield
    finally:
        stop()


def _stop_at_exit():
    _recorder.stop()


def install_signal(path_pattern, *, signum=_signal.SIGUSR2, max_seconds=60.0, max_bytes=0):
    """For a running service: the first `signum` opens a window written to
    path_pattern.format(n=N, pid=PID) (N counts windows from 1), the next one
    closes it, and so on. max_seconds bounds a window nobody closes. The
    handler runs in the main thread at the interpreter's next safe point."""
    import os

    state = {"n": 0}

    def handler(signo, frame):
        if _recorder.is_recording():
            _recorder.stop()
            return
        if _recorder.unsupported_reason() is None:
            # A window that hit max_seconds is still open on the file side.
            _recorder.stop()
            state["n"] += 1
            start(path_pattern.format(n=state["n"], pid=os.getpid()), max_seconds=max_seconds,
                  max_bytes=max_bytes)

    return _signal.signal(signum, handler)
