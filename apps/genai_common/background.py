"""Work a process starts beside serving (loading a model before its first request), run at a
lower CPU priority: on a busy machine (local mode's start, a dozen processes importing at once on
a laptop's cores) it yields to the work people wait for, and takes the idle CPU otherwise."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable

# Added to the thread's niceness: at 10 above its neighbours a thread gets about a tenth of a
# contended core. Linux keeps niceness per thread (and threads inherit it from the thread that
# starts them), so the process's request threads keep theirs.
NICENESS = 10


def _lowered(target: Callable[[], object]) -> None:
    thread = threading.get_native_id()
    # Where niceness cannot be raised (not Linux, or already at the ceiling), run as is.
    with contextlib.suppress(OSError, AttributeError):
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + NICENESS))
    target()


def start_in_background(target: Callable[[], object], name: str) -> threading.Thread:
    """Run ``target`` in a daemon thread at a lower CPU priority; the started thread."""
    thread = threading.Thread(target=_lowered, args=(target,), name=name, daemon=True)
    thread.start()
    return thread
