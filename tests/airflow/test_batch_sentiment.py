"""bedrock_batch_sentiment: a day of the sample review stream, archived as the streaming stack
archives it, through a batch job whose "model" answers from the records Bedrock would read, and
into the batch index of a localhost OpenSearch."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from bedrock_ops.batch import (
    MIN_RECORDS,
    SYSTEM_PROMPT,
    BatchOutcome,
    DayOfReviews,
    Unparseable,
    analysis_from_output,
    analysis_from_text,
    decode_object,
    iter_json_values,
    record_id,
    review_id_of,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from review_stream.analysis import first_sentence

from tests.airflow.conftest import REGION, ROOT, BedrockStubs, assert_regions, set_variable
from tests.fakes.json_server import serve_json
from tests.fakes.opensearch_bulk import BulkStore

DAY = datetime(2026, 3, 2, tzinfo=UTC)  # 133 reviews in the sample stream
QUIET_DAY = datetime(2026, 3, 4, tzinfo=UTC)  # 76
JOB_ID = "a1b2c3d4e5f6"
JOB_ARN = f"arn:aws:bedrock:{REGION}:123456789012:model-invocation-job/{JOB_ID}"
ARCHIVE, OPERATIONS = "genai-dev-review-archive", "genai-dev-operations"
SAMPLE = [
    json.loads(line)
    for line in (ROOT / "datasets" / "reviews" / "reviews.jsonl").read_text().splitlines()
]


def reviews_of(day: datetime) -> list[dict[str, Any]]:
    return [r for r in SAMPLE if r["dateTime"].startswith(day.date().isoformat())]


def archive(s3: Any, day: datetime) -> list[dict[str, Any]]:
    """The day's reviews as the archive holds them: a gzip object of records back to back with
    no newline, a JSONL object, a record replayed and one that is not a review."""
    reviews = reviews_of(day)
    half = len(reviews) // 2
    prefix = f"reviews/date={day.date().isoformat()}/"
    first = "".join(json.dumps(r) for r in reviews[:half]).encode()
    s3.put_object(Bucket=ARCHIVE, Key=prefix + "part-0001.gz", Body=gzip.compress(first))
    rest = [json.dumps(r) for r in [*reviews[half:], reviews[0]]] + ['{"reviewId": "x"}', "oops"]
    s3.put_object(Bucket=ARCHIVE, Key=prefix + "part-0002.jsonl", Body="\n".join(rest).encode())
    return reviews


class FakeBatchJob:
    """Bedrock's side of a batch job: when the job is created, reads its input records from S3
    and writes the output files, each record answered by ``reply`` (None: left out)."""

    def __init__(self, bedrock: BedrockStubs, s3: Any) -> None:
        self.s3 = s3
        self.created: list[dict[str, Any]] = []
        self.inputs: list[dict[str, Any]] = []
        self.reply: Callable[[dict[str, Any]], dict[str, Any] | None] = self.answer
        bedrock.clients["bedrock"].meta.events.register(
            "before-parameter-build.bedrock.CreateModelInvocationJob", self._run
        )

    @staticmethod
    def answer(record: dict[str, Any]) -> dict[str, Any]:
        text = record["modelInput"]["messages"][0]["content"][0]["text"]
        review = text.removeprefix("<review>\n").removesuffix("\n</review>")
        label = next(r["label"] for r in SAMPLE if r["text"] == review)
        analysis = {"summary": first_sentence(review), "sentiment": label}
        return {
            "modelOutput": {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "content": [{"type": "text", "text": json.dumps(analysis)}],
                "stop_reason": "end_turn",
            }
        }

    def _run(self, params: dict[str, Any], **kwargs: Any) -> None:
        self.created.append(params)
        uri = params["inputDataConfig"]["s3InputDataConfig"]["s3Uri"]
        bucket, key = uri[5:].split("/", 1)
        body = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
        self.inputs = [json.loads(line) for line in body.splitlines()]
        lines = []
        for record in self.inputs:
            reply = self.reply(record)
            if reply is not None:
                lines.append(json.dumps({**record, **reply}))
        out_bucket, out_prefix = params["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"][
            5:
        ].split("/", 1)
        name = key.rsplit("/", 1)[1]
        self.s3.put_object(
            Bucket=out_bucket,
            Key=f"{out_prefix}{JOB_ID}/{name}.out",
            Body="\n".join(lines).encode(),
        )
        self.s3.put_object(
            Bucket=out_bucket, Key=f"{out_prefix}{JOB_ID}/manifest.json.out", Body=b"{}"
        )


@pytest.fixture
def opensearch(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> Iterator[BulkStore]:
    store = BulkStore()
    with serve_json(store.answer) as url:
        set_variable(monkeypatch, variables, "collection_endpoint", url)
        yield store


@pytest.fixture
def batch(bedrock: BedrockStubs, aws: Any) -> FakeBatchJob:
    return FakeBatchJob(bedrock, aws)


def job_status(status: str, message: str | None = None) -> dict[str, Any]:
    job = {
        "jobArn": JOB_ARN,
        "jobName": "review-sentiment",
        "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
        "roleArn": "arn:aws:iam::123456789012:role/genai-dev-bedrock-batch",
        "status": status,
        "submitTime": datetime(2026, 3, 3, 0, 30, tzinfo=UTC),
        "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://b/in.jsonl"}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://b/out/"}},
    }
    if message:
        job["message"] = message
    return job


def expect_created_job(bedrock: BedrockStubs, *statuses: str) -> None:
    """As expect_job, checking the request's shape but not the run-dependent job name."""
    bedrock.add("bedrock", "create_model_invocation_job", {"jobArn": JOB_ARN})
    for status in statuses:
        bedrock.add(
            "bedrock", "get_model_invocation_job", job_status(status), {"jobIdentifier": JOB_ARN}
        )


def test_a_day_of_reviews_is_analysed_and_loaded(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    batch: FakeBatchJob,
    opensearch: BulkStore,
    variables: dict[str, str],
    deferred: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reviews = archive(aws, DAY)
    expect_created_job(bedrock, "Submitted", "InProgress", "Completed", "Completed")

    state, tasks = run_dag("bedrock_batch_sentiment", logical_date=DAY)

    assert state == "success", tasks
    bedrock.assert_done()
    assert deferred == ["BatchInferenceFinishedTrigger"]
    assert_regions(bedrock, deferred)
    # One record per review, the replayed one once, in the Anthropic Messages format.
    assert [r["recordId"] for r in batch.inputs] == sorted(
        record_id(r["reviewId"]) for r in reviews
    )
    first = batch.inputs[0]["modelInput"]
    assert first["anthropic_version"] == "bedrock-2023-05-31"
    assert first["system"] == SYSTEM_PROMPT
    assert (
        first["messages"][0]["content"][0]["text"] == f"<review>\n{reviews[0]['text']}\n</review>"
    )
    head = aws.head_object(Bucket=OPERATIONS, Key="batch-input/date=2026-03-02/records.jsonl")
    assert head["SSEKMSKeyId"] == variables["operations_kms_key_arn"]
    # Loaded next to the stream's documents: the reviewId as id, source batch.
    loaded = {
        doc_id: doc
        for (index, doc_id), doc in opensearch.documents.items()
        if index == "batch_reviews"
    }
    assert len(loaded) == len(reviews)
    review = reviews[0]
    assert loaded[str(review["reviewId"])] == {
        "reviewId": review["reviewId"],
        "userId": review["userId"],
        "summary": first_sentence(review["text"]),
        "sentiment": review["label"],
        "dateTime": "2026-03-02T08:02:03+00:00",
        "source": "batch",
    }


def test_the_job_request_names_the_days_input_and_output(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    batch: FakeBatchJob,
    opensearch: BulkStore,
    variables: dict[str, str],
) -> None:
    archive(aws, DAY)
    expect_created_job(bedrock, "Completed", "Completed")

    assert run_dag("bedrock_batch_sentiment", logical_date=DAY)[0] == "success"

    (request,) = batch.created
    assert request["jobName"].startswith("review-sentiment-2026-03-02-20")
    assert request["jobName"].endswith("-1") and len(request["jobName"]) <= 63
    assert request["roleArn"] == variables["batch_role_arn"]
    assert request["modelId"] == variables["batch_model_id"]
    assert request["inputDataConfig"]["s3InputDataConfig"]["s3Uri"] == (
        f"s3://{OPERATIONS}/batch-input/date=2026-03-02/records.jsonl"
    )
    assert request["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"] == (
        f"s3://{OPERATIONS}/batch-output/date=2026-03-02/"
    )
    assert request["timeoutDurationInHours"] == 24


def test_unparseable_replies_are_counted_not_loaded(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, batch: FakeBatchJob, opensearch: BulkStore
) -> None:
    reviews = archive(aws, DAY)
    expect_created_job(bedrock, "Completed", "Completed")
    odd = {record_id(r["reviewId"]) for r in reviews[::10]}
    refused = {record_id(r["reviewId"]) for r in reviews[1::10]}

    def reply(record: dict[str, Any]) -> dict[str, Any]:
        if record["recordId"] in odd:
            return {"modelOutput": {"content": [{"type": "text", "text": "I would rather not."}]}}
        if record["recordId"] in refused:
            return {"error": {"errorCode": 400, "errorMessage": "Malformed input request"}}
        return FakeBatchJob.answer(record)

    batch.reply = reply

    state, tasks = run_dag("bedrock_batch_sentiment", logical_date=DAY)

    assert state == "success", tasks
    assert len(opensearch.documents) == len(reviews) - len(odd) - len(refused)


def test_a_record_missing_from_the_output_fails_the_run_after_loading_the_rest(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    batch: FakeBatchJob,
    opensearch: BulkStore,
    failures: dict[str, Exception],
) -> None:
    reviews = archive(aws, DAY)
    expect_created_job(bedrock, "Completed", "Completed")
    lost = record_id(reviews[5]["reviewId"])
    batch.reply = lambda r: None if r["recordId"] == lost else FakeBatchJob.answer(r)

    state, tasks = run_dag("bedrock_batch_sentiment", logical_date=DAY)

    assert state == "failed"
    assert tasks["load_results"] == "failed"
    assert f"1 record(s) missing from the job's output: {lost}" in str(failures["load_results"])
    assert len(opensearch.documents) == len(reviews) - 1


def test_a_document_opensearch_refuses_fails_the_run(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    batch: FakeBatchJob,
    opensearch: BulkStore,
    failures: dict[str, Exception],
) -> None:
    reviews = archive(aws, DAY)
    expect_created_job(bedrock, "Completed", "Completed")
    opensearch.refuse = {str(reviews[3]["reviewId"])}

    state, _ = run_dag("bedrock_batch_sentiment", logical_date=DAY)

    assert state == "failed"
    assert "OpenSearch refused 1 document(s)" in str(failures["load_results"])


def test_a_partly_completed_job_is_loaded_and_its_failed_records_reported(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    batch: FakeBatchJob,
    opensearch: BulkStore,
    deferred: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    reviews = archive(aws, DAY)
    expect_created_job(bedrock, "InProgress", "PartiallyCompleted", "PartiallyCompleted")
    failed = sorted(record_id(r["reviewId"]) for r in reviews[::7])

    def reply(record: dict[str, Any]) -> dict[str, Any]:
        if record["recordId"] in failed:
            return {"error": {"errorCode": 400, "errorMessage": "Model output failed validation"}}
        return FakeBatchJob.answer(record)

    batch.reply = reply

    state, tasks = run_dag("bedrock_batch_sentiment", logical_date=DAY)

    assert state == "success", tasks
    assert tasks["wait_for_batch_inference"] == "success" and tasks["load_results"] == "success"
    assert deferred == ["BatchInferenceFinishedTrigger"]
    bedrock.assert_done()
    assert len(opensearch.documents) == len(reviews) - len(failed)
    assert not {str(int(r[1:])) for r in failed} & {doc_id for _, doc_id in opensearch.documents}
    assert f"{len(failed)} of {len(reviews)} records failed in the batch job" in caplog.text
    assert ", ".join(failed) in caplog.text


@pytest.mark.parametrize("final", ["Failed", "Stopped", "Expired"])
def test_a_batch_job_that_fails_fails_the_run(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    batch: FakeBatchJob,
    opensearch: BulkStore,
    final: str,
) -> None:
    archive(aws, DAY)
    expect_created_job(bedrock, "Validating", final)

    state, tasks = run_dag("bedrock_batch_sentiment", logical_date=DAY)

    assert state == "failed"
    assert tasks["wait_for_batch_inference"] == "failed"
    assert tasks["load_results"] == "upstream_failed"
    assert opensearch.documents == {}
    bedrock.assert_done()


def test_a_quiet_day_is_skipped_without_a_job(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, opensearch: BulkStore
) -> None:
    assert len(archive(aws, QUIET_DAY)) < MIN_RECORDS

    state, tasks = run_dag("bedrock_batch_sentiment", logical_date=QUIET_DAY)

    assert state == "success"
    assert tasks["prepare_batch_input"] == "skipped"
    assert tasks["start_batch_inference"] == "skipped"
    assert bedrock.regions == []
    assert "Contents" not in aws.list_objects_v2(Bucket=OPERATIONS)


def test_the_param_day_overrides_the_logical_date(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, batch: FakeBatchJob, opensearch: BulkStore
) -> None:
    reviews = archive(aws, DAY)
    expect_created_job(bedrock, "Completed", "Completed")

    state, _ = run_dag(
        "bedrock_batch_sentiment", logical_date=QUIET_DAY, run_conf={"day": "2026-03-02"}
    )

    assert state == "success"
    assert len(opensearch.documents) == len(reviews)


# The pieces, on their own.


def test_archive_objects_in_every_shape_are_read() -> None:
    reviews = reviews_of(DAY)[:3]
    day = DayOfReviews()
    day.add_text(decode_object(gzip.compress("".join(json.dumps(r) for r in reviews).encode())))
    day.add_text(
        "\n" + json.dumps(reviews[0]) + "\n\n{broken\n" + json.dumps({**reviews[1], "text": " "})
    )
    assert sorted(day.reviews) == sorted(r["reviewId"] for r in reviews)
    assert day.invalid == 2 and day.duplicates == 1


def test_record_ids_are_eleven_alphanumerics_and_round_trip() -> None:
    for review_id in (0, 7, 2**31 - 1):
        record = record_id(review_id)
        assert len(record) == 11 and record.isalnum()
        assert review_id_of(record) == review_id
    assert review_id_of("R123") is None


@pytest.mark.parametrize(
    "text",
    [
        '{"summary": "Good chair.", "sentiment": "positive"}',
        'Here you go:\n```json\n{"summary": "Good chair.", "sentiment": "positive"}\n```',
        '{"note": 1} then {"summary": "Good chair.", "sentiment": "positive"}',
    ],
)
def test_a_reply_holding_an_analysis_is_read(text: str) -> None:
    analysis = analysis_from_text(text)
    assert (analysis.summary, analysis.sentiment) == ("Good chair.", "positive")


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        ({"content": [{"type": "text", "text": "no idea"}]}, "no JSON object"),
        (
            {"content": [{"type": "text", "text": '{"summary": "x", "sentiment": "meh"}'}]},
            "sentiment",
        ),
        ({"content": [], "stop_reason": "max_tokens"}, "token limit"),
        ({"content": "text"}, "no content"),
        ("plain", "not a JSON object"),
    ],
)
def test_a_reply_without_an_analysis_says_why(output: Any, problem: str) -> None:
    with pytest.raises(Unparseable, match=problem):
        analysis_from_output(output)


@settings(max_examples=300, deadline=None)
@given(
    st.text() | st.from_regex(r'\{"summary": ".{0,20}", "sentiment": "(positive|negative|x)"\}.*')
)
def test_any_reply_is_an_analysis_or_unparseable(text: str) -> None:
    try:
        analysis = analysis_from_text(text)
    except Unparseable:
        return
    assert analysis.sentiment in ("positive", "negative")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_output_file_is_read_without_crashing(text: str) -> None:
    outcome = BatchOutcome()
    outcome.add_text(text, {"R0000000001"})
    assert outcome.missing({"R0000000001"}) in ([], ["R0000000001"])
    assert list(iter_json_values(text)) is not None


def test_the_collection_is_reached_with_requests_signed_for_aoss(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from opensearchpy import AWSV4SignerAuth
    from reviews_domain.bulk_writer import opensearch_client

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = opensearch_client(f"https://abc123.{REGION}.aoss.amazonaws.com", REGION)
    auth = client.transport.kwargs["http_auth"]
    assert isinstance(auth, AWSV4SignerAuth)
    assert (auth.service, auth.signer.region) == ("aoss", REGION)
