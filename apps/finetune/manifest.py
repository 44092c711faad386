"""manifest.json beside the adapter: what it was trained from, how, and how well.

Enough to reproduce the run (base model and revision, data hashes, LoRA and training settings,
library versions) and to serve it (the base model to load the adapter on). It holds no secret:
the Hugging Face token is never passed here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from finetune.data import ChatData

MANIFEST = "manifest.json"
SCHEMA_VERSION = 1
_LIBRARIES = ("torch", "transformers", "peft", "trl", "accelerate", "bitsandbytes")


def _installed(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def library_versions() -> dict[str, str]:
    found = {name: _installed(name) for name in _LIBRARIES}
    return {name: v for name, v in found.items() if v}


def build(
    *,
    run: str,
    base_model: str,
    revision: str | None,
    resolved_revision: str | None,
    adapter_config: dict[str, Any],
    training: dict[str, Any],
    train: ChatData,
    validation: ChatData,
    metrics: dict[str, float | int],
    quantization: str | None,
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "run": run,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_model": {
            "name": base_model,
            "revision": revision,
            "resolved_revision": resolved_revision,
            "quantization": quantization,
        },
        "lora": {
            "r": adapter_config["r"],
            "alpha": adapter_config["lora_alpha"],
            "dropout": adapter_config["lora_dropout"],
            "target_modules": sorted(adapter_config["target_modules"]),
            "task_type": adapter_config["task_type"],
        },
        "training": training,
        "datasets": {"train": train.record(), "validation": validation.record()},
        "metrics": metrics,
        "libraries": library_versions(),
    }


def write(folder: Path, manifest: dict[str, Any]) -> Path:
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read(folder: Path) -> dict[str, Any]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
