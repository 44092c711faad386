"""An OpenSearch bulk endpoint, for serving with tests.fakes.json_server.serve_json: it keeps
the documents by index and id, as OpenSearch does (writing an id again replaces the document).
It pushes back (429) on the first attempt of ``pushback_rate`` of the documents, so a writer's
retries are exercised, and refuses (400, a mapping error) the ids in ``refuse``."""

from __future__ import annotations

import hashlib
import json
import threading
from email.message import Message
from typing import Any


class BulkStore:
    def __init__(self, pushback_rate: float = 0.0) -> None:
        self.documents: dict[tuple[str, str], dict[str, Any]] = {}
        self.writes = 0
        self.requests = 0
        self.pushbacks = 0
        self.refuse: set[str] = set()
        self._pushback_rate = pushback_rate
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def count(self, index: str) -> int:
        return sum(1 for (i, _) in self.documents if i == index)

    def index(self, index: str) -> dict[str, dict[str, Any]]:
        return {doc_id: doc for (i, doc_id), doc in self.documents.items() if i == index}

    def answer(
        self, method: str, path: str, headers: Message, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        if method != "POST" or not path.startswith("/_bulk"):
            return 404, {"error": f"no route {method} {path}"}
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items = []
        with self._lock:
            self.requests += 1
            for action, source in zip(lines[::2], lines[1::2], strict=True):
                meta = action["index"]
                if meta["_id"] in self.refuse:
                    error = {"type": "mapper_parsing_exception", "reason": "failed to parse"}
                    items.append({"index": {**meta, "status": 400, "error": error}})
                    continue
                key = (meta["_index"], meta["_id"])
                first = key not in self._seen
                self._seen.add(key)
                digest = hashlib.sha256(repr(key).encode()).digest()
                if first and int.from_bytes(digest[:8], "big") / 2**64 < self._pushback_rate:
                    self.pushbacks += 1
                    items.append(
                        {
                            "index": {
                                **meta,
                                "status": 429,
                                "error": {
                                    "type": "es_rejected_execution_exception",
                                    "reason": "queue full",
                                },
                            }
                        }
                    )
                    continue
                created = key not in self.documents
                self.documents[key] = source
                self.writes += 1
                items.append(
                    {
                        "index": {
                            **meta,
                            "status": 201 if created else 200,
                            "result": "created" if created else "updated",
                        }
                    }
                )
        errors = any(item["index"]["status"] >= 300 for item in items)
        return 200, {"took": 1, "errors": errors, "items": items}
