"""Training hyperparameters: their defaults, their checks and their command-line flags.

The launcher writes every one of them into the Job's arguments, so a Job spec alone says how
its adapter was trained.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

_MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_MAX_STEPS = 10_000_000


@dataclass(frozen=True)
class Hyperparameters:
    """Defaults for Llama 3 8B in 4 bits on one 24 GB GPU (g6: NVIDIA L4)."""

    epochs: float = 3.0
    # -1: as many steps as the epochs take.
    max_steps: int = -1
    learning_rate: float = 2e-4
    batch_size: int = 4
    gradient_accumulation: int = 4
    max_length: int = 1024
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    # Every linear layer of the decoder blocks (Llama's names, shared by Mistral and Qwen): the
    # QLoRA paper's finding for matching full fine-tuning.
    target_modules: tuple[str, ...] = (
        "q_proj",
        "k_proj",
        "v_proj",
        "o_proj",
        "gate_proj",
        "up_proj",
        "down_proj",
    )
    warmup_ratio: float = 0.03
    save_steps: int = 50
    eval_steps: int = 50
    logging_steps: int = 10
    seed: int = 42

    def __post_init__(self) -> None:
        problems = [
            name
            for name, ok in (
                # Upper bounds far past any sensible run: a typo (1e9 epochs) is refused
                # here, not discovered on a GPU days later.
                ("epochs", 0 < self.epochs <= 1000),  # NaN and inf fail this too
                ("max_steps", self.max_steps == -1 or 1 <= self.max_steps <= _MAX_STEPS),
                ("learning_rate", 0 < self.learning_rate < 1),
                ("batch_size", 1 <= self.batch_size <= 1024),
                ("gradient_accumulation", 1 <= self.gradient_accumulation <= 1024),
                ("max_length", 16 <= self.max_length <= 131_072),
                ("lora_r", 1 <= self.lora_r <= 512),
                ("lora_alpha", 1 <= self.lora_alpha <= 4096),
                ("lora_dropout", 0 <= self.lora_dropout < 1),
                (
                    "target_modules",
                    bool(self.target_modules)
                    and all(_MODULE_NAME.fullmatch(m) for m in self.target_modules),
                ),
                ("warmup_ratio", 0 <= self.warmup_ratio < 1),
                ("save_steps", 1 <= self.save_steps <= _MAX_STEPS),
                ("eval_steps", 1 <= self.eval_steps <= _MAX_STEPS),
                ("logging_steps", 1 <= self.logging_steps <= _MAX_STEPS),
                # NumPy's seeds are 32-bit.
                ("seed", 0 <= self.seed < 2**32),
            )
            if not ok
        ]
        if problems:
            given = ", ".join(f"{name}={getattr(self, name)!r}" for name in problems)
            raise ValueError(f"invalid hyperparameters: {given}")


# Seconds on two CPU cores: a handful of steps on short sequences, every step logged.
TINY = Hyperparameters(
    epochs=1.0,
    learning_rate=5e-3,
    batch_size=8,
    gradient_accumulation=1,
    max_length=128,
    lora_r=8,
    lora_alpha=16,
    save_steps=10,
    eval_steps=10,
    logging_steps=1,
)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _parse_modules(value: str) -> tuple[str, ...]:
    return tuple(m.strip() for m in value.split(",") if m.strip())


_TYPES: dict[str, Any] = {"int": int, "float": float, "tuple[str, ...]": _parse_modules}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One flag per hyperparameter; an absent flag keeps the preset's value."""
    group = parser.add_argument_group("hyperparameters (default: Llama 3 8B QLoRA; --tiny: CPU)")
    for f in fields(Hyperparameters):
        shown = ",".join(f.default) if isinstance(f.default, tuple) else f.default
        group.add_argument(
            _flag(f.name), type=_TYPES[str(f.type)], default=None, help=f"default {shown}"
        )


def from_arguments(options: argparse.Namespace, preset: Hyperparameters) -> Hyperparameters:
    given = {f.name: getattr(options, f.name) for f in fields(Hyperparameters)}
    return replace(preset, **{k: v for k, v in given.items() if v is not None})


def to_arguments(hyper: Hyperparameters) -> list[str]:
    """The flags that make ``from_arguments`` give back ``hyper``."""
    arguments: list[str] = []
    for f in fields(Hyperparameters):
        value = getattr(hyper, f.name)
        arguments += [_flag(f.name), ",".join(value) if isinstance(value, tuple) else repr(value)]
    return arguments


def parse_flags(argv: Sequence[str]) -> Hyperparameters:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return from_arguments(parser.parse_args(argv), Hyperparameters())
