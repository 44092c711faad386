"""Background work: at a lower CPU priority, and started only once what it waits for is true."""

from __future__ import annotations

import os
import socket
import threading

import pytest
from genai_common.background import NICENESS, listening, start_in_background


def test_the_work_waits_for_its_condition_and_runs_at_a_lower_priority() -> None:
    asked = threading.Semaphore(0)
    ready = threading.Event()
    ran: list[int] = []

    def after() -> bool:
        asked.release()
        return ready.is_set()

    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = start_in_background(
        lambda: ran.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())),
        "test-work",
        after=after,
    )
    for _ in range(3):  # asked, answered no, and asked again: the work was not started
        assert asked.acquire(timeout=10)
    assert ran == [] and thread.is_alive()
    ready.set()
    thread.join(timeout=10)
    assert ran == [min(19, base + NICENESS)]


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_listening_is_true_only_while_a_socket_accepts(host: str) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        accepts = listening(host, port)
        assert not accepts()  # bound, not listening: refused
        server.listen()
        assert accepts()
    assert not accepts()
