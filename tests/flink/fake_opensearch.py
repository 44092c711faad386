"""An OpenSearch bulk endpoint on localhost (tests.fakes.opensearch_bulk), served for the
Flink job's tests, optionally answering each request only after ``delay_s`` (a collection
that is slow to take writes)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from typing import Any

from tests.fakes.json_server import serve_json
from tests.fakes.opensearch_bulk import BulkStore


@contextmanager
def fake_opensearch(
    pushback_rate: float = 0.0, delay_s: float = 0.0
) -> Iterator[tuple[str, BulkStore]]:
    store = BulkStore(pushback_rate)

    def answer(method: str, path: str, headers: Message, body: bytes) -> tuple[int, Any]:
        time.sleep(delay_s)
        return store.answer(method, path, headers, body)

    with serve_json(answer) as url:
        yield url, store
