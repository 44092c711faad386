"""An OpenSearch bulk endpoint on localhost (tests.fakes.opensearch_bulk), served for the
Flink job's tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.fakes.json_server import serve_json
from tests.fakes.opensearch_bulk import BulkStore


@contextmanager
def fake_opensearch(pushback_rate: float = 0.0) -> Iterator[tuple[str, BulkStore]]:
    store = BulkStore(pushback_rate)
    with serve_json(store.answer) as url:
        yield url, store
