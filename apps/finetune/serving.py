"""Serve a finished run's adapter on the running model server, without a restart.

A run is finished when its manifest exists: training uploads it last. The model server's
sidecar mirrors finetune/runs/*/adapter/ from S3 into ``ADAPTERS_DIR`` (modules/vllm-server),
so a freshly finished run may need one sync interval before vLLM can read it: the load is
retried a few times. A load that fails changes nothing the server serves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from botocore.exceptions import ClientError
from genai_common.model_server import ModelServer, ModelServerError

# The server's copy of s3://BUCKET/finetune/runs/ (modules/vllm-server, runs_dir).
ADAPTERS_DIR = "/adapters/runs"
ATTEMPTS = 7
RETRY_SECONDS = 10.0  # a third of the sidecar's sync interval


class NotFinished(ValueError):
    """The run has no manifest yet: still training, failed, or never submitted."""


def manifest_key(run: str) -> str:
    return f"finetune/runs/{run}/adapter/manifest.json"


def adapter_path(run: str) -> str:
    return f"{ADAPTERS_DIR}/{run}/adapter"


def check_finished(s3: Any, bucket: str, run: str) -> None:
    try:
        s3.head_object(Bucket=bucket, Key=manifest_key(run))
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            raise NotFinished(
                f"run {run} has no s3://{bucket}/{manifest_key(run)}: it has not finished"
            ) from None
        raise


def hot_load(
    server: ModelServer, run: str, *, attempts: int, wait: Callable[[float], None]
) -> None:
    """Load the run's adapter under the run's name; raise the last refusal after ``attempts``."""
    if run in server.adapters():
        return
    for attempt in range(1, attempts + 1):
        try:
            server.load_adapter(run, adapter_path(run))
            return
        except ModelServerError:
            if attempt == attempts:
                raise
            wait(RETRY_SECONDS)


def serve_run(
    s3: Any,
    bucket: str,
    server: ModelServer,
    run: str,
    retire: Sequence[str] = (),
    *,
    attempts: int = ATTEMPTS,
    wait: Callable[[float], None] | None = None,
) -> list[str]:
    """Serve a finished run, then unload the ``retire``d adapters; return the served adapters.

    The retired ones are unloaded only once the new one serves, so a failed load leaves them.
    """
    check_finished(s3, bucket, run)
    hot_load(server, run, attempts=attempts, wait=wait or time.sleep)
    served = server.adapters()
    if run not in served:
        raise ModelServerError(f"{server.base_url} accepted {run} but does not list it")
    for old in retire:
        if old != run and old in served:
            server.unload_adapter(old)
    return server.adapters()
