"""Local mode's stand-in for the Flink job: polls the (moto) Kinesis stream, runs the shared
pipeline with the offline analyzer and writes the results to the local store.

No Flink runs locally (its Kinesis connector cannot be downloaded here), so this loop does
what the job does, a batch at a time. Results and the shard position they reach are stored in
one transaction: a restart carries on after the last stored record. A record that cannot be
processed becomes a dead letter; an unreachable endpoint or a missing stream is logged and
retried until it comes back.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from genai_common.errors import error_code
from reviews_domain.model import DeadLetter, ProcessedReview

from review_stream.analysis import Analyzer
from review_stream.pipeline import process_records
from review_stream.settings import ReviewSettings
from review_stream.store import Checkpoint, LocalStore, StoreUnavailable

log = logging.getLogger(__name__)

# How often the shard list is read again, to notice a resharded stream.
SHARD_REFRESH_S = 60.0
MAX_RETRY_DELAY_S = 30.0


class StreamMissing(RuntimeError):
    """The stream does not exist (yet): local mode may create it after the processor starts."""


@dataclass
class Status:
    """What /healthz reports."""

    stream: str
    processed: int = 0
    dead_letters: int = 0
    polls: int = 0
    problem: str | None = None


class LocalProcessor:
    """Reads every shard of ``stream`` from its stored position and stores what the pipeline
    makes of each batch."""

    def __init__(
        self,
        client: Any,
        store: LocalStore,
        stream: str,
        analyzer: Analyzer,
        *,
        batch_size: int = 500,
        capacity: int = 100,
        timeout_s: float = 25.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._store = store
        self._analyzer = analyzer
        self._batch_size = batch_size
        self._capacity = capacity
        self._timeout_s = timeout_s
        self._clock = clock
        self._shards: list[str] = []
        self._shards_read_at = float("-inf")
        # Shard id -> the iterator to read next; None once a closed shard is read to its end.
        self._iterators: dict[str, str | None] = {}
        self.status = Status(stream)

    @property
    def stream(self) -> str:
        return self.status.stream

    def _call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                self.forget()
                raise StreamMissing(f"Kinesis stream {self.stream!r} does not exist") from None
            raise

    def forget(self) -> None:
        """Drop the iterators and shard list: the next poll starts again from the stored positions."""
        self._iterators.clear()
        self._shards_read_at = float("-inf")

    def _shard_ids(self) -> list[str]:
        if self._clock() - self._shards_read_at >= SHARD_REFRESH_S:
            shards: list[str] = []
            answer = self._call("list_shards", StreamName=self.stream)
            while True:
                shards += [shard["ShardId"] for shard in answer["Shards"]]
                if not answer.get("NextToken"):
                    break
                # ListShards refuses StreamName together with NextToken.
                answer = self._client.list_shards(NextToken=answer["NextToken"])
            self._shards, self._shards_read_at = shards, self._clock()
        return self._shards

    def _iterator(self, shard_id: str, kind: str, **position: str) -> str:
        answer = self._call(
            "get_shard_iterator",
            StreamName=self.stream,
            ShardId=shard_id,
            ShardIteratorType=kind,
            **position,
        )
        return str(answer["ShardIterator"])

    def _resume(self, shard_id: str, checkpoint: Checkpoint | None) -> str | None:
        """The iterator after the stored position, if the shard still holds that very record;
        otherwise (new shard, or a stream recreated with the same sequence numbers, as moto
        does) the shard's oldest record."""
        if checkpoint is not None:
            try:
                iterator = self._iterator(
                    shard_id,
                    "AT_SEQUENCE_NUMBER",
                    StartingSequenceNumber=checkpoint.sequence_number,
                )
                answer = self._call("get_records", ShardIterator=iterator, Limit=1)
            except ClientError as error:
                if error_code(error) != "InvalidArgumentException":
                    raise
                answer = {"Records": []}
            records = answer["Records"]
            if (
                records
                and records[0]["SequenceNumber"] == checkpoint.sequence_number
                and hashlib.sha256(records[0]["Data"]).hexdigest() == checkpoint.data_sha256
            ):
                return answer.get("NextShardIterator")
            log.warning(
                "shard %s no longer holds the stored position %s (the stream was recreated): "
                "reading it from its oldest record",
                shard_id,
                checkpoint.sequence_number,
            )
        return self._iterator(shard_id, "TRIM_HORIZON")

    def poll_once(self) -> int:
        """Read each open shard once and store the results; returns how many records were read."""
        self.status.polls += 1
        checkpoints: dict[str, Checkpoint] | None = None
        handled = 0
        for shard_id in self._shard_ids():
            if shard_id not in self._iterators:
                if checkpoints is None:
                    checkpoints = self._store.checkpoints(self.stream)
                self._iterators[shard_id] = self._resume(shard_id, checkpoints.get(shard_id))
            iterator = self._iterators[shard_id]
            if iterator is None:
                continue
            try:
                answer = self._call("get_records", ShardIterator=iterator, Limit=self._batch_size)
            except ClientError as error:
                if error_code(error) != "ExpiredIteratorException":
                    raise
                del self._iterators[shard_id]
                continue
            records = answer["Records"]
            if records:
                # Until the batch is stored the shard is read again from its stored position.
                del self._iterators[shard_id]
                self._handle(shard_id, records)
                handled += len(records)
            self._iterators[shard_id] = answer.get("NextShardIterator")
            if self._iterators[shard_id] is None:
                log.info("shard %s is closed and read to its end", shard_id)
        return handled

    def _analyze(self, raws: list[bytes]) -> tuple[list[ProcessedReview], list[DeadLetter]]:
        try:
            return asyncio.run(
                process_records(
                    raws, self._analyzer, capacity=self._capacity, timeout_s=self._timeout_s
                )
            )
        except Exception as error:
            # The pipeline accounts for every record itself; should it still fail, the batch
            # is kept as dead letters rather than retried forever.
            log.exception("the pipeline failed on a batch of %d records", len(raws))
            reason = f"processing failed: {type(error).__name__}: {error}"
            return [], [DeadLetter.of(raw, reason) for raw in raws]

    def _handle(self, shard_id: str, records: list[dict[str, Any]]) -> None:
        processed, dead = self._analyze([record["Data"] for record in records])
        last = records[-1]
        checkpoint = Checkpoint(
            shard_id, last["SequenceNumber"], hashlib.sha256(last["Data"]).hexdigest()
        )
        self._store.write(
            processed, dead, stream=self.stream, checkpoint=checkpoint, analyzer=self._analyzer.name
        )
        self.status.processed += len(processed)
        self.status.dead_letters += len(dead)
        log.info(
            "shard %s: %d processed, %d dead letters (up to %s)",
            shard_id,
            len(processed),
            len(dead),
            checkpoint.sequence_number,
        )

    def run(self, stop: threading.Event, *, poll_s: float = 1.0, idle_poll_s: float = 5.0) -> None:
        """Poll until ``stop`` is set, waiting out a missing stream or an unreachable endpoint."""
        failures = 0
        delay = poll_s
        while not stop.is_set():
            try:
                handled = self.poll_once()
            except StreamMissing as missing:
                if self.status.problem != str(missing):
                    log.warning("%s: waiting for it to be created", missing)
                self.status.problem = str(missing)
                delay = idle_poll_s
            except (BotoCoreError, ClientError, StoreUnavailable) as error:
                failures += 1
                self.forget()
                delay = min(MAX_RETRY_DELAY_S, poll_s * 2**failures)
                self.status.problem = f"{type(error).__name__}: {error}"
                log.warning("poll failed (%s); retrying in %.0f s", self.status.problem, delay)
            else:
                if self.status.problem:
                    log.info("reading stream %s again", self.stream)
                failures = 0
                self.status.problem = None
                if handled >= self._batch_size:
                    delay = 0
                elif handled:
                    delay = poll_s
                else:
                    # An idle stream is polled less and less often, down to idle_poll_s.
                    delay = min(idle_poll_s, max(delay, poll_s) * 2)
            stop.wait(delay)


def serve_health(processor: LocalProcessor, port: int) -> ThreadingHTTPServer:
    """``GET /healthz`` on 127.0.0.1:``port`` with the processor's status, in a daemon thread."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/healthz":
                self.send_error(404)
                return
            body = json.dumps(asdict(processor.status)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            # One line per health probe would bury the processor's own log.
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Health)
    threading.Thread(target=server.serve_forever, name="healthz", daemon=True).start()
    return server


def process_local(settings: ReviewSettings, stream: str, db: Path, port: int | None) -> int:
    """Run the ``process-local`` command until Ctrl-C or SIGTERM; returns its exit status."""
    from genai_common.aws import aws_client

    from review_stream.analysis import OfflineAnalyzer

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        store = LocalStore(db)
    except StoreUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    # This loop retries forever and logs each failure: botocore's retries would only hide an
    # unreachable endpoint for a minute before the log says so.
    client = aws_client("kinesis", settings.model_copy(update={"aws_max_attempts": 2}))
    analyzer = OfflineAnalyzer()
    processor = LocalProcessor(
        client,
        store,
        stream,
        analyzer,
        batch_size=settings.review_batch_size,
        capacity=settings.review_capacity,
        timeout_s=settings.review_timeout_seconds,
    )
    try:
        server = serve_health(processor, port) if port else None
    except OSError as error:
        print(f"Cannot serve /healthz on port {port}: {error.strerror}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    log.info("processing stream %s into %s with the %s", stream, db, analyzer.name)
    try:
        processor.run(
            stop, poll_s=settings.review_poll_seconds, idle_poll_s=settings.review_idle_poll_seconds
        )
    except KeyboardInterrupt:
        stop.set()
    finally:
        if server is not None:
            server.shutdown()
    status = processor.status
    print(
        f"Stopped: {status.processed} processed and {status.dead_letters} dead letter(s) "
        f"stored in {db} in this run.",
        file=sys.stderr,
    )
    return 0
