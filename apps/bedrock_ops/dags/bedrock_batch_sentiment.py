"""bedrock_batch_sentiment: a day of archived reviews through Bedrock batch inference (about half
the on-demand price), loaded next to the streaming results.

    wait_for_late_archive_objects ─► prepare_batch_input ─► start_batch_inference
        ─► wait_for_batch_inference ─► load_results

The day is the run's logical date (a daily interval, run after it closes; the param ``day``
overrides it). prepare_batch_input reads s3://<reviews_archive_bucket>/<prefix>date=<day>/
(JSONL, gzip or not, with or without newlines between records), keeps each valid review once,
and writes one record per review (recordId + an Anthropic Messages modelInput) to
batch-input/date=<day>/records.jsonl, with the reviews themselves beside it for the load. A day
with fewer than 100 reviews (Bedrock's minimum per job) is skipped. The job may end
``Completed`` or ``PartiallyCompleted`` (some records failed; the output gives each its error):
either way load_results reads the job's .jsonl.out files, checks every reply against the
stream's Analysis schema (a reply that is not one is counted, not loaded), bulk-loads the others
into ``batch_index`` with ``source: batch`` and the reviewId as the document id, and reports the
records that failed (a warning, and ``failed_records`` in its summary). It fails when a record
is missing from the output, when OpenSearch refuses a document, or when no reply was usable.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from typing import Any

from airflow.exceptions import AirflowFailException, AirflowSkipException
from airflow.providers.amazon.aws.operators.bedrock import BedrockBatchInferenceOperator
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import Param, dag, task
from airflow.timetables.interval import CronDataIntervalTimetable
from bedrock_ops.batch_sensor import BatchInferenceFinishedSensor
from bedrock_ops.common import (
    START_DATE,
    TAG,
    aws_args,
    default_args,
    run_stamp,
    s3_hook,
    var,
    variable,
)

INPUT_FILE = "records.jsonl"
SOURCES_FILE = "source-reviews.json"
BULK_CHUNK = 500
# How many failed record ids the summary lists (the count is always there).
LISTED_FAILURES = 100

log = logging.getLogger(__name__)


def _day(params: dict[str, Any], logical_date: Any) -> str:
    if params.get("day"):
        try:
            return date.fromisoformat(str(params["day"])).isoformat()
        except ValueError:
            raise AirflowFailException(f"day must be YYYY-MM-DD, got {params['day']!r}") from None
    if logical_date is None:
        raise AirflowFailException("this run has no logical date: trigger it with the param day")
    return logical_date.in_timezone("UTC").to_date_string()


@dag(
    dag_id="bedrock_batch_sentiment",
    description="Batch inference over a day of archived reviews, loaded into the batch index",
    # A daily interval: the run for day D starts when D has ended, with D as its logical date.
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    params={
        "day": Param(
            None,
            type=["null", "string"],
            format="date",
            description="The day to process (YYYY-MM-DD); empty: the run's logical date",
        )
    },
    tags=[TAG, "batch-inference", "reviews"],
    doc_md=__doc__,
)
def bedrock_batch_sentiment() -> None:
    # The archive's delivery buffers records for up to 15 minutes after the day ends.
    wait = TimeDeltaSensor(
        task_id="wait_for_late_archive_objects", delta=timedelta(minutes=30), deferrable=True
    )

    @task(multiple_outputs=True)
    def prepare_batch_input(
        params: Any = None, logical_date: Any = None, dag_run: Any = None
    ) -> dict[str, Any]:
        from bedrock_ops.batch import MIN_RECORDS, DayOfReviews, batch_records, record_id, to_jsonl

        day = _day(params or {}, logical_date)
        region = variable("aws_region")
        archive_bucket = variable("reviews_archive_bucket")
        archive_prefix = f"{variable('reviews_archive_prefix')}date={day}/"
        reader = s3_hook(region)
        found = DayOfReviews()
        keys = sorted(reader.list_keys(bucket_name=archive_bucket, prefix=archive_prefix))
        for key in keys:
            found.add_text(_text(reader.get_key(key, archive_bucket).get()["Body"].read()))
        print(
            f"s3://{archive_bucket}/{archive_prefix}: {len(keys)} objects, "
            f"{len(found.reviews)} reviews, {found.invalid} invalid records, "
            f"{found.duplicates} repeated"
        )
        if len(found.reviews) < MIN_RECORDS:
            raise AirflowSkipException(
                f"{len(found.reviews)} reviews on {day}: a batch inference job needs at least "
                f"{MIN_RECORDS}"
            )
        bucket = variable("operations_bucket")
        writer = s3_hook(region, variable("operations_kms_key_arn"))
        prefix = f"batch-input/date={day}/"
        writer.load_string(
            to_jsonl(batch_records(found.reviews.values())),
            key=prefix + INPUT_FILE,
            bucket_name=bucket,
            replace=True,
        )
        sources = {
            record_id(i): r.model_dump(mode="json", by_alias=True)
            for i, r in sorted(found.reviews.items())
        }
        writer.load_string(
            json.dumps(sources), key=prefix + SOURCES_FILE, bucket_name=bucket, replace=True
        )
        return {
            "day": day,
            "records": len(sources),
            "job_name": f"review-sentiment-{day}-{run_stamp(dag_run)}",
            "input_uri": f"s3://{bucket}/{prefix}{INPUT_FILE}",
            "output_uri": f"s3://{bucket}/batch-output/date={day}/",
        }

    # Retried on transient errors (a re-load overwrites by reviewId); a verdict is not retried.
    @task
    def load_results(day: str, job_arn: str) -> dict[str, Any]:
        from bedrock_ops.batch import BatchOutcome, documents
        from reviews_domain.bulk_writer import BulkWriter, opensearch_client
        from reviews_domain.model import Review

        region = variable("aws_region")
        bucket = variable("operations_bucket")
        s3 = s3_hook(region)
        raw = s3.read_key(f"batch-input/date={day}/{SOURCES_FILE}", bucket_name=bucket)
        sources = {k: Review.model_validate(v) for k, v in json.loads(raw).items()}
        expected = set(sources)

        job_id = job_arn.rsplit("/", 1)[-1]
        output_prefix = f"batch-output/date={day}/{job_id}/"
        keys = sorted(
            k
            for k in s3.list_keys(bucket_name=bucket, prefix=output_prefix)
            if k.endswith(".jsonl.out")
        )
        outcome = BatchOutcome()
        for key in keys:
            outcome.add_text(_text(s3.get_key(key, bucket).get()["Body"].read()), expected)
        missing = outcome.missing(expected)

        docs = documents(outcome, sources)
        index = variable("batch_index")
        client = opensearch_client(variable("collection_endpoint"), region)
        writer = BulkWriter(client)
        refused = {}
        for start in range(0, len(docs), BULK_CHUNK):
            chunk = docs[start : start + BULK_CHUNK]
            outcomes = writer.write([_bulk_document(index, i, body) for i, body in chunk])
            refused.update({i: why for (i, _), why in zip(chunk, outcomes, strict=True) if why})
        summary = {
            "day": day,
            "job": job_arn,
            "output_files": len(keys),
            "records": len(expected),
            "loaded": len(docs) - len(refused),
            "unparseable": len(outcome.unparseable),
            "errored": len(outcome.errored),
            "failed_records": sorted(outcome.errored)[:LISTED_FAILURES],
            "missing": len(missing),
            "refused": len(refused),
            "unexpected": outcome.unexpected,
            "malformed_lines": outcome.malformed_lines,
        }
        print(json.dumps(summary, indent=2))
        for record, why in list({**outcome.unparseable, **outcome.errored}.items())[:20]:
            print(f"not loaded {record}: {why}")
        if outcome.errored:
            # A partly completed job: its good results are loaded; its failures are per record
            # (a new job would be needed for them), reported rather than failing the run.
            log.warning(
                "%d of %d records failed in the batch job (its output gives each its error); "
                "the others were loaded: %s",
                len(outcome.errored),
                len(expected),
                ", ".join(summary["failed_records"]),
            )
        problems = []
        if missing:
            problems.append(
                f"{len(missing)} record(s) missing from the job's output: {', '.join(missing[:20])}"
            )
        if refused:
            first = next(iter(refused.items()))
            problems.append(f"OpenSearch refused {len(refused)} document(s), e.g. {first}")
        if expected and not outcome.analyses:
            problems.append("no reply of the model was a usable analysis")
        if problems:
            raise AirflowFailException("; ".join(problems))
        return summary

    prepared = prepare_batch_input()
    start = BedrockBatchInferenceOperator(
        task_id="start_batch_inference",
        # A new name per attempt: a cleared task starts a new job instead of failing on the name.
        job_name="{{ ti.xcom_pull(task_ids='prepare_batch_input', key='job_name') }}"
        "-{{ ti.try_number }}",
        role_arn=var("batch_role_arn"),
        model_id=var("batch_model_id"),
        input_uri=prepared["input_uri"],
        output_uri=prepared["output_uri"],
        invoke_kwargs={"timeoutDurationInHours": 24},
        # The sensor waits, deferred; a retry would start (and pay for) a second job.
        wait_for_completion=False,
        deferrable=False,
        retries=0,
        **aws_args(),
    )
    # Until the job is Completed or PartiallyCompleted: both leave output to load.
    done = BatchInferenceFinishedSensor(
        task_id="wait_for_batch_inference",
        job_arn=start.output,
        deferrable=True,
        poke_interval=300,
        # Queued jobs may wait; the job itself times out after 24 hours.
        max_retries=12 * 30,
        **aws_args(),
    )
    wait >> prepared
    done >> load_results(prepared["day"], start.output)


def _text(body: bytes) -> str:
    from bedrock_ops.batch import decode_object

    return decode_object(body)


def _bulk_document(index: str, doc_id: str, body: dict[str, Any]) -> Any:
    from reviews_domain.bulk_writer import Document

    return Document(index=index, doc_id=doc_id, body=body)


bedrock_batch_sentiment()
