"""The Lambda zip: what it carries, and that the handler runs from it without the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pydantic_core

ROOT = Path(__file__).resolve().parents[3]


def test_the_zip_runs_the_handler_without_the_repository(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package-lambda"), "code_generation"],
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(ROOT / "dist" / "code_generation.zip") as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "zip")
    assert "code_generation/handler.py" in names and "genai_common/settings.py" in names
    assert any(n.startswith("aws_lambda_powertools/") for n in names)
    assert any(
        n.startswith("pydantic_core/") and n.endswith("cpython-313-aarch64-linux-gnu.so")
        for n in names
    )
    assert not any(n.startswith(("boto3/", "botocore/", "langchain", "yaml/")) for n in names)
    assert "genai_common/metering/metering.json" in names
    assert "genai_common/chat_models.py" not in names
    # The zip's pydantic-core is built for arm64 and Python 3.13: this machine's stands in.
    host = tmp_path / "host"
    host.mkdir()
    (host / "pydantic_core").symlink_to(Path(pydantic_core.__file__).parent)
    probe = (
        "import json, sys; sys.path[:0] = sys.argv[1:3];"
        "import code_generation.handler as h, pydantic, aws_lambda_powertools as p;"
        "from code_generation.lambda_context import LocalContext;"
        "from genai_common.metering import metering_spec; metering_spec();"
        "r = h.lambda_handler({}, LocalContext());"
        "print(r['statusCode'], 'yaml' in sys.modules, h.__file__, pydantic.__file__, p.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(host), str(tmp_path / "zip")],
        capture_output=True,
        text=True,
        check=True,
    )
    status, read_yaml, *files = result.stdout.split()
    assert (status, read_yaml) == ("401", "False")
    assert all(f.startswith(str(tmp_path / "zip")) for f in files), files
