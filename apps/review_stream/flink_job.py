"""The review-sentiment job for Managed Service for Apache Flink (PyFlink 2.2).

    Kinesis (raw records)
      -> parse: malformed records to the dead-letter side output
      -> analyze: Bedrock Converse with tool use, async (unordered, bounded capacity, timeout)
      -> route: analyses to processed_reviews, failures to the dead-letter side output
      -> write: bulk to OpenSearch Serverless, _id = doc_id, both indexes

Every record ends as exactly one document: a processed review (its id is the reviewId, so a
replay after a restart overwrites it) or a dead letter (its id is a hash of the record). The
writes are themselves an async operator: its in-flight documents are written before a
checkpoint completes, so a checkpointed record is never only in a buffer. No record fails the
job: a poison record (one whose processing raises) is a dead letter after its second failure
(review_stream.pipeline), and a write that outlives the sink's timeout is written again.

The service starts it through the zip's main.py (scripts/package-flink-app); locally,
``python -m review_stream.flink_job``. Settings come from review_stream.flink_settings.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config
from genai_common.metering import emf_meter
from pyflink.common import Time, Types, WatermarkStrategy
from pyflink.common.serialization import SimpleStringSchema
from pyflink.datastream import (
    AsyncDataStream,
    AsyncFunction,
    DataStream,
    OutputTag,
    ProcessFunction,
    RuntimeContext,
    StreamExecutionEnvironment,
)
from pyflink.datastream.connectors.base import Sink, Source
from pyflink.java_gateway import get_gateway
from reviews_domain.bulk_writer import BulkBatcher, BulkWriter, Document, opensearch_client
from reviews_domain.model import DeadLetter

from review_stream.analysis import BedrockAnalyzer
from review_stream.flink_settings import JobSettings, load_job_settings
from review_stream.indexes import DEAD_LETTER_INDEX, INDEX
from review_stream.pipeline import Outcome, check_record, process_record

log = logging.getLogger(__name__)

# (index, doc_id, document as JSON): strings cross between the JVM and Python workers cheaply.
DOCUMENT = Types.TUPLE([Types.STRING(), Types.STRING(), Types.STRING()])
DEAD_LETTERS = OutputTag("dead-letters", DOCUMENT)
# Beyond the analyzer's own timeout: the operator's timeout is the backstop that still turns
# a record whose call never returns into a dead letter.
OPERATOR_GRACE_S = 5.0
SINK_BATCH = 250
SINK_THREADS = 4
SINK_LINGER_S = 0.05
SINK_REQUEST_TIMEOUT_S = 20.0
# Documents in flight: what the threads' bulk requests carry at once. Every one in flight has
# its own timer thread (PyFlink's async operator), and under pushback more would only wait in
# line, each closer to its timeout.
SINK_CAPACITY = SINK_BATCH * SINK_THREADS
# A document waits for at most one round of requests ahead of it (the batcher sends no more
# requests than there are threads, and the capacity fills one round), then for its own; each
# request may take the writer's every attempt and backoff.
SINK_TIMEOUT_S = SINK_LINGER_S + 2 * BulkWriter.longest_write_s(SINK_REQUEST_TIMEOUT_S)

BedrockFactory = Callable[[JobSettings], Any]
OpenSearchFactory = Callable[[JobSettings], Any]


def as_document(outcome: Outcome) -> tuple[str, str, str]:
    index = DEAD_LETTER_INDEX if isinstance(outcome, DeadLetter) else INDEX
    return index, outcome.doc_id, json.dumps(outcome.document(), ensure_ascii=False)


def bedrock_client(settings: JobSettings) -> Any:
    """The job's Bedrock client: retries are the analyzer's (throttling backoff), not botocore's."""
    config = Config(
        region_name=settings.aws_region,
        retries={"mode": "standard", "total_max_attempts": 1},
        max_pool_connections=settings.capacity,
        connect_timeout=5,
        read_timeout=settings.timeout_seconds,
        user_agent_extra="genai-platform-review-stream",
    )
    return boto3.session.Session().client("bedrock-runtime", config=config)


def search_client(settings: JobSettings) -> Any:
    return opensearch_client(
        str(settings.opensearch_endpoint),
        settings.aws_region,
        pool_size=SINK_THREADS,
        timeout=SINK_REQUEST_TIMEOUT_S,
    )


class ParseRecords(ProcessFunction):
    """Valid reviews go on as they came; anything else becomes a dead letter at once."""

    def open(self, runtime_context: RuntimeContext) -> None:
        self._invalid = runtime_context.get_metrics_group().counter("invalidRecords")

    def process_element(self, value: str, ctx: ProcessFunction.Context) -> Any:
        checked = check_record(value)
        if isinstance(checked, DeadLetter):
            self._invalid.inc()
            yield DEAD_LETTERS, as_document(checked)
            return
        yield value


class AnalyzeReviews(AsyncFunction):
    """One Converse call per review, retried on throttling; never fails the job for a record."""

    def __init__(self, settings: JobSettings, client_factory: BedrockFactory) -> None:
        self._settings = settings
        self._client_factory = client_factory
        self._analyzer: BedrockAnalyzer | None = None

    def open(self, runtime_context: RuntimeContext) -> None:
        settings = self._settings
        self._analyzer = BedrockAnalyzer(
            self._client_factory(settings),
            settings.model_id,
            concurrency=settings.capacity,
            max_attempts=settings.max_attempts,
            meter=emf_meter(settings.app_name, settings.platform_environment),
        )

    async def async_invoke(self, value: str) -> list[tuple[str, str, str]]:
        assert self._analyzer is not None, "open() creates the analyzer"
        outcome = await process_record(
            value, self._analyzer, timeout_s=self._settings.timeout_seconds
        )
        return [as_document(outcome)]

    def timeout(self, value: str) -> list[tuple[str, str, str]]:
        reason = f"no analysis within the operator's {self._operator_timeout_s():g} s"
        return [as_document(DeadLetter.of(value, reason))]

    def close(self) -> None:
        if self._analyzer is not None:
            self._analyzer.close()

    def _operator_timeout_s(self) -> float:
        return self._settings.timeout_seconds + OPERATOR_GRACE_S


class RouteOutcomes(ProcessFunction):
    """Analyses stay on the main output; failed records join the dead-letter side output."""

    def open(self, runtime_context: RuntimeContext) -> None:
        metrics = runtime_context.get_metrics_group()
        self._processed = metrics.counter("processedReviews")
        self._failed = metrics.counter("failedAnalyses")

    def process_element(self, value: tuple[str, str, str], ctx: ProcessFunction.Context) -> Any:
        if value[0] == DEAD_LETTER_INDEX:
            self._failed.inc()
            yield DEAD_LETTERS, value
        else:
            self._processed.inc()
            yield value


class WriteDocuments(AsyncFunction):
    """Indexes each document through a shared bulk batcher and emits ``index/doc_id`` once it
    is stored. A processed review that OpenSearch refuses is stored as a dead letter instead;
    a refused dead letter fails the job (it is retried from the last checkpoint)."""

    def __init__(self, settings: JobSettings, client_factory: OpenSearchFactory) -> None:
        self._settings = settings
        self._client_factory = client_factory
        self._batcher: BulkBatcher | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._writer: BulkWriter | None = None

    def open(self, runtime_context: RuntimeContext) -> None:
        self._writer = BulkWriter(self._client_factory(self._settings))
        self._pool = ThreadPoolExecutor(max_workers=SINK_THREADS, thread_name_prefix="bulk")

    async def async_invoke(self, value: tuple[str, str, str]) -> list[str]:
        if self._batcher is None:
            # Created on the operator's event loop, which open() does not run on.
            assert self._writer is not None and self._pool is not None
            self._loop = asyncio.get_running_loop()
            self._batcher = BulkBatcher(
                self._writer,
                self._pool,
                batch_size=SINK_BATCH,
                linger_s=SINK_LINGER_S,
                max_writes=SINK_THREADS,
            )
        return await self._store(value)

    def timeout(self, value: tuple[str, str, str]) -> list[str]:
        """Flink's call, on a timer thread, for a write that outlived the operator's timeout (the
        collection has pushed back for minutes). Raising, the default, would restart the job from
        its checkpoint into the same pushback, in a loop; instead the document is written once
        more, this thread waiting for it. The same id: if the first write lands too, it is an
        overwrite. Only a collection that keeps refusing through this write too fails the job."""
        if self._loop is None:
            raise RuntimeError("the sink timed out before its first write started")
        return asyncio.run_coroutine_threadsafe(self._store(value), self._loop).result()

    async def _store(self, value: tuple[str, str, str]) -> list[str]:
        assert self._batcher is not None, "async_invoke creates the batcher"
        index, doc_id, body = value
        refused = await self._batcher.put(Document(index, doc_id, json.loads(body)))
        if refused is None:
            return [f"{index}/{doc_id}"]
        if index == DEAD_LETTER_INDEX:
            raise RuntimeError(f"dead letter {doc_id} was not stored: {refused}")
        dead = DeadLetter.of(body, refused, int(doc_id))
        again = await self._batcher.put(Document(DEAD_LETTER_INDEX, dead.doc_id, dead.document()))
        if again is not None:
            raise RuntimeError(
                f"review {doc_id} was refused ({refused}), and so was its dead letter"
            )
        return [f"{DEAD_LETTER_INDEX}/{dead.doc_id}"]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


class CountStored(ProcessFunction):
    """Counts the stored documents by kind: the one operator that counts dead letters, each
    once, when it is in the collection. For dashboards only: Managed Flink documents exporting
    the "kinesisanalytics" group for Java jobs, not for PyFlink's, so the dead-letter alarm reads
    the collection's own ingestion metric instead (infra/streaming/alarms.tf)."""

    def open(self, runtime_context: RuntimeContext) -> None:
        group = runtime_context.get_metrics_group().add_group("kinesisanalytics")
        self._dead_letters = group.counter("deadLetters")
        self._reviews = group.counter("storedReviews")

    def process_element(self, value: str, ctx: ProcessFunction.Context) -> Any:
        counter = self._dead_letters if value.startswith(f"{DEAD_LETTER_INDEX}/") else self._reviews
        counter.inc()
        yield value


def build(
    records: DataStream,
    settings: JobSettings,
    *,
    bedrock: BedrockFactory = bedrock_client,
    search: OpenSearchFactory = search_client,
    sink_timeout_s: float = SINK_TIMEOUT_S,
) -> DataStream:
    """The job from a stream of raw records to the stream of stored ``index/doc_id`` keys."""
    parsed = records.process(ParseRecords(), Types.STRING()).name("parse").uid("parse")
    analyzed = (
        AsyncDataStream.unordered_wait(
            parsed,
            AnalyzeReviews(settings, bedrock),
            Time.milliseconds(int((settings.timeout_seconds + OPERATOR_GRACE_S) * 1000)),
            settings.capacity,
            DOCUMENT,
        )
        .name("analyze (Bedrock)")
        .uid("analyze")
    )
    routed = analyzed.process(RouteOutcomes(), DOCUMENT).name("route").uid("route")
    dead = parsed.get_side_output(DEAD_LETTERS).union(routed.get_side_output(DEAD_LETTERS))
    stored = (
        AsyncDataStream.unordered_wait(
            routed.union(dead),
            WriteDocuments(settings, search),
            Time.milliseconds(int(sink_timeout_s * 1000)),
            SINK_CAPACITY,
            Types.STRING(),
        )
        .name("write (OpenSearch)")
        .uid("write")
    )
    return stored.process(CountStored(), Types.STRING()).name("count").uid("count")


def kinesis_source(settings: JobSettings) -> Source:
    """The FLIP-27 Kinesis source of the connector jar (PyFlink wraps only the legacy consumer,
    which Flink 2 removed)."""
    jvm = get_gateway().jvm
    options = jvm.java.util.HashMap()
    options.put("aws.region", settings.aws_region)
    options.put("source.init.position", settings.initial_position)
    j_source = (
        jvm.org.apache.flink.connector.kinesis.source.KinesisStreamsSource.builder()
        .setStreamArn(settings.stream_arn)
        .setSourceConfig(jvm.org.apache.flink.configuration.Configuration.fromMap(options))
        .setDeserializationSchema(SimpleStringSchema()._j_deserialization_schema)
        .build()
    )
    return Source(j_source)


def discarding_sink() -> Sink:
    jvm = get_gateway().jvm
    return Sink(jvm.org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink())


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = load_job_settings()
    env = StreamExecutionEnvironment.get_execution_environment()
    records = env.from_source(
        kinesis_source(settings), WatermarkStrategy.no_watermarks(), "kinesis", Types.STRING()
    ).uid("kinesis")
    build(records, settings).sink_to(discarding_sink()).name("stored").uid("stored")
    env.execute("review-sentiment")


if __name__ == "__main__":
    main()
