"""The ingestion job, against bedrock-agent replies checked by botocore's Stubber."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from competency_domain.sync import SyncFailed, sync

KB, DS, JOB = "KBID123456", "DSID123456", "JOBID12345"
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def job(status: str, **statistics: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "knowledgeBaseId": KB,
        "dataSourceId": DS,
        "ingestionJobId": JOB,
        "status": status,
        "startedAt": NOW,
        "updatedAt": NOW,
    }
    if statistics:
        body["statistics"] = statistics
    return {"ingestionJob": body}


@pytest.fixture
def agent() -> Any:
    return boto3.client("bedrock-agent", region_name="us-east-1")


def run(agent: Any, *replies: dict[str, Any], **kwargs: Any) -> tuple[Any, list[str]]:
    lines: list[str] = []
    with Stubber(agent) as stub:
        stub.add_response(
            "start_ingestion_job",
            replies[0],
            {"knowledgeBaseId": KB, "dataSourceId": DS, "description": "scripts/kb-sync"},
        )
        for reply in replies[1:]:
            stub.add_response(
                "get_ingestion_job",
                reply,
                {"knowledgeBaseId": KB, "dataSourceId": DS, "ingestionJobId": JOB},
            )
        result = sync(agent, KB, DS, progress=lines.append, sleep=lambda s: None, **kwargs)
        stub.assert_no_pending_responses()
    return result, lines


def test_waits_for_the_job_and_reports_its_statistics(agent: Any) -> None:
    result, lines = run(
        agent,
        job("STARTING"),
        job("IN_PROGRESS", numberOfDocumentsScanned=8),
        job("IN_PROGRESS", numberOfDocumentsScanned=16, numberOfNewDocumentsIndexed=10),
        job(
            "COMPLETE",
            numberOfDocumentsScanned=16,
            numberOfNewDocumentsIndexed=16,
            numberOfDocumentsFailed=0,
        ),
    )
    assert result.status == "COMPLETE"
    assert result.summary() == (
        f"ingestion job {JOB}: COMPLETE; scanned 16, indexed 16 new and 0 modified, "
        "deleted 0, failed 0"
    )
    assert lines[0] == f"started ingestion job {JOB} for knowledge base {KB}"
    assert lines[1:] == [
        "  IN_PROGRESS: scanned 8, indexed 0, failed 0",
        "  IN_PROGRESS: scanned 16, indexed 10, failed 0",
        "  COMPLETE: scanned 16, indexed 16, failed 0",
    ]


def test_failed_documents_fail_the_sync(agent: Any) -> None:
    with pytest.raises(SyncFailed, match="failed 2"):
        run(
            agent,
            job("STARTING"),
            job(
                "COMPLETE",
                numberOfDocumentsScanned=16,
                numberOfNewDocumentsIndexed=14,
                numberOfDocumentsFailed=2,
            ),
        )


def test_a_failed_job_reports_its_reasons(agent: Any) -> None:
    failed = job("FAILED")
    failed["ingestionJob"]["failureReasons"] = ["The knowledge base role cannot read the bucket"]
    with pytest.raises(SyncFailed, match="cannot read the bucket"):
        run(agent, job("STARTING"), failed)


def test_a_job_that_never_ends_times_out(agent: Any) -> None:
    with pytest.raises(SyncFailed, match="still IN_PROGRESS"):
        run(
            agent,
            job("STARTING"),
            job("IN_PROGRESS"),
            job("IN_PROGRESS"),
            poll_seconds=5,
            timeout_seconds=10,
        )
