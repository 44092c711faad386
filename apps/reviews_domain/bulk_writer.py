"""Index documents in OpenSearch with the bulk API: per-document outcome, retries of what the
cluster pushes back (429, 5xx), and an asyncio batcher so callers await one document each while
the requests carry many."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
from opensearchpy import AWSV4SignerAuth, OpenSearch, RequestsHttpConnection
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import TransportError

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Document:
    """One document to index; its id makes a rewrite of the same record an overwrite."""

    index: str
    doc_id: str
    body: dict[str, Any]


def _pushback(status: int) -> bool:
    return status == 429 or status >= 500


MAX_ATTEMPTS = 6
BASE_DELAY_S = 0.2
MAX_DELAY_S = 10.0


def _delay_s(attempt: int, base_delay_s: float, max_delay_s: float) -> float:
    return min(max_delay_s, base_delay_s * 2 ** (attempt - 1))


class BulkWriter:
    """Writes documents with ``client.bulk`` and reports, per document, None (indexed) or why
    OpenSearch refused it. Pushed-back documents and failed requests are retried with
    exponential backoff; what is still failing after ``max_attempts`` raises."""

    def __init__(
        self,
        client: Any,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        base_delay_s: float = BASE_DELAY_S,
        max_delay_s: float = MAX_DELAY_S,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._max_attempts = max_attempts
        self._base_delay_s = base_delay_s
        self._max_delay_s = max_delay_s
        self._sleep = sleep

    def write(self, documents: Sequence[Document]) -> list[str | None]:
        outcome: list[str | None] = [None] * len(documents)
        todo = list(range(len(documents)))
        for attempt in range(1, self._max_attempts + 1):
            body: list[dict[str, Any]] = []
            for i in todo:
                doc = documents[i]
                body += [{"index": {"_index": doc.index, "_id": doc.doc_id}}, doc.body]
            try:
                response = self._client.bulk(body=body)
            except (TransportError, OpenSearchConnectionError) as exc:
                status = exc.status_code if isinstance(exc.status_code, int) else 503
                if not _pushback(status) or attempt == self._max_attempts:
                    raise
                self._backoff(attempt)
                continue
            retry = []
            for i, item in zip(todo, response["items"], strict=True):
                result = item.get("index", {})
                status = int(result.get("status", 500))
                if status < 300:
                    outcome[i] = None
                elif _pushback(status) and attempt < self._max_attempts:
                    retry.append(i)
                else:
                    error = result.get("error", {})
                    reason = error.get("reason", error) if isinstance(error, dict) else error
                    outcome[i] = f"OpenSearch refused it ({status}): {reason}"[:1000]
            if not retry:
                return outcome
            todo = retry
            self._backoff(attempt)
        return outcome

    def _backoff(self, attempt: int) -> None:
        self._sleep(_delay_s(attempt, self._base_delay_s, self._max_delay_s))

    @staticmethod
    def longest_write_s(request_timeout_s: float) -> float:
        """How long one :meth:`write` with the default retries can take at most, when each
        request takes ``request_timeout_s``: every attempt and every backoff between them."""
        backoffs = sum(
            _delay_s(attempt, BASE_DELAY_S, MAX_DELAY_S) for attempt in range(1, MAX_ATTEMPTS)
        )
        return MAX_ATTEMPTS * request_timeout_s + backoffs


class BulkBatcher:
    """Collects documents from concurrent callers into bulk requests of up to ``batch_size``,
    sent when full or ``linger_s`` after the first document, in ``executor``'s threads, at most
    ``max_writes`` at a time: while the collection is slow, documents gather into fuller
    requests instead of queueing as many small ones. Use it from one event loop; each caller
    gets its own document's outcome."""

    def __init__(
        self,
        writer: BulkWriter,
        executor: Executor,
        *,
        batch_size: int,
        linger_s: float,
        max_writes: int,
    ) -> None:
        self._writer = writer
        self._executor = executor
        self._batch_size = batch_size
        self._linger_s = linger_s
        self._max_writes = max_writes
        self._pending: list[tuple[Document, asyncio.Future[str | None]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writes: set[asyncio.Task[None]] = set()

    async def put(self, document: Document) -> str | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()
        self._pending.append((document, future))
        if len(self._pending) >= self._batch_size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self._linger_s, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._pending and len(self._writes) < self._max_writes:
            batch = self._pending[: self._batch_size]
            self._pending = self._pending[self._batch_size :]
            task = asyncio.get_running_loop().create_task(self._write(batch))
            # The loop keeps only weak references to tasks.
            self._writes.add(task)
            task.add_done_callback(self._written)

    def _written(self, task: asyncio.Task[None]) -> None:
        self._writes.discard(task)
        # What gathered while every writer was busy goes now, as full requests as it can be.
        self._flush()

    async def _write(self, batch: list[tuple[Document, asyncio.Future[str | None]]]) -> None:
        documents = [doc for doc, _ in batch]
        loop = asyncio.get_running_loop()
        try:
            outcomes = await loop.run_in_executor(self._executor, self._writer.write, documents)
        except Exception as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(outcome)


def opensearch_client(
    endpoint: str, region: str, *, pool_size: int = 10, timeout: float = 30, **options: Any
) -> OpenSearch:
    """A client for an OpenSearch Serverless collection, requests signed for ``aoss`` with the
    default credential chain; a localhost endpoint (tests, local stand-ins) is signed only when
    there are credentials to sign with. ``options`` go to the client as they are (e.g.
    ``max_retries``)."""
    url = urlsplit(endpoint)
    secure = url.scheme == "https"
    credentials = boto3.Session().get_credentials()
    auth = None
    if credentials is not None or url.hostname not in _LOCAL_HOSTS:
        auth = AWSV4SignerAuth(credentials, region, "aoss")
    return OpenSearch(
        hosts=[{"host": url.hostname, "port": url.port or (443 if secure else 80)}],
        http_auth=auth,
        use_ssl=secure,
        verify_certs=secure,
        connection_class=RequestsHttpConnection,
        pool_maxsize=pool_size,
        timeout=timeout,
        **options,
    )
