"""bedrock_kb_refresh: the competency pages (served from the sample corpus) are scraped and the
changed ones uploaded, then ingested; nothing changed means no job; a failed ingestion fails the
run naming the documents."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from competency_domain import scrape
from competency_domain.corpus import read_corpus
from competency_domain.programs import PROGRAMS

from tests.airflow.conftest import ROOT, BedrockStubs, assert_regions

SAMPLE_CORPUS = ROOT / "apps" / "competency_ingest" / "sample_corpus"

KB, DS, JOB = "KB12345678", "DS12345678", "JOB1234567"


def page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
    return f"<html><head><title>{title}</title></head><body><nav>menu</nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"


@pytest.fixture
def pages(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The eight program pages by URL (the sample corpus's program documents); a test may edit
    one or replace it with an exception."""
    texts = {d.document_id: d.text for d in read_corpus(SAMPLE_CORPUS)}
    served: dict[str, Any] = {
        p.url: page(f"AWS {p.name} Competency", texts[f"{p.slug}--program"]) for p in PROGRAMS
    }

    def fetch(http: Any, url: str, deadline: float = 0) -> str:
        answer = served[url]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(scrape, "fetch", fetch)
    return served


def ingestion_job(status: str, failed: int = 0, reasons: tuple[str, ...] = ()) -> dict[str, Any]:
    now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    job: dict[str, Any] = {
        "knowledgeBaseId": KB,
        "dataSourceId": DS,
        "ingestionJobId": JOB,
        "status": status,
        "startedAt": now,
        "updatedAt": now,
        "statistics": {
            "numberOfDocumentsScanned": 8,
            "numberOfNewDocumentsIndexed": 8 - failed,
            "numberOfModifiedDocumentsIndexed": 0,
            "numberOfDocumentsFailed": failed,
        },
    }
    if reasons:
        job["failureReasons"] = list(reasons)
    return {"ingestionJob": job}


def expect_ingestion(bedrock: BedrockStubs, *finals: dict[str, Any]) -> None:
    """start, then the trigger's polls (in progress, then the final state), the sensor's poke
    on resuming and check_ingestion's read (the final state)."""
    ids = {"knowledgeBaseId": KB, "dataSourceId": DS}
    bedrock.add("bedrock-agent", "start_ingestion_job", ingestion_job("STARTING"), ids)
    poll = {**ids, "ingestionJobId": JOB}
    bedrock.add("bedrock-agent", "get_ingestion_job", ingestion_job("IN_PROGRESS"), poll)
    for final in finals:
        bedrock.add("bedrock-agent", "get_ingestion_job", final, poll)


def stored(s3: Any, bucket: str) -> dict[str, str]:
    objects = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read().decode()
        for o in objects
    }


def test_changed_pages_are_uploaded_and_ingested(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, pages: Any, deferred: list[str]
) -> None:
    complete = ingestion_job("COMPLETE")
    expect_ingestion(bedrock, complete, complete, complete)

    state, tasks = run_dag("bedrock_kb_refresh")

    assert state == "success", tasks
    bedrock.assert_done()
    assert deferred == ["BedrockIngestionJobTrigger"]
    documents = stored(aws, "genai-dev-kb-documents")
    assert len(documents) == 2 * len(PROGRAMS)
    assert "Conversational AI" in documents["competency/conversational-ai.txt"]
    assert_regions(bedrock, deferred)


def test_nothing_changed_starts_no_ingestion(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, pages: Any
) -> None:
    complete = ingestion_job("COMPLETE")
    expect_ingestion(bedrock, complete, complete, complete)
    assert run_dag("bedrock_kb_refresh")[0] == "success"

    state, tasks = run_dag("bedrock_kb_refresh")

    assert state == "success"
    assert tasks["anything_changed"] == "success"
    for skipped in ("start_ingestion", "wait_for_ingestion", "check_ingestion"):
        assert tasks[skipped] == "skipped"
    bedrock.assert_done()  # the second run made no Bedrock call


def test_one_changed_page_is_the_only_upload(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, pages: dict[str, str]
) -> None:
    complete = ingestion_job("COMPLETE")
    for _ in range(2):
        expect_ingestion(bedrock, complete, complete, complete)
    assert run_dag("bedrock_kb_refresh")[0] == "success"
    security = next(p.url for p in PROGRAMS if p.slug == "security")
    pages[security] = pages[security].replace("</article>", "<p>A new requirement.</p></article>")
    before = aws.head_object(Bucket="genai-dev-kb-documents", Key="competency/devops.txt")

    assert run_dag("bedrock_kb_refresh")[0] == "success"

    documents = stored(aws, "genai-dev-kb-documents")
    assert "A new requirement." in documents["competency/security.txt"]
    after = aws.head_object(Bucket="genai-dev-kb-documents", Key="competency/devops.txt")
    assert after["LastModified"] == before["LastModified"]
    bedrock.assert_done()


def test_failed_documents_fail_the_run_and_are_named(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, pages: Any, failures: dict[str, Exception]
) -> None:
    reasons = (
        "Encountered error: Ignored 2 files as their content could not be parsed. "
        "[Files: s3://genai-dev-kb-documents/competency/energy.txt, "
        "s3://genai-dev-kb-documents/competency/security.txt]",
    )
    partial = ingestion_job("COMPLETE", failed=2, reasons=reasons)
    expect_ingestion(bedrock, partial, partial, partial)

    state, tasks = run_dag("bedrock_kb_refresh")

    assert state == "failed"
    assert tasks["wait_for_ingestion"] == "success"
    assert tasks["check_ingestion"] == "failed"
    message = str(failures["check_ingestion"])
    assert "Failed documents (2): s3://genai-dev-kb-documents/competency/energy.txt, " in message
    assert "s3://genai-dev-kb-documents/competency/security.txt" in message
    assert "failed 2" in message


def test_a_failed_ingestion_job_fails_the_wait(
    run_dag: Any, aws: Any, bedrock: BedrockStubs, pages: Any
) -> None:
    expect_ingestion(bedrock, ingestion_job("FAILED", failed=8, reasons=("Access denied",)))

    state, tasks = run_dag("bedrock_kb_refresh")

    assert state == "failed"
    assert tasks["wait_for_ingestion"] == "failed"
    assert tasks["check_ingestion"] == "upstream_failed"
    bedrock.assert_done()


def test_a_page_that_cannot_be_fetched_fails_the_run_after_the_rest_is_ingested(
    run_dag: Any,
    aws: Any,
    bedrock: BedrockStubs,
    pages: dict[str, Any],
    failures: dict[str, Exception],
) -> None:
    broken = PROGRAMS[0].url
    pages[broken] = scrape.PageError(f"{broken}: 503 Server Error")
    complete = ingestion_job("COMPLETE")
    expect_ingestion(bedrock, complete, complete, complete)

    state, tasks = run_dag("bedrock_kb_refresh")

    assert state == "failed"
    assert tasks["check_ingestion"] == "success"
    assert tasks["check_pages"] == "failed"
    assert broken in str(failures["check_pages"])
    assert len(stored(aws, "genai-dev-kb-documents")) == 2 * (len(PROGRAMS) - 1)


@pytest.mark.parametrize(
    ("status", "failed", "reasons", "expected"),
    [
        # The sensor lets a stopped job through (it is not an intermediate state): the check does not.
        ("STOPPED", 0, (), "STOPPED"),
        (
            "COMPLETE",
            1,
            ("Could not parse it",),
            "not named by Bedrock. Reasons: Could not parse it",
        ),
        (
            "COMPLETE",
            1,
            ("Too large: s3://b/competency/a.txt.", "Also [Files: s3://b/competency/a.txt]"),
            "Failed documents (1): s3://b/competency/a.txt. Reasons",
        ),
    ],
)
def test_the_check_names_what_it_can(
    status: str, failed: int, reasons: tuple[str, ...], expected: str
) -> None:
    from bedrock_ops.ingestion import IngestionFailed, check_job

    with pytest.raises(IngestionFailed, match=re.escape(expected)):
        check_job(ingestion_job(status, failed, reasons)["ingestionJob"])
