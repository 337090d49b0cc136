"""Laying out PDFs with WeasyPrint at full speed.

WeasyPrint builds a box for every element, line and glyph run and keeps them all alive until
the PDF is written: a 1,000-awardee decision holds millions of objects. Python's cyclic
collector runs each time allocations outpace frees by its threshold, and each full pass walks
everything alive, so during a layout it walks the growing tree again and again. Measured on the
1,000-awardee decision and the 62-page year-end report (bench_reports' data, this 2-core
machine): 9.2–9.8 s → 6.6–7.4 s with the collector paused, and the process's peak memory
303 → 353 MB (the cycles freed during the layout wait for the next pass instead).

`rendering()` pauses the collector for the layout and the writing, and puts it back as it was
found. It counts nested and concurrent uses (the worker's threads, a document built inside
another), so the collector comes back only when the last one ends, and never comes back if
something else had switched it off.
"""

import contextlib
import gc
import threading

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def rendering():
    """Python's cyclic garbage collector paused for the block (reference counting still frees
    what is dropped)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
