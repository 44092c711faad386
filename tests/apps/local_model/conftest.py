"""SmolLM2's real weights and their converted copy (the cache `scripts/setup-dev --checks` fills),
and a server in a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from local_model.catalog import SMOLLM2
from local_model.weights import DEFAULT_CACHE, converted_path, ensure_weights

from tests.fakes.serving import free_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def smollm2_weights() -> Path:
    return ensure_weights(SMOLLM2, ROOT / DEFAULT_CACHE)


@pytest.fixture(scope="session")
def smollm2_converted() -> Path:
    """Where the engine keeps SmolLM2's converted copy (made by the first load if missing)."""
    return converted_path(SMOLLM2, ROOT / DEFAULT_CACHE)


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serves ``app`` in a thread; yields its OpenAI base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", timeout_graceful_shutdown=0
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
