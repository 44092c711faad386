"""Copy a base model's files at one pinned revision from the Hugging Face Hub into the
model-assets bucket, once, so the model server loads them from S3 at every start.

The server's init container pulls ``models/<hub id>/<revision>/`` (infra/workloads/
loyalty_model.tf) and treats config.json as the sign of a complete copy: it is uploaded last.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from finetune.s3 import S3Location, upload_folder

MODELS_PREFIX = "models/"
COMPLETE_MARKER = "config.json"
# Weights, configuration and tokenizer: no original/ checkpoints, no other formats.
ALLOW_PATTERNS = ["*.json", "*.safetensors", "tokenizer*", "*.model", "*.txt", "*.jinja"]
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_MODEL_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")

# snapshot_download(repo_id=..., revision=..., token=..., local_dir=..., allow_patterns=...)
Download = Callable[..., str]


def check_revision(revision: str) -> str:
    if not _COMMIT.match(revision):
        raise ValueError(f"{revision!r} is not a commit: pin the base model by its 40-hex commit")
    return revision


def check_model_id(model_id: str) -> str:
    if not _MODEL_ID.match(model_id) or ".." in model_id:
        raise ValueError(f"{model_id!r} is not a Hugging Face model id, <owner>/<name>")
    return model_id


def destination(bucket: str, model_id: str, revision: str) -> S3Location:
    return S3Location(bucket, f"{MODELS_PREFIX}{model_id}/{revision}/")


def mirror(
    s3: Any,
    bucket: str,
    model_id: str,
    revision: str,
    token: str | None,
    download: Download,
    work_dir: Path | None = None,
) -> S3Location:
    """Download the snapshot, upload it with config.json last; return its S3 folder."""
    target = destination(bucket, check_model_id(model_id), check_revision(revision))
    with tempfile.TemporaryDirectory(dir=work_dir) as scratch:
        local = Path(
            download(
                repo_id=model_id,
                revision=revision,
                token=token,
                local_dir=scratch,
                allow_patterns=ALLOW_PATTERNS,
            )
        )
        if not (local / COMPLETE_MARKER).is_file():
            raise ValueError(f"{model_id}@{revision} has no {COMPLETE_MARKER}: not a model")
        # snapshot_download's own bookkeeping, not the model's.
        files = [p for p in local.rglob("*") if ".cache" in p.relative_to(local).parts]
        for path in sorted(files, reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        upload_folder(s3, local, target, last=[COMPLETE_MARKER])
    return target
