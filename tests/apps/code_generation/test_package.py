"""The Lambda zip: what it carries, and that the handler runs from it without the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# issue 25's target for the deployment package.
MAX_ZIP_BYTES = 5 * 1024 * 1024


def test_the_zip_runs_the_handler_without_the_repository(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package-lambda"), "code_generation"],
        check=True,
        capture_output=True,
    )
    package = ROOT / "dist" / "code_generation.zip"
    assert package.stat().st_size <= MAX_ZIP_BYTES
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
    assert "code_generation/handler.py" in names and "code_generation/openapi.json" in names
    # Nothing the function can do without: the runtime ships boto3, the settings and the
    # validation are the app's own.
    assert not any(
        n.startswith(("boto3/", "botocore/", "langchain", "yaml/", "pydantic", "aws_lambda_"))
        for n in names
    )
    assert "genai_common/metering/metering.json" in names
    assert "genai_common/chat_models.py" not in names and "genai_common/settings.py" not in names
    probe = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "import code_generation.handler as h;"
        "from code_generation.lambda_context import LocalContext;"
        "from genai_common.metering import metering_spec; metering_spec();"
        "r = h.lambda_handler({}, LocalContext());"
        "print(r['statusCode'], 'yaml' in sys.modules, 'pydantic' in sys.modules, h.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    status, read_yaml, read_pydantic, handler_file = result.stdout.split()
    assert (status, read_yaml, read_pydantic) == ("401", "False", "False")
    assert handler_file.startswith(str(tmp_path))
