"""A socketserver server (an HTTP fake, or an app's own server) running in a thread for the
length of a with block, and free ports for servers a test starts."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TypeVar

# serve_forever looks for a shutdown request this often. Its default, half a second, was what
# most of the tests that start a server spent stopping it (56 of the smoke check's 69 s).
POLL_SECONDS = 0.01

Server = TypeVar("Server", bound=socketserver.BaseServer)


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """``server`` served from a daemon thread; shut down and closed when the block ends."""
    threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports that were free a moment ago. Held open together while the
    kernel picks them: one probe after another may be given the same port twice."""
    with ExitStack() as held:
        probes = [held.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def free_port() -> int:
    return free_ports(1)[0]
