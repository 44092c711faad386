"""Send sample reviews to the Kinesis stream at a steady rate (the seed's local producer).

Each line of the reviews file becomes one record, its ``label`` (the known sentiment) left out:
that is the answer the pipeline has to find. Lines that are not review objects are sent as they
are, so the pipeline's dead letters can be seen at work. Throttled calls and the records a
PutRecords call reports as failed are sent again with backoff; nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from botocore.exceptions import BotoCoreError, ClientError
from genai_common.errors import error_code

# PutRecords: at most 500 records and 5 MiB per call, 1 MiB per record (data and partition key).
MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 5 * 1024 * 1024
MAX_RECORD_BYTES = 1024 * 1024
MAX_PARTITION_KEY = 256
_THROTTLED = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "LimitExceededException",
        "KMSThrottlingException",
        "InternalFailure",
        "ServiceUnavailable",
    }
)


class ProducerError(RuntimeError):
    """Stops the producer with a message for the person running it."""


@dataclass(frozen=True)
class Outgoing:
    """One record to put, and where it came from (for messages)."""

    data: bytes
    partition_key: str
    line: int

    def size(self) -> int:
        return len(self.data) + len(self.partition_key.encode())


def _partition_key(value: Any, line: bytes) -> str:
    """The userId, so one user's reviews stay in order on one shard; a digest of the line
    when there is no usable userId."""
    if isinstance(value, str) and 0 < len(value.encode()) <= MAX_PARTITION_KEY:
        return value
    return hashlib.sha256(line).hexdigest()


def to_record(line: bytes, number: int, now: datetime | None) -> Outgoing:
    """The record for one line of the file; with ``now``, its dateTime is replaced by it so the
    dashboard's timeline shows when the review arrived."""
    try:
        value = json.loads(line)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        return Outgoing(line, _partition_key(None, line), number)
    value.pop("label", None)
    if now is not None:
        value["dateTime"] = now.isoformat()
    try:
        data = json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        # A lone surrogate escaped in the JSON: the line goes as written, for the pipeline to judge.
        return Outgoing(line, _partition_key(None, line), number)
    return Outgoing(data, _partition_key(value.get("userId"), line), number)


def read_records(path: Path, *, loop: bool = False, keep_dates: bool = False) -> Iterator[Outgoing]:
    """The file's non-blank lines as records, once or (``loop``) over and over."""
    for _ in itertools.count() if loop else range(1):
        with path.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    now = None if keep_dates else datetime.now(UTC)
                    yield to_record(line.strip(), number, now)


def count_reviews(path: Path) -> int:
    """The number of records one pass over the file sends; :class:`ProducerError` when it
    cannot be read or holds none."""
    try:
        with path.open("rb") as lines:
            found = sum(1 for line in lines if line.strip())
    except OSError as error:
        raise ProducerError(
            f"Cannot read the reviews file {path}: {error.strerror}. Pass --file with a "
            "JSON-lines file of reviews."
        ) from None
    if not found:
        raise ProducerError(f"The reviews file {path} holds no reviews.")
    return found


def batches(
    records: Iterable[Outgoing], size: int, warn: Callable[[str], None]
) -> Iterator[list[Outgoing]]:
    """Records grouped for PutRecords (at most ``size`` records and 5 MiB); a record over
    Kinesis's 1 MiB limit cannot be sent and is reported."""
    batch: list[Outgoing] = []
    volume = 0
    for record in records:
        if record.size() > MAX_RECORD_BYTES:
            warn(
                f"Line {record.line} is {record.size():,} bytes, over Kinesis's 1 MiB record limit: skipped."
            )
            continue
        if batch and (len(batch) == size or volume + record.size() > MAX_BATCH_BYTES):
            yield batch
            batch, volume = [], 0
        batch.append(record)
        volume += record.size()
    if batch:
        yield batch


def stream_missing(stream: str, region: str) -> ProducerError:
    return ProducerError(
        f"Kinesis stream {stream!r} does not exist in {region}. Create it (the streaming stack, "
        "or local mode), or name another with --stream / REVIEW_STREAM_NAME."
    )


class Producer:
    """Puts records with PutRecords, re-sending what is throttled or reported as failed."""

    def __init__(
        self,
        client: Any,
        stream: str,
        *,
        region: str,
        max_rounds: int = 10,
        base_delay_s: float = 0.2,
        max_delay_s: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._stream = stream
        self._region = region
        self._max_rounds = max_rounds
        self._base_delay_s = base_delay_s
        self._max_delay_s = max_delay_s
        self._sleep = sleep
        self._clock = clock
        self.sent = 0
        self.retried = 0

    def check_stream(self) -> None:
        """Fail early, with advice, when the stream is missing or cannot be written yet."""
        try:
            summary = self._client.describe_stream_summary(StreamName=self._stream)
        except BotoCoreError as error:
            raise ProducerError(f"Kinesis cannot be reached: {error}") from None
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                raise stream_missing(self._stream, self._region) from None
            raise
        status = summary["StreamDescriptionSummary"]["StreamStatus"]
        if status not in ("ACTIVE", "UPDATING"):
            raise ProducerError(f"Kinesis stream {self._stream!r} is {status}, not ACTIVE yet.")

    def _backoff(self, attempt: int) -> None:
        self.retried += 1
        ceiling = min(self._max_delay_s, self._base_delay_s * 2**attempt)
        self._sleep(random.uniform(ceiling / 2, ceiling))  # noqa: S311 (jitter, not secrets)

    def put(self, batch: list[Outgoing], on_sent: Callable[[int], None]) -> None:
        """Put ``batch``; calls ``on_sent`` with each round's successes. Raises
        :class:`ProducerError` when records still fail after ``max_rounds`` rounds."""
        pending = batch
        reason = ""
        for attempt in range(self._max_rounds):
            if attempt:
                self._backoff(attempt)
            try:
                answer = self._client.put_records(
                    StreamName=self._stream,
                    Records=[{"Data": r.data, "PartitionKey": r.partition_key} for r in pending],
                )
            except BotoCoreError as error:
                # botocore has already retried it: the endpoint is gone, not slow.
                raise ProducerError(
                    f"Kinesis cannot be reached: {error}; {self.sent} were sent."
                ) from None
            except ClientError as error:
                code = error_code(error)
                if code == "ResourceNotFoundException":
                    raise stream_missing(self._stream, self._region) from None
                if code not in _THROTTLED:
                    raise ProducerError(f"PutRecords failed: {code}: {error}") from None
                reason = code
                continue
            failed = [
                record
                for record, result in zip(pending, answer["Records"], strict=True)
                if result.get("ErrorCode")
            ]
            self.sent += len(pending) - len(failed)
            on_sent(len(pending) - len(failed))
            if not failed:
                return
            reason = next(r["ErrorCode"] for r in answer["Records"] if r.get("ErrorCode"))
            pending = failed
        raise ProducerError(
            f"{len(pending)} record(s) (lines {', '.join(str(r.line) for r in pending[:5])}"
            f"{', ...' if len(pending) > 5 else ''}) still failed after {self._max_rounds} "
            f"attempts ({reason}); {self.sent} were sent."
        )

    def run(
        self,
        records: Iterable[Outgoing],
        rate: float,
        on_sent: Callable[[int], None],
        warn: Callable[[str], None],
    ) -> int:
        """Send ``records`` at ``rate`` records per second; returns how many were sent."""
        # About five calls a second: smooth enough for a live dashboard, few enough calls.
        size = max(1, min(MAX_BATCH_RECORDS, math.ceil(rate / 5)))
        started = self._clock()
        for batch in batches(records, size, warn):
            self.put(batch, on_sent)
            ahead = started + self.sent / rate - self._clock()
            if ahead > 0:
                self._sleep(ahead)
        return self.sent


@dataclass(frozen=True)
class ProduceOptions:
    """The ``produce`` command's arguments."""

    stream: str
    rate: float
    file: Path
    count: int | None = None
    loop: bool = False
    keep_dates: bool = False


def produce(
    options: ProduceOptions,
    client: Any,
    *,
    region: str,
    sleep: Callable[[float], None] = time.sleep,
    out: TextIO | None = None,
) -> int:
    """Run the ``produce`` command; returns its exit status (0 sent, 1 failed, 2 cannot start,
    130 stopped with Ctrl-C). Progress and messages go to ``out``."""
    out = out or sys.stderr
    producer = Producer(client, options.stream, region=region, sleep=sleep)
    try:
        return _produce(producer, options, out)
    except KeyboardInterrupt:
        # tqdm has closed its bar on the way out; the count is what Kinesis confirmed.
        print(f"Stopped: {producer.sent} review(s) sent to {options.stream}.", file=out)
        return 130


def _produce(producer: Producer, options: ProduceOptions, out: TextIO) -> int:
    from tqdm import tqdm

    try:
        in_file = count_reviews(options.file)
        producer.check_stream()
    except ProducerError as error:
        print(error, file=out)
        return 2
    records = read_records(options.file, loop=options.loop, keep_dates=options.keep_dates)
    total = None if options.loop else in_file
    if options.count is not None:
        records = itertools.islice(records, options.count)
        total = options.count if total is None else min(total, options.count)
    with tqdm(total=total, unit=" reviews", desc=f"to {options.stream}", file=out) as bar:

        def sent(n: int) -> None:
            bar.update(n)
            if producer.retried:
                bar.set_postfix(retries=producer.retried)

        def skipped(message: str) -> None:
            bar.write(message, file=out)
            if bar.total:
                bar.total -= 1
                bar.refresh()

        try:
            producer.run(records, options.rate, sent, skipped)
        except ProducerError as error:
            bar.close()
            print(error, file=out)
            return 1
    print(f"Sent {producer.sent} review(s) to {options.stream}.", file=out)
    return 0
