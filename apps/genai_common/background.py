"""Work a process starts beside serving (loading a model before its first request), run at a
lower CPU priority: on a busy machine (local mode's start, a dozen processes importing at once on
a laptop's cores) it yields to the work people wait for, and takes the idle CPU otherwise."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable

# Added to the thread's niceness: at 10 above its neighbours a thread gets about a tenth of a
# contended core. Linux keeps niceness per thread (and threads inherit it from the thread that
# starts them), so the process's request threads keep theirs.
NICENESS = 10
# How often a thread started ``after`` something asks whether it has happened, and for how long
# at most: past that the work starts anyway, so that nothing waits for it forever.
AFTER_POLL_SECONDS = 0.02
AFTER_LIMIT_SECONDS = 60.0


def _lowered(target: Callable[[], object], after: Callable[[], bool] | None) -> None:
    thread = threading.get_native_id()
    # Where niceness cannot be raised (not Linux, or already at the ceiling), run as is.
    with contextlib.suppress(OSError, AttributeError):
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + NICENESS))
    if after is not None:
        deadline = time.monotonic() + AFTER_LIMIT_SECONDS
        while not after() and time.monotonic() < deadline:
            time.sleep(AFTER_POLL_SECONDS)
    target()


def start_in_background(
    target: Callable[[], object], name: str, *, after: Callable[[], bool] | None = None
) -> threading.Thread:
    """Run ``target`` in a daemon thread at a lower CPU priority; the started thread.

    With ``after`` (such as :func:`listening`), ``target`` starts once ``after()`` is true. A
    load is mostly imports, and an import holds the interpreter lock: begun while the server
    starts, a lowered thread that holds the lock and waits for a core stalls the server's own
    start too (in local mode, the KB page answered 4 s later with its model loading beside it).
    """
    thread = threading.Thread(target=_lowered, args=(target, after), name=name, daemon=True)
    thread.start()
    return thread


# A server bound to every address is asked through the loopback of the same family.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104


def listening(host: str, port: int) -> Callable[[], bool]:
    """Whether something accepts connections on ``host``:``port`` yet (a server's socket)."""
    host = _WILDCARDS.get(host, host)

    def accepts() -> bool:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return True
        return False

    return accepts
