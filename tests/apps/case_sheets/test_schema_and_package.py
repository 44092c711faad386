"""The action group's OpenAPI schema, and the Lambda zip that carries the handler."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import case_sheets
from case_sheets_domain.actions import ROUTES
from openapi_spec_validator import validate

SCHEMA = json.loads(Path(case_sheets.__file__).with_name("openapi.json").read_text())
ROOT = Path(__file__).resolve().parents[3]


def test_schema_is_valid_openapi_3_0() -> None:
    validate(SCHEMA)
    assert SCHEMA["openapi"].startswith("3.0")


def test_schema_meets_the_action_group_constraints() -> None:
    """Bedrock reads each operation's description to choose it; paths must match the handler."""
    assert set(SCHEMA["paths"]) == set(ROUTES)
    for path, methods in SCHEMA["paths"].items():
        assert list(methods) == ["post"], path
        operation = methods["post"]
        assert operation["operationId"] == path.lstrip("/")
        assert len(operation["description"]) >= 40
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body["type"] == "object" and body["required"]
        for name, prop in body["properties"].items():
            assert prop["type"] in {"string", "number", "integer", "boolean"}, name
            assert prop["description"], name
        assert "200" in operation["responses"]
    generate = SCHEMA["paths"]["/generateCaseSheet"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    assert generate["properties"]["budget"]["type"] == "number"
    assert set(generate["required"]) == {
        "client",
        "casename",
        "challenge",
        "solution",
        "budget",
        "kpi",
    }


def test_the_zip_runs_the_handler_without_the_repository(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package-lambda"), "case_sheets"],
        check=True,
        capture_output=True,
    )
    archive = ROOT / "dist" / "case_sheets.zip"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path)
    assert {"case_sheets/handler.py", "case_sheets_domain/actions.py"} <= set(names)
    assert any(n.startswith("openpyxl/") for n in names)
    assert not any(n.startswith(("boto3/", "botocore/")) for n in names), "the runtime ships boto3"
    probe = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "import case_sheets.handler as h, openpyxl;"
        "r = h.lambda_handler({'apiPath': '/nope', 'httpMethod': 'POST'});"
        "print(r['response']['httpStatusCode'], h.__file__, openpyxl.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    status, handler_file, openpyxl_file = result.stdout.split()
    assert status == "404"
    assert handler_file.startswith(str(tmp_path)) and openpyxl_file.startswith(str(tmp_path))
