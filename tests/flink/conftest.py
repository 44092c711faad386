"""PyFlink's local mini-cluster for the job's tests (run with .venv-flink, scripts/check).

The Python workers are processes the JVM starts: they inherit this environment, so the
repository (the fakes) and apps/ (the job) go on their PYTHONPATH, and they run this
interpreter, the one with PyFlink installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT), str(ROOT / "apps"), *filter(None, [os.environ.get("PYTHONPATH")])]
)
PARALLELISM = 2


@pytest.fixture
def flink_env():  # type: ignore[no-untyped-def]
    """A fresh streaming environment on the local mini-cluster."""
    from pyflink.common import Configuration
    from pyflink.datastream import StreamExecutionEnvironment

    config = Configuration()
    config.set_string("python.executable", sys.executable)
    config.set_string("python.client.executable", sys.executable)
    env = StreamExecutionEnvironment.get_execution_environment(config)
    env.set_parallelism(PARALLELISM)
    return env


def pytest_configure(config: pytest.Config) -> None:
    # PyFlink calls its own deprecated Table API internally when collecting results.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:pyflink.*")
