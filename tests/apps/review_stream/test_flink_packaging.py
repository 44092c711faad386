"""What the Flink job needs from outside PyFlink: its application properties, its bulk writer,
and the packaging script's refusal to build without the connector jar."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from review_stream.flink_settings import JobSettingsError, load_job_settings
from reviews_domain.bulk_writer import BulkBatcher, BulkWriter, Document

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


class Blocking:
    """A bulk writer whose first request waits for ``release``; it records each request's size."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.started = threading.Event()
        self.release = threading.Event()

    def write(self, documents: list[Document]) -> list[str | None]:
        self.sizes.append(len(documents))
        self.started.set()
        assert self.release.wait(10)
        return [None] * len(documents)


def test_the_batcher_sends_no_more_requests_than_writers_and_gathers_the_rest() -> None:
    writer = Blocking()

    async def scenario() -> list[str | None]:
        loop = asyncio.get_running_loop()
        batcher = BulkBatcher(writer, pool, batch_size=4, linger_s=0, max_writes=1)  # type: ignore[arg-type]
        docs = [Document("processed_reviews", str(n), {"reviewId": n}) for n in range(7)]
        first = asyncio.create_task(batcher.put(docs[0]))
        assert await loop.run_in_executor(None, writer.started.wait, 10)
        rest = [asyncio.create_task(batcher.put(doc)) for doc in docs[1:]]
        await asyncio.sleep(0)
        # The one writer is busy: the six others wait, gathering, instead of six more requests.
        assert writer.sizes == [1]
        writer.release.set()
        return await asyncio.gather(first, *rest)

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert asyncio.run(scenario()) == [None] * 7
    assert writer.sizes == [1, 4, 2]


def test_the_longest_write_is_every_attempt_and_every_backoff() -> None:
    # Six attempts of 20 s, and the backoffs between them: 0.2 + 0.4 + 0.8 + 1.6 + 3.2 s.
    assert BulkWriter.longest_write_s(20) == pytest.approx(6 * 20 + 6.2)


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


POM = ROOT / "apps" / "review_stream" / "flink" / "pom.xml"
MAVEN = {"m": "http://maven.apache.org/POM/4.0.0"}


def pom_dependencies() -> dict[tuple[str, str], tuple[str, str]]:
    """(groupId, artifactId) -> (version with properties resolved, scope) of pom.xml."""
    root = ET.parse(POM).getroot()
    properties = {
        element.tag.split("}")[1]: element.text or ""
        for element in root.findall("m:properties/*", MAVEN)
    }
    found = {}
    for dependency in root.findall("m:dependencies/m:dependency", MAVEN):
        version = re.sub(
            r"\$\{([^}]+)\}",
            lambda m: properties[m.group(1)],
            dependency.findtext("m:version", "", MAVEN),
        )
        key = (
            dependency.findtext("m:groupId", "", MAVEN),
            dependency.findtext("m:artifactId", "", MAVEN),
        )
        found[key] = (version, dependency.findtext("m:scope", "compile", MAVEN))
    return found


def test_the_connector_is_the_one_managed_flink_names_for_the_runtime_and_flink_is_provided() -> (
    None
):
    dependencies = pom_dependencies()
    # The Managed Flink guide's connector for Flink 2.2 (and 2.3); bundled in the jar.
    assert dependencies[("org.apache.flink", "flink-connector-aws-kinesis-streams")] == (
        "6.0.1-2.0",
        "compile",
    )
    flink_own = {
        artifact: version_scope
        for (group, artifact), version_scope in dependencies.items()
        if group == "org.apache.flink" and not artifact.startswith("flink-connector-aws")
    }
    # What the connector would otherwise bring into the jar at compile scope, or its base.
    assert set(flink_own) >= {
        "flink-core",
        "flink-streaming-java",
        "flink-connector-base",
        "flink-table-common",
    }
    assert {scope for _, scope in flink_own.values()} == {"provided"}
    # Compiled against the Flink the application runs: the stack's runtime, PyFlink's version.
    flink_tf = (ROOT / "infra" / "streaming" / "flink.tf").read_text()
    runtime = ".".join(re.findall(r'runtime_environment\s*=\s*"FLINK-(\d+)_(\d+)"', flink_tf)[0])
    pyflink = re.findall(
        r"^apache-flink==(\d+\.\d+)\.", (ROOT / "requirements" / "flink.txt").read_text(), re.M
    )
    assert pyflink == [runtime]
    assert {version.rsplit(".", 1)[0] for version, _ in flink_own.values()} == {runtime}
