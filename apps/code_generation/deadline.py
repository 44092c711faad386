"""Run work with a time limit, so the caller hears back before API Gateway gives up."""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineExceeded(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


def run_within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``'s result or exception, or :class:`DeadlineExceeded` after ``seconds``.

    The work runs in a daemon thread that is abandoned, not killed, at the deadline: Python
    cannot stop a thread blocked in a socket read. Its result is then discarded, and the
    model client's own read timeout (bounded by the deadline) ends it soon after.
    """
    outcome: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)
    context = contextvars.copy_context()

    def run() -> None:
        try:
            outcome.put((True, context.run(work)))
        except BaseException as error:  # handed to the caller, who decides
            outcome.put((False, error))

    threading.Thread(target=run, name="code-generation-work", daemon=True).start()
    try:
        succeeded, value = outcome.get(timeout=seconds)
    except queue.Empty:
        raise DeadlineExceeded(seconds) from None
    if succeeded:
        return value  # type: ignore[return-value]
    assert isinstance(value, BaseException)
    raise value
