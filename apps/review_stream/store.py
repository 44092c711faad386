"""Where processed reviews and dead letters land, and the queries the dashboard asks.

Two stores behind one protocol: a SQLite file (local mode; the local processor also keeps its
shard positions there) and the OpenSearch Serverless collection the Flink job writes to.
Writes are upserts keyed by each document's ``doc_id``, so a replayed record overwrites.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from reviews_domain.model import DeadLetter, ProcessedReview

from review_stream.indexes import DEAD_LETTER_INDEX, INDEX
from review_stream.settings import ReviewSettings

Bucket = Literal["minute", "hour"]
BUCKET_SECONDS: dict[Bucket, int] = {"minute": 60, "hour": 3600}


@dataclass(frozen=True)
class SentimentCount:
    """How many reviews of one sentiment fall in the bucket starting at ``start`` (UTC)."""

    start: datetime
    sentiment: str
    count: int


@dataclass(frozen=True)
class Checkpoint:
    """The last record of a shard whose results are stored; ``data_sha256`` tells a replayed
    stream (same record at that position) from a new one that reuses sequence numbers."""

    shard_id: str
    sequence_number: str
    data_sha256: str


class StoreUnavailable(RuntimeError):
    """The store cannot be reached or read; the message says why, for a person to act on."""


class ResultsStore(Protocol):
    def upsert(self, processed: Sequence[ProcessedReview]) -> None: ...

    def add_dead_letters(self, letters: Sequence[DeadLetter]) -> None: ...

    def sentiment_over_time(
        self, bucket: Bucket = "minute", buckets: int = 60
    ) -> list[SentimentCount]:
        """Counts per bucket and sentiment over the ``buckets`` buckets up to the newest review."""
        ...

    def volume(self) -> int: ...

    def latest(self, n: int = 20) -> list[ProcessedReview]: ...

    def dead_letter_count(self) -> int: ...

    def latest_dead_letters(self, n: int = 10) -> list[DeadLetter]: ...

    def analyzer_name(self) -> str | None:
        """What produced the stored sentiments, when the writer recorded it."""
        ...


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value: str) -> str:
    """``value`` as SQLite can store it: a lone surrogate (from a JSON escape such as
    ``"\\ud800"``) cannot be encoded as UTF-8, so it is kept as that escape."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _window_start(newest: datetime, bucket: Bucket, buckets: int) -> datetime:
    """The start of the oldest of ``buckets`` buckets ending with the one holding ``newest``."""
    width = BUCKET_SECONDS[bucket]
    last = int(newest.timestamp()) // width * width
    return datetime.fromtimestamp(last, UTC) - timedelta(seconds=width * (buckets - 1))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS processed_reviews (
    doc_id TEXT PRIMARY KEY, review_id INTEGER NOT NULL, user_id TEXT NOT NULL,
    summary TEXT NOT NULL, sentiment TEXT NOT NULL, date_time TEXT NOT NULL, epoch REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS processed_reviews_epoch ON processed_reviews (epoch);
CREATE TABLE IF NOT EXISTS dead_letters (
    doc_id TEXT PRIMARY KEY, raw TEXT NOT NULL, reason TEXT NOT NULL, review_id INTEGER,
    failed_at TEXT NOT NULL, epoch REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS shard_positions (
    stream TEXT NOT NULL, shard_id TEXT NOT NULL, sequence_number TEXT NOT NULL,
    data_sha256 TEXT NOT NULL, PRIMARY KEY (stream, shard_id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class LocalStore:
    """A SQLite file shared by one writer (the local processor) and any number of readers.

    Each call opens its own connection: Streamlit serves sessions from several threads, and
    WAL lets the dashboard read while the processor writes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(f"The local store {path} cannot be created: {error}") from error

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
                yield db
        except sqlite3.Error as error:
            raise StoreUnavailable(
                f"The local store {self.path} cannot be used: {error}"
            ) from error

    def upsert(self, processed: Sequence[ProcessedReview]) -> None:
        self.write(processed, [])

    def add_dead_letters(self, letters: Sequence[DeadLetter]) -> None:
        self.write([], letters)

    def write(
        self,
        processed: Sequence[ProcessedReview],
        letters: Sequence[DeadLetter],
        *,
        stream: str | None = None,
        checkpoint: Checkpoint | None = None,
        analyzer: str | None = None,
    ) -> None:
        """Store results and, in the same transaction, the shard position they reach, so a
        crash between the two can neither lose a batch nor store it twice."""
        with self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO processed_reviews VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        review.doc_id,
                        review.review_id,
                        _text(review.user_id),
                        _text(review.summary),
                        review.sentiment,
                        _utc(review.date_time).isoformat(),
                        review.date_time.timestamp(),
                    )
                    for review in processed
                ],
            )
            db.executemany(
                "INSERT OR REPLACE INTO dead_letters VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        letter.doc_id,
                        _text(letter.raw),
                        _text(letter.reason),
                        letter.review_id,
                        _utc(letter.failed_at).isoformat(),
                        letter.failed_at.timestamp(),
                    )
                    for letter in letters
                ],
            )
            if checkpoint is not None and stream is not None:
                db.execute(
                    "INSERT OR REPLACE INTO shard_positions VALUES (?, ?, ?, ?)",
                    (
                        stream,
                        checkpoint.shard_id,
                        checkpoint.sequence_number,
                        checkpoint.data_sha256,
                    ),
                )
            if analyzer is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('analyzer', ?)", (analyzer,))

    def checkpoints(self, stream: str) -> dict[str, Checkpoint]:
        """The stored position of each shard of ``stream``, by shard id."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT shard_id, sequence_number, data_sha256 FROM shard_positions WHERE stream = ?",
                (stream,),
            ).fetchall()
        return {row[0]: Checkpoint(*row) for row in rows}

    def sentiment_over_time(
        self, bucket: Bucket = "minute", buckets: int = 60
    ) -> list[SentimentCount]:
        width = BUCKET_SECONDS[bucket]
        with self._connect() as db:
            (newest,) = db.execute("SELECT MAX(epoch) FROM processed_reviews").fetchone()
            if newest is None:
                return []
            since = _window_start(datetime.fromtimestamp(newest, UTC), bucket, buckets)
            rows = db.execute(
                "SELECT CAST(epoch AS INTEGER) / ? * ? AS start, sentiment, COUNT(*) "
                "FROM processed_reviews WHERE epoch >= ? GROUP BY start, sentiment ORDER BY start",
                (width, width, since.timestamp()),
            ).fetchall()
        return [
            SentimentCount(datetime.fromtimestamp(start, UTC), sentiment, count)
            for start, sentiment, count in rows
        ]

    def volume(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM processed_reviews").fetchone()[0])

    def latest(self, n: int = 20) -> list[ProcessedReview]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT review_id, user_id, summary, sentiment, date_time FROM processed_reviews "
                "ORDER BY epoch DESC, review_id DESC LIMIT ?",
                (n,),
            ).fetchall()
        return [
            ProcessedReview(
                review_id=review_id,
                user_id=user_id,
                summary=summary,
                sentiment=sentiment,
                date_time=datetime.fromisoformat(date_time),
            )
            for review_id, user_id, summary, sentiment, date_time in rows
        ]

    def dead_letter_count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM dead_letters").fetchone()[0])

    def latest_dead_letters(self, n: int = 10) -> list[DeadLetter]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT doc_id, raw, reason, review_id, failed_at FROM dead_letters "
                "ORDER BY epoch DESC LIMIT ?",
                (n,),
            ).fetchall()
        return [
            DeadLetter(
                raw=raw,
                reason=reason,
                review_id=review_id,
                failed_at=datetime.fromisoformat(failed_at),
                record_sha256=doc_id,
            )
            for doc_id, raw, reason, review_id, failed_at in rows
        ]

    def analyzer_name(self) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'analyzer'").fetchone()
        return None if row is None else str(row[0])


class OpenSearchStore:
    """The OpenSearch Serverless collection, signed with SigV4 for the service ``aoss``.

    Serverless takes neither ``refresh`` nor ``_count`` for every collection type, so counts
    come from ``track_total_hits`` searches; a missing index reads as empty.
    """

    def __init__(self, client: Any) -> None:
        self.client = client

    @classmethod
    def connect(cls, endpoint: str, region: str, *, timeout: float = 10.0) -> OpenSearchStore:
        """A store for the collection at ``endpoint``, with the default AWS credential chain."""
        import boto3
        from reviews_domain.bulk_writer import opensearch_client

        url = urlsplit(endpoint)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise StoreUnavailable(f"OPENSEARCH_ENDPOINT is not a URL: {endpoint!r}")
        credentials = boto3.Session().get_credentials()
        if credentials is None:
            raise StoreUnavailable(
                "No AWS credentials were found to sign OpenSearch requests: this app needs an "
                "IAM role (EKS Pod Identity) with access to the collection."
            )
        return cls(
            opensearch_client(
                endpoint, region, timeout=timeout, max_retries=2, retry_on_timeout=True
            )
        )

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from opensearchpy.exceptions import (
            AuthenticationException,
            AuthorizationException,
            ConnectionError,
            NotFoundError,
            TransportError,
        )

        try:
            return getattr(self.client, operation)(**kwargs)
        except NotFoundError:
            return None
        except (AuthenticationException, AuthorizationException) as error:
            raise StoreUnavailable(
                "OpenSearch refused the request (HTTP "
                f"{error.status_code}): the role needs a data access policy on the collection "
                "(aoss:ReadDocument, aoss:WriteDocument) and aoss:APIAccessAll."
            ) from error
        except ConnectionError as error:
            raise StoreUnavailable(f"OpenSearch cannot be reached: {error.info}") from error
        except TransportError as error:
            raise StoreUnavailable(f"OpenSearch returned an error: {error}") from error

    def _bulk(self, actions: list[dict[str, Any]]) -> None:
        from opensearchpy.helpers import BulkIndexError, bulk

        if not actions:
            return
        try:
            # Retries the items OpenSearch rejects with 429 (throttled), with backoff.
            bulk(self.client, actions, max_retries=5, initial_backoff=1, max_backoff=30)
        except BulkIndexError as error:
            raise StoreUnavailable(
                f"OpenSearch rejected {len(error.errors)} of {len(actions)} documents: "
                f"{error.errors[0]}"
            ) from error

    def upsert(self, processed: Sequence[ProcessedReview]) -> None:
        self._bulk(
            [
                {"_op_type": "index", "_index": INDEX, "_id": r.doc_id, "_source": r.document()}
                for r in processed
            ]
        )

    def add_dead_letters(self, letters: Sequence[DeadLetter]) -> None:
        self._bulk(
            [
                {
                    "_op_type": "index",
                    "_index": DEAD_LETTER_INDEX,
                    "_id": letter.doc_id,
                    "_source": letter.document(),
                }
                for letter in letters
            ]
        )

    def _total(self, index: str) -> int:
        answer = self._call(
            "search",
            index=index,
            body={"size": 0, "track_total_hits": True, "query": {"match_all": {}}},
        )
        return 0 if answer is None else int(answer["hits"]["total"]["value"])

    def _hits(self, index: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        """The documents found, each with its id as ``_id``."""
        answer = self._call("search", index=index, body=body)
        hits = [] if answer is None else answer["hits"]["hits"]
        return [{**hit["_source"], "_id": hit["_id"]} for hit in hits]

    def sentiment_over_time(
        self, bucket: Bucket = "minute", buckets: int = 60
    ) -> list[SentimentCount]:
        newest = self._call(
            "search",
            index=INDEX,
            body={"size": 0, "aggs": {"newest": {"max": {"field": "dateTime"}}}},
        )
        newest_ms = None if newest is None else newest["aggregations"]["newest"]["value"]
        if newest_ms is None:
            return []
        since = _window_start(datetime.fromtimestamp(newest_ms / 1000, UTC), bucket, buckets)
        answer = self._call(
            "search",
            index=INDEX,
            body={
                "size": 0,
                "query": {"range": {"dateTime": {"gte": since.isoformat()}}},
                "aggs": {
                    "over_time": {
                        "date_histogram": {
                            "field": "dateTime",
                            "fixed_interval": f"{BUCKET_SECONDS[bucket]}s",
                            "min_doc_count": 1,
                        },
                        "aggs": {"sentiment": {"terms": {"field": "sentiment", "size": 10}}},
                    }
                },
            },
        )
        if answer is None:
            return []
        return [
            SentimentCount(
                datetime.fromtimestamp(row["key"] / 1000, UTC), term["key"], int(term["doc_count"])
            )
            for row in answer["aggregations"]["over_time"]["buckets"]
            for term in row["sentiment"]["buckets"]
        ]

    def volume(self) -> int:
        return self._total(INDEX)

    def latest(self, n: int = 20) -> list[ProcessedReview]:
        body = {"size": n, "sort": [{"dateTime": "desc"}, {"reviewId": "desc"}]}
        return [
            ProcessedReview(
                review_id=doc["reviewId"],
                user_id=doc["userId"],
                summary=doc["summary"],
                sentiment=doc["sentiment"],
                date_time=doc["dateTime"],
            )
            for doc in self._hits(INDEX, body)
        ]

    def dead_letter_count(self) -> int:
        return self._total(DEAD_LETTER_INDEX)

    def latest_dead_letters(self, n: int = 10) -> list[DeadLetter]:
        body = {"size": n, "sort": [{"failedAt": "desc"}]}
        return [
            DeadLetter(
                raw=doc["raw"],
                reason=doc["reason"],
                review_id=doc.get("reviewId"),
                failed_at=doc["failedAt"],
                record_sha256=doc["_id"],
            )
            for doc in self._hits(DEAD_LETTER_INDEX, body)
        ]

    def analyzer_name(self) -> str | None:
        # The Flink job writes what Bedrock answered and records no analyzer.
        return None


def open_store(settings: ReviewSettings) -> ResultsStore:
    """The store the settings choose: ``REVIEW_STORE`` local (``REVIEW_DB``) or opensearch."""
    if settings.review_store == "opensearch":
        return OpenSearchStore.connect(str(settings.opensearch_endpoint), settings.aws_region)
    return LocalStore(settings.review_db)
