"""Starting a knowledge-base ingestion job and following it to the end.

Terraform creates the knowledge base but cannot ingest; ``scripts/kb-sync`` and the ingest
command call :func:`sync` after documents change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_DONE = {"COMPLETE", "FAILED", "STOPPED"}


class SyncFailed(RuntimeError):
    """The ingestion job failed, was stopped, timed out, or failed some documents."""


@dataclass(frozen=True)
class SyncResult:
    job_id: str
    status: str
    statistics: dict[str, int]
    failure_reasons: tuple[str, ...] = ()

    def summary(self) -> str:
        s = self.statistics
        return (
            f"ingestion job {self.job_id}: {self.status}; "
            f"scanned {s.get('numberOfDocumentsScanned', 0)}, "
            f"indexed {s.get('numberOfNewDocumentsIndexed', 0)} new and "
            f"{s.get('numberOfModifiedDocumentsIndexed', 0)} modified, "
            f"deleted {s.get('numberOfDocumentsDeleted', 0)}, "
            f"failed {s.get('numberOfDocumentsFailed', 0)}"
        )


def sync(
    client: Any,
    knowledge_base_id: str,
    data_source_id: str,
    *,
    description: str = "scripts/kb-sync",
    poll_seconds: float = 5.0,
    timeout_seconds: float = 3600.0,
    progress: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncResult:
    """Start an ingestion job and wait for it; :class:`SyncFailed` unless every document made it."""
    job = client.start_ingestion_job(
        knowledgeBaseId=knowledge_base_id, dataSourceId=data_source_id, description=description
    )["ingestionJob"]
    job_id = job["ingestionJobId"]
    progress(f"started ingestion job {job_id} for knowledge base {knowledge_base_id}")
    waited = 0.0
    last = ""
    while job["status"] not in _DONE:
        if waited >= timeout_seconds:
            raise SyncFailed(f"ingestion job {job_id} still {job['status']} after {waited:.0f}s")
        sleep(poll_seconds)
        waited += poll_seconds
        job = client.get_ingestion_job(
            knowledgeBaseId=knowledge_base_id, dataSourceId=data_source_id, ingestionJobId=job_id
        )["ingestionJob"]
        line = _progress_line(job)
        if line != last:
            progress(line)
            last = line
    result = SyncResult(
        job_id=job_id,
        status=job["status"],
        statistics=dict(job.get("statistics", {})),
        failure_reasons=tuple(job.get("failureReasons", ())),
    )
    if result.status != "COMPLETE" or result.statistics.get("numberOfDocumentsFailed", 0):
        reasons = (
            "; ".join(result.failure_reasons) or "see the job's failure reasons in the console"
        )
        raise SyncFailed(f"{result.summary()} ({reasons})")
    return result


def _progress_line(job: dict[str, Any]) -> str:
    s = job.get("statistics", {})
    done = s.get("numberOfNewDocumentsIndexed", 0) + s.get("numberOfModifiedDocumentsIndexed", 0)
    return (
        f"  {job['status']}: scanned {s.get('numberOfDocumentsScanned', 0)}, "
        f"indexed {done}, failed {s.get('numberOfDocumentsFailed', 0)}"
    )
