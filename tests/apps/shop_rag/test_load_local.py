"""Local mode's catalog-load task: /load_data through the running API, its progress printed,
once per catalog version."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from shop_rag.load_local import STAMP, main

from tests.fakes.serving import serving

PRODUCTS = 1000


class FakeApi(BaseHTTPRequestHandler):
    """Streams one progress line per 100 products, then the summary (or an error line)."""

    requests: ClassVar[list[dict[str, str]]] = []
    fail: ClassVar[bool] = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeApi.requests.append({"path": self.path, "accept": self.headers["Accept"], **body})
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        for done in range(100, PRODUCTS + 1, 100):
            line = {"read": PRODUCTS, "done": done, "upserted": done, "unchanged": 0}
            self.wfile.write((json.dumps(line) + "\n").encode())
            if FakeApi.fail and done == 500:
                self.wfile.write(b'{"error": "the embedding model failed", "status": 502}\n')
                return
        summary = {"collection": "c", "read": PRODUCTS, "upserted": PRODUCTS, "unchanged": 0}
        self.wfile.write((json.dumps({**summary, "products": PRODUCTS}) + "\n").encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    FakeApi.requests, FakeApi.fail = [], False
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def folders(tmp_path: Path) -> list[str]:
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "catalogs" / "catalog.jsonl").write_text('{"product_id": "P1"}\n')
    (tmp_path / "store").mkdir()
    return ["--catalog-dir", str(tmp_path / "catalogs"), "--store", str(tmp_path / "store")]


def test_loads_through_the_api_printing_each_tenth_then_skips_the_same_catalog(
    api: str, folders: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["catalog.jsonl", "--url", api, *folders]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert FakeApi.requests == [
        {"path": "/load_data", "accept": "application/x-ndjson", "source": "catalog.jsonl"}
    ]
    progress = [line for line in out.splitlines() if " of 1000 products" in line]
    assert [line.split()[0] for line in progress] == [str(n) for n in range(100, 1001, 100)]
    assert all("products/s" in line for line in progress)  # the rate, from tqdm's meter
    assert f"Loaded {PRODUCTS} products ({PRODUCTS} new or changed)" in out

    assert main(argv) == 0
    assert "catalog.jsonl is loaded already: nothing to do" in capsys.readouterr().out
    assert len(FakeApi.requests) == 1

    (tmp_path / "catalogs" / "catalog.jsonl").write_text('{"product_id": "P2"}\n')
    assert main(argv) == 0
    assert len(FakeApi.requests) == 2


def test_a_failed_load_exits_1_and_is_tried_again_next_time(
    api: str, folders: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    FakeApi.fail = True
    assert main(["catalog.jsonl", "--url", api, *folders]) == 1
    assert "the embedding model failed" in capsys.readouterr().err
    assert not (tmp_path / "store" / STAMP).exists()


def test_an_api_that_is_not_there_exits_1(
    folders: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog.jsonl", "--url", "http://127.0.0.1:9", *folders]) == 1
    assert "loading catalog.jsonl failed" in capsys.readouterr().err
