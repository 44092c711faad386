"""scripts/qdrant-snapshot against a moto server (S3, SSM) and a stand-in for Qdrant's REST API."""

from __future__ import annotations

import hashlib
import json
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.fakes.serving import serving
from tests.scripts.stand_ins import ROOT

API_KEY = "full-access-key"
BUCKET = "genai-dev-model-assets-123456789012"
COLLECTION = "myretail-products"
SNAPSHOT = b"qdrant snapshot bytes " * 1000


def load_script() -> ModuleType:
    path = ROOT / "scripts" / "qdrant-snapshot"
    loader = SourceFileLoader("qdrant_snapshot", str(path))
    spec = spec_from_loader("qdrant_snapshot", loader)
    assert spec is not None
    module = module_from_spec(spec)
    # dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    loader.exec_module(module)
    return module


script = load_script()


@dataclass
class FakeQdrant:
    """What the stand-in was asked, and what it holds."""

    version: str = "1.19.0"
    snapshots: dict[str, bytes] = field(default_factory=dict)
    recovered: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


def handler_for(state: FakeQdrant) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, result: object, status: int = 200) -> None:
            self._answer(status, json.dumps({"result": result, "status": "ok"}).encode())

        def _authorised(self) -> bool:
            if self.headers.get("api-key") == API_KEY:
                return True
            self._answer(401, b'{"status":{"error":"Invalid api-key"}}')
            return False

        def do_GET(self) -> None:
            if not self._authorised():
                return
            if self.path == "/":
                self._answer(
                    200, json.dumps({"title": "qdrant", "version": state.version}).encode()
                )
                return
            name = self.path.rsplit("/", 1)[-1]
            self._answer(200, state.snapshots[name], "application/octet-stream")

        def do_POST(self) -> None:
            if not self._authorised():
                return
            name = f"{COLLECTION}-1-2026-08-21-10-00-00.snapshot"
            state.snapshots[name] = SNAPSHOT
            self._json({"name": name, "size": len(SNAPSHOT)})

        def do_DELETE(self) -> None:
            if not self._authorised():
                return
            del state.snapshots[self.path.split("?")[0].rsplit("/", 1)[-1]]
            self._json(True)

        def do_PUT(self) -> None:
            if not self._authorised():
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            # Like Qdrant: fetch the location, check the checksum, then load it.
            with urllib.request.urlopen(body["location"]) as response:
                data = response.read()
            if body.get("checksum") and hashlib.sha256(data).hexdigest() != body["checksum"]:
                self._answer(400, b'{"status":{"error":"Snapshot checksum mismatch"}}')
                return
            state.recovered.append({"path": self.path, "priority": body["priority"], "data": data})
            self._json(True)

    return Handler


@pytest.fixture
def qdrant() -> Iterator[FakeQdrant]:
    state = FakeQdrant()
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))) as server:
        state.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield state


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    moto.start()
    host, port = moto.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps its data per process: start every test from an empty account.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("QDRANT_API_KEY", API_KEY)
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    boto3.client("ssm", region_name="us-east-1").put_parameter(
        Name="/genai/dev/platform/model-assets-bucket", Value=BUCKET, Type="String"
    )
    yield s3
    moto.stop()


def put_snapshot(s3: Any, metadata: dict[str, str]) -> str:
    key = f"qdrant-snapshots/{COLLECTION}/old.snapshot"
    s3.put_object(Bucket=BUCKET, Key=key, Body=SNAPSHOT, Metadata=metadata)
    return f"s3://{BUCKET}/{key}"


def test_save_copies_the_snapshot_to_s3_with_its_qdrant_version(
    aws: Any, qdrant: FakeQdrant, capsys: pytest.CaptureFixture[str]
) -> None:
    assert script.main(["save", "dev", "--qdrant-url", qdrant.url]) == 0

    key = f"qdrant-snapshots/{COLLECTION}/{COLLECTION}-1-2026-08-21-10-00-00.snapshot"
    stored = aws.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == SNAPSHOT
    assert stored["Metadata"] == {
        "qdrant-version": "1.19.0",
        "sha256": hashlib.sha256(SNAPSHOT).hexdigest(),
        "collection": COLLECTION,
    }
    assert qdrant.snapshots == {}, "the copy in S3 replaces the one on the snapshot volume"
    assert f"s3://{BUCKET}/{key}" in capsys.readouterr().out


@pytest.mark.parametrize("written_by", ["1.19.0", "1.18.3", "v1.19.1"])
def test_restore_has_qdrant_fetch_a_compatible_snapshot(
    aws: Any, qdrant: FakeQdrant, written_by: str
) -> None:
    qdrant.version = "1.19.1"
    uri = put_snapshot(
        aws, {"qdrant-version": written_by, "sha256": hashlib.sha256(SNAPSHOT).hexdigest()}
    )

    assert script.main(["restore", "dev", uri, "--qdrant-url", qdrant.url]) == 0

    [recovered] = qdrant.recovered
    assert recovered["data"] == SNAPSHOT
    assert recovered["priority"] == "snapshot"
    assert recovered["path"].startswith(f"/collections/{COLLECTION}/snapshots/recover")


@pytest.mark.parametrize(
    ("written_by", "reason"),
    [("1.20.0", "newer than the server's 1.19.0"), ("1.17.6", "restore it on an intermediate")],
)
def test_restore_refuses_a_snapshot_of_an_incompatible_version(
    aws: Any, qdrant: FakeQdrant, capsys: pytest.CaptureFixture[str], written_by: str, reason: str
) -> None:
    uri = put_snapshot(aws, {"qdrant-version": written_by})

    assert script.main(["restore", "dev", uri, "--qdrant-url", qdrant.url]) == script.REFUSED

    assert qdrant.recovered == []
    assert reason in capsys.readouterr().err


def test_restore_refuses_a_snapshot_of_unknown_version_unless_told(
    aws: Any, qdrant: FakeQdrant, capsys: pytest.CaptureFixture[str]
) -> None:
    uri = put_snapshot(aws, {})

    assert script.main(["restore", "dev", uri, "--qdrant-url", qdrant.url]) == script.REFUSED
    assert "--source-version" in capsys.readouterr().err
    assert qdrant.recovered == []

    args = ["restore", "dev", uri, "--qdrant-url", qdrant.url, "--source-version", "1.19.0"]
    assert script.main(args) == 0
    assert len(qdrant.recovered) == 1


def test_a_corrupted_snapshot_is_not_loaded(aws: Any, qdrant: FakeQdrant) -> None:
    uri = put_snapshot(aws, {"qdrant-version": "1.19.0", "sha256": "0" * 64})

    assert script.main(["restore", "dev", uri, "--qdrant-url", qdrant.url]) == 1
    assert qdrant.recovered == []


def test_a_wrong_api_key_is_reported(
    aws: Any,
    qdrant: FakeQdrant,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("QDRANT_API_KEY", "read-only-key")

    assert script.main(["save", "dev", "--qdrant-url", qdrant.url]) == 1
    assert "Qdrant answered 401" in capsys.readouterr().err


def test_an_unreachable_qdrant_names_the_port_forward(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert script.main(["save", "dev", "--qdrant-url", "http://127.0.0.1:9"]) == 1
    assert "port-forward" in capsys.readouterr().err


def test_an_environment_without_the_platform_stack_says_so(
    aws: Any, qdrant: FakeQdrant, capsys: pytest.CaptureFixture[str]
) -> None:
    assert script.main(["save", "staging", "--qdrant-url", qdrant.url]) == 1
    assert "apply the platform stack of staging" in capsys.readouterr().err


def test_a_malformed_snapshot_uri_is_refused(
    aws: Any, qdrant: FakeQdrant, capsys: pytest.CaptureFixture[str]
) -> None:
    assert script.main(["restore", "dev", "https://example.com/x", "--qdrant-url", qdrant.url]) == 1
    assert "not an s3://<bucket>/<key> URI" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("snapshot", "server", "compatible"),
    [
        ("1.19.0", "1.19.0", True),
        ("1.19.4", "1.19.0", False),
        ("1.18.0", "1.19.2", True),
        ("1.17.9", "1.19.0", False),
        ("0.11.0", "1.0.0", False),
        ("2.0.0", "1.19.0", False),
    ],
)
def test_compatibility_follows_qdrants_one_minor_version_rule(
    snapshot: str, server: str, compatible: bool
) -> None:
    check = script.check_compatible
    parse = script.Version.parse
    if compatible:
        check(parse(snapshot), parse(server))
    else:
        with pytest.raises(script.Refused):
            check(parse(snapshot), parse(server))
