"""Judging a finished knowledge-base ingestion job, and naming the documents that failed.

Bedrock reports a job ``COMPLETE`` even when some documents failed: the statistics count them
and ``failureReasons`` says why, naming the S3 objects. A run passes only when the job completed
and no document failed.
"""

from __future__ import annotations

import re
from typing import Any

from competency_domain.sync import SyncResult

# An S3 URI inside a failure reason ("... [Files: s3://bucket/a.txt, s3://bucket/b.txt]").
_S3_URI = re.compile(r"s3://[^\s,;\]\[)(\"']+")


class IngestionFailed(RuntimeError):
    """The job did not complete, or some documents failed; the message names them."""


def failed_documents(failure_reasons: list[str] | tuple[str, ...]) -> list[str]:
    """The S3 objects named in the failure reasons, each once, in the order given."""
    seen: dict[str, None] = {}
    for reason in failure_reasons:
        for uri in _S3_URI.findall(reason):
            seen.setdefault(uri.rstrip("."), None)
    return list(seen)


def check_job(job: dict[str, Any]) -> str:
    """The job's summary if it completed with no failed document, else :class:`IngestionFailed`.

    ``job`` is GetIngestionJob's ``ingestionJob``.
    """
    result = SyncResult(
        job_id=str(job.get("ingestionJobId", "?")),
        status=str(job.get("status", "?")),
        statistics=dict(job.get("statistics") or {}),
        failure_reasons=tuple(str(r) for r in job.get("failureReasons") or ()),
    )
    failed = int(result.statistics.get("numberOfDocumentsFailed", 0))
    if result.status == "COMPLETE" and not failed:
        return result.summary()
    documents = failed_documents(result.failure_reasons)
    named = ", ".join(documents) if documents else "not named by Bedrock"
    reasons = "; ".join(result.failure_reasons) or "no failure reasons given"
    raise IngestionFailed(
        f"{result.summary()}. Failed documents ({failed}): {named}. Reasons: {reasons}"
    )
