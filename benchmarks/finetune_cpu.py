"""Tiny-model fine-tuning on CPU: training tokens per second and the size of the adapter.

    .venv/bin/python benchmarks/finetune_cpu.py [--steps 30] [--batch-size 8] [--max-length 128]

Trains the tiny Llama-architecture model (random weights, tokenizer trained here) with LoRA on
the MyRetail loyalty data, as `python -m finetune train --tiny` does, and prints the figures the
manifest records. Tokens are the non-padding tokens the Trainer fed the model; the time is the
Trainer's train_runtime (evaluations included).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "datasets" / "myretail"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-length", type=int, default=128)
    options = parser.parse_args()

    import torch
    from finetune.hyper import TINY
    from finetune.train import TrainRequest, train

    hyper = replace(
        TINY,
        max_steps=options.steps,
        batch_size=options.batch_size,
        max_length=options.max_length,
        save_steps=options.steps,
        eval_steps=options.steps,
        logging_steps=options.steps,
    )
    with tempfile.TemporaryDirectory() as work:
        adapter = train(
            TrainRequest(
                base_model="",
                train=str(DATA / "loyalty_train.jsonl"),
                validation=str(DATA / "loyalty_validation.jsonl"),
                output=work,
                work_dir=Path(work),
                tiny=True,
                hyper=hyper,
            )
        )
        metrics = json.loads((adapter / "manifest.json").read_text())["metrics"]
        weights = (adapter / "adapter_model.safetensors").stat().st_size
    print(
        json.dumps(
            {
                "torch_threads": torch.get_num_threads(),
                "steps": metrics["global_step"],
                "batch_size": options.batch_size,
                "max_length": options.max_length,
                "train_tokens": metrics["train_tokens"],
                "train_runtime_seconds": round(metrics["train_runtime_seconds"], 2),
                "train_tokens_per_second": round(metrics["train_tokens_per_second"], 1),
                "adapter_model_bytes": weights,
                "eval_loss": round(metrics["eval_loss"], 4),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
