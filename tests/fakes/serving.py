"""A socketserver server (an HTTP fake, or an app's own server) running in a thread for the
length of a with block."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
