"""What the packaging scripts share (package-lambda, package-flink-app): zips whose bytes depend
only on their inputs, and wheels installed for the runtime's platform rather than this machine's.

Entries are sorted, dated 2020-01-01 and stored uncompressed: deflated bytes depend on the zlib
build, and a zip that differs between a laptop and a CI runner would make each plan an update.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
# genai_common.declarations.DECLARATION, not imported: the packaging scripts run on a bare Python.
DECLARATION = "app.yaml"
# The token meter's core, the files of apps/genai_common/metering/ a Lambda or a stream job ships:
# the standard library and botocore (no LangChain, pydantic or PyYAML).
METER = (
    "__init__.py",
    "budget.py",
    "emf.py",
    "meter.py",
    "metering.json",
    "spec.py",
)


def add_file(archive: zipfile.ZipFile, path: Path, name: str) -> None:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED
    archive.writestr(info, path.read_bytes())


def add_tree(archive: zipfile.ZipFile, folder: Path, prefix: str) -> None:
    for path in sorted(folder.rglob("*")):
        # An app's declaration (app.yaml) tells the build and deploy tools about the app; the
        # code running from the zip never reads it.
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if path.name == DECLARATION:
            continue
        add_file(archive, path, f"{prefix}{path.relative_to(folder).as_posix()}")


def install_for_platform(
    target: Path, python_version: str, platform: str, requirements: list[str]
) -> None:
    """Wheels only, for CPython ``python_version`` on ``platform``, into ``target``. No
    dependencies are resolved: every package is named, and pinned, by the caller."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--no-deps",
            "--target",
            str(target),
            "--platform",
            platform,
            "--implementation",
            "cp",
            "--python-version",
            python_version,
            "--only-binary=:all:",
            *requirements,
        ],
        check=True,
    )
