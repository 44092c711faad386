"""Trainer checkpoints mirrored to S3, so a Job retried after a spot interruption resumes.

The Trainer writes ``checkpoint-N/`` folders locally; after each save the callback uploads the
new one to ``<run>/checkpoints/checkpoint-N/`` and removes from S3 the ones the Trainer rotated
out locally. ``trainer_state.json`` is uploaded last: a checkpoint without it in S3 is a copy
cut short by the interruption and is never resumed from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

from finetune import s3 as s3_folders
from finetune.s3 import S3Location

COMPLETE_MARKER = "trainer_state.json"
_STEP = re.compile(rf"{PREFIX_CHECKPOINT_DIR}-(\d+)")


def _steps(names: list[str] | set[str]) -> dict[int, str]:
    return {int(m.group(1)): name for name in names if (m := _STEP.fullmatch(name))}


def remote_checkpoints(
    s3: Any, folder: S3Location, *, complete_only: bool = True
) -> dict[int, S3Location]:
    """The checkpoints under ``folder`` by global step: the complete ones, or all of them."""
    prefix = folder.prefix()
    names: set[str] = set()
    complete: set[str] = set()
    for key in s3_folders.keys(s3, folder):
        name, _, rest = key.removeprefix(prefix).partition("/")
        names.add(name)
        if rest == COMPLETE_MARKER:
            complete.add(name)
    chosen = complete if complete_only else names
    return {step: folder.child(name) for step, name in _steps(sorted(chosen)).items()}


def download_latest(s3: Any, folder: S3Location, local: Path) -> Path | None:
    """Copies the newest complete checkpoint into ``local``; None when there is none yet."""
    found = remote_checkpoints(s3, folder)
    if not found:
        return None
    step = max(found)
    target = local / f"{PREFIX_CHECKPOINT_DIR}-{step}"
    return s3_folders.download_folder(s3, found[step], target)


class S3CheckpointSync(TrainerCallback):
    """Uploads each checkpoint the Trainer saves; S3 keeps the same ones the disk keeps."""

    def __init__(self, s3: Any, folder: S3Location) -> None:
        self.s3 = s3
        self.folder = folder

    def on_save(
        self,
        args: TrainingArguments,
        state: TrainerState,
        control: TrainerControl,
        **kwargs: Any,
    ) -> None:
        if not state.is_world_process_zero:
            return
        name = f"{PREFIX_CHECKPOINT_DIR}-{state.global_step}"
        local = Path(args.output_dir) / name
        s3_folders.upload_folder(self.s3, local, self.folder.child(name), last=[COMPLETE_MARKER])
        kept = set(_steps([p.name for p in Path(args.output_dir).iterdir()]))
        # Copies cut short by an earlier interruption go too: nothing will ever resume from them.
        for step, stale in remote_checkpoints(self.s3, self.folder, complete_only=False).items():
            if step not in kept:
                s3_folders.delete_folder(self.s3, stale)
        print(f"finetune: checkpoint {name} saved to {self.folder.child(name)}", flush=True)
