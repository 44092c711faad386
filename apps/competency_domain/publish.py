"""Uploading the corpus to the knowledge base's bucket, only the documents that changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from competency_domain.corpus import SIDECAR_SUFFIX, CorpusDocument

HASH_KEY = "content-sha256"
# When a page was fetched is not a change of content: it is left out of the hash.
_VOLATILE = frozenset({"fetched_at"})


def content_hash(document: CorpusDocument) -> str:
    stable = {k: v for k, v in document.metadata.items() if k not in _VOLATILE}
    payload = json.dumps({"text": document.text, "metadata": stable}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class PublishReport:
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.uploaded)


def _stored_hash(s3: Any, bucket: str, key: str) -> str | None:
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return head.get("Metadata", {}).get(HASH_KEY)


def publish(s3: Any, bucket: str, prefix: str, documents: list[CorpusDocument]) -> PublishReport:
    """Upload each changed document and its sidecar under ``prefix``.

    The sidecar goes first and the text, which carries the hash, last: if an upload fails in
    between, the stored hash is stale and the next run uploads the document again.
    """
    report = PublishReport()
    for document in documents:
        key = f"{prefix}{document.file_name}"
        digest = content_hash(document)
        if _stored_hash(s3, bucket, key) == digest:
            report.unchanged.append(key)
            continue
        s3.put_object(
            Bucket=bucket,
            Key=key + SIDECAR_SUFFIX,
            Body=document.sidecar().encode(),
            ContentType="application/json",
        )
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=document.text.encode(),
            ContentType="text/plain; charset=utf-8",
            Metadata={HASH_KEY: digest},
        )
        report.uploaded.append(key)
    return report
