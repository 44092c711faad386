"""What the Lambda benchmarks share: the handler's cold import as the Python runtime does it,
and percentiles.

Cold import runs in fresh interpreters without site-packages (python -I -S) whose path holds
only the unzipped deployment package, the packages the Lambda Python runtime provides (boto3,
botocore and their dependencies, linked from this environment) and any native packages that
stand in for the zip's own builds; median of 5. Each run checks that every module it loaded
came from those or from the standard library, so the figure cannot include anything the zip
lacks.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# What the Lambda Python runtime puts on the path besides the function's code.
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
PROBE = """
import importlib, json, os, sys, time
module, *paths = sys.argv[1:]
sys.path[:0] = paths
started = time.perf_counter()
importlib.import_module(module)
elapsed = (time.perf_counter() - started) * 1000
stdlib = os.path.dirname(os.__file__)


def outside(path):
    # A venv's or the system's site-packages can sit inside the standard library's folder.
    if path.startswith(tuple(paths)):
        return False
    return not path.startswith(stdlib) or any(
        part in ("site-packages", "dist-packages") for part in path.split(os.sep)
    )


loaded = [getattr(m, "__file__", None) for m in list(sys.modules.values())]
print(json.dumps({"ms": elapsed, "outside": sorted(p for p in loaded if p and outside(p))}))
"""


def link_packages(folder: Path, names: tuple[str, ...]) -> None:
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            sys.exit(f"benchmark: {name} is not installed here")
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        (folder / source.name).symlink_to(source)


def cold_import_ms(package: Path, module: str, native: tuple[str, ...] = ()) -> float:
    """Median import time of ``module`` from the zip ``package``, in milliseconds.

    ``native``: packages whose build in the zip is for the Lambda's platform, not this machine's;
    this environment's build of the same pinned version stands in for it.
    """
    with (
        tempfile.TemporaryDirectory() as code,
        tempfile.TemporaryDirectory() as runtime,
        tempfile.TemporaryDirectory() as stand_ins,
    ):
        with zipfile.ZipFile(package) as archive:
            archive.extractall(code)
        link_packages(Path(runtime), RUNTIME_PACKAGES)
        link_packages(Path(stand_ins), native)
        # Stand-ins first, so they shadow the zip's builds for another platform.
        paths = [stand_ins, code, runtime]
        runs = []
        for _ in range(5):
            result = json.loads(
                subprocess.run(
                    [sys.executable, "-I", "-S", "-c", PROBE, module, *paths],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            if result["outside"]:
                sys.exit(f"benchmark: the import loaded {result['outside'][:5]}, not in the zip")
            runs.append(result["ms"])
    return statistics.median(runs)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
