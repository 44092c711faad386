"""Supervised fine-tuning with LoRA: QLoRA (4-bit NF4 base) on a CUDA GPU, LoRA on a
full-precision base on CPU, the loss on the assistant's answers only.

The data becomes TRL's conversational prompt-completion rows: TRL renders both with the base
model's chat template and masks the prompt's tokens (labels -100), which works with any chat
template, marked for training or not.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from peft import LoraConfig
from transformers import (
    PreTrainedModel,
    PreTrainedTokenizerBase,
    PrinterCallback,
    TrainerCallback,
    TrainerControl,
    TrainerState,
    TrainingArguments,
)
from transformers.trainer_utils import get_last_checkpoint
from trl import SFTConfig, SFTTrainer

from finetune import checkpoints, manifest, tiny
from finetune import data as chat_data
from finetune import s3 as s3_folders
from finetune.base_model import load_base, quantization_config
from finetune.hyper import Hyperparameters
from finetune.s3 import S3Location

ADAPTER = "adapter"
CHECKPOINTS = "checkpoints"
TINY_BASE = "tiny-base"


@dataclass(frozen=True)
class TrainRequest:
    """One run: a base model, two data files and where the adapter goes.

    ``output`` is a local folder or ``s3://<bucket>/finetune/runs/<run>``; checkpoints and the
    adapter are written under ``work_dir`` and, for an S3 output, mirrored there.
    """

    base_model: str
    train: str
    validation: str
    output: str
    work_dir: Path
    revision: str | None = None
    tiny: bool = False
    hyper: Hyperparameters = field(default_factory=Hyperparameters)

    @property
    def run(self) -> str:
        return self.output.rstrip("/").rsplit("/", 1)[-1]

    @property
    def remote(self) -> S3Location | None:
        return S3Location.parse(self.output) if self.output.startswith("s3://") else None


def sft_config(hyper: Hyperparameters, output_dir: Path) -> SFTConfig:
    cuda = torch.cuda.is_available()
    return SFTConfig(
        output_dir=str(output_dir),
        num_train_epochs=hyper.epochs,
        max_steps=hyper.max_steps,
        learning_rate=hyper.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=hyper.warmup_ratio,
        per_device_train_batch_size=hyper.batch_size,
        per_device_eval_batch_size=hyper.batch_size,
        gradient_accumulation_steps=hyper.gradient_accumulation,
        max_length=hyper.max_length,
        completion_only_loss=True,
        # Checkpointing trades compute for the activations that do not fit beside an 8B model on
        # a 24 GB GPU; a CPU run has the memory and not the compute.
        gradient_checkpointing=cuda,
        bf16=cuda,
        dataloader_pin_memory=cuda,
        optim="paged_adamw_8bit" if cuda else "adamw_torch",
        eval_strategy="steps",
        eval_steps=hyper.eval_steps,
        save_strategy="steps",
        save_steps=hyper.save_steps,
        save_total_limit=2,
        logging_steps=hyper.logging_steps,
        include_num_input_tokens_seen="non_padding",
        # A Job's log is read line by line: progress comes from ProgressLog, not a tqdm bar.
        disable_tqdm=True,
        report_to="none",
        seed=hyper.seed,
    )


def lora_config(hyper: Hyperparameters) -> LoraConfig:
    return LoraConfig(
        r=hyper.lora_r,
        lora_alpha=hyper.lora_alpha,
        lora_dropout=hyper.lora_dropout,
        target_modules=list(hyper.target_modules),
        bias="none",
        task_type="CAUSAL_LM",
    )


class ProgressLog(TrainerCallback):
    """One line per log event: what the launcher's watch shows of a running Job."""

    def on_log(
        self,
        args: TrainingArguments,
        state: TrainerState,
        control: TrainerControl,
        logs: dict[str, float] | None = None,
        **kwargs: Any,
    ) -> None:
        if not state.is_world_process_zero or not logs:
            return
        shown = " ".join(
            f"{name} {value:.4g}"
            for name, value in logs.items()
            if name in ("loss", "eval_loss", "train_loss", "learning_rate", "epoch", "grad_norm")
        )
        percent = 100 * state.global_step / max(state.max_steps, 1)
        print(
            f"finetune: step {state.global_step}/{state.max_steps} ({percent:.0f}%) {shown}",
            flush=True,
        )


def build_trainer(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    train: chat_data.ChatData,
    validation: chat_data.ChatData,
    hyper: Hyperparameters,
    output_dir: Path,
    callbacks: Sequence[TrainerCallback] = (),
) -> SFTTrainer:
    trainer = SFTTrainer(
        model=model,
        args=sft_config(hyper, output_dir),
        train_dataset=Dataset.from_list(train.prompt_completion()),
        eval_dataset=Dataset.from_list(validation.prompt_completion()),
        processing_class=tokenizer,
        peft_config=lora_config(hyper),
        callbacks=[ProgressLog(), *callbacks],
    )
    trainer.remove_callback(PrinterCallback)
    return trainer


def _resume_point(request: TrainRequest, s3: Any, folder: Path) -> str | None:
    """The newest checkpoint to resume from: S3's for an S3 run (the disk is new after a retry)."""
    if request.remote is not None:
        checkpoints.download_latest(s3, request.remote.child(CHECKPOINTS), folder)
    return get_last_checkpoint(str(folder)) if folder.is_dir() else None


def train(request: TrainRequest, *, s3: Any = None, token: str | None = None) -> Path:
    """Runs the request to the end; returns the local adapter folder (with manifest.json)."""
    train_data = chat_data.load(request.train, s3)
    validation_data = chat_data.load(request.validation, s3)
    base_model, revision = request.base_model, request.revision
    if request.tiny:
        base_model = str(
            tiny.build(request.work_dir / TINY_BASE, [train_data], seed=request.hyper.seed)
        )
        revision = None
    print(
        f"finetune: run {request.run}: {len(train_data.conversations)} training and "
        f"{len(validation_data.conversations)} validation conversations, base {base_model}",
        flush=True,
    )
    model, tokenizer, resolved = load_base(base_model, revision, token)
    checkpoint_dir = request.work_dir / CHECKPOINTS
    callbacks: list[TrainerCallback] = []
    if request.remote is not None:
        callbacks.append(checkpoints.S3CheckpointSync(s3, request.remote.child(CHECKPOINTS)))
    trainer = build_trainer(
        model, tokenizer, train_data, validation_data, request.hyper, checkpoint_dir, callbacks
    )
    resume = _resume_point(request, s3, checkpoint_dir)
    if resume:
        print(f"finetune: resuming from {Path(resume).name}", flush=True)
    result = trainer.train(resume_from_checkpoint=resume)
    evaluation = _final_evaluation(trainer)

    adapter_dir = request.work_dir / ADAPTER
    shutil.rmtree(adapter_dir, ignore_errors=True)
    trainer.save_model(str(adapter_dir))
    tokens = trainer.state.num_input_tokens_seen
    runtime = result.metrics["train_runtime"]
    metrics = {
        "train_loss": result.training_loss,
        "eval_loss": evaluation["eval_loss"],
        "eval_mean_token_accuracy": evaluation.get("eval_mean_token_accuracy", math.nan),
        "global_step": trainer.state.global_step,
        "epochs": trainer.state.epoch,
        "train_tokens": tokens,
        "train_runtime_seconds": runtime,
        # This session's share of the tokens, over this session's time: a resumed run is not
        # credited with the tokens of the attempt before it.
        "train_tokens_per_second": (tokens - _tokens_at(resume)) / runtime if runtime else 0.0,
    }
    peft_config = trainer.model.peft_config["default"].to_dict()
    quantization = quantization_config()
    record = manifest.build(
        run=request.run,
        base_model=base_model,
        revision=revision,
        resolved_revision=resolved,
        adapter_config=peft_config,
        training={**asdict(request.hyper), "completion_only_loss": True},
        train=train_data,
        validation=validation_data,
        metrics={k: v for k, v in metrics.items() if not (isinstance(v, float) and math.isnan(v))},
        quantization="nf4-double-quant" if quantization else None,
    )
    manifest.write(adapter_dir, record)
    if request.remote is not None:
        s3_folders.upload_folder(
            s3, adapter_dir, request.remote.child(ADAPTER), last=[manifest.MANIFEST]
        )
        print(f"finetune: adapter saved to {request.remote.child(ADAPTER)}", flush=True)
    print(
        f"finetune: done: train_loss {metrics['train_loss']:.4f} "
        f"eval_loss {metrics['eval_loss']:.4f}, adapter in {adapter_dir}",
        flush=True,
    )
    return adapter_dir


def _final_evaluation(trainer: SFTTrainer) -> dict[str, float]:
    """The evaluation at the last step: the Trainer's own when it ran one there, else a new one."""
    step = trainer.state.global_step
    done = [e for e in trainer.state.log_history if "eval_loss" in e and e.get("step") == step]
    return done[-1] if done else trainer.evaluate()


def _tokens_at(checkpoint: str | None) -> int:
    if checkpoint is None:
        return 0
    state = TrainerState.load_from_json(str(Path(checkpoint) / checkpoints.COMPLETE_MARKER))
    return state.num_input_tokens_seen
