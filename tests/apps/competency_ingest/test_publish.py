"""Publishing the corpus to S3 (moto): only what changed is uploaded, sidecars included."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from competency_domain.corpus import read_corpus, write_corpus
from competency_domain.publish import HASH_KEY, publish
from competency_ingest.local_index import SAMPLE_CORPUS
from moto import mock_aws

BUCKET, PREFIX = "genai-dev-kb-documents-123456789012", "documents/"


@pytest.fixture
def s3() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def keys(s3: Any) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_first_publish_uploads_every_document_with_its_sidecar(s3: Any) -> None:
    corpus = read_corpus(SAMPLE_CORPUS)
    report = publish(s3, BUCKET, PREFIX, corpus)
    assert len(report.uploaded) == len(corpus) > 1 and report.unchanged == []
    assert len(keys(s3)) == 2 * len(corpus)
    sidecar = json.loads(
        s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}security--program.txt.metadata.json")[
            "Body"
        ].read()
    )
    assert sidecar["metadataAttributes"]["program"] == "security"
    assert sidecar["metadataAttributes"]["source_url"].startswith("https://apn-checklists.")
    head = s3.head_object(Bucket=BUCKET, Key=f"{PREFIX}security--program.txt")
    assert len(head["Metadata"][HASH_KEY]) == 64


def test_republishing_uploads_only_changed_documents(s3: Any) -> None:
    corpus = read_corpus(SAMPLE_CORPUS)
    publish(s3, BUCKET, PREFIX, corpus)
    # A new fetch time alone is no change; an edited text is.
    refetched = [
        dataclasses.replace(d, metadata={**d.metadata, "fetched_at": "later"}) for d in corpus
    ]
    refetched[3] = dataclasses.replace(
        refetched[3], text=refetched[3].text + "\nA new requirement."
    )
    report = publish(s3, BUCKET, PREFIX, refetched)
    assert report.uploaded == [f"{PREFIX}{corpus[3].file_name}"]
    assert len(report.unchanged) == len(corpus) - 1 and report.changed
    body = s3.get_object(Bucket=BUCKET, Key=report.uploaded[0])["Body"].read().decode()
    assert body.endswith("A new requirement.")
    assert not publish(s3, BUCKET, PREFIX, refetched).changed


def test_a_document_whose_upload_broke_is_uploaded_again(s3: Any) -> None:
    corpus = read_corpus(SAMPLE_CORPUS)[:2]
    publish(s3, BUCKET, PREFIX, corpus)
    # As if the run died after the sidecar: the text still carries no (or an old) hash.
    s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}{corpus[0].file_name}", Body=b"partial")
    assert publish(s3, BUCKET, PREFIX, corpus).uploaded == [f"{PREFIX}{corpus[0].file_name}"]


def test_corpus_round_trips_through_files(tmp_path: Any) -> None:
    corpus = read_corpus(SAMPLE_CORPUS)
    write_corpus(corpus, tmp_path)
    assert read_corpus(tmp_path) == corpus


def test_a_document_without_sidecar_is_refused(tmp_path: Any) -> None:
    (tmp_path / "orphan.txt").write_text("text")
    with pytest.raises(ValueError, match=r"orphan\.txt\.metadata\.json"):
        read_corpus(tmp_path)
