"""A real local HTTP server that answers each path with replies queued by the test."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

import pytest

from tests.fakes.serving import serving

Reply = tuple[int, dict[str, str], bytes]  # status, headers, body


@dataclass
class Site:
    url: str
    routes: dict[str, list[Reply]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)  # path, User-Agent

    def reply(self, path: str, status: int, headers: dict[str, str], body: bytes) -> str:
        """Queue a reply for ``path`` (Content-Length defaults to the body's); its URL."""
        self.routes.setdefault(path, []).append((status, headers, body))
        return self.url + path


class _Handler(http.server.BaseHTTPRequestHandler):
    def __init__(self, site: Site, *args: object) -> None:
        self.site = site
        super().__init__(*args)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        self.site.seen.append((self.path, self.headers.get("User-Agent", "")))
        status, headers, body = self.site.routes[self.path].pop(0)
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site(url="")
    with serving(
        http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, served))
    ) as httpd:
        served.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        yield served
