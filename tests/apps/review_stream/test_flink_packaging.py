"""What the Flink job needs from outside PyFlink: its application properties, its bulk writer,
and the packaging script's refusal to build without the connector jar."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from review_stream.bulk_writer import BulkWriter, Document
from review_stream.flink_settings import JobSettingsError, load_job_settings

ROOT = Path(__file__).resolve().parents[3]
PROPERTIES = {
    "STREAM_ARN": "arn:aws:kinesis:us-east-1:123456789012:stream/reviews",
    "AWS_REGION": "us-east-1",
    "MODEL_ID": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "OPENSEARCH_ENDPOINT": "https://abc123.us-east-1.aoss.amazonaws.com",
    "CAPACITY": "200",
}


def properties_file(tmp_path: Path, group: dict[str, str], name: str = "ReviewStream") -> Path:
    path = tmp_path / "application_properties.json"
    path.write_text(json.dumps([{"PropertyGroupId": name, "PropertyMap": group}]))
    return path


def test_the_service_properties_are_read_with_defaults(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("REVIEW_STREAM_PROPERTIES", str(properties_file(tmp_path, PROPERTIES)))
    settings = load_job_settings()
    assert settings.capacity == 200
    assert (settings.timeout_seconds, settings.max_attempts) == (25.0, 6)
    assert settings.initial_position == "TRIM_HORIZON"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"STREAM_ARN": "reviews"}, "ReviewStream.STREAM_ARN"),
        ({"CAPACITY": "0"}, "ReviewStream.CAPACITY"),
        ({"TIMEOUT_SECONDS": "inf"}, "ReviewStream.TIMEOUT_SECONDS"),
        ({"CAPACTIY": "5"}, "ReviewStream.CAPACTIY"),
        ({"MODEL_ID": None}, "ReviewStream.MODEL_ID"),
    ],
)
def test_wrong_properties_are_named(tmp_path: Path, change: dict[str, Any], problem: str) -> None:
    group = {k: v for k, v in {**PROPERTIES, **change}.items() if v is not None}
    with pytest.raises(JobSettingsError, match=problem):
        load_job_settings(properties_file(tmp_path, group))


def test_a_missing_group_or_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(JobSettingsError, match="no property group ReviewStream"):
        load_job_settings(properties_file(tmp_path, PROPERTIES, name="Other"))
    with pytest.raises(JobSettingsError, match="cannot read"):
        load_job_settings(tmp_path / "absent.json")


class Bulk:
    """client.bulk answering with scripted item statuses, one list per call."""

    def __init__(self, *statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.bodies: list[list[dict[str, Any]]] = []

    def bulk(self, body: list[dict[str, Any]]) -> dict[str, Any]:
        self.bodies.append(body)
        items = [
            {
                "index": {
                    "status": s,
                    **({"error": {"reason": "mapper_parsing_exception"}} if s >= 300 else {}),
                }
            }
            for s in self.statuses.pop(0)
        ]
        return {
            "errors": any(s >= 300 for s in (i["index"]["status"] for i in items)),
            "items": items,
        }


def test_pushed_back_documents_are_retried_and_refusals_reported() -> None:
    client = Bulk([201, 429, 400], [200])
    sleeps: list[float] = []
    docs = [Document("processed_reviews", str(n), {"reviewId": n}) for n in range(3)]
    assert BulkWriter(client, sleep=sleeps.append).write(docs) == [
        None,
        None,
        "OpenSearch refused it (400): mapper_parsing_exception",
    ]
    assert client.bodies[0][0] == {"index": {"_index": "processed_reviews", "_id": "0"}}
    assert client.bodies[1] == [
        {"index": {"_index": "processed_reviews", "_id": "1"}},
        {"reviewId": 1},
    ]
    assert sleeps == [0.2]


def test_the_package_is_not_built_without_the_connector_jar(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "package-flink-app"),
            "--jar",
            str(tmp_path / "x.jar"),
            "--output",
            str(tmp_path / "app.zip"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert (
        "connector jar" in result.stderr
        and "mvn -f apps/review_stream/flink/pom.xml package" in result.stderr
    )
    assert not (tmp_path / "app.zip").exists()
